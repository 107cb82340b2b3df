//! Stage 1, load: documents from text files, directories and standard input.
//!
//! A [`Document`] keeps the whole decoded text of its input, so every later
//! stage can point into it with byte spans and reports can quote it exactly.
//! A leading `date YYYY-MM-DD` marker (as news exports write it) becomes the
//! document's [`Date`] and the body starts after it.
//!
//! Loading never stops at the first bad input: [`load_paths`] returns the
//! documents it could read together with one [`Error`] per input it could not.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::date::Date;
use crate::error::{Error, Result};

/// One article.
#[derive(Debug, Clone)]
pub struct Document {
    /// Unique id within a corpus: the file stem for files, `stdin` for `-`.
    pub id: String,
    /// Where the document came from, for messages and reports: the path as
    /// given, or `<stdin>`.
    pub origin: String,
    /// Publication date, when known.
    pub date: Option<Date>,
    /// The complete decoded text, date marker included.
    pub text: String,
    /// Byte offset in [`Document::text`] where the body starts (after the
    /// date marker, if any). Paragraphs are taken from `text[body_start..]`.
    pub body_start: usize,
}

impl Document {
    /// Builds a document from text, taking a leading `date YYYY-MM-DD`
    /// marker as its date.
    ///
    /// ```
    /// use reprint::corpus::Document;
    /// let doc = Document::from_text("a", "a.txt", " date 2026-03-04 Headline\n\nBody.".into());
    /// assert_eq!(doc.date.as_ref().unwrap().as_str(), "2026-03-04");
    /// assert_eq!(doc.body(), "Headline\n\nBody.");
    /// ```
    pub fn from_text(id: impl Into<String>, origin: impl Into<String>, text: String) -> Document {
        let (date, body_start) = match split_date_marker(&text) {
            Some((date, start)) => (Some(date), start),
            None => (None, 0),
        };
        Document {
            id: id.into(),
            origin: origin.into(),
            date,
            text,
            body_start,
        }
    }

    /// The text after the date marker.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// Recognises `date <date>` at the very start of a text (after white space)
/// and returns the date and the byte offset where the body starts.
fn split_date_marker(text: &str) -> Option<(Date, usize)> {
    let lead = text.len() - text.trim_start().len();
    let rest = &text[lead..];
    let after_kw = rest.strip_prefix("date")?;
    let ws = after_kw.len() - after_kw.trim_start().len();
    if ws == 0 {
        return None;
    }
    let value_start = text.len() - after_kw.len() + ws;
    let value_len = text[value_start..]
        .find(char::is_whitespace)
        .unwrap_or(text.len() - value_start);
    let date = Date::parse(&text[value_start..value_start + value_len])?;
    let after = &text[value_start + value_len..];
    let body_start = text.len() - after.trim_start().len();
    Some((date, body_start))
}

/// How directories are walked.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// File name extensions (without the dot, compared case-insensitively)
    /// read when walking a directory. Files named directly are always read.
    pub extensions: Vec<String>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            extensions: vec!["txt".into(), "md".into()],
        }
    }
}

/// A non-fatal remark about an input, e.g. that it was not valid UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The input it concerns.
    pub origin: String,
    /// What happened.
    pub message: String,
}

/// What [`load_paths`] produced: every document it could read, and one
/// error per input it could not.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Documents in input order (directories in sorted path order).
    pub documents: Vec<Document>,
    /// Inputs that could not be read; the rest loaded regardless.
    pub errors: Vec<Error>,
    /// Inputs read with a caveat.
    pub warnings: Vec<Warning>,
}

/// Loads documents from files, directories (recursively, filtered by
/// extension) and `-` (standard input).
pub fn load_paths(paths: &[PathBuf], options: &LoadOptions) -> Loaded {
    let mut loaded = Loaded::default();
    let mut files: Vec<Input> = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            files.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                if let Err(e) = walk(path, options, &mut files) {
                    loaded.errors.push(e);
                }
            }
            Ok(_) => files.push(Input::File(path.clone())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                loaded.errors.push(Error::NotFound { path: path.clone() })
            }
            Err(source) => loaded.errors.push(Error::Io {
                path: path.clone(),
                source,
            }),
        }
    }

    let read: Vec<Result<(Document, Option<Warning>)>> =
        files.par_iter().map(|input| input.read()).collect();

    let mut seen: HashMap<String, String> = HashMap::new();
    for result in read {
        match result {
            Ok((doc, warning)) => {
                if let Some(first) = seen.get(&doc.id) {
                    loaded.errors.push(Error::DuplicateId {
                        id: doc.id.clone(),
                        path: doc.origin.clone(),
                        first: first.clone(),
                    });
                    continue;
                }
                seen.insert(doc.id.clone(), doc.origin.clone());
                loaded.warnings.extend(warning);
                loaded.documents.push(doc);
            }
            Err(e) => loaded.errors.push(e),
        }
    }
    loaded
}

enum Input {
    File(PathBuf),
    Stdin,
}

impl Input {
    fn read(&self) -> Result<(Document, Option<Warning>)> {
        match self {
            Input::File(path) => {
                let bytes = std::fs::read(path).map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                })?;
                let origin = path.display().to_string();
                let (text, warning) = decode(bytes, path, &origin)?;
                let id = path
                    .file_stem()
                    .unwrap_or_else(|| path.as_os_str())
                    .to_string_lossy()
                    .into_owned();
                Ok((Document::from_text(id, origin, text), warning))
            }
            Input::Stdin => {
                let mut bytes = Vec::new();
                let path = PathBuf::from("<stdin>");
                std::io::stdin()
                    .lock()
                    .read_to_end(&mut bytes)
                    .map_err(|source| Error::Io {
                        path: path.clone(),
                        source,
                    })?;
                let (text, warning) = decode(bytes, &path, "<stdin>")?;
                Ok((Document::from_text("stdin", "<stdin>", text), warning))
            }
        }
    }
}

/// Decodes a file's bytes: UTF-8 (a byte-order mark is dropped), or, when
/// that fails, Windows-1252 with a warning naming the first invalid byte.
/// Files holding a NUL byte are refused as binary.
pub fn decode(mut bytes: Vec<u8>, path: &Path, origin: &str) -> Result<(String, Option<Warning>)> {
    if let Some(offset) = memchr_nul(&bytes) {
        return Err(Error::Binary {
            path: path.to_path_buf(),
            offset,
        });
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, None)),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let text = decode_windows_1252(e.as_bytes());
            let warning = Warning {
                origin: origin.to_string(),
                message: format!(
                    "not valid UTF-8 (first invalid byte at offset {offset}); read as Windows-1252"
                ),
            };
            Ok((text, Some(warning)))
        }
    }
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

/// Windows-1252 to UTF-8. Bytes 0x80–0x9F map to the typographic characters
/// the code page defines there; the five it leaves undefined map to the C1
/// control with the same value, as browsers do.
fn decode_windows_1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

fn walk(dir: &Path, options: &LoadOptions, out: &mut Vec<Input>) -> Result<()> {
    let io_err = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io_err)?
        .filter_map(|entry| entry.ok())
        .collect();
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            // Errors in a subdirectory are not fatal for its siblings.
            let _ = walk(&path, options, out);
        } else if (file_type.is_file() || (file_type.is_symlink() && path.is_file()))
            && has_extension(&path, &options.extensions)
        {
            out.push(Input::File(path));
        }
    }
    Ok(())
}

fn has_extension(path: &Path, extensions: &[String]) -> bool {
    path.extension()
        .and_then(OsStr::to_str)
        .is_some_and(|ext| extensions.iter().any(|e| e.eq_ignore_ascii_case(ext)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_marker_becomes_metadata() {
        let doc = Document::from_text("x", "x", " date 2026-03-04 Iraqi Kurds\n\nBody".into());
        assert_eq!(doc.date.as_ref().unwrap().as_str(), "2026-03-04");
        assert_eq!(doc.body(), "Iraqi Kurds\n\nBody");
    }

    #[test]
    fn text_without_marker_keeps_everything() {
        let doc = Document::from_text("x", "x", "dated material\n".into());
        assert!(doc.date.is_none());
        assert_eq!(doc.body_start, 0);
        let doc = Document::from_text("x", "x", "date tomorrow maybe".into());
        assert!(doc.date.is_none());
    }

    #[test]
    fn marker_accepts_timestamps() {
        let doc = Document::from_text("x", "x", "date 2026-03-04T10:00:00Z\nText".into());
        assert!(doc.date.is_some());
        assert_eq!(doc.body(), "Text");
    }

    #[test]
    fn invalid_utf8_falls_back_to_windows_1252() {
        let (text, warning) = decode(b"caf\xe9 \x93hi\x94".to_vec(), Path::new("x"), "x").unwrap();
        assert_eq!(text, "café “hi”");
        assert!(warning.unwrap().message.contains("offset 3"));
    }

    #[test]
    fn nul_bytes_mean_binary() {
        let err = decode(b"ab\0c".to_vec(), Path::new("x.bin"), "x.bin").unwrap_err();
        assert!(err.to_string().contains("binary"), "{err}");
    }

    #[test]
    fn bom_is_dropped() {
        let (text, _) = decode(b"\xEF\xBB\xBFhi".to_vec(), Path::new("x"), "x").unwrap();
        assert_eq!(text, "hi");
    }
}

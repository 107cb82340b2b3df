//! Stage 1, load: documents from text files, directories, JSON Lines feeds
//! and standard input.
//!
//! A [`Document`] keeps the whole decoded text of its input, so later stages
//! can point into it with byte spans. A leading `date YYYY-MM-DD` marker (as
//! news exports write it) becomes the document's [`Date`] and the body starts
//! after it.
//!
//! **Feeds.** Files ending `.jsonl` or `.ndjson` (optionally `.gz`) hold one
//! article per line: `{"id","text","date","source","title","url"}`, field
//! names configurable with [`FeedFields`]. Other fields are ignored here and
//! left untouched in the file, so `reprint dedup` can copy kept records
//! byte for byte (each document remembers its [`RecordRef`]). A feed line
//! without an id gets `<file stem>:<line>`.
//!
//! **Streaming.** [`read_inputs`] hands documents to a callback in batches,
//! in input order, so a caller can fingerprint a feed of millions of lines
//! and drop each batch's text before the next is read.
//!
//! **Bad input never stops the run.** Each unusable input, or feed line,
//! becomes one [`Error`] naming the file (and line), and reading goes on:
//! a missing or unreadable path, a binary file, a line that is
//! not JSON, a missing or non-string text field, a duplicate id (the first
//! document keeps it), a truncated `.gz` (the lines before the damage are
//! kept). Invalid UTF-8 is not an error: the input (or feed line) is read as
//! Windows-1252, the usual culprit, with a [`Warning`] naming the byte
//! offset.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::Value;

use crate::date::Date;
use crate::error::{Error, Result};

mod decode;
mod feed;
mod kept;

use decode::*;
pub use decode::{decode, decode_lenient};
pub use feed::MAX_LINE_BYTES;
use feed::*;
pub use kept::{DEFAULT_TEXT_MEMORY, KeptText, TextKeeper};

/// Where a feed document's record is: input number (in the order
/// [`resolve_inputs`] returns them) and 1-based line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordRef {
    /// Index of the input.
    pub input: u32,
    /// 1-based line number in that input.
    pub line: u64,
}

/// One article.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Unique id within a corpus: the file stem for text files, `stdin` for
    /// `-`, the id field for feed records.
    pub id: String,
    /// Where the document came from, for messages and reports: the path as
    /// given, `<stdin>`, or `path:line` for feed records.
    pub origin: String,
    /// Publication date, when known.
    pub date: Option<Date>,
    /// Publishing outlet, when known (feeds).
    pub source: Option<String>,
    /// Headline, when known (feeds).
    pub title: Option<String>,
    /// Address, when known (feeds).
    pub url: Option<String>,
    /// The complete decoded text, date marker included.
    pub text: String,
    /// Byte offset in [`Document::text`] where the body starts (after the
    /// date marker, if any). Paragraphs are taken from `text[body_start..]`.
    pub body_start: usize,
    /// The feed record this document was read from.
    pub record: Option<RecordRef>,
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
            ..Document::default()
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

/// How an input is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// By file name: `.jsonl`, `.ndjson` (and `.gz` of either) are feeds,
    /// anything else is text. Standard input is a feed when its first
    /// non-blank character is `{`.
    #[default]
    Auto,
    /// Every input is one plain-text document.
    Text,
    /// Every input is a JSON Lines feed.
    Jsonl,
}

/// Names of the feed fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedFields {
    /// Field holding the document id (`id`).
    pub id: String,
    /// Field holding the article text (`text`); required.
    pub text: String,
    /// Field holding the publication date (`date`).
    pub date: String,
    /// Field holding the outlet (`source`).
    pub source: String,
    /// Field holding the headline (`title`).
    pub title: String,
    /// Field holding the address (`url`).
    pub url: String,
}

impl Default for FeedFields {
    fn default() -> Self {
        FeedFields {
            id: "id".into(),
            text: "text".into(),
            date: "date".into(),
            source: "source".into(),
            title: "title".into(),
            url: "url".into(),
        }
    }
}

/// How inputs are found and read.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// File name extensions (without the dot, compared case-insensitively)
    /// read when walking a directory. Files named directly are always read.
    /// Feed extensions are always walked; `*` walks every file.
    pub extensions: Vec<String>,
    /// Text, feed, or by name.
    pub format: InputFormat,
    /// Feed field names.
    pub fields: FeedFields,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            extensions: vec!["txt".into(), "md".into()],
            format: InputFormat::Auto,
            fields: FeedFields::default(),
        }
    }
}

/// A non-fatal remark about an input, e.g. that it was not valid UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The input (and line) it concerns.
    pub origin: String,
    /// What happened.
    pub message: String,
}

/// One thing the loader produced, in input order.
#[derive(Debug)]
pub enum Item {
    /// A document.
    Document(Document),
    /// An input or feed line that could not be used.
    Error(Error),
    /// A caveat about an input.
    Warning(Warning),
    /// Bytes of input consumed since the last such item (decompressed bytes
    /// for gzip), for progress reports.
    Read(u64),
}

/// An input to read: a file or standard input, as text or as a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The path; `-` for standard input.
    pub path: PathBuf,
    /// Whether it is read as a JSON Lines feed.
    pub feed: bool,
    /// Whether it is gzip-compressed.
    pub gzip: bool,
    /// The name to use in messages instead of the path (e.g. `<stdin>` for
    /// standard input saved to a file).
    pub label: Option<String>,
}

impl Input {
    /// Whether this input is standard input.
    pub fn is_stdin(&self) -> bool {
        self.path.as_os_str() == "-"
    }

    /// The input's name in messages.
    pub fn origin(&self) -> String {
        if let Some(label) = &self.label {
            label.clone()
        } else if self.is_stdin() {
            "<stdin>".into()
        } else {
            self.path.display().to_string()
        }
    }

    /// Opens the input for reading: gzip is recognised by its magic bytes
    /// (files and standard input alike) and decompressed, and a UTF-8
    /// byte-order mark at the start is skipped.
    pub fn open(&self) -> Result<Box<dyn BufRead + Send>> {
        Ok(self.open_detect()?.0)
    }

    /// [`Input::open`], also saying whether the input is gzip.
    pub fn open_detect(&self) -> Result<(Box<dyn BufRead + Send>, bool)> {
        let raw: Box<dyn Read + Send> = if self.is_stdin() {
            Box::new(std::io::stdin())
        } else {
            Box::new(File::open(&self.path).map_err(|source| Error::Io {
                path: self.path.clone(),
                source,
            })?)
        };
        let mut plain = BufReader::with_capacity(1 << 16, raw);
        let head = plain.fill_buf().map_err(|source| Error::Io {
            path: self.path.clone(),
            source,
        })?;
        let gzip = head.starts_with(&[0x1f, 0x8b]);
        let mut reader: Box<dyn BufRead + Send> = if gzip {
            Box::new(BufReader::with_capacity(
                1 << 16,
                flate2::read::MultiGzDecoder::new(plain),
            ))
        } else {
            Box::new(plain)
        };
        // A byte-order mark would otherwise glue itself to the first
        // record (and hide a feed on standard input).
        if reader
            .fill_buf()
            .is_ok_and(|b| b.starts_with(&[0xEF, 0xBB, 0xBF]))
        {
            reader.consume(3);
        }
        Ok((reader, gzip))
    }
}

/// Whether a file name marks a feed (`.jsonl`, `.ndjson`, optionally
/// `.gz`), and whether it is compressed.
pub fn feed_kind(path: &Path) -> (bool, bool) {
    let name = path
        .file_name()
        .and_then(OsStr::to_str)
        .unwrap_or("")
        .to_ascii_lowercase();
    let gzip = name.ends_with(".gz");
    let stem = name.strip_suffix(".gz").unwrap_or(&name);
    (stem.ends_with(".jsonl") || stem.ends_with(".ndjson"), gzip)
}

/// Resolves paths to the inputs to read, walking directories in sorted
/// order. Paths that do not exist or cannot be listed become errors.
pub fn resolve_inputs(paths: &[PathBuf], options: &LoadOptions) -> (Vec<Input>, Vec<Error>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let make = |path: PathBuf| {
        let (feed, gzip) = feed_kind(&path);
        let feed = match options.format {
            InputFormat::Auto => feed,
            InputFormat::Text => false,
            InputFormat::Jsonl => true,
        };
        Input {
            path,
            feed,
            gzip,
            label: None,
        }
    };
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input {
                path: path.clone(),
                feed: options.format == InputFormat::Jsonl,
                gzip: false,
                label: None,
            });
            continue;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let mut files = Vec::new();
                if let Err(e) = walk(path, options, &mut files, &mut errors) {
                    errors.push(e);
                }
                inputs.extend(files.into_iter().map(make));
            }
            Ok(_) => inputs.push(make(path.clone())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                errors.push(Error::NotFound { path: path.clone() })
            }
            Err(source) => errors.push(Error::Io {
                path: path.clone(),
                source,
            }),
        }
    }
    (inputs, errors)
}

fn walk(
    dir: &Path,
    options: &LoadOptions,
    out: &mut Vec<PathBuf>,
    errors: &mut Vec<Error>,
) -> Result<()> {
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
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            if let Err(e) = walk(&path, options, out, errors) {
                errors.push(e);
            }
        } else if (file_type.is_file() || (file_type.is_symlink() && path.is_file()))
            && (has_extension(&path, &options.extensions) || feed_kind(&path).0)
        {
            out.push(path);
        }
    }
    Ok(())
}

fn has_extension(path: &Path, extensions: &[String]) -> bool {
    if extensions.iter().any(|e| e == "*") {
        return true;
    }
    path.extension()
        .and_then(OsStr::to_str)
        .is_some_and(|ext| extensions.iter().any(|e| e.eq_ignore_ascii_case(ext)))
}

/// Turns a repeated document id into an error naming where it was first
/// seen.
#[derive(Default)]
struct IdCheck {
    seen: HashSet<String>,
    first_origin: ahash::AHashMap<String, String>,
}

impl IdCheck {
    fn check(&mut self, item: Item) -> Item {
        let Item::Document(doc) = item else {
            return item;
        };
        if self.seen.insert(doc.id.clone()) {
            // Keep origins only while a later duplicate needs naming.
            if self.first_origin.len() < 1_000_000 {
                self.first_origin.insert(doc.id.clone(), doc.origin.clone());
            }
            Item::Document(doc)
        } else {
            Item::Error(Error::DuplicateId {
                first: self
                    .first_origin
                    .get(&doc.id)
                    .cloned()
                    .unwrap_or_else(|| "an earlier input".into()),
                id: doc.id,
                path: doc.origin,
            })
        }
    }
}

/// Documents from records already parsed, one JSON value each, as the
/// lines of a feed named `name` would give them: the same fields, default
/// ids (`name:N`), dates, warnings, errors (naming `name:N`, N from 1) and
/// duplicate-id check. For callers holding records in memory (the Python
/// package) rather than in a file.
///
/// ```
/// use reprint::corpus::{FeedFields, Item, read_records};
/// let records = vec![
///     serde_json::json!({"id": "a", "text": "Some text.", "date": "2026-03-04"}),
///     serde_json::json!({"id": "a", "text": "Again."}),
///     serde_json::json!({"title": "no text"}),
/// ];
/// let items = read_records("docs", records, &FeedFields::default());
/// assert!(matches!(&items[0], Item::Document(d) if d.id == "a" && d.date.is_some()));
/// assert!(items[1..].iter().all(|i| matches!(i, Item::Error(_))));
/// ```
pub fn read_records(name: &str, records: Vec<Value>, fields: &FeedFields) -> Vec<Item> {
    let mut ids = IdCheck::default();
    records
        .into_par_iter()
        .enumerate()
        .map(|(i, value)| parse_value(0, name, name, fields, i as u64 + 1, value))
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .map(|item| ids.check(item))
        .collect()
}

/// Documents per batch handed to the callback of [`read_inputs`].
pub const BATCH: usize = 2048;
/// Bytes of feed lines gathered before a batch is parsed.
const BATCH_BYTES: usize = 32 << 20;

/// Reads every input in order and hands the results to `f` in batches
/// (documents, errors and warnings interleaved in input order). Ids are
/// checked for duplicates across all inputs; a repeated id is an error and
/// the document is dropped.
pub fn read_inputs(inputs: &[Input], options: &LoadOptions, mut f: impl FnMut(Vec<Item>)) {
    let mut ids = IdCheck::default();
    let mut emit = |items: Vec<Item>| {
        let checked = items.into_iter().map(|item| ids.check(item)).collect();
        f(checked);
    };

    let mut pending_text: Vec<(usize, &Input)> = Vec::new();
    for (index, input) in inputs.iter().enumerate() {
        if input.is_stdin() {
            // Standard input can be read once only: decide its format by
            // its first non-blank byte when not told.
            flush_text(&mut pending_text, &mut emit);
            let (mut reader, gzip) = match input.open_detect() {
                Ok(r) => r,
                Err(e) => {
                    emit(vec![Item::Error(e)]);
                    continue;
                }
            };
            let feed = match options.format {
                InputFormat::Jsonl => true,
                InputFormat::Text => false,
                InputFormat::Auto => first_non_blank(&mut reader) == Some(b'{'),
            };
            if feed {
                read_feed_from(
                    index as u32,
                    input,
                    reader,
                    gzip,
                    &options.fields,
                    &mut emit,
                );
            } else {
                emit(text_items(read_text_from(input, reader)));
            }
        } else if input.feed {
            flush_text(&mut pending_text, &mut emit);
            read_feed(index as u32, input, &options.fields, &mut emit);
        } else {
            pending_text.push((index, input));
            if pending_text.len() >= BATCH {
                flush_text(&mut pending_text, &mut emit);
            }
        }
    }
    flush_text(&mut pending_text, &mut emit);
}

/// The documents of input number `index` at the given 1-based `lines` of a
/// feed (sorted), or the whole input as one document when it is read as
/// text (`lines` ignored), read and parsed as [`read_inputs`] reads them:
/// a feed's other lines are skipped unparsed. What a machine reads of an
/// archive to align its share of a sketch's pairs ([`crate::sketch`]).
pub fn read_records_at(index: u32, input: &Input, lines: &[u64], fields: &FeedFields) -> Vec<Item> {
    if input.feed {
        feed::read_feed_lines(index, input, lines, fields)
    } else {
        text_items(read_text(input))
    }
}

/// The items of a text input read as one document.
fn text_items(read: Result<(Document, Option<Warning>)>) -> Vec<Item> {
    match read {
        Ok((doc, warning)) => warning
            .map(Item::Warning)
            .into_iter()
            .chain(std::iter::once(Item::Document(doc)))
            .collect(),
        Err(e) => vec![Item::Error(e)],
    }
}

fn flush_text(pending: &mut Vec<(usize, &Input)>, emit: &mut impl FnMut(Vec<Item>)) {
    if pending.is_empty() {
        return;
    }
    let items: Vec<Item> = pending
        .par_iter()
        .flat_map_iter(|(_, input)| match read_text(input) {
            Ok((doc, warning)) => warning
                .map(Item::Warning)
                .into_iter()
                .chain([Item::Read(doc.text.len() as u64), Item::Document(doc)])
                .collect::<Vec<_>>(),
            Err(e) => vec![Item::Error(e)],
        })
        .collect();
    pending.clear();
    emit(items);
}

/// Peeks at the first byte that is not white space, without consuming it.
fn first_non_blank(reader: &mut Box<dyn BufRead + Send>) -> Option<u8> {
    loop {
        let buf = reader.fill_buf().ok()?;
        if buf.is_empty() {
            return None;
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => return Some(buf[i]),
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    }
}

fn read_text(input: &Input) -> Result<(Document, Option<Warning>)> {
    read_text_from(input, input.open()?)
}

fn read_text_from(
    input: &Input,
    mut reader: Box<dyn BufRead + Send>,
) -> Result<(Document, Option<Warning>)> {
    let io = |source| Error::Io {
        path: input.path.clone(),
        source,
    };
    let origin = input.origin();
    // Look at the first 8 KiB before reading the rest: a binary file (a
    // disk image, a video) is refused without being read whole.
    let mut bytes = Vec::new();
    reader
        .by_ref()
        .take(8192)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if !bytes.starts_with(&[0xFF, 0xFE])
        && !bytes.starts_with(&[0xFE, 0xFF])
        && looks_binary(&bytes)
    {
        let offset = bytes.iter().position(|&b| b == 0).unwrap_or(0);
        return Err(Error::Binary {
            path: input.path.clone(),
            offset,
        });
    }
    // At most one byte past the limit, so an endless input stops there.
    reader
        .take(u64::from(u32::MAX) + 1 - bytes.len() as u64)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() > u32::MAX as usize {
        return Err(Error::TooLarge {
            path: origin,
            size: bytes.len(),
        });
    }
    let (mut text, warning) = decode(bytes, &input.path, &origin)?;
    if crate::html::is_html_path(&input.path) {
        text = crate::html::extract_text(&text);
    }
    let id = if input.is_stdin() {
        "stdin".to_string()
    } else {
        let name = input.path.file_name().unwrap_or(input.path.as_os_str());
        let name = name.to_string_lossy();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        Path::new(name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| name.to_string())
    };
    Ok((Document::from_text(id, origin, text), warning))
}

/// Everything [`load_paths`] produced.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The inputs, in the order their documents were read.
    pub inputs: Vec<Input>,
    /// Documents in input order (directories in sorted path order).
    pub documents: Vec<Document>,
    /// Inputs or lines that could not be read; the rest loaded regardless.
    pub errors: Vec<Error>,
    /// Inputs read with a caveat.
    pub warnings: Vec<Warning>,
}

/// Loads every document of `paths` into memory. For large feeds, prefer
/// [`read_inputs`], which streams.
pub fn load_paths(paths: &[PathBuf], options: &LoadOptions) -> Loaded {
    let (inputs, errors) = resolve_inputs(paths, options);
    let mut loaded = Loaded {
        errors,
        ..Loaded::default()
    };
    read_inputs(&inputs, options, |items| {
        for item in items {
            match item {
                Item::Document(d) => loaded.documents.push(d),
                Item::Error(e) => loaded.errors.push(e),
                Item::Warning(w) => loaded.warnings.push(w),
                Item::Read(_) => {}
            }
        }
    });
    loaded.inputs = inputs;
    loaded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_read_at_their_lines_in_batches() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feed.jsonl");
        // Blank lines count as lines, as when the feed was first read.
        let mut feed = String::from("\n");
        for i in 2..=5000 {
            feed.push_str(&format!(
                "{{\"id\": \"d{i}\", \"text\": \"words of {i}\"}}\n"
            ));
        }
        std::fs::write(&path, feed).unwrap();
        let input = Input {
            path: path.clone(),
            feed: true,
            gzip: false,
            label: None,
        };
        let fields = FeedFields::default();
        // More lines than a parsing batch, the first and the last among them.
        let lines: Vec<u64> = (2..=5000).step_by(2).collect();
        let docs: Vec<Document> = read_records_at(3, &input, &lines, &fields)
            .into_iter()
            .filter_map(|item| match item {
                Item::Document(d) => Some(d),
                _ => None,
            })
            .collect();
        assert_eq!(docs.len(), lines.len());
        for (d, &line) in docs.iter().zip(&lines) {
            assert_eq!(d.id, format!("d{line}"));
            assert_eq!(d.record, Some(RecordRef { input: 3, line }));
        }
        // A line past the end is an error naming it, after the records
        // before it.
        let items = read_records_at(0, &input, &[4999, 6000], &fields);
        assert!(matches!(&items[0], Item::Document(d) if d.id == "d4999"));
        assert!(matches!(
            &items[1],
            Item::Error(Error::FeedLine { line: 6000, .. })
        ));
    }

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
    fn nul_bytes_among_control_characters_mean_binary() {
        let err = decode(b"ab\0\x01\x02c".to_vec(), Path::new("x.bin"), "x.bin").unwrap_err();
        assert!(err.to_string().contains("binary"), "{err}");
    }

    #[test]
    fn a_stray_nul_in_text_is_kept() {
        let text = b"A long line of ordinary text with one stray\0 byte in the middle of it.";
        let (decoded, _) = decode(text.to_vec(), Path::new("x"), "x").unwrap();
        assert!(decoded.contains('\0'));
    }

    #[test]
    fn bom_is_dropped() {
        let (text, _) = decode(b"\xEF\xBB\xBFhi".to_vec(), Path::new("x"), "x").unwrap();
        assert_eq!(text, "hi");
    }

    #[test]
    fn feed_names_are_recognised() {
        assert_eq!(feed_kind(Path::new("a/feed.jsonl")), (true, false));
        assert_eq!(feed_kind(Path::new("feed.NDJSON.gz")), (true, true));
        assert_eq!(feed_kind(Path::new("notes.txt")), (false, false));
        assert_eq!(feed_kind(Path::new("archive.txt.gz")), (false, true));
    }

    fn parse(line: &str) -> Vec<Item> {
        parse_line(
            0,
            "f.jsonl",
            "f",
            &FeedFields::default(),
            7,
            line.as_bytes().to_vec(),
        )
    }

    #[test]
    fn a_feed_line_becomes_a_document_with_metadata() {
        let items = parse(
            r#"{"id":"a1","text":"Body text.","date":"2026-03-04T10:00:00Z","source":"AP","title":"T","url":"u","extra":1}"#,
        );
        let [Item::Document(d)] = items.as_slice() else {
            panic!("{items:?}")
        };
        assert_eq!(d.id, "a1");
        assert_eq!(d.text, "Body text.");
        assert_eq!(d.source.as_deref(), Some("AP"));
        assert_eq!(d.origin, "f.jsonl:7");
        assert_eq!(d.record, Some(RecordRef { input: 0, line: 7 }));
        assert!(d.date.is_some());
    }

    #[test]
    fn bad_feed_lines_are_errors_naming_the_line() {
        for (line, needle) in [
            ("{not json", "not a JSON object"),
            ("[1,2]", "an array where a JSON object was expected"),
            (r#"{"id":"x"}"#, "no \"text\" field"),
            (r#"{"text":42}"#, "is a number, not a string"),
        ] {
            let items = parse(line);
            let [Item::Error(e)] = items.as_slice() else {
                panic!("{line}: {items:?}")
            };
            let msg = e.to_string();
            assert!(msg.starts_with("f.jsonl:7: "), "{msg}");
            assert!(msg.contains(needle), "{msg}");
        }
    }

    #[test]
    fn missing_ids_default_to_stem_and_line_and_bad_dates_warn() {
        let items = parse(r#"{"text":"x","date":"last week"}"#);
        assert!(matches!(&items[0], Item::Warning(w) if w.message.contains("last week")));
        let Item::Document(d) = &items[1] else {
            panic!()
        };
        assert_eq!(d.id, "f:7");
        assert!(d.date.is_none());
    }

    #[test]
    fn blank_feed_lines_are_skipped() {
        assert!(parse("  \r\n").is_empty());
    }
}

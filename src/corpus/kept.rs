//! Texts kept for the aligner and the reports: in memory while they fit a
//! budget, beyond it written to a temporary file and read back by offset
//! when a stage needs them.
//!
//! The aligner needs every candidate pair's texts, long after reading, and
//! reports quote them; holding every text of a feed of millions of
//! articles costs as much memory as the feed's size. A [`TextKeeper`] holds
//! texts in memory up to its budget and appends the rest to one unnamed
//! temporary file (in the system's temporary directory: `TMPDIR` on Unix),
//! which the operating system removes when the last [`KeptText`] pointing
//! into it is dropped. Reading a text back is one positioned read; the
//! stages that need texts read those of one batch at a time.

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};

/// Texts kept in memory by default before the rest are written to a
/// temporary file: 32 MiB, about 10,000 news articles, so small corpora
/// never touch the disk. Reading texts back costs little: the enwiki feed
/// (55 MB) scans in the same time with every text read back (4.50 s, 234
/// MB peak) as with every text held (4.74 s, 305 MB).
pub const DEFAULT_TEXT_MEMORY: usize = 32 << 20;

/// One document's text, in memory or in a [`TextKeeper`]'s temporary file.
#[derive(Clone)]
pub struct KeptText(Repr);

#[derive(Clone)]
enum Repr {
    Memory(String),
    Spilled {
        spill: Arc<Spill>,
        offset: u64,
        len: usize,
    },
}

impl KeptText {
    /// The text, borrowed when it is in memory, read back otherwise.
    pub fn read(&self) -> Result<Cow<'_, str>> {
        match &self.0 {
            Repr::Memory(s) => Ok(Cow::Borrowed(s)),
            Repr::Spilled { spill, offset, len } => spill.read(*offset, *len).map(Cow::Owned),
        }
    }

    /// `text` read, when one was kept.
    pub fn read_kept(text: Option<&KeptText>) -> Result<Option<Cow<'_, str>>> {
        text.map(KeptText::read).transpose()
    }

    /// `text` read, or the empty string when none was kept.
    pub fn read_or_empty(text: Option<&KeptText>) -> Result<Cow<'_, str>> {
        Ok(KeptText::read_kept(text)?.unwrap_or_default())
    }

    /// The text's length in bytes.
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Memory(s) => s.len(),
            Repr::Spilled { len, .. } => *len,
        }
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the text was written to the temporary file.
    pub fn is_spilled(&self) -> bool {
        matches!(self.0, Repr::Spilled { .. })
    }
}

impl From<String> for KeptText {
    fn from(text: String) -> KeptText {
        KeptText(Repr::Memory(text))
    }
}

impl fmt::Debug for KeptText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Memory(s) => f.debug_tuple("KeptText").field(s).finish(),
            Repr::Spilled { offset, len, .. } => f
                .debug_struct("KeptText")
                .field("offset", offset)
                .field("len", len)
                .finish(),
        }
    }
}

/// Equal when the texts are equal (a text read back that cannot be read
/// is equal to nothing).
impl PartialEq for KeptText {
    fn eq(&self, other: &KeptText) -> bool {
        match (self.read(), other.read()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

/// Keeps texts: in memory up to a budget of bytes, the rest in a temporary
/// file created when the budget is first exceeded.
#[derive(Debug)]
pub struct TextKeeper {
    budget: usize,
    held: usize,
    spill: Option<Arc<Spill>>,
}

impl TextKeeper {
    /// A keeper holding up to `budget` bytes of text in memory
    /// ([`DEFAULT_TEXT_MEMORY`] is the commands' default; 0 writes every
    /// text to the file).
    pub fn new(budget: usize) -> TextKeeper {
        TextKeeper {
            budget,
            held: 0,
            spill: None,
        }
    }

    /// Keeps `text`: in memory while the budget allows, else appended to
    /// the temporary file.
    pub fn keep(&mut self, text: String) -> Result<KeptText> {
        if self.held + text.len() <= self.budget {
            self.held += text.len();
            return Ok(KeptText::from(text));
        }
        let spill = match &self.spill {
            Some(s) => s,
            None => self.spill.insert(Arc::new(Spill::create()?)),
        };
        let offset = spill.append(text.as_bytes())?;
        Ok(KeptText(Repr::Spilled {
            spill: Arc::clone(spill),
            offset,
            len: text.len(),
        }))
    }

    /// Bytes of text held in memory.
    pub fn held(&self) -> usize {
        self.held
    }

    /// Bytes of text written to the temporary file.
    pub fn spilled(&self) -> u64 {
        self.spill
            .as_ref()
            .map_or(0, |s| s.end.load(Ordering::Acquire))
    }
}

/// The temporary file: appended through a buffer, read at offsets. Reads
/// past what the buffer has handed to the file flush it first.
struct Spill {
    file: File,
    writer: Mutex<BufWriter<File>>,
    /// Bytes appended (buffered or not).
    end: AtomicU64,
    /// Bytes handed to the file.
    flushed: AtomicU64,
}

impl fmt::Debug for Spill {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Spill")
            .field("end", &self.end.load(Ordering::Relaxed))
            .finish()
    }
}

fn spill_error(cause: std::io::Error) -> Error {
    Error::TempFile {
        dir: std::env::temp_dir(),
        cause,
    }
}

impl Spill {
    fn create() -> Result<Spill> {
        let file = tempfile::tempfile().map_err(spill_error)?;
        let writer = file.try_clone().map_err(spill_error)?;
        Ok(Spill {
            file,
            writer: Mutex::new(BufWriter::with_capacity(1 << 20, writer)),
            end: AtomicU64::new(0),
            flushed: AtomicU64::new(0),
        })
    }

    /// Appends `bytes`; returns their offset.
    fn append(&self, bytes: &[u8]) -> Result<u64> {
        let mut w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let offset = self.end.load(Ordering::Acquire);
        w.write_all(bytes).map_err(spill_error)?;
        // What the buffer could not hold went to the file.
        let pending = w.buffer().len() as u64;
        self.end
            .store(offset + bytes.len() as u64, Ordering::Release);
        self.flushed
            .store(offset + bytes.len() as u64 - pending, Ordering::Release);
        Ok(offset)
    }

    fn read(&self, offset: u64, len: usize) -> Result<String> {
        if offset + len as u64 > self.flushed.load(Ordering::Acquire) {
            let mut w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
            w.flush().map_err(spill_error)?;
            self.flushed
                .store(self.end.load(Ordering::Acquire), Ordering::Release);
        }
        let mut buf = vec![0u8; len];
        read_exact_at(&self.file, &mut buf, offset).map_err(spill_error)?;
        String::from_utf8(buf).map_err(|e| {
            spill_error(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("a text read back is not the text written ({e})"),
            ))
        })
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset) {
            Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_over_the_budget_are_read_back_as_written() {
        let mut keeper = TextKeeper::new(10);
        let texts = [
            "short",
            "ünïcödé text that goes to the file",
            "",
            "x",
            "more text for the file",
        ];
        let kept: Vec<KeptText> = texts
            .iter()
            .map(|t| keeper.keep(t.to_string()).unwrap())
            .collect();
        assert!(!kept[0].is_spilled());
        assert!(kept[1].is_spilled());
        // Within the budget again after a spilled text: still in memory.
        assert!(!kept[2].is_spilled() && !kept[3].is_spilled());
        assert_eq!(keeper.held(), "short".len() + 1);
        assert_eq!(keeper.spilled(), (texts[1].len() + texts[4].len()) as u64);
        for (k, t) in kept.iter().zip(texts) {
            assert_eq!(k.read().unwrap(), t);
            assert_eq!(k.len(), t.len());
        }
        // Appending after reading (the buffer was flushed) still works.
        let late = keeper.keep("written after a read".into()).unwrap();
        assert_eq!(late.read().unwrap(), "written after a read");
        assert_eq!(kept[1], KeptText::from(texts[1].to_string()));
    }

    #[test]
    fn many_spilled_texts_read_back_in_parallel() {
        use rayon::prelude::*;
        let mut keeper = TextKeeper::new(0);
        let texts: Vec<String> = (0..5_000)
            .map(|i| format!("text {i} ").repeat(i % 300))
            .collect();
        let kept: Vec<KeptText> = texts
            .iter()
            .map(|t| keeper.keep(t.clone()).unwrap())
            .collect();
        assert!(kept.iter().all(|k| k.is_spilled() || k.is_empty()));
        kept.par_iter().zip(&texts).for_each(|(k, t)| {
            assert_eq!(k.read().unwrap(), t.as_str());
        });
    }
}

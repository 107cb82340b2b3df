//! Shingle sets kept for the corpus-wide stages: in memory while they fit
//! a budget, beyond it written to a temporary file and read through a
//! memory map.
//!
//! A scan holds every paragraph's shingle set from reading until the
//! paragraph families are found: four bytes a shingle, 1.7 GB for a
//! million news articles. Sets beyond the budget are appended to one
//! unnamed temporary file, a batch of documents at a time, and each batch
//! is mapped. The mapped pages are the file's, in the page cache: the
//! stages that read the sets in order (grouping, signatures) or at random
//! (verification) hand them back as they go ([`release_sets`]), so that
//! what stays resident is what a stage is reading, not the whole file,
//! and the system can reclaim them under pressure instead of running out
//! of memory.

use std::fs::File;
use std::io::Write;
use std::sync::Arc;

use memmap2::Mmap;

use super::{ShingleSet, ShingledDocument};
use crate::error::{Error, Result};

/// Shingle sets held in memory by default before the rest go to a
/// temporary file: 64 MiB, the sets of about 35,000 news articles (the
/// enwiki feed's take 46 MB), so that small corpora never touch the disk.
/// Reading sets through the map costs little: 100,000 generated articles
/// scan in 17.2 s with every set mapped, 17.0 s with them all in memory.
pub const DEFAULT_SET_MEMORY: usize = 64 << 20;

/// The keys of a batch of documents' shingle sets, which [`ShingleSet`]s
/// are slices of: in memory, or mapped from the temporary file.
#[derive(Debug)]
pub(super) enum SetTable {
    /// Keys in memory.
    Memory(Box<[u32]>),
    /// Keys in the temporary file, mapped; the map starts at a key.
    Mapped(Mmap),
}

impl SetTable {
    /// All the table's keys.
    #[inline]
    pub(super) fn keys(&self) -> &[u32] {
        match self {
            SetTable::Memory(keys) => keys,
            SetTable::Mapped(map) => {
                // SAFETY: the map covers whole keys written as native
                // `u32`s at an offset that is a multiple of four from a
                // page-aligned start (checked when it was made), and the
                // file is never written again once mapped.
                unsafe { std::slice::from_raw_parts(map.as_ptr().cast::<u32>(), map.len() / 4) }
            }
        }
    }
}

/// Keeps the shingle sets of a corpus read batch by batch: in memory up to
/// a budget of bytes, the rest in a temporary file created when the budget
/// is first exceeded.
#[derive(Debug)]
pub struct SetKeeper {
    budget: usize,
    held: usize,
    file: Option<File>,
    end: u64,
}

fn set_error(cause: std::io::Error) -> Error {
    Error::Spill {
        what: "shingle sets",
        hint: ", or raise --set-memory",
        dir: std::env::temp_dir(),
        cause,
    }
}

impl SetKeeper {
    /// A keeper holding up to `budget` bytes of keys in memory
    /// ([`DEFAULT_SET_MEMORY`] is the commands' default; 0 writes every
    /// set to the file).
    pub fn new(budget: usize) -> SetKeeper {
        SetKeeper {
            budget,
            held: 0,
            file: None,
            end: 0,
        }
    }

    /// Keeps the sets of `docs`, a batch: left in memory while the budget
    /// allows, else written to the temporary file and read from there.
    /// The sets read the same either way.
    pub fn keep(&mut self, docs: &mut [ShingledDocument]) -> Result<()> {
        let keys: usize = docs
            .iter()
            .flat_map(|d| &d.paragraphs)
            .map(|p| p.shingles.len())
            .sum();
        let bytes = keys * std::mem::size_of::<u32>();
        if bytes == 0 {
            return Ok(());
        }
        if self.held + bytes <= self.budget {
            self.held += bytes;
            return Ok(());
        }
        let file = match &mut self.file {
            Some(f) => f,
            None => self.file.insert(tempfile::tempfile().map_err(set_error)?),
        };
        let mut buf: Vec<u8> = Vec::with_capacity(bytes);
        for p in docs.iter().flat_map(|d| &d.paragraphs) {
            for k in p.shingles.iter() {
                buf.extend_from_slice(&k.to_ne_bytes());
            }
        }
        file.write_all(&buf).map_err(set_error)?;
        drop(buf);
        // SAFETY: the file is this keeper's own unnamed temporary file;
        // the bytes mapped are written and never written again (the next
        // batch is appended after them).
        let map = unsafe {
            memmap2::MmapOptions::new()
                .offset(self.end)
                .len(bytes)
                .map(&*file)
        }
        .map_err(set_error)?;
        self.end += bytes as u64;
        if map.as_ptr().align_offset(std::mem::align_of::<u32>()) != 0 {
            return Err(set_error(std::io::Error::other(
                "a mapped table of shingle sets is not aligned",
            )));
        }
        let table = Arc::new(SetTable::Mapped(map));
        let mut start = 0u32;
        for p in docs.iter_mut().flat_map(|d| &mut d.paragraphs) {
            let len = p.shingles.len() as u32;
            p.shingles = ShingleSet {
                table: (len > 0).then(|| Arc::clone(&table)),
                start,
                len,
            };
            start += len;
        }
        Ok(())
    }

    /// Bytes of keys held in memory.
    pub fn held(&self) -> usize {
        self.held
    }

    /// Bytes of keys written to the temporary file.
    pub fn spilled(&self) -> u64 {
        self.end
    }
}

/// The maps of a corpus's shingle sets that a [`SetKeeper`] wrote to its
/// file, found once: a stage that reads sets at random hands their pages
/// back many times ([`MappedSets::release`]).
#[derive(Debug, Default)]
pub struct MappedSets(Vec<Arc<SetTable>>);

impl MappedSets {
    /// The maps of `docs`' sets.
    pub fn of(docs: &[ShingledDocument]) -> MappedSets {
        MappedSets(mapped_tables(docs).map(Arc::clone).collect())
    }

    /// Whether no set is mapped: reading them leaves nothing to hand back.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Hands back the pages of every map that reading made resident, as
    /// [`release_sets`] does.
    pub fn release(&self) {
        self.0.iter().for_each(|t| release_table(t));
    }
}

/// The distinct mapped tables of `docs`' sets, in order. A document's
/// paragraphs are in one table (its batch's), so its first paragraph with
/// a set tells it, and the documents of a batch follow each other.
fn mapped_tables(docs: &[ShingledDocument]) -> impl Iterator<Item = &Arc<SetTable>> {
    let mut last: Option<&Arc<SetTable>> = None;
    docs.iter()
        .filter_map(|d| d.paragraphs.iter().find_map(|p| p.shingles.table.as_ref()))
        .filter(move |t| {
            let new = !last.is_some_and(|l| Arc::ptr_eq(l, t));
            last = Some(t);
            new
        })
        .filter(|t| matches!(***t, SetTable::Mapped(_)))
}

/// Hands back the resident pages of `t` when it is mapped.
fn release_table(t: &SetTable) {
    if let SetTable::Mapped(map) = t {
        // SAFETY: a shared map of a file that is never written again
        // (see `SetKeeper::keep`): a page read after this is read from
        // the file and holds the same bytes.
        #[cfg(unix)]
        unsafe {
            let _ = map.unchecked_advise(memmap2::UncheckedAdvice::DontNeed);
        }
        #[cfg(not(unix))]
        let _ = map;
    }
}

/// Hands back the pages of `docs`' mapped shingle sets (those a
/// [`SetKeeper`] wrote to its file) that reading them made resident; they
/// stay in the page cache, and a set read again is read from there. Sets
/// in memory are left as they are.
pub fn release_sets(docs: &[ShingledDocument]) {
    mapped_tables(docs).for_each(|t| release_table(t));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Document;
    use crate::shingle::ShingleConfig;

    fn docs(n: usize) -> Vec<ShingledDocument> {
        let config = ShingleConfig {
            size: 2,
            char_size: 3,
        };
        (0..n)
            .map(|i| {
                let text = format!(
                    "Paragraph one of document {i} has a few words.\n\n\
                     {}\n\nAnd a last paragraph.",
                    "word ".repeat(i % 7)
                );
                let doc = Document::from_text(i.to_string(), "t", text);
                ShingledDocument::new(&doc, &config, 1)
            })
            .collect()
    }

    #[test]
    fn sets_beyond_the_budget_read_as_the_sets_they_replace() {
        let original = docs(40);
        let mut kept = original.clone();
        let first: usize = kept[..10]
            .iter()
            .flat_map(|d| &d.paragraphs)
            .map(|p| p.shingles.len() * 4)
            .sum();
        let mut keeper = SetKeeper::new(first);
        for batch in kept.chunks_mut(10) {
            keeper.keep(batch).unwrap();
        }
        assert_eq!(keeper.held(), first);
        assert!(keeper.spilled() > 0);
        let mapped = |d: &ShingledDocument| {
            d.paragraphs
                .iter()
                .any(|p| matches!(p.shingles.table.as_deref(), Some(SetTable::Mapped(_))))
        };
        assert!(!mapped(&kept[0]) && mapped(&kept[10]) && mapped(&kept[39]));
        for (a, b) in original.iter().zip(&kept) {
            assert_eq!(a.paragraphs, b.paragraphs);
        }
        // Released pages read back the same.
        release_sets(&kept);
        let maps = MappedSets::of(&kept);
        assert_eq!(maps.0.len(), 3);
        maps.release();
        for (a, b) in original.iter().zip(&kept) {
            assert_eq!(a.shingle_set(), b.shingle_set());
        }
    }

    #[test]
    fn a_budget_of_zero_writes_every_set() {
        let original = docs(5);
        let mut kept = original.clone();
        let mut keeper = SetKeeper::new(0);
        keeper.keep(&mut kept).unwrap();
        assert_eq!(keeper.held(), 0);
        for (a, b) in original.iter().zip(&kept) {
            assert_eq!(a.paragraphs, b.paragraphs);
        }
    }
}

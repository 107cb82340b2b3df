//! The postings of the rewrite candidates, `(gram, document)` packed in a
//! `u64`, bucketed by range of grams as the documents' grams are made: in
//! memory within a budget, beyond it appended to a temporary file per
//! range and read back one or more ranges at a time.
//!
//! A million news articles sample about 300 million grams: their postings
//! would take 2.4 GB at once, where one range's take a sixteenth of it.
//! The files are in the page cache unless the system needs the memory;
//! they are unnamed, and go when the postings are dropped.

use std::fs::File;
use std::io::{BufWriter, Read, Seek, Write};

use rayon::prelude::*;

use crate::error::{Error, Result};

fn spill_error(cause: std::io::Error) -> Error {
    Error::Spill {
        what: "the rewrite candidates' grams",
        hint: "",
        dir: std::env::temp_dir(),
        cause,
    }
}

/// One range's postings: those written to its file, then those in memory.
#[derive(Debug, Default)]
struct Bucket {
    memory: Vec<u64>,
    file: Option<BufWriter<File>>,
    on_file: usize,
}

impl Bucket {
    /// Writes the postings held in memory to the file.
    fn spill(&mut self) -> Result<()> {
        let file = match &mut self.file {
            Some(f) => f,
            None => self.file.insert(BufWriter::with_capacity(
                1 << 16,
                tempfile::tempfile().map_err(spill_error)?,
            )),
        };
        let bytes: Vec<u8> = self.memory.iter().flat_map(|p| p.to_ne_bytes()).collect();
        file.write_all(&bytes).map_err(spill_error)?;
        self.on_file += self.memory.len();
        self.memory.clear();
        Ok(())
    }
}

/// The postings of a corpus's sampled grams by range of grams (the top
/// `bits` bits of a gram).
#[derive(Debug)]
pub(super) struct Postings {
    bits: u32,
    buckets: Vec<Bucket>,
    /// Most postings a range holds in memory before they are written to
    /// its file.
    budget: usize,
}

impl Postings {
    /// Empty postings over `1 << bits` ranges, holding at most `budget`
    /// bytes in memory in all.
    pub(super) fn new(bits: u32, budget: usize) -> Postings {
        let ranges = 1usize << bits;
        Postings {
            bits,
            buckets: (0..ranges).map(|_| Bucket::default()).collect(),
            budget: budget / std::mem::size_of::<u64>() / ranges,
        }
    }

    /// Adds the grams of a batch of documents, `batch[i]` being document
    /// `first + i`'s (sorted), each to its range; the ranges are filled
    /// in parallel.
    pub(super) fn add(&mut self, first: u32, batch: &[Vec<u32>]) -> Result<()> {
        let (bits, budget) = (self.bits, self.budget);
        let range_of = |g: u32| (g >> (32 - bits)) as usize;
        self.buckets
            .par_iter_mut()
            .enumerate()
            .try_for_each(|(r, b)| {
                for (i, g) in batch.iter().enumerate() {
                    let from = g.partition_point(|&h| range_of(h) < r);
                    let to = from + g[from..].partition_point(|&h| range_of(h) == r);
                    let d = u64::from(first + i as u32);
                    b.memory
                        .extend(g[from..to].iter().map(|&h| (u64::from(h) << 32) | d));
                }
                if b.memory.len() > budget {
                    b.spill()?;
                }
                Ok(())
            })
    }

    /// Whether any range's postings were written to a file.
    #[cfg(test)]
    fn spilled(&self) -> bool {
        self.buckets.iter().any(|b| b.on_file > 0)
    }

    /// The postings of `range`.
    pub(super) fn len(&self, range: usize) -> usize {
        let b = &self.buckets[range];
        b.on_file + b.memory.len()
    }

    /// Appends the postings of `range` to `out` (in no particular order)
    /// and lets them go.
    pub(super) fn take(&mut self, range: usize, out: &mut Vec<u64>) -> Result<()> {
        let b = std::mem::take(&mut self.buckets[range]);
        out.reserve(b.on_file + b.memory.len());
        if let Some(file) = b.file {
            let mut file = file.into_inner().map_err(|e| spill_error(e.into_error()))?;
            file.rewind().map_err(spill_error)?;
            let mut buf = vec![0u8; 1 << 20];
            let mut left = b.on_file * std::mem::size_of::<u64>();
            while left > 0 {
                let n = left.min(buf.len());
                file.read_exact(&mut buf[..n]).map_err(spill_error)?;
                out.extend(
                    buf[..n]
                        .chunks_exact(8)
                        .map(|c| u64::from_ne_bytes(c.try_into().unwrap_or_default())),
                );
                left -= n;
            }
        }
        out.extend_from_slice(&b.memory);
        Ok(())
    }

    /// Hands back the memory the buckets hold beyond their postings, once
    /// all are added.
    pub(super) fn shrink(&mut self) {
        for b in &mut self.buckets {
            b.memory.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(p: &mut Postings) -> Vec<Vec<u64>> {
        (0..16)
            .map(|r| {
                let mut out = Vec::new();
                p.take(r, &mut out).unwrap();
                out.sort_unstable();
                out
            })
            .collect()
    }

    #[test]
    fn postings_read_back_the_same_from_memory_and_from_files() {
        let grams: Vec<Vec<u32>> = (0..500u32)
            .map(|d| {
                let mut g: Vec<u32> = (0..d % 37)
                    .map(|i| {
                        (d.wrapping_mul(2_654_435_761) ^ i.wrapping_mul(40_503)).rotate_left(i)
                    })
                    .collect();
                g.sort_unstable();
                g.dedup();
                g
            })
            .collect();
        let mut held = Postings::new(4, usize::MAX);
        let mut spilled = Postings::new(4, 800);
        for (b, batch) in grams.chunks(7).enumerate() {
            held.add((b * 7) as u32, batch).unwrap();
            spilled.add((b * 7) as u32, batch).unwrap();
        }
        assert!(!held.spilled() && spilled.spilled());
        assert_eq!(
            (0..16).map(|r| held.len(r)).sum::<usize>(),
            grams.iter().map(Vec::len).sum::<usize>()
        );
        assert_eq!(held.len(5), spilled.len(5));
        let (a, b) = (all(&mut held), all(&mut spilled));
        assert_eq!(a, b);
        // Each posting is in its gram's range.
        for (r, range) in a.iter().enumerate() {
            assert!(range.iter().all(|p| (p >> 60) as usize == r));
        }
    }
}

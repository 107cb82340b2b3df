//! Compaction: small segments merged into larger ones, so that a lookup
//! visits a few tables instead of one per batch (a day, for a live feed).
//!
//! Each added batch writes one segment (its days are partitions of it). A
//! lookup searches every segment's tables, and the pages it touches grow
//! with their number: an index of 94 daily segments read most of every
//! band table to look up one article. After each add, segments are merged
//! size-tiered, as log-structured stores do: when [`FANOUT`] segments of one tier (their documents within a
//! factor of [`FANOUT`]) are there, the oldest of them are merged into one
//! of the next tier, up to [`MAX_MERGED_DOCS`]. So an index holds at most
//! `FANOUT - 1` segments per tier below the largest (a million articles
//! added a thousand a day: 15 segments of 64,000 and at most 14 smaller
//! ones), and each document is rewritten once per tier it passes (twice
//! from a day's thousand articles to the largest). A segment whose documents are
//! mostly evicted (days before the window, in a segment that also holds
//! later ones) is rewritten without them.
//!
//! A merge writes the new segment, then replaces the manifest: a writer
//! killed meanwhile leaves the old segments listed and the new file
//! unlisted, removed by the next writer.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::*;
use store::write_segment_from;

/// How many segments of one tier are merged into one of the next.
pub(super) const FANOUT: usize = 8;

/// No merge makes a segment of more documents than this: a merge rewrites
/// what it merges, and larger merges would make one add rewrite most of a
/// large index. So segments of more than `MAX_MERGED_DOCS / FANOUT`
/// documents are not merged.
pub(super) const MAX_MERGED_DOCS: u64 = 1 << 16;

/// The tier of a segment of `docs` documents: `floor(log_FANOUT(docs))`.
fn tier(docs: u64) -> u32 {
    let bits = FANOUT.trailing_zeros();
    (63 - docs.max(1).leading_zeros()) / bits
}

/// The segments (positions in `segments`) to merge next, if any: one
/// mostly evicted segment, or the [`FANOUT`] oldest of the lowest tier
/// that has that many mergeable segments.
pub(super) fn plan(segments: &[SegmentInfo]) -> Option<Vec<usize>> {
    if let Some(i) = segments.iter().position(|s| s.evicted_share() > 0.5) {
        return Some(vec![i]);
    }
    let mut by_tier: std::collections::BTreeMap<u32, Vec<usize>> = Default::default();
    for (i, s) in segments.iter().enumerate() {
        if s.stored.saturating_mul(FANOUT as u64) <= MAX_MERGED_DOCS {
            by_tier.entry(tier(s.stored)).or_default().push(i);
        }
    }
    let (_, mut members) = by_tier.into_iter().find(|(_, m)| m.len() >= FANOUT)?;
    members.sort_by_key(|&i| (segments[i].day, segments[i].last_day(), i));
    members.truncate(FANOUT);
    members.sort_unstable();
    Some(members)
}

/// What [`Index::compact_all`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compacted {
    /// Segment files before and after.
    pub segments: (usize, usize),
    /// Bytes on disk of the segments before and after.
    pub bytes: (u64, u64),
}

/// The entries of sorted tables merged into one sorted sequence.
pub(super) fn merged<'a>(
    mut parts: Vec<Box<dyn Iterator<Item = (u64, u64)> + 'a>>,
) -> impl Iterator<Item = (u64, u64)> + 'a {
    let mut heap: BinaryHeap<Reverse<((u64, u64), usize)>> = parts
        .iter_mut()
        .enumerate()
        .filter_map(|(i, p)| p.next().map(|e| Reverse((e, i))))
        .collect();
    std::iter::from_fn(move || {
        let Reverse((e, i)) = heap.pop()?;
        if let Some(next) = parts[i].next() {
            heap.push(Reverse((next, i)));
        }
        Some(e)
    })
}

impl Index {
    /// Merges segments while [`plan`] finds some to merge; each merge is
    /// committed on its own.
    pub(super) fn compact(&mut self) -> Result<()> {
        while let Some(members) = plan(&self.manifest.segments) {
            self.merge(&members)?;
        }
        Ok(())
    }

    /// Merges every segment into one (and drops the evicted documents):
    /// a lookup then searches one set of tables instead of one per
    /// segment, which is most of a query's time in an index of many
    /// segments. The automatic merges stop at 65,536 documents, so that
    /// no add rewrites most of a large index; this is the explicit step a
    /// user takes after a bulk build, or in a quiet hour. The merged
    /// segment holds every day: eviction marks days dropped and rewrites
    /// it once more than half of it is evicted, instead of dropping a
    /// day's file. Returns the segments and bytes before and after.
    pub fn compact_all(&mut self) -> Result<Compacted> {
        if self.lock.is_none() {
            return Err(index_error(&self.dir, "opened for reading only"));
        }
        let before = (
            self.manifest.segments.len(),
            self.manifest.segments.iter().map(|s| s.bytes).sum(),
        );
        let evicted = self.manifest.segments.iter().any(|s| s.live_from.is_some());
        if self.manifest.segments.len() > 1 || evicted {
            let all: Vec<usize> = (0..self.manifest.segments.len()).collect();
            self.merge(&all)?;
        }
        Ok(Compacted {
            segments: (before.0, self.manifest.segments.len()),
            bytes: (
                before.1,
                self.manifest.segments.iter().map(|s| s.bytes).sum(),
            ),
        })
    }

    /// Writes the live documents and entries of the segments at `members`
    /// as one segment and commits a manifest that lists it instead.
    fn merge(&mut self, members: &[usize]) -> Result<()> {
        let inputs: Vec<&Segment> = members.iter().map(|&i| &self.segments[i]).collect();
        for s in &inputs {
            s.read_in_order();
        }
        let mut docs: Vec<(u64, i64, &[u8])> = Vec::new();
        for s in &inputs {
            docs.extend(s.live_documents()?);
        }
        docs.sort_unstable_by_key(|d| d.0);
        let partitions = partitions_of(docs.iter().map(|d| d.1));
        let mut manifest = self.manifest.clone();
        manifest.generation += 1;
        let first_day = partitions.first().map_or(0, |p| p.0);
        let file = segment_file(&partitions, manifest.generation);
        // A segment whose documents are all evicted is dropped, not
        // written again.
        let info = if docs.is_empty() {
            None
        } else {
            let tables = Table::ALL.map(|t| -> Box<dyn Iterator<Item = (u64, u64)> + '_> {
                Box::new(merged(
                    inputs
                        .iter()
                        .map(|s| -> Box<dyn Iterator<Item = (u64, u64)> + '_> {
                            Box::new(s.live_entries(t))
                        })
                        .collect(),
                ))
            });
            let read_through = || {
                for s in &inputs {
                    s.release_pages();
                }
            };
            let bytes =
                write_segment_from(&self.dir, &file, first_day, &docs, tables, &read_through)?;
            Some(SegmentInfo::written(
                file,
                first_day,
                docs.len(),
                bytes,
                partitions,
            ))
        };
        drop(docs);
        drop(inputs);
        let mut kept: Vec<SegmentInfo> = Vec::with_capacity(manifest.segments.len());
        for (i, s) in manifest.segments.into_iter().enumerate() {
            if members.binary_search(&i).is_err() {
                kept.push(s);
            }
        }
        kept.extend(info);
        manifest.segments = kept;
        self.commit(manifest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(day: i64, docs: u64) -> SegmentInfo {
        SegmentInfo {
            file: format!("{day}"),
            day,
            docs,
            stored: docs,
            bytes: docs * 100,
            live_from: None,
            partitions: vec![(day, docs)],
        }
    }

    #[test]
    fn tiers_grow_by_the_fanout() {
        assert_eq!(tier(1), 0);
        assert_eq!(tier(7), 0);
        assert_eq!(tier(8), 1);
        assert_eq!(tier(63), 1);
        assert_eq!(tier(64), 2);
        assert_eq!(tier(1000), 3);
        assert_eq!(tier(8000), 4);
    }

    #[test]
    fn the_oldest_segments_of_the_lowest_full_tier_are_merged() {
        // Seven daily segments: nothing to do.
        let mut segs: Vec<SegmentInfo> = (0..7).map(|d| info(10 + d, 1000)).collect();
        assert_eq!(plan(&segs), None);
        // An eighth day's segment, listed before an older late one.
        segs.push(info(30, 1000));
        segs.push(info(5, 900));
        assert_eq!(plan(&segs), Some(vec![0, 1, 2, 3, 4, 5, 6, 8]));
        // Tier 0 fills first.
        let small: Vec<SegmentInfo> = (0..8).map(|d| info(d, 3)).collect();
        let mut both = segs.clone();
        both.extend(small);
        assert_eq!(plan(&both), Some((9..17).collect()));
    }

    #[test]
    fn large_segments_are_not_merged_and_mostly_evicted_ones_are_rewritten() {
        let segs: Vec<SegmentInfo> = (0..10).map(|d| info(d, MAX_MERGED_DOCS)).collect();
        assert_eq!(plan(&segs), None);
        // Eight merged would pass the largest size.
        let big = MAX_MERGED_DOCS / FANOUT as u64 + 1;
        assert_eq!(
            plan(&(0..10).map(|d| info(d, big)).collect::<Vec<_>>()),
            None
        );
        let fits = MAX_MERGED_DOCS / FANOUT as u64;
        assert_eq!(
            plan(&(0..10).map(|d| info(d, fits)).collect::<Vec<_>>()),
            Some((0..8).collect())
        );
        let mut evicted = segs.clone();
        evicted[3].docs = MAX_MERGED_DOCS / 4;
        evicted[3].live_from = Some(2);
        assert_eq!(plan(&evicted), Some(vec![3]));
    }

    #[test]
    fn sorted_tables_merge_into_one_sorted_sequence() {
        let a = vec![(1, 5), (3, 1), (3, 9), (7, 0)];
        let b = vec![(0, 0), (3, 4), (9, 9)];
        let c: Vec<(u64, u64)> = Vec::new();
        let got: Vec<(u64, u64)> = merged(vec![
            Box::new(a.clone().into_iter()),
            Box::new(b.clone().into_iter()),
            Box::new(c.into_iter()),
        ])
        .collect();
        let mut want = [a, b].concat();
        want.sort_unstable();
        assert_eq!(got, want);
    }
}

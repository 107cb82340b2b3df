//! Deduplication: clusters of near-copies, one article kept per cluster.
//!
//! **The rule.** Document `d` is a duplicate of document `k` when at least
//! `threshold` of `d`'s shingles (boilerplate excluded) are found in `k`:
//! containment, so an excerpt counts as a duplicate of the story it was cut
//! from, but the story is not a duplicate of its excerpt.
//!
//! **No chaining.** Documents are visited in keep order (see [`Keep`]);
//! each one not yet in a cluster becomes a kept article, and takes every
//! document not yet in a cluster that is a duplicate of it. Every dropped
//! article is therefore itself a verified near-copy of the article kept for
//! it: A≈B and B≈C with A ≉ C never puts A and C together.
//!
//! **Ties** in the keep order go to the source over its copy (a document
//! that is the copy in fewer reuse pairs comes first), then to input order.

use std::cmp::Ordering;

use crate::reuse::Direction;
use crate::scan::ScanReport;

/// Which article of a cluster survives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Keep {
    /// The earliest date (documents without a date come last).
    #[default]
    Earliest,
    /// The most words.
    Longest,
    /// The first in input order.
    First,
}

/// One cluster with at least one dropped member.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// Index of the kept document.
    pub kept: usize,
    /// Dropped documents with the fraction of each found in the kept one,
    /// in input order.
    pub dropped: Vec<(usize, f64)>,
}

impl Cluster {
    /// Documents in the cluster, the kept one included.
    pub fn size(&self) -> usize {
        self.dropped.len() + 1
    }

    /// The lowest containment of a dropped member in the kept document.
    pub fn weakest(&self) -> f64 {
        self.dropped
            .iter()
            .map(|&(_, c)| c)
            .fold(f64::INFINITY, f64::min)
    }
}

/// Clusters the documents of a scan. Returns the clusters that drop at
/// least one document, ordered by their kept document's input position.
///
/// ```
/// use reprint::cluster::{cluster, Keep};
/// use reprint::corpus::Document;
/// use reprint::scan::DetectorBuilder;
/// let story = "The harbour authority approved the new ferry terminal on Monday after a long public consultation.";
/// let docs = vec![
///     Document::from_text("a", "a", format!("date 2026-01-02 {story}")),
///     Document::from_text("b", "b", format!("date 2026-01-01 {story}")),
/// ];
/// let report = DetectorBuilder::new().build()?.scan(&docs)?;
/// let clusters = cluster(&report, 0.8, Keep::Earliest);
/// assert_eq!(clusters.len(), 1);
/// assert_eq!(clusters[0].kept, 1);
/// assert_eq!(clusters[0].dropped, vec![(0, 1.0)]);
/// # Ok::<(), reprint::Error>(())
/// ```
pub fn cluster(report: &ScanReport, threshold: f64, keep: Keep) -> Vec<Cluster> {
    cluster_after(report, threshold, keep, 0)
}

/// [`cluster`] for a report whose first `indexed` documents are already
/// kept elsewhere (an index, see [`crate::index::Index::dedup`]): they head
/// their clusters before any other document and are never dropped.
pub fn cluster_after(
    report: &ScanReport,
    threshold: f64,
    keep: Keep,
    indexed: usize,
) -> Vec<Cluster> {
    let n = report.documents.len();
    // duplicates_of[k]: documents d with containment(d in k) >= threshold.
    let mut duplicates_of: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    let mut copy_count = vec![0usize; n];
    for p in &report.pairs {
        if p.direction != Direction::Mutual {
            copy_count[p.copy] += 1;
        }
        if p.copy_in_source() >= threshold {
            duplicates_of[p.source].push((p.copy, p.copy_in_source()));
        }
        if p.source_in_copy() >= threshold {
            duplicates_of[p.copy].push((p.source, p.source_in_copy()));
        }
    }

    let docs = &report.documents;
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let primary = match keep {
            Keep::Earliest => match (&docs[a].date, &docs[b].date) {
                (Some(x), Some(y)) => x.sort_key().cmp(&y.sort_key()),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
            Keep::Longest => docs[b].words.cmp(&docs[a].words),
            Keep::First => a.cmp(&b),
        };
        (a >= indexed)
            .cmp(&(b >= indexed))
            .then(primary)
            .then(copy_count[a].cmp(&copy_count[b]))
            .then(a.cmp(&b))
    });

    let mut assigned = vec![false; n];
    let mut clusters = Vec::new();
    for k in order {
        if assigned[k] {
            continue;
        }
        assigned[k] = true;
        let mut dropped: Vec<(usize, f64)> = duplicates_of[k]
            .iter()
            .filter(|&&(d, _)| !assigned[d] && d >= indexed)
            .copied()
            .collect();
        dropped.sort_by_key(|&(d, _)| d);
        dropped.dedup_by_key(|&mut (d, _)| d);
        for &(d, _) in &dropped {
            assigned[d] = true;
        }
        if !dropped.is_empty() {
            clusters.push(Cluster { kept: k, dropped });
        }
    }
    clusters.sort_by_key(|c| c.kept);
    clusters
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Document;
    use crate::scan::DetectorBuilder;

    /// Thirty random five-letter words: unrelated paragraphs share no
    /// words and almost no character grams.
    fn para(seed: u64) -> String {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..30)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (0..5)
                    .map(|i| char::from(b'a' + ((x >> (i * 5)) % 26) as u8))
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn doc(id: &str, date: &str, paras: &[u64]) -> Document {
        let text: Vec<String> = paras.iter().map(|&p| para(p)).collect();
        Document::from_text(id, id, format!("date {date} {}", text.join("\n\n")))
    }

    #[test]
    fn clusters_do_not_chain() {
        // A = 1..4, B = 3..6 (shares half with A), C = 5..8 (half with B,
        // nothing with A). At threshold 0.5 B is a duplicate of A and C of B,
        // but C must not join A's cluster.
        let docs = vec![
            doc("a", "2026-01-01", &[1, 2, 3, 4]),
            doc("b", "2026-01-02", &[3, 4, 5, 6]),
            doc("c", "2026-01-03", &[5, 6, 7, 8]),
        ];
        let report = DetectorBuilder::new().build().unwrap().scan(&docs).unwrap();
        let clusters = cluster(&report, 0.45, Keep::Earliest);
        assert_eq!(clusters.len(), 1, "{clusters:?}");
        assert_eq!(clusters[0].kept, 0);
        assert_eq!(clusters[0].dropped.len(), 1);
        assert_eq!(clusters[0].dropped[0].0, 1);
    }

    #[test]
    fn keep_longest_prefers_the_full_story_over_its_excerpt() {
        let docs = vec![
            doc("excerpt", "2026-01-01", &[2, 3]),
            doc("full", "2026-01-01", &[1, 2, 3, 4]),
        ];
        let report = DetectorBuilder::new().build().unwrap().scan(&docs).unwrap();
        let clusters = cluster(&report, 0.8, Keep::Longest);
        assert_eq!(clusters[0].kept, 1);
        assert_eq!(clusters[0].dropped[0].0, 0);
        // Same date: the source (the full story) wins the tie for earliest.
        let clusters = cluster(&report, 0.8, Keep::Earliest);
        assert_eq!(clusters[0].kept, 1);
        // First in input order keeps the excerpt; the full story is not a
        // duplicate of it, so nothing is dropped.
        assert!(cluster(&report, 0.8, Keep::First).is_empty());
    }

    #[test]
    fn weakest_member_is_reported() {
        let c = Cluster {
            kept: 0,
            dropped: vec![(1, 0.9), (2, 0.85)],
        };
        assert_eq!(c.size(), 3);
        assert_eq!(c.weakest(), 0.85);
    }
}

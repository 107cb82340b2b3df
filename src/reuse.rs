//! Stage 7, assemble: verified paragraph matches become passages, document
//! pairs get scores and a direction.
//!
//! **Passages.** Matches between two documents are chained into runs along
//! the diagonal: a match continues a run when it is the next paragraph on
//! one side or both (a copy may merge two source paragraphs into one, or
//! split one in two). A run is then extended over neighbouring paragraphs
//! too short to fingerprint alone when they match exactly enough (the
//! headline above a copied section, a one-line quote), and runs that end up
//! adjacent are joined.
//!
//! **Direction.** The earlier date is the source. On equal or missing dates,
//! the document mostly contained in the other is the copy, when the two
//! containments differ by at least [`DIRECTION_MARGIN`]; otherwise the pair
//! is mutual and listed in input order.

use std::cmp::Ordering;
use std::ops::Range;

use serde::Serialize;

use crate::date::Date;
use crate::similarity::{Overlap, union_of};

/// Containments must differ by at least this much for containment to decide
/// the direction.
pub const DIRECTION_MARGIN: f64 = 0.1;

/// A 1-based, inclusive range of paragraph numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ParagraphRange {
    /// First paragraph, 1-based.
    pub first: usize,
    /// Last paragraph, 1-based, inclusive.
    pub last: usize,
}

impl ParagraphRange {
    /// Number of paragraphs in the range.
    pub fn len(&self) -> usize {
        self.last + 1 - self.first
    }

    /// Always false: a range holds at least one paragraph.
    pub fn is_empty(&self) -> bool {
        false
    }
}

/// A stretch of a document's text, in bytes and in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    /// Character offset of the first character.
    pub start: usize,
    /// Character offset one past the last character.
    pub end: usize,
    /// Byte offset of the first byte.
    pub start_byte: usize,
    /// Byte offset one past the last byte.
    pub end_byte: usize,
}

/// One reused passage: a run of paragraphs of the copy and where they come
/// from in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    /// Paragraphs of the copy.
    pub copy: ParagraphRange,
    /// Paragraphs of the source.
    pub source: ParagraphRange,
    /// The passage's text in the copy.
    pub copy_span: Span,
    /// The passage's text in the source.
    pub source_span: Span,
    /// Exact shingle overlap of the two passages (left = copy side).
    pub overlap: Overlap,
}

impl Passage {
    /// Containment of the copy's passage in the source's passage, in [0, 1].
    pub fn similarity(&self) -> f64 {
        self.overlap.left_in_right()
    }

    fn flip(self) -> Passage {
        Passage {
            copy: self.source,
            source: self.copy,
            copy_span: self.source_span,
            source_span: self.copy_span,
            overlap: self.overlap.swap(),
        }
    }
}

/// Narrows a passage's spans (left = copy side) to the stretch between the
/// first and the last word trigram the two sides share, when the passage is
/// near-verbatim, so a passage that starts or ends inside a paragraph is
/// reported from its first shared words. Paragraph ranges are unchanged.
pub fn refine_spans(passage: &mut Passage, left: &str, right: &str) {
    let narrow = |span: &mut Span, bytes: Range<usize>, text: &str| {
        let start = span.start + text[span.start_byte..bytes.start].chars().count();
        let end = span.end - text[bytes.end..span.end_byte].chars().count();
        *span = Span {
            start,
            end,
            start_byte: bytes.start,
            end_byte: bytes.end,
        };
    };
    let (l, r) = crate::align::trim(
        left,
        passage.copy_span.start_byte..passage.copy_span.end_byte,
        right,
        passage.source_span.start_byte..passage.source_span.end_byte,
        3,
    );
    narrow(&mut passage.copy_span, l, left);
    narrow(&mut passage.source_span, r, right);
}

/// How the direction of a pair was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The source was published earlier.
    Date,
    /// Same or unknown dates; the copy is mostly contained in the source.
    Containment,
    /// Neither dates nor containment tell; listed in input order.
    Mutual,
}

impl Direction {
    /// The name used in reports.
    pub fn as_str(&self) -> &'static str {
        match self {
            Direction::Date => "date",
            Direction::Containment => "containment",
            Direction::Mutual => "mutual",
        }
    }
}

/// A document pair with reuse.
#[derive(Debug, Clone, PartialEq)]
pub struct ReusePair {
    /// Index of the source document in the scanned corpus.
    pub source: usize,
    /// Index of the copy.
    pub copy: usize,
    /// Exact overlap of the two documents' shingle sets (left = copy),
    /// boilerplate excluded.
    pub overlap: Overlap,
    /// How the direction was decided.
    pub direction: Direction,
    /// Reused passages, in the copy's paragraph order.
    pub passages: Vec<Passage>,
}

impl ReusePair {
    /// Fraction of the copy's shingles found in the source.
    pub fn copy_in_source(&self) -> f64 {
        self.overlap.left_in_right()
    }

    /// Fraction of the source's shingles found in the copy.
    pub fn source_in_copy(&self) -> f64 {
        self.overlap.right_in_left()
    }

    /// Exact Jaccard similarity of the two documents.
    pub fn jaccard(&self) -> f64 {
        self.overlap.jaccard()
    }

    /// Paragraphs of the copy inside a passage.
    pub fn copied_paragraphs(&self) -> usize {
        self.passages.iter().map(|p| p.copy.len()).sum()
    }
}

/// A paragraph as the assembly stage sees it.
#[derive(Debug, Clone)]
pub struct ParagraphView<'a> {
    /// Byte range in the document text.
    pub span: Range<usize>,
    /// Character range in the document text.
    pub chars: Range<usize>,
    /// Sorted shingle set.
    pub shingles: &'a [u64],
    /// Too short to fingerprint alone.
    pub too_short: bool,
}

/// A verified match between paragraph `left` of one document and paragraph
/// `right` of another (0-based indices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ParagraphMatch {
    /// Paragraph index in the left document.
    pub left: u32,
    /// Paragraph index in the right document.
    pub right: u32,
}

/// Chains paragraph matches between a left and a right document into
/// passages (left = copy side), extending runs over matching short
/// paragraphs. `threshold` is the minimum exact similarity (smaller set in
/// larger) a short neighbour needs to join a run.
pub fn assemble_passages(
    lp: &[ParagraphView<'_>],
    rp: &[ParagraphView<'_>],
    matches: &mut [ParagraphMatch],
    threshold: f64,
) -> Vec<Passage> {
    matches.sort_unstable();
    // Runs as inclusive index ranges on both sides.
    let mut runs: Vec<(Range<u32>, Range<u32>)> = Vec::new();
    for m in matches.iter() {
        let best = runs
            .iter_mut()
            .filter(|(l, r)| {
                let (li, ri) = (l.end - 1, r.end - 1);
                (m.left == li || m.left == li + 1)
                    && (m.right == ri || m.right == ri + 1)
                    && !(m.left == li && m.right == ri)
                    && m.left >= l.start
                    && m.right >= r.start
            })
            .min_by_key(|(l, r)| (l.end, r.end));
        match best {
            Some((l, r)) => {
                l.end = l.end.max(m.left + 1);
                r.end = r.end.max(m.right + 1);
            }
            None => runs.push((m.left..m.left + 1, m.right..m.right + 1)),
        }
    }
    runs.sort_by_key(|(l, r)| (l.start, r.start));

    let matches_short = |i: u32, j: u32| {
        let (a, b) = (&lp[i as usize], &rp[j as usize]);
        (a.too_short || b.too_short)
            && Overlap::of(a.shingles, b.shingles).smaller_in_larger() >= threshold
    };
    let used_left =
        |runs: &[(Range<u32>, Range<u32>)], i: u32| runs.iter().any(|(l, _)| l.contains(&i));
    for k in 0..runs.len() {
        // Backwards.
        loop {
            let (l, r) = &runs[k];
            if l.start == 0 || r.start == 0 {
                break;
            }
            let (i, j) = (l.start - 1, r.start - 1);
            if used_left(&runs, i) || !matches_short(i, j) {
                break;
            }
            runs[k].0.start = i;
            runs[k].1.start = j;
        }
        // Forwards.
        loop {
            let (l, r) = &runs[k];
            let (i, j) = (l.end, r.end);
            if i as usize >= lp.len() || j as usize >= rp.len() {
                break;
            }
            if used_left(&runs, i) || !matches_short(i, j) {
                break;
            }
            runs[k].0.end = i + 1;
            runs[k].1.end = j + 1;
        }
    }
    // Join runs that now touch on both sides.
    let mut joined: Vec<(Range<u32>, Range<u32>)> = Vec::new();
    for (l, r) in runs {
        if let Some((pl, pr)) = joined.last_mut() {
            if pl.end == l.start && pr.end == r.start {
                pl.end = l.end;
                pr.end = r.end;
                continue;
            }
        }
        joined.push((l, r));
    }

    joined
        .into_iter()
        .map(|(l, r)| {
            let lset = union_of(
                lp[l.start as usize..l.end as usize]
                    .iter()
                    .map(|p| p.shingles),
            );
            let rset = union_of(
                rp[r.start as usize..r.end as usize]
                    .iter()
                    .map(|p| p.shingles),
            );
            Passage {
                copy: ParagraphRange {
                    first: l.start as usize + 1,
                    last: l.end as usize,
                },
                source: ParagraphRange {
                    first: r.start as usize + 1,
                    last: r.end as usize,
                },
                copy_span: span_of(lp, &l),
                source_span: span_of(rp, &r),
                overlap: Overlap::of(&lset, &rset),
            }
        })
        .collect()
}

fn span_of(paras: &[ParagraphView<'_>], range: &Range<u32>) -> Span {
    let (first, last) = (&paras[range.start as usize], &paras[range.end as usize - 1]);
    Span {
        start: first.chars.start,
        end: last.chars.end,
        start_byte: first.span.start,
        end_byte: last.span.end,
    }
}

/// Decides which of two documents is the source, from their dates and the
/// overlap of their shingle sets (left document on the left). Returns
/// `(source_is_left, direction)`.
pub fn decide_direction(
    left: Option<&Date>,
    right: Option<&Date>,
    overlap: Overlap,
) -> (bool, Direction) {
    if let (Some(a), Some(b)) = (left, right) {
        match a.cmp_published(b) {
            Ordering::Less => return (true, Direction::Date),
            Ordering::Greater => return (false, Direction::Date),
            Ordering::Equal => {}
        }
    }
    let (l_in_r, r_in_l) = (overlap.left_in_right(), overlap.right_in_left());
    if l_in_r - r_in_l >= DIRECTION_MARGIN {
        (false, Direction::Containment)
    } else if r_in_l - l_in_r >= DIRECTION_MARGIN {
        (true, Direction::Containment)
    } else {
        (true, Direction::Mutual)
    }
}

/// Builds the pair for documents `left` and `right` (corpus indices) from
/// passages assembled with `left` as copy side, orienting everything by
/// [`decide_direction`].
pub fn orient_pair(
    (li, left): (usize, Option<&Date>),
    (ri, right): (usize, Option<&Date>),
    overlap: Overlap,
    passages: Vec<Passage>,
) -> ReusePair {
    let (source_is_left, direction) = decide_direction(left, right, overlap);
    if source_is_left {
        let mut passages: Vec<Passage> = passages.into_iter().map(Passage::flip).collect();
        passages.sort_by_key(|p| (p.copy, p.source));
        ReusePair {
            source: li,
            copy: ri,
            overlap: overlap.swap(),
            direction,
            passages,
        }
    } else {
        ReusePair {
            source: ri,
            copy: li,
            overlap,
            direction,
            passages,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(d: &str) -> Option<Date> {
        Date::parse(d)
    }

    fn overlap(shared: usize, left: usize, right: usize) -> Overlap {
        Overlap {
            shared,
            left,
            right,
        }
    }

    #[test]
    fn earlier_date_is_the_source() {
        let (a, b) = (date("2026-03-05"), date("2026-03-04"));
        assert_eq!(
            decide_direction(a.as_ref(), b.as_ref(), overlap(10, 100, 10)),
            (false, Direction::Date)
        );
    }

    #[test]
    fn same_date_falls_back_to_containment() {
        let (a, b) = (date("2026-03-04"), date("2026-03-04"));
        // a is fully inside b: a is the copy, b the source.
        assert_eq!(
            decide_direction(a.as_ref(), b.as_ref(), overlap(10, 10, 30)),
            (false, Direction::Containment)
        );
        assert_eq!(
            decide_direction(a.as_ref(), b.as_ref(), overlap(10, 30, 10)),
            (true, Direction::Containment)
        );
    }

    #[test]
    fn similar_containments_are_mutual() {
        let b = date("2026-03-04");
        assert_eq!(
            decide_direction(None, b.as_ref(), overlap(95, 100, 98)),
            (true, Direction::Mutual)
        );
    }

    fn views<'a>(sets: &'a [Vec<u64>], short: &[bool]) -> Vec<ParagraphView<'a>> {
        sets.iter()
            .zip(short)
            .enumerate()
            .map(|(i, (s, &too_short))| ParagraphView {
                span: i * 10..i * 10 + 5,
                chars: i * 10..i * 10 + 5,
                shingles: s,
                too_short,
            })
            .collect()
    }

    #[test]
    fn consecutive_matches_form_one_passage_extended_over_short_paragraphs() {
        let left_sets = vec![vec![1], vec![2, 3], vec![4, 5], vec![99]];
        let right_sets = vec![vec![7], vec![1], vec![2, 3], vec![4, 5], vec![8]];
        let lv = views(&left_sets, &[true, false, false, true]);
        let rv = views(&right_sets, &[false, true, false, false, false]);
        let mut m = vec![
            ParagraphMatch { left: 2, right: 3 },
            ParagraphMatch { left: 1, right: 2 },
        ];
        let passages = assemble_passages(&lv, &rv, &mut m, 0.5);
        assert_eq!(passages.len(), 1);
        assert_eq!(passages[0].copy, ParagraphRange { first: 1, last: 3 });
        assert_eq!(passages[0].source, ParagraphRange { first: 2, last: 4 });
        assert_eq!(passages[0].similarity(), 1.0);
        assert_eq!(passages[0].copy_span.start_byte, 0);
        assert_eq!(passages[0].copy_span.end_byte, 25);
    }

    #[test]
    fn a_gap_splits_passages() {
        let sets: Vec<Vec<u64>> = (0..6).map(|i| vec![i]).collect();
        let lv = views(&sets, &[false; 6]);
        let rv = views(&sets, &[false; 6]);
        let mut m = vec![
            ParagraphMatch { left: 0, right: 0 },
            ParagraphMatch { left: 1, right: 1 },
            ParagraphMatch { left: 4, right: 4 },
        ];
        let passages = assemble_passages(&lv, &rv, &mut m, 0.5);
        let ranges: Vec<_> = passages
            .iter()
            .map(|p| (p.copy.first, p.copy.last))
            .collect();
        assert_eq!(ranges, [(1, 2), (5, 5)]);
    }

    #[test]
    fn merged_paragraphs_stay_in_one_passage() {
        let sets: Vec<Vec<u64>> = (0..4).map(|i| vec![i]).collect();
        let lv = views(&sets, &[false; 4]);
        let rv = views(&sets, &[false; 4]);
        // Left paragraph 0 holds right 0 and 1; left 1 is right 2.
        let mut m = vec![
            ParagraphMatch { left: 0, right: 0 },
            ParagraphMatch { left: 0, right: 1 },
            ParagraphMatch { left: 1, right: 2 },
        ];
        let passages = assemble_passages(&lv, &rv, &mut m, 0.5);
        assert_eq!(passages.len(), 1);
        assert_eq!(passages[0].source, ParagraphRange { first: 1, last: 3 });
        assert_eq!(passages[0].copy, ParagraphRange { first: 1, last: 2 });
    }
}

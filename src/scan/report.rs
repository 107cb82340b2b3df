//! What a scan returns: the report, its documents, boilerplate, counts
//! and matrix.

use std::ops::Range;

use crate::corpus::{KeptText, RecordRef};
use crate::date::Date;
use crate::lsh::{LshParams, LshStats};
use crate::reuse::ReusePair;

use super::{Config, Metric};

/// Parameters of a scan as reports echo them.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// The configuration.
    pub config: Config,
    /// The banding actually used.
    pub lsh: LshParams,
    /// The hash family.
    pub hash_family: &'static str,
}

/// One input document as the report describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentSummary {
    /// Document id.
    pub id: String,
    /// Where it came from.
    pub origin: String,
    /// Publication date.
    pub date: Option<Date>,
    /// Outlet, when known.
    pub source: Option<String>,
    /// Headline, when known.
    pub title: Option<String>,
    /// Address, when known.
    pub url: Option<String>,
    /// Feed record it was read from.
    pub record: Option<RecordRef>,
    /// The text, when it was kept.
    pub text: Option<KeptText>,
    /// Byte spans of its paragraphs, in order (paragraph `n` is index `n-1`).
    pub paragraph_spans: Vec<Range<usize>>,
    /// Words in the body.
    pub words: usize,
    /// Paragraphs too short to fingerprint alone.
    pub short_paragraphs: usize,
    /// Paragraphs set aside as boilerplate.
    pub boilerplate_paragraphs: usize,
    /// Which paragraphs (0-based) are boilerplate, in order.
    pub boilerplate: Vec<usize>,
}

/// A paragraph text set aside as boilerplate.
#[derive(Debug, Clone, PartialEq)]
pub struct Boilerplate {
    /// The start of the paragraph's text (at most 80 characters).
    pub excerpt: String,
    /// Documents that carry it (or a verified near-copy of it).
    pub documents: usize,
    /// Paragraphs with exactly this text.
    pub paragraphs: usize,
    /// One place it occurs: document index and 1-based paragraph number.
    pub example: (usize, usize),
    /// Fraction of the pairs of documents that carry it which share
    /// anything else.
    pub related_share: f64,
}

/// Counts from each stage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanStats {
    /// Paragraphs in all documents.
    pub paragraphs: usize,
    /// Paragraphs too short to fingerprint alone.
    pub short_paragraphs: usize,
    /// Distinct fingerprinted paragraph texts (exact copies share one
    /// signature).
    pub distinct_paragraphs: usize,
    /// What LSH produced.
    pub lsh: LshStats,
    /// Candidate paragraph pairs that passed exact verification.
    pub verified: usize,
    /// Candidate document pairs aligned.
    pub candidate_pairs: usize,
    /// Paragraphs set aside as boilerplate.
    pub boilerplate_paragraphs: usize,
}

impl ScanReport {
    /// Drops the documents, pairs, matrix and boilerplate once they are
    /// written (a batch's part of a report streamed as JSON Lines), keeping
    /// the parameters and the counts.
    pub fn clear_findings(&mut self) {
        self.documents = Vec::new();
        self.pairs = Vec::new();
        self.matrix = None;
        self.boilerplate = Vec::new();
        self.boilerplate_keys = Vec::new();
    }
}

impl ScanStats {
    /// Adds another run's counts (the batches of one feed).
    pub fn add(&mut self, n: &ScanStats) {
        self.paragraphs += n.paragraphs;
        self.short_paragraphs += n.short_paragraphs;
        self.distinct_paragraphs += n.distinct_paragraphs;
        self.lsh.candidates += n.lsh.candidates;
        self.lsh.crowded_buckets += n.lsh.crowded_buckets;
        self.verified += n.verified;
        self.candidate_pairs += n.candidate_pairs;
        self.boilerplate_paragraphs += n.boilerplate_paragraphs;
    }
}

/// The exact document-by-document similarity matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    /// The metric of the values.
    pub metric: Metric,
    /// `values[i][j]` for document i against document j; `None` where a
    /// document has no shingles.
    pub values: Vec<Vec<Option<f64>>>,
}

/// Everything a scan found.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanReport {
    /// The documents, in input order.
    pub documents: Vec<DocumentSummary>,
    /// Pairs with reuse, most copied first.
    pub pairs: Vec<ReusePair>,
    /// The matrix, for corpora up to [`Config::matrix_limit`] documents.
    pub matrix: Option<Matrix>,
    /// Boilerplate set aside, most widespread first.
    pub boilerplate: Vec<Boilerplate>,
    /// The boilerplate paragraphs' texts as sorted [`crate::text::WordsKey`]s:
    /// lines of other paragraphs with these words are set aside too (a
    /// footer run into a hard-wrapped article). [`super::Detector::compare`] takes
    /// them to decide a pair of the scanned feed as the scan did.
    pub boilerplate_keys: Vec<u64>,
    /// Parameters used.
    pub params: Params,
    /// Stage counts.
    pub stats: ScanStats,
}

/// The matrix from the decided pairs: the share of document i covered by
/// passages with document j (or the pair's Jaccard), 0 for documents that
/// share no passage, `None` for documents without words.
pub(super) fn similarity_matrix(has_words: &[bool], pairs: &[ReusePair], metric: Metric) -> Matrix {
    let n = has_words.len();
    let mut values: Vec<Vec<Option<f64>>> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| match (has_words[i] && has_words[j], i == j) {
                    (false, _) => None,
                    (true, true) => Some(1.0),
                    (true, false) => Some(0.0),
                })
                .collect()
        })
        .collect();
    for p in pairs {
        let (c, s) = (p.copy, p.source);
        if values[c][s].is_none() {
            continue;
        }
        let (cs, sc) = match metric {
            Metric::Containment => (p.copy_in_source(), p.source_in_copy()),
            Metric::Jaccard => (p.jaccard(), p.jaccard()),
        };
        values[c][s] = Some(cs);
        values[s][c] = Some(sc);
    }
    Matrix { metric, values }
}

/// The first `max` characters of `text` on one line, with an ellipsis when
/// cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

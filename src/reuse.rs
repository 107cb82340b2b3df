//! The types of a decided pair: reused passages with paragraph ranges and
//! spans on both sides, pair scores and the direction. [`crate::score`]
//! builds them from aligned passages.

use serde::{Deserialize, Serialize};
/// A 1-based, inclusive range of paragraph numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Passage {
    /// Paragraphs of the copy.
    pub copy: ParagraphRange,
    /// Paragraphs of the source.
    pub source: ParagraphRange,
    /// The passage's text in the copy.
    pub copy_span: Span,
    /// The passage's text in the source.
    pub source_span: Span,
    /// tf-idf cosine similarity of the two sides' words, in [0, 1].
    pub similarity: f64,
    /// Share of the copy side's distinct word trigrams found in the source
    /// side: 1 for a copy-and-paste, low for a rewrite.
    pub verbatim: f64,
}

impl Passage {
    /// tf-idf cosine similarity of the two sides, in [0, 1].
    pub fn similarity(&self) -> f64 {
        self.similarity
    }

    fn flip(self) -> Passage {
        Passage {
            copy: self.source,
            source: self.copy,
            copy_span: self.source_span,
            source_span: self.copy_span,
            ..self
        }
    }
}

/// How the direction of a pair was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The source was published earlier.
    Date,
    /// Same or unknown dates; the copy is mostly contained in the source.
    Containment,
    /// Neither dates nor containment tell; listed as the aligner read the
    /// pair (`compare A B`: A as the copy; `scan`: the article with less
    /// text).
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReusePair {
    /// Index of the source document in the scanned corpus.
    pub source: usize,
    /// Index of the copy.
    pub copy: usize,
    /// Share of the copy's text (non-white-space characters, boilerplate
    /// excluded) covered by the passages.
    pub copy_in_source: f64,
    /// Share of the source's text covered by the passages.
    pub source_in_copy: f64,
    /// Covered text over the text of both documents (see
    /// [`crate::score`]).
    pub jaccard: f64,
    /// Share of the copy passages' word trigrams found in the source
    /// passages, weighted by passage length.
    pub verbatim: f64,
    /// The best tf-idf cosine of a sentence pair, whether or not it
    /// joined a passage: the evidence of a pair without passages.
    pub best_sentence: f64,
    /// Share of the copy's distinct character grams found in the stretch of
    /// the source as long as the copy that holds most of them (see
    /// [`crate::score::char_grams`] and
    /// [`crate::score::window_containment`]): document-level evidence that
    /// still tells a rewrite from an independent report when few sentences
    /// align.
    pub grams_copy_in_source: f64,
    /// The same share of the source's grams in the copy.
    pub grams_source_in_copy: f64,
    /// How the direction was decided.
    pub direction: Direction,
    /// Whether the copy names the source's outlet at its start or end (a
    /// dateline, a byline, a credit line; see [`crate::score::credit`]).
    #[serde(default)]
    pub copy_credits_source: bool,
    /// Whether the source names the copy's outlet there.
    #[serde(default)]
    pub source_credits_copy: bool,
    /// Reused passages, in the copy's text order.
    pub passages: Vec<Passage>,
}

impl ReusePair {
    /// Share of the copy covered by reused passages.
    pub fn copy_in_source(&self) -> f64 {
        self.copy_in_source
    }

    /// Share of the source covered by reused passages.
    pub fn source_in_copy(&self) -> f64 {
        self.source_in_copy
    }

    /// Covered text over the text of both documents.
    pub fn jaccard(&self) -> f64 {
        self.jaccard
    }

    /// One number that ranks pairs by how surely and how much the copy
    /// reuses the source. With passages `0.5 + 0.5 × copy_in_source ×
    /// max(verbatim, grams_copy_in_source)`: a whole copy outranks an
    /// excerpt, and of two wholly aligned documents the one that keeps more
    /// of the source's wording or character grams (a close rewrite)
    /// outranks the one that only tells the same facts (an independent
    /// report on the same subject).
    /// Without passages, below 0.5: half the geometric mean of
    /// `grams_copy_in_source` and the best sentence cosine.
    pub fn score(&self) -> f64 {
        let grams = self.grams_copy_in_source.clamp(0.0, 1.0);
        if self.passages.is_empty() {
            0.5 * (grams * self.best_sentence.clamp(0.0, 1.0)).sqrt()
        } else {
            0.5 + 0.5 * (self.copy_in_source * grams.max(self.verbatim)).clamp(0.0, 1.0)
        }
    }

    /// Paragraphs of the copy inside a passage.
    pub fn copied_paragraphs(&self) -> usize {
        self.passages.iter().map(|p| p.copy.len()).sum()
    }

    /// The direction as the table and the HTML report show it: its name,
    /// and for a mutual pair that a credit orients, `mutual, credit`.
    pub fn direction_label(&self) -> &'static str {
        match self.direction {
            Direction::Mutual if self.copy_credits_source => "mutual, credit",
            d => d.as_str(),
        }
    }

    /// The same pair with copy and source swapped.
    pub fn flipped(self) -> ReusePair {
        ReusePair {
            source: self.copy,
            copy: self.source,
            copy_in_source: self.source_in_copy,
            source_in_copy: self.copy_in_source,
            grams_copy_in_source: self.grams_source_in_copy,
            grams_source_in_copy: self.grams_copy_in_source,
            copy_credits_source: self.source_credits_copy,
            source_credits_copy: self.copy_credits_source,
            passages: self.passages.into_iter().map(Passage::flip).collect(),
            ..self
        }
    }
}

//! Every tuned constant of the aligner in one place, each with what it was
//! measured on. The corpus is PAN 2013 text alignment (training parts 01–05,
//! `scripts/eval.sh`); the README's Evaluation section has the full
//! before/after table of every change. The user-settable parameters and
//! their defaults are [`super::AlignConfig`]; what was measured for those
//! is said there and in the README.
//!
//! Constants fitted to PAN are the ones to distrust on other text: PAN's
//! documents are long English essays with artificial obfuscation, news
//! articles are short and reused by editors.

/// Passages whose copy side shares at least this fraction of its word
/// n-grams with the source side are near-verbatim: their ends are trimmed
/// to shared n-grams. Reworded passages keep their sentence boundaries.
///
/// Measured on: PAN 2013 02 (trimming near-verbatim ends: 02 0.910 → 0.951); the share itself not swept.
pub(super) const TRIM_SHARED: f64 = 0.5;

/// A summary whose passages draw on at least this share of the source body
/// is reported as a summary of the whole source.
///
/// Measured on: PAN 2013 05 (0%: 05 at 0.607, 50%: 0.544, 70%: 0.507; 30%: 0.587 at the time).
pub(super) const SUMMARY_WHOLE: f64 = 0.3;

/// A pair with a passage whose sides share at least this fraction of their
/// word n-grams is a verbatim copy, and keeps only the passages that share
/// at least [`VERBATIM_KEEP`].
///
/// Measured on: PAN 2013 02 (02 0.962 → 0.974 with the keep rule).
pub(super) const VERBATIM_SHARED: f64 = 0.8;

/// See [`VERBATIM_SHARED`].
///
/// Measured on: PAN 2013 02, with [`VERBATIM_SHARED`].
pub(super) const VERBATIM_KEEP: f64 = 0.5;

/// A near-verbatim passage (see [`VERBATIM_SHARED`]) is trimmed to its
/// first and last run of this many consecutive shared word n-grams.
///
/// Measured on: PAN 2013 02 (2 and 4: 02 at 0.977; 6 for every trimmed passage: 03 fell to 0.883).
pub(super) const VERBATIM_RUN: usize = 6;

/// A passage whose shared word n-grams nearly all ([`CORE_NEARLY_ALL`])
/// lie inside a stretch of at least this many characters on both sides,
/// itself nearly all shared, is a verbatim copy with look-alike sentences
/// around it: it is trimmed to that stretch, its core.
///
/// Measured on: PAN 2013 02 and 04 (02 0.982 → 0.988; any length at 80% shared: 04 fell to 0.918).
pub(super) const CORE_CHARS: usize = 200;

/// See [`CORE_CHARS`].
///
/// Measured on: PAN 2013 02 and 04, with [`CORE_CHARS`].
pub(super) const CORE_NEARLY_ALL: f64 = 0.95;

/// Wide-gap passages replace the normal ones when their source sides are
/// at least this many times longer than their copy sides.
///
/// Measured on: PAN 2013 05 (05 0.254 → 0.503 with the summary pass); not swept.
pub(super) const SUMMARY_RATIO: f64 = 3.0;

/// A seed survives [`best_matches`] when its cosine is within this much of
/// the best seed of its copy sentence and of its source sentence.
///
/// Measured on: PAN 2013 02 (02 0.943 → 0.961: repeated lines no longer stretch source sides); not swept.
pub(super) const BEST_MATCH_SLACK: f64 = 0.15;

/// Matches of one copy sentence more than this many sentences further from
/// the cluster's diagonal than its nearest match are dropped.
///
/// Measured on: PAN 2013 02 (02 0.961 → 0.962); not swept.
pub(super) const DIAGONAL_SLACK: i64 = 2;

/// A weaker sentence pair (see [`AlignConfig::extend_cosine`]) joins the
/// seeds when a seed lies at most this many sentences away in both
/// documents.
///
/// Measured on: PAN 2013 03–05 (reach 1: pooled 0.920, 3: 0.922, 2: 0.922).
pub(super) const EXTEND_REACH: usize = 2;

/// Units shorter than this many words join their neighbour.
///
/// Measured on: PAN 2013, as part of joining short sentences (pooled 0.853 → 0.866 with lone line breaks joined and overlaps resolved); not swept on its own.
pub(super) const MIN_UNIT_WORDS: usize = 5;

/// A sentence of more than this many words that spans several lines is
/// more likely a list or a table without sentence punctuation: its lines
/// become units of their own (see [`align`]).
///
/// Measured on: PAN 2013 02–04 (30 and 45 words: 3 false detections on the negatives; 80: 03 0.921).
pub(super) const MAX_UNIT_WORDS: usize = 60;

/// See [`trim_sparse`].
///
/// Measured on: PAN 2013 03–04 (4 of 6; 4/3: pooled 0.928, 5/4: 0.929).
pub(super) const SPARSE_WINDOW: usize = 6;

/// See [`trim_sparse`].
///
/// Measured on: PAN 2013 03–04, with [`SPARSE_WINDOW`].
pub(super) const SPARSE_HITS: usize = 4;

/// [`trim_sparse`] keeps the words before the first dense window and after
/// the last one when there are at most this many: the rest of a sentence
/// whose other words were reworded, which an editor's copy (and PAN's
/// annotation) keeps whole. The passage's length is judged without them,
/// so they widen a passage but make none; a summary's passages keep them
/// too.
///
/// Measured on: PAN 2013 02–05 (pooled 0.9388 → 0.9403; 03 0.9230 →
/// 0.9252, 04 0.9308 → 0.9333, 05 0.7511 → 0.7515, 02 unchanged at
/// 0.9915), UPPC (ROC-AUC 0.9510 → 0.9514), Clough–Stevenson and the
/// generated feed (unchanged). Judging the length with the kept words made
/// passages of sentence ends (05 0.7492: one more detection of a case;
/// pooled 0.9402; 2 words: 0.9399, 4: 0.9404, 6: 0.9406 and a 21st false
/// detection on UPPC). Keeping words in the trimming of near-verbatim
/// passages as well cost PAN 02 (0.9915 → 0.9901).
pub(super) const SPARSE_KEEP_WORDS: usize = 3;

/// A copy paragraph between two seeds that follow each other in the
/// source is an insertion (a local paragraph in agency copy, which cuts the
/// passage in two) when its tf-idf cosine with those two source sentences
/// is below this. Measured on the generated 20,000-article feed: 2,728 of
/// the 2,788 such paragraphs (nearly all inserted local paragraphs) are
/// below 0.1; on PAN 2013 parts 02–05, 16 of 103 are (an obfuscated
/// sentence split in two mostly shares more), and cutting those leaves
/// every part's plagdet unchanged, where 0.2 lowers parts 03 and 04 by
/// 0.001.
pub(super) const INSERTION_COSINE: f64 = 0.1;

/// A passage grows over the words just before and just after it that are
/// the same on both sides, when there are at least this many: the start
/// of a copied sentence that a heading or an unpunctuated line hid from
/// the sentence matching, or a short sentence after it.
///
/// Measured on: PAN 2013 02 (1 word: same; 5: 02 0.989).
pub(super) const GROW_WORDS: usize = 2;

/// How far (bytes) [`grow_matching`] looks on each side of a passage.
///
/// Measured on: a bound on work per passage, not a tuned value.
pub(super) const GROW_WINDOW: usize = 4096;

/// A passage that overlaps heavier ones only at its ends gives those
/// sentences up and stays when at least this many are left; fewer are
/// mostly the other passages' edges.
///
/// Measured on: PAN 2013 05 (1 or 2: 05 at 0.748).
pub(super) const MIN_LEFT_UNITS: u32 = 3;

//! Passage alignment inside one document pair, below paragraph level.
//!
//! MinHash and LSH find which documents share text; this module finds
//! exactly which stretches, even when the copy was reworded (words
//! replaced, shuffled, machine-translated back and forth). It follows the
//! seed–extend–filter scheme of the best open PAN text-alignment systems:
//!
//! 1. **Units.** Each paragraph is split into sentences (UAX #29 sentence
//!    boundaries). A sentence is a bag of normalised words, cut to their
//!    first [`AlignConfig::word_prefix`] characters, weighted by
//!    tf-idf, with document frequencies counted over the sentences of both
//!    documents, so words frequent in the pair (function words in any
//!    language) weigh little without a stop-word list. A "sentence" of
//!    more than 60 words spanning several lines is a list or a table
//!    without punctuation: its lines are units of their own. When the
//!    other document has a sentence that long on one line (maybe the same
//!    list, flattened), the pair is also aligned with uncut sentences, and
//!    the passages only that finds are added where the copy has none.
//! 2. **Seeds.** Sentence pairs whose tf-idf cosine and word-set Dice
//!    coefficient both reach [`AlignConfig::seed_cosine`] and
//!    [`AlignConfig::seed_dice`]. Weaker pairs (reaching
//!    [`AlignConfig::extend_cosine`] and [`AlignConfig::extend_dice`]) join
//!    them when a seed lies at most two sentences away in both documents:
//!    the reworded sentences around a clear match.
//! 3. **Extension.** Seeds are clustered along the copy and then along the
//!    source, splitting wherever more than `max_gap` sentences separate
//!    two seeds, until stable. Each cluster spans a passage on both sides;
//!    a passage whose two sides are less similar than
//!    [`AlignConfig::validate_cosine`] is clustered again with a smaller
//!    gap. Seeds are also clustered with a wide gap
//!    ([`AlignConfig::summary_gap`]); when the resulting passages are
//!    summary-shaped (source sides at least three times the copy sides)
//!    they replace the others, and when they draw on at least 30% of the
//!    source they become one passage against the whole source.
//! 4. **Filtering.** Overlapping passages in the copy keep the more similar
//!    one (a lighter passage overlapped only at its ends gives up those
//!    sentences instead, when at least three are left). Near-verbatim
//!    passages are trimmed to their first and last run of shared word
//!    trigrams; a passage whose shared trigrams nearly all lie in one
//!    verbatim stretch of 200 characters or more is trimmed to that stretch
//!    (look-alike sentences that joined it fall away); reworded ones are
//!    trimmed to where the other side's words are dense. Then each passage
//!    grows over the words just before and after it that match one for one
//!    on both sides (a copied sentence's start hidden behind a heading),
//!    and passages shorter than [`AlignConfig::min_chars`] characters on
//!    either side are dropped. When one passage of the pair is
//!    near-verbatim (most word trigrams shared), the pair is a
//!    copy-and-paste and passages that are not are dropped as topical
//!    look-alikes.

use std::ops::Range;

use ahash::AHashMap;
use unicode_segmentation::UnicodeSegmentation;
use xxhash_rust::xxh3::xxh3_64;

use crate::text::{Token, prose_chars, split_paragraphs, tokenize};

mod constants;
use constants::*;

/// Parameters of the alignment.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AlignConfig {
    /// Minimum tf-idf cosine of a seed sentence pair.
    pub seed_cosine: f64,
    /// Minimum Dice coefficient of the word sets of a seed sentence pair.
    pub seed_dice: f64,
    /// Minimum tf-idf cosine of a weaker sentence pair that joins the
    /// seeds when it lies within two sentences of a seed on
    /// both sides (reworded sentences next to a clear match).
    pub extend_cosine: f64,
    /// Minimum Dice coefficient of such a weaker sentence pair.
    pub extend_dice: f64,
    /// Sentences that may separate two seeds of one passage.
    pub max_gap: usize,
    /// Minimum tf-idf cosine of the two sides of a passage.
    pub validate_cosine: f64,
    /// Passages shorter than this many characters on either side are
    /// dropped.
    pub min_chars: usize,
    /// Near-verbatim passages (most word trigrams shared) need only this
    /// many characters on each side: a copied quote or short paragraph.
    pub min_verbatim_chars: usize,
    /// Sentences that may separate two seeds when the pair is re-clustered
    /// as a possible summary (0 or at most `max_gap`: off).
    pub summary_gap: usize,
    /// Passage ends are trimmed to the first and last shared word n-gram
    /// of this size (0: keep sentence boundaries).
    pub trim_ngram: usize,
    /// Sentences compare words by their first this many characters, so
    /// inflected and derived forms (`elected`, `election`) match without
    /// a language's stemmer (0: whole words).
    pub word_prefix: usize,
}

impl Default for AlignConfig {
    fn default() -> Self {
        AlignConfig {
            seed_cosine: 0.33,
            seed_dice: 0.33,
            extend_cosine: 0.2,
            extend_dice: 0.2,
            max_gap: 4,
            validate_cosine: 0.34,
            min_chars: 150,
            min_verbatim_chars: 130,
            summary_gap: 24,
            trim_ngram: 3,
            word_prefix: 5,
        }
    }
}

/// One aligned passage: byte ranges in the two texts.
#[derive(Debug, Clone, PartialEq)]
pub struct Aligned {
    /// Byte range in the first (copy) text.
    pub a: Range<usize>,
    /// Byte range in the second (source) text.
    pub b: Range<usize>,
    /// tf-idf cosine similarity of the two sides.
    pub similarity: f64,
}

/// The result of aligning a pair.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Alignment {
    /// Aligned passages, in the copy's order.
    pub passages: Vec<Aligned>,
    /// The highest seed-candidate cosine of any sentence pair (a graded
    /// signal of relatedness even when no passage is found).
    pub best_sentence_cosine: f64,
}

/// A sentence as the aligner sees it.
#[derive(Debug, Clone)]
struct Unit {
    span: Range<usize>,
    /// Sorted (word, count).
    counts: Vec<(u64, u32)>,
    /// Number of words.
    words: usize,
}

/// The sentences of `text[start..]`, block by block (blocks end at blank
/// lines). Single line breaks do not end a sentence (hard-wrapped text,
/// lines reflowed by an editor).
fn sentences(text: &str, start: usize) -> Vec<Vec<Range<usize>>> {
    // The same text with lone line breaks turned into spaces: byte offsets
    // are unchanged, so spans found in it point into `text`.
    let bytes = text.as_bytes();
    let flat: String = text
        .char_indices()
        .map(|(i, c)| {
            let lone = (c == '\n' || c == '\r')
                && !matches!(bytes.get(i + 1), Some(b'\n') | Some(b'\r'))
                && !(i > 0 && matches!(bytes[i - 1], b'\n') && c == '\n')
                && !(i > 0 && bytes[i - 1] == b'\r' && c == '\n' && i > 1 && bytes[i - 2] == b'\n');
            if lone { ' ' } else { c }
        })
        .collect();
    split_paragraphs(&flat, start)
        .into_iter()
        .map(|block| {
            flat[block.clone()]
                .split_sentence_bound_indices()
                .flat_map(|(offset, sentence)| {
                    let at = block.start + offset;
                    split_at_thai_spaces(text, at..at + sentence.len())
                })
                .filter_map(|r| trimmed(text, r))
                .collect()
        })
        .collect()
}

/// Thai writes no sentence punctuation: a space between two Thai
/// characters ends a sentence or clause. `range` cut at such spaces.
fn split_at_thai_spaces(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let thai = |c: char| ('\u{0E00}'..='\u{0E7F}').contains(&c);
    let s = &text[range.clone()];
    if !s.chars().any(thai) {
        return vec![range];
    }
    let mut out = Vec::new();
    let mut from = range.start;
    let mut prev: Option<char> = None;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == ' ' && prev.is_some_and(thai) && chars.peek().is_some_and(|&(_, n)| thai(n)) {
            out.push(from..range.start + i);
            from = range.start + i + 1;
        }
        prev = Some(c);
    }
    out.push(from..range.end);
    out
}

/// Sentence units of `text` from its [`sentences`]; words longer than
/// `prefix` characters count by their first `prefix` (0: whole words).
/// With `split_long`, a sentence of more than [`MAX_UNIT_WORDS`] words is
/// cut at its line breaks. Sentences of fewer than [`MIN_UNIT_WORDS`] words
/// join the next sentence of their block (or the previous one, at its
/// end). Also returns whether a sentence was cut.
fn units(
    text: &str,
    blocks: &[Vec<Range<usize>>],
    prefix: usize,
    split_long: bool,
) -> (Vec<Unit>, bool) {
    let mut out: Vec<Unit> = Vec::new();
    let mut tokens: Vec<Token> = Vec::new();
    let mut cut = false;
    let mut spans: Vec<Range<usize>> = Vec::new();
    for block in blocks {
        let first_in_block = out.len();
        spans.clear();
        for span in block {
            let sentence = &text[span.clone()];
            if split_long
                && sentence.contains('\n')
                && sentence.split_ascii_whitespace().count() > MAX_UNIT_WORDS
            {
                cut = true;
                let mut from = span.start;
                for line in sentence.split('\n') {
                    spans.extend(trimmed(text, from..from + line.len()));
                    from += line.len() + 1;
                }
            } else {
                spans.push(span.clone());
            }
        }
        for span in spans.drain(..) {
            prefix_tokens(text, span.clone(), prefix, &mut tokens);
            if tokens.is_empty() {
                continue;
            }
            let mut counts: Vec<(u64, u32)> = Vec::new();
            add_counts(&mut counts, tokens.iter().map(|t| t.hash));
            let words = tokens.len();
            // A short unit before this one in the block joins it.
            let joins_previous =
                out.len() > first_in_block && out.last().is_some_and(|p| p.words < MIN_UNIT_WORDS);
            match out.last_mut() {
                Some(prev) if joins_previous => {
                    prev.span.end = span.end;
                    let merged: Vec<u64> = prev
                        .counts
                        .iter()
                        .flat_map(|&(h, c)| std::iter::repeat_n(h, c as usize))
                        .chain(tokens.iter().map(|t| t.hash))
                        .collect();
                    prev.counts.clear();
                    add_counts(&mut prev.counts, merged.into_iter());
                    prev.words += words;
                }
                _ => out.push(Unit {
                    span,
                    counts,
                    words,
                }),
            }
        }
        // A short last unit joins the previous one of its block.
        if out.len() >= first_in_block + 2 && out[out.len() - 1].words < MIN_UNIT_WORDS {
            if let Some(last) = out.pop() {
                if let Some(prev) = out.last_mut() {
                    prev.span.end = last.span.end;
                    let mut all: Vec<u64> = Vec::new();
                    for u in [&prev.counts, &last.counts] {
                        all.extend(
                            u.iter()
                                .flat_map(|&(h, c)| std::iter::repeat_n(h, c as usize)),
                        );
                    }
                    prev.counts.clear();
                    add_counts(&mut prev.counts, all.into_iter());
                    prev.words += last.words;
                }
            }
        }
    }
    (out, cut)
}

/// `range` without the white space at its ends; `None` when nothing else
/// is left.
fn trimmed(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let s = &text[range.clone()];
    let end = range.start + s.trim_end().len();
    let start = end - s.trim().len();
    (start < end).then_some(start..end)
}

/// Tokenises `text[range]` into `out`; words longer than `prefix`
/// characters are hashed by their first `prefix` (0: whole words).
fn prefix_tokens(text: &str, range: Range<usize>, prefix: usize, out: &mut Vec<Token>) {
    out.clear();
    tokenize(text, range, out);
    if prefix > 0 {
        for t in out.iter_mut().filter(|t| !t.link) {
            let word = &text[t.start as usize..t.end as usize];
            if let Some((cut, _)) = word.char_indices().nth(prefix) {
                t.hash = xxh3_64(word[..cut].to_lowercase().as_bytes());
            }
        }
    }
}

/// Adds word hashes to a sorted (word, count) list.
fn add_counts(counts: &mut Vec<(u64, u32)>, words: impl Iterator<Item = u64>) {
    let mut all: Vec<u64> = counts
        .drain(..)
        .flat_map(|(h, c)| std::iter::repeat_n(h, c as usize))
        .chain(words)
        .collect();
    all.sort_unstable();
    for h in all {
        match counts.last_mut() {
            Some((last, c)) if *last == h => *c += 1,
            _ => counts.push((h, 1)),
        }
    }
}

/// Normalised tf-idf vectors of units.
fn vectors(units: &[Unit], idf: &AHashMap<u64, f64>) -> Vec<Vec<(u64, f64)>> {
    units
        .iter()
        .map(|u| weigh(u.counts.iter().copied(), idf))
        .collect()
}

fn weigh(counts: impl Iterator<Item = (u64, u32)>, idf: &AHashMap<u64, f64>) -> Vec<(u64, f64)> {
    let mut v: Vec<(u64, f64)> = counts
        .map(|(w, c)| {
            (
                w,
                (1.0 + f64::from(c).ln()) * idf.get(&w).copied().unwrap_or(0.0),
            )
        })
        .collect();
    let norm = v.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
    if norm > 0.0 {
        for (_, x) in &mut v {
            *x /= norm;
        }
    }
    v
}

fn dot(a: &[(u64, f64)], b: &[(u64, f64)]) -> f64 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

fn dice(a: &Unit, b: &Unit) -> f64 {
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.counts.len() && j < b.counts.len() {
        match a.counts[i].0.cmp(&b.counts[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let total = a.counts.len() + b.counts.len();
    if total == 0 {
        0.0
    } else {
        2.0 * shared as f64 / total as f64
    }
}

/// Aligns `a[a_start..]` (the copy) against `b[b_start..]` (the source).
///
/// ```
/// use reprint::align::{align, AlignConfig};
/// let source = "Officials from the port met with residents on Monday. \
///     The council approved a new budget for the harbour after a long debate about costs and jobs. \
///     Heavy rain is expected across the region later this week.";
/// let copy = "Our reporter spent the morning at the fish market downtown. \
///     The council approved the new budget for the harbour after a long debate about jobs and costs. \
///     The local football club won its third match in a row.";
/// let config = AlignConfig { min_chars: 20, ..AlignConfig::default() };
/// let result = align(copy, 0, source, 0, &config);
/// assert_eq!(result.passages.len(), 1);
/// assert!(copy[result.passages[0].a.clone()].starts_with("The council"));
/// ```
pub fn align(a: &str, a_start: usize, b: &str, b_start: usize, config: &AlignConfig) -> Alignment {
    align_prepared(
        &Prepared::new(a, a_start),
        &Prepared::new(b, b_start),
        config,
    )
}

/// A document split into sentences for [`align_prepared`], once for every
/// pair it takes part in (sentence segmentation is the costliest step of
/// preparing a pair).
#[derive(Debug, Clone)]
pub struct Prepared<'t> {
    text: &'t str,
    start: usize,
    sentences: Vec<Vec<Range<usize>>>,
    /// The sentence units for the first word prefix asked for (the one
    /// every pair of a run uses): word prefix, units, whether cut.
    units: std::sync::OnceLock<(usize, Vec<Unit>, bool)>,
}

impl<'t> Prepared<'t> {
    /// Prepares `text[start..]` (its body: `start` is a byte offset on a
    /// character boundary).
    pub fn new(text: &'t str, start: usize) -> Self {
        Prepared {
            text,
            start,
            sentences: sentences(text, start),
            units: std::sync::OnceLock::new(),
        }
    }

    /// The same document without the sentences lying mostly inside
    /// `excluded` (sorted, disjoint byte ranges: the boilerplate a scan set
    /// aside). Such sentences neither seed nor join a passage, so two
    /// outlets' look-alike footers do not align around them.
    pub fn set_aside(mut self, excluded: &[Range<usize>]) -> Self {
        if excluded.is_empty() {
            return self;
        }
        let inside = |r: &Range<usize>| -> usize {
            let first = excluded.partition_point(|e| e.end <= r.start);
            excluded[first..]
                .iter()
                .take_while(|e| e.start < r.end)
                .map(|e| r.end.min(e.end) - r.start.max(e.start))
                .sum()
        };
        for block in &mut self.sentences {
            block.retain(|r| 2 * inside(r) < r.len());
        }
        self.sentences.retain(|b| !b.is_empty());
        self.units = std::sync::OnceLock::new();
        self
    }

    /// The units with long list-like sentences cut, computed once for the
    /// first `prefix` asked for.
    fn cut_units(&self, prefix: usize) -> (std::borrow::Cow<'_, [Unit]>, bool) {
        let (p, units_cut, cut) = self.units.get_or_init(|| {
            let (u, cut) = units(self.text, &self.sentences, prefix, true);
            (prefix, u, cut)
        });
        if *p == prefix {
            (std::borrow::Cow::Borrowed(units_cut.as_slice()), *cut)
        } else {
            let (u, cut) = units(self.text, &self.sentences, prefix, true);
            (std::borrow::Cow::Owned(u), cut)
        }
    }

    /// The document's text.
    pub fn text(&self) -> &'t str {
        self.text
    }
}

/// [`align`] of two prepared documents: the same result, without splitting
/// a document into sentences again for every pair.
pub fn align_prepared(copy: &Prepared, source: &Prepared, config: &AlignConfig) -> Alignment {
    let (a, a_start, sa) = (copy.text, copy.start, &copy.sentences);
    let (b, b_start, sb) = (source.text, source.start, &source.sentences);
    let (ua, a_cut) = copy.cut_units(config.word_prefix);
    let (ub, b_cut) = source.cut_units(config.word_prefix);
    let mut result = align_units(a, a_start, &ua, b, b_start, &ub, config);
    let long = |units: &[Unit]| units.iter().any(|u| u.words > MAX_UNIT_WORDS);
    if (a_cut && long(&ub)) || (b_cut && long(&ua)) {
        // A list whose lines are units on one side may be one long
        // flattened sentence on the other, which only the uncut units
        // match: their passages are added where the copy has none yet.
        let whole = |text: &str, blocks: &[Vec<Range<usize>>], cut: bool, units_cut| {
            if cut {
                std::borrow::Cow::Owned(units(text, blocks, config.word_prefix, false).0)
            } else {
                units_cut
            }
        };
        let (ua, ub) = (whole(a, sa, a_cut, ua), whole(b, sb, b_cut, ub));
        let uncut = align_units(a, a_start, &ua, b, b_start, &ub, config);
        let overlaps = |p: &Aligned, q: &Aligned| p.a.start < q.a.end && q.a.start < p.a.end;
        let extra: Vec<Aligned> = uncut
            .passages
            .into_iter()
            .filter(|q| !result.passages.iter().any(|p| overlaps(p, q)))
            .collect();
        result.passages.extend(extra);
        result.passages.sort_by_key(|p| (p.a.start, p.b.start));
        result.best_sentence_cosine = result.best_sentence_cosine.max(uncut.best_sentence_cosine);
    }
    result
}

/// [`align`] over given sentence units.
fn align_units(
    a: &str,
    a_start: usize,
    ua: &[Unit],
    b: &str,
    b_start: usize,
    ub: &[Unit],
    config: &AlignConfig,
) -> Alignment {
    if ua.is_empty() || ub.is_empty() {
        return Alignment::default();
    }
    // Document frequencies over the sentences of both documents.
    let mut df: AHashMap<u64, u32> = AHashMap::new();
    for u in ua.iter().chain(ub) {
        for &(w, _) in &u.counts {
            *df.entry(w).or_insert(0) += 1;
        }
    }
    let n = (ua.len() + ub.len()) as f64;
    let idf: AHashMap<u64, f64> = df
        .into_iter()
        .map(|(w, d)| (w, (n / f64::from(d)).ln()))
        .collect();
    let va = vectors(ua, &idf);
    let vb = vectors(ub, &idf);

    // Seeds, through an inverted index over the source's sentences.
    let mut postings: AHashMap<u64, Vec<(u32, f64)>> = AHashMap::new();
    for (j, v) in vb.iter().enumerate() {
        for &(w, x) in v {
            if x > 0.0 {
                postings.entry(w).or_default().push((j as u32, x));
            }
        }
    }
    let mut seeds: Vec<(u32, u32)> = Vec::new();
    let mut weak: Vec<(u32, u32, f64)> = Vec::new();
    let mut seed_cosine: AHashMap<(u32, u32), f64> = AHashMap::new();
    let mut best = 0.0f64;
    let mut acc = vec![0.0f64; ub.len()];
    let mut touched: Vec<u32> = Vec::new();
    for (i, v) in va.iter().enumerate() {
        for &(w, x) in v {
            if let Some(list) = postings.get(&w) {
                for &(j, y) in list {
                    if acc[j as usize] == 0.0 {
                        touched.push(j);
                    }
                    acc[j as usize] += x * y;
                }
            }
        }
        touched.sort_unstable();
        for &j in &touched {
            let cos = acc[j as usize];
            acc[j as usize] = 0.0;
            best = best.max(cos);
            if cos < config.seed_cosine.min(config.extend_cosine) {
                continue;
            }
            let d = dice(&ua[i], &ub[j as usize]);
            if cos >= config.seed_cosine && d >= config.seed_dice {
                seeds.push((i as u32, j));
                seed_cosine.insert((i as u32, j), cos);
            } else if cos >= config.extend_cosine && d >= config.extend_dice {
                weak.push((i as u32, j, cos));
            }
        }
        touched.clear();
    }

    // Weaker pairs next to a seed on both sides join it: the reworded
    // sentences around a clear match.
    let strong: ahash::AHashSet<(u32, u32)> = seeds.iter().copied().collect();
    let reach = EXTEND_REACH as i64;
    let near_seed = |&(i, j, _): &(u32, u32, f64)| {
        (-reach..=reach).any(|di| {
            (-reach..=reach).any(|dj| {
                let (si, sj) = (i64::from(i) + di, i64::from(j) + dj);
                si >= 0 && sj >= 0 && strong.contains(&(si as u32, sj as u32))
            })
        })
    };
    for (i, j, cos) in weak.into_iter().filter(near_seed) {
        seeds.push((i, j));
        seed_cosine.insert((i, j), cos);
    }
    let ctx = Context {
        ua,
        ub,
        idf: &idf,
        seed_cosine: &seed_cosine,
    };
    let finish = |passages: Vec<Passage>| -> Vec<(Aligned, f64)> {
        let mut kept = resolve_overlaps(passages, ua);
        kept.sort_by_key(|p| (p.0.start, p.1.start));
        kept.into_iter()
            .map(|(ra, rb, similarity)| {
                let span_a = ua[ra.start as usize].span.start..ua[ra.end as usize - 1].span.end;
                let span_b = ub[rb.start as usize].span.start..ub[rb.end as usize - 1].span.end;
                let (mut a_span, mut b_span, shared) =
                    trim_shared(a, span_a, b, span_b, config.trim_ngram);
                if shared < TRIM_SHARED && config.trim_ngram > 0 {
                    (a_span, b_span) = trim_sparse(a, a_span, b, b_span, config.word_prefix);
                }
                (a_span, b_span) = grow_matching(a, a_span, a_start, b, b_span, b_start);
                let aligned = Aligned {
                    a: a_span,
                    b: b_span,
                    similarity,
                };
                (aligned, shared)
            })
            .filter(|(p, shared)| {
                let min = if *shared >= VERBATIM_SHARED {
                    config.min_verbatim_chars.min(config.min_chars)
                } else {
                    config.min_chars
                };
                prose_chars(&a[p.a.clone()]) >= min && prose_chars(&b[p.b.clone()]) >= min
            })
            .collect()
    };
    let mut normal: Vec<Passage> = Vec::new();
    extend(
        &seeds,
        config.max_gap,
        config.validate_cosine,
        &ctx,
        &mut normal,
    );
    let mut passages = finish(normal);
    let mut summary = false;
    if config.summary_gap > config.max_gap {
        // A summary condenses a long stretch of the source into a few
        // sentences whose seeds lie far apart in the source: cluster again
        // with a wide gap, and keep that result when its passages are
        // summary-shaped (source sides much longer than copy sides).
        let mut wide: Vec<Passage> = Vec::new();
        // The source side of a summary is at least SUMMARY_RATIO times
        // longer than the copy side, and its extra words dilute the cosine:
        // a copy whose words all come from a source k times its length
        // reaches only about 1/√k. The validation scales accordingly.
        let validate = config.validate_cosine / SUMMARY_RATIO.sqrt();
        extend(&seeds, config.summary_gap, validate, &ctx, &mut wide);
        let chars = |units: &[Unit], r: &Range<u32>| {
            units[r.end as usize - 1].span.end - units[r.start as usize].span.start
        };
        let copy_len: usize = wide.iter().map(|p| chars(ua, &p.0)).sum();
        let source_len: usize = wide.iter().map(|p| chars(ub, &p.1)).sum();
        if !wide.is_empty() && source_len as f64 >= SUMMARY_RATIO * copy_len as f64 {
            passages = finish(wide);
            summary = true;
            // A summary that draws on a large part of the source condenses
            // all of it: one passage, from the copy's first summarised
            // sentence to its last, against the whole source body.
            let body = b[b_start..].trim();
            let body_start = b.len() - b[b_start..].trim_start().len();
            let drawn: usize = passages.iter().map(|(p, _)| p.b.len()).sum();
            let copy_start = passages.iter().map(|(p, _)| p.a.start).min();
            let copy_end = passages.iter().map(|(p, _)| p.a.end).max();
            if let (Some(start), Some(end)) = (copy_start, copy_end) {
                if drawn as f64 >= SUMMARY_WHOLE * body.len() as f64 {
                    let similarity = passages
                        .iter()
                        .map(|(p, _)| p.similarity)
                        .fold(0.0, f64::max);
                    let whole = Aligned {
                        a: start..end,
                        b: body_start..body_start + body.len(),
                        similarity,
                    };
                    passages = vec![(whole, 0.0)];
                }
            }
        }
    }
    // A pair with a near-verbatim passage is a copy-and-paste: its other
    // passages must be close to verbatim too, or they are look-alike
    // sentences on the same topic.
    if !summary
        && passages
            .iter()
            .any(|(_, shared)| *shared >= VERBATIM_SHARED)
    {
        passages.retain(|(_, shared)| *shared >= VERBATIM_KEEP);
    }
    let passages = passages.into_iter().map(|(p, _)| p).collect();
    Alignment {
        passages,
        best_sentence_cosine: best,
    }
}

/// Trims both sides of a passage to the stretch between the first and the
/// last word `n`-gram the two sides share, so a passage that starts or ends
/// inside a sentence is reported from its first shared words. `n = 0`
/// keeps sentence boundaries.
pub fn trim(
    a: &str,
    ra: Range<usize>,
    b: &str,
    rb: Range<usize>,
    n: usize,
) -> (Range<usize>, Range<usize>) {
    if n == 0 {
        return (ra, rb);
    }
    let (ra, rb, _) = trim_shared(a, ra, b, rb, n);
    (ra, rb)
}

/// The word `n`-grams of `text[range]`, `n` ≥ 1: (hash, first byte, end
/// byte) of each, in order.
pub(crate) fn word_ngrams(text: &str, range: Range<usize>, n: usize) -> Vec<(u64, usize, usize)> {
    let mut t = Vec::new();
    tokenize(text, range, &mut t);
    t.windows(n)
        .map(|w| {
            let h = w.iter().fold(0u64, |acc, x| acc.rotate_left(17) ^ x.hash);
            (h, w[0].start as usize, w[n - 1].end as usize)
        })
        .collect()
}

/// [`trim`], also returning the fraction of word `n`-grams the two sides
/// share (of the side with fewer).
fn trim_shared(
    a: &str,
    ra: Range<usize>,
    b: &str,
    rb: Range<usize>,
    n: usize,
) -> (Range<usize>, Range<usize>, f64) {
    if n == 0 {
        return (ra, rb, 0.0);
    }
    let ga = word_ngrams(a, ra.clone(), n);
    let gb = word_ngrams(b, rb.clone(), n);
    let set_a: ahash::AHashSet<u64> = ga.iter().map(|g| g.0).collect();
    let set_b: ahash::AHashSet<u64> = gb.iter().map(|g| g.0).collect();
    let shared = set_a.iter().filter(|g| set_b.contains(g)).count();
    let ratio = shared as f64 / set_a.len().min(set_b.len()).max(1) as f64;
    let hit_a: Vec<bool> = ga.iter().map(|x| set_b.contains(&x.0)).collect();
    let hit_b: Vec<bool> = gb.iter().map(|x| set_a.contains(&x.0)).collect();
    if ratio < VERBATIM_SHARED {
        if let Some((ca, cb, core_ratio)) = verbatim_core(&ga, &hit_a, &gb, &hit_b, shared) {
            return (narrow(a, ra, ca), narrow(b, rb, cb), core_ratio);
        }
    }
    if ratio < TRIM_SHARED {
        return (ra, rb, ratio);
    }
    // A near-verbatim passage starts and ends with a run of shared n-grams:
    // a heading or a menu line that merely repeats a few of its words does
    // not count.
    let run = if ratio >= VERBATIM_SHARED {
        VERBATIM_RUN
    } else {
        1
    };
    let bounds = |text: &str, g: &[(u64, usize, usize)], hit: &[bool], r: Range<usize>| {
        let ends = run_ends(hit, run, true);
        let first = ends.map(|e| e.0).or_else(|| hit.iter().position(|h| *h));
        let last = ends.map(|e| e.1).or_else(|| hit.iter().rposition(|h| *h));
        match (first, last) {
            (Some(f), Some(l)) if g[f].1 < g[l].2 => narrow(text, r, g[f].1..g[l].2),
            _ => r,
        }
    };
    (
        bounds(a, &ga, &hit_a, ra),
        bounds(b, &gb, &hit_b, rb),
        ratio,
    )
}

/// Indices of the first n-gram that opens a run of `run` consecutive hits
/// and of the last one that closes one. With `short_ends`, a run cut short
/// by the end of the passage counts too.
fn run_ends(hit: &[bool], run: usize, short_ends: bool) -> Option<(usize, usize)> {
    let n = hit.len();
    let run = run.clamp(1, n.max(1));
    let all = |r: Range<usize>| hit[r].iter().all(|h| *h);
    let first = if short_ends {
        (0..n).find(|&i| all(i..(i + run).min(n)))
    } else {
        (0..(n + 1).saturating_sub(run)).find(|&i| all(i..i + run))
    }?;
    let last = if short_ends {
        (0..n)
            .rev()
            .find(|&j| all((j + 1).saturating_sub(run)..j + 1))
    } else {
        (run.saturating_sub(1)..n)
            .rev()
            .find(|&j| all(j + 1 - run..j + 1))
    }?;
    Some((first, last))
}

/// The verbatim core of a passage (see [`CORE_CHARS`]): byte ranges of
/// both sides and the fraction of n-grams they share, or `None` when the
/// passage has none. Each side's core runs from its first to its last run
/// of [`VERBATIM_RUN`] shared n-grams.
fn verbatim_core(
    ga: &[(u64, usize, usize)],
    hit_a: &[bool],
    gb: &[(u64, usize, usize)],
    hit_b: &[bool],
    shared: usize,
) -> Option<(Range<usize>, Range<usize>, f64)> {
    let (fa, la) = run_ends(hit_a, VERBATIM_RUN, false)?;
    let (fb, lb) = run_ends(hit_b, VERBATIM_RUN, false)?;
    let (ca, cb) = (ga[fa].1..ga[la].2, gb[fb].1..gb[lb].2);
    if ca.len().min(cb.len()) < CORE_CHARS {
        return None;
    }
    let set = |g: &[(u64, usize, usize)]| g.iter().map(|x| x.0).collect::<ahash::AHashSet<u64>>();
    let (set_a, set_b) = (set(&ga[fa..=la]), set(&gb[fb..=lb]));
    let core_shared = set_a.iter().filter(|g| set_b.contains(g)).count();
    let ratio = core_shared as f64 / set_a.len().min(set_b.len()).max(1) as f64;
    (ratio >= CORE_NEARLY_ALL && core_shared as f64 >= CORE_NEARLY_ALL * shared as f64)
        .then_some((ca, cb, ratio))
}

/// Trims the sides of a reworded passage to where the other side's words
/// become dense: each side starts at the first word that opens a window of
/// [`SPARSE_WINDOW`] words of which at least [`SPARSE_HITS`] occur in the
/// other side, and ends at the last word that closes one. Clauses at the
/// ends of the outer sentences that the other side does not use fall away.
fn trim_sparse(
    a: &str,
    ra: Range<usize>,
    b: &str,
    rb: Range<usize>,
    prefix: usize,
) -> (Range<usize>, Range<usize>) {
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    prefix_tokens(a, ra.clone(), prefix, &mut ta);
    prefix_tokens(b, rb.clone(), prefix, &mut tb);
    let words = |t: &[Token]| t.iter().map(|x| x.hash).collect::<ahash::AHashSet<u64>>();
    let (set_a, set_b) = (words(&ta), words(&tb));
    (
        dense_bounds(a, &ta, &set_b, ra),
        dense_bounds(b, &tb, &set_a, rb),
    )
}

/// The stretch of `r` from the first to the last dense window of `tokens`
/// (see [`trim_sparse`]); `r` itself when there is none. Punctuation
/// between the trimmed and the original ends stays in.
fn dense_bounds(
    text: &str,
    tokens: &[Token],
    other: &ahash::AHashSet<u64>,
    r: Range<usize>,
) -> Range<usize> {
    let n = tokens.len();
    if n < SPARSE_WINDOW {
        return r;
    }
    let hit: Vec<bool> = tokens.iter().map(|t| other.contains(&t.hash)).collect();
    let dense = |w: &[bool]| w.iter().filter(|x| **x).count() >= SPARSE_HITS;
    let first = (0..=n - SPARSE_WINDOW).find(|&i| hit[i] && dense(&hit[i..i + SPARSE_WINDOW]));
    let last = (SPARSE_WINDOW - 1..n)
        .rev()
        .find(|&j| hit[j] && dense(&hit[j + 1 - SPARSE_WINDOW..=j]));
    match (first, last) {
        (Some(f), Some(l)) if f <= l => {
            narrow(text, r, tokens[f].start as usize..tokens[l].end as usize)
        }
        _ => r,
    }
}

/// Extends `ra` and `rb` backwards and forwards over the words that match
/// one for one on both sides (see [`GROW_WORDS`]), never before `a_floor`
/// and `b_floor` (where the bodies start).
fn grow_matching(
    a: &str,
    ra: Range<usize>,
    a_floor: usize,
    b: &str,
    rb: Range<usize>,
    b_floor: usize,
) -> (Range<usize>, Range<usize>) {
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    tokenize(a, window_before(a, a_floor, ra.start), &mut ta);
    tokenize(b, window_before(b, b_floor, rb.start), &mut tb);
    let back = ta
        .iter()
        .rev()
        .zip(tb.iter().rev())
        .take_while(|(x, y)| x.hash == y.hash)
        .count();
    let (mut ra, mut rb) = (ra, rb);
    if back >= GROW_WORDS {
        ra.start = ta[ta.len() - back].start as usize;
        rb.start = tb[tb.len() - back].start as usize;
    }
    ta.clear();
    tb.clear();
    tokenize(a, window_after(a, ra.end), &mut ta);
    tokenize(b, window_after(b, rb.end), &mut tb);
    let ahead = ta
        .iter()
        .zip(&tb)
        .take_while(|(x, y)| x.hash == y.hash)
        .count();
    if ahead >= GROW_WORDS {
        ra.end = ta[ahead - 1].end as usize;
        rb.end = tb[ahead - 1].end as usize;
    }
    (ra, rb)
}

/// Up to [`GROW_WINDOW`] bytes of `text` before `end`, not before `floor`,
/// starting at white space so that no word is cut.
fn window_before(text: &str, floor: usize, end: usize) -> Range<usize> {
    let mut start = end.saturating_sub(GROW_WINDOW).max(floor);
    if start > floor {
        start = text.as_bytes()[start..end]
            .iter()
            .position(u8::is_ascii_whitespace)
            .map_or(end, |p| start + p);
    }
    start..end
}

/// Up to [`GROW_WINDOW`] bytes of `text` from `start`, ending at white
/// space so that no word is cut.
fn window_after(text: &str, start: usize) -> Range<usize> {
    let mut end = (start + GROW_WINDOW).min(text.len());
    if end < text.len() {
        end = text.as_bytes()[start..end]
            .iter()
            .rposition(u8::is_ascii_whitespace)
            .map_or(start, |p| start + p);
    }
    start..end
}

/// `r` narrowed to `inner` (within it), except where only punctuation and
/// spaces lie between the two ends: those stay in.
fn narrow(text: &str, r: Range<usize>, inner: Range<usize>) -> Range<usize> {
    let wordless = |s: &str| !s.chars().any(char::is_alphanumeric);
    let start = if wordless(&text[r.start..inner.start]) {
        r.start
    } else {
        inner.start
    };
    let end = if wordless(&text[inner.end..r.end]) {
        r.end
    } else {
        inner.end
    };
    start..end
}

/// Splits seeds into groups wherever consecutive seeds (sorted by `key`)
/// are more than `gap` units apart.
fn split_by(
    mut seeds: Vec<(u32, u32)>,
    gap: usize,
    key: fn(&(u32, u32)) -> u32,
) -> Vec<Vec<(u32, u32)>> {
    seeds.sort_by_key(|s| (key(s), *s));
    let mut out: Vec<Vec<(u32, u32)>> = Vec::new();
    for s in seeds {
        match out.last_mut() {
            Some(group) if key(&s) <= key(group.last().unwrap_or(&s)) + gap as u32 + 1 => {
                group.push(s)
            }
            _ => out.push(vec![s]),
        }
    }
    out
}

/// Clusters seeds along both documents until each cluster is contiguous
/// (within `gap`) on both sides.
fn cluster(seeds: Vec<(u32, u32)>, gap: usize) -> Vec<Vec<(u32, u32)>> {
    let mut out = Vec::new();
    let mut work = vec![(seeds, true)];
    while let Some((group, by_a)) = work.pop() {
        let parts = if by_a {
            split_by(group, gap, |s| s.0)
        } else {
            split_by(group, gap, |s| s.1)
        };
        if parts.len() == 1 {
            let part = parts.into_iter().next().unwrap_or_default();
            // Stable along this axis: check the other one, or finish.
            let other = if by_a {
                split_by(part.clone(), gap, |s| s.1)
            } else {
                split_by(part.clone(), gap, |s| s.0)
            };
            if other.len() == 1 {
                out.push(part);
            } else {
                work.extend(other.into_iter().map(|g| (g, by_a)));
            }
        } else {
            work.extend(parts.into_iter().map(|g| (g, !by_a)));
        }
    }
    out
}

/// A passage in units: copy range, source range, similarity.
type Passage = (Range<u32>, Range<u32>, f64);

/// Overlaps in the copy: keeps the passage with more similar text
/// (similarity × length), so a long passage is not lost to a short repeat
/// of one of its sentences elsewhere in the source. A lighter passage
/// that overlaps kept ones only at its ends (a sentence that straddles two
/// copied passages joins both clusters) loses those sentences instead
/// (see [`MIN_LEFT_UNITS`]); its source side is left to the trimming.
fn resolve_overlaps(mut passages: Vec<Passage>, ua: &[Unit]) -> Vec<Passage> {
    let weight = |p: &Passage| {
        let len = ua[p.0.end as usize - 1].span.end - ua[p.0.start as usize].span.start;
        p.2 * len as f64
    };
    passages.sort_by(|x, y| {
        weight(y)
            .total_cmp(&weight(x))
            .then(x.0.start.cmp(&y.0.start))
            .then(x.1.start.cmp(&y.1.start))
    });
    let mut kept: Vec<Passage> = Vec::new();
    for mut p in passages {
        let units = p.0.len();
        // Cut the ends of p that kept passages cover, until none does.
        let mut cut = true;
        while cut {
            cut = false;
            for k in &kept {
                if k.0.start <= p.0.start && p.0.start < k.0.end && k.0.end < p.0.end {
                    p.0.start = k.0.end;
                    cut = true;
                } else if p.0.start < k.0.start && k.0.start < p.0.end && p.0.end <= k.0.end {
                    p.0.end = k.0.start;
                    cut = true;
                }
            }
        }
        let disjoint = kept
            .iter()
            .all(|k| k.0.end <= p.0.start || p.0.end <= k.0.start);
        if disjoint && (p.0.len() == units || p.0.len() >= MIN_LEFT_UNITS as usize) {
            kept.push(p);
        }
    }
    kept
}

/// What the extension step reads.
struct Context<'a> {
    ua: &'a [Unit],
    ub: &'a [Unit],
    idf: &'a AHashMap<u64, f64>,
    seed_cosine: &'a AHashMap<(u32, u32), f64>,
}

/// Within one cluster, keeps only the seeds that are the best match of
/// their copy sentence and of their source sentence: a sentence repeated
/// across the source (a menu line, a recurring definition) otherwise
/// stretches the passage over every repeat. Among equally good matches of
/// one copy sentence, the one closest to the cluster's diagonal (the median
/// offset between copy and source positions) and those at most
/// [`DIAGONAL_SLACK`] sentences further from it stay.
fn best_matches(group: &[(u32, u32)], cosine: &AHashMap<(u32, u32), f64>) -> Vec<(u32, u32)> {
    let cos = |s: &(u32, u32)| cosine.get(s).copied().unwrap_or(0.0);
    let mut best_a: AHashMap<u32, f64> = AHashMap::new();
    let mut best_b: AHashMap<u32, f64> = AHashMap::new();
    for s in group {
        let c = cos(s);
        let a = best_a.entry(s.0).or_insert(c);
        *a = a.max(c);
        let b = best_b.entry(s.1).or_insert(c);
        *b = b.max(c);
    }
    let mut kept: Vec<(u32, u32)> = group
        .iter()
        .copied()
        .filter(|s| {
            let c = cos(s);
            c >= best_a[&s.0] - BEST_MATCH_SLACK && c >= best_b[&s.1] - BEST_MATCH_SLACK
        })
        .collect();
    let mut offsets: Vec<i64> = kept
        .iter()
        .map(|s| i64::from(s.1) - i64::from(s.0))
        .collect();
    offsets.sort_unstable();
    let Some(&diagonal) = offsets.get(offsets.len() / 2) else {
        return kept;
    };
    let distance = |s: &(u32, u32)| (i64::from(s.1) - i64::from(s.0) - diagonal).abs();
    let mut nearest: AHashMap<u32, i64> = AHashMap::new();
    for s in &kept {
        let d = nearest.entry(s.0).or_insert(i64::MAX);
        *d = (*d).min(distance(s));
    }
    kept.retain(|s| distance(s) <= nearest[&s.0] + DIAGONAL_SLACK);
    kept
}

/// Clusters `seeds` with gaps of up to `gap` sentences and keeps the
/// clusters whose two sides reach a cosine of `validate`, clustering the
/// others again with a smaller gap.
fn extend(seeds: &[(u32, u32)], gap: usize, validate: f64, ctx: &Context, out: &mut Vec<Passage>) {
    if seeds.is_empty() {
        return;
    }
    for group in cluster(seeds.to_vec(), gap) {
        let filtered = best_matches(&group, ctx.seed_cosine);
        if filtered.len() < group.len() {
            extend(&filtered, gap, validate, ctx, out);
            continue;
        }
        let ra = group.iter().map(|s| s.0).min().unwrap_or(0)
            ..group.iter().map(|s| s.0).max().unwrap_or(0) + 1;
        let rb = group.iter().map(|s| s.1).min().unwrap_or(0)
            ..group.iter().map(|s| s.1).max().unwrap_or(0) + 1;
        let sim = fragment_cosine(
            &ctx.ua[ra.start as usize..ra.end as usize],
            &ctx.ub[rb.start as usize..rb.end as usize],
            ctx.idf,
        );
        if sim >= validate {
            out.push((ra, rb, sim));
        } else if gap > 0 {
            extend(&group, gap - 1, validate, ctx, out);
        }
    }
}

fn fragment_cosine(a: &[Unit], b: &[Unit], idf: &AHashMap<u64, f64>) -> f64 {
    let merge = |units: &[Unit]| {
        let mut all: Vec<(u64, u32)> = units
            .iter()
            .flat_map(|u| u.counts.iter().copied())
            .collect();
        all.sort_unstable_by_key(|x| x.0);
        let mut merged: Vec<(u64, u32)> = Vec::new();
        for (w, c) in all {
            match merged.last_mut() {
                Some((last, n)) if *last == w => *n += c,
                _ => merged.push((w, c)),
            }
        }
        weigh(merged.into_iter(), idf)
    };
    dot(&merge(a), &merge(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_in_every_script() {
        for (text, n) in [
            (
                "پہلا جملہ یہاں ختم ہوتا ہے۔ دوسرا جملہ یہاں ہے؟ تیسرا جملہ۔",
                3,
            ),
            ("यह पहला वाक्य है। यह दूसरा वाक्य है॥ तीसरा।", 3),
            ("这是第一句。这是第二句！这是第三句？", 3),
            ("นี่คือประโยคแรก นี่คือประโยคที่สอง นี่คือประโยคที่สาม", 3),
            ("One sentence here. Another one follows! And a third?", 3),
            ("A hard-wrapped sentence\nruns on over the line break.", 1),
        ] {
            let found = sentences(text, 0);
            assert_eq!(
                found.iter().map(Vec::len).sum::<usize>(),
                n,
                "{text}: {found:?}"
            );
        }
    }

    #[test]
    fn gaps_split_clusters_on_both_axes() {
        let seeds = vec![(0, 0), (1, 1), (2, 2), (10, 3), (11, 4), (12, 40)];
        let mut groups = cluster(seeds, 2);
        groups.sort();
        assert_eq!(
            groups,
            vec![
                vec![(0, 0), (1, 1), (2, 2)],
                vec![(10, 3), (11, 4)],
                vec![(12, 40)]
            ]
        );
    }

    #[test]
    fn unrelated_texts_align_nothing() {
        let a = "The river flooded the lower town after three days of rain. Residents moved to the school.";
        let b = "The orchestra played a new symphony at the festival. Critics praised the young conductor.";
        assert!(
            align(a, 0, b, 0, &AlignConfig::default())
                .passages
                .is_empty()
        );
    }

    #[test]
    fn a_verbatim_passage_is_found_with_sentence_boundaries() {
        let shared = "The committee published its final report on Thursday after two years of hearings. It recommends sweeping changes to how the agency handles complaints from the public. Ministers said they would respond within three months.";
        let a = format!(
            "An unrelated opening sentence about the weather today. {shared} A closing remark of our own about sport."
        );
        let b = format!(
            "Background on the agency and its history of reform. {shared} Further context on previous inquiries into the matter."
        );
        let r = align(&a, 0, &b, 0, &AlignConfig::default());
        assert_eq!(r.passages.len(), 1);
        assert_eq!(&a[r.passages[0].a.clone()], shared);
        assert_eq!(&b[r.passages[0].b.clone()], shared);
        assert!(r.passages[0].similarity > 0.99);
    }

    /// Two sentences copied verbatim in several tests.
    const HARBOUR: &str = "The Harbour Trust Association aims to provide support and information for the families who live along the old docks. It runs a weekly advice desk and publishes a guide to the new rules on moorings every spring.";

    #[test]
    fn a_heading_repeating_the_first_words_stays_out_of_a_verbatim_passage() {
        let shared = HARBOUR;
        let a = format!("Weather was calm across the coast this weekend.\n\n{shared}");
        // The heading shares "The Harbour Trust Association" with the
        // passage, but not the run of words that follows it.
        let b = format!("Contact us\n\nThe Harbour Trust Association\n{shared}");
        let r = align(&a, 0, &b, 0, &AlignConfig::default());
        assert_eq!(r.passages.len(), 1);
        assert_eq!(&b[r.passages[0].b.clone()], shared);
        assert_eq!(&a[r.passages[0].a.clone()], shared);
    }

    #[test]
    fn a_verbatim_core_sheds_look_alike_sentences_around_it() {
        let core = HARBOUR;
        // The sentences around the core share a few words and one word
        // trigram ("one of the") with the other side, by chance.
        let a = format!(
            "It is one of the oldest charities in the town and has many members. {core} Members meet at the end of each month to plan events."
        );
        let b = format!(
            "Volunteers say this was one of the busiest years they remember. {core} The trust also owns two boats and a small museum by the quay."
        );
        let (ra, rb) = trim(&a, 0..a.len(), &b, 0..b.len(), 3);
        assert_eq!(&a[ra], core.trim_end_matches('.'));
        assert_eq!(&b[rb], core.trim_end_matches('.'));
        // A core shorter than CORE_CHARS is not evidence enough.
        let short = "publishes a guide to the new rules on moorings every spring";
        let a = format!("It is one of the oldest charities in the town. {short}.");
        let b = format!("Volunteers say this was one of the busiest years. {short}.");
        let (ra, _) = trim(&a, 0..a.len(), &b, 0..b.len(), 3);
        assert!(a[ra].starts_with("one of the"));
    }

    #[test]
    fn a_passage_grows_over_the_words_both_sides_share_next_to_it() {
        let a = "Cat-Proofing Your Home If the medication makes you drowsy, try taking it before bedtime. If it causes nausea, take it with food. Call us.";
        let b = "Take it ahead of time. If the medication makes you drowsy, try taking it before bedtime. If it causes nausea, take it with food. Call a doctor.";
        let found = "If it causes nausea, take it with food";
        let at = |t: &str| t.find(found).map(|i| i..i + found.len()).unwrap();
        let (ra, rb) = grow_matching(a, at(a), 0, b, at(b), 0);
        let copied = "If the medication makes you drowsy, try taking it before bedtime. If it causes nausea, take it with food";
        assert_eq!(&a[ra], copied);
        // "Call" alone matches after the passage: fewer than GROW_WORDS.
        assert_eq!(&b[rb], copied);
        // Not before the start of the body.
        let floor = a.find("taking").unwrap();
        let (ra, _) = grow_matching(a, at(a), floor, b, at(b), 0);
        assert_eq!(&a[ra], &copied[copied.find("taking").unwrap()..]);
    }

    /// A glossary without sentence punctuation: one line per entry.
    const GLOSSARY: [&str; 12] = [
        "bicipital aponeurosis a biceps tendon extension blending with forearm fascia",
        "costocoracoid membrane fascia between clavicle and pectoralis minor",
        "extensor retinaculum a thickening of the deep fascia on the back of the wrist",
        "extensor retinaculum is attached to the wrist bones forming compartments that anchor the tendons",
        "antebrachial fascia wraps forearm muscles in a tube",
        "axillary fascia the armpit floor between chest and back",
        "palmar aponeurosis a tough triangle over the flexor tendons",
        "clavipectoral fascia encloses pectoralis minor under pectoralis major",
        "flexor retinaculum roofs the carpal tunnel across the wrist",
        "brachial fascia the deep sleeve of the upper arm",
        "intermuscular septa divide anterior and posterior arm compartments",
        "deltoid fascia a thin layer over the shoulder muscle",
    ];

    #[test]
    fn the_lines_of_a_long_unpunctuated_list_align_on_their_own() {
        let source = GLOSSARY.join("\n");
        // Entries 2 and 3, reworded.
        let copy = "Weather was calm across the coast this weekend and boats stayed in harbour.\n\n\
            The extensor retinaculum is a thickened band of deep fascia across the back of the wrist. \
            It is fixed to the wrist bones at several places, forming compartments in which the tendons are anchored.\n\n\
            The next lesson covers the bones of the hand.";
        let r = align(copy, 0, &source, 0, &AlignConfig::default());
        assert_eq!(r.passages.len(), 1);
        // The source side is the two reused entries, not the whole list.
        assert_eq!(&source[r.passages[0].b.clone()], GLOSSARY[2..4].join("\n"));
    }

    #[test]
    fn a_list_flattened_into_one_line_still_matches_its_lines() {
        let source = format!("Glossary of the upper limb\n\n{}", GLOSSARY.join("\n"));
        let flat = GLOSSARY.join(" ");
        let copy = format!("Notes for the first week.\n\n{flat}\n\nRead the chapter before class.");
        let r = align(&copy, 0, &source, 0, &AlignConfig::default());
        assert_eq!(r.passages.len(), 1);
        assert_eq!(&copy[r.passages[0].a.clone()], flat);
        assert_eq!(&source[r.passages[0].b.clone()], GLOSSARY.join("\n"));
    }

    #[test]
    fn a_passage_overlapping_a_heavier_one_at_its_end_gives_up_those_sentences() {
        let text = (0..12)
            .map(|i| format!("Sentence number {i} of this text has exactly nine words."))
            .collect::<Vec<_>>()
            .join(" ");
        let (ua, _) = units(&text, &sentences(&text, 0), 0, false);
        assert_eq!(ua.len(), 12);
        // 4..9 weighs 5 × 0.9; 0..5 weighs 5 × 0.8 and keeps 0..4.
        let kept = resolve_overlaps(vec![(0..5, 20..25, 0.8), (4..9, 0..5, 0.9)], &ua);
        assert_eq!(kept, vec![(4..9, 0..5, 0.9), (0..4, 20..25, 0.8)]);
        // Fewer than MIN_LEFT_UNITS left: dropped.
        let kept = resolve_overlaps(vec![(2..5, 20..23, 0.8), (4..9, 0..5, 0.9)], &ua);
        assert_eq!(kept, vec![(4..9, 0..5, 0.9)]);
        // Cut at both ends by two kept passages.
        let both = vec![(0..4, 0..4, 0.9), (8..12, 4..8, 0.9), (3..9, 20..26, 0.5)];
        let kept = resolve_overlaps(both, &ua);
        assert_eq!(kept[2], (4..8, 20..26, 0.5));
    }

    #[test]
    fn reworded_sentences_next_to_a_seed_join_the_passage() {
        let a = "Our reporter spent the morning at the fish market downtown, where prices rose again. \
            The harbour council approved a new budget for the port after a long debate about costs and jobs. \
            Dockers, who had threatened to strike over pay, welcomed the vote and ended their walkout. \
            The local football club won its third match in a row on Saturday.";
        let b = "Heavy rain is expected across the region later this week, forecasters said. \
            The harbour council approved the new budget for the port after a long debate about jobs and costs. \
            The vote was welcomed by port workers who had walked out in a dispute over wages. \
            Tickets for the summer festival go on sale next month at the town hall.";
        let loose = AlignConfig {
            min_chars: 20,
            ..AlignConfig::default()
        };
        let strict = AlignConfig {
            extend_cosine: 1.0,
            ..loose
        };
        let one = align(a, 0, b, 0, &strict);
        assert_eq!(one.passages.len(), 1);
        assert!(!a[one.passages[0].a.clone()].contains("Dockers"));
        let two = align(a, 0, b, 0, &loose);
        assert_eq!(two.passages.len(), 1);
        assert!(a[two.passages[0].a.clone()].starts_with("The harbour council"));
        assert!(a[two.passages[0].a.clone()].contains("welcomed the vote"));
        assert!(b[two.passages[0].b.clone()].contains("The vote was welcomed"));
    }

    #[test]
    fn reworded_passages_are_trimmed_to_where_shared_words_are_dense() {
        let a = "Crowds gathered early outside, then the council approved the harbour budget after a debate.";
        let b = "After a debate the harbour budget was approved by the council, which meets again next spring.";
        let (ra, rb) = trim_sparse(a, 0..a.len(), b, 0..b.len(), 0);
        assert_eq!(
            &a[ra],
            "the council approved the harbour budget after a debate."
        );
        assert_eq!(
            &b[rb],
            "After a debate the harbour budget was approved by the council"
        );
        // Too few words to judge: unchanged.
        let (ra, _) = trim_sparse("a few words", 0..11, b, 0..b.len(), 0);
        assert_eq!(ra, 0..11);
    }

    #[test]
    fn a_verbatim_pair_drops_reworded_look_alikes() {
        let shared = "The committee published its final report on Thursday after two years of hearings. \
            It recommends sweeping changes to how the agency handles complaints from the public. \
            Ministers said they would respond within three months.";
        let look_alike_a = "Farmers in the northern valley expect a poor harvest after the dry summer and the late frost.";
        let look_alike_b = "After a dry summer and a late frost, the northern valley farmers are expecting a poor harvest.";
        // Unrelated sentences, more than `max_gap` of them, keep the two
        // stretches apart.
        let sport = "The home side scored twice in the second half to win the derby. \
            Their captain limped off with an ankle injury before the break. \
            Tickets for the replay go on sale at the stadium on Friday. \
            The visiting coach blamed the referee for the late penalty. \
            Attendance was the highest of the season despite the rain. \
            A new youth academy will open next to the training ground.";
        let food = "Slow-cooked beans need an overnight soak and plenty of garlic. \
            Bakers in the old quarter now sell sourdough on Sundays. \
            A cheese festival returns to the market square in June. \
            Chefs say the price of olive oil has doubled in a year. \
            The vegetable stall by the bridge takes only cash. \
            Cookery classes for children start again after the holidays.";
        let a_base = format!("{look_alike_a}\n\n{sport}\n\n");
        let b_base = format!("{food}\n\n{look_alike_b}\n\n");
        let config = AlignConfig {
            min_chars: 20,
            ..AlignConfig::default()
        };
        // On its own, the look-alike pair aligns...
        let alone = align(&a_base, 0, &b_base, 0, &config);
        assert_eq!(alone.passages.len(), 1, "{:?}", alone.passages);
        // ...but next to a verbatim copy it is not reported.
        let a = format!("{a_base}{shared}");
        let b = format!("{shared}\n\n{b_base}");
        let r = align(&a, 0, &b, 0, &config);
        assert_eq!(r.passages.len(), 1, "{:?}", r.passages);
        assert_eq!(&a[r.passages[0].a.clone()], shared);
        assert_eq!(&b[r.passages[0].b.clone()], shared);
        assert!(r.passages[0].similarity > 0.99);
    }

    #[test]
    fn a_summary_of_most_of_the_source_is_aligned_with_all_of_it() {
        let source = "The regional council approved a new flood defence plan for the river valley on Monday. \
            Engineers will raise the embankments along twelve kilometres of the river bank. \
            The work is expected to begin in early spring and last about three years. \
            Farmers whose fields border the river will be compensated for land used by the project. \
            The plan was drawn up after severe flooding damaged hundreds of homes two winters ago. \
            Residents of the lower town had campaigned for stronger defences since the floods. \
            Critics argue that the budget underestimates the cost of materials and labour. \
            The council says the project will be funded by a national grant and local taxes. \
            Environmental groups have asked for new wetlands to absorb excess water upstream. \
            The council agreed to study the wetland proposal before the work starts. \
            A public meeting on the plan will be held at the town hall next month. \
            Officials hope the defences will protect the valley for at least fifty years.";
        let copy = "Our weekly column looks at the news that matters to readers in the north. \
            Sport and culture follow on the next pages of this edition.\n\n\
            The regional council approved a flood defence plan for the river valley on Monday. \
            Critics argue the budget underestimates the cost of materials and labour. \
            Officials hope the defences will protect the valley for fifty years.\n\n\
            Letters to the editor can be sent to the usual address before Friday noon.";
        let config = AlignConfig {
            min_chars: 50,
            ..AlignConfig::default()
        };
        let r = align(copy, 0, source, 0, &config);
        assert_eq!(r.passages.len(), 1, "{:?}", r.passages);
        assert_eq!(r.passages[0].b, 0..source.len());
        assert!(copy[r.passages[0].a.clone()].starts_with("The regional council approved"));
        assert!(copy[r.passages[0].a.clone()].contains("protect the valley"));
    }

    #[test]
    fn word_prefixes_match_inflected_forms() {
        let a = "Investigators concluded the explosion was caused by negligent maintenance. \
            The weather stayed dry all week.";
        let b = "An investigation concluded that negligence in maintaining the plant caused the explosions. \
            Shops reopened after the holiday.";
        let whole = AlignConfig {
            word_prefix: 0,
            ..AlignConfig::default()
        };
        let cut = AlignConfig::default();
        let with_whole_words = align(a, 0, b, 0, &whole).best_sentence_cosine;
        let with_prefixes = align(a, 0, b, 0, &cut).best_sentence_cosine;
        assert!(
            with_prefixes > with_whole_words + 0.2,
            "{with_prefixes} vs {with_whole_words}"
        );
    }

    #[test]
    fn a_sentence_repeated_in_the_source_does_not_stretch_the_passage() {
        let repeated = "Register now for the annual harbour festival and its evening concerts.";
        let shared = format!(
            "{repeated} The city council voted on Tuesday to extend the ferry timetable into the winter months. \
             Operators said the extra sailings would need two more crews and a refit of the older vessel. \
             Residents of the outer islands had campaigned for the change for nearly a decade."
        );
        let a = format!(
            "Our own introduction about the local weather and the tides this week. {shared}"
        );
        let b = format!(
            "{repeated} Gardeners are preparing the allotments for the first frost of the season. \
             The library opens a new reading room for children on the ground floor next month. \
             {shared}"
        );
        let r = align(&a, 0, &b, 0, &AlignConfig::default());
        assert_eq!(r.passages.len(), 1);
        assert_eq!(&b[r.passages[0].b.clone()], shared);
        assert_eq!(&a[r.passages[0].a.clone()], shared);
    }
}

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

use crate::text::{Token, normalize_word, prose_chars, split_paragraphs, tokenize};

mod ascii_sentences;
mod constants;
mod passages;
mod tokens;
mod trim;
mod units;
use constants::*;
use passages::*;
use tokens::BodyTokens;
pub(crate) use trim::prepared_ngrams;
pub use trim::trim;
use trim::*;
use units::*;

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
    /// The body's tokens, for the passages of every pair.
    tokens: BodyTokens,
    /// The byte ranges set aside (sorted, disjoint): see [`Prepared::set_aside`].
    excluded: Vec<Range<usize>>,
    /// Where the document's paragraphs start (sorted), when known: see
    /// [`Prepared::with_paragraphs`].
    paragraph_starts: Vec<usize>,
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
            tokens: BodyTokens::new(text, start),
            excluded: Vec::new(),
            paragraph_starts: Vec::new(),
        }
    }

    /// The tokens of `text[range]`, as [`tokenize`] gives them.
    fn tokens(&self, range: Range<usize>) -> std::borrow::Cow<'_, [Token]> {
        self.tokens.of(self.text, range)
    }

    /// The tokens of `text[range]` with words longer than `prefix`
    /// characters hashed by their first `prefix` (0: whole words).
    fn prefixed_tokens(&self, range: Range<usize>, prefix: usize) -> Vec<Token> {
        let mut out = self.tokens(range).into_owned();
        hash_prefixes(self.text, prefix, &mut out);
        out
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
        self.excluded = excluded.to_vec();
        self
    }

    /// The same document with its paragraphs' byte spans (in order), as
    /// the reports number them. A paragraph of the copy that no sentence of
    /// the source matches, between two that follow each other in the
    /// source, is an insertion (a local paragraph in agency copy): the
    /// passage around it is cut in two there.
    pub fn with_paragraphs(mut self, paragraphs: &[Range<usize>]) -> Self {
        self.paragraph_starts = paragraphs.iter().map(|p| p.start).collect();
        self
    }

    /// The paragraphs (0-based; 0 when none are known) each unit starts
    /// and ends in.
    fn unit_paragraphs(&self, units: &[Unit]) -> Vec<(u32, u32)> {
        let of = |at: usize| {
            let p = self.paragraph_starts.partition_point(|&s| s <= at);
            p.saturating_sub(1) as u32
        };
        units
            .iter()
            .map(|u| (of(u.span.start), of(u.span.end.saturating_sub(1))))
            .collect()
    }

    /// Where a passage ending at `end` may grow forward to: the start of
    /// the next range set aside, or the end of the text.
    fn grow_limit_after(&self, end: usize) -> usize {
        let next = self.excluded.partition_point(|e| e.end <= end);
        self.excluded
            .get(next)
            .map_or(self.text.len(), |e| e.start.max(end))
    }

    /// Where a passage starting at `start` may grow back to: the end of the
    /// last range set aside before it, or the body's start.
    fn grow_limit_before(&self, start: usize) -> usize {
        let before = self.excluded.partition_point(|e| e.end <= start);
        before
            .checked_sub(1)
            .map_or(self.start, |i| self.excluded[i].end.max(self.start))
    }

    /// The sentences' byte spans in text order (boilerplate set aside).
    pub fn sentence_spans(&self) -> impl Iterator<Item = &Range<usize>> {
        self.sentences.iter().flatten()
    }

    /// The units with long list-like sentences cut, computed once for the
    /// first `prefix` asked for.
    fn cut_units(&self, prefix: usize) -> (std::borrow::Cow<'_, [Unit]>, bool) {
        let (p, units_cut, cut) = self.units.get_or_init(|| {
            let (u, cut) = units(self, prefix, true);
            (prefix, u, cut)
        });
        if *p == prefix {
            (std::borrow::Cow::Borrowed(units_cut.as_slice()), *cut)
        } else {
            let (u, cut) = units(self, prefix, true);
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
    let (ua, a_cut) = copy.cut_units(config.word_prefix);
    let (ub, b_cut) = source.cut_units(config.word_prefix);
    let mut result = align_units(copy, &ua, source, &ub, config);
    let long = |units: &[Unit]| units.iter().any(|u| u.words > MAX_UNIT_WORDS);
    if (a_cut && long(&ub)) || (b_cut && long(&ua)) {
        // A list whose lines are units on one side may be one long
        // flattened sentence on the other, which only the uncut units
        // match: their passages are added where the copy has none yet.
        let whole = |doc: &Prepared, cut: bool, units_cut| {
            if cut {
                std::borrow::Cow::Owned(units(doc, config.word_prefix, false).0)
            } else {
                units_cut
            }
        };
        let (ua, ub) = (whole(copy, a_cut, ua), whole(source, b_cut, ub));
        let uncut = align_units(copy, &ua, source, &ub, config);
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

/// A passage as the alignment keeps it: its spans, the fraction of word
/// n-grams its sides share, and whether it continues another passage of
/// the pair in the source (the two sides of an insertion).
type Finished = (Aligned, f64, bool);

/// Merges passages (in copy order) that overlap on both sides into one
/// spanning both, keeping the higher similarity and shared fraction.
fn merge_overlapping(mut passages: Vec<Finished>) -> Vec<Finished> {
    passages.sort_by_key(|(p, _, _)| (p.a.start, p.b.start));
    let mut out: Vec<Finished> = Vec::with_capacity(passages.len());
    for (p, shared, continues) in passages {
        if let Some((q, q_shared, q_continues)) = out.last_mut() {
            let overlap = |x: &Range<usize>, y: &Range<usize>| x.start < y.end && y.start < x.end;
            if overlap(&q.a, &p.a) && overlap(&q.b, &p.b) {
                q.a = q.a.start.min(p.a.start)..q.a.end.max(p.a.end);
                q.b = q.b.start.min(p.b.start)..q.b.end.max(p.b.end);
                q.similarity = q.similarity.max(p.similarity);
                *q_shared = q_shared.max(shared);
                *q_continues |= continues;
                continue;
            }
        }
        out.push((p, shared, continues));
    }
    out
}

/// [`align`] over given sentence units.
/// A near-verbatim passage trimmed to its shared n-grams gets back the
/// sentences next to its ends that match each other as a seed does, on
/// the passage's diagonal: a reworded lede or sign-off around a copied
/// body is reuse too. A match off the diagonal (a look-alike sentence
/// elsewhere) does not count.
///
/// Measured on the generated 20,000-article feed (dedup ARI 0.9712 →
/// 0.9773, 151 → 96 near-duplicates missed) with PAN 2013 02–05 unchanged
/// (pooled 0.9383 → 0.9388, 04 0.9295 → 0.9308). Giving back the cut-off
/// part of the end sentences without comparing it cost PAN 02 0.992 →
/// 0.985: PAN passages start and end inside sentences of a different text.
fn keep_matched_ends(
    (a, b): (&str, &str),
    (mut sa, mut sb): (Range<usize>, Range<usize>),
    (ra, rb): (&Range<u32>, &Range<u32>),
    ctx: &Context,
    config: &AlignConfig,
) -> (Range<usize>, Range<usize>) {
    let strong = |i: u32, j: u32| {
        ra.contains(&i)
            && rb.contains(&j)
            && ctx
                .seed_cosine
                .get(&(i, j))
                .is_some_and(|&c| c >= config.seed_cosine)
    };
    let unit_at = |units: &[Unit], r: &Range<u32>, byte: usize| -> u32 {
        let first = r.start as usize;
        let within = &units[first..r.end as usize];
        (first + within.partition_point(|u| u.span.end <= byte)).min(r.end as usize - 1) as u32
    };
    // The cut-off part of a pair of end units comes back when both sides
    // were cut and those parts share words (a reworded start of a copied
    // sentence, not the unrelated text a copy was set into).
    let give_back = |i: u32, j: u32, pa: &Range<usize>, pb: &Range<usize>| {
        !pa.is_empty()
            && !pb.is_empty()
            && strong(i, j)
            && words_dice(a, pa.clone(), b, pb.clone()) >= config.seed_dice
    };
    let (ua, ub) = (ctx.ua, ctx.ub);
    // Backwards from the units holding the start.
    let (mut i, mut j) = (unit_at(ua, ra, sa.start), unit_at(ub, rb, sb.start));
    let (pa, pb) = (
        ua[i as usize].span.start..sa.start,
        ub[j as usize].span.start..sb.start,
    );
    if give_back(i, j, &pa, &pb) {
        (sa.start, sb.start) = (pa.start, pb.start);
    }
    while i > 0 && j > 0 && strong(i - 1, j - 1) {
        (i, j) = (i - 1, j - 1);
        sa.start = sa.start.min(ua[i as usize].span.start);
        sb.start = sb.start.min(ub[j as usize].span.start);
    }
    // Forwards from the units holding the end.
    let (mut i, mut j) = (
        unit_at(ua, ra, sa.end.saturating_sub(1)),
        unit_at(ub, rb, sb.end.saturating_sub(1)),
    );
    let (pa, pb) = (
        sa.end..ua[i as usize].span.end,
        sb.end..ub[j as usize].span.end,
    );
    if give_back(i, j, &pa, &pb) {
        (sa.end, sb.end) = (pa.end, pb.end);
    }
    while strong(i + 1, j + 1) {
        (i, j) = (i + 1, j + 1);
        sa.end = sa.end.max(ua[i as usize].span.end);
        sb.end = sb.end.max(ub[j as usize].span.end);
    }
    (sa, sb)
}

/// Dice coefficient of the distinct normalised words of `a[ra]` and `b[rb]`.
fn words_dice(a: &str, ra: Range<usize>, b: &str, rb: Range<usize>) -> f64 {
    let set = |t: &str, r: Range<usize>| {
        let mut tokens = Vec::new();
        tokenize(t, r, &mut tokens);
        tokens
            .iter()
            .map(|t| t.hash)
            .collect::<ahash::AHashSet<u64>>()
    };
    let (x, y) = (set(a, ra), set(b, rb));
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    2.0 * x.intersection(&y).count() as f64 / (x.len() + y.len()) as f64
}

fn align_units(
    copy: &Prepared,
    ua: &[Unit],
    source: &Prepared,
    ub: &[Unit],
    config: &AlignConfig,
) -> Alignment {
    let (a, b, b_start) = (copy.text, source.text, source.start);
    if ua.is_empty() || ub.is_empty() {
        return Alignment::default();
    }
    // Document frequencies over the sentences of both documents, turned
    // into inverse document frequencies in place.
    let words: usize = ua.iter().chain(ub).map(|u| u.counts.len()).sum();
    let mut idf: AHashMap<u64, f64> = AHashMap::with_capacity(words);
    for u in ua.iter().chain(ub) {
        for &(w, _) in &u.counts {
            *idf.entry(w).or_insert(0.0) += 1.0;
        }
    }
    let n = (ua.len() + ub.len()) as f64;
    for df in idf.values_mut() {
        *df = (n / *df).ln();
    }
    let va = vectors(ua, &idf);
    let vb = vectors(ub, &idf);

    // Seeds, through an inverted index over the source's sentences.
    // One sorted array of (word, sentence, weight) and each word's range in
    // it, rather than a vector per word: two allocations per pair, not one
    // per distinct word. A stable sort keeps each word's sentences in order.
    let mut entries: Vec<(u64, u32, f64)> = vb
        .iter()
        .enumerate()
        .flat_map(|(j, v)| {
            v.iter()
                .filter(|&&(_, x)| x > 0.0)
                .map(move |&(w, x)| (w, j as u32, x))
        })
        .collect();
    entries.sort_by_key(|e| e.0);
    let mut postings: AHashMap<u64, (usize, usize)> = AHashMap::with_capacity(entries.len());
    let mut start = 0;
    for run in entries.chunk_by(|x, y| x.0 == y.0) {
        postings.insert(run[0].0, (start, start + run.len()));
        start += run.len();
    }
    let mut seeds: Vec<(u32, u32)> = Vec::new();
    let mut weak: Vec<(u32, u32, f64)> = Vec::new();
    let mut seed_cosine: AHashMap<(u32, u32), f64> = AHashMap::new();
    let mut best = 0.0f64;
    let mut acc = vec![0.0f64; ub.len()];
    let mut touched: Vec<u32> = Vec::new();
    for (i, v) in va.iter().enumerate() {
        for &(w, x) in v {
            if let Some(&(from, to)) = postings.get(&w) {
                for &(_, j, y) in &entries[from..to] {
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
    if ua.len() == 1 && ub.len() == 1 {
        // One sentence on each side: every shared word is in every
        // sentence, so its inverse document frequency is 0 and the cosine
        // above is 0 whatever the two share. The best sentence cosine (a
        // component of the score of a pair without passages, which ranks
        // short paraphrases above unrelated sentences) is then the plain
        // cosine of the two sentences' word counts.
        let plain = |u: &Unit| weigh_by(u.counts.iter().copied(), |_| 1.0);
        best = dot(&plain(&ua[0]), &plain(&ub[0]));
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
        paragraph_a: copy.unit_paragraphs(ua),
        copy_text: a,
        min_chars: config.min_chars,
        idf: &idf,
        seed_cosine: &seed_cosine,
    };
    let finish = |(passages, pieces): (Vec<Passage>, Pieces)| -> Vec<Finished> {
        let mut kept = resolve_overlaps(passages, ua);
        kept.sort_by_key(|p| (p.0.start, p.1.start));
        // The pieces of a passage cut at an insertion.
        let continues: Vec<bool> = kept
            .iter()
            .map(|p| pieces.iter().any(|(ra, rb)| *ra == p.0 && *rb == p.1))
            .collect();
        kept.into_iter()
            .zip(continues)
            .map(|((ra, rb, similarity), continues)| {
                let span_a = ua[ra.start as usize].span.start..ua[ra.end as usize - 1].span.end;
                let span_b = ub[rb.start as usize].span.start..ub[rb.end as usize - 1].span.end;
                let (mut a_span, mut b_span, shared, cored) =
                    trim_shared(copy, span_a, source, span_b, config.trim_ngram);
                // What the passage's length is judged on: without the few
                // words of its outer sentences that a reworded passage
                // keeps, which make it no more of a copy.
                let mut judged = (a_span.clone(), b_span.clone());
                if shared < TRIM_SHARED && config.trim_ngram > 0 {
                    let (pa, pb) = (a_span, b_span);
                    judged =
                        trim_sparse(copy, pa.clone(), source, pb.clone(), config.word_prefix, 0);
                    (a_span, b_span) =
                        trim_sparse(copy, pa, source, pb, config.word_prefix, SPARSE_KEEP_WORDS);
                }
                (a_span, b_span) = grow_matching(copy, a_span, source, b_span);
                judged = grow_matching(copy, judged.0, source, judged.1);
                let aligned = Aligned {
                    a: a_span,
                    b: b_span,
                    similarity,
                };
                (aligned, shared, cored, ra, rb, judged, continues)
            })
            .filter(|(_, shared, _, _, _, (ja, jb), _)| {
                let min = if *shared >= VERBATIM_SHARED {
                    config.min_verbatim_chars.min(config.min_chars)
                } else {
                    config.min_chars
                };
                prose_chars(&a[ja.clone()]) >= min && prose_chars(&b[jb.clone()]) >= min
            })
            .map(|(mut p, shared, cored, ra, rb, _, continues)| {
                if shared >= TRIM_SHARED && !cored {
                    (p.a, p.b) = keep_matched_ends((a, b), (p.a, p.b), (&ra, &rb), &ctx, config);
                }
                (p, shared, continues)
            })
            .collect::<Vec<_>>()
    };
    // Pieces of one passage cut at an insertion that was none (the copy's
    // paragraph is in the source too, only not a sentence of its own there)
    // grow back over their matching words until they overlap: one passage.
    let finish = |cut| merge_overlapping(finish(cut));
    let (mut normal, mut pieces) = (Vec::new(), Vec::new());
    extend(
        &seeds,
        config.max_gap,
        config.validate_cosine,
        &ctx,
        &mut normal,
        &mut pieces,
    );
    let mut passages = finish((normal, pieces));
    let mut summary = false;
    if config.summary_gap > config.max_gap {
        // A summary condenses a long stretch of the source into a few
        // sentences whose seeds lie far apart in the source: cluster again
        // with a wide gap, and keep that result when its passages are
        // summary-shaped (source sides much longer than copy sides).
        let (mut wide, mut wide_pieces): (Vec<Passage>, _) = (Vec::new(), Vec::new());
        // The source side of a summary is at least SUMMARY_RATIO times
        // longer than the copy side, and its extra words dilute the cosine:
        // a copy whose words all come from a source k times its length
        // reaches only about 1/√k. The validation scales accordingly.
        let validate = config.validate_cosine / SUMMARY_RATIO.sqrt();
        extend(
            &seeds,
            config.summary_gap,
            validate,
            &ctx,
            &mut wide,
            &mut wide_pieces,
        );
        let chars = |units: &[Unit], r: &Range<u32>| {
            units[r.end as usize - 1].span.end - units[r.start as usize].span.start
        };
        let copy_len: usize = wide.iter().map(|p| chars(ua, &p.0)).sum();
        let source_len: usize = wide.iter().map(|p| chars(ub, &p.1)).sum();
        if !wide.is_empty() && source_len as f64 >= SUMMARY_RATIO * copy_len as f64 {
            passages = finish((wide, wide_pieces));
            summary = true;
            // A summary that draws on a large part of the source condenses
            // all of it: one passage, from the copy's first summarised
            // sentence to its last, against the whole source body.
            let body = b[b_start..].trim();
            let body_start = b.len() - b[b_start..].trim_start().len();
            let drawn: usize = passages.iter().map(|(p, _, _)| p.b.len()).sum();
            let copy_start = passages.iter().map(|(p, _, _)| p.a.start).min();
            let copy_end = passages.iter().map(|(p, _, _)| p.a.end).max();
            if let (Some(start), Some(end)) = (copy_start, copy_end) {
                if drawn as f64 >= SUMMARY_WHOLE * body.len() as f64 {
                    let similarity = passages
                        .iter()
                        .map(|(p, _, _)| p.similarity)
                        .fold(0.0, f64::max);
                    let whole = Aligned {
                        a: start..end,
                        b: body_start..body_start + body.len(),
                        similarity,
                    };
                    passages = vec![(whole, 0.0, false)];
                }
            }
        }
    }
    // A pair with a near-verbatim passage is a copy-and-paste: its other
    // passages must be close to verbatim too, or they are look-alike
    // sentences on the same topic; a passage that continues another in the
    // source (a reworded paragraph after an inserted one) is no look-alike.
    if !summary
        && passages
            .iter()
            .any(|(_, shared, _)| *shared >= VERBATIM_SHARED)
    {
        passages.retain(|(_, shared, continues)| *shared >= VERBATIM_KEEP || *continues);
    }
    let passages = passages.into_iter().map(|(p, _, _)| p).collect();
    Alignment {
        passages,
        best_sentence_cosine: best,
    }
}

#[cfg(test)]
mod tests;

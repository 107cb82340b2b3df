//! Rewrite candidates: document pairs that share many rare character grams
//! although no paragraph matched (sentences rephrased, words spelled and
//! spaced differently). The aligner then decides them like any other
//! candidate pair.

use rayon::prelude::*;

use super::postings::Postings;
use crate::error::Result;
use crate::shingle::ShingledDocument;

/// The high halves of the sampled gram hashes of `doc`'s text (sorted,
/// distinct), its paragraphs `skip` names left out (common ones): what
/// [`rewrite_candidates`] compares. Four bytes a gram: at a million
/// articles the grams of the whole corpus are held at once. Empty without
/// the text; an error when a text kept in a temporary file cannot be read
/// back.
pub(crate) fn sampled_grams(
    doc: &ShingledDocument,
    skip: impl Fn(usize) -> bool,
) -> Result<Vec<u32>> {
    let Some(text) = &doc.text else {
        return Ok(Vec::new());
    };
    let text = text.read()?;
    let spans: Vec<std::ops::Range<usize>> = doc
        .paragraphs
        .iter()
        .enumerate()
        .filter(|&(p, _)| !skip(p))
        .map(|(_, p)| p.span.clone())
        .collect();
    let mut g: Vec<u32> = Vec::new();
    crate::score::for_each_char_gram(&text, &spans, |h| {
        if h % REWRITE_SAMPLE == 0 {
            g.push(gram_key(h, GramKind::Chars));
        }
    });
    // Word pairs too: in a large corpus of a language written with
    // spaces, few of a short copy's character grams are rare, while most
    // of its word pairs are.
    let (mut tokens, mut pairs) = (Vec::new(), Vec::new());
    for span in &spans {
        tokens.clear();
        pairs.clear();
        crate::text::tokenize(&text, span.clone(), &mut tokens);
        if tokens.len() >= 2 {
            crate::shingle::shingles(&tokens, 2, &mut pairs);
        }
        g.extend(
            pairs
                .iter()
                .filter(|&&h| h % WORD_PAIR_SAMPLE == 0)
                .map(|&h| gram_key(h, GramKind::WordPairs)),
        );
    }
    g.sort_unstable();
    g.dedup();
    Ok(g)
}

/// One character gram in this many (by hash) is sampled for
/// [`rewrite_candidates`].
pub(crate) const REWRITE_SAMPLE: u64 = 8;

/// One word pair in this many (by hash) is sampled with the character
/// grams.
pub(crate) const WORD_PAIR_SAMPLE: u64 = 4;

/// The two kinds of sampled grams, told apart by the top bit of their key
/// and counted apart: a pair is a rewrite candidate when it qualifies on
/// either. Character grams carry rewrites whose words vary in spelling and
/// spacing (Urdu, where word pairs dilute them); word pairs carry short
/// edited copies in a large corpus, where few character grams are rare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GramKind {
    Chars = 0,
    WordPairs = 1,
}

impl GramKind {
    /// The kind of a sampled gram key.
    pub(crate) fn of(key: u32) -> GramKind {
        if key >> 31 == 0 {
            GramKind::Chars
        } else {
            GramKind::WordPairs
        }
    }
}

/// A sampled gram's key: 31 bits of its hash under the kind's bit.
fn gram_key(hash: u64, kind: GramKind) -> u32 {
    ((hash >> 33) as u32) | ((kind as u32) << 31)
}

/// Sampled grams carried by more documents than this are left out of
/// [`rewrite_candidates`]: phrases of the language, outlet boilerplate, and
/// stories run by so many outlets that their paragraphs pair anyway.
pub(crate) const REWRITE_MAX_DF: usize = 64;

/// A document pair is a rewrite candidate when its smaller document shares
/// at least this share of its rare sampled grams with the other one.
/// Measured on UPPC (Urdu): whole-text character 4-gram containment of a
/// paraphrase in its source is 0.31 at its 5th percentile, of a text written
/// independently on the same topic 0.17 at its median, of unrelated texts
/// 0.17 at most.
pub(crate) const REWRITE_SHARE: f64 = 0.25;

/// Random document pairs of the corpus sampled to calibrate the share (see
/// [`rewrite_candidates`]).
const BASELINE_PAIRS: usize = 2000;

/// Documents a corpus needs for its baseline to be estimated.
const BASELINE_MIN_DOCS: usize = 50;

/// A rewrite must share this many times what the unrelated pairs of its
/// corpus share at their 90th percentile. Measured: the 90th percentile is
/// 0.125 on UPPC (Urdu, 20 topics; paraphrases share 0.31 and more at
/// their 5th percentile), 0 on news-like feeds (the generated feeds, the
/// enwiki extract), 0.40 on word-bigram text trained on one article
/// (`reprint synth -n 150` without `--base`, whose unrelated pairs reach
/// 0.50 at their 99th percentile).
const BASELINE_FACTOR: f64 = 2.0;

/// Bits of a gram hash that choose its range: [`rewrite_candidates`]
/// builds the postings of one or more ranges at a time.
const GRAM_PASS_BITS: u32 = 4;

/// Ranges of grams (half of them of each kind), the most passes.
const GRAM_PASSES: usize = 1 << GRAM_PASS_BITS;

/// Bytes of postings built at once: a kind's grams are counted in as few
/// passes over their ranges as keep within it (at most one pass a range).
/// The enwiki feed and an index query's neighbourhood take one pass a
/// kind; 200,000 generated articles (75 million character grams) and a
/// million take a pass a range, as before the budget. Passes cost little
/// on a large corpus and a few milliseconds on a small one: an index query
/// against 100,000 articles (233 documents in its neighbourhood) took 74
/// ms instead of 77 (medians of 8 interleaved runs; enwiki unchanged).
const POSTINGS_BUDGET: usize = 128 << 20;

/// Fewest shared sampled grams for a rewrite candidate (short texts).
pub(crate) const REWRITE_MIN_SHARED: usize = 6;

/// Document pairs that share many rare character grams although no
/// paragraph matched: rewrites, whose sentences are rephrased and whose
/// words vary in spelling and spacing. `grams(d)` gives document d's
/// sampled grams ([`sampled_grams`]: sorted, distinct), for the `n`
/// documents of the corpus; each document's grams are asked for once (and
/// again for the few documents of the baseline), and not held. Pairs
/// `(a, b)` with `a < b`, sorted, without those `known` holds
/// (candidates already: they are never counted, which on a feed
/// of copies is most of them), and with `b >= first_new` (a neighbourhood
/// of indexed documents pairs only with the new ones from `first_new` on;
/// 0 for a whole corpus); the first error of `grams`, if any.
pub(crate) fn rewrite_candidates(
    n: usize,
    grams: &GramsOf<'_>,
    known: &KnownPairs,
    first_new: usize,
) -> Result<Vec<(u32, u32)>> {
    rewrite_candidates_within(n, grams, known, first_new, POSTINGS_BUDGET)
}

/// [`rewrite_candidates`] with `budget` bytes of postings built at once.
fn rewrite_candidates_within(
    n: usize,
    grams: &GramsOf<'_>,
    known: &KnownPairs,
    first_new: usize,
    budget: usize,
) -> Result<Vec<(u32, u32)>> {
    let sample = BaselineSample::new(n, grams)?;
    // Each document's grams, asked for once, go to their range's postings
    // (beyond the budget, to temporary files).
    let mut postings = gram_postings(n, &sample, grams, budget)?;
    let mut common: Vec<u64> = Vec::new();
    let mut out: Vec<(u32, u32)> = Vec::new();
    // One kind at a time (the kind's bit is the top bit of the gram), so
    // that only one kind's shared grams are held.
    for kind in 0..2 {
        // Each document's rare grams of the kind, its own included: the
        // denominator of its share.
        let mut rare = vec![0u32; n];
        // Word pairs carried by more than half as many documents are left
        // out: the pairs of their carriers were most of the memory peak
        // of a million-article scan (8.91 -> 7.12 GB; recall 0.9988 ->
        // 0.9985 there, the generated wire feed unchanged).
        let max_df = if kind == 0 {
            REWRITE_MAX_DF
        } else {
            REWRITE_MAX_DF / 2
        };
        // The carriers of every rare gram carried by two documents or more,
        // one run of documents (sorted) after another: all that the pairs
        // are listed from.
        let mut carriers: Vec<u32> = Vec::new();
        let mut run_ends: Vec<usize> = Vec::new();
        // The postings of one or more ranges of grams (by their top bits)
        // at a time, as many as keep within the budget.
        let ranges = GRAM_PASSES / 2;
        let of_kind: usize = (kind * ranges..(kind + 1) * ranges)
            .map(|r| postings.len(r))
            .sum();
        let passes = (of_kind * std::mem::size_of::<u64>())
            .div_ceil(budget.max(1))
            .clamp(1, ranges)
            .next_power_of_two();
        let per = ranges / passes;
        let mut pass: Vec<u64> = Vec::new();
        for first in (kind * ranges..(kind + 1) * ranges).step_by(per) {
            pass.clear();
            for r in first..first + per {
                postings.take(r, &mut pass)?;
            }
            pass.par_sort_unstable();
            let gram = |p: &u64| p >> 32;
            for l in pass.chunk_by(|a, b| gram(a) == gram(b)) {
                if l.len() > max_df {
                    common.push(gram(&l[0]));
                    continue;
                }
                for &p in l {
                    rare[p as u32 as usize] += 1;
                }
                if l.len() >= 2 {
                    carriers.extend(l.iter().map(|&p| p as u32));
                    run_ends.push(carriers.len());
                }
            }
        }
        // The kind's postings have done their work before its pairs are
        // listed.
        drop(pass);
        let share = REWRITE_SHARE.max(baseline(&sample, &common, kind) * BASELINE_FACTOR);
        let run = |r: usize| &carriers[if r == 0 { 0 } else { run_ends[r - 1] }..run_ends[r]];
        // Each document's runs, so that its pairs with the documents after
        // it are counted one document at a time: listing every (document
        // pair, shared gram) of the corpus at once took gigabytes on a
        // million articles.
        let (starts, runs_of) = super::buckets(
            n,
            (0..run_ends.len()).flat_map(|r| run(r).iter().map(move |&d| (d as usize, r as u32))),
        );
        let counted = (0..n)
            .into_par_iter()
            .filter(|&a| starts[a] < starts[a + 1])
            .map_init(Vec::new, |partners: &mut Vec<u32>, a| {
                // Partners after `a` and from the first new document on,
                // once per run they share with it.
                partners.clear();
                for &r in &runs_of[starts[a]..starts[a + 1]] {
                    let l = run(r as usize);
                    let from = l
                        .partition_point(|&b| b as usize <= a)
                        .max(l.partition_point(|&b| (b as usize) < first_new));
                    partners.extend_from_slice(&l[from..]);
                }
                partners.sort_unstable();
                // The partners of `a` that are candidates already, walked
                // along with its partners (both sorted).
                let mut skip = known.partners(a as u32).iter().peekable();
                partners
                    .chunk_by(|x, y| x == y)
                    .filter_map(|shared| {
                        let b = shared[0];
                        while skip.next_if(|&&k| k < b).is_some() {}
                        if skip.peek() == Some(&&b) {
                            return None;
                        }
                        let smaller = rare[a].min(rare[b as usize]).max(1) as usize;
                        (shared.len() >= REWRITE_MIN_SHARED
                            && shared.len() as f64 >= share * smaller as f64)
                            .then_some((a as u32, b))
                    })
                    .collect::<Vec<(u32, u32)>>()
            })
            .flatten_iter();
        out.par_extend(counted);
    }
    out.par_sort_unstable();
    out.dedup();
    Ok(out)
}

/// Documents whose grams are asked for at once while the postings are
/// filled: their grams are held twice only in this batch.
const GRAM_BATCH: usize = 8192;

/// The [`Postings`] of the `n` documents' grams (`grams`, through the
/// baseline's sample), beyond `budget` bytes in temporary files.
fn gram_postings(
    n: usize,
    sample: &BaselineSample,
    grams: &GramsOf<'_>,
    budget: usize,
) -> Result<Postings> {
    let mut postings = Postings::new(GRAM_PASS_BITS, budget);
    for from in (0..n).step_by(GRAM_BATCH) {
        let batch: Vec<Vec<u32>> = (from..(from + GRAM_BATCH).min(n))
            .into_par_iter()
            .map(|d| sample.grams_of(d, grams))
            .collect::<Result<_>>()?;
        postings.add(from as u32, &batch)?;
    }
    postings.shrink();
    Ok(postings)
}

/// A document's sampled grams by number, or the error reading its text.
pub(crate) type GramsOf<'a> = dyn Fn(usize) -> Result<Vec<u32>> + Sync + 'a;

/// Document pairs that are candidates already, which
/// [`rewrite_candidates`] leaves out: for each document, its partners of
/// higher number, sorted (an adjacency table: two memory accesses a
/// document, then a walk along its partners).
#[derive(Debug, Clone, Default)]
pub(crate) struct KnownPairs {
    /// `partners[offsets[a]..offsets[a + 1]]` are document a's.
    offsets: Vec<usize>,
    partners: Vec<u32>,
}

impl KnownPairs {
    /// The table of `pairs` (in any order and orientation) among `n`
    /// documents.
    pub(crate) fn new(n: usize, pairs: &[(u32, u32)]) -> KnownPairs {
        let mut sorted: Vec<(u32, u32)> = pairs
            .iter()
            .map(|&(a, b)| (a.min(b), a.max(b)))
            .filter(|&(a, _)| (a as usize) < n)
            .collect();
        sorted.sort_unstable();
        sorted.dedup();
        let mut offsets = vec![0usize; n + 1];
        for &(a, _) in &sorted {
            offsets[a as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        KnownPairs {
            offsets,
            partners: sorted.into_iter().map(|(_, b)| b).collect(),
        }
    }

    /// Document a's known partners of higher number, sorted.
    fn partners(&self, a: u32) -> &[u32] {
        match (
            self.offsets.get(a as usize),
            self.offsets.get(a as usize + 1),
        ) {
            (Some(&from), Some(&to)) => &self.partners[from..to],
            _ => &[],
        }
    }
}

/// Pairs of carriers of the `boilerplate` groups (at most
/// [`super::MAX_CARRIERS`] a group, as [`super::find_boilerplate`] examines
/// them; `family_docs[g]` the carriers of group g) that are rewrites of
/// each other by [`rewrite_candidates`] among those carriers, their
/// paragraphs `is_common(d, p)` left out: `(a, b)` with `a < b`, sorted.
/// Only carriers are read, so the check costs little where boilerplate is
/// what it seems. With them, the sampled grams of the first carriers (up to
/// [`GRAM_CACHE_BUDGET`]), which the corpus's rewrite candidates read
/// again where the same paragraphs are left out.
pub(crate) fn rewriting_carriers(
    data: &[ShingledDocument],
    family_docs: &[Vec<u32>],
    boilerplate: &std::collections::HashMap<u32, f64>,
    is_common: &(dyn Fn(u32, u32) -> bool + Sync),
) -> Result<(Vec<(u32, u32)>, GramCache)> {
    let mut carriers: Vec<u32> = boilerplate
        .keys()
        .flat_map(|&g| {
            let docs = &family_docs[g as usize];
            docs[..docs.len().min(super::MAX_CARRIERS)].iter().copied()
        })
        .collect();
    carriers.par_sort_unstable();
    carriers.dedup();
    let grams_of = |i: usize| {
        let d = carriers[i];
        sampled_grams(&data[d as usize], |p| is_common(d, p as u32))
    };
    // The first carriers' grams, made before the pairs are counted and
    // kept for the corpus's rewrite candidates.
    let mut kept: Vec<Vec<u32>> = Vec::new();
    let mut kept_grams = 0usize;
    while kept.len() < carriers.len() && kept_grams * std::mem::size_of::<u32>() < GRAM_CACHE_BUDGET
    {
        let from = kept.len();
        let to = (from + GRAM_BATCH).min(carriers.len());
        let batch: Vec<Vec<u32>> = (from..to)
            .into_par_iter()
            .map(grams_of)
            .collect::<Result<_>>()?;
        kept_grams += batch.iter().map(Vec::len).sum::<usize>();
        kept.extend(batch);
    }
    let local = rewrite_candidates(
        carriers.len(),
        &|i| match kept.get(i) {
            Some(g) => Ok(g.clone()),
            None => grams_of(i),
        },
        &KnownPairs::default(),
        0,
    )?;
    let mut pairs: Vec<(u32, u32)> = local
        .into_iter()
        .map(|(a, b)| (carriers[a as usize], carriers[b as usize]))
        .collect();
    pairs.sort_unstable();
    carriers.truncate(kept.len());
    let skipped = carriers
        .iter()
        .map(|&d| skipped_units(&data[d as usize], |p| is_common(d, p as u32)))
        .collect();
    Ok((
        pairs,
        GramCache {
            docs: carriers,
            skipped,
            grams: kept,
        },
    ))
}

/// Bytes of sampled grams [`rewriting_carriers`] keeps for the rewrite
/// candidates of the whole corpus: an index query's neighbourhood (a few
/// hundred documents, most of them carriers of a footer, about 2 MB) fits;
/// in a large feed the first carriers do. 64 MiB raised the peak of the
/// 100,000-article scan from 518 to 543 MB (it falls in the rewrite
/// stage there); 16 MiB leaves it at 518 MB.
const GRAM_CACHE_BUDGET: usize = 16 << 20;

/// Sampled grams made for some documents ([`rewriting_carriers`]), each
/// with the paragraphs left out of them: a later call that leaves out the
/// same paragraphs gets them without reading the text again.
#[derive(Debug, Default)]
pub(crate) struct GramCache {
    /// The documents, sorted.
    docs: Vec<u32>,
    /// Each one's paragraphs left out.
    skipped: Vec<Vec<u32>>,
    /// Each one's grams.
    grams: Vec<Vec<u32>>,
}

impl GramCache {
    /// [`sampled_grams`] of `doc` (document `d`), from the cache when it
    /// holds `d` with the paragraphs `skip` names.
    pub(crate) fn sampled_grams(
        &self,
        d: u32,
        doc: &ShingledDocument,
        skip: impl Fn(usize) -> bool,
    ) -> Result<Vec<u32>> {
        if let Ok(i) = self.docs.binary_search(&d) {
            if skipped_units(doc, &skip) == self.skipped[i] {
                return Ok(self.grams[i].clone());
            }
        }
        sampled_grams(doc, skip)
    }
}

/// The paragraphs of `doc` that `skip` names.
fn skipped_units(doc: &ShingledDocument, skip: impl Fn(usize) -> bool) -> Vec<u32> {
    (0..doc.paragraphs.len())
        .filter(|&p| skip(p))
        .map(|p| p as u32)
        .collect()
}

/// What unrelated documents of this corpus share: the 90th percentile of
/// the share of rare grams over [`BASELINE_PAIRS`] document pairs taken
/// at fixed strides (nearly all pairs of a corpus are unrelated). News in a
/// language shares little (UPPC's unrelated texts 0.17 at most); text from
/// a small vocabulary shares much, and then a share that high says nothing.
/// Corpora of fewer than [`BASELINE_MIN_DOCS`] documents have too few
/// pairs to tell unrelated ones from the rest: 0. Grams of one kind
/// ([`GramKind`] as a number).
fn baseline(sample: &BaselineSample, common: &[u64], kind: usize) -> f64 {
    if sample.pairs.is_empty() {
        return 0.0;
    }
    let rare: Vec<Vec<u64>> = sample
        .grams
        .par_iter()
        .map(|g| {
            g.iter()
                .filter(|&&g| GramKind::of(g) as usize == kind)
                .map(|&g| u64::from(g))
                .filter(|g| common.binary_search(g).is_err())
                .collect()
        })
        .collect();
    let rare_of = |d: usize| &rare[sample.docs.binary_search(&d).unwrap_or(0)];
    let mut shares: Vec<f64> = sample
        .pairs
        .par_iter()
        .map(|&(a, b)| crate::similarity::Overlap::of(rare_of(a), rare_of(b)).smaller_in_larger())
        .collect();
    shares.sort_by(f64::total_cmp);
    shares[shares.len() * 9 / 10]
}

/// The document pairs of the [`baseline`] (none for corpora of fewer than
/// [`BASELINE_MIN_DOCS`]), their documents (sorted) and those documents'
/// grams, kept from the one pass over the corpus.
struct BaselineSample {
    pairs: Vec<(usize, usize)>,
    docs: Vec<usize>,
    grams: Vec<Vec<u32>>,
}

impl BaselineSample {
    fn new(n: usize, grams: &GramsOf<'_>) -> Result<BaselineSample> {
        let pairs: Vec<(usize, usize)> = if n < BASELINE_MIN_DOCS {
            Vec::new()
        } else {
            (0..BASELINE_PAIRS.min(n * (n - 1) / 2))
                .map(|i| {
                    let a = (i * 7919) % n;
                    (a, (a + 1 + (i * 104_729) % (n - 1)) % n)
                })
                .collect()
        };
        let mut docs: Vec<usize> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
        docs.sort_unstable();
        docs.dedup();
        let grams = docs.par_iter().map(|&d| grams(d)).collect::<Result<_>>()?;
        Ok(BaselineSample { pairs, docs, grams })
    }

    /// Document d's grams: kept when d is in the sample, asked for otherwise.
    fn grams_of(&self, d: usize, grams: &GramsOf<'_>) -> Result<Vec<u32>> {
        match self.docs.binary_search(&d) {
            Ok(i) => Ok(self.grams[i].clone()),
            Err(_) => grams(d),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_grams_serve_only_the_same_paragraphs_left_out() {
        let text = "A council vote on the harbour plan was put off until spring.\n\n\
                    Residents asked for another hearing on the dredging works.\n\n\
                    Subscribe to our newsletter for more local stories."
            .to_string();
        let doc = crate::corpus::Document::from_text("d", "t", text);
        let config = crate::shingle::ShingleConfig {
            size: 2,
            char_size: 3,
        };
        let doc = ShingledDocument::with_text(doc, &config, 1);
        let footer = |p: usize| p == 2;
        let without_footer = sampled_grams(&doc, footer).unwrap();
        assert_ne!(without_footer, sampled_grams(&doc, |_| false).unwrap());
        // Grams kept for the footer left out are served for it (these are
        // marked so that serving them shows) and for nothing else.
        let marked = vec![7, 8, 9];
        let cache = GramCache {
            docs: vec![4],
            skipped: vec![vec![2]],
            grams: vec![marked.clone()],
        };
        assert_eq!(cache.sampled_grams(4, &doc, footer).unwrap(), marked);
        assert_eq!(
            cache.sampled_grams(4, &doc, |_| false).unwrap(),
            sampled_grams(&doc, |_| false).unwrap()
        );
        assert_eq!(
            cache.sampled_grams(5, &doc, footer).unwrap(),
            without_footer
        );
    }

    /// The rewrite candidates of `docs` (each its sampled grams), none
    /// known before, in a whole corpus.
    fn all_candidates(docs: &[Vec<u32>]) -> Vec<(u32, u32)> {
        rewrite_candidates(
            docs.len(),
            &|d| Ok(docs[d].clone()),
            &KnownPairs::default(),
            0,
        )
        .unwrap()
    }

    /// `n` sampled-looking grams starting at `from`.
    fn grams(from: u32, n: u32) -> Vec<u32> {
        (from..from + n).collect()
    }

    #[test]
    fn a_quarter_of_rare_grams_shared_makes_a_candidate() {
        let mut a = grams(0, 40);
        let mut b = grams(30, 40); // shares 10 of 40
        let c = grams(1000, 40); // shares nothing
        let mut d = grams(36, 40); // shares 4 with a: too few
        for g in [&mut a, &mut b, &mut d] {
            g.sort_unstable();
        }
        let docs = [a, b, c, d];
        assert_eq!(all_candidates(&docs), vec![(0, 1), (1, 3)]);
    }

    #[test]
    fn pairs_known_already_are_left_out_and_nothing_else_changes() {
        // Five documents sharing one block of grams: every pair qualifies.
        let docs: Vec<Vec<u32>> = (0..5u32)
            .map(|d| {
                let mut g = grams(0, 30);
                g.extend(grams(1000 + d * 100, 10));
                g
            })
            .collect();
        let all = all_candidates(&docs);
        assert_eq!(all.len(), 10);
        // Known in either orientation, with a repeat and a document out
        // of range.
        let known = KnownPairs::new(5, &[(1, 0), (2, 4), (0, 1), (3, 4), (9, 2)]);
        let rest = rewrite_candidates(docs.len(), &|d| Ok(docs[d].clone()), &known, 0).unwrap();
        let expected: Vec<(u32, u32)> = all
            .into_iter()
            .filter(|p| ![(0, 1), (2, 4), (3, 4)].contains(p))
            .collect();
        assert_eq!(rest, expected);
    }

    #[test]
    fn each_kind_of_gram_is_counted_apart() {
        // Documents 0 and 1 share 12 word pairs and no character gram;
        // documents 2 and 3 share 12 character grams and no word pair.
        // Counted together, 12 of 52 grams fall short of a quarter; each
        // kind alone is shared whole.
        let pairs =
            |from: u32, n: u32| -> Vec<u32> { (from..from + n).map(|g| g | 1 << 31).collect() };
        let kinds = |mut chars: Vec<u32>, words: Vec<u32>| {
            chars.extend(words);
            chars.sort_unstable();
            chars
        };
        let docs = [
            kinds(grams(0, 40), pairs(0, 12)),
            kinds(grams(100, 40), pairs(0, 12)),
            kinds(grams(200, 12), pairs(100, 40)),
            kinds(grams(200, 12), pairs(200, 40)),
        ];
        assert!(
            docs[0]
                .iter()
                .all(|&g| g < 1 << 31 || GramKind::of(g) == GramKind::WordPairs)
        );
        assert_eq!(all_candidates(&docs), vec![(0, 1), (2, 3)]);
    }

    #[test]
    fn grams_of_every_range_count_as_one_pass_over_all_would() {
        // 30 documents drawing grams from the whole 32-bit range (so every
        // pass holds some), related in chains: a brute-force count of the
        // shared grams decides the same pairs.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u32
        };
        let pool: Vec<u32> = (0..400).map(|_| next()).collect();
        let docs: Vec<Vec<u32>> = (0..30)
            .map(|d| {
                let mut g: Vec<u32> = (0..40)
                    .map(|i| pool[(d * 7 + i * 3) % pool.len()])
                    .collect();
                g.extend((0..20).map(|_| next()));
                g.sort_unstable();
                g.dedup();
                g
            })
            .collect();
        let mut expected = Vec::new();
        for a in 0..docs.len() {
            for b in a + 1..docs.len() {
                let qualifies = |kind: GramKind| {
                    let of = |d: usize| -> Vec<u32> {
                        docs[d]
                            .iter()
                            .copied()
                            .filter(|&g| GramKind::of(g) == kind)
                            .collect()
                    };
                    let (x, y) = (of(a), of(b));
                    let shared = x.iter().filter(|g| y.contains(g)).count();
                    let smaller = x.len().min(y.len());
                    shared >= REWRITE_MIN_SHARED && shared as f64 >= REWRITE_SHARE * smaller as f64
                };
                if qualifies(GramKind::Chars) || qualifies(GramKind::WordPairs) {
                    expected.push((a as u32, b as u32));
                }
            }
        }
        assert!(expected.len() > 5, "{expected:?}");
        // From a first new document on: those with a partner from it on.
        for first_new in [0, 1, docs.len() / 2, docs.len()] {
            let want: Vec<(u32, u32)> = expected
                .iter()
                .copied()
                .filter(|&(_, b)| b as usize >= first_new)
                .collect();
            assert_eq!(
                rewrite_candidates(
                    docs.len(),
                    &|d| Ok(docs[d].clone()),
                    &KnownPairs::default(),
                    first_new,
                )
                .unwrap(),
                want
            );
        }
        let spread: std::collections::BTreeSet<u32> = docs
            .iter()
            .flatten()
            .map(|h| h >> (32 - GRAM_PASS_BITS))
            .collect();
        assert_eq!(spread.len(), GRAM_PASSES);
        assert_eq!(all_candidates(&docs), expected);
        // A pass a range, as on a large corpus, or two ranges a pass.
        for budget in [0, 8 * docs.iter().map(Vec::len).sum::<usize>() / 4] {
            let within = rewrite_candidates_within(
                docs.len(),
                &|d| Ok(docs[d].clone()),
                &KnownPairs::default(),
                0,
                budget,
            );
            assert_eq!(within.unwrap(), expected);
        }
    }

    #[test]
    fn grams_of_very_many_documents_are_not_evidence() {
        // Every document carries the same 40 grams (a phrase of the
        // language, a footer) and 40 of its own.
        let docs: Vec<Vec<u32>> = (0..REWRITE_MAX_DF as u32 + 1)
            .map(|d| {
                let mut g = grams(0, 40);
                g.extend(grams(10_000 + d * 100, 40));
                g
            })
            .collect();
        assert!(all_candidates(&docs).is_empty());
    }
}

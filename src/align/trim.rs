//! The ends of a passage: trimming to shared word n-grams or to where
//! shared words are dense, verbatim cores, and growing over matching words.

use super::*;

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
    let (ra, rb, _, _) = trim_shared(&Prepared::new(a, 0), ra, &Prepared::new(b, 0), rb, n);
    (ra, rb)
}

/// The word `n`-grams of `doc.text()[range]`, `n` ≥ 1: (hash, first byte,
/// end byte) of each, in order; from the document's tokens.
pub(crate) fn prepared_ngrams(
    doc: &Prepared,
    range: Range<usize>,
    n: usize,
) -> Vec<(u64, usize, usize)> {
    ngrams_of(&doc.tokens(range), n)
}

/// The word `n`-grams of the tokens `t`.
fn ngrams_of(t: &[Token], n: usize) -> Vec<(u64, usize, usize)> {
    t.windows(n)
        .map(|w| {
            let h = w.iter().fold(0u64, |acc, x| acc.rotate_left(17) ^ x.hash);
            (h, w[0].start as usize, w[n - 1].end as usize)
        })
        .collect()
}

/// [`trim`], also returning the fraction of word `n`-grams the two sides
/// share (of the side with fewer) and whether the passage was cut to its
/// verbatim core ([`verbatim_core`]).
pub(super) fn trim_shared(
    pa: &Prepared,
    ra: Range<usize>,
    pb: &Prepared,
    rb: Range<usize>,
    n: usize,
) -> (Range<usize>, Range<usize>, f64, bool) {
    if n == 0 {
        return (ra, rb, 0.0, false);
    }
    let (a, b) = (pa.text, pb.text);
    let ga = prepared_ngrams(pa, ra.clone(), n);
    let gb = prepared_ngrams(pb, rb.clone(), n);
    let set_a: ahash::AHashSet<u64> = ga.iter().map(|g| g.0).collect();
    let set_b: ahash::AHashSet<u64> = gb.iter().map(|g| g.0).collect();
    let shared = set_a.iter().filter(|g| set_b.contains(g)).count();
    let ratio = shared as f64 / set_a.len().min(set_b.len()).max(1) as f64;
    let hit_a: Vec<bool> = ga.iter().map(|x| set_b.contains(&x.0)).collect();
    let hit_b: Vec<bool> = gb.iter().map(|x| set_a.contains(&x.0)).collect();
    if ratio < VERBATIM_SHARED {
        if let Some((ca, cb, core_ratio)) = verbatim_core(&ga, &hit_a, &gb, &hit_b, shared) {
            return (narrow(a, ra, ca), narrow(b, rb, cb), core_ratio, true);
        }
    }
    if ratio < TRIM_SHARED {
        return (ra, rb, ratio, false);
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
        false,
    )
}

/// Indices of the first n-gram that opens a run of `run` consecutive hits
/// and of the last one that closes one. With `short_ends`, a run cut short
/// by the end of the passage counts too.
pub(super) fn run_ends(hit: &[bool], run: usize, short_ends: bool) -> Option<(usize, usize)> {
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
pub(super) fn verbatim_core(
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
/// ends of the outer sentences that the other side does not use fall away;
/// `keep` words or fewer before the first window or after the last stay
/// (see [`SPARSE_KEEP_WORDS`]).
pub(super) fn trim_sparse(
    pa: &Prepared,
    ra: Range<usize>,
    pb: &Prepared,
    rb: Range<usize>,
    prefix: usize,
    keep: usize,
) -> (Range<usize>, Range<usize>) {
    let (a, b) = (pa.text, pb.text);
    let ta = pa.prefixed_tokens(ra.clone(), prefix);
    let tb = pb.prefixed_tokens(rb.clone(), prefix);
    let words = |t: &[Token]| t.iter().map(|x| x.hash).collect::<ahash::AHashSet<u64>>();
    let (set_a, set_b) = (words(&ta), words(&tb));
    (
        dense_bounds(a, &ta, &set_b, ra, keep),
        dense_bounds(b, &tb, &set_a, rb, keep),
    )
}

/// The stretch of `r` from the first to the last dense window of `tokens`
/// (see [`trim_sparse`]); `r` itself when there is none. Punctuation
/// between the trimmed and the original ends stays in.
pub(super) fn dense_bounds(
    text: &str,
    tokens: &[Token],
    other: &ahash::AHashSet<u64>,
    r: Range<usize>,
    keep: usize,
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
            // A few words left before the first dense window or after the
            // last are the rest of the outer sentence, not a clause of its
            // own: they stay in.
            let f = if f <= keep { 0 } else { f };
            let l = if n - 1 - l <= keep { n - 1 } else { l };
            narrow(text, r, tokens[f].start as usize..tokens[l].end as usize)
        }
        _ => r,
    }
}

/// Extends `ra` and `rb` backwards and forwards over the words that match
/// one for one on both sides (see [`GROW_WORDS`]), never before where the
/// bodies start nor into what a scan set aside (two outlets' look-alike
/// footers after a copied body are no part of it).
pub(super) fn grow_matching(
    pa: &Prepared,
    ra: Range<usize>,
    pb: &Prepared,
    rb: Range<usize>,
) -> (Range<usize>, Range<usize>) {
    let (a, b) = (pa.text, pb.text);
    let ta = pa.tokens(window_before(a, pa.grow_limit_before(ra.start), ra.start));
    let tb = pb.tokens(window_before(b, pb.grow_limit_before(rb.start), rb.start));
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
    let ta = pa.tokens(window_after(a, ra.end, pa.grow_limit_after(ra.end)));
    let tb = pb.tokens(window_after(b, rb.end, pb.grow_limit_after(rb.end)));
    let ahead = ta
        .iter()
        .zip(tb.iter())
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
pub(super) fn window_before(text: &str, floor: usize, end: usize) -> Range<usize> {
    let mut start = end.saturating_sub(GROW_WINDOW).max(floor);
    if start > floor {
        start = text.as_bytes()[start..end]
            .iter()
            .position(u8::is_ascii_whitespace)
            .map_or(end, |p| start + p);
    }
    start..end
}

/// Up to [`GROW_WINDOW`] bytes of `text` from `start`, not past `ceiling`,
/// ending at white space so that no word is cut.
pub(super) fn window_after(text: &str, start: usize, ceiling: usize) -> Range<usize> {
    let ceiling = ceiling.min(text.len());
    let mut end = (start + GROW_WINDOW).min(ceiling);
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
pub(super) fn narrow(text: &str, r: Range<usize>, inner: Range<usize>) -> Range<usize> {
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

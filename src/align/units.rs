//! Sentences as the aligner sees them: segmentation into blocks and
//! sentences, word counts, tf-idf vectors and their similarity.

use super::*;

/// A sentence as the aligner sees it.
#[derive(Debug, Clone)]
pub(super) struct Unit {
    pub(super) span: Range<usize>,
    /// Sorted (word, count).
    pub(super) counts: Vec<(u64, u32)>,
    /// Number of words.
    pub(super) words: usize,
}

/// The sentences of `text[start..]`, block by block (blocks end at blank
/// lines). Single line breaks do not end a sentence (hard-wrapped text,
/// lines reflowed by an editor).
pub(super) fn sentences(text: &str, start: usize) -> Vec<Vec<Range<usize>>> {
    // The same text with lone line breaks turned into spaces: byte offsets
    // are unchanged, so spans found in it point into `text`.
    let bytes = text.as_bytes();
    let mut flat = bytes.to_vec();
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        let c = bytes[i];
        let next_is_break = matches!(bytes.get(i + 1), Some(b'\n' | b'\r'));
        let after_lf = i > 0 && bytes[i - 1] == b'\n' && c == b'\n';
        let after_lf_cr = i > 1 && bytes[i - 1] == b'\r' && c == b'\n' && bytes[i - 2] == b'\n';
        if !(next_is_break || after_lf || after_lf_cr) {
            flat[i] = b' ';
        }
    }
    // ASCII bytes replaced by ASCII: still the UTF-8 of `text`.
    let flat = String::from_utf8(flat).unwrap_or_else(|_| text.to_string());
    split_paragraphs(&flat, start)
        .into_iter()
        .map(|block| {
            let block_text = &flat[block.clone()];
            let bounds: Vec<(usize, &str)> =
                super::ascii_sentences::sentence_bound_indices(block_text)
                    .unwrap_or_else(|| block_text.split_sentence_bound_indices().collect());
            let mut out = Vec::with_capacity(bounds.len());
            for (offset, sentence) in bounds {
                let at = block.start + offset;
                let range = at..at + sentence.len();
                if sentence.is_ascii() {
                    out.extend(trimmed(text, range));
                } else {
                    out.extend(
                        split_at_thai_spaces(text, range)
                            .into_iter()
                            .filter_map(|r| trimmed(text, r)),
                    );
                }
            }
            out
        })
        .collect()
}

/// Thai writes no sentence punctuation: a space between two Thai
/// characters ends a sentence or clause. `range` cut at such spaces.
pub(super) fn split_at_thai_spaces(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
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

/// Sentence units of a prepared document, from its [`sentences`]; words
/// longer than `prefix` characters count by their first `prefix` (0: whole
/// words).
/// With `split_long`, a sentence of more than [`MAX_UNIT_WORDS`] words is
/// cut at its line breaks. Sentences of fewer than [`MIN_UNIT_WORDS`] words
/// join the next sentence of their block (or the previous one, at its
/// end). Also returns whether a sentence was cut.
pub(super) fn units(doc: &Prepared, prefix: usize, split_long: bool) -> (Vec<Unit>, bool) {
    let (text, blocks) = (doc.text, &doc.sentences);
    let mut out: Vec<Unit> = Vec::new();
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
            let tokens = doc.prefixed_tokens(span.clone(), prefix);
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
pub(super) fn trimmed(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let s = &text[range.clone()];
    let end = range.start + s.trim_end().len();
    let start = end - s.trim().len();
    (start < end).then_some(start..end)
}

/// Hashes the words of `out` (tokens of `text`) longer than `prefix` characters
/// by their first `prefix` (0: leaves them whole).
pub(super) fn hash_prefixes(text: &str, prefix: usize, out: &mut [Token]) {
    if prefix > 0 {
        let mut normal = String::new();
        for t in out.iter_mut().filter(|t| !t.link) {
            let word = &text[t.start as usize..t.end as usize];
            // Cut the normalised word, as the tokeniser folds it: the
            // aligner sees the same folding as the shingles.
            normalize_word(word, &mut normal);
            if let Some((cut, _)) = normal.char_indices().nth(prefix) {
                t.hash = xxh3_64(&normal.as_bytes()[..cut]);
            }
        }
    }
}

/// Adds word hashes to a sorted (word, count) list.
pub(super) fn add_counts(counts: &mut Vec<(u64, u32)>, words: impl Iterator<Item = u64>) {
    let held: usize = counts.iter().map(|&(_, c)| c as usize).sum();
    let mut all: Vec<u64> = Vec::with_capacity(held + words.size_hint().0);
    all.extend(
        counts
            .drain(..)
            .flat_map(|(h, c)| std::iter::repeat_n(h, c as usize)),
    );
    all.extend(words);
    all.sort_unstable();
    for h in all {
        match counts.last_mut() {
            Some((last, c)) if *last == h => *c += 1,
            _ => counts.push((h, 1)),
        }
    }
}

/// Normalised tf-idf vectors of units.
pub(super) fn vectors(units: &[Unit], idf: &AHashMap<u64, f64>) -> Vec<Vec<(u64, f64)>> {
    units
        .iter()
        .map(|u| weigh(u.counts.iter().copied(), idf))
        .collect()
}

pub(super) fn weigh(
    counts: impl Iterator<Item = (u64, u32)>,
    idf: &AHashMap<u64, f64>,
) -> Vec<(u64, f64)> {
    weigh_by(counts, |w| idf.get(&w).copied().unwrap_or(0.0))
}

/// [`weigh`] with each word's weight given by `weight`.
pub(super) fn weigh_by(
    counts: impl Iterator<Item = (u64, u32)>,
    weight: impl Fn(u64) -> f64,
) -> Vec<(u64, f64)> {
    let mut v: Vec<(u64, f64)> = counts
        .map(|(w, c)| (w, (1.0 + f64::from(c).ln()) * weight(w)))
        .collect();
    let norm = v.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
    if norm > 0.0 {
        for (_, x) in &mut v {
            *x /= norm;
        }
    }
    v
}

pub(super) fn dot(a: &[(u64, f64)], b: &[(u64, f64)]) -> f64 {
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

pub(super) fn dice(a: &Unit, b: &Unit) -> f64 {
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

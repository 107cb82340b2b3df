//! Document-level evidence: character grams of the normalised words, and
//! their containment in a stretch of the other document.

use std::ops::Range;

use xxhash_rust::xxh3::xxh3_64;

use crate::text::{next_link, non_ascii_run, normalize_word, words};

/// Characters per gram of the document-level evidence ([`char_grams`]).
/// Four: the size at which grams of joined words stop matching by chance
/// within one language, measured on UPPC (3-grams 0.925 ROC-AUC, 4-grams
/// 0.933, 5-grams lower) and not changed for any other corpus.
pub const GRAM_CHARS: usize = 4;
const _: () = assert!(GRAM_CHARS * 21 <= 128, "grams are packed in a u128");

/// The source window of [`window_containment`], in copy lengths. 1:
/// measured on UPPC (ROC-AUC 0.934 at 1, 0.928 at 1.5) with PAN 2013 and
/// Clough–Stevenson unchanged between them.
pub const GRAM_WINDOW: f64 = 1.0;

/// The character [`GRAM_CHARS`]-grams of the normalised words of
/// `text[ranges]` joined without spaces, as XXH3-64 hashes in text order. Joining
/// the words makes the grams indifferent to word spacing (a compound
/// written with or without a space, common in Urdu and Persian), and a
/// spelling variant changes only the grams around it: the evidence a
/// rewrite keeps when its sentences no longer align.
pub fn char_grams(text: &str, ranges: &[Range<usize>]) -> Vec<u64> {
    let mut out = Vec::new();
    for_each_char_gram(text, ranges, |h| out.push(h));
    out
}

/// Calls `f` with each gram of [`char_grams`] in text order, holding one
/// stretch of words at a time (a long document is not copied).
///
/// Between links (which are no words), ASCII text is read byte by byte:
/// in ASCII every letter and digit belongs to a word, and a word's
/// normalised form is its lower case, so its letters and digits in lower
/// case are the grams' characters. Runs with other characters are
/// tokenised.
pub fn for_each_char_gram(text: &str, ranges: &[Range<usize>], mut f: impl FnMut(u64)) {
    let mut grams = GramWindow::default();
    let mut tokens = Vec::new();
    let mut buf = String::new();
    let mut word = String::new();
    for r in ranges {
        let mut i = r.start;
        loop {
            let link = next_link(text, i, r.end);
            let end = link.as_ref().map_or(r.end, |l| l.start);
            // As the tokeniser does: ASCII white space separates words, so
            // the white-space-delimited runs holding a non-ASCII byte are
            // tokenised and the ASCII text between them is read by bytes.
            let bytes = text.as_bytes();
            let mut at = i;
            while at < end {
                let run = non_ascii_run(bytes, at..end).unwrap_or(end..end);
                let (ascii_end, run_end) = (run.start, run.end);
                for &b in bytes[at..ascii_end]
                    .iter()
                    .filter(|b| b.is_ascii_alphanumeric())
                {
                    grams.push(u32::from(b.to_ascii_lowercase()), &mut f);
                }
                if ascii_end < run_end {
                    tokens.clear();
                    words(text, ascii_end..run_end, &mut buf, &mut tokens);
                    for t in &tokens {
                        normalize_word(&text[t.span()], &mut word);
                        for c in word.chars().filter(|c| c.is_alphanumeric()) {
                            grams.push(u32::from(c), &mut f);
                        }
                    }
                }
                at = run_end;
            }
            match link {
                Some(l) => i = l.end,
                None => break,
            }
        }
    }
}

/// The last [`GRAM_CHARS`] characters seen, packed 21 bits each (scalar
/// values are under 2^21) into a u128 whose XXH3-64 is the gram.
#[derive(Default)]
struct GramWindow {
    packed: u128,
    filled: usize,
}

impl GramWindow {
    const MASK: u128 = (1 << (21 * GRAM_CHARS)) - 1;

    #[inline]
    fn push(&mut self, c: u32, f: &mut impl FnMut(u64)) {
        self.packed = ((self.packed << 21) | u128::from(c)) & Self::MASK;
        self.filled += 1;
        if self.filled >= GRAM_CHARS {
            f(xxh3_64(&self.packed.to_le_bytes()));
        }
    }
}

/// The share of the distinct grams of `copy` (a gram sequence) found in
/// the window of `source` (a gram sequence) of `window` times the copy's
/// length that holds the most of them: containment in a stretch of the
/// source as long as the copy, so that a long source does not contain a
/// short copy's grams by its size alone.
pub fn window_containment(copy: &[u64], source: &[u64], window: f64) -> f64 {
    // Each distinct copy gram gets a slot; the source is read once as
    // slots, and the window slides over plain counters.
    let slot_of = SlotTable::new(copy);
    let distinct = slot_of.len();
    if distinct == 0 {
        return 0.0;
    }
    let slots: Vec<u32> = source.iter().map(|&g| slot_of.get(g)).collect();
    let w = ((copy.len() as f64 * window).ceil() as usize).max(1);
    let mut counts = vec![0u32; distinct];
    let (mut present, mut best) = (0usize, 0usize);
    for (i, &slot) in slots.iter().enumerate() {
        if slot != ABSENT {
            let c = &mut counts[slot as usize];
            *c += 1;
            present += usize::from(*c == 1);
        }
        if i >= w && slots[i - w] != ABSENT {
            let c = &mut counts[slots[i - w] as usize];
            *c -= 1;
            present -= usize::from(*c == 0);
        }
        best = best.max(present);
        if best == distinct {
            break;
        }
    }
    best as f64 / distinct as f64
}

/// The slot of a gram missing from a [`SlotTable`].
const ABSENT: u32 = u32::MAX;

/// The distinct grams of a sequence numbered in order of first appearance,
/// in an open-addressing table indexed by the grams' own low bits (they
/// are XXH3 hashes already): one probe or two where a general hash map
/// hashes every key again.
struct SlotTable {
    keys: Vec<u64>,
    slots: Vec<u32>,
    mask: usize,
    len: usize,
}

impl SlotTable {
    fn new(grams: &[u64]) -> SlotTable {
        let capacity = (grams.len() * 2).next_power_of_two().max(8);
        let mut t = SlotTable {
            keys: vec![0; capacity],
            slots: vec![ABSENT; capacity],
            mask: capacity - 1,
            len: 0,
        };
        for &g in grams {
            let mut i = g as usize & t.mask;
            loop {
                if t.slots[i] == ABSENT {
                    t.keys[i] = g;
                    t.slots[i] = t.len as u32;
                    t.len += 1;
                    break;
                }
                if t.keys[i] == g {
                    break;
                }
                i = (i + 1) & t.mask;
            }
        }
        t
    }

    fn len(&self) -> usize {
        self.len
    }

    #[inline]
    fn get(&self, g: u64) -> u32 {
        let mut i = g as usize & self.mask;
        loop {
            let slot = self.slots[i];
            if slot == ABSENT || self.keys[i] == g {
                return slot;
            }
            i = (i + 1) & self.mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ahash::AHashSet;

    /// The grams as first defined: every word tokenised and normalised.
    fn reference_grams(text: &str, ranges: &[Range<usize>]) -> Vec<u64> {
        let mut out = Vec::new();
        let mut tokens = Vec::new();
        let mut word = String::new();
        let mut window = [0u32; GRAM_CHARS];
        let mut filled = 0usize;
        for r in ranges {
            tokens.clear();
            crate::text::tokenize(text, r.clone(), &mut tokens);
            for t in tokens.iter().filter(|t| !t.link) {
                normalize_word(&text[t.span()], &mut word);
                for c in word.chars().filter(|c| c.is_alphanumeric()) {
                    window.copy_within(1.., 0);
                    window[GRAM_CHARS - 1] = u32::from(c);
                    filled += 1;
                    if filled >= GRAM_CHARS {
                        let packed = window
                            .iter()
                            .fold(0u128, |acc, &c| (acc << 21) | u128::from(c));
                        out.push(xxh3_64(&packed.to_le_bytes()));
                    }
                }
            }
        }
        out
    }

    fn mixed_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        let pieces = [
            "Harbour",
            "AUTHORITY",
            "it's",
            "3.14",
            "1,000",
            "snake_case",
            "__",
            "www.example.org/a",
            "https://x.y/z?q=1.",
            "Tehran’s",
            "ہوشیار",
            "پور",
            "۔",
            "café",
            "ＡＢＣ",
            "中文",
            "।",
            " ",
            " ",
            "\n",
            "\n\n",
            ",",
            ".",
            "\"",
            "—",
            "\u{00a0}",
            "e\u{0301}",
            "x2",
        ];
        proptest::collection::vec(proptest::sample::select(pieces.to_vec()), 0..40)
            .prop_map(|v| v.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        #[test]
        fn grams_agree_with_tokenising_every_word(text in mixed_text(), cut in 0usize..64) {
            let mut at = cut.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let ranges = [0..at, at..text.len()];
            proptest::prop_assert_eq!(char_grams(&text, &ranges), reference_grams(&text, &ranges));
            let all = 0..text.len();
            let whole = std::slice::from_ref(&all);
            proptest::prop_assert_eq!(char_grams(&text, whole), reference_grams(&text, whole));
        }
    }

    #[test]
    fn slot_table_numbers_distinct_grams_in_order() {
        // Keys that collide in the low bits probe on.
        let grams = [16u64, 32, 16, 48, 0, 32, 5];
        let t = SlotTable::new(&grams);
        assert_eq!(t.len(), 5);
        assert_eq!(
            [16, 32, 48, 0, 5, 7].map(|g| t.get(g)),
            [0, 1, 2, 3, 4, ABSENT]
        );
    }

    #[test]
    fn character_grams_ignore_word_spacing_and_case() {
        // A compound written with and without a space (Urdu), and case.
        let a = "ہوشیار پور میں پیدا ہوئے";
        let b = "ہوشیارپور میں پیدا ہوئے";
        let whole = |t: &str| char_grams(t, std::slice::from_ref(&(0..t.len())));
        assert_eq!(whole(a), whole(b));
        let c = "Harbour Authority";
        let d = "harbourauthority";
        assert_eq!(whole(c), whole(d));
    }

    #[test]
    fn window_containment_does_not_reward_a_long_source_for_its_length() {
        let copy: Vec<u64> = (0..10).collect();
        // The copy's grams scattered one per 20 over a long source: all
        // present, none near each other.
        let scattered: Vec<u64> = (0..200)
            .map(|i| if i % 20 == 0 { i / 20 } else { 1000 + i })
            .collect();
        assert!(window_containment(&copy, &scattered, 1.0) <= 0.1);
        // The same grams together, anywhere in the source: all found.
        let together: Vec<u64> = (0..200)
            .map(|i| {
                if (150..160).contains(&i) {
                    i - 150
                } else {
                    1000 + i
                }
            })
            .collect();
        assert_eq!(window_containment(&copy, &together, 1.0), 1.0);
        assert_eq!(window_containment(&[], &together, 1.0), 0.0);
    }

    #[test]
    fn window_containment_equals_counting_every_window() {
        // Small alphabets so that grams repeat on both sides.
        let mut x = 0x9e37_79b9_u64;
        let mut next = |m: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % m
        };
        for _ in 0..200 {
            let copy: Vec<u64> = (0..1 + next(12)).map(|_| next(9)).collect();
            let source: Vec<u64> = (0..next(40)).map(|_| next(15)).collect();
            let distinct: AHashSet<u64> = copy.iter().copied().collect();
            let w = copy.len();
            let best = (0..source.len().max(1))
                .map(|start| {
                    let window = &source[start.min(source.len())..(start + w).min(source.len())];
                    distinct.iter().filter(|g| window.contains(g)).count()
                })
                .max()
                .unwrap_or(0);
            let expected = best as f64 / distinct.len() as f64;
            assert_eq!(window_containment(&copy, &source, 1.0), expected);
        }
    }
}

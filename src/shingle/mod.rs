//! Stage 3, shingle: runs of consecutive tokens hashed to 64-bit values.
//!
//! A shingle of `k` tokens hashes to XXH3-64 (seed 0) of the `k` token
//! hashes written as little-endian `u64`s one after the other. XXH3's output
//! is fixed by its specification, so shingle hashes (and the signatures built
//! on them) compare across versions, platforms and years.
//!
//! A paragraph shorter than `k` tokens yields one shingle of all its tokens,
//! so that short paragraphs still count towards document-level scores.
//! Paragraphs written mostly in a script without spaces use
//! [`ShingleConfig::char_size`] character shingles instead of word shingles.

use std::ops::Range;
use std::sync::Arc;

use xxhash_rust::xxh3::xxh3_64;

mod keep;

use keep::SetTable;
pub use keep::{DEFAULT_SET_MEMORY, MappedSets, SetKeeper, release_sets};

use crate::corpus::{Document, KeptText, RecordRef};
use crate::date::Date;
use crate::text::{Token, WordsKey, split_paragraphs, tokenize};

/// How paragraphs are cut into shingles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ShingleConfig {
    /// Words per shingle for paragraphs in scripts that separate words.
    pub size: usize,
    /// Characters per shingle for paragraphs mostly in Han, Kana, Thai,
    /// Lao, Khmer or Myanmar script.
    pub char_size: usize,
}

/// Word 2-shingles by default: shingles find candidates only (the aligner
/// decides), and an edited copy must stay a candidate. With a house-style
/// substitution in about one word in ten, reworded paragraphs and word
/// edits, the recall of copies in a generated 20,000-article feed (`reprint
/// synth`, 2026-12-03) was 0.920 with 5-shingles, 0.983 with 3-shingles and
/// 0.995 with 2-shingles, at paragraph containment 0.5.
impl Default for ShingleConfig {
    fn default() -> Self {
        ShingleConfig {
            size: 2,
            char_size: 4,
        }
    }
}

impl ShingleConfig {
    /// The shingle size for a paragraph with these tokens: `char_size` when
    /// at least half of them are characters of a script without spaces.
    pub fn size_for(&self, tokens: &[Token]) -> usize {
        let continuous = tokens.iter().filter(|t| t.continuous_script).count();
        if !tokens.is_empty() && continuous * 2 >= tokens.len() {
            self.char_size
        } else {
            self.size
        }
    }
}

/// Hashes one shingle: XXH3-64 of the token hashes as little-endian bytes.
///
/// ```
/// // Fixed by the XXH3 specification: this value never changes.
/// assert_eq!(reprint::shingle::shingle_hash(&[1, 2]), reprint::shingle::shingle_hash(&[1, 2]));
/// assert_ne!(reprint::shingle::shingle_hash(&[1, 2]), reprint::shingle::shingle_hash(&[2, 1]));
/// ```
pub fn shingle_hash(token_hashes: &[u64]) -> u64 {
    const STACK: usize = 16;
    if token_hashes.len() <= STACK {
        let mut buf = [0u8; STACK * 8];
        for (chunk, h) in buf.chunks_exact_mut(8).zip(token_hashes) {
            chunk.copy_from_slice(&h.to_le_bytes());
        }
        xxh3_64(&buf[..token_hashes.len() * 8])
    } else {
        let buf: Vec<u8> = token_hashes.iter().flat_map(|h| h.to_le_bytes()).collect();
        xxh3_64(&buf)
    }
}

/// Appends the hashes of the `k`-token shingles of `tokens` to `out`, in
/// text order (duplicates included). Fewer than `k` tokens (but at least
/// one) yield a single shingle of all of them.
pub fn shingles(tokens: &[Token], k: usize, out: &mut Vec<u64>) {
    for_each_shingle(tokens, k, |h| out.push(h));
}

fn for_each_shingle(tokens: &[Token], k: usize, mut f: impl FnMut(u64)) {
    let k = k.max(1);
    if tokens.is_empty() {
        return;
    }
    // The token hashes as little-endian bytes, written once: each shingle
    // hashes a window of them in place (the same bytes `shingle_hash`
    // would build).
    let bytes: Vec<u8> = tokens.iter().flat_map(|t| t.hash.to_le_bytes()).collect();
    if tokens.len() < k {
        f(xxh3_64(&bytes));
        return;
    }
    (0..=tokens.len() - k).for_each(|start| f(xxh3_64(&bytes[start * 8..(start + k) * 8])));
}

/// The key a shingle hash is kept by in [`shingle_set`]: its high 32 bits.
#[inline]
pub fn shingle_key(hash: u64) -> u32 {
    (hash >> 32) as u32
}

/// The set of shingles of a paragraph: the high 32 bits of each shingle
/// hash ([`shingle_key`]), sorted, without duplicates. Four bytes a
/// shingle: a million articles hold about 430 million of them while
/// candidates are found. Two distinct shingles of a paragraph pair share a
/// key with probability 2⁻³² each: about one paragraph pair in 400,000 of
/// 100 shingles each has one such collision, which moves its containment
/// by 1%.
pub fn shingle_set(tokens: &[Token], k: usize) -> Vec<u32> {
    let mut out = Vec::with_capacity(tokens.len());
    for_each_shingle(tokens, k, |h| out.push(shingle_key(h)));
    out.sort_unstable();
    out.dedup();
    out
}

/// Paragraphs of more words than this are cut into windows for the
/// candidate stage.
pub const MAX_UNIT_WORDS: usize = 100;

/// Words per window of a long paragraph (windows overlap by half).
pub const WINDOW_WORDS: usize = 50;

/// A paragraph (or a window of a long one) reduced to what the later
/// stages need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShingledParagraph {
    /// Byte range in the document text.
    pub span: Range<usize>,
    /// Number of tokens (words, or characters in scripts without spaces).
    pub words: u32,
    /// Sorted, duplicate-free shingle keys ([`shingle_set`]).
    pub shingles: ShingleSet,
    /// Fewer than the minimum words to be fingerprinted alone.
    pub too_short: bool,
}

impl ShingledParagraph {
    /// A key for the paragraph's shingle set (XXH3-64 of the sorted
    /// hashes): units with the same key are one candidate group. `None` for
    /// units too short to be fingerprinted.
    pub fn set_key(&self) -> Option<u64> {
        (!self.too_short).then(|| crate::candidates::set_key(&self.shingles))
    }
}

/// A document reduced to its metadata and shingled paragraphs: everything
/// the engine needs once the text itself can be dropped.
#[derive(Debug, Clone, Default)]
pub struct ShingledDocument {
    /// Document id.
    pub id: String,
    /// Where it came from.
    pub origin: String,
    /// Publication date.
    pub date: Option<Date>,
    /// Outlet.
    pub source: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Address.
    pub url: Option<String>,
    /// Feed record, for passing the input through unchanged.
    pub record: Option<RecordRef>,
    /// Length of the text in bytes.
    pub text_len: usize,
    /// Byte offset where the body starts (after the date marker).
    pub body_start: usize,
    /// The body's words in order, hashed ([`crate::text::WordsKey`]).
    pub words_key: Option<u64>,
    /// Words in the body.
    pub words: usize,
    /// Candidate units in order: the paragraphs, each paragraph of more
    /// than [`MAX_UNIT_WORDS`] words cut into overlapping windows (see
    /// [`ShingledDocument::new`]).
    pub paragraphs: Vec<ShingledParagraph>,
    /// Byte spans of the paragraphs, in order: what reports number.
    pub paragraph_spans: Vec<Range<usize>>,
    /// The text, when the caller chose to keep it (reports quote it).
    pub text: Option<KeptText>,
}

impl ShingledDocument {
    /// Segments, tokenises and shingles `doc`. Paragraphs with fewer than
    /// `min_words` tokens are marked too short.
    pub fn new(doc: &Document, config: &ShingleConfig, min_words: usize) -> ShingledDocument {
        let mut tokens: Vec<Token> = Vec::new();
        let mut words = 0;
        let mut key = WordsKey::default();
        let paragraph_spans = split_paragraphs(&doc.text, doc.body_start);
        let mut paragraphs = Vec::with_capacity(paragraph_spans.len());
        // The units' sets, put in one table for the document at the end.
        let mut sets: Vec<Vec<u32>> = Vec::with_capacity(paragraph_spans.len());
        for span in &paragraph_spans {
            tokens.clear();
            tokenize(&doc.text, span.clone(), &mut tokens);
            words += tokens.len();
            tokens.iter().for_each(|t| key.push(t));
            let k = config.size_for(&tokens);
            let mut unit = |range: Range<usize>, toks: &[Token]| {
                sets.push(shingle_set(toks, k));
                ShingledParagraph {
                    span: range,
                    words: u32::try_from(toks.len()).unwrap_or(u32::MAX),
                    shingles: ShingleSet::default(),
                    too_short: toks.len() < min_words.max(1),
                }
            };
            if tokens.len() <= MAX_UNIT_WORDS {
                paragraphs.push(unit(span.clone(), &tokens));
                continue;
            }
            // A long paragraph (a whole article without paragraph breaks,
            // a hard-wrapped text) is cut into windows that overlap by
            // half, so that a copied paragraph of any alignment lies mostly
            // inside one window: LSH estimates Jaccard, and a short
            // paragraph inside a long one has a low Jaccard however
            // contained it is.
            let mut at = 0;
            loop {
                let end = (at + WINDOW_WORDS).min(tokens.len());
                let w = &tokens[at..end];
                let range = w[0].start as usize..w[w.len() - 1].end as usize;
                paragraphs.push(unit(range, w));
                if end == tokens.len() {
                    break;
                }
                at += WINDOW_WORDS / 2;
            }
        }
        for (p, set) in paragraphs
            .iter_mut()
            .zip(ShingleSet::shared(sets.iter().map(|s| &s[..])))
        {
            p.shingles = set;
        }
        // Held for the whole scan: without the room their growth left
        // (17 MB of 594 MB in use after reading 300,000 articles).
        paragraphs.shrink_to_fit();
        let mut paragraph_spans = paragraph_spans;
        paragraph_spans.shrink_to_fit();
        ShingledDocument {
            id: doc.id.clone(),
            origin: doc.origin.clone(),
            date: doc.date.clone(),
            source: doc.source.clone(),
            title: doc.title.clone(),
            url: doc.url.clone(),
            record: doc.record,
            text_len: doc.text.len(),
            body_start: doc.body_start,
            words_key: key.finish(),
            paragraph_spans,
            words,
            paragraphs,
            text: None,
        }
    }

    /// Shingles `doc` and keeps its text.
    pub fn with_text(doc: Document, config: &ShingleConfig, min_words: usize) -> ShingledDocument {
        let mut s = ShingledDocument::new(&doc, config, min_words);
        s.text = Some(doc.text.into());
        s
    }

    /// The union of all paragraphs' shingles.
    pub fn shingle_set(&self) -> Vec<u32> {
        crate::similarity::union_of(self.paragraphs.iter().map(|p| &p.shingles[..]))
    }
}

/// A unit's shingle set (sorted, distinct keys): a slice of a table of
/// keys shared by the units of a document ([`ShingledDocument::new`]) or of
/// a batch of documents ([`pack_shingle_sets`]), in memory or in a
/// [`SetKeeper`]'s temporary file. It reads as a `[u32]`, and takes 16
/// bytes.
#[derive(Debug, Clone, Default)]
pub struct ShingleSet {
    table: Option<Arc<SetTable>>,
    start: u32,
    len: u32,
}

impl ShingleSet {
    /// The sets `sets` in one shared table (at most [`u32::MAX`] keys in
    /// all), in order.
    fn shared<'a>(sets: impl Iterator<Item = &'a [u32]> + Clone) -> Vec<ShingleSet> {
        let total: usize = sets.clone().map(<[u32]>::len).sum();
        let mut keys: Vec<u32> = Vec::with_capacity(total);
        for s in sets.clone() {
            keys.extend_from_slice(s);
        }
        let table: Option<Arc<SetTable>> =
            (total > 0).then(|| Arc::new(SetTable::Memory(keys.into())));
        let mut start = 0u32;
        sets.map(|s| {
            let set = ShingleSet {
                table: table.clone().filter(|_| !s.is_empty()),
                start,
                len: s.len() as u32,
            };
            start += s.len() as u32;
            set
        })
        .collect()
    }
}

impl From<Vec<u32>> for ShingleSet {
    fn from(keys: Vec<u32>) -> ShingleSet {
        ShingleSet::shared(std::iter::once(&keys[..])).remove(0)
    }
}

impl std::ops::Deref for ShingleSet {
    type Target = [u32];
    fn deref(&self) -> &[u32] {
        match &self.table {
            Some(t) => &t.keys()[self.start as usize..(self.start + self.len) as usize],
            None => &[],
        }
    }
}

impl PartialEq for ShingleSet {
    fn eq(&self, other: &ShingleSet) -> bool {
        self[..] == other[..]
    }
}

impl Eq for ShingleSet {}

/// Keys in one table that [`pack_shingle_sets`] builds: offsets within it
/// fit in 32 bits.
const MAX_TABLE_KEYS: usize = 1 << 30;

/// Moves the shingle sets of `docs` into tables shared by many documents.
/// A scan holds every set from reading until the families are found, and
/// frees them all at once while the documents' other records stay: small
/// allocations among those records would leave freed holes in pages that
/// stay resident, where a table for a batch of documents is handed back
/// whole.
pub fn pack_shingle_sets(docs: &mut [ShingledDocument]) {
    let mut rest = docs;
    while !rest.is_empty() {
        // As many documents as fit one table (at least one).
        let (mut n, mut keys) = (0, 0);
        while n < rest.len() {
            let k: usize = rest[n].paragraphs.iter().map(|p| p.shingles.len()).sum();
            if n > 0 && keys + k > MAX_TABLE_KEYS {
                break;
            }
            keys += k;
            n += 1;
        }
        let (batch, after) = rest.split_at_mut(n);
        let sets = ShingleSet::shared(
            batch
                .iter()
                .flat_map(|d| &d.paragraphs)
                .map(|p| &p.shingles[..]),
        );
        for (p, set) in batch.iter_mut().flat_map(|d| &mut d.paragraphs).zip(sets) {
            p.shingles = set;
        }
        rest = after;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_sets_read_as_the_sets_they_replace() {
        let config = ShingleConfig {
            size: 2,
            char_size: 3,
        };
        let texts = [
            "One short paragraph here.\n\nAnd a second one, a little longer than that.",
            "",
            "Only one paragraph, which is alone in its document.",
        ];
        let docs: Vec<ShingledDocument> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let doc = Document::from_text(i.to_string(), "t", t.to_string());
                ShingledDocument::new(&doc, &config, 1)
            })
            .collect();
        let mut packed = docs.clone();
        pack_shingle_sets(&mut packed);
        for (a, b) in docs.iter().zip(&packed) {
            assert_eq!(a.paragraphs, b.paragraphs);
            assert_eq!(a.shingle_set(), b.shingle_set());
        }
        assert!(packed[0].paragraphs.iter().all(|p| !p.shingles.is_empty()));
    }
    use crate::text::tokenize;

    fn tokens(text: &str) -> Vec<Token> {
        let mut t = Vec::new();
        tokenize(text, 0..text.len(), &mut t);
        t
    }

    #[test]
    fn shingle_hash_is_fixed_by_specification() {
        // XXH3-64 of eight zero bytes, from the reference implementation.
        assert_eq!(shingle_hash(&[0]), xxh3_64(&[0u8; 8]));
        assert_eq!(shingle_hash(&[0]), 0xC77B_3ABB_6F87_ACD9);
    }

    #[test]
    fn n_tokens_give_n_minus_k_plus_one_shingles() {
        let t = tokens("one two three four five six seven");
        let mut out = Vec::new();
        shingles(&t, 5, &mut out);
        assert_eq!(out.len(), 3);
        // Each is the shingle hash of its window of token hashes.
        let ids: Vec<u64> = t.iter().map(|t| t.hash).collect();
        let expected: Vec<u64> = ids.windows(5).map(shingle_hash).collect();
        assert_eq!(out, expected);
    }

    #[test]
    fn short_paragraphs_give_one_shingle() {
        let t = tokens("Read more");
        let mut out = Vec::new();
        shingles(&t, 5, &mut out);
        assert_eq!(out, [shingle_hash(&[t[0].hash, t[1].hash])]);
        shingles(&[], 5, &mut out);
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn sets_are_sorted_and_unique() {
        let t = tokens("a b a b a b a b");
        let set = shingle_set(&t, 2);
        assert_eq!(set.len(), 2);
        assert!(set.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn sets_keep_the_high_half_of_each_shingle_hash() {
        let t = tokens("the harbour authority approved the new ferry terminal on monday");
        let mut hashes = Vec::new();
        shingles(&t, 2, &mut hashes);
        let mut keys: Vec<u32> = hashes.iter().map(|&h| (h >> 32) as u32).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(shingle_set(&t, 2), keys);
        assert_eq!(shingle_key(0xdead_beef_0000_0001), 0xdead_beef);
    }

    #[test]
    fn chinese_paragraphs_use_character_shingles() {
        let config = ShingleConfig::default();
        assert_eq!(config.size_for(&tokens("新华社北京电")), config.char_size);
        assert_eq!(config.size_for(&tokens("Beijing today 新")), config.size);
    }

    #[test]
    fn documents_carry_paragraph_spans_and_word_counts() {
        let doc = Document::from_text(
            "d",
            "d",
            "date 2026-01-01 Ünïcode title\n\nA second paragraph with enough words in it.".into(),
        );
        let s = ShingledDocument::new(&doc, &ShingleConfig::default(), 5);
        assert_eq!(s.paragraphs.len(), 2);
        assert_eq!(&doc.text[s.paragraphs[0].span.clone()], "Ünïcode title");
        assert!(s.paragraphs[0].too_short);
        assert!(!s.paragraphs[1].too_short);
        let p1 = &s.paragraphs[1];
        assert_eq!(
            &doc.text[p1.span.clone()],
            "A second paragraph with enough words in it."
        );
        assert_eq!((s.paragraphs[0].words, p1.words), (2, 8));
        assert_eq!(s.words, 10);
    }

    #[test]
    fn a_paragraph_record_stays_small() {
        // A million articles hold about nine million of them from reading
        // until the report: 72 bytes each were 620 MB there.
        assert!(std::mem::size_of::<ShingledParagraph>() <= 48);
    }

    #[test]
    fn long_shingles_hash_like_short_ones() {
        let ids: Vec<u64> = (0..20).collect();
        let bytes: Vec<u8> = ids.iter().flat_map(|h| h.to_le_bytes()).collect();
        assert_eq!(shingle_hash(&ids), xxh3_64(&bytes));
    }
}

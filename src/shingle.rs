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

use xxhash_rust::xxh3::xxh3_64;

use crate::text::Token;

/// How paragraphs are cut into shingles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShingleConfig {
    /// Words per shingle for paragraphs in scripts that separate words.
    pub size: usize,
    /// Characters per shingle for paragraphs mostly in Han, Kana, Thai,
    /// Lao, Khmer or Myanmar script.
    pub char_size: usize,
}

impl Default for ShingleConfig {
    fn default() -> Self {
        ShingleConfig {
            size: 5,
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
    let k = k.max(1);
    if tokens.is_empty() {
        return;
    }
    let hashes: Vec<u64> = tokens.iter().map(|t| t.hash).collect();
    if hashes.len() < k {
        out.push(shingle_hash(&hashes));
        return;
    }
    out.extend(hashes.windows(k).map(shingle_hash));
}

/// The set of shingles of a paragraph: sorted, without duplicates.
pub fn shingle_set(tokens: &[Token], k: usize) -> Vec<u64> {
    let mut out = Vec::with_capacity(tokens.len());
    shingles(tokens, k, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
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
    }

    #[test]
    fn short_paragraphs_give_one_shingle() {
        let t = tokens("Read more");
        let mut out = Vec::new();
        shingles(&t, 5, &mut out);
        assert_eq!(out.len(), 1);
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
    fn chinese_paragraphs_use_character_shingles() {
        let config = ShingleConfig::default();
        assert_eq!(config.size_for(&tokens("新华社北京电")), config.char_size);
        assert_eq!(config.size_for(&tokens("Beijing today 新")), config.size);
    }

    #[test]
    fn long_shingles_hash_like_short_ones() {
        let ids: Vec<u64> = (0..20).collect();
        let bytes: Vec<u8> = ids.iter().flat_map(|h| h.to_le_bytes()).collect();
        assert_eq!(shingle_hash(&ids), xxh3_64(&bytes));
    }
}

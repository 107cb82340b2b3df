//! Character counts of byte ranges of one text in constant time (up to two
//! short scans): coverages and spans are counted for every passage of
//! every pair a document takes part in.

use std::ops::Range;

/// Bytes per block of the prefix counts.
const BLOCK: usize = 64;

/// Prefix counts, per block of [`BLOCK`] bytes, of a text's characters and
/// of its characters that are not white space, each counted at its first
/// byte. Eight bytes per 64 of text.
#[derive(Debug, Clone)]
pub(crate) struct CharCounts {
    /// `chars[k]`: characters starting before byte `k * BLOCK`.
    chars: Vec<u32>,
    /// `solid[k]`: such characters that are not white space.
    solid: Vec<u32>,
}

impl CharCounts {
    pub(crate) fn new(text: &str) -> CharCounts {
        let blocks = text.len() / BLOCK + 1;
        let (mut chars, mut solid) = (Vec::with_capacity(blocks), Vec::with_capacity(blocks));
        let (mut c, mut s) = (0u32, 0u32);
        for k in 0..blocks {
            chars.push(c);
            solid.push(s);
            let r = k * BLOCK..((k + 1) * BLOCK).min(text.len());
            let (bc, bs) = scan(text, r);
            c += bc as u32;
            s += bs as u32;
        }
        CharCounts { chars, solid }
    }

    /// Characters of `text[r]` (`text` the counted text, `r` on character
    /// boundaries).
    pub(crate) fn chars(&self, text: &str, r: Range<usize>) -> usize {
        self.count(text, r, false)
    }

    /// Characters of `text[r]` that are not white space.
    pub(crate) fn solid(&self, text: &str, r: Range<usize>) -> usize {
        self.count(text, r, true)
    }

    fn count(&self, text: &str, r: Range<usize>, solid: bool) -> usize {
        let pick = |(chars, solids): (usize, usize)| if solid { solids } else { chars };
        let prefix = if solid { &self.solid } else { &self.chars };
        if r.start >= r.end {
            return 0;
        }
        let first = r.start.div_ceil(BLOCK);
        let last = r.end / BLOCK;
        if first >= last {
            return pick(scan(text, r));
        }
        pick(scan(text, r.start..first * BLOCK))
            + (prefix[last] - prefix[first]) as usize
            + pick(scan(text, last * BLOCK..r.end))
    }
}

/// (characters, characters not white space) starting in the bytes `r` of
/// `text` (any byte offsets).
fn scan(text: &str, r: Range<usize>) -> (usize, usize) {
    let bytes = text.as_bytes();
    let (mut chars, mut solid) = (0, 0);
    for i in r {
        let b = bytes[i];
        if b < 0x80 {
            chars += 1;
            solid += usize::from(!matches!(b, b' ' | b'\t'..=b'\r'));
        } else if b >= 0xC0 {
            chars += 1;
            let white = text[i..].chars().next().is_some_and(char::is_whitespace);
            solid += usize::from(!white);
        }
    }
    (chars, solid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_equal_counting_the_characters() {
        let text = "Il a dit\u{00a0}: « non ».\n\n ہوشیار پور میں\u{3000}中文 x ".repeat(9);
        let counts = CharCounts::new(&text);
        let boundaries: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        for (n, &a) in boundaries.iter().enumerate() {
            for &b in boundaries[n..].iter().step_by(7) {
                let s = &text[a..b];
                assert_eq!(counts.chars(&text, a..b), s.chars().count(), "{a}..{b}");
                assert_eq!(
                    counts.solid(&text, a..b),
                    s.chars().filter(|c| !c.is_whitespace()).count(),
                    "{a}..{b}"
                );
            }
        }
    }
}

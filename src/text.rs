//! Stage 2, segment and normalise: paragraphs and normalised words, each with
//! its byte span in the document's text.
//!
//! **Paragraphs** are separated by blank lines (lines holding only white
//! space); inside a block, lines are paragraphs of their own when most of
//! them end a sentence (see [`split_paragraphs`]). `\n`, `\r\n` and a bare
//! `\r` all end a line.
//!
//! **Words** are Unicode words (UAX #29, via `unicode-segmentation`),
//! normalised so that typographic variants compare equal: NFKC, full case
//! folding to lower case, and curly quotes, apostrophes, primes and dashes
//! folded to their ASCII forms (`Tehran’s` = `tehran's`).
//!
//! **Scripts written without spaces** (Han, Hiragana, Katakana, Thai, Lao,
//! Khmer, Myanmar) have no word boundaries UAX #29 can find, so each of their
//! characters is a token of its own. A paragraph in which such characters
//! make up at least half of the tokens is shingled on characters (see
//! [`crate::shingle`]).

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;
use xxhash_rust::xxh3::xxh3_64;

/// Splits `text[start..]` into paragraphs and returns their byte ranges in
/// `text`, trimmed of surrounding white space. Empty paragraphs are skipped.
///
/// Blank lines always end a paragraph. Inside a block of several lines,
/// each line is a paragraph of its own when at least half of the lines
/// before the last end a sentence (a web extract with one paragraph per
/// line); otherwise the lines are hard-wrapped prose, joined except after
/// a line that the next line's first word would have fitted on (a wrapper
/// fills each line, so such a line ended its paragraph: hard-wrapped
/// paragraphs with no blank line between them), and before a line more
/// than a quarter wider than the wrapping width (left unwrapped: a footer,
/// a link). The widest line but a third of the block's lines stands for
/// the wrapping width. The rule looks at each block alone,
/// so a document does not change its segmentation because a blank line
/// appears elsewhere in it, and a hard-wrapped text and its reflowed copy
/// give the same paragraphs.
///
/// ```
/// let text = "A hard-wrapped\nparagraph goes on.\n\nOne line.\nAnother line.\nA third.\n";
/// let paras = reprint::text::split_paragraphs(text, 0);
/// assert_eq!(&text[paras[0].clone()], "A hard-wrapped\nparagraph goes on.");
/// assert_eq!(&text[paras[1].clone()], "One line.");
/// assert_eq!(paras.len(), 4);
/// ```
pub fn split_paragraphs(text: &str, start: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut block: Vec<Range<usize>> = Vec::new();
    let flush = |block: &mut Vec<Range<usize>>, out: &mut Vec<Range<usize>>| {
        if block.is_empty() {
            return;
        }
        let inner = &block[..block.len() - 1];
        let ends = inner
            .iter()
            .filter(|l| ends_sentence(&text[(*l).clone()]))
            .count();
        if !inner.is_empty() && 2 * ends >= inner.len() {
            for line in block.drain(..) {
                push_trimmed(text, line, out);
            }
        } else {
            let widths: Vec<usize> = block
                .iter()
                .map(|l| text[l.clone()].trim_end().chars().count())
                .collect();
            // The wrapping width, estimated from below (a lower estimate
            // only joins more): the widest line but a third of the lines,
            // so that a footer or a link left unwrapped or a dateline put
            // before wrapped text does not count.
            let mut ranked = widths.clone();
            let third = ranked.len() / 3;
            let widest = *ranked.select_nth_unstable_by(third, |x, y| y.cmp(x)).1;
            let mut first = 0;
            for i in 0..block.len() {
                // A line far wider than the width was not wrapped (a
                // footer, a link): it starts a paragraph of its own.
                let ends_paragraph = block.get(i + 1).is_none_or(|next| {
                    let word = text[next.clone()].split_whitespace().next().unwrap_or("");
                    widths[i] + 1 + word.chars().count() <= widest || 4 * widths[i + 1] > 5 * widest
                });
                if ends_paragraph {
                    push_trimmed(text, block[first].start..block[i].end, out);
                    first = i + 1;
                }
            }
            block.clear();
        }
    };
    for line in line_ranges(text, start) {
        if text[line.clone()].trim().is_empty() {
            flush(&mut block, &mut out);
        } else {
            block.push(line);
        }
    }
    flush(&mut block, &mut out);
    out
}

/// Whether a line ends a sentence: its last character, closing quotes and
/// brackets aside, is sentence-final punctuation in any script.
pub fn ends_sentence(line: &str) -> bool {
    line.trim_end()
        .chars()
        .rev()
        .find(|c| {
            !matches!(
                c,
                '"' | '\'' | '”' | '’' | '»' | '›' | ')' | ']' | '」' | '』' | '）'
            )
        })
        .is_some_and(is_sentence_end)
}

/// Sentence-final punctuation: Latin, Arabic and Urdu, Devanagari,
/// Armenian, Ethiopic, CJK full-width and ideographic marks.
pub fn is_sentence_end(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '…' | '۔' | '؟' | '।' | '॥' | '։' | '።' | '。' | '！' | '？' | '｡'
    )
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[range.clone()];
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    if !trimmed.is_empty() {
        let begin = range.start + lead;
        out.push(begin..begin + trimmed.len());
    }
}

/// Byte ranges of the lines of `text[start..]`, without their terminators.
fn line_ranges(text: &str, start: usize) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut line_start = start;
    for i in memchr::memchr2_iter(b'\n', b'\r', &bytes[start..]).map(|p| start + p) {
        // The `\n` of a `\r\n` pair ends nothing: its line ended at the `\r`.
        if i < line_start {
            continue;
        }
        out.push(line_start..i);
        line_start = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i + 2
        } else {
            i + 1
        };
    }
    if line_start < bytes.len() {
        out.push(line_start..bytes.len());
    }
    out
}

/// An order-sensitive hash of a document's normalised words, the same
/// whatever white space separates them: equal keys find exact and
/// re-wrapped duplicates. Feed it every token in order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WordsKey {
    acc: u64,
    words: u64,
}

impl WordsKey {
    /// Adds the next token.
    pub fn push(&mut self, token: &Token) {
        self.acc = self.acc.rotate_left(23) ^ token.hash.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.words += 1;
    }

    /// The key; `None` for a document without words.
    pub fn finish(&self) -> Option<u64> {
        (self.words > 0).then(|| self.acc ^ self.words.wrapping_mul(0xC2B2_AE3D_27D4_EB4F))
    }

    /// The key of `tokens` in order (see [`WordsKey::finish`]).
    pub fn of(tokens: &[Token]) -> Option<u64> {
        let mut key = WordsKey::default();
        tokens.iter().for_each(|t| key.push(t));
        key.finish()
    }
}

/// One normalised token: a word, or a single character of a script written
/// without spaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the token's first byte in the document text.
    pub start: u32,
    /// Byte offset one past the token's last byte.
    pub end: u32,
    /// XXH3-64 of the normalised token's UTF-8 bytes (seed 0): stable across
    /// versions and platforms.
    pub hash: u64,
    /// Whether the token is a character of a script written without spaces.
    pub continuous_script: bool,
    /// Whether the token is a link (see [`next_link`]).
    pub link: bool,
}

impl Token {
    /// The token's byte range in the document text.
    pub fn span(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Whether `c` belongs to a script written without spaces between words.
pub fn is_continuous_script(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF      // Thai, Lao
        | 0x1000..=0x109F    // Myanmar
        | 0x1780..=0x17FF    // Khmer
        | 0x19E0..=0x19FF    // Khmer symbols
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x31F0..=0x31FF    // Katakana extensions
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0xFF66..=0xFF9F    // half-width Katakana
        | 0x20000..=0x3FFFF) // CJK extensions B and later
}

/// Appends the normalised form of `word` to `out` (cleared first).
///
/// ```
/// let mut s = String::new();
/// reprint::text::normalize_word("Tehran’s", &mut s);
/// assert_eq!(s, "tehran's");
/// reprint::text::normalize_word("ＡＢＣ", &mut s);
/// assert_eq!(s, "abc");
/// ```
pub fn normalize_word(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        return;
    }
    for c in word.nfkc() {
        if is_silent_mark(c) {
            continue;
        }
        match fold_typography(c)
            .or_else(|| fold_script_letter(c))
            .or_else(|| ascii_digit(c))
            .or_else(|| latin_base(c))
        {
            Some(folded) => out.push(folded.to_ascii_lowercase()),
            None if c == 'ß' => out.push_str("ss"),
            None => out.extend(c.to_lowercase()),
        }
    }
}

/// The ASCII letter under a Latin letter with diacritics (`é`, `ü`, `ñ`,
/// `ç`, and `ş` and `ș` alike): wire services have long sent copy without
/// diacritics (`Sao Paulo`, `Zurich`) that outlets restore, and keyboards
/// and fonts swap look-alike marks (Romanian `ş`/`ș`). Letters that are no
/// ASCII letter with marks (`ø`, `ł`, Cyrillic, Greek) are kept.
fn latin_base(c: char) -> Option<char> {
    // Only the Latin blocks hold such letters: other scripts skip the
    // decomposition.
    if !matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}') {
        return None;
    }
    let mut base: Option<char> = None;
    let mut marks_only = true;
    unicode_normalization::char::decompose_canonical(c, |d| match base {
        None => base = Some(d),
        Some(_) => marks_only &= ('\u{0300}'..='\u{036F}').contains(&d),
    });
    base.filter(|b| b.is_ascii_alphabetic() && marks_only && *b != c)
}

/// The ASCII digit of a decimal digit of another script: Urdu and Persian
/// sites write `۲۰۲۴` or `2024`, Arabic ones `٢٠٢٤`, Hindi ones `२०२४`,
/// for the same year.
fn ascii_digit(c: char) -> Option<char> {
    const ZEROS: [u32; 15] = [
        0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
        0x0D66, 0x0E50, 0x0ED0, 0x1040,
    ];
    let code = u32::from(c);
    ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&code))
        .and_then(|&zero| char::from_digit(code - zero, 10))
}

/// Marks that writers put in or leave out without changing the word:
/// Arabic short-vowel and other diacritics (harakat, U+064B–U+065F), the
/// superscript alef, the tatweel that stretches a word, the Devanagari
/// nukta that Hindi house styles keep or drop (`ज़रूरत` and `जरूरत`), and
/// the zero-width (non-)joiners that Persian, Urdu and Indic typing inserts
/// or omits (`می‌شود` and `میشود`).
fn is_silent_mark(c: char) -> bool {
    matches!(
        c,
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' | '\u{093C}' | '\u{200C}' | '\u{200D}'
    )
}

/// Folds the letters that keyboards and house styles write in two ways.
/// Arabic script: the Arabic and the Persian/Urdu yeh and kaf (`ي`/`ى` and
/// `ی`, `ك` and `ک`), alef with hamza or madda and bare alef (`أ إ آ ٱ` and
/// `ا`), the heh of Arabic keyboards, the Urdu heh goal and the teh
/// marbuta that Egyptian and informal Arabic write as heh (`ه`, `ہ`, `ة`),
/// as the Arabic and Persian analysers of search engines fold them.
/// Devanagari: chandrabindu and anusvara (`पाँच` and `पांच`), as Hindi
/// analysers do.
fn fold_script_letter(c: char) -> Option<char> {
    Some(match c {
        '\u{064A}' | '\u{0649}' => '\u{06CC}',
        '\u{0643}' => '\u{06A9}',
        '\u{0623}' | '\u{0625}' | '\u{0622}' | '\u{0671}' => '\u{0627}',
        '\u{0647}' | '\u{0629}' => '\u{06C1}',
        '\u{0901}' => '\u{0902}',
        _ => return None,
    })
}

/// Folds typographic variants of quotes, apostrophes and dashes.
fn fold_typography(c: char) -> Option<char> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}'
        | '\u{FF07}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => '-',
        _ => return None,
    })
}

/// Tokenises `text[range]` into normalised tokens appended to `out`.
///
/// ```
/// let text = "“He said,” — she didn’t.";
/// let mut tokens = Vec::new();
/// reprint::text::tokenize(text, 0..text.len(), &mut tokens);
/// let words: Vec<&str> = tokens.iter().map(|t| &text[t.span()]).collect();
/// assert_eq!(words, ["He", "said", "she", "didn’t"]);
/// ```
pub fn tokenize(text: &str, range: Range<usize>, out: &mut Vec<Token>) {
    let mut buf = String::new();
    let mut i = range.start;
    while let Some(link) = next_link(text, i, range.end) {
        words(text, i..link.start, &mut buf, out);
        normalize_word(&text[link.clone()], &mut buf);
        out.push(Token {
            start: link.start as u32,
            end: link.end as u32,
            hash: xxh3_64(buf.as_bytes()),
            continuous_script: false,
            link: true,
        });
        i = link.end;
    }
    words(text, i..range.end, &mut buf, out);
}

/// The first link (a URL: `scheme://…` or `www.…`) that starts in
/// `text[from..end]`, as a byte range up to the next white space, quote or
/// angle bracket, without the punctuation that ends a sentence after it.
/// A link is one token: a reference, not text, so two articles citing the
/// same address share one word, not the dozen its parts would make.
///
/// ```
/// let text = "See https://example.org/a/b?c=1. Or www.example.com, too.";
/// let mut tokens = Vec::new();
/// reprint::text::tokenize(text, 0..text.len(), &mut tokens);
/// let words: Vec<&str> = tokens.iter().map(|t| &text[t.span()]).collect();
/// assert_eq!(words, ["See", "https://example.org/a/b?c=1", "Or", "www.example.com", "too"]);
/// ```
pub fn next_link(text: &str, from: usize, end: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let hay = &text[from..end];
    let scheme = {
        let mut at = 0;
        loop {
            let Some(p) = memchr::memmem::find(&hay.as_bytes()[at..], b"://") else {
                break None;
            };
            let colon = from + at + p;
            let start = bytes[from..colon]
                .iter()
                .rposition(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))
                .map_or(from, |q| from + q + 1);
            let scheme_ok = colon > start && bytes[start].is_ascii_alphabetic();
            let body_ok = colon + 3 < end && bytes[colon + 3].is_ascii_alphanumeric();
            if scheme_ok && body_ok {
                break Some(start);
            }
            at += p + 3;
        }
    };
    let www = {
        let mut at = 0;
        loop {
            let Some(p) = memchr::memmem::find(&hay.as_bytes()[at..], b"www.") else {
                break None;
            };
            let s = from + at + p;
            let before_ok = s == 0
                || !(bytes[s - 1].is_ascii_alphanumeric()
                    || matches!(bytes[s - 1], b'/' | b'.' | b'@'));
            let after_ok = bytes.get(s + 4).is_some_and(|b| b.is_ascii_alphanumeric());
            if before_ok && after_ok && s + 4 < end {
                break Some(s);
            }
            at += p + 4;
        }
    };
    let start = match (scheme, www) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    let mut stop = bytes[start..end]
        .iter()
        .position(|&b| b.is_ascii_whitespace() || matches!(b, b'"' | b'<' | b'>'))
        .map_or(end, |p| start + p);
    // A closing bracket ends the link only when the link opens fewer.
    let unbalanced = |stop: usize, open: u8, close: u8| {
        let link = &bytes[start..stop];
        let count = |b: u8| link.iter().filter(|&&x| x == b).count();
        count(close) > count(open)
    };
    while stop > start {
        let last = bytes[stop - 1];
        let trailing = matches!(last, b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'')
            || (last == b')' && unbalanced(stop, b'(', b')'))
            || (last == b']' && unbalanced(stop, b'[', b']'));
        if !trailing {
            break;
        }
        stop -= 1;
    }
    Some(start..stop)
}

/// Characters of `text` outside links (see [`next_link`]): how much text
/// a passage holds, so that a shared address alone is never a passage.
pub fn prose_chars(text: &str) -> usize {
    let mut chars = 0;
    let mut i = 0;
    while let Some(link) = next_link(text, i, text.len()) {
        chars += text[i..link.start].chars().count();
        i = link.end;
    }
    chars + text[i..].chars().count()
}

/// Words (not links) of `text[range]`.
pub(crate) fn words(text: &str, range: Range<usize>, buf: &mut String, out: &mut Vec<Token>) {
    let bytes = text.as_bytes();
    let end = range.end;
    let mut i = range.start;
    // ASCII white space always separates words (UAX #29 joins nothing
    // across it), and no rule joins ASCII words across it either. So the
    // runs between white space that hold a non-ASCII byte go through the
    // full algorithm, and everything between them (most of English text)
    // through the ASCII fast path in one piece.
    while i < end {
        let Some(run) = non_ascii_run(bytes, i..end) else {
            ascii_words(&bytes[i..end], i, out);
            break;
        };
        ascii_words(&bytes[i..run.start], i, out);
        unicode_words(text, run.clone(), buf, out);
        i = run.end;
    }
}

/// The first run of `bytes[range]` between ASCII white space that holds a
/// byte outside ASCII: what the tokeniser reads with the full algorithm
/// (everything before it is ASCII words).
pub(crate) fn non_ascii_run(bytes: &[u8], range: Range<usize>) -> Option<Range<usize>> {
    let (i, end) = (range.start, range.end);
    let first = i + first_non_ascii(&bytes[i..end])?;
    let run_start = bytes[i..first]
        .iter()
        .rposition(u8::is_ascii_whitespace)
        .map_or(i, |p| i + p + 1);
    let run_end = bytes[first..end]
        .iter()
        .position(u8::is_ascii_whitespace)
        .map_or(end, |p| first + p);
    Some(run_start..run_end)
}

/// Index of the first byte of `bytes` outside ASCII, eight bytes at a time.
fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        if word & HIGH != 0 {
            return Some(offset + (word & HIGH).trailing_zeros() as usize / 8);
        }
        offset += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| !b.is_ascii())
        .map(|p| offset + p)
}

/// Word classes of ASCII bytes under UAX #29.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AsciiClass {
    Letter,
    Digit,
    /// `_` (ExtendNumLet).
    Underscore,
    /// `:` (MidLetter): joins letters.
    MidLetter,
    /// `.` and `'` (MidNumLet, Single_Quote): join letters or digits.
    MidNumLet,
    /// `,` and `;` (MidNum): join digits.
    MidNum,
    Other,
}

/// [`AsciiClass`] of every byte value (non-ASCII bytes never reach it).
const ASCII_CLASS: [AsciiClass; 256] = {
    let mut table = [AsciiClass::Other; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = match c {
            b'a'..=b'z' | b'A'..=b'Z' => AsciiClass::Letter,
            b'0'..=b'9' => AsciiClass::Digit,
            b'_' => AsciiClass::Underscore,
            b':' => AsciiClass::MidLetter,
            b'.' | b'\'' => AsciiClass::MidNumLet,
            b',' | b';' => AsciiClass::MidNum,
            _ => AsciiClass::Other,
        };
        b += 1;
    }
    table
};

fn ascii_class(b: u8) -> AsciiClass {
    ASCII_CLASS[b as usize]
}

/// UAX #29 words of an ASCII run without white space: the same words, at
/// the same offsets, as `unicode_word_indices`.
fn ascii_words(chunk: &[u8], base: usize, out: &mut Vec<Token>) {
    use AsciiClass::*;
    let class_at = |k: usize| chunk.get(k).map_or(Other, |&b| ascii_class(b));
    let is_word = |k: usize| matches!(class_at(k), Letter | Digit | Underscore);
    let mut lower = [0u8; 64];
    let mut i = 0;
    while i < chunk.len() {
        // Skip to the next letter, digit or underscore.
        while i < chunk.len() && !is_word(i) {
            i += 1;
        }
        if i == chunk.len() {
            break;
        }
        let start = i;
        loop {
            // WB5, WB8-10, WB13a-b: word characters join each other.
            while is_word(i) {
                i += 1;
            }
            // WB6-7: letter (MidLetter | MidNumLet) letter; WB11-12: digit
            // (MidNum | MidNumLet) digit.
            let joined = matches!(
                (class_at(i - 1), class_at(i), class_at(i + 1)),
                (Letter, MidLetter | MidNumLet, Letter) | (Digit, MidNum | MidNumLet, Digit)
            );
            if !joined {
                break;
            }
            i += 2;
        }
        let word = &chunk[start..i];
        // A run of underscores alone is not a word.
        if word.iter().all(|&b| b == b'_') {
            continue;
        }
        let hash = if word.len() <= lower.len() {
            for (l, &b) in lower.iter_mut().zip(word) {
                *l = b.to_ascii_lowercase();
            }
            xxh3_64(&lower[..word.len()])
        } else {
            xxh3_64(&word.to_ascii_lowercase())
        };
        out.push(Token {
            start: (base + start) as u32,
            end: (base + i) as u32,
            hash,
            continuous_script: false,
            link: false,
        });
    }
}

/// Words of `text[range]` by the full UAX #29 algorithm, with characters of
/// scripts written without spaces as tokens of their own.
fn unicode_words(text: &str, range: Range<usize>, buf: &mut String, out: &mut Vec<Token>) {
    let base = range.start;
    for (offset, word) in text[range].unicode_word_indices() {
        let start = base + offset;
        if word.is_ascii() {
            push_token(word, start, false, buf, out);
            continue;
        }
        if !word.chars().any(is_continuous_script) {
            push_split_at_digits(word, start, buf, out);
            continue;
        }
        // Split runs of other scripts from single continuous-script chars.
        let mut run_start: Option<usize> = None;
        for (i, c) in word.char_indices() {
            if is_continuous_script(c) {
                if let Some(rs) = run_start.take() {
                    push_token(&word[rs..i], start + rs, false, buf, out);
                }
                push_token(&word[i..i + c.len_utf8()], start + i, true, buf, out);
            } else if run_start.is_none() {
                run_start = Some(i);
            }
        }
        if let Some(rs) = run_start {
            push_token(&word[rs..], start + rs, false, buf, out);
        }
    }
}

/// Pushes `word`, split where digits meet letters when it holds a letter
/// outside ASCII: in Arabic-script and Indic news a number written against
/// the next word (`24مئی`, `1837ء`) is a spacing variant of the same words
/// with a space (`24 مئی`, `1837 ء`), so both give the same tokens. ASCII
/// words (`24th`, `1990s`, `MP3`) are one token, as UAX #29 makes them.
fn push_split_at_digits(word: &str, start: usize, buf: &mut String, out: &mut Vec<Token>) {
    let has_digit = word.chars().any(char::is_numeric);
    if !has_digit || !word.chars().any(|c| !c.is_ascii() && c.is_alphabetic()) {
        push_token(word, start, false, buf, out);
        return;
    }
    let mut from = 0;
    let mut numeric: Option<bool> = None;
    for (i, c) in word.char_indices() {
        let n = c.is_numeric();
        if numeric.is_some_and(|prev| prev != n) {
            push_token(&word[from..i], start + from, false, buf, out);
            from = i;
        }
        numeric = Some(n);
    }
    push_token(&word[from..], start + from, false, buf, out);
}

fn push_token(word: &str, start: usize, continuous: bool, buf: &mut String, out: &mut Vec<Token>) {
    normalize_word(word, buf);
    if buf.is_empty() {
        return;
    }
    out.push(Token {
        start: start as u32,
        end: (start + word.len()) as u32,
        hash: xxh3_64(buf.as_bytes()),
        continuous_script: continuous,
        link: false,
    });
}

/// Converts byte offsets in one text to character offsets, quickly for
/// increasing queries.
#[derive(Debug)]
pub struct CharOffsets<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharOffsets<'a> {
    /// A converter over `text`.
    pub fn new(text: &'a str) -> Self {
        CharOffsets {
            text,
            byte: 0,
            chars: 0,
        }
    }

    /// The number of characters before byte offset `byte` (which must lie
    /// on a character boundary).
    pub fn char_offset(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut tokens = Vec::new();
        tokenize(text, 0..text.len(), &mut tokens);
        tokens.iter().map(|t| text[t.span()].to_string()).collect()
    }

    fn hashes(text: &str) -> Vec<u64> {
        let mut tokens = Vec::new();
        tokenize(text, 0..text.len(), &mut tokens);
        tokens.iter().map(|t| t.hash).collect()
    }

    #[test]
    fn curly_and_straight_quotes_hash_alike() {
        assert_eq!(
            hashes("Kurds’ “base” didn’t"),
            hashes("kurds' \"base\" didn't")
        );
    }

    #[test]
    fn case_folds_beyond_ascii() {
        assert_eq!(hashes("ПРИВЕТ Straße"), hashes("привет straße"));
    }

    #[test]
    fn numbers_written_against_non_ascii_words_are_words_of_their_own() {
        assert_eq!(words("24مئی 1837ء کو"), ["24", "مئی", "1837", "ء", "کو"]);
        assert_eq!(hashes("20جون1837ء"), hashes("20 جون 1837 ء"));
        assert_eq!(hashes("१५अगस्त"), hashes("१५ अगस्त"));
        // ASCII words keep UAX #29's tokens.
        assert_eq!(words("24th 1990s MP3"), ["24th", "1990s", "MP3"]);
    }

    #[test]
    fn arabic_script_spelling_variants_hash_alike() {
        // Arabic and Persian yeh and kaf, hamza on alef, heh and heh goal.
        assert_eq!(hashes("يك كتاب أحمد"), hashes("یک کتاب احمد"));
        assert_eq!(hashes("ته"), hashes("تہ"));
        assert_eq!(hashes("مدرسة"), hashes("مدرسه"));
        // Diacritics, tatweel and zero-width non-joiners.
        assert_eq!(
            hashes("كِتَاب عـــلم می\u{200C}شود"),
            hashes("کتاب علم میشود")
        );
        // Digits of other scripts.
        assert_eq!(hashes("۲۰۲۴ ٢٠٢٤ २०२४ ২৫"), hashes("2024 2024 2024 25"));
        // Hindi: nukta and chandrabindu as house styles write them or not.
        assert_eq!(hashes("ज़रूरत पाँच"), hashes("जरूरत पांच"));
        assert_ne!(hashes("पांच"), hashes("पाच"));
        // Letters that differ stay apart.
        assert_ne!(hashes("کتاب"), hashes("کتب"));
    }

    #[test]
    fn latin_diacritics_fold_to_the_letters_under_them() {
        assert_eq!(
            hashes("São Paulo Zürich façade Straße ŞTEFAN ștefan İstanbul"),
            hashes("Sao Paulo Zurich facade Strasse stefan stefan istanbul")
        );
        // Letters that are no ASCII letter with marks stay apart.
        assert_ne!(hashes("søn"), hashes("son"));
        assert_ne!(hashes("й"), hashes("и"));
    }

    #[test]
    fn urdu_and_cyrillic_words_are_found() {
        assert_eq!(words("یہ ایک خبر ہے").len(), 4);
        assert_eq!(words("Это новость дня").len(), 3);
    }

    #[test]
    fn chinese_splits_into_characters() {
        let text = "新华社北京电 iPhone手机";
        let tokens = {
            let mut t = Vec::new();
            tokenize(text, 0..text.len(), &mut t);
            t
        };
        let w: Vec<&str> = tokens.iter().map(|t| &text[t.span()]).collect();
        assert_eq!(
            w,
            ["新", "华", "社", "北", "京", "电", "iPhone", "手", "机"]
        );
        assert!(tokens[0].continuous_script);
        assert!(!tokens[6].continuous_script);
    }

    #[test]
    fn thai_splits_into_characters() {
        let w = words("ข่าววันนี้");
        assert!(w.len() >= 5, "{w:?}");
    }

    #[test]
    fn links_are_one_token() {
        let links = |text: &str| -> Vec<String> {
            let mut t = Vec::new();
            tokenize(text, 0..text.len(), &mut t);
            t.iter()
                .filter(|t| t.link)
                .map(|t| text[t.span()].to_string())
                .collect()
        };
        assert_eq!(
            links("(see https://en.wikipedia.org/wiki/Foo_(bar)), then"),
            ["https://en.wikipedia.org/wiki/Foo_(bar)"]
        );
        assert_eq!(links("at www.example.com/a."), ["www.example.com/a"]);
        assert_eq!(links("\"http://x.org/?q=1\" said"), ["http://x.org/?q=1"]);
        // Not links: no scheme, nothing after it, `www.` inside a word.
        assert!(links("ratio 3://4 and a:// b and awww.x and www. x").is_empty());
        assert_eq!(
            hashes("Read HTTPS://Example.org/Path now"),
            hashes("read https://example.org/path now")
        );
        assert_eq!(words("Read HTTPS://Example.org/Path now").len(), 3);
        assert_eq!(prose_chars("ab https://x.org/long/path cd"), 6);
    }

    #[test]
    fn blank_lines_separate_paragraphs() {
        let text = "a\nb\n \t\nc\r\n\r\nd";
        let p: Vec<&str> = split_paragraphs(text, 0)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(p, ["a\nb", "c", "d"]);
    }

    fn paragraphs(text: &str) -> Vec<&str> {
        split_paragraphs(text, 0)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn lines_that_end_sentences_are_paragraphs() {
        assert_eq!(
            paragraphs("First.\rSecond!\nthird"),
            ["First.", "Second!", "third"]
        );
        // A heading line above sentence lines.
        assert_eq!(
            paragraphs("Heading\nOne “quoted.”\nTwo."),
            ["Heading", "One “quoted.”", "Two."]
        );
        for script in [
            "پہلا جملہ۔\nدوسرا جملہ۔",
            "पहला वाक्य।\nदूसरा वाक्य।",
            "第一句。\n第二句。",
        ] {
            assert_eq!(paragraphs(script).len(), 2, "{script}");
        }
    }

    #[test]
    fn wrapping_does_not_change_paragraphs() {
        let flat = "The council voted on Monday to extend the tram line. The project will cost 400 million euros.\n\nResidents welcomed the decision.";
        let wrapped = "The council voted on Monday to extend\nthe tram line. The project will cost 400\nmillion euros.\n\nResidents welcomed\nthe decision.";
        let words = |t: &str| {
            paragraphs(t)
                .iter()
                .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
        };
        assert_eq!(words(flat), words(wrapped));
        // Without any blank line the wrapped lines still make the same
        // paragraphs, not one paragraph per line: a line the next line's
        // first word would have fitted on ends its paragraph.
        // (Wrapped at 40 columns, as a wrapper fills lines.)
        let no_blank = "The council voted on Monday to extend\nthe tram line. The project will cost 400\nmillion euros.\nResidents welcomed the decision.";
        assert_eq!(words(no_blank), words(flat));
        // A dateline put before the wrapped text and a footer line left
        // unwrapped do not stand for the width.
        let framed = "LONDON (Wire) — The council voted on Monday to extend\nthe tram line. The project will cost 400\nmillion euros and take about four years\nto build.\nResidents welcomed the decision, which\nends a decade of debate about the route.\n© 2026 Example Outlet. All rights reserved. Subscribe for the top stories.";
        assert_eq!(paragraphs(framed).len(), 3, "{:?}", paragraphs(framed));
        // Lines of a list that do not end sentences and are of a width
        // stay one paragraph.
        assert_eq!(
            paragraphs("alpha beta gamma delta\nepsilon zeta eta\ntheta iota kappa").len(),
            1
        );
    }

    #[test]
    fn paragraphs_start_after_the_body_offset() {
        let text = "date 2026-01-01 Title\n\nBody";
        let p = split_paragraphs(text, 16);
        assert_eq!(&text[p[0].clone()], "Title");
    }

    #[test]
    fn empty_text_has_no_paragraphs() {
        assert!(split_paragraphs("", 0).is_empty());
        assert!(split_paragraphs(" \n\n \r\n", 0).is_empty());
    }

    #[test]
    fn char_offsets_count_characters() {
        let text = "añb€c";
        let mut c = CharOffsets::new(text);
        assert_eq!(c.char_offset(0), 0);
        assert_eq!(c.char_offset(3), 2);
        assert_eq!(c.char_offset(text.len()), 5);
        assert_eq!(c.char_offset(1), 1);
    }

    /// Strings over an alphabet rich in the characters UAX #29 treats
    /// specially: letters, digits, `_ : . ' , ;`, white space, and a few
    /// non-ASCII letters, marks, quotes and spaces.
    fn tricky_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let alphabet: Vec<char> = "aZq09_:.',;\"-!? \t\n\r\u{0b}\u{0c}é’中\u{0301}\u{00a0}\u{200d}"
            .chars()
            .collect();
        proptest::collection::vec(proptest::sample::select(alphabet), 0..40)
            .prop_map(|v| v.into_iter().collect())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        #[test]
        fn the_ascii_fast_path_agrees_with_uax29(text in tricky_text()) {
            let mut fast = Vec::new();
            tokenize(&text, 0..text.len(), &mut fast);
            let mut reference = Vec::new();
            unicode_words(&text, 0..text.len(), &mut String::new(), &mut reference);
            proptest::prop_assert_eq!(fast, reference);
        }
    }

    #[test]
    fn ascii_words_follow_uax29() {
        assert_eq!(
            words("U.S. e.g. can't 3.14 1,000 a:b snake_case _x __ x__y 5th a1.b 1.a a..b"),
            [
                "U.S",
                "e.g",
                "can't",
                "3.14",
                "1,000",
                "a:b",
                "snake_case",
                "_x",
                "x__y",
                "5th",
                "a1",
                "b",
                "1",
                "a",
                "a",
                "b"
            ]
        );
    }
}

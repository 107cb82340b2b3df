//! Sentence boundaries of ASCII text by the rules of UAX #29 (SB1–SB998),
//! without the per-character table lookups of the general segmenter: the
//! aligner splits every prepared document into sentences, and most news
//! text is ASCII. A property test checks it against `unicode-segmentation`.

/// The sentence break classes of UAX #29 that ASCII characters have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Cr,
    Lf,
    Sp,
    Lower,
    Upper,
    Numeric,
    ATerm,
    STerm,
    Close,
    SContinue,
    Other,
}

fn class(b: u8) -> Class {
    match b {
        b'\r' => Class::Cr,
        b'\n' => Class::Lf,
        b' ' | b'\t' | 0x0B | 0x0C => Class::Sp,
        b'a'..=b'z' => Class::Lower,
        b'A'..=b'Z' => Class::Upper,
        b'0'..=b'9' => Class::Numeric,
        b'.' => Class::ATerm,
        b'!' | b'?' => Class::STerm,
        b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => Class::Close,
        b',' | b'-' | b':' | b';' => Class::SContinue,
        _ => Class::Other,
    }
}

fn para_sep(c: Class) -> bool {
    matches!(c, Class::Cr | Class::Lf)
}

fn sa_term(c: Class) -> bool {
    matches!(c, Class::ATerm | Class::STerm)
}

/// Whether UAX #29 puts a sentence boundary between `s[i - 1]` and `s[i]`
/// (`0 < i < s.len()`, `s` ASCII).
fn breaks_at(s: &[u8], i: usize) -> bool {
    let (before, after) = (class(s[i - 1]), class(s[i]));
    // SB3, SB4.
    if before == Class::Cr && after == Class::Lf {
        return false;
    }
    if para_sep(before) {
        return true;
    }
    // SB6–SB11 need `SATerm Close* Sp*` right before i.
    let mut t = i;
    while t > 0 && class(s[t - 1]) == Class::Sp {
        t -= 1;
    }
    let spaces = t < i;
    while t > 0 && class(s[t - 1]) == Class::Close {
        t -= 1;
    }
    if t == 0 || !sa_term(class(s[t - 1])) {
        return false; // SB998
    }
    let term = t - 1;
    let bare = term == i - 1;
    if class(s[term]) == Class::ATerm {
        // SB6, SB7.
        if bare && after == Class::Numeric {
            return false;
        }
        if bare
            && after == Class::Upper
            && term > 0
            && matches!(class(s[term - 1]), Class::Upper | Class::Lower)
        {
            return false;
        }
        // SB8.
        let next = s[i..]
            .iter()
            .map(|&b| class(b))
            .find(|&c| matches!(c, Class::Upper | Class::Lower) || para_sep(c) || sa_term(c));
        if next == Some(Class::Lower) {
            return false;
        }
    }
    // SB8a, SB9, SB10.
    if after == Class::SContinue || sa_term(after) {
        return false;
    }
    if !spaces && (after == Class::Close || after == Class::Sp || para_sep(after)) {
        return false;
    }
    if after == Class::Sp || para_sep(after) {
        return false;
    }
    true // SB11
}

/// The sentences of the ASCII text `s` as `(byte offset, sentence)`, as
/// `UnicodeSegmentation::split_sentence_bound_indices` gives them.
pub(super) fn ascii_sentence_bound_indices(s: &str) -> Vec<(usize, &str)> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    for i in 1..bytes.len() {
        if breaks_at(bytes, i) {
            out.push((from, &s[from..i]));
            from = i;
        }
    }
    if from < bytes.len() {
        out.push((from, &s[from..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_segmentation::UnicodeSegmentation;

    fn reference(s: &str) -> Vec<(usize, &str)> {
        s.split_sentence_bound_indices().collect()
    }

    #[test]
    fn news_sentences_split_as_the_general_segmenter_splits_them() {
        for s in [
            "The U.S. economy grew 2.5 percent. Officials said (in a statement) it was \"strong.\" Next?",
            "Mr. Smith went to Washington. he said no! Really?! Yes... \"Fine.\" 'ok.' (Done.) [x] end",
            "Line one\r\nline two.\r\n\r\nNew block. etc. and more: a, b; c - d.  Two  spaces.\tTab.",
            "",
            ".",
            "a.B c.d 3.14 A.5 ...x ?? !a",
        ] {
            assert_eq!(ascii_sentence_bound_indices(s), reference(s), "{s:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn ascii_sentences_equal_uax29(s in "[aZb Y.?!\"'()\\[\\],:;\\-0 9\r\n\t#x]{0,40}") {
            prop_assert_eq!(ascii_sentence_bound_indices(&s), reference(&s));
        }

        #[test]
        fn any_ascii_sentences_equal_uax29(s in "[\\x00-\\x7f]{0,40}") {
            prop_assert_eq!(ascii_sentence_bound_indices(&s), reference(&s));
        }

        #[test]
        fn word_like_ascii_sentences_equal_uax29(
            parts in proptest::collection::vec("(Mr|the|U|S|said|3|14|x)[.?!]?[\"')]?( |  |\n|\r\n|, )?", 0..20)
        ) {
            let s = parts.concat();
            prop_assert_eq!(ascii_sentence_bound_indices(&s), reference(&s));
        }
    }
}

//! Sentence boundaries by the rules of UAX #29 (SB1–SB998) for text whose
//! characters are ASCII or a few common others (Latin letters with
//! diacritics, curly quotes, dashes), without the per-character table
//! lookups of the general segmenter: the aligner splits every prepared
//! document into sentences, and most news text is made of these
//! characters. Other text goes to the general segmenter. Property tests
//! check both paths against `unicode-segmentation`.

/// The sentence break classes of UAX #29 that the characters read here
/// have.
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

/// The class of a character outside ASCII that this module reads, `None`
/// for any other (the text then goes to the general segmenter): letters
/// of Latin-1 and Latin Extended-A/B that are lower or upper case, curly
/// and angle quotation marks, en and em dashes (which continue a
/// sentence, as a comma does), the ellipsis.
fn wide_class(c: char) -> Option<Class> {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}' | '\u{00AB}' | '\u{00BB}' => {
            Some(Class::Close)
        }
        '\u{2013}' | '\u{2014}' => Some(Class::SContinue),
        '\u{2026}' => Some(Class::Other),
        '\u{00C0}'..='\u{024F}' if c != '\u{00D7}' && c != '\u{00F7}' => {
            match (c.is_lowercase(), c.is_uppercase()) {
                (true, false) => Some(Class::Lower),
                (false, true) => Some(Class::Upper),
                _ => None,
            }
        }
        _ => None,
    }
}

fn para_sep(c: Class) -> bool {
    matches!(c, Class::Cr | Class::Lf)
}

fn sa_term(c: Class) -> bool {
    matches!(c, Class::ATerm | Class::STerm)
}

/// Whether a sentence ends before character `i` of the classes `s`.
fn breaks_at(s: &[Class], i: usize) -> bool {
    let (before, after) = (s[i - 1], s[i]);
    if before == Class::Cr && after == Class::Lf {
        return false; // SB3
    }
    if para_sep(before) {
        return true; // SB4
    }
    // SB6–SB11 look back over Sp* and Close* to a terminator.
    let mut t = i;
    while t > 0 && s[t - 1] == Class::Sp {
        t -= 1;
    }
    let spaces = t < i;
    while t > 0 && s[t - 1] == Class::Close {
        t -= 1;
    }
    if t == 0 || !sa_term(s[t - 1]) {
        return false; // SB998
    }
    let term = t - 1;
    let bare = term == i - 1;
    if s[term] == Class::ATerm {
        if bare && after == Class::Numeric {
            return false; // SB6
        }
        if bare
            && after == Class::Upper
            && term > 0
            && matches!(s[term - 1], Class::Upper | Class::Lower)
        {
            return false; // SB7
        }
        // SB8: no break when the next cased letter is lower case.
        let next = s[i..]
            .iter()
            .copied()
            .find(|&c| matches!(c, Class::Upper | Class::Lower) || para_sep(c) || sa_term(c));
        if next == Some(Class::Lower) {
            return false;
        }
    }
    if after == Class::SContinue || sa_term(after) {
        return false; // SB8a
    }
    if !spaces && (after == Class::Close || after == Class::Sp || para_sep(after)) {
        return false; // SB9
    }
    if after == Class::Sp || para_sep(after) {
        return false; // SB10
    }
    true // SB11
}

/// The sentences of `s` with their byte offsets, as
/// `unicode_segmentation`'s `split_sentence_bound_indices` gives them;
/// `None` when `s` holds a character this module does not read.
pub(super) fn sentence_bound_indices(s: &str) -> Option<Vec<(usize, &str)>> {
    let (classes, offsets): (Vec<Class>, Vec<usize>) = if s.is_ascii() {
        (s.bytes().map(class).collect(), Vec::new())
    } else {
        let mut classes = Vec::with_capacity(s.len());
        let mut offsets = Vec::with_capacity(s.len());
        for (at, c) in s.char_indices() {
            classes.push(if c.is_ascii() {
                class(c as u8)
            } else {
                wide_class(c)?
            });
            offsets.push(at);
        }
        (classes, offsets)
    };
    let byte = |i: usize| if offsets.is_empty() { i } else { offsets[i] };
    let mut out = Vec::new();
    let mut from = 0;
    for i in 1..classes.len() {
        if breaks_at(&classes, i) {
            let at = byte(i);
            out.push((from, &s[from..at]));
            from = at;
        }
    }
    if from < s.len() {
        out.push((from, &s[from..]));
    }
    Some(out)
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
            assert_eq!(sentence_bound_indices(s), Some(reference(s)), "{s:?}");
        }
    }

    #[test]
    fn every_character_read_here_breaks_as_the_general_segmenter_in_context() {
        let wide = (0x80..=0x2FFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| wide_class(c).is_some());
        let contexts = [
            "aXb. c",
            "a.X b",
            "a. X b",
            "a.\u{201D} X b",
            "X. a",
            "X. B",
            "a X. 1",
            "a. X. b",
            "Mr. X",
            "aX! b",
            "a.X",
            "a.  X.",
            "a X\nb",
            "(X.) Y",
        ];
        let mut tried = 0;
        for c in wide {
            for context in contexts {
                let s = context.replace('X', &c.to_string());
                assert_eq!(sentence_bound_indices(&s), Some(reference(&s)), "{s:?}");
                tried += 1;
            }
        }
        assert!(tried > 14 * 300, "{tried}");
    }

    #[test]
    fn text_with_other_characters_is_left_to_the_general_segmenter() {
        assert_eq!(sentence_bound_indices("Ein Satz.\u{00A0}Zwei."), None);
        assert_eq!(sentence_bound_indices("یہ جملہ ہے۔ دوسرا"), None);
        assert_eq!(sentence_bound_indices("e\u{0301}t\u{00E9}. Next"), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn ascii_sentences_equal_uax29(s in "[aZb Y.?!\"'()\\[\\],:;\\-0 9\r\n\t#x]{0,40}") {
            prop_assert_eq!(sentence_bound_indices(&s), Some(reference(&s)));
        }

        #[test]
        fn any_ascii_sentences_equal_uax29(s in "[\\x00-\\x7f]{0,40}") {
            prop_assert_eq!(sentence_bound_indices(&s), Some(reference(&s)));
        }

        #[test]
        fn sentences_with_quotes_dashes_and_accents_equal_uax29(
            s in "[aZbé ÉñÑßőŐ.?!\"'’‘“”«»–—…():;,\\-0 9\r\n]{0,40}"
        ) {
            prop_assert_eq!(sentence_bound_indices(&s), Some(reference(&s)));
        }

        #[test]
        fn word_like_ascii_sentences_equal_uax29(
            parts in proptest::collection::vec("(Mr|the|U|S|said|3|14|x)[.?!]?[\"')]?( |  |\n|\r\n|, )?", 0..20)
        ) {
            let s = parts.concat();
            prop_assert_eq!(sentence_bound_indices(&s), Some(reference(&s)));
        }
    }
}

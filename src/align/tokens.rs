//! A document's body tokenised once, for every stretch of it that the
//! aligner and the scorer ask about: a pair's passages, their ends and the
//! words around them would otherwise be tokenised again for every pair the
//! document takes part in.

use std::borrow::Cow;

use super::*;

/// The tokens of a document's body (from a byte offset to the end of its
/// text), in text order.
#[derive(Debug, Clone, Default)]
pub(crate) struct BodyTokens {
    start: usize,
    tokens: Vec<Token>,
}

impl BodyTokens {
    /// Tokenises `text[start..]`.
    pub(crate) fn new(text: &str, start: usize) -> BodyTokens {
        let mut tokens = Vec::new();
        if start <= text.len() {
            tokenize(text, start..text.len(), &mut tokens);
        }
        BodyTokens { start, tokens }
    }

    /// The index range of the tokens of `range` (a range of the body), or
    /// `None` when the body's tokens may not tell: `range` starts before
    /// the body or ends past the text, one of its ends cuts a stretch
    /// between white space that the tokeniser reads as a whole (see
    /// [`BodyTokens::clean_cut`]), or a token crosses one of its ends (a
    /// word cut in two).
    fn inside(&self, text: &str, range: &Range<usize>) -> Option<Range<usize>> {
        if range.start < self.start || range.start > range.end || range.end > text.len() {
            return None;
        }
        if !self.clean_cut(text, range.start) || !self.clean_cut(text, range.end) {
            return None;
        }
        let t = &self.tokens;
        let first = t.partition_point(|x| (x.end as usize) <= range.start);
        let last = t.partition_point(|x| (x.start as usize) < range.end);
        if first < last
            && ((t[first].start as usize) < range.start || (t[last - 1].end as usize) > range.end)
        {
            return None;
        }
        Some(first..last.max(first))
    }

    /// Whether tokenising a range that starts or ends at byte `at` reads
    /// the words next to `at` as the body's tokens read them. The
    /// tokeniser looks at whole stretches between ASCII white space: a link
    /// runs to the next white space, and a stretch holding a character
    /// outside ASCII goes through UAX #29, whose rules look beyond the
    /// next character. A cut at white space, at an end of the body, or
    /// inside a stretch of ASCII without a link's marks is clean: there the
    /// ASCII rules look one byte to each side, and a word they join across
    /// the cut is a token crossing it, which [`BodyTokens::inside`] refuses.
    fn clean_cut(&self, text: &str, at: usize) -> bool {
        let b = text.as_bytes();
        if at <= self.start || at >= b.len() {
            return true;
        }
        let space = |c: &u8| c.is_ascii_whitespace();
        if space(&b[at - 1]) || space(&b[at]) {
            return true;
        }
        let from = b[self.start..at]
            .iter()
            .rposition(space)
            .map_or(self.start, |q| self.start + q + 1);
        let to = b[at..].iter().position(space).map_or(b.len(), |q| at + q);
        let stretch = &b[from..to];
        stretch.is_ascii()
            && memchr::memchr(b':', stretch).is_none()
            && memchr::memmem::find(stretch, b"www.").is_none()
    }

    /// The tokens of `text[range]`: what [`tokenize`] gives for that range,
    /// taken from the body's tokens where they tell, tokenised afresh
    /// where they do not.
    pub(crate) fn of<'s>(&'s self, text: &str, range: Range<usize>) -> Cow<'s, [Token]> {
        match self.inside(text, &range) {
            Some(r) => Cow::Borrowed(&self.tokens[r]),
            None => {
                let mut out = Vec::new();
                tokenize(text, range, &mut out);
                Cow::Owned(out)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fresh(text: &str, range: Range<usize>) -> Vec<Token> {
        let mut out = Vec::new();
        tokenize(text, range, &mut out);
        out
    }

    fn same(x: &[Token], y: &[Token]) -> bool {
        x.len() == y.len()
            && x.iter().zip(y).all(|(a, b)| {
                (a.start, a.end, a.hash, a.continuous_script, a.link)
                    == (b.start, b.end, b.hash, b.continuous_script, b.link)
            })
    }

    #[test]
    fn a_range_cutting_a_word_or_a_link_is_tokenised_afresh() {
        let text = "See https://example.org/a/b now. Don't stop";
        let body = BodyTokens::new(text, 0);
        for range in [0..text.len(), 4..20, 6..text.len(), 0..3, 33..37, 4..4] {
            assert!(same(&body.of(text, range.clone()), &fresh(text, range)));
        }
        // Before the body: tokenised afresh too.
        let body = BodyTokens::new(text, 4);
        assert!(same(&body.of(text, 0..10), &fresh(text, 0..10)));
    }

    proptest! {
        /// Any range between character boundaries gets exactly the tokens
        /// that tokenising it alone gives, in every script the tokeniser
        /// treats apart (ASCII, Latin with marks, Devanagari with vowel
        /// signs after spaces, Arabic script, CJK, Thai, links).
        #[test]
        fn the_tokens_of_a_range_are_those_of_tokenising_it(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("word"), Just(" "), Just("  "), Just("\n"), Just("."), Just("'"),
                    Just(":"), Just(","), Just("3"), Just("_"), Just("é"), Just("e\u{301}"),
                    Just("कि"), Just(" ि"), Just("ताब"), Just("۔"), Just("۲۰"), Just("مئی"),
                    Just("漢字"), Just("。"), Just("ภาษา"), Just("https://a.b/c"),
                    Just("www.x.org"), Just("U.S."), Just("—"), Just("\u{200d}"),
                    Just("a:b"), Just("3.14"), Just("1,000"), Just("__"),
                ],
                0..40,
            ),
            body_at in 0usize..8,
            cuts in (0usize..200, 0usize..200),
        ) {
            let text: String = parts.concat();
            let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let start = bounds[body_at.min(bounds.len() - 1)];
            let body = BodyTokens::new(&text, start);
            let (x, y) = (bounds[cuts.0 % bounds.len()], bounds[cuts.1 % bounds.len()]);
            let range = x.min(y)..x.max(y);
            prop_assert!(same(&body.of(&text, range.clone()), &fresh(&text, range)));
        }
    }
}

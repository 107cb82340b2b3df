//! The aligner and scorer on arbitrary text pairs: spans must lie on
//! character boundaries inside their texts, shares within [0, 1].
#![no_main]

use libfuzzer_sys::fuzz_target;
use reprint::align::AlignConfig;
use reprint::score::{PairDoc, decide};
use reprint::text::split_paragraphs;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Two documents: the input cut at its first NUL (or in half).
    let cut = text.find('\0').unwrap_or(text.len() / 2);
    let cut = (0..=cut).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let (a, b) = (&text[..cut], &text[cut..]);
    let doc = |t: &str| -> String { t.to_string() };
    let (a, b) = (doc(a), doc(b));
    let pa = PairDoc::new(&a, 0, split_paragraphs(&a, 0), vec![], None);
    let pb = PairDoc::new(&b, 0, split_paragraphs(&b, 0), vec![], None);
    let pair = decide(&pa, 0, &pb, 1, &AlignConfig::default());
    for share in [pair.copy_in_source, pair.source_in_copy, pair.jaccard, pair.verbatim, pair.score()] {
        assert!((0.0..=1.0).contains(&share), "share {share} out of range");
    }
    for p in &pair.passages {
        let (c, s) = if pair.copy == 0 { (&a, &b) } else { (&b, &a) };
        assert!(c.is_char_boundary(p.copy_span.start_byte) && c.is_char_boundary(p.copy_span.end_byte));
        assert!(s.is_char_boundary(p.source_span.start_byte) && s.is_char_boundary(p.source_span.end_byte));
        assert!(p.copy_span.start_byte <= p.copy_span.end_byte && p.copy_span.end_byte <= c.len());
    }
});

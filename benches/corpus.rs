#![allow(dead_code)]
//! Fixed benchmark inputs (each bench uses part of this module): the sample articles, and a seeded synthetic
//! corpus of news-like articles with syndicated copies.

use reprint::corpus::Document;
use reprint::minhash::MinHasher;
use reprint::shingle::{ShingleConfig, shingle_set};
use reprint::text::{Token, split_paragraphs, tokenize};

/// The four sample articles.
pub const SAMPLES: [&str; 4] = [
    include_str!("../samples/000_84689d4fa9f00ea7.txt"),
    include_str!("../samples/001_a2e1f2d9f2070016.txt"),
    include_str!("../samples/002_0057cca0d1aa715f.txt"),
    include_str!("../samples/003_f7c69d1d9d5011cc.txt"),
];

/// About `bytes` of English news text: the samples' paragraphs, repeated
/// with a counter so that each copy differs.
pub fn news_text(bytes: usize) -> String {
    let paras: Vec<&str> = SAMPLES
        .iter()
        .flat_map(|s| s.split("\n\n"))
        .filter(|p| p.len() > 40)
        .collect();
    let mut out = String::with_capacity(bytes + 1024);
    let mut i = 0;
    while out.len() < bytes {
        out.push_str(paras[i % paras.len()]);
        out.push_str(&format!(" (item {i})\n\n"));
        i += 1;
    }
    out
}

/// `n` articles: every fourth reproduces paragraphs of the article before
/// it; the others are six paragraphs of 40 words drawn at random from the
/// samples' vocabulary.
pub fn synthetic(n: usize) -> Vec<Document> {
    let words: Vec<&str> = SAMPLES.iter().flat_map(|s| s.split_whitespace()).collect();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut docs: Vec<Document> = Vec::with_capacity(n);
    for d in 0..n {
        let text = if d % 4 == 3 {
            let prev = &docs[d - 1].text;
            let ps: Vec<&str> = prev.split("\n\n").collect();
            format!(
                "Local lede for copy {d}.\n\n{}",
                ps[1..ps.len().min(4)].join("\n\n")
            )
        } else {
            (0..6)
                .map(|_| {
                    (0..40)
                        .map(|_| words[(next() % words.len() as u64) as usize])
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect::<Vec<_>>()
                .join("\n\n")
        };
        docs.push(Document::from_text(format!("d{d}"), format!("d{d}"), text));
    }
    docs
}

/// The fingerprint path over `text`: paragraphs, tokens, shingle sets of
/// the default size (2 words), signatures (into `sig`, of the hasher's length). Returns a value
/// that depends on every signature.
pub fn fingerprint(text: &str, h: &MinHasher, tokens: &mut Vec<Token>, sig: &mut [u32]) -> u32 {
    let mut acc = 0u32;
    for para in split_paragraphs(text, 0) {
        tokens.clear();
        tokenize(text, para, tokens);
        let set = shingle_set(tokens, ShingleConfig::default().size);
        h.fill(set.iter().map(|&s| u64::from(s)), sig);
        acc ^= sig[0];
    }
    acc
}

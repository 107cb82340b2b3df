//! Stages 5–6 over a corpus: every candidate pair is aligned and scored
//! ([`crate::score::decide`]), in batches.

use std::borrow::Cow;

use rayon::prelude::*;

use crate::align::AlignConfig;
use crate::corpus::KeptText;
use crate::error::{Error, Result};
use crate::reuse::ReusePair;
use crate::score::{PairDoc, decide_reused};
use crate::shingle::ShingledDocument;
use crate::text::{WordsKey, tokenize};

/// Candidate pairs aligned per batch (the documents of one batch are
/// prepared together, then dropped).
const ALIGN_BATCH: usize = 4_096;

/// A shingled document prepared for alignment, with the given paragraphs
/// (0-based) set aside as boilerplate, and the lines inside other
/// paragraphs that are boilerplate text (see [`boilerplate_lines`]);
/// `text` is its kept text, read.
pub(super) fn pair_doc<'d>(
    d: &ShingledDocument,
    text: &'d str,
    boilerplate: &[usize],
    boilerplate_keys: &[u64],
) -> PairDoc<'d> {
    let mut excluded: Vec<std::ops::Range<usize>> = boilerplate
        .iter()
        .filter_map(|&p| d.paragraphs.get(p).map(|p| p.span.clone()))
        .collect();
    excluded.extend(boilerplate_lines(
        text,
        &d.paragraph_spans,
        boilerplate_keys,
    ));
    PairDoc::with_words_key(
        text,
        d.body_start.min(text.len()),
        d.paragraph_spans.clone(),
        excluded,
        d.date.clone(),
        d.words_key,
    )
    .with_outlet(d.source.clone())
}

/// Most consecutive lines read as one piece of boilerplate text.
const BOILERPLATE_LINES: usize = 3;

/// Byte spans of the lines (one to [`BOILERPLATE_LINES`] consecutive
/// lines) of `paragraphs` of `text` whose words, white space aside, are
/// those of a boilerplate paragraph: `keys` (sorted) holds the
/// [`WordsKey`]s of the boilerplate paragraphs. A hard-wrapped article
/// without blank lines is one paragraph with its outlet's footer run into
/// it: the footer's lines are set aside as the footer is elsewhere.
pub(crate) fn boilerplate_lines(
    text: &str,
    paragraphs: &[std::ops::Range<usize>],
    keys: &[u64],
) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    if keys.is_empty() {
        return out;
    }
    let mut tokens = Vec::new();
    for span in paragraphs {
        let Some(para) = text.get(span.clone()) else {
            continue;
        };
        if !para.contains('\n') {
            continue;
        }
        // The paragraph's tokens line by line, in one vector: each line
        // with words keeps its byte span and its tokens' range.
        tokens.clear();
        let mut lines: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> = Vec::new();
        let mut at = span.start;
        for line in para.split('\n') {
            let range = at..at + line.len();
            at = range.end + 1;
            let first = tokens.len();
            tokenize(text, range.clone(), &mut tokens);
            if tokens.len() > first {
                lines.push((range, first..tokens.len()));
            }
        }
        let mut i = 0;
        while i < lines.len() {
            let mut key = WordsKey::default();
            let mut found = None;
            for (j, (_, line_tokens)) in lines.iter().enumerate().skip(i).take(BOILERPLATE_LINES) {
                tokens[line_tokens.clone()].iter().for_each(|t| key.push(t));
                if key.finish().is_some_and(|k| keys.binary_search(&k).is_ok()) {
                    found = Some(j);
                    break;
                }
            }
            match found {
                Some(j) => {
                    out.push(lines[i].0.start..lines[j].0.end);
                    i = j + 1;
                }
                None => i += 1,
            }
        }
    }
    out
}

/// The sorted [`WordsKey`]s of `units` (document, unit) of `data`, their
/// texts read back: what [`boilerplate_lines`] looks for.
pub(super) fn boilerplate_keys(
    data: &[ShingledDocument],
    units: impl Iterator<Item = (u32, u32)>,
) -> Result<Vec<u64>> {
    let mut keys = Vec::new();
    let mut tokens = Vec::new();
    for (d, p) in units {
        let doc = &data[d as usize];
        let text = KeptText::read_or_empty(doc.text.as_ref())?;
        let Some(span) = doc.paragraphs.get(p as usize).map(|p| p.span.clone()) else {
            continue;
        };
        if text.get(span.clone()).is_none() {
            continue;
        }
        tokens.clear();
        tokenize(&text, span, &mut tokens);
        keys.extend(WordsKey::of(&tokens));
    }
    keys.sort_unstable();
    keys.dedup();
    Ok(keys)
}

/// Aligns and scores the candidate pairs `(a, b)` (documents whose text
/// was kept), `boilerplate_of(d)` naming the paragraphs of
/// document d set aside and `boilerplate_keys` the boilerplate's text (see
/// [`boilerplate_lines`]), `doc_of(d)` giving document d; the pairs with
/// passages, in no particular order.
/// Pairs are taken in batches, and only the documents of a batch are read
/// (texts kept in a temporary file) and prepared (sentences and word counts
/// are several times the text's size), so memory follows the batch, not
/// the corpus. An error when a kept text cannot be read back.
pub(super) fn decide_pairs<'d>(
    doc_of: &(dyn Fn(u32) -> Option<&'d ShingledDocument> + Sync),
    candidates: &[(u32, u32)],
    boilerplate_of: &(dyn Fn(usize) -> Vec<usize> + Sync),
    boilerplate_keys: &[u64],
    align: &AlignConfig,
) -> Result<Vec<ReusePair>> {
    let mut pairs = Vec::new();
    for batch in candidates.chunks(ALIGN_BATCH) {
        let mut docs: Vec<u32> = batch.iter().flat_map(|&(a, b)| [a, b]).collect();
        docs.sort_unstable();
        docs.dedup();
        let data: Vec<&ShingledDocument> = docs
            .iter()
            .map(|&d| {
                doc_of(d).ok_or_else(|| Error::InvalidParameter {
                    name: "--candidates",
                    message: format!(
                        "document {d} of a candidate pair is not among the documents read"
                    ),
                })
            })
            .collect::<Result<_>>()?;
        let texts: Vec<Option<Cow<str>>> = data
            .par_iter()
            .map(|d| KeptText::read_kept(d.text.as_ref()))
            .collect::<Result<_>>()?;
        let prepared: Vec<Option<PairDoc>> = docs
            .par_iter()
            .zip(&data)
            .zip(&texts)
            .map(|((&d, doc), text)| {
                text.as_ref()
                    .map(|t| pair_doc(doc, t, &boilerplate_of(d as usize), boilerplate_keys))
            })
            .collect();
        let get = |d: u32| {
            docs.binary_search(&d)
                .ok()
                .and_then(|i| prepared[i].as_ref())
        };
        pairs.par_extend(batch.par_iter().filter_map(|&(a, b)| {
            let (pa, pb) = (get(a)?, get(b)?);
            let (a, b) = (a as usize, b as usize);
            // Without dates the document with less text is read as the
            // copy.
            if pb.weight() < pa.weight() {
                decide_reused(pb, b, pa, a, align)
            } else {
                decide_reused(pa, a, pb, b, align)
            }
        }));
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> u64 {
        let mut tokens = Vec::new();
        tokenize(text, 0..text.len(), &mut tokens);
        WordsKey::of(&tokens).unwrap()
    }

    #[test]
    fn lines_of_boilerplate_run_into_a_paragraph_are_found() {
        let footer = "Copyright 2026 The Gazette. All rights reserved.";
        let keys = [key(footer)];
        // The footer on a line of its own, then wrapped over two lines,
        // then inside a line with other words (not set aside).
        // (Lines filled as a wrapper fills them, so that each block is one
        // paragraph.)
        let text = "The council met on Monday and voted for the plan\nto build a new bridge over the river near the old\nCopyright 2026 The Gazette. All rights reserved.\n\n\
                    More text on the bridges\nCopyright 2026 The\nGazette. All rights reserved.\n\n\
                    Copyright 2026 The Gazette. All rights reserved. And more\nA second line";
        let paragraphs = crate::text::split_paragraphs(text, 0);
        assert_eq!(paragraphs.len(), 3);
        let found: Vec<&str> = boilerplate_lines(text, &paragraphs, &keys)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(
            found,
            [footer, "Copyright 2026 The\nGazette. All rights reserved."]
        );
        assert!(boilerplate_lines(text, &paragraphs, &[]).is_empty());
    }
}

//! Stages 5–6 over a corpus: every candidate pair is aligned and scored
//! ([`crate::score::decide`]), in batches.

use std::borrow::Cow;

use rayon::prelude::*;

use crate::align::AlignConfig;
use crate::corpus::KeptText;
use crate::error::Result;
use crate::reuse::ReusePair;
use crate::score::{PairDoc, decide_reused};
use crate::shingle::ShingledDocument;

/// Candidate pairs aligned per batch (the documents of one batch are
/// prepared together, then dropped).
const ALIGN_BATCH: usize = 4_096;

/// A shingled document prepared for alignment, with the given paragraphs
/// (0-based) set aside as boilerplate; `text` is its kept text, read.
pub(super) fn pair_doc<'d>(
    d: &ShingledDocument,
    text: &'d str,
    boilerplate: &[usize],
) -> PairDoc<'d> {
    PairDoc::with_words_key(
        text,
        d.body_start.min(text.len()),
        d.paragraph_spans.clone(),
        boilerplate
            .iter()
            .filter_map(|&p| d.paragraphs.get(p).map(|p| p.span.clone()))
            .collect(),
        d.date.clone(),
        d.words_key,
    )
}

/// Aligns and scores the candidate pairs `(a, b)` of `data` (documents
/// whose text was kept), `boilerplate_of(d)` naming the paragraphs of
/// document d set aside; the pairs with passages, in no particular order.
/// Pairs are taken in batches, and only the documents of a batch are read
/// (texts kept in a temporary file) and prepared (sentences and word counts
/// are several times the text's size), so memory follows the batch, not
/// the corpus. An error when a kept text cannot be read back.
pub(super) fn decide_pairs(
    data: &[ShingledDocument],
    candidates: &[(u32, u32)],
    boilerplate_of: &(dyn Fn(usize) -> Vec<usize> + Sync),
    align: &AlignConfig,
) -> Result<Vec<ReusePair>> {
    let mut pairs = Vec::new();
    for batch in candidates.chunks(ALIGN_BATCH) {
        let mut docs: Vec<u32> = batch.iter().flat_map(|&(a, b)| [a, b]).collect();
        docs.sort_unstable();
        docs.dedup();
        let texts: Vec<Option<Cow<str>>> = docs
            .par_iter()
            .map(|&d| KeptText::read_kept(data[d as usize].text.as_ref()))
            .collect::<Result<_>>()?;
        let prepared: Vec<Option<PairDoc>> = docs
            .par_iter()
            .zip(&texts)
            .map(|(&d, text)| {
                let d = d as usize;
                text.as_ref()
                    .map(|t| pair_doc(&data[d], t, &boilerplate_of(d)))
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

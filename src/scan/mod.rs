//! The scan engine: runs every stage over a corpus and returns a
//! [`ScanReport`].
//!
//! Build a [`Detector`] once with [`DetectorBuilder`], then call
//! [`Detector::scan`] on any number of corpora.
//!
//! **Boilerplate.** A paragraph whose text (with its verified near-copies)
//! appears in at least [`Config::boilerplate_min_docs`] documents is
//! *common*. Common paragraphs alone make a document pair only when the
//! pair shares at least half of the smaller document; otherwise the pair
//! needs a match on a paragraph that is not common. A common paragraph
//! becomes *boilerplate* when fewer than half of the document pairs that
//! carry it qualify as pairs by that rule (or are rewrites of each other:
//! many rare character grams shared outside their common paragraphs, as
//! when outlets reworded a story but kept one quote): an outlet's footer
//! on every story, a credit line, "Read more". Boilerplate paragraphs take
//! no part in passages or scores, and the report lists each of them with
//! the number of documents that carry it.

mod config;
mod decide;
mod report;
mod stages;
mod timing;

use decide::{boilerplate_keys, decide_pairs, pair_doc};
use report::similarity_matrix;
use stages::Decided;

pub use config::{Config, DetectorBuilder, Metric};
pub use report::{Boilerplate, DocumentSummary, Matrix, Params, ScanReport, ScanStats, excerpt};
pub use timing::StageTimes;

use rayon::prelude::*;

use crate::corpus::{Document, KeptText};
use crate::error::{Error, Result};
use crate::lsh::{self, LshParams};
use crate::minhash::MinHasher;
use crate::reuse::ReusePair;
use crate::score::decide;
use crate::shingle::{ShingledDocument, pack_shingle_sets};
use crate::sketch::{AlignPlan, AlignShare, LshCandidates};

/// Pairs in report order: most of the copy found in the source first.
fn sort_pairs(pairs: &mut [ReusePair]) {
    pairs.sort_by(|x, y| {
        y.copy_in_source()
            .total_cmp(&x.copy_in_source())
            .then(x.copy.cmp(&y.copy))
            .then(x.source.cmp(&y.source))
    });
}

/// What a scan of part of a corpus knows about the rest of it (see
/// [`Detector::scan_neighbourhood`]).
#[derive(Debug, Clone, Default)]
pub struct Neighbourhood {
    /// Documents before this position were decided against each other
    /// earlier: only pairs with a document at or after it are aligned.
    pub new_from: usize,
    /// For a unit's shingle-set key ([`crate::shingle::ShingledParagraph::set_key`]),
    /// how many documents outside the scan carry it.
    pub unseen_carriers: ahash::AHashMap<u64, u32>,
}

/// A configured, reusable scanner.
#[derive(Debug, Clone)]
pub struct Detector {
    config: Config,
    hasher: MinHasher,
    lsh: LshParams,
}

impl Detector {
    /// Validates `config` and builds a detector.
    pub fn new(config: Config) -> Result<Detector> {
        if config.shingle.size == 0 || config.shingle.char_size == 0 {
            return Err(Error::InvalidParameter {
                name: "--shingle",
                message: "shingle sizes must be at least 1".into(),
            });
        }
        let hasher = MinHasher::with_sketch(config.num_perm, config.seed, config.sketch)?;
        let lsh = match config.lsh {
            Some(p) => {
                p.validate(config.num_perm)?;
                p
            }
            None => LshParams::for_threshold(config.threshold, config.num_perm)?,
        };
        if !(config.threshold > 0.0 && config.threshold <= 1.0) {
            return Err(Error::InvalidParameter {
                name: "--threshold",
                message: format!("{} is not in (0, 1]", config.threshold),
            });
        }
        if matches!(config.threads, Some(0)) {
            return Err(Error::InvalidParameter {
                name: "--threads",
                message: "must be at least 1".into(),
            });
        }
        Ok(Detector {
            config,
            hasher,
            lsh,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The LSH banding in use.
    pub fn lsh_params(&self) -> LshParams {
        self.lsh
    }

    /// Parameters as reports echo them.
    pub fn params(&self) -> Params {
        Params {
            config: self.config.clone(),
            lsh: self.lsh,
            hash_family: self.config.sketch.family(),
        }
    }

    /// Runs `f` on the configured number of threads.
    pub fn install<T: Send>(&self, f: impl FnOnce() -> T + Send) -> Result<T> {
        match self.config.threads {
            Some(threads) => {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .map_err(|e| Error::InvalidParameter {
                        name: "--threads",
                        message: format!("cannot start {threads} threads: {e}"),
                    })?;
                Ok(pool.install(f))
            }
            None => Ok(f()),
        }
    }

    /// Stages 2–3 for one document: paragraphs, tokens, shingle sets.
    pub fn shingle(&self, doc: &Document) -> ShingledDocument {
        ShingledDocument::new(doc, &self.config.shingle, self.config.min_words)
    }

    /// [`Detector::shingle`], keeping the text (for alignment).
    pub fn shingle_kept(&self, doc: Document) -> ShingledDocument {
        let mut s = self.shingle(&doc);
        s.text = Some(doc.text.into());
        s
    }

    /// Shingles many documents in parallel (in the current thread pool),
    /// their shingle sets in one table ([`pack_shingle_sets`]).
    pub fn par_shingle(&self, docs: &[Document]) -> Vec<ShingledDocument> {
        let mut shingled: Vec<ShingledDocument> =
            docs.par_iter().map(|d| self.shingle(d)).collect();
        pack_shingle_sets(&mut shingled);
        shingled
    }

    /// Scans a corpus for reuse between its documents. The report keeps
    /// the documents' texts.
    pub fn scan(&self, documents: &[Document]) -> Result<ScanReport> {
        self.install(|| {
            let mut shingled = self.par_shingle(documents);
            for (s, d) in shingled.iter_mut().zip(documents) {
                s.text = Some(d.text.clone().into());
            }
            self.scan_inner(shingled, None, None, &mut StageTimes::new())
        })?
    }

    /// Scans documents that were already shingled (e.g. while streaming a
    /// feed, so that the texts could be dropped).
    pub fn scan_shingled(&self, documents: Vec<ShingledDocument>) -> Result<ScanReport> {
        self.scan_shingled_timed(documents, &mut StageTimes::new())
    }

    /// [`Detector::scan_shingled`], adding the wall time of each stage to
    /// `times` (its clock restarts when the scan begins).
    pub fn scan_shingled_timed(
        &self,
        documents: Vec<ShingledDocument>,
        times: &mut StageTimes,
    ) -> Result<ScanReport> {
        self.install(|| self.scan_inner(documents, None, None, times))?
    }

    /// Scans part of a larger corpus: `documents` are the new documents
    /// (from [`Neighbourhood::new_from`] on) after the earlier documents
    /// they may pair with, in corpus order. Only pairs with a new document
    /// are aligned; paragraphs count as common with the carriers outside
    /// the scan added ([`Neighbourhood::unseen_carriers`]). This is how
    /// [`crate::index`] checks a batch against what it holds. The wall
    /// time of each stage is added to `times`.
    pub fn scan_neighbourhood(
        &self,
        documents: Vec<ShingledDocument>,
        neighbourhood: &Neighbourhood,
        times: &mut StageTimes,
    ) -> Result<ScanReport> {
        self.install(|| self.scan_inner(documents, Some(neighbourhood), None, times))?
    }

    /// [`Detector::scan_shingled`] with the LSH stage's candidates found
    /// elsewhere: by a candidate join over a sketch of the same documents
    /// with the same parameters (see [`crate::sketch`]). The report is the
    /// one a scan gives. `share` says which candidate pairs are aligned:
    /// all of them, one share (for a machine among several), or none,
    /// their pairs being read from the shares aligned before. The wall
    /// time of each stage is added to `times`.
    pub fn scan_with_candidates(
        &self,
        documents: Vec<ShingledDocument>,
        candidates: &LshCandidates,
        share: &AlignShare,
        times: &mut StageTimes,
    ) -> Result<ScanReport> {
        self.install(|| self.scan_inner(documents, None, Some((candidates, share)), times))?
    }

    /// The corpus-wide stages of [`Detector::scan_with_candidates`]
    /// without alignment: which document pairs to align and what aligning
    /// them needs besides the two documents (see [`AlignPlan`]), so that
    /// machines can each align a share of them reading only its
    /// documents ([`Detector::align_plan`]). The wall time of each stage
    /// is added to `times`.
    pub fn plan_with_candidates(
        &self,
        documents: Vec<ShingledDocument>,
        candidates: &LshCandidates,
        times: &mut StageTimes,
    ) -> Result<AlignPlan> {
        self.install(|| {
            let mut data = documents;
            times.restart();
            let decided = self.decide_candidates(&mut data, None, Some(candidates), times)?;
            let mut needed: Vec<u32> = decided
                .candidates
                .iter()
                .flat_map(|&(a, b)| [a, b])
                .collect();
            needed.sort_unstable();
            needed.dedup();
            let is_boilerplate =
                |d: u32, p: u32| decided.para_group.in_any(d, p, &decided.boilerplate_groups);
            let boilerplate: Vec<(u32, u32)> = needed
                .iter()
                .flat_map(|&d| {
                    (0..decided.para_group.units(d) as u32)
                        .filter(move |&p| is_boilerplate(d, p))
                        .map(move |p| (d, p))
                })
                .collect();
            let boilerplate_keys =
                boilerplate_keys(&data, decided.bp_groups.iter().map(|&(_, first, _)| first))?;
            Ok(AlignPlan {
                documents: data.len(),
                candidate_pairs: decided.candidates.len(),
                range: 0..decided.candidates.len(),
                pairs: decided.candidates,
                boilerplate,
                boilerplate_keys,
            })
        })?
    }

    /// Aligns and scores the pairs of `plan` (all of a corpus's, or a
    /// share read with [`AlignPlan::read`]) as a scan does: `docs[i]` is
    /// document `numbers[i]` (sorted), and every document of the plan's
    /// pairs must be there (texts kept); no other is needed. The pairs
    /// with passages, in report order; a scan of the whole corpus with the
    /// same candidates reports exactly these for this range of pairs.
    pub fn align_plan(
        &self,
        plan: &AlignPlan,
        numbers: &[u32],
        docs: &[ShingledDocument],
    ) -> Result<Vec<ReusePair>> {
        self.install(|| {
            let doc_of = |d: u32| numbers.binary_search(&d).ok().and_then(|i| docs.get(i));
            let mut pairs = decide_pairs(
                &doc_of,
                &plan.pairs,
                &|d| plan.boilerplate_of(d as u32),
                &plan.boilerplate_keys,
                &self.config.align,
            )?;
            sort_pairs(&mut pairs);
            Ok(pairs)
        })?
    }

    /// The parameters that decide which pairs a run finds, by command-line
    /// name: an index and a sketch store them and refuse a run with other
    /// values.
    pub fn fixed_params(&self) -> Vec<(String, String)> {
        let c: &Config = self.config();
        let lsh = self.lsh_params();
        let c = &Config {
            threads: None,
            ..c.clone()
        };
        [
            ("--shingle", c.shingle.size.to_string()),
            ("--char-shingle", c.shingle.char_size.to_string()),
            ("--num-perm", c.num_perm.to_string()),
            ("--seed", c.seed.to_string()),
            ("--sketch", c.sketch.family().to_string()),
            ("--threshold", c.threshold.to_string()),
            ("--bands", lsh.bands.to_string()),
            ("--rows", lsh.rows.to_string()),
            ("--min-words", c.min_words.to_string()),
            ("--bucket-cap", c.bucket_cap.to_string()),
            ("--boilerplate-min-docs", c.boilerplate_min_docs.to_string()),
            ("alignment options", format!("{:?}", c.align)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    /// The LSH band keys of one unit's shingle set into `out` (one per
    /// band), with `signature` (`num_perm` values) as scratch space.
    pub(crate) fn band_keys_into(&self, shingles: &[u32], signature: &mut [u32], out: &mut [u32]) {
        self.hasher
            .fill(shingles.iter().map(|&s| u64::from(s)), signature);
        lsh::band_keys(signature, self.lsh, out);
    }

    /// The LSH band keys of each fingerprinted unit of `doc`: `(unit,
    /// keys)`, one key per band. The same keys a scan computes.
    pub fn unit_band_keys(&self, doc: &ShingledDocument) -> Vec<(u32, Vec<u32>)> {
        let mut signature = vec![0u32; self.config.num_perm];
        doc.paragraphs
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.too_short)
            .map(|(u, p)| {
                self.hasher
                    .fill(p.shingles.iter().map(|&s| u64::from(s)), &mut signature);
                let mut keys = vec![0u32; self.lsh.bands];
                lsh::band_keys(&signature, self.lsh, &mut keys);
                (u as u32, keys)
            })
            .collect()
    }

    /// Compares two documents in detail: aligns them and scores the pair
    /// as a scan does (see [`crate::score`]), with nothing set aside as
    /// boilerplate. The returned pair indexes `a` as 0 and `b` as 1; its
    /// passages are empty when nothing is reused. Both texts must be kept.
    ///
    /// ```
    /// use reprint::corpus::Document;
    /// use reprint::scan::DetectorBuilder;
    /// use reprint::shingle::ShingledDocument;
    /// let d = DetectorBuilder::new().build()?;
    /// let text = "The harbour authority approved the new ferry terminal on Monday after a long public consultation. \
    ///             Construction is expected to begin next spring and to last about two years, officials said.";
    /// let shingle = |doc: Document| ShingledDocument::with_text(doc, &d.config().shingle, 8);
    /// let a = shingle(Document::from_text("a", "a", text.into()));
    /// let own = "Our reporter asked residents near the old pier what they expect from the new service next year.";
    /// let b = shingle(Document::from_text("b", "b", format!("{text}\n\n{own}")));
    /// let pair = d.compare(&a, &b, &[], &[], &[])?;
    /// assert_eq!((pair.copy, pair.source), (0, 1));
    /// assert_eq!(pair.passages.len(), 1);
    /// # Ok::<(), reprint::Error>(())
    /// ```
    pub fn compare(
        &self,
        a: &ShingledDocument,
        b: &ShingledDocument,
        a_boilerplate: &[usize],
        b_boilerplate: &[usize],
        boilerplate_keys: &[u64],
    ) -> Result<ReusePair> {
        let (ta, tb) = (
            KeptText::read_or_empty(a.text.as_ref())?,
            KeptText::read_or_empty(b.text.as_ref())?,
        );
        let (pa, pb) = (
            pair_doc(a, &ta, a_boilerplate, boilerplate_keys),
            pair_doc(b, &tb, b_boilerplate, boilerplate_keys),
        );
        Ok(decide(&pa, 0, &pb, 1, &self.config.align))
    }

    fn scan_inner(
        &self,
        mut data: Vec<ShingledDocument>,
        neighbourhood: Option<&Neighbourhood>,
        given: Option<(&LshCandidates, &AlignShare)>,
        times: &mut StageTimes,
    ) -> Result<ScanReport> {
        times.restart();
        let Decided {
            candidates,
            para_group,
            boilerplate_groups,
            bp_groups,
            family_count,
            mut stats,
        } = self.decide_candidates(&mut data, neighbourhood, given.map(|(g, _)| g), times)?;
        let is_boilerplate = |d: u32, p: u32| para_group.in_any(d, p, &boilerplate_groups);
        // A share of the pairs when alignment is split across machines;
        // none when the shares were aligned already.
        let share = given.map_or(&AlignShare::All, |(_, share)| share);
        let mut pairs: Vec<ReusePair> = match share {
            AlignShare::Aligned(parts) => parts.pairs_for(&candidates)?,
            _ => Vec::new(),
        };
        let candidates = &candidates[share.range(candidates.len())];

        // Stages 5–6: every candidate pair is aligned and scored.
        let boilerplate_of = |d: usize| -> Vec<usize> {
            (0..data[d].paragraphs.len())
                .filter(|&p| is_boilerplate(d as u32, p as u32))
                .collect()
        };
        // The boilerplate's text, for the lines of it run into other
        // paragraphs.
        let bp_keys = boilerplate_keys(&data, bp_groups.iter().map(|&(_, first, _)| first))?;
        pairs.extend(decide_pairs(
            &|d| data.get(d as usize),
            candidates,
            &boilerplate_of,
            &bp_keys,
            &self.config.align,
        )?);
        times.lap("align and score");
        sort_pairs(&mut pairs);

        let matrix = (data.len() <= self.config.matrix_limit).then(|| {
            let has_words: Vec<bool> = data.iter().map(|d| d.words > 0).collect();
            similarity_matrix(&has_words, &pairs, self.config.metric)
        });

        // Boilerplate report.
        let boilerplate_of_doc: Vec<Vec<usize>> = (0..data.len()).map(boilerplate_of).collect();
        stats.boilerplate_paragraphs = boilerplate_of_doc.iter().map(Vec::len).sum();
        let mut boilerplate: Vec<Boilerplate> = boilerplate_groups
            .iter()
            .map(|(&g, &related_share)| {
                let at = bp_groups.partition_point(|&(h, _, _)| h < g);
                let (_, (d, p), members) = bp_groups[at];
                let doc = &data[d as usize];
                let text = KeptText::read_or_empty(doc.text.as_ref())?;
                let span = doc.paragraphs[p as usize].span.clone();
                Ok(Boilerplate {
                    excerpt: excerpt(text.get(span).unwrap_or(""), 80),
                    documents: family_count[g as usize] as usize,
                    paragraphs: members,
                    example: (d as usize, p as usize + 1),
                    related_share,
                })
            })
            .collect::<Result<_>>()?;
        boilerplate.sort_by(|a, b| {
            b.documents
                .cmp(&a.documents)
                .then(b.paragraphs.cmp(&a.paragraphs))
                .then(a.example.cmp(&b.example))
        });

        let summaries = data
            .into_iter()
            .zip(boilerplate_of_doc)
            .map(|(dd, boilerplate)| DocumentSummary {
                boilerplate_paragraphs: boilerplate.len(),
                boilerplate,
                short_paragraphs: dd.paragraphs.iter().filter(|p| p.too_short).count(),
                paragraph_spans: dd.paragraph_spans,
                id: dd.id,
                origin: dd.origin,
                date: dd.date,
                source: dd.source,
                title: dd.title,
                url: dd.url,
                record: dd.record,
                text: dd.text,
                words: dd.words,
            })
            .collect();

        times.lap("assemble report");
        Ok(ScanReport {
            documents: summaries,
            pairs,
            matrix,
            boilerplate,
            boilerplate_keys: bp_keys,
            params: self.params(),
            stats,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, text: &str) -> Document {
        Document::from_text(id, id, text.to_string())
    }

    const WIRE: &str = "The central bank raised its main interest rate by a quarter point on Tuesday, citing persistent inflation in services.\n\n\
        Officials said further increases were possible if price growth did not slow in the coming months, according to a statement.\n\n\
        Markets had expected the move after a run of strong employment data and rising wages across the economy.";

    #[test]
    fn a_verbatim_copy_is_found_with_direction() {
        let a = doc("wire", &format!("date 2026-01-01 {WIRE}"));
        let b = doc(
            "copy",
            &format!(
                "date 2026-01-02 Local lede written by the outlet itself about the town.\n\n{WIRE}"
            ),
        );
        let report = DetectorBuilder::new()
            .build()
            .unwrap()
            .scan(&[a, b])
            .unwrap();
        assert_eq!(report.pairs.len(), 1);
        let pair = &report.pairs[0];
        assert_eq!((pair.source, pair.copy), (0, 1));
        assert_eq!(pair.direction, crate::reuse::Direction::Date);
        assert_eq!(pair.passages.len(), 1);
        assert_eq!(pair.passages[0].copy.first, 2);
        assert_eq!(pair.passages[0].source.first, 1);
        assert_eq!(pair.source_in_copy(), 1.0);
    }

    #[test]
    fn passage_spans_start_where_the_copied_words_start() {
        let a = doc("wire", &format!("date 2026-01-01 {WIRE}"));
        let b = doc(
            "copy",
            &format!("date 2026-01-02 Our own opening words about the town. {WIRE}"),
        );
        let report = DetectorBuilder::new()
            .build()
            .unwrap()
            .scan(&[a, b])
            .unwrap();
        let pair = &report.pairs[0];
        let span = pair.passages[0].copy_span;
        let text = report.documents[1].text.as_ref().unwrap().read().unwrap();
        assert!(
            text[span.start_byte..].starts_with("The central bank"),
            "{span:?}"
        );
        assert_eq!(span.start, text[..span.start_byte].chars().count());
        assert!(text[..span.end_byte].ends_with("across the economy."));
        assert_eq!(pair.passages[0].copy.first, 1);
    }

    #[test]
    fn unrelated_documents_make_no_pair() {
        let a = doc("a", WIRE);
        let b = doc(
            "b",
            "A completely different story about football, the weekend match and the fans who travelled to see it.",
        );
        let report = DetectorBuilder::new()
            .build()
            .unwrap()
            .scan(&[a, b])
            .unwrap();
        assert!(report.pairs.is_empty());
        let m = report.matrix.unwrap();
        assert_eq!(m.values[0][0], Some(1.0));
        assert_eq!(m.values[0][1], Some(0.0));
    }

    #[test]
    fn a_shared_footer_is_boilerplate_not_reuse() {
        let footer = "Copyright 2026 The Example Gazette. All rights reserved. Subscribe to our newsletter for the day's top stories.";
        let bodies = [
            "The city council voted on Monday to extend the tram line to the northern suburbs by the end of the decade.",
            "Heavy rain flooded several streets in the old town overnight, and firefighters pumped water from dozens of cellars.",
            "The local football club announced the signing of a young striker from a second-division team on a three-year deal.",
            "A new bakery opened on the market square, drawing a queue of customers before dawn on its first morning.",
        ];
        let docs: Vec<Document> = bodies
            .iter()
            .enumerate()
            .map(|(i, b)| doc(&format!("d{i}"), &format!("{b}\n\n{footer}")))
            .collect();
        let report = DetectorBuilder::new().build().unwrap().scan(&docs).unwrap();
        assert!(report.pairs.is_empty(), "{:?}", report.pairs);
        assert_eq!(report.boilerplate.len(), 1);
        assert_eq!(report.boilerplate[0].documents, 4);
        assert_eq!(report.stats.boilerplate_paragraphs, 4);
    }

    #[test]
    fn a_quote_kept_by_outlets_that_reworded_the_rest_is_not_boilerplate() {
        let quote = "\"We will not rest until every family has a safe home again,\" the minister told reporters outside the damaged school.";
        let story = "Emergency crews worked through the night after the river burst its banks on Sunday, \
            flooding hundreds of houses in the lower districts of the town. Officials said that more than two thousand \
            residents had been moved to temporary shelters in schools and sports halls, and that the water level was \
            expected to fall slowly over the coming days. The regional government promised financial support for \
            families whose homes were damaged, while engineers inspected the bridges and the main railway line for \
            structural problems caused by the current.";
        let words: Vec<&str> = story.split_whitespace().collect();
        let names = ["amber", "birch", "cedar", "dune", "ember"];
        // Five outlets keep the quote and every other word of the story,
        // each rewording the rest its own way: no paragraph of one matches
        // a paragraph of another, but most of the story's character grams
        // are shared.
        let docs: Vec<Document> = names
            .iter()
            .map(|name| {
                let rewritten: Vec<String> = words
                    .iter()
                    .enumerate()
                    .map(|(i, w)| {
                        if i % 2 == 0 {
                            w.to_string()
                        } else {
                            format!("{name}{i}")
                        }
                    })
                    .collect();
                doc(name, &format!("{}\n\n{quote}", rewritten.join(" ")))
            })
            .collect();
        let report = DetectorBuilder::new().build().unwrap().scan(&docs).unwrap();
        assert!(report.boilerplate.is_empty(), "{:?}", report.boilerplate);
        assert!(!report.pairs.is_empty());
        // The quote is reuse like the rest: inside a passage of each pair.
        for p in &report.pairs {
            let quote_start = docs[p.copy].text.find(quote).unwrap();
            assert!(
                p.passages
                    .iter()
                    .any(|x| x.copy_span.end_byte > quote_start),
                "{p:?}"
            );
        }
    }

    #[test]
    fn a_story_copied_by_many_outlets_is_not_boilerplate() {
        let docs: Vec<Document> = (0..5)
            .map(|i| doc(&format!("o{i}"), &format!("Outlet {i} introduction paragraph that is unique to this particular outlet number {i}.\n\n{WIRE}")))
            .collect();
        let report = DetectorBuilder::new().build().unwrap().scan(&docs).unwrap();
        assert!(report.boilerplate.is_empty());
        assert_eq!(report.pairs.len(), 10);
    }

    #[test]
    fn hundreds_of_identical_articles_are_copies_not_boilerplate() {
        let docs: Vec<Document> = (0..300).map(|i| doc(&format!("d{i}"), WIRE)).collect();
        let report = DetectorBuilder::new().build().unwrap().scan(&docs).unwrap();
        assert!(report.boilerplate.is_empty());
        assert_eq!(report.pairs.len(), 299, "a star on the first");
        assert!(report.pairs.iter().all(|p| p.copy_in_source() == 1.0));
    }

    #[test]
    fn invalid_parameters_are_refused() {
        assert!(DetectorBuilder::new().threshold(0.0).build().is_err());
        assert!(DetectorBuilder::new().num_perm(0).build().is_err());
        assert!(DetectorBuilder::new().shingle_size(0).build().is_err());
        assert!(DetectorBuilder::new().threads(0).build().is_err());
    }

    #[test]
    fn excerpts_are_cut_on_characters() {
        assert_eq!(excerpt("a\n b", 10), "a b");
        assert_eq!(excerpt("ééééé", 3), "éé…");
    }
}

//! The JSON report: one object, the contract scripts rely on.

use std::io::Write;

use serde::Serialize;

use crate::error::Result;
use crate::reuse::{Direction, ReusePair, Span};
use crate::scan::ScanReport;

/// The JSON document `reprint scan --format json` prints.
///
/// ```json
/// {
///   "documents": [{"id", "path", "date", "paragraphs", "words",
///                  "short_paragraphs", "boilerplate_paragraphs"}],
///   "pairs": [{"source", "copy", "copy_in_source", "source_in_copy",
///              "jaccard", "verbatim", "shared_grams", "score",
///              "direction", "credited", "copied_paragraphs",
///              "passages": [{"copy": [first, last], "source": [first, last],
///                            "similarity", "verbatim", "copy_span",
///                            "source_span"}]}],
///   "matrix": {"metric", "ids", "values"} | null,
///   "boilerplate": [{"excerpt", "documents", "paragraphs",
///                    "example": {"id", "paragraph"}}],
///   "params": {...},
///   "stats": {...}
/// }
/// ```
///
/// Scores are fractions in [0, 1]; paragraph numbers are 1-based and ranges
/// inclusive; spans are `{"start", "end"}` in characters plus
/// `"start_byte"`, `"end_byte"`, end exclusive, into the document's text as
/// read (date marker included).
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    /// The input documents, in input order.
    pub documents: Vec<JsonDocument<'a>>,
    /// Document pairs with reuse, most copied first.
    pub pairs: Vec<JsonPair<'a>>,
    /// The exact similarity matrix, or `null` above the size limit.
    pub matrix: Option<JsonMatrix<'a>>,
    /// Paragraph texts set aside as boilerplate.
    pub boilerplate: Vec<JsonBoilerplate<'a>>,
    /// Every parameter used.
    pub params: JsonParams,
    /// Counts from each stage.
    pub stats: JsonStats,
}

/// One input document.
#[derive(Debug, Serialize)]
pub struct JsonDocument<'a> {
    /// Document id.
    pub id: &'a str,
    /// Input path, or `<stdin>`.
    pub path: &'a str,
    /// Publication date as given, or null.
    pub date: Option<&'a str>,
    /// Outlet (the feed's source field), when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'a str>,
    /// Headline, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'a str>,
    /// Address, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<&'a str>,
    /// Number of paragraphs.
    pub paragraphs: usize,
    /// Number of words.
    pub words: usize,
    /// Paragraphs too short to fingerprint alone.
    pub short_paragraphs: usize,
    /// Paragraphs set aside as boilerplate.
    pub boilerplate_paragraphs: usize,
}

/// One document pair with reuse.
#[derive(Debug, Serialize)]
pub struct JsonPair<'a> {
    /// Id of the source.
    pub source: &'a str,
    /// Id of the copy.
    pub copy: &'a str,
    /// Share of the copy's text covered by passages.
    pub copy_in_source: f64,
    /// Share of the source's text covered by passages.
    pub source_in_copy: f64,
    /// Covered text over the text of both documents.
    pub jaccard: f64,
    /// Share of the copy passages' word trigrams found in the source.
    pub verbatim: f64,
    /// Share of the copy's character grams found in the source
    /// (document-level evidence, `ReusePair::grams_copy_in_source`).
    pub shared_grams: f64,
    /// The pair's rank score (see `ReusePair::score`): half document-level
    /// evidence, half verbatim coverage.
    pub score: f64,
    /// `"date"`, `"containment"` or `"mutual"`.
    pub direction: Direction,
    /// Whether the copy names the source's outlet at its start or end (a
    /// dateline, a byline, a credit line).
    pub credited: bool,
    /// Paragraphs of the copy inside passages.
    pub copied_paragraphs: usize,
    /// The reused passages, in the copy's order.
    pub passages: Vec<JsonPassage>,
}

/// One passage.
#[derive(Debug, Serialize)]
pub struct JsonPassage {
    /// `[first, last]` paragraph numbers in the copy.
    pub copy: [usize; 2],
    /// `[first, last]` paragraph numbers in the source.
    pub source: [usize; 2],
    /// tf-idf cosine similarity of the two sides.
    pub similarity: f64,
    /// Share of the copy side's word trigrams found in the source side.
    pub verbatim: f64,
    /// Where the passage is in the copy's text.
    pub copy_span: Span,
    /// Where the passage is in the source's text.
    pub source_span: Span,
}

/// The matrix.
#[derive(Debug, Serialize)]
pub struct JsonMatrix<'a> {
    /// `"containment"` (row in column) or `"jaccard"`.
    pub metric: &'static str,
    /// Document ids, the order of rows and columns.
    pub ids: Vec<&'a str>,
    /// `values[i][j]`: document i against document j; null for a document
    /// without text.
    pub values: &'a [Vec<Option<f64>>],
}

/// One boilerplate paragraph text.
#[derive(Debug, Serialize)]
pub struct JsonBoilerplate<'a> {
    /// The start of its text.
    pub excerpt: &'a str,
    /// Documents carrying it.
    pub documents: usize,
    /// Paragraphs with exactly this text.
    pub paragraphs: usize,
    /// Share of the pairs of carrying documents that share anything else.
    pub related_share: f64,
    /// One occurrence.
    pub example: JsonPlace<'a>,
}

/// A paragraph of a document.
#[derive(Debug, Serialize)]
pub struct JsonPlace<'a> {
    /// Document id.
    pub id: &'a str,
    /// 1-based paragraph number.
    pub paragraph: usize,
}

/// Parameters.
#[derive(Debug, Serialize)]
pub struct JsonParams {
    /// Words per shingle.
    pub k: usize,
    /// Characters per shingle for scripts without spaces.
    pub char_k: usize,
    /// MinHash permutations.
    pub hashes: usize,
    /// LSH bands.
    pub bands: usize,
    /// LSH rows per band.
    pub rows: usize,
    /// Paragraph similarity threshold.
    pub threshold: f64,
    /// Permutation seed.
    pub seed: u64,
    /// Minimum words for a paragraph to be fingerprinted alone.
    pub min_words: usize,
    /// Crowded-bucket cap.
    pub bucket_cap: usize,
    /// Documents that make a paragraph common.
    pub boilerplate_min_docs: usize,
    /// Largest corpus that gets a matrix.
    pub matrix_limit: usize,
    /// Hash family.
    pub hash_family: &'static str,
}

/// Stage counts.
#[derive(Debug, Serialize)]
pub struct JsonStats {
    /// Paragraphs in all documents.
    pub paragraphs: usize,
    /// Paragraphs too short to fingerprint alone.
    pub short_paragraphs: usize,
    /// Distinct fingerprinted paragraph texts.
    pub distinct_paragraphs: usize,
    /// LSH candidate pairs.
    pub candidates: usize,
    /// Crowded LSH buckets.
    pub crowded_buckets: usize,
    /// Candidates that passed exact verification.
    pub verified: usize,
    /// Candidate document pairs aligned.
    pub candidate_pairs: usize,
    /// Paragraphs set aside as boilerplate.
    pub boilerplate_paragraphs: usize,
}

impl JsonStats {
    /// The JSON form of a scan's stage counts.
    pub fn of(s: &crate::scan::ScanStats) -> JsonStats {
        JsonStats {
            paragraphs: s.paragraphs,
            short_paragraphs: s.short_paragraphs,
            distinct_paragraphs: s.distinct_paragraphs,
            candidates: s.lsh.candidates,
            crowded_buckets: s.lsh.crowded_buckets,
            verified: s.verified,
            candidate_pairs: s.candidate_pairs,
            boilerplate_paragraphs: s.boilerplate_paragraphs,
        }
    }
}

impl<'a> JsonReport<'a> {
    /// Borrows a scan report as its JSON form.
    pub fn new(report: &'a ScanReport) -> JsonReport<'a> {
        let id = |i: usize| report.documents[i].id.as_str();
        let documents = report
            .documents
            .iter()
            .map(|d| JsonDocument {
                id: &d.id,
                path: &d.origin,
                date: d.date.as_ref().map(|x| x.as_str()),
                source: d.source.as_deref(),
                title: d.title.as_deref(),
                url: d.url.as_deref(),
                paragraphs: d.paragraph_spans.len(),
                words: d.words,
                short_paragraphs: d.short_paragraphs,
                boilerplate_paragraphs: d.boilerplate_paragraphs,
            })
            .collect();
        let pairs = report.pairs.iter().map(|p| json_pair(p, &id)).collect();
        let matrix = report.matrix.as_ref().map(|m| JsonMatrix {
            metric: m.metric.as_str(),
            ids: report.documents.iter().map(|d| d.id.as_str()).collect(),
            values: &m.values,
        });
        let boilerplate = report
            .boilerplate
            .iter()
            .map(|b| JsonBoilerplate {
                excerpt: &b.excerpt,
                documents: b.documents,
                paragraphs: b.paragraphs,
                related_share: b.related_share,
                example: JsonPlace {
                    id: id(b.example.0),
                    paragraph: b.example.1,
                },
            })
            .collect();
        let c = &report.params.config;
        let params = JsonParams {
            k: c.shingle.size,
            char_k: c.shingle.char_size,
            hashes: c.num_perm,
            bands: report.params.lsh.bands,
            rows: report.params.lsh.rows,
            threshold: c.threshold,
            seed: c.seed,
            min_words: c.min_words,
            bucket_cap: c.bucket_cap,
            boilerplate_min_docs: c.boilerplate_min_docs,
            matrix_limit: c.matrix_limit,
            hash_family: report.params.hash_family,
        };
        let stats = JsonStats::of(&report.stats);
        JsonReport {
            documents,
            pairs,
            matrix,
            boilerplate,
            params,
            stats,
        }
    }
}

/// The JSON form of one pair (shared by `scan` and `compare`).
pub(crate) fn json_pair<'a>(p: &ReusePair, id: &impl Fn(usize) -> &'a str) -> JsonPair<'a> {
    JsonPair {
        source: id(p.source),
        copy: id(p.copy),
        copy_in_source: p.copy_in_source(),
        source_in_copy: p.source_in_copy(),
        jaccard: p.jaccard(),
        verbatim: p.verbatim,
        shared_grams: p.grams_copy_in_source,
        score: p.score(),
        direction: p.direction,
        credited: p.copy_credits_source,
        copied_paragraphs: p.copied_paragraphs(),
        passages: p
            .passages
            .iter()
            .map(|x| JsonPassage {
                copy: [x.copy.first, x.copy.last],
                source: [x.source.first, x.source.last],
                similarity: x.similarity(),
                verbatim: x.verbatim,
                copy_span: x.copy_span,
                source_span: x.source_span,
            })
            .collect(),
    }
}

/// Writes the report as one pretty-printed JSON object and a newline.
pub fn write_json(report: &ScanReport, out: &mut dyn Write) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, &JsonReport::new(report))?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Writes the report as JSON Lines, one self-describing record per line, as
/// ripgrep's `--json` does: `{"type":"document","data":{…}}` for each
/// document in input order, `{"type":"pair","data":{…}}` for each pair (the
/// pair object of [`JsonPair`]), `{"type":"boilerplate","data":{…}}`, and
/// last `{"type":"summary","data":{"documents","pairs","params","stats"}}`.
/// A consumer never has to hold one object as large as the corpus; the
/// matrix is left out (it is quadratic).
pub fn write_jsonl(report: &ScanReport, out: &mut dyn Write) -> Result<()> {
    let mut stream = JsonlStream::default();
    stream.part(report, out)?;
    stream.finish(out)
}

/// A JSON Lines report written part by part as the parts are found (the
/// batches of `reprint index add`), so that the whole report is never
/// held: each part's documents not written by an earlier part, then its
/// pairs, then its boilerplate texts not written before, and at
/// [`JsonlStream::finish`] the summary of every part. One part is
/// [`write_jsonl`]'s output.
#[derive(Default)]
pub struct JsonlStream {
    /// Ids of the documents written by the parts before.
    ids: ahash::AHashSet<String>,
    /// Boilerplate excerpts written by the parts before.
    excerpts: ahash::AHashSet<String>,
    documents: usize,
    pairs: usize,
    stats: crate::scan::ScanStats,
    params: Option<JsonParams>,
}

impl JsonlStream {
    /// Writes one part's records.
    pub fn part(&mut self, report: &ScanReport, out: &mut dyn Write) -> Result<()> {
        let json = JsonReport::new(report);
        let fresh: Vec<bool> = json
            .documents
            .iter()
            .map(|d| !self.ids.contains(d.id))
            .collect();
        for (d, _) in json.documents.into_iter().zip(&fresh).filter(|(_, f)| **f) {
            jsonl_line(out, "document", &d)?;
            self.documents += 1;
        }
        for p in &json.pairs {
            jsonl_line(out, "pair", p)?;
        }
        self.pairs += json.pairs.len();
        let fresh_boilerplate: Vec<bool> = json
            .boilerplate
            .iter()
            .map(|b| !self.excerpts.contains(b.excerpt))
            .collect();
        for (b, _) in json
            .boilerplate
            .iter()
            .zip(&fresh_boilerplate)
            .filter(|(_, f)| **f)
        {
            jsonl_line(out, "boilerplate", b)?;
        }
        for (d, f) in report.documents.iter().zip(fresh) {
            if f {
                self.ids.insert(d.id.clone());
            }
        }
        for (b, f) in report.boilerplate.iter().zip(fresh_boilerplate) {
            if f {
                self.excerpts.insert(b.excerpt.clone());
            }
        }
        self.stats.add(&report.stats);
        self.params = Some(json.params);
        Ok(())
    }

    /// Pairs written so far.
    pub fn pairs(&self) -> usize {
        self.pairs
    }

    /// Writes the summary record: the documents and pairs of every part,
    /// the parameters and the parts' stage counts added up.
    pub fn finish(self, out: &mut dyn Write) -> Result<()> {
        jsonl_line(
            out,
            "summary",
            serde_json::json!({
                "documents": self.documents,
                "pairs": self.pairs,
                "params": self.params,
                "stats": JsonStats::of(&self.stats),
            }),
        )
    }
}

/// One `{"type": kind, "data": data}` line.
fn jsonl_line<T: Serialize>(out: &mut dyn Write, kind: &str, data: T) -> Result<()> {
    #[derive(Serialize)]
    struct Line<'a, T: Serialize> {
        #[serde(rename = "type")]
        kind: &'a str,
        data: T,
    }
    serde_json::to_writer(&mut *out, &Line { kind, data })?;
    out.write_all(b"\n")?;
    Ok(())
}

//! Stage 5 across machines: sketches written to Parquet for a candidate
//! join that runs on a distributed engine (Spark, DataFusion, any SQL
//! engine), and the candidates it finds read back for alignment.
//!
//! The LSH stage of a scan is a join: units that share a band key in some
//! band are candidates. A [`SketchWriter`] writes what that join needs,
//! per chunk of documents:
//!
//! - `docs/part-NNNNN.parquet`: `doc` (number in the run), `id`, `date`,
//!   `source`, `bytes` (text length), `origin` (`path:line` or path) and
//!   `line` (the feed line, when there is one);
//! - `bands/part-NNNNN.parquet`: `set_key` (the unit's shingle-set key),
//!   `band`, `band_key`, `doc`, `unit`, one row per band for the first unit
//!   of each distinct shingle set in the chunk;
//! - `sketch.json`, written last: the format, the number of documents and
//!   parts, and the parameters. Every Parquet file carries the same
//!   parameters as JSON in its key-value metadata (`reprint.params`).
//!
//! The join ([`CANDIDATES_SQL`], shipped as `spark/candidates.sql`) names
//! each group of identical units by its first unit (in document order),
//! ranks a bucket's groups in that order, pairs each with the bucket's
//! first `bucket_cap` groups, and writes the distinct pairs as
//! `candidates/*.parquet` (`a`, `b`: unit references, `doc << 20 | unit`)
//! and the number of crowded buckets as `lsh_stats/*.parquet`
//! (`crowded_buckets`): exactly what [`crate::lsh::candidates_from_keys`]
//! computes in one process. [`LshCandidates::read`] reads them back,
//! checks that the run has the sketch's parameters and documents, and
//! [`crate::scan::Detector::scan_with_candidates`] goes on from there
//! (verification, boilerplate, rewrites, alignment) as a scan does, so the
//! report is the one `reprint scan` gives.
//!
//! Alignment, half the time of a scan, can be split across machines:
//! [`crate::scan::Detector::plan_with_candidates`] makes the corpus-wide
//! decisions once and writes the pairs to align ([`AlignPlan`], `plan/`);
//! each machine reads one share of them and only the documents of its
//! pairs, and [`crate::scan::Detector::align_plan`] aligns them.

mod aligned;
mod parquet;
mod plan;

use std::path::{Path, PathBuf};

use ahash::AHashSet;
use rayon::prelude::*;

use crate::candidates::Groups;
use crate::error::{Error, Result};
use crate::lsh::LshStats;
use crate::scan::Detector;
use crate::shingle::ShingledDocument;
pub use aligned::{AlignShare, AlignedParts, aligned_dir, write_part};
use parquet::{
    Column, Value, key_values, read_rows, row_count, sketch_error, table_files, write_table,
};
pub use plan::{AlignPlan, plan_dir, read_documents};

/// The sketch format written and read; a directory of another format is
/// refused. Format 2: hard-wrapped text without blank lines is split into
/// paragraphs where a line ends short, so such documents' paragraph band
/// keys differ from format 1's.
pub const FORMAT: &str = "reprint-sketch/2";

/// Bits of a unit reference that hold the unit (the rest is the document
/// number): `doc << UNIT_BITS | unit`.
pub const UNIT_BITS: u32 = 20;

/// The candidate join in plain SQL (Spark SQL, DataFusion, Sail): two
/// statements separated by a line `-- next`, the candidates and the number
/// of crowded buckets, over a table `bands` with `{bucket_cap}` to be
/// replaced by the sketch's `--bucket-cap`.
pub const CANDIDATES_SQL: &str = include_str!("../../spark/candidates.sql");

const DOCS_SCHEMA: &str = "message docs {
    required int64 doc;
    required binary id (STRING);
    optional binary date (STRING);
    optional binary source (STRING);
    required int64 bytes;
    required binary origin (STRING);
    optional int64 line;
}";

const BANDS_SCHEMA: &str = "message bands {
    required int64 set_key;
    required int32 band;
    required int64 band_key;
    required int64 doc;
    required int32 unit;
}";

const PARAMS_KEY: &str = "reprint.params";
const FORMAT_KEY: &str = "reprint.format";

/// What [`SketchWriter::finish`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SketchSummary {
    /// Documents sketched.
    pub documents: u64,
    /// Parquet parts per table.
    pub parts: u64,
    /// Rows of the `bands` table.
    pub band_rows: u64,
}

/// Writes a sketch directory chunk by chunk (see the module docs).
#[derive(Debug)]
pub struct SketchWriter {
    dir: PathBuf,
    params: Vec<(String, String)>,
    documents: u64,
    parts: u64,
    band_rows: u64,
}

fn params_json(params: &[(String, String)]) -> serde_json::Value {
    serde_json::Value::Object(
        params
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect(),
    )
}

fn io_error(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl SketchWriter {
    /// Creates `dir` (which must not exist, or be empty) for a sketch
    /// made with `detector`'s parameters.
    pub fn create(dir: &Path, detector: &Detector) -> Result<SketchWriter> {
        match std::fs::read_dir(dir) {
            Ok(mut entries) => {
                if entries.next().is_some() {
                    return Err(sketch_error(
                        dir,
                        "the directory exists and is not empty; give a new or empty directory",
                    ));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
            }
            Err(e) => return Err(io_error(dir, e)),
        }
        for table in ["docs", "bands"] {
            let path = dir.join(table);
            std::fs::create_dir(&path).map_err(|e| io_error(&path, e))?;
        }
        Ok(SketchWriter {
            dir: dir.to_path_buf(),
            params: detector.fixed_params(),
            documents: 0,
            parts: 0,
            band_rows: 0,
        })
    }

    fn metadata(&self) -> Vec<(String, String)> {
        vec![
            (FORMAT_KEY.into(), FORMAT.into()),
            (PARAMS_KEY.into(), params_json(&self.params).to_string()),
        ]
    }

    /// Writes the next chunk of documents (numbered after the previous
    /// chunks, in the order a scan of the same inputs numbers them) as one
    /// part of each table.
    pub fn add(&mut self, detector: &Detector, docs: &[ShingledDocument]) -> Result<()> {
        let first = self.documents;
        let name = format!("part-{:05}.parquet", self.parts);
        // The first unit of each distinct shingle set in the chunk.
        let mut seen = AHashSet::new();
        let mut units: Vec<(u64, u64, u32, &[u32])> = Vec::new();
        for (i, d) in docs.iter().enumerate() {
            for (u, p) in d.paragraphs.iter().enumerate() {
                let Some(key) = p.set_key() else { continue };
                if u >= 1 << UNIT_BITS {
                    return Err(sketch_error(
                        &self.dir,
                        format!(
                            "{} has more than {} paragraphs; split it",
                            d.origin,
                            1u32 << UNIT_BITS
                        ),
                    ));
                }
                if seen.insert(key) {
                    units.push((key, first + i as u64, u as u32, &p.shingles));
                }
            }
        }
        let bands = detector.lsh_params().bands;
        let keys: Vec<Vec<u32>> = detector.install(|| {
            units
                .par_iter()
                .map_init(
                    || vec![0u32; detector.config().num_perm],
                    |signature, &(_, _, _, shingles)| {
                        let mut out = vec![0u32; bands];
                        detector.band_keys_into(shingles, signature, &mut out);
                        out
                    },
                )
                .collect()
        })?;
        let rows = units.len() * bands;
        let (mut set_key, mut band, mut band_key, mut doc, mut unit) = (
            Vec::with_capacity(rows),
            Vec::with_capacity(rows),
            Vec::with_capacity(rows),
            Vec::with_capacity(rows),
            Vec::with_capacity(rows),
        );
        for (&(key, d, u, _), keys) in units.iter().zip(&keys) {
            for (b, &k) in keys.iter().enumerate() {
                set_key.push(key as i64);
                band.push(b as i32);
                band_key.push(i64::from(k));
                doc.push(d as i64);
                unit.push(u as i32);
            }
        }
        let metadata = self.metadata();
        write_table(
            &self.dir.join("bands").join(&name),
            BANDS_SCHEMA,
            vec![
                Column::Long(set_key),
                Column::Int(band),
                Column::Long(band_key),
                Column::Long(doc),
                Column::Int(unit),
            ],
            &metadata,
        )?;
        let dates: Vec<Option<String>> = docs
            .iter()
            .map(|d| d.date.as_ref().map(|x| x.to_string()))
            .collect();
        write_table(
            &self.dir.join("docs").join(&name),
            DOCS_SCHEMA,
            vec![
                Column::Long(
                    (first..first + docs.len() as u64)
                        .map(|d| d as i64)
                        .collect(),
                ),
                Column::Str(docs.iter().map(|d| d.id.as_str()).collect()),
                Column::OptStr(dates.iter().map(|d| d.as_deref()).collect()),
                Column::OptStr(docs.iter().map(|d| d.source.as_deref()).collect()),
                Column::Long(docs.iter().map(|d| d.text_len as i64).collect()),
                Column::Str(docs.iter().map(|d| d.origin.as_str()).collect()),
                Column::OptLong(
                    docs.iter()
                        .map(|d| d.record.map(|r| r.line as i64))
                        .collect(),
                ),
            ],
            &metadata,
        )?;
        self.documents += docs.len() as u64;
        self.parts += 1;
        self.band_rows += rows as u64;
        Ok(())
    }

    /// Writes `sketch.json`, which marks the sketch complete.
    pub fn finish(self) -> Result<SketchSummary> {
        let manifest = serde_json::json!({
            "format": FORMAT,
            "documents": self.documents,
            "parts": self.parts,
            "band_rows": self.band_rows,
            "params": params_json(&self.params),
        });
        let path = self.dir.join("sketch.json");
        let tmp = self.dir.join(".sketch.json.tmp");
        let text = serde_json::to_string_pretty(&manifest)? + "\n";
        std::fs::write(&tmp, text).map_err(|e| io_error(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| io_error(&path, e))?;
        Ok(SketchSummary {
            documents: self.documents,
            parts: self.parts,
            band_rows: self.band_rows,
        })
    }
}

/// Candidate unit pairs found by a candidate join run elsewhere, checked
/// against the run that reads them.
#[derive(Debug, Clone, Default)]
pub struct LshCandidates {
    /// `(a, b)` unit references (`doc << UNIT_BITS | unit`), `a < b`.
    pairs: Vec<(u64, u64)>,
    /// Buckets over the cap, as the join counted them.
    crowded_buckets: usize,
}

fn check_params(path: &Path, found: &serde_json::Value, wanted: &[(String, String)]) -> Result<()> {
    for (k, v) in wanted {
        let got = found.get(k).and_then(|x| x.as_str());
        if got != Some(v.as_str()) {
            return Err(sketch_error(
                path,
                format!(
                    "sketched with {k} {}, this run has {v}: give the sketch's parameters, or sketch again",
                    got.unwrap_or("(not set)")
                ),
            ));
        }
    }
    Ok(())
}

/// The JSON file `path` of the sketch directory `dir`, or an error:
/// `missing` (about `dir`) when it is not there.
fn read_json(dir: &Path, path: &Path, missing: &str) -> Result<serde_json::Value> {
    let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => sketch_error(dir, missing),
        _ => io_error(path, e),
    })?;
    serde_json::from_str(&text).map_err(|e| sketch_error(path, format!("not JSON: {e}")))
}

/// Checks the sketch directory `dir`: complete (`sketch.json` written), of
/// this format, made with `detector`'s parameters.
fn check_manifest(dir: &Path, detector: &Detector) -> Result<()> {
    let manifest_path = dir.join("sketch.json");
    let manifest = read_json(
        dir,
        &manifest_path,
        "no sketch.json: not a complete sketch (run `reprint sketch` to the end)",
    )?;
    if manifest.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(sketch_error(
            &manifest_path,
            format!("not a sketch of format {FORMAT}: sketch again with this version"),
        ));
    }
    check_params(
        &manifest_path,
        &manifest["params"],
        &detector.fixed_params(),
    )
}

/// One row of a sketch's `docs` table: where a document was read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DocRow {
    id: String,
    /// `path:line` of a feed record, or the path of a text file.
    origin: String,
    /// The feed line (from 1).
    line: Option<u64>,
}

impl DocRow {
    /// The input's name in messages: the origin without the line.
    fn input(&self) -> &str {
        match self.line {
            Some(l) => self
                .origin
                .strip_suffix(&format!(":{l}"))
                .unwrap_or(&self.origin),
            None => &self.origin,
        }
    }
}

/// Calls `each(n, file, row)` for the sketched documents of `dir` in order
/// (`file` the part that lists it), after checking each part's parameters;
/// returns the number of documents. With `only` (sorted numbers), parts
/// that list none of them are not read beyond their row count, and `each`
/// may be called for the other documents of the parts that are read.
fn for_each_doc(
    dir: &Path,
    detector: &Detector,
    only: Option<&[u32]>,
    mut each: impl FnMut(usize, &Path, &DocRow) -> Result<()>,
) -> Result<usize> {
    let wanted = detector.fixed_params();
    let mut n = 0usize;
    for file in table_files(&dir.join("docs"))? {
        if let Some(only) = only {
            let rows = row_count(&file)?;
            let from = only.partition_point(|&d| (d as usize) < n);
            if only.get(from).is_none_or(|&d| d as usize >= n + rows) {
                n += rows;
                continue;
            }
        }
        let kv = key_values(&file)?;
        let params = kv
            .iter()
            .find(|(k, _)| k == PARAMS_KEY)
            .and_then(|(_, v)| serde_json::from_str(v).ok())
            .unwrap_or(serde_json::Value::Null);
        check_params(&file, &params, &wanted)?;
        read_rows(&file, &["doc", "id", "origin", "line"], |row| {
            let doc = long(&file, &row[0], "doc")?;
            if doc != n as i64 {
                return Err(sketch_error(
                    &file,
                    format!("document {doc} where document {n} was expected: sketch again"),
                ));
            }
            let text = |v: &Value| match v {
                Value::Str(s) => s.clone(),
                _ => String::new(),
            };
            let row = DocRow {
                id: text(&row[1]),
                origin: text(&row[2]),
                line: match row[3] {
                    Value::Long(l) if l > 0 => Some(l as u64),
                    _ => None,
                },
            };
            each(n, &file, &row)?;
            n += 1;
            Ok(())
        })?;
    }
    Ok(n)
}

/// The error for a run whose document `n` is not the sketch's.
fn other_document(file: &Path, n: usize, sketched: &str, found: &str) -> Error {
    sketch_error(
        file,
        format!(
            "document {n} is '{sketched}' in the sketch but '{found}' in this run: give the sketched inputs, in the same order, with the same options"
        ),
    )
}

fn long(path: &Path, v: &Value, what: &str) -> Result<i64> {
    match v {
        Value::Long(x) => Ok(*x),
        other => Err(sketch_error(
            path,
            format!("{what} is {other:?}, not an integer"),
        )),
    }
}

impl LshCandidates {
    /// Reads the candidates written into the sketch directory `dir`,
    /// after checking that `detector` has the sketch's parameters and that
    /// `docs` are the sketched documents, in the same order.
    pub fn read(
        dir: &Path,
        detector: &Detector,
        docs: &[ShingledDocument],
    ) -> Result<LshCandidates> {
        check_manifest(dir, detector)?;
        // The documents, in order.
        let n = for_each_doc(dir, detector, None, |n, file, row| match docs.get(n) {
            Some(d) if d.id == row.id => Ok(()),
            Some(d) => Err(other_document(file, n, &row.id, &d.id)),
            None => Err(sketch_error(
                dir,
                format!(
                    "the sketch has more documents than this run's {}: give the sketched inputs",
                    docs.len()
                ),
            )),
        })?;
        if n != docs.len() {
            return Err(sketch_error(
                dir,
                format!(
                    "the sketch has {n} documents, this run {}: give the sketched inputs",
                    docs.len()
                ),
            ));
        }

        let cand_dir = dir.join("candidates");
        let files = table_files(&cand_dir).map_err(|e| match e {
            Error::NotFound { .. } => sketch_error(
                dir,
                "no candidates/: run the candidate join on the sketch first (spark/candidates.py)",
            ),
            other => other,
        })?;
        let mut pairs = Vec::new();
        for file in &files {
            read_rows(file, &["a", "b"], |row| {
                let (a, b) = (long(file, &row[0], "a")?, long(file, &row[1], "b")?);
                if a < 0 || b <= a {
                    return Err(sketch_error(
                        file,
                        format!("candidate ({a}, {b}) is not a pair of unit references with a < b"),
                    ));
                }
                pairs.push((a as u64, b as u64));
                Ok(())
            })?;
        }
        let mut crowded_buckets = 0usize;
        for file in table_files(&dir.join("lsh_stats")).unwrap_or_default() {
            read_rows(&file, &["crowded_buckets"], |row| {
                crowded_buckets += long(&file, &row[0], "crowded_buckets")?.max(0) as usize;
                Ok(())
            })?;
        }
        Ok(LshCandidates {
            pairs,
            crowded_buckets,
        })
    }

    /// Candidate pairs read.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether no candidate was read.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The candidates as pairs of groups, sorted and distinct, as
    /// [`crate::lsh::candidates_from_keys`] returns them. A reference to
    /// a unit that is not the first of its group is an error: the join
    /// did not run on this sketch, or not as shipped.
    pub(crate) fn group_pairs(
        &self,
        groups: &Groups,
        para_group: &crate::candidates::ParaGroups,
    ) -> Result<(Vec<(u32, u32)>, LshStats)> {
        let mask = (1u64 << UNIT_BITS) - 1;
        let group_of = |r: u64| -> Result<u32> {
            let (d, u) = ((r >> UNIT_BITS) as usize, (r & mask) as usize);
            u32::try_from(d)
                .ok()
                .zip(u32::try_from(u).ok())
                .and_then(|(d, u)| para_group.get(d, u))
                .filter(|&g| groups.members(g as usize)[0] == (d as u32, u as u32))
                .ok_or_else(|| Error::Sketch {
                    path: PathBuf::from("candidates"),
                    message: format!(
                        "unit {u} of document {d} is not the first unit of a sketched group: the candidates were not made from this sketch by the shipped join"
                    ),
                })
        };
        let mut pairs = self
            .pairs
            .iter()
            .map(|&(a, b)| Ok((group_of(a)?, group_of(b)?)))
            .collect::<Result<Vec<(u32, u32)>>>()?;
        pairs.par_sort_unstable();
        pairs.dedup();
        let stats = LshStats {
            candidates: pairs.len(),
            crowded_buckets: self.crowded_buckets,
        };
        Ok((pairs, stats))
    }
}

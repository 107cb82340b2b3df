//! The plan of an alignment split across machines: the corpus-wide
//! decisions of a scan (exact verification of the join's candidates,
//! paragraph families and boilerplate, rewrite candidates), made once and
//! written into the sketch directory, so that each share reads only the
//! documents of its own pairs.
//!
//! `plan/` holds `pairs.parquet` (`a`, `b`: the candidate document pairs,
//! sorted), `boilerplate.parquet` (`doc`, `paragraph`: the paragraphs set
//! aside of each document in a pair, 0-based) and `plan.json`, written
//! last: the format, the number of documents and of pairs, the
//! boilerplate's text keys (see [`crate::scan`]) and the parameters.

use std::ops::Range;
use std::path::{Path, PathBuf};

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use super::parquet::{Column, read_rows, read_rows_in, sketch_error, write_table};
use super::{check_manifest, for_each_doc, io_error, long, params_json, read_json};
use crate::corpus::{Document, FeedFields, Input, Item, read_records_at};
use crate::error::Result;
use crate::scan::Detector;
use crate::shingle::ShingledDocument;

const PLAN_FORMAT: &str = "reprint-plan/1";

const PAIRS_SCHEMA: &str = "message pairs {
    required int64 a;
    required int64 b;
}";

const BOILERPLATE_SCHEMA: &str = "message boilerplate {
    required int64 doc;
    required int32 paragraph;
}";

/// The candidate document pairs of a corpus and what aligning them needs
/// besides the two documents (all of them, or one share's).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlignPlan {
    /// Documents of the corpus.
    pub documents: usize,
    /// Candidate pairs of the whole corpus.
    pub candidate_pairs: usize,
    /// Which of them this plan holds.
    pub range: Range<usize>,
    /// The pairs `(a, b)` of the range, `a < b`, sorted.
    pub pairs: Vec<(u32, u32)>,
    /// The boilerplate paragraphs `(document, paragraph)` of the
    /// documents of `pairs` (paragraphs from 0), sorted.
    pub boilerplate: Vec<(u32, u32)>,
    /// The boilerplate's text keys, sorted: lines of it run into other
    /// paragraphs are set aside too.
    pub boilerplate_keys: Vec<u64>,
}

/// The plan directory of a sketch directory.
pub fn plan_dir(sketch: &Path) -> PathBuf {
    sketch.join("plan")
}

impl AlignPlan {
    /// The documents of the plan's pairs, sorted and distinct.
    pub fn documents_needed(&self) -> Vec<u32> {
        let mut docs: Vec<u32> = self.pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
        docs.sort_unstable();
        docs.dedup();
        docs
    }

    /// The paragraphs (from 0) of document `d` set aside as boilerplate.
    pub fn boilerplate_of(&self, d: u32) -> Vec<usize> {
        let from = self.boilerplate.partition_point(|&(x, _)| x < d);
        self.boilerplate[from..]
            .iter()
            .take_while(|&&(x, _)| x == d)
            .map(|&(_, p)| p as usize)
            .collect()
    }

    /// Writes the plan (all of its pairs) into the sketch directory
    /// `sketch`, replacing any plan there; returns the plan directory.
    /// `plan.json` is written last: a plan without it is incomplete.
    pub fn write(&self, sketch: &Path, detector: &Detector) -> Result<PathBuf> {
        let dir = plan_dir(sketch);
        std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
        let manifest = dir.join("plan.json");
        match std::fs::remove_file(&manifest) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(&manifest, e)),
        }
        let params = params_json(&detector.fixed_params());
        let metadata = [(super::PARAMS_KEY.to_string(), params.to_string())];
        write_table(
            &dir.join("pairs.parquet"),
            PAIRS_SCHEMA,
            vec![
                Column::Long(self.pairs.iter().map(|&(a, _)| i64::from(a)).collect()),
                Column::Long(self.pairs.iter().map(|&(_, b)| i64::from(b)).collect()),
            ],
            &metadata,
        )?;
        write_table(
            &dir.join("boilerplate.parquet"),
            BOILERPLATE_SCHEMA,
            vec![
                Column::Long(
                    self.boilerplate
                        .iter()
                        .map(|&(d, _)| i64::from(d))
                        .collect(),
                ),
                Column::Int(self.boilerplate.iter().map(|&(_, p)| p as i32).collect()),
            ],
            &metadata,
        )?;
        let header = serde_json::json!({
            "format": PLAN_FORMAT,
            "documents": self.documents,
            "candidate_pairs": self.candidate_pairs,
            "boilerplate_keys": self.boilerplate_keys,
            "params": params,
        });
        let mut tmp = super::parquet::part_file_in(&dir)?;
        serde_json::to_writer(tmp.as_file_mut(), &header)?;
        tmp.persist(&manifest)
            .map_err(|e| io_error(&manifest, e.error))?;
        Ok(dir)
    }

    /// Reads the plan of the sketch directory `sketch` (checked against
    /// `detector`'s parameters and the sketch), keeping the pairs of the
    /// `share` range only (all of them with `None`; see
    /// [`super::AlignShare`]) and the boilerplate of their documents.
    pub fn read(
        sketch: &Path,
        detector: &Detector,
        share: Option<(usize, usize)>,
    ) -> Result<AlignPlan> {
        check_manifest(sketch, detector)?;
        let dir = plan_dir(sketch);
        let manifest = dir.join("plan.json");
        let header = read_json(
            sketch,
            &manifest,
            "no plan/plan.json: plan the alignment first (reprint align PATH... --candidates DIR --plan)",
        )?;
        if header["format"] != PLAN_FORMAT {
            return Err(sketch_error(
                &manifest,
                format!("not a plan of format {PLAN_FORMAT}: plan again with this version"),
            ));
        }
        if header["params"] != params_json(&detector.fixed_params()) {
            return Err(sketch_error(
                &manifest,
                "planned with other parameters than this run's: give the sketch's parameters, or plan again",
            ));
        }
        let num = |k: &str| -> Result<usize> {
            header[k]
                .as_u64()
                .map(|v| v as usize)
                .ok_or_else(|| sketch_error(&manifest, format!("no '{k}' in the plan")))
        };
        let (documents, candidate_pairs) = (num("documents")?, num("candidate_pairs")?);
        let boilerplate_keys: Vec<u64> = header["boilerplate_keys"]
            .as_array()
            .map(|keys| keys.iter().filter_map(|k| k.as_u64()).collect())
            .ok_or_else(|| sketch_error(&manifest, "no 'boilerplate_keys' in the plan"))?;
        let range = match share {
            Some((index, parts)) => super::aligned::share(candidate_pairs, index, parts),
            None => 0..candidate_pairs,
        };
        let file = dir.join("pairs.parquet");
        let mut pairs = Vec::with_capacity(range.len());
        // Only the row groups of the share's range are read.
        let mut row = range.start;
        let rows = read_rows_in(&file, &["a", "b"], range.clone(), |r| {
            let (a, b) = (long(&file, &r[0], "a")?, long(&file, &r[1], "b")?);
            if a < 0 || b <= a || b as usize >= documents {
                return Err(sketch_error(
                    &file,
                    format!("row {row}: ({a}, {b}) is not a pair of documents with a < b"),
                ));
            }
            pairs.push((a as u32, b as u32));
            row += 1;
            Ok(())
        })?;
        if rows != candidate_pairs || pairs.len() != range.len() {
            return Err(sketch_error(
                &file,
                format!("{rows} pairs where plan.json says {candidate_pairs}: plan again"),
            ));
        }
        let mut plan = AlignPlan {
            documents,
            candidate_pairs,
            range,
            pairs,
            boilerplate: Vec::new(),
            boilerplate_keys,
        };
        let needed = plan.documents_needed();
        let file = dir.join("boilerplate.parquet");
        read_rows(&file, &["doc", "paragraph"], |r| {
            let (d, p) = (long(&file, &r[0], "doc")?, long(&file, &r[1], "paragraph")?);
            if d >= 0 && p >= 0 && needed.binary_search(&(d as u32)).is_ok() {
                plan.boilerplate.push((d as u32, p as u32));
            }
            Ok(())
        })?;
        plan.boilerplate.sort_unstable();
        Ok(plan)
    }
}

/// The documents `numbers` (sorted) of the sketch in `sketch`, read from
/// `inputs` (the sketched inputs, resolved as the sketching run resolved
/// them) where the sketch recorded them, and shingled by `detector`:
/// element i is document `numbers[i]`, its text kept in memory. Inputs that
/// hold none of them are not opened, and a feed's other lines are skipped
/// unparsed. An error when a document is not where the sketch says, or is
/// not the sketched one (another id).
pub fn read_documents(
    sketch: &Path,
    detector: &Detector,
    inputs: &[Input],
    fields: &FeedFields,
    numbers: &[u32],
) -> Result<Vec<ShingledDocument>> {
    check_manifest(sketch, detector)?;
    // Where each wanted document is, by input: inputs are known by their
    // canonical path (the sketch may have named them otherwise, relative
    // or absolute), else by their file name when one input has it (the
    // archive mounted elsewhere on this machine).
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let by_path: HashMap<PathBuf, u32> = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| (canonical(&input.path), i as u32))
        .collect();
    let mut by_file_name: HashMap<&std::ffi::OsStr, Option<u32>> = HashMap::new();
    for (i, input) in inputs.iter().enumerate() {
        if let Some(name) = input.path.file_name() {
            by_file_name
                .entry(name)
                .and_modify(|seen| *seen = None)
                .or_insert(Some(i as u32));
        }
    }
    let input_of = |name: &str| -> Option<u32> {
        let path = Path::new(name);
        by_path.get(&canonical(path)).copied().or_else(|| {
            path.file_name()
                .and_then(|n| by_file_name.get(n).copied().flatten())
        })
    };
    // Feeds hold many documents: each input's name is resolved once.
    let mut resolved: HashMap<String, Option<u32>> = HashMap::new();
    let mut wanted: BTreeMap<u32, Vec<Located>> = BTreeMap::new();
    let mut next = 0usize;
    for_each_doc(sketch, detector, Some(numbers), |n, file, row| {
        if numbers.get(next) != Some(&(n as u32)) {
            return Ok(());
        }
        next += 1;
        let input = match resolved.get(row.input()) {
            Some(&found) => found,
            None => *resolved
                .entry(row.input().to_string())
                .or_insert_with(|| input_of(row.input())),
        };
        let input = input.ok_or_else(|| {
            sketch_error(
                file,
                format!(
                    "document {n} ('{}') was read from {}, which is not among this run's inputs: give the sketched inputs",
                    row.id,
                    row.input()
                ),
            )
        })?;
        wanted
            .entry(input)
            .or_default()
            .push((row.line.unwrap_or(0), n as u32, row.id.clone()));
        Ok(())
    })?;
    if next != numbers.len() {
        return Err(sketch_error(
            sketch,
            format!(
                "the plan names document {} but the sketch has fewer: plan again from this sketch",
                numbers[next]
            ),
        ));
    }
    let wanted: Vec<(u32, Vec<Located>)> = wanted.into_iter().collect();
    let read: Vec<Vec<(u32, Document)>> = detector.install(|| {
        wanted
            .par_iter()
            .map(|(input, docs)| read_input(&inputs[*input as usize], *input, docs, fields))
            .collect::<Result<_>>()
    })??;
    let mut read: Vec<(u32, Document)> = read.into_iter().flatten().collect();
    read.sort_unstable_by_key(|&(n, _)| n);
    let docs: Vec<Document> = read.into_iter().map(|(_, d)| d).collect();
    detector.install(|| {
        let mut shingled = detector.par_shingle(&docs);
        for (s, d) in shingled.iter_mut().zip(docs) {
            s.text = Some(d.text.into());
        }
        shingled
    })
}

/// A wanted document of an input: its feed line (0 for a text), its
/// number and its sketched id.
type Located = (u64, u32, String);

/// The documents `docs` of input number `index`, read by line (a feed) or
/// whole (a text).
fn read_input(
    input: &Input,
    index: u32,
    docs: &[Located],
    fields: &FeedFields,
) -> Result<Vec<(u32, Document)>> {
    let lines: Vec<u64> = docs.iter().map(|&(line, _, _)| line).collect();
    let mut out = Vec::with_capacity(docs.len());
    for item in read_records_at(index, input, &lines, fields) {
        match item {
            Item::Document(d) => {
                let line = d.record.map_or(0, |r| r.line);
                // An input's documents are numbered in the order of its
                // lines.
                let Ok(at) = docs.binary_search_by_key(&line, |&(l, _, _)| l) else {
                    continue;
                };
                let (_, n, id) = &docs[at];
                if d.id != *id {
                    return Err(sketch_error(
                        &input.path,
                        format!(
                            "document {n} is '{id}' in the sketch but '{}' at {}: give the sketched inputs, with the same options",
                            d.id, d.origin
                        ),
                    ));
                }
                out.push((*n, d));
            }
            Item::Error(e) => return Err(e),
            Item::Warning(_) | Item::Read(_) => {}
        }
    }
    if out.len() != docs.len() {
        return Err(sketch_error(
            &input.path,
            format!(
                "{} of the {} documents the sketch places here are not records: give the sketched inputs, with the same options",
                docs.len() - out.len(),
                docs.len()
            ),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::DetectorBuilder;
    use crate::sketch::SketchWriter;

    #[test]
    fn a_plan_is_read_back_by_share_with_its_documents_boilerplate() {
        let dir = tempfile::tempdir().unwrap();
        let sketch = dir.path().join("sketch");
        let detector = DetectorBuilder::new().build().unwrap();
        SketchWriter::create(&sketch, &detector)
            .unwrap()
            .finish()
            .unwrap();
        let plan = AlignPlan {
            documents: 6,
            candidate_pairs: 4,
            range: 0..4,
            pairs: vec![(0, 1), (0, 2), (3, 4), (4, 5)],
            boilerplate: vec![(0, 2), (1, 0), (1, 3), (4, 1), (5, 0)],
            boilerplate_keys: vec![7, u64::MAX],
        };
        assert!(AlignPlan::read(&sketch, &detector, None).is_err());
        plan.write(&sketch, &detector).unwrap();
        assert_eq!(AlignPlan::read(&sketch, &detector, None).unwrap(), plan);

        let second = AlignPlan::read(&sketch, &detector, Some((1, 2))).unwrap();
        assert_eq!(second.range, 2..4);
        assert_eq!(second.pairs, [(3, 4), (4, 5)]);
        assert_eq!(second.documents_needed(), [3, 4, 5]);
        // Only the boilerplate of the share's documents is kept.
        assert_eq!(second.boilerplate, [(4, 1), (5, 0)]);
        assert_eq!(second.boilerplate_of(4), [1]);
        assert!(second.boilerplate_of(3).is_empty());
        assert_eq!(second.boilerplate_keys, plan.boilerplate_keys);

        // A plan made with other parameters is refused.
        let other = DetectorBuilder::new().threshold(0.6).build().unwrap();
        assert!(AlignPlan::read(&sketch, &other, None).is_err());
    }
}

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

use super::parquet::{Column, read_rows, sketch_error, write_table};
use super::{check_manifest, for_each_doc, io_error, long, other_document, params_json};
use crate::error::{Error, Result};
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
        let text = std::fs::read_to_string(&manifest).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => sketch_error(
                sketch,
                "no plan/plan.json: plan the alignment first (reprint align PATH... --candidates DIR --plan)",
            ),
            _ => io_error(&manifest, e),
        })?;
        let header: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| sketch_error(&manifest, format!("not JSON: {e}")))?;
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
        let mut row = 0usize;
        read_rows(&file, &["a", "b"], |r| {
            if range.contains(&row) {
                let (a, b) = (long(&file, &r[0], "a")?, long(&file, &r[1], "b")?);
                if a < 0 || b <= a || b as usize >= documents {
                    return Err(sketch_error(
                        &file,
                        format!("row {row}: ({a}, {b}) is not a pair of documents with a < b"),
                    ));
                }
                pairs.push((a as u32, b as u32));
            }
            row += 1;
            Ok(())
        })?;
        if row != candidate_pairs {
            return Err(sketch_error(
                &file,
                format!("{row} pairs where plan.json says {candidate_pairs}: plan again"),
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

/// Checks that `docs` (document `numbers[i]` is `docs[i]`) are the
/// sketch's documents of those numbers, and that the sketch has
/// `documents` documents.
pub fn check_documents(
    sketch: &Path,
    detector: &Detector,
    documents: usize,
    numbers: &[u32],
    docs: &[ShingledDocument],
) -> Result<()> {
    let mut next = 0usize;
    let n = for_each_doc(sketch, detector, |n, file, id| {
        if numbers.get(next) == Some(&(n as u32)) {
            if docs[next].id != id {
                return Err(other_document(file, n, id, &docs[next].id));
            }
            next += 1;
        }
        Ok(())
    })?;
    if n != documents || next != numbers.len() {
        return Err(Error::Sketch {
            path: sketch.to_path_buf(),
            message: format!(
                "the sketch has {n} documents, the plan {documents}: plan again from this sketch"
            ),
        });
    }
    Ok(())
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

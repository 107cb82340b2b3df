//! Alignment split across machines: each takes a contiguous share of the
//! planned candidate document pairs ([`super::AlignPlan`]), reads only
//! their documents and writes the pairs it decided to
//! `aligned/part-KKKKK-of-NNNNN.jsonl` in the sketch directory; a last run
//! reads every share back instead of aligning, and reports as a scan does.
//!
//! A part file is JSON Lines: a header (`format`, `part`, `parts`,
//! `candidate_pairs`, `start`, `end`, `params`), then one decided pair per
//! line, documents by number.

use std::io::{BufRead, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::parquet::{part_file_in, sketch_error};
use super::{io_error, params_json};
use crate::error::{Error, Result};
use crate::reuse::ReusePair;
use crate::scan::Detector;

const ALIGNED_FORMAT: &str = "reprint-aligned/1";

/// Which candidate document pairs a run aligns.
#[derive(Debug, Clone, Default)]
pub enum AlignShare {
    /// All of them, as a scan does.
    #[default]
    All,
    /// None: their pairs come from the shares aligned before
    /// ([`crate::scan::Detector::align_plan`] on each share of an
    /// [`crate::sketch::AlignPlan`]).
    Aligned(AlignedParts),
}

impl AlignShare {
    /// The range aligned of `n` candidate pairs (empty for
    /// [`AlignShare::Aligned`]).
    pub fn range(&self, n: usize) -> Range<usize> {
        match self {
            AlignShare::All => 0..n,
            AlignShare::Aligned(_) => 0..0,
        }
    }
}

/// The `index`-th (0-based) of `parts` contiguous shares of `n` pairs.
pub(super) fn share(n: usize, index: usize, parts: usize) -> Range<usize> {
    let at = |k: usize| (n as u128 * k as u128 / parts.max(1) as u128) as usize;
    at(index)..at(index + 1)
}

/// The pairs of every aligned share of a sketch, read back.
#[derive(Debug, Clone, Default)]
pub struct AlignedParts {
    dir: PathBuf,
    candidate_pairs: usize,
    pairs: Vec<ReusePair>,
}

/// The aligned shares' directory in a sketch directory.
pub fn aligned_dir(sketch: &Path) -> PathBuf {
    sketch.join("aligned")
}

/// Writes the pairs of a run that aligned share `index` of `parts` of
/// `total` candidate pairs ([`crate::sketch::AlignPlan::read`]) into the
/// sketch directory `sketch`; returns the file written. The file appears whole or not at all.
pub fn write_part(
    sketch: &Path,
    detector: &Detector,
    pairs: &[ReusePair],
    total: usize,
    index: usize,
    parts: usize,
) -> Result<PathBuf> {
    let dir = aligned_dir(sketch);
    std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
    let range = share(total, index, parts);
    let header = serde_json::json!({
        "format": ALIGNED_FORMAT,
        "part": index + 1,
        "parts": parts,
        "candidate_pairs": total,
        "start": range.start,
        "end": range.end,
        "params": params_json(&detector.fixed_params()),
    });
    let path = dir.join(format!("part-{:05}-of-{parts:05}.jsonl", index + 1));
    let mut tmp = part_file_in(&dir)?;
    {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        serde_json::to_writer(&mut w, &header)?;
        w.write_all(b"\n")?;
        for pair in pairs {
            serde_json::to_writer(&mut w, pair)?;
            w.write_all(b"\n")?;
        }
        w.flush()?;
    }
    tmp.persist(&path).map_err(|e| io_error(&path, e.error))?;
    Ok(path)
}

impl AlignedParts {
    /// Reads every share in the sketch directory `sketch`, or `None` when
    /// none was aligned. Shares of another split, missing or repeated
    /// shares and shares aligned with other parameters are errors.
    pub fn read(sketch: &Path, detector: &Detector) -> Result<Option<AlignedParts>> {
        let dir = aligned_dir(sketch);
        let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
            Ok(entries) => entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("part-") && n.ends_with(".jsonl"))
                })
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error(&dir, e)),
        };
        if files.is_empty() {
            return Ok(None);
        }
        files.sort();
        let wanted = params_json(&detector.fixed_params());
        let mut seen: Vec<Option<Range<usize>>> = Vec::new();
        let mut total = None;
        let mut pairs = Vec::new();
        for file in &files {
            let reader =
                std::io::BufReader::new(std::fs::File::open(file).map_err(|e| io_error(file, e))?);
            let mut lines = reader.lines().enumerate();
            let bad = |line: usize, what: String| {
                sketch_error(file, format!("line {}: {what}", line + 1))
            };
            let header: serde_json::Value = match lines.next() {
                Some((i, line)) => {
                    let line = line.map_err(|e| io_error(file, e))?;
                    serde_json::from_str(&line).map_err(|e| bad(i, format!("not JSON: {e}")))?
                }
                None => return Err(sketch_error(file, "empty: align this share again")),
            };
            if header["format"] != ALIGNED_FORMAT {
                return Err(bad(0, format!("not a share of format {ALIGNED_FORMAT}")));
            }
            if header["params"] != wanted {
                return Err(bad(
                    0,
                    "aligned with other parameters than this run's: align it again".into(),
                ));
            }
            let num = |k: &str| -> Result<usize> {
                header[k]
                    .as_u64()
                    .map(|v| v as usize)
                    .ok_or_else(|| bad(0, format!("no '{k}' in the header")))
            };
            // Shares are numbered from 1 in files and messages.
            let (part, parts, n) = (
                num("part")?.wrapping_sub(1),
                num("parts")?,
                num("candidate_pairs")?,
            );
            if seen.is_empty() {
                seen = vec![None; parts];
            }
            if seen.len() != parts || part >= parts {
                return Err(bad(
                    0,
                    format!(
                        "share {} of {parts}, but other shares are of {}: keep the shares of one split only",
                        part.wrapping_add(1),
                        seen.len()
                    ),
                ));
            }
            if *total.get_or_insert(n) != n {
                return Err(bad(0, "another number of candidate pairs than the other shares: align them again from one sketch".into()));
            }
            let range = num("start")?..num("end")?;
            if range != share(n, part, parts) {
                return Err(bad(
                    0,
                    format!(
                        "share {} of {parts} covers {range:?}, not its share of {n} pairs",
                        part + 1
                    ),
                ));
            }
            if seen[part].replace(range).is_some() {
                return Err(bad(
                    0,
                    format!("share {} of {parts} is there twice", part + 1),
                ));
            }
            for (i, line) in lines {
                let line = line.map_err(|e| io_error(file, e))?;
                let pair: ReusePair =
                    serde_json::from_str(&line).map_err(|e| bad(i, format!("not a pair: {e}")))?;
                pairs.push(pair);
            }
        }
        let missing: Vec<String> = seen
            .iter()
            .enumerate()
            .filter(|(_, r)| r.is_none())
            .map(|(k, _)| (k + 1).to_string())
            .collect();
        if !missing.is_empty() {
            return Err(sketch_error(
                &dir,
                format!(
                    "shares {} of {} are not aligned yet: run `reprint align --part K/{}` for each",
                    missing.join(", "),
                    seen.len(),
                    seen.len()
                ),
            ));
        }
        Ok(Some(AlignedParts {
            dir,
            candidate_pairs: total.unwrap_or(0),
            pairs,
        }))
    }

    /// The pairs, after checking that the shares cover `candidates` (the
    /// run's candidate document pairs, sorted) and nothing else.
    pub(crate) fn pairs_for(&self, candidates: &[(u32, u32)]) -> Result<Vec<ReusePair>> {
        let mismatch = || Error::Sketch {
            path: self.dir.clone(),
            message: format!(
                "the shares were aligned from {} candidate pairs, this run has {}: align them again from this sketch",
                self.candidate_pairs,
                candidates.len()
            ),
        };
        if self.candidate_pairs != candidates.len() {
            return Err(mismatch());
        }
        for p in &self.pairs {
            let (a, b) = (p.copy.min(p.source) as u32, p.copy.max(p.source) as u32);
            if candidates.binary_search(&(a, b)).is_err() {
                return Err(mismatch());
            }
        }
        Ok(self.pairs.clone())
    }
}

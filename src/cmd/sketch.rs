//! `reprint sketch`: fingerprints written to Parquet for a candidate join
//! on a distributed engine; `reprint align`: one share of its candidates
//! aligned.

use std::process::ExitCode;

use anyhow::{Context, Result};

use super::{engine_config, load};
use crate::cli::{AlignShareOpts, SketchOpts};
use reprint::scan::Detector;
use reprint::sketch::{AlignShare, LshCandidates, SketchWriter, write_part};

/// Loads the inputs chunk by chunk and writes each chunk as one part.
/// Exit status 0, or 2 when any input failed (the others are sketched).
pub fn run(o: SketchOpts) -> Result<ExitCode> {
    if o.chunk == 0 {
        anyhow::bail!("invalid parameter --chunk: must be at least 1");
    }
    let detector = Detector::new(engine_config(&o.run.engine, o.run.threshold))?;
    let mut writer = SketchWriter::create(&o.output, &detector)
        .with_context(|| "cannot create the sketch".to_string())?;
    let corpus = load::load_each(&o.paths, None, &o.run.input, &detector, o.chunk, |docs| {
        writer
            .add(&detector, &docs)
            .context("cannot write the sketch")?;
        Ok(())
    })?;
    let summary = writer.finish().context("cannot write the sketch")?;
    if !o.run.input.quiet {
        eprintln!(
            "reprint: sketched {} documents into {} ({} part{}, {} band rows); next: spark-submit spark/candidates.py {}",
            summary.documents,
            o.output.display(),
            summary.parts,
            if summary.parts == 1 { "" } else { "s" },
            summary.band_rows,
            o.output.display(),
        );
    }
    Ok(ExitCode::from(if corpus.failed { 2 } else { 0 }))
}

/// `K/N` (from 1) as a 0-based index and a count.
fn parse_part(part: &str) -> Result<(usize, usize)> {
    let parsed = part.split_once('/').and_then(|(k, n)| {
        let (k, n) = (
            k.trim().parse::<usize>().ok()?,
            n.trim().parse::<usize>().ok()?,
        );
        (1..=n).contains(&k).then_some((k - 1, n))
    });
    parsed.ok_or_else(|| {
        anyhow::anyhow!("invalid parameter --part: '{part}' is not K/N with 1 <= K <= N (e.g. 2/4)")
    })
}

/// Aligns one share of the sketch's candidate pairs and writes its pairs
/// into the sketch directory. Exit status 0, or 2 when any input failed.
pub fn align(o: AlignShareOpts) -> Result<ExitCode> {
    let (index, parts) = parse_part(&o.part)?;
    let detector = Detector::new(engine_config(&o.run.engine, o.run.threshold))?;
    let corpus = load::load(&o.paths, None, &o.run.input, &detector)?;
    let given = LshCandidates::read(&o.candidates, &detector, &corpus.documents)?;
    let spinner = load::stage(o.run.input.quiet, "aligning a share of the candidates");
    let report = detector.scan_with_candidates(
        corpus.documents,
        &given,
        &AlignShare::Part { index, parts },
        &mut reprint::scan::StageTimes::new(),
    )?;
    spinner.finish_and_clear();
    let path = write_part(&o.candidates, &detector, &report, index, parts)
        .context("cannot write the aligned share")?;
    if !o.run.input.quiet {
        let range = AlignShare::Part { index, parts }.range(report.stats.candidate_pairs);
        eprintln!(
            "reprint: share {}/{parts}: aligned candidate pairs {}..{} of {}, {} with reuse, in {}",
            index + 1,
            range.start,
            range.end,
            report.stats.candidate_pairs,
            report.pairs.len(),
            path.display()
        );
    }
    Ok(ExitCode::from(if corpus.failed { 2 } else { 0 }))
}

#[cfg(test)]
mod tests {
    use super::parse_part;

    #[test]
    fn parts_are_k_of_n_from_one() {
        assert_eq!(parse_part("1/1").unwrap(), (0, 1));
        assert_eq!(parse_part("3/4").unwrap(), (2, 4));
        for bad in ["0/4", "5/4", "4", "a/b", "1/0", ""] {
            assert!(parse_part(bad).is_err(), "{bad}");
        }
    }
}

//! `reprint sketch`: fingerprints written to Parquet for a candidate join
//! on a distributed engine; `reprint align`: one share of its candidates
//! aligned.

use std::process::ExitCode;

use anyhow::{Context, Result};

use super::{engine_config, load};
use crate::cli::{AlignShareOpts, SketchOpts};
use reprint::corpus::resolve_inputs;
use reprint::scan::Detector;
use reprint::sketch::{AlignPlan, LshCandidates, SketchWriter, read_documents, write_part};

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

/// Plans the alignment of the sketch's candidates (`--plan`), or aligns
/// one share of the plan's pairs, reading only their documents, and
/// writes them into the sketch directory. Exit status 0, or 2 when any
/// input failed.
pub fn align(o: AlignShareOpts) -> Result<ExitCode> {
    let detector = Detector::new(engine_config(&o.run.engine, o.run.threshold))?;
    if o.plan {
        return plan(o, &detector);
    }
    let (index, parts) = parse_part(&o.part)?;
    let plan = AlignPlan::read(&o.candidates, &detector, Some((index, parts)))?;
    let numbers = plan.documents_needed();
    let options = load::load_options(&o.run.input);
    // An input that cannot be resolved matters only when it holds a
    // document of the share (an error then names it).
    let (inputs, errors) = resolve_inputs(&o.paths, &options);
    for e in &errors {
        eprintln!(
            "reprint: error: {}",
            reprint::report::printable(&e.to_string())
        );
    }
    let documents = read_documents(&o.candidates, &detector, &inputs, &options.fields, &numbers)
        .context("cannot read the share's documents")?;
    let spinner = load::stage(o.run.input.quiet, "aligning a share of the candidates");
    let pairs = detector.align_plan(&plan, &numbers, &documents)?;
    spinner.finish_and_clear();
    let path = write_part(
        &o.candidates,
        &detector,
        &pairs,
        plan.candidate_pairs,
        index,
        parts,
    )
    .context("cannot write the aligned share")?;
    if !o.run.input.quiet {
        eprintln!(
            "reprint: share {}/{parts}: aligned candidate pairs {}..{} of {} (documents read: {} of {}), {} with reuse, in {}",
            index + 1,
            plan.range.start,
            plan.range.end,
            plan.candidate_pairs,
            numbers.len(),
            plan.documents,
            pairs.len(),
            path.display()
        );
    }
    Ok(ExitCode::from(if errors.is_empty() { 0 } else { 2 }))
}

/// `align --plan`: the corpus-wide decisions, once, into DIR/plan/.
fn plan(o: AlignShareOpts, detector: &Detector) -> Result<ExitCode> {
    let corpus = load::load(&o.paths, None, &o.run.input, detector)?;
    let given = LshCandidates::read(&o.candidates, detector, &corpus.documents)?;
    let spinner = load::stage(o.run.input.quiet, "planning the alignment");
    let plan = detector.plan_with_candidates(
        corpus.documents,
        &given,
        &mut reprint::scan::StageTimes::new(),
    )?;
    let dir = plan
        .write(&o.candidates, detector)
        .context("cannot write the plan")?;
    spinner.finish_and_clear();
    if !o.run.input.quiet {
        eprintln!(
            "reprint: planned {} candidate pairs of {} documents into {}; next: reprint align PATH... --candidates {} --part K/N, one share per machine",
            plan.candidate_pairs,
            plan.documents,
            dir.display(),
            o.candidates.display()
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

//! `reprint eval`: aligns every labelled pair of truth files and scores
//! the result.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use rayon::prelude::*;

use super::Output;
use crate::cli::CompareFormatArg;
use crate::cli::EvalOpts;
use reprint::corpus::{Document, decode_lenient};
use reprint::eval::{
    EvalDocument, PairResult, TruthPair, detect_pair, parse_truth, score_feed, summarize,
};
use reprint::report;

/// Runs the evaluation. Exit status 0, or 2 when a truth file or a document
/// cannot be read.
pub fn run(o: EvalOpts) -> Result<ExitCode> {
    let started = Instant::now();
    if let Some(p) = &o.pairs {
        let mut inputs = o.truth.clone();
        inputs.extend(o.feed.iter().cloned());
        super::check_outputs(&[("--pairs", p)], &inputs)?;
    }
    let config = super::align_config(&o.engine.align);
    let mut truth: Vec<TruthPair> = Vec::new();
    for path in &o.truth {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read truth file '{}'", path.display()))?;
        let base = o
            .root
            .clone()
            .or_else(|| path.parent().map(Path::to_path_buf))
            .unwrap_or_default();
        let pairs = parse_truth(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        // With --feed the truth names documents by id, not by path.
        let by_id = !o.feed.is_empty();
        truth.extend(pairs.into_iter().map(|mut p| {
            if by_id {
                return p;
            }
            p.copy = base.join(&p.copy).display().to_string();
            p.source = base.join(&p.source).display().to_string();
            p
        }));
    }

    if !o.feed.is_empty() {
        return run_feed(&o, truth, started);
    }
    // The detector's thread pool, as every command uses it.
    let detector =
        reprint::scan::Detector::new(super::engine_config(&o.engine, o.paragraph_threshold))?;
    let work = || -> Result<Vec<PairResult>> {
        let mut paths: Vec<&str> = truth
            .iter()
            .flat_map(|t| [t.copy.as_str(), t.source.as_str()])
            .collect();
        paths.sort_unstable();
        paths.dedup();
        let docs: HashMap<&str, Document> = paths
            .par_iter()
            .map(|&p| -> Result<(&str, Document)> {
                let bytes = std::fs::read(p).with_context(|| format!("cannot read '{p}'"))?;
                Ok((p, Document::from_text(p, p, decode_lenient(bytes))))
            })
            .collect::<Result<_>>()?;
        let prepared: HashMap<&str, EvalDocument> = docs
            .par_iter()
            .map(|(&p, d)| (p, EvalDocument::new(d)))
            .collect();
        Ok(truth
            .par_iter()
            .map(|t| {
                detect_pair(
                    &prepared[t.copy.as_str()],
                    &prepared[t.source.as_str()],
                    &config,
                )
            })
            .collect())
    };
    let results = detector.install(work)??;
    let groups = summarize(&truth, &results);
    if let Some(path) = &o.pairs {
        let mut out = Output::open(Some(path))?;
        for (t, r) in truth.iter().zip(&results) {
            let line = serde_json::json!({
                "copy": t.copy,
                "source": t.source,
                "label": t.label,
                "group": t.group,
                "score": r.score,
                "copy_in_source": r.pair.copy_in_source,
                "source_in_copy": r.pair.source_in_copy,
                "verbatim": r.pair.verbatim,
                "best_sentence": r.pair.best_sentence,
                "grams_copy_in_source": r.pair.grams_copy_in_source,
                "grams_source_in_copy": r.pair.grams_source_in_copy,
                "truth": t.spans.iter().map(|s| serde_json::json!({"copy": s.copy, "source": s.source})).collect::<Vec<_>>(),
                "detections": r.detections.iter().map(|s| serde_json::json!({"copy": s.copy, "source": s.source})).collect::<Vec<_>>(),
            });
            writeln!(out.writer(), "{line}")?;
        }
        out.finish()?;
    }
    let mut out = Output::open(None)?;
    match o.format {
        CompareFormatArg::Table => {
            report::write_eval_table(&groups, out.writer())?;
            writeln_time(out.writer(), truth.len(), started)?;
        }
        CompareFormatArg::Json => report::write_eval_json(&groups, out.writer())?,
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

fn writeln_time(out: &mut dyn std::io::Write, pairs: usize, started: Instant) -> Result<()> {
    writeln!(
        out,
        "{pairs} pairs in {:.2} s",
        started.elapsed().as_secs_f64()
    )?;
    Ok(())
}

/// Scores `scan` and `dedup` of the feeds against truth pairs named by id.
fn run_feed(o: &EvalOpts, truth: Vec<TruthPair>, started: Instant) -> Result<ExitCode> {
    let detector =
        reprint::scan::Detector::new(super::engine_config(&o.engine, o.paragraph_threshold))?;
    let corpus = super::load::load(&o.feed, None, &o.input, &detector)?;
    let spinner = super::load::stage(o.input.quiet, "finding and aligning reuse");
    let report = detector.scan_shingled(corpus.documents)?;
    spinner.finish_and_clear();
    let clusters =
        reprint::cluster::cluster(&report, o.dedup_threshold, reprint::cluster::Keep::Earliest);
    let scores = score_feed(&truth, &report, &clusters, o.dedup_threshold);
    let audit = reprint::audit::Audit::build(&report, &reprint::audit::AuditConfig::default())?;
    let audit_scores = reprint::eval::score_audit(&truth, &report, &audit);
    let mut out = Output::open(None)?;
    match o.format {
        CompareFormatArg::Table => {
            report::write_feed_eval_table(&scores, out.writer())?;
            report::write_audit_eval_table(&audit_scores, out.writer())?;
            writeln!(
                out.writer(),
                "{} articles in {:.2} s",
                report.documents.len(),
                started.elapsed().as_secs_f64()
            )?;
        }
        CompareFormatArg::Json => {
            report::write_feed_eval_json(&scores, Some(&audit_scores), out.writer())?
        }
    }
    out.finish()?;
    Ok(ExitCode::from(if corpus.failed { 2 } else { 0 }))
}

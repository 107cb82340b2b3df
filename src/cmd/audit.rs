//! `reprint audit`: outlet flows, stories, lags and credit from the pairs
//! `scan` finds.

use std::process::ExitCode;

use anyhow::{Context, Result};

use super::{Output, engine_config, load};
use crate::cli::{AuditFormatArg, AuditOpts, SourceFromArg};
use reprint::audit::{Aliases, Audit, AuditConfig};
use reprint::report;
use reprint::scan::Detector;

/// Loads, scans, audits, reports. Exit status 0 with reuse, 1 without, 2
/// when any input failed.
pub fn run(o: AuditOpts) -> Result<ExitCode> {
    let aliases = Aliases::parse(&o.alias).map_err(|e| anyhow::anyhow!("invalid --alias: {e}"))?;
    let mut config = engine_config(&o.engine, o.threshold);
    // The audit needs pairs, not the document matrix.
    config.matrix_limit = 0;
    let detector = Detector::new(config)?;

    let mut outputs: Vec<(&str, &std::path::Path)> = Vec::new();
    if let Some(p) = &o.output {
        outputs.push(("--output", p));
    }
    if let Some(p) = &o.stories_csv {
        outputs.push(("--stories-csv", p));
    }
    super::check_outputs(&outputs, &load::input_files(&o.paths, &o.input))?;

    let mut times = reprint::scan::StageTimes::new();
    let mut corpus = load::load(&o.paths, None, &o.input, &detector)?;
    times.lap("read and shingle");
    if o.source_from == SourceFromArg::Dir {
        for d in corpus.documents.iter_mut().filter(|d| d.record.is_none()) {
            d.source = std::path::Path::new(&d.origin)
                .parent()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned());
        }
    }
    let spinner = load::stage(o.input.quiet, "finding and aligning reuse");
    let report = super::scan_documents(
        &detector,
        corpus.documents,
        o.distributed.candidates.as_deref(),
        &mut times,
    )?;
    spinner.finish_and_clear();
    times.restart();
    let audit = Audit::build(&report, &AuditConfig { aliases })?;
    times.lap("audit");

    let format =
        o.format
            .unwrap_or_else(|| match o.output.as_deref().map(super::scan::format_of) {
                Some(report::Format::Json) => AuditFormatArg::Json,
                Some(report::Format::Csv) => AuditFormatArg::Csv,
                Some(report::Format::Html) => AuditFormatArg::Html,
                _ => AuditFormatArg::Table,
            });
    let mut out = Output::open(o.output.as_deref())?;
    match format {
        AuditFormatArg::Table => {
            report::write_audit_table(&report, &audit, o.stories, out.writer())?
        }
        AuditFormatArg::Json => report::write_audit_json(&report, &audit, out.writer())?,
        AuditFormatArg::Csv => report::write_audit_csv(&audit, out.writer())?,
        AuditFormatArg::Html => report::write_audit_html(&report, &audit, out.writer())?,
    }
    out.finish()?;
    if let Some(path) = &o.stories_csv {
        let mut out = Output::open(Some(path))?;
        report::write_stories_csv(&report, &audit, out.writer())
            .with_context(|| format!("cannot write '{}'", path.display()))?;
        out.finish()?;
    }
    times.lap("write report");
    super::print_timings(o.engine.timings, &times);

    Ok(ExitCode::from(if corpus.failed {
        2
    } else if audit.stories.is_empty() {
        1
    } else {
        0
    }))
}

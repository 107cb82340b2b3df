//! `reprint scan`: all-against-all reuse detection over files, folders and
//! feeds.

use std::process::ExitCode;

use anyhow::{Context, Result};

use super::{Output, engine_config, load};
use crate::cli::{FormatArg, MetricArg, ScanOpts};
use reprint::report::{self, Format};
use reprint::scan::{Detector, Metric};

/// Loads, scans, reports. Exit status 0 with reuse, 1 without, 2 when any
/// input failed.
pub fn run(o: ScanOpts) -> Result<ExitCode> {
    let mut config = engine_config(&o.engine, o.threshold);
    config.metric = match o.metric {
        MetricArg::Containment => Metric::Containment,
        MetricArg::Jaccard => Metric::Jaccard,
    };
    config.matrix_limit = o.matrix_limit;
    let detector = Detector::new(config)?;
    if o.explain {
        super::params::explain(
            &mut std::io::stderr().lock(),
            detector.lsh_params(),
            o.threshold,
            o.engine.num_perm,
        )?;
    }

    let mut outputs: Vec<(&str, &std::path::Path)> = Vec::new();
    if let Some(p) = &o.output {
        outputs.push(("--output", p));
    }
    if let Some(p) = &o.matrix_csv {
        outputs.push(("--matrix-csv", p));
    }
    super::check_outputs(&outputs, &load::input_files(&o.paths, &o.input))?;

    let mut times = reprint::scan::StageTimes::new();
    let corpus = load::load(&o.paths, None, &o.input, &detector)?;
    times.lap("read and shingle");
    let spinner = load::stage(o.input.quiet, "finding and aligning reuse");
    let report = super::scan_documents(
        &detector,
        corpus.documents,
        o.distributed.candidates.as_deref(),
        &mut times,
    )?;
    spinner.finish_and_clear();
    times.restart();

    let format = match o.format {
        Some(FormatArg::Table) => Format::Table,
        Some(FormatArg::Json) => Format::Json,
        Some(FormatArg::Jsonl) => Format::Jsonl,
        Some(FormatArg::Csv) => Format::Csv,
        Some(FormatArg::Html) => Format::Html,
        None => o.output.as_deref().map_or(Format::Table, format_of),
    };
    let mut out = Output::open(o.output.as_deref())?;
    report::write(&report, format, out.writer())?;
    out.finish()?;
    if let Some(path) = &o.matrix_csv {
        let mut out = Output::open(Some(path))?;
        report::write_matrix_csv(&report, out.writer())
            .with_context(|| format!("cannot write '{}'", path.display()))?;
        out.finish()?;
    }
    times.lap("write report");
    super::print_timings(o.engine.timings, &times);

    Ok(ExitCode::from(if corpus.failed {
        2
    } else if report.pairs.is_empty() {
        1
    } else {
        0
    }))
}

/// The report format an output file's name asks for (`.gz` aside): `.json`,
/// `.csv`, `.html`/`.htm`; anything else is the table.
pub(super) fn format_of(path: &std::path::Path) -> Format {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("json") => Format::Json,
        Some("jsonl" | "ndjson") => Format::Jsonl,
        Some("csv") => Format::Csv,
        Some("html" | "htm") => Format::Html,
        _ => Format::Table,
    }
}

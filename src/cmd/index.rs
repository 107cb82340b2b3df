//! `reprint index`: add, query, stats, evict, compact.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use super::{Output, engine_config, load};
use crate::cli::{
    FormatArg, IndexAddOpts, IndexCommand, IndexCompactOpts, IndexEvictOpts, IndexRunOpts,
    IndexStatsOpts,
};
use reprint::date::{Date, format_day};
use reprint::index::Index;
use reprint::report::{self, Format, printable};
use reprint::scan::{Detector, ScanReport};

/// Runs an index subcommand.
pub fn run(c: IndexCommand) -> Result<ExitCode> {
    match c {
        IndexCommand::Add(o) => add(o),
        IndexCommand::Query(o) => query(o),
        IndexCommand::Stats(o) => stats(o),
        IndexCommand::Evict(o) => evict(o),
        IndexCommand::Compact(o) => compact(o),
    }
}

/// Articles per batch of an add to an index that is not empty.
const DEFAULT_BATCH: usize = 50_000;

/// Files in an index from which an add suggests compacting it: a bulk
/// add leaves a file per batch, and a query of 20 files took 68 ms where
/// one took 45 (1 million articles).
const COMPACT_HINT_FILES: usize = 16;

/// `30d`, `30` → 30.
fn parse_window(w: &str) -> Result<u32> {
    let digits = w.trim().strip_suffix('d').unwrap_or(w.trim());
    match digits.parse::<u32>() {
        Ok(n) if n > 0 => Ok(n),
        _ => bail!("--window '{w}': give a number of days, such as 30d"),
    }
}

fn format(f: Option<FormatArg>, output: Option<&std::path::Path>) -> Format {
    match f {
        Some(FormatArg::Table) => Format::Table,
        Some(FormatArg::Json) => Format::Json,
        Some(FormatArg::Jsonl) => Format::Jsonl,
        Some(FormatArg::Csv) => Format::Csv,
        Some(FormatArg::Html) => Format::Html,
        None => output.map_or(Format::Table, super::scan::format_of),
    }
}

fn write_report(
    report: &ScanReport,
    f: Option<FormatArg>,
    output: Option<&std::path::Path>,
) -> Result<()> {
    let mut out = Output::open(output)?;
    report::write(report, format(f, output), out.writer())?;
    out.finish()
}

fn plural(n: impl Into<u64>, what: &str) -> String {
    let n = n.into();
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

fn add(a: IndexAddOpts) -> Result<ExitCode> {
    let window = a.window.as_deref().map(parse_window).transpose()?;
    let o = a.run;
    let asked = engine_config(&o.engine, o.threshold);
    let mut index = Index::open_writer(&o.dir, &Detector::new(asked.clone())?, window)
        .with_context(|| format!("cannot open the index '{}'", o.dir.display()))?;
    let detector = Detector::new(index.resolve(&asked)?)?;
    index.set_segment_docs(a.segment_size);
    if let Some(p) = &o.output {
        super::check_outputs(&[("--output", p)], &load::input_files(&o.paths, &o.input))?;
    }
    // The feed is added in batches of --batch-size articles as it is read,
    // each checked against the index as the batches before it left it. An
    // empty index has nothing to check a batch against: it takes the whole
    // feed as a scan does (texts and shingle sets beyond their memory
    // budgets in temporary files), and files it a segment at a time.
    let was_empty = index.is_empty();
    let batch_size = match a.batch_size {
        Some(n) => n.max(1),
        None if was_empty => usize::MAX,
        None => DEFAULT_BATCH,
    };
    let mut total: Option<reprint::index::Added> = None;
    // JSON Lines are written batch by batch, so that the report of a large
    // feed is not held; the other formats need the whole report.
    let mut stream = match format(o.format, o.output.as_deref()) {
        Format::Jsonl => Some((
            Output::open(o.output.as_deref())?,
            report::JsonlStream::default(),
        )),
        _ => None,
    };
    let today = reprint::date::today();
    let corpus = load::load_each(&o.paths, None, &o.input, &detector, batch_size, |docs| {
        let mut added = index
            .add(&detector, docs, today)
            .with_context(|| format!("cannot add to the index '{}'", o.dir.display()))?;
        if let Some((out, written)) = stream.as_mut() {
            written.part(&added.report, out.writer())?;
            added.report.clear_findings();
        }
        match total.as_mut() {
            Some(t) => t.append(added),
            None => {
                added.drop_unquoted_texts();
                total = Some(added);
            }
        }
        Ok(())
    })?;
    let Some(added) = total else {
        // Loading said why (no input, or every input failed).
        return Ok(ExitCode::from(2));
    };
    if !o.input.quiet {
        let stats = index.stats();
        let dir = printable(&o.dir.display().to_string());
        if was_empty {
            // Nothing was indexed to check the articles against: the
            // report is that of a scan of them.
            eprintln!(
                "reprint: indexed {} in '{dir}' ({}, {} in {})",
                plural(added.added as u64, "article"),
                plural(stats.partitions.len() as u64, "day"),
                human_bytes(stats.bytes),
                plural(stats.segments as u64, "file"),
            );
        } else {
            eprintln!(
                "reprint: added {} to '{dir}' (now {} in {}); checked against {}",
                plural(added.added as u64, "article"),
                plural(stats.documents, "article"),
                plural(stats.partitions.len() as u64, "day"),
                plural(added.neighbours as u64, "indexed article"),
            );
        }
        if !added.already_indexed.is_empty() {
            let shown: Vec<String> = added
                .already_indexed
                .iter()
                .take(5)
                .map(|(id, _)| printable(id))
                .collect();
            eprintln!(
                "reprint: {} left out: the id is already indexed or repeated in the batch ({}{})",
                plural(added.already_indexed.len() as u64, "article"),
                shown.join(", "),
                if added.already_indexed.len() > 5 {
                    ", …"
                } else {
                    ""
                }
            );
        }
        if !added.evicted.is_empty() {
            let days: Vec<String> = added.evicted.iter().map(|&d| format_day(d)).collect();
            eprintln!(
                "reprint: the window dropped {}: {}",
                plural(days.len() as u64, "day"),
                days.join(", ")
            );
        }
        // A query searches every file; adds stop merging large ones.
        if stats.segments >= COMPACT_HINT_FILES {
            eprintln!(
                "reprint: the index is {} files; `reprint index compact {}` merges them into one for faster queries",
                stats.segments,
                printable(&o.dir.display().to_string()),
            );
        }
    }
    let mut times = index.timings();
    times.restart();
    let pairs = match stream {
        Some((mut out, written)) => {
            let pairs = written.pairs();
            written.finish(out.writer())?;
            out.finish()?;
            pairs
        }
        None => {
            write_report(&added.report, o.format, o.output.as_deref())?;
            added.report.pairs.len()
        }
    };
    times.lap("write report");
    super::print_timings(o.engine.timings, &times);
    Ok(exit(corpus.failed, pairs))
}

fn exit(failed: bool, pairs: usize) -> ExitCode {
    ExitCode::from(if failed {
        2
    } else if pairs == 0 {
        1
    } else {
        0
    })
}

fn query(o: IndexRunOpts) -> Result<ExitCode> {
    let index = Index::open(&o.dir)
        .with_context(|| format!("cannot open the index '{}'", o.dir.display()))?;
    let detector = Detector::new(index.resolve(&engine_config(&o.engine, o.threshold))?)?;
    if let Some(p) = &o.output {
        super::check_outputs(&[("--output", p)], &load::input_files(&o.paths, &o.input))?;
    }
    let corpus = load::load(&o.paths, None, &o.input, &detector)?;
    let report = index.query(&detector, corpus.documents)?;
    let mut times = index.timings();
    times.restart();
    write_report(&report, o.format, o.output.as_deref())?;
    times.lap("write report");
    super::print_timings(o.engine.timings, &times);
    Ok(exit(corpus.failed, report.pairs.len()))
}

fn stats(o: IndexStatsOpts) -> Result<ExitCode> {
    let index = Index::open(&o.dir)
        .with_context(|| format!("cannot open the index '{}'", o.dir.display()))?;
    let s = index.stats();
    let mut out = std::io::stdout().lock();
    if o.json {
        let value = s.to_json();
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let first = s.partitions.first().map(|p| format_day(p.0));
    let last = s.partitions.last().map(|p| format_day(p.0));
    writeln!(
        out,
        "index      {}",
        printable(&o.dir.display().to_string())
    )?;
    writeln!(out, "articles   {}", s.documents)?;
    match (first, last) {
        (Some(a), Some(b)) => writeln!(out, "days       {} ({a} to {b})", s.partitions.len())?,
        _ => writeln!(out, "days       0")?,
    }
    writeln!(
        out,
        "on disk    {} in {} ({} per article)",
        human_bytes(s.bytes),
        plural(s.segments as u64, "segment"),
        human_bytes(s.bytes.checked_div(s.documents).unwrap_or(0)),
    )?;
    writeln!(
        out,
        "window     {}",
        s.window_days
            .map_or("none".to_string(), |d| format!("{d} days"))
    )?;
    let params: Vec<String> = s
        .params
        .iter()
        .filter(|(k, _)| k.starts_with("--"))
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    writeln!(out, "params     {}", params.join(" "))?;
    if !s.partitions.is_empty() {
        writeln!(out)?;
        writeln!(out, "{:<12} {:>10} {:>12}", "DAY", "ARTICLES", "BYTES")?;
        for (day, docs, bytes) in &s.partitions {
            writeln!(
                out,
                "{:<12} {docs:>10} {:>12}",
                format_day(*day),
                human_bytes(*bytes)
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn human_bytes(b: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut x = b as f64;
    let mut u = 0;
    while x >= 1024.0 && u + 1 < UNITS.len() {
        x /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{b} B")
    } else {
        format!("{x:.1} {}", UNITS[u])
    }
}

/// The index at `dir` opened as its writer with its own parameters:
/// eviction and compaction change none.
fn open_to_maintain(dir: &std::path::Path) -> Result<Index> {
    let index =
        Index::open(dir).with_context(|| format!("cannot open the index '{}'", dir.display()))?;
    let detector = Detector::new(index.resolve(&reprint::scan::Config::default())?)?;
    drop(index);
    Index::open_writer(dir, &detector, None)
        .with_context(|| format!("cannot open the index '{}'", dir.display()))
}

fn evict(o: IndexEvictOpts) -> Result<ExitCode> {
    let Some(before) = Date::parse(&o.before) else {
        bail!(
            "--before '{}': give a date such as 2026-12-01",
            printable(&o.before)
        );
    };
    let mut index = open_to_maintain(&o.dir)?;
    let dropped = index.evict_before(before.day())?;
    let days: Vec<String> = dropped.iter().map(|&d| format_day(d)).collect();
    eprintln!(
        "reprint: dropped {}{}; {} left",
        plural(days.len() as u64, "day"),
        if days.is_empty() {
            String::new()
        } else {
            format!(" ({})", days.join(", "))
        },
        plural(index.len(), "article"),
    );
    Ok(ExitCode::SUCCESS)
}

fn compact(o: IndexCompactOpts) -> Result<ExitCode> {
    let mut index = open_to_maintain(&o.dir)?;
    let started = std::time::Instant::now();
    let done = index
        .compact_all()
        .with_context(|| format!("cannot compact the index '{}'", o.dir.display()))?;
    eprintln!(
        "reprint: {} ({}) merged into {} ({}) in {:.1} s; {}",
        plural(done.segments.0 as u64, "segment"),
        human_bytes(done.bytes.0),
        done.segments.1,
        human_bytes(done.bytes.1),
        started.elapsed().as_secs_f64(),
        plural(index.len(), "article"),
    );
    Ok(ExitCode::SUCCESS)
}

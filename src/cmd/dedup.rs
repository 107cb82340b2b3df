//! `reprint dedup`: keep one article per cluster of near-duplicates and
//! copy the kept records through unchanged.

use std::collections::HashSet;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};

use super::{Output, engine_config, load};
use crate::cli::{DedupOpts, KeepArg};
use reprint::cluster::{Keep, cluster};
use reprint::corpus::{Input, RecordRef, resolve_inputs};
use reprint::index::Index;
use reprint::report;
use reprint::scan::Detector;

/// Standard input, or an input that cannot be read twice (a FIFO, a
/// process substitution), saved to a temporary file so that its records
/// can be copied through after the scan exactly as they were read; removed
/// when dropped.
struct Spool(PathBuf);

impl Spool {
    /// Spools a FIFO or other non-regular file.
    fn file(path: &std::path::Path) -> Result<Spool> {
        let mut from = std::fs::File::open(path)
            .with_context(|| format!("cannot read '{}'", path.display()))?;
        Spool::from_reader(&mut from, &path.display().to_string())
    }

    fn stdin() -> Result<Spool> {
        Spool::from_reader(&mut std::io::stdin().lock(), "standard input")
    }

    fn from_reader(from: &mut dyn std::io::Read, what: &str) -> Result<Spool> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let path = std::env::temp_dir().join(format!(
            "reprint-stdin-{}-{nanos}.jsonl",
            std::process::id()
        ));
        let mut file = std::fs::File::options()
            .write(true)
            .create_new(true)
            .open(&path)
            .with_context(|| format!("cannot create '{}'", path.display()))?;
        let spool = Spool(path);
        std::io::copy(from, &mut file).with_context(|| format!("cannot read {what}"))?;
        Ok(spool)
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Deduplicates feeds. Exit status 0 when something was dropped, 1 when
/// not, 2 when an input or line failed.
pub fn run(o: DedupOpts) -> Result<ExitCode> {
    let started = Instant::now();
    let asked = engine_config(&o.engine, o.paragraph_threshold);
    let mut index = match &o.index {
        Some(dir) => Some(
            Index::open_writer(dir, &Detector::new(asked.clone())?, None)
                .with_context(|| format!("cannot open the index '{}'", dir.display()))?,
        ),
        None => None,
    };
    let detector = Detector::new(match &index {
        Some(i) => i.resolve(&asked)?,
        None => asked,
    })?;
    if !(o.threshold > 0.0 && o.threshold <= 1.0) {
        anyhow::bail!(
            "invalid parameter --threshold: {} is not in (0, 1]",
            o.threshold
        );
    }

    let mut spools = Vec::new();
    let options = load::load_options(&o.input);
    let (mut inputs, errors) = resolve_inputs(&o.paths, &options);
    let mut outputs: Vec<(&str, &std::path::Path)> = Vec::new();
    for (option, path) in [
        ("--output", &o.output),
        ("--dropped", &o.dropped),
        ("--clusters", &o.clusters),
        ("--html", &o.html),
    ] {
        if let Some(p) = path {
            outputs.push((option, p));
        }
    }
    let input_paths: Vec<PathBuf> = inputs.iter().map(|i| i.path.clone()).collect();
    super::check_outputs(&outputs, &input_paths)?;
    let mut failed = !errors.is_empty();
    for e in &errors {
        eprintln!(
            "reprint: error: {}",
            reprint::report::printable(&e.to_string())
        );
    }
    for input in &mut inputs {
        if input.is_stdin() {
            let s = Spool::stdin()?;
            *input = Input {
                path: s.0.clone(),
                feed: true,
                gzip: false,
                label: Some("<stdin>".into()),
            };
            spools.push(s);
        } else if std::fs::metadata(&input.path).is_ok_and(|m| !m.is_file()) {
            // Read once: the copy pass must see the records the scan saw.
            let s = Spool::file(&input.path)?;
            *input = Input {
                path: s.0.clone(),
                feed: input.feed,
                gzip: input.gzip,
                label: Some(input.path.display().to_string()),
            };
            spools.push(s);
        }
    }
    // Feeds or text files, not both: the kept output holds records for
    // feeds and paths for text files.
    let text_mode = !inputs.is_empty() && inputs.iter().all(|i| !i.feed);
    if !text_mode && inputs.iter().any(|i| !i.feed) {
        anyhow::bail!(
            "dedup reads JSON Lines feeds or text files, not both in one run: '{}' is a text file (use --input-format jsonl to read it as a feed)",
            inputs
                .iter()
                .find(|i| !i.feed)
                .map(|i| i.origin())
                .unwrap_or_default()
        );
    }

    // What each input file was when read: the copy pass reads it again
    // and must find the same file.
    let identities: Vec<Option<FileIdentity>> = inputs.iter().map(FileIdentity::of).collect();
    let mut times = reprint::scan::StageTimes::new();
    let corpus = load::load(&o.paths, Some(inputs), &o.input, &detector)?;
    times.lap("read and shingle");
    failed |= corpus.failed;
    let spinner = load::stage(o.input.quiet, "finding and aligning reuse");
    let keep = match o.keep {
        KeepArg::Earliest => Keep::Earliest,
        KeepArg::Longest => Keep::Longest,
        KeepArg::First => Keep::First,
    };
    // With an index, its documents that the feed pairs with lead the
    // report; they are never dropped nor written.
    let (report, clusters, indexed, already_indexed) = match index.as_mut() {
        Some(index) => {
            let (added, clusters, indexed) = index
                .dedup(
                    &detector,
                    corpus.documents,
                    reprint::date::today(),
                    o.threshold,
                    keep,
                )
                .with_context(|| format!("cannot add to the index '{}'", index.dir().display()))?;
            times.append(&index.timings());
            (added.report, clusters, indexed, added.already_indexed)
        }
        None => {
            let report = super::scan_documents(
                &detector,
                corpus.documents,
                o.distributed.candidates.as_deref(),
                &mut times,
            )?;
            times.restart();
            let clusters = cluster(&report, o.threshold, keep);
            times.lap("cluster");
            (report, clusters, 0, Vec::new())
        }
    };
    spinner.finish_and_clear();

    let dropped: HashSet<usize> = clusters
        .iter()
        .flat_map(|c| c.dropped.iter().map(|&(d, _)| d))
        .collect();
    let mut kept_records: HashSet<RecordRef> = HashSet::new();
    let mut dropped_records: HashSet<RecordRef> = HashSet::new();
    // Articles whose id is already indexed are copies of what the index
    // holds.
    dropped_records.extend(already_indexed.iter().filter_map(|(_, r)| *r));
    for (i, d) in report.documents.iter().enumerate().skip(indexed) {
        if let Some(r) = d.record {
            if dropped.contains(&i) {
                dropped_records.insert(r);
            } else {
                kept_records.insert(r);
            }
        }
    }

    let mut kept_out = Output::open(o.output.as_deref())?;
    let mut dropped_out = o
        .dropped
        .as_deref()
        .map(|p| Output::open(Some(p)))
        .transpose()?;
    if text_mode {
        // Text files: their paths, kept and dropped, one per line.
        for (i, d) in report.documents.iter().enumerate().skip(indexed) {
            if dropped.contains(&i) {
                if let Some(w) = dropped_out.as_mut() {
                    writeln!(w.writer(), "{}", d.origin)?;
                }
            } else {
                writeln!(kept_out.writer(), "{}", d.origin)?;
            }
        }
    } else {
        for (input, before) in corpus.inputs.iter().zip(&identities) {
            if before.is_some() && FileIdentity::of(input) != *before {
                anyhow::bail!(
                    "'{}' changed while dedup read it (replaced, rewritten or appended to); nothing was written: run dedup again on a file that stays put",
                    input.origin()
                );
            }
        }
        failed |= !copy_records(
            &corpus.inputs,
            &kept_records,
            &dropped_records,
            kept_out.writer(),
            dropped_out.as_mut().map(|d| d.writer()),
        )?;
    }
    kept_out.finish()?;
    if let Some(d) = dropped_out {
        d.finish()?;
    }
    if let Some(path) = &o.html {
        let mut out = Output::open(Some(path))?;
        report::write_html(&report, Some(&clusters), out.writer())?;
        out.finish()?;
    }
    if let Some(path) = &o.clusters {
        let mut out = Output::open(Some(path))?;
        report::write_clusters(&report, &clusters, out.writer())?;
        out.finish()?;
    }
    drop(spools);
    times.lap("write records and reports");

    if !o.input.quiet {
        let read = report.documents.len() - indexed + already_indexed.len();
        let dropped_n = dropped.len() + already_indexed.len();
        eprintln!(
            "reprint: read {} article{}, kept {}, dropped {} in {} cluster{}{}{} ({:.2} s)",
            read,
            if read == 1 { "" } else { "s" },
            read - dropped_n,
            dropped_n,
            clusters.len(),
            if clusters.len() == 1 { "" } else { "s" },
            if already_indexed.is_empty() {
                String::new()
            } else {
                format!(" and {} already indexed", already_indexed.len())
            },
            if corpus.errors > 0 {
                format!(
                    ", {} error{}",
                    corpus.errors,
                    if corpus.errors == 1 { "" } else { "s" }
                )
            } else {
                String::new()
            },
            started.elapsed().as_secs_f64()
        );
    }
    super::print_timings(o.engine.timings, &times);
    Ok(ExitCode::from(if failed {
        2
    } else if dropped.is_empty() && already_indexed.is_empty() {
        1
    } else {
        0
    }))
}

/// Which file an input path names and its size and time of change, to tell
/// whether it was replaced or written between the two passes.
#[derive(Debug, PartialEq, Eq)]
struct FileIdentity {
    dev: u64,
    ino: u64,
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl FileIdentity {
    /// The identity of a regular file input (`None` for other inputs).
    fn of(input: &Input) -> Option<FileIdentity> {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(&input.path).ok()?;
        m.is_file().then(|| FileIdentity {
            dev: m.dev(),
            ino: m.ino(),
            len: m.len(),
            modified: m.modified().ok(),
        })
    }
}

/// Whether a compressed input fails its integrity check (its records were
/// set aside while scanning); a file cut short is not damaged.
fn damaged(input: &Input) -> bool {
    let Ok(mut reader) = input.open() else {
        return false;
    };
    match std::io::copy(&mut reader, &mut std::io::sink()) {
        Ok(_) => false,
        Err(e) => e.kind() != std::io::ErrorKind::UnexpectedEof,
    }
}

fn write_record(w: &mut dyn Write, line: &[u8]) -> std::io::Result<()> {
    w.write_all(line)?;
    if !line.ends_with(b"\n") {
        w.write_all(b"\n")?;
    }
    Ok(())
}

/// Reads the feeds again and copies each kept record (and, if asked, each
/// dropped one) byte for byte, adding a final newline where a file lacked
/// one. Records no document was made of (errors) go to the kept output.
/// Returns false when an input could not be read again (reported; the
/// other inputs are copied).
fn copy_records(
    inputs: &[Input],
    kept: &HashSet<RecordRef>,
    dropped: &HashSet<RecordRef>,
    kept_out: &mut dyn Write,
    mut dropped_out: Option<&mut dyn Write>,
) -> Result<bool> {
    let mut all = true;
    for (index, input) in inputs.iter().enumerate() {
        if input.gzip && damaged(input) {
            // Reported while scanning; none of its records was used.
            continue;
        }
        let mut reader = match input.open() {
            Ok(r) => r,
            Err(e) => {
                // Reported while scanning when it failed then; if it fails
                // only now, say so: its records are in no output.
                eprintln!(
                    "reprint: error: {}; its records were not copied",
                    reprint::report::printable(&e.to_string())
                );
                all = false;
                continue;
            }
        };
        let mut buf = Vec::new();
        let mut line = 0u64;
        loop {
            buf.clear();
            // Damaged input was reported while scanning; copy what reads.
            let Ok(n) = reader.read_until(b'\n', &mut buf) else {
                break;
            };
            if n == 0 {
                break;
            }
            line += 1;
            let r = RecordRef {
                input: index as u32,
                line,
            };
            // Every record that is not a dropped duplicate is kept: the
            // decided ones, and those an error left undecided (a malformed
            // line, a repeated id), so that no input record is lost.
            if dropped.contains(&r) {
                if let Some(w) = dropped_out.as_mut() {
                    write_record(*w, &buf)?;
                }
            } else if kept.contains(&r) || !buf.iter().all(u8::is_ascii_whitespace) {
                write_record(kept_out, &buf)?;
            }
        }
    }
    Ok(all)
}

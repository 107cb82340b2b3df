//! Reading inputs for the commands: streaming, shingling batch by batch,
//! reporting bad inputs on stderr as they come.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::{InputFormatArg, InputOpts};
use reprint::corpus::{
    FeedFields, Input, InputFormat, Item, LoadOptions, TextKeeper, read_inputs, resolve_inputs,
};
use reprint::scan::Detector;
use reprint::shingle::{SetKeeper, ShingledDocument};

/// Errors of one kind printed in full before the rest are only counted.
const ERRORS_SHOWN: usize = 20;

/// The files `paths` name (directories walked), for checking outputs
/// against them before the run.
pub fn input_files(paths: &[PathBuf], o: &InputOpts) -> Vec<PathBuf> {
    resolve_inputs(paths, &load_options(o))
        .0
        .into_iter()
        .map(|i| i.path)
        .collect()
}

/// What was read.
pub struct Corpus {
    /// The inputs, in reading order.
    pub inputs: Vec<Input>,
    /// Shingled documents in input order.
    pub documents: Vec<ShingledDocument>,
    /// Whether any input or line failed.
    pub failed: bool,
    /// Errors reported.
    pub errors: usize,
}

/// The library's load options for the command-line input options.
pub fn load_options(o: &InputOpts) -> LoadOptions {
    LoadOptions {
        extensions: o
            .ext
            .iter()
            .map(|e| e.trim_start_matches('.').to_string())
            .collect(),
        format: match o.input_format {
            InputFormatArg::Auto => InputFormat::Auto,
            InputFormatArg::Text => InputFormat::Text,
            InputFormatArg::Jsonl => InputFormat::Jsonl,
        },
        fields: FeedFields {
            id: o.id_field.clone(),
            text: o.text_field.clone(),
            date: o.date_field.clone(),
            source: o.source_field.clone(),
            title: o.title_field.clone(),
            url: o.url_field.clone(),
        },
    }
}

/// A progress line on stderr (articles read, rate), shown only on a
/// terminal and without --quiet.
/// The reading progress on a terminal: a bar with percentage and ETA when
/// the inputs' size is known (regular, uncompressed files), else a counter
/// of bytes and articles; hidden off a terminal and with `-q`.
fn progress(quiet: bool, inputs: &[Input]) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let sizes: Option<u64> = inputs
        .iter()
        .map(|i| {
            let m = std::fs::metadata(&i.path).ok()?;
            (m.is_file() && !i.gzip && !i.is_stdin()).then_some(m.len())
        })
        .sum();
    let bar = match sizes {
        Some(total) => {
            let bar = ProgressBar::new(total);
            bar.set_style(
                ProgressStyle::with_template(
                    "reading [{bar:30}] {percent:>3}% {binary_bytes}/{binary_total_bytes} ({binary_bytes_per_sec}, {eta} left) {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar
        }
        None => {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} reading {binary_bytes} ({binary_bytes_per_sec}) {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar
        }
    };
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// A spinner naming a stage that reports no progress of its own (finding
/// candidates and aligning them), with the time spent; hidden off a
/// terminal and with `-q`.
pub fn stage(quiet: bool, name: &str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(name.to_string());
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// Reads `paths` (or the already resolved `inputs`) and shingles every
/// document in the detector's thread pool. Texts are kept (beyond
/// `--text-memory`, in a temporary file): the aligner reads them for every
/// candidate pair, and reports quote them.
pub fn load(
    paths: &[PathBuf],
    inputs: Option<Vec<Input>>,
    o: &InputOpts,
    detector: &Detector,
) -> anyhow::Result<Corpus> {
    let mut documents = Vec::new();
    let mut corpus = load_each(paths, inputs, o, detector, usize::MAX, |chunk| {
        documents.extend(chunk);
        Ok(())
    })?;
    corpus.documents = documents;
    Ok(corpus)
}

/// [`load`], handing the documents to `each` in chunks of `chunk`
/// documents as they are read (the last one smaller) instead of keeping
/// them: memory follows the chunk. The returned corpus has no documents.
/// An error from `each` stops the reading and is returned.
pub fn load_each(
    paths: &[PathBuf],
    inputs: Option<Vec<Input>>,
    o: &InputOpts,
    detector: &Detector,
    chunk: usize,
    mut each: impl FnMut(Vec<ShingledDocument>) -> anyhow::Result<()> + Send,
) -> anyhow::Result<Corpus> {
    let options = load_options(o);
    let (inputs, resolve_errors) = match inputs {
        Some(i) => (i, Vec::new()),
        None => resolve_inputs(paths, &options),
    };
    let mut errors = 0;
    for e in &resolve_errors {
        eprintln!(
            "reprint: error: {}",
            reprint::report::printable(&e.to_string())
        );
        errors += 1;
    }
    let bar = progress(o.quiet, &inputs);
    let mut articles = 0usize;
    let mut shown: std::collections::HashMap<std::mem::Discriminant<reprint::Error>, usize> =
        std::collections::HashMap::new();
    let mut hidden = 0usize;
    let mut documents: Vec<ShingledDocument> = Vec::new();
    let mut total = 0usize;
    let mut failure: Option<anyhow::Error> = None;
    // The whole corpus is kept (`load`): texts beyond --text-memory go to
    // a temporary file. Chunks handed on are dropped by their caller, so
    // their texts stay in memory.
    let mut keeper = TextKeeper::new(if chunk == usize::MAX {
        o.text_memory.saturating_mul(1 << 20)
    } else {
        usize::MAX
    });
    // Shingle sets likewise, beyond --set-memory.
    let mut set_keeper = SetKeeper::new(if chunk == usize::MAX {
        o.set_memory.saturating_mul(1 << 20)
    } else {
        usize::MAX
    });
    let range = reprint::date::DateRange {
        since: o.since.clone(),
        until: o.until.clone(),
    };
    let (mut outside, mut undated) = (0usize, 0usize);
    detector.install(|| {
        read_inputs(&inputs, &options, |items| {
            if failure.is_some() {
                return;
            }
            let mut docs = Vec::new();
            for item in items {
                match item {
                    Item::Document(d) => docs.push(d),
                    Item::Error(e) => {
                        // The first few errors of each kind in full, the
                        // rest counted (a feed with 100,000 duplicate ids
                        // should not print 100,000 lines).
                        let kind = std::mem::discriminant(&e);
                        let n = shown.entry(kind).or_insert(0usize);
                        *n += 1;
                        if *n <= ERRORS_SHOWN {
                            bar.suspend(|| {
                                eprintln!(
                                    "reprint: error: {}",
                                    reprint::report::printable(&e.to_string())
                                )
                            });
                        } else {
                            hidden += 1;
                        }
                        errors += 1;
                    }
                    Item::Read(n) => bar.inc(n),
                    Item::Warning(w) => {
                        if !o.quiet {
                            bar.suspend(|| {
                                eprintln!(
                                    "reprint: warning: {}",
                                    reprint::report::printable(&format!(
                                        "{}: {}",
                                        w.origin, w.message
                                    ))
                                )
                            });
                        }
                    }
                }
            }
            articles += docs.len();
            bar.set_message(format!(
                "{articles} article{}",
                if articles == 1 { "" } else { "s" }
            ));
            if range.is_bounded() {
                docs.retain(|d| {
                    let keep = range.contains(d.date.as_ref());
                    if !keep {
                        outside += 1;
                        undated += usize::from(d.date.is_none());
                    }
                    keep
                });
            }
            let mut shingled = detector.par_shingle(&docs);
            if let Err(e) = set_keeper.keep(&mut shingled) {
                failure = Some(e.into());
                return;
            }
            for (s, d) in shingled.iter_mut().zip(docs) {
                match keeper.keep(d.text) {
                    Ok(t) => s.text = Some(t),
                    Err(e) => {
                        failure = Some(e.into());
                        return;
                    }
                }
            }
            total += shingled.len();
            documents.extend(shingled);
            while documents.len() >= chunk && failure.is_none() {
                let rest = documents.split_off(chunk);
                let full = std::mem::replace(&mut documents, rest);
                if let Err(e) = each(full) {
                    failure = Some(e);
                }
            }
        });
    })?;
    if let Some(e) = failure {
        return Err(e);
    }
    if !documents.is_empty() {
        bar.suspend(|| each(std::mem::take(&mut documents)))?;
    }
    bar.finish_and_clear();
    if hidden > 0 {
        eprintln!(
            "reprint: error: … and {hidden} more errors like those above (each kind is shown {ERRORS_SHOWN} times)"
        );
    }
    if outside > 0 && !o.quiet {
        eprintln!(
            "reprint: {outside} document{} outside --since/--until left out ({undated} without a date)",
            if outside == 1 { "" } else { "s" }
        );
    }
    if total == 0 && errors == 0 && outside > 0 {
        eprintln!("reprint: error: no document lies in the --since/--until range");
        errors += 1;
    } else if total == 0 && errors == 0 {
        // Nothing to scan is an error, not an empty report.
        eprintln!(
            "reprint: error: no documents found in the inputs (directories are searched for .{} files and feeds; use --ext to change)",
            o.ext.join(", .")
        );
        errors += 1;
    }
    Ok(Corpus {
        inputs,
        documents: Vec::new(),
        failed: errors > 0,
        errors,
    })
}

//! One module per subcommand; each turns options into library calls and
//! prints.

mod compare;
mod dedup;
mod eval;
mod load;
mod params;
mod scan;
mod synth;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::{Command, EngineOpts, Opts, SketchArg};
use reprint::lsh::LshParams;
use reprint::scan::Config;

/// Runs the chosen subcommand.
pub fn run(opts: Opts) -> Result<ExitCode> {
    match opts.command {
        Command::Scan(o) => scan::run(o),
        Command::Compare(o) => compare::run(o),
        Command::Dedup(o) => dedup::run(o),
        Command::Eval(o) => eval::run(o),
        Command::Synth(o) => synth::run(o),
        Command::Params(o) => params::run(o),
    }
}

/// The library configuration for the engine options and a paragraph
/// threshold.
pub fn engine_config(o: &EngineOpts, threshold: f64) -> Config {
    Config {
        shingle: reprint::shingle::ShingleConfig {
            size: o.shingle,
            char_size: o.char_shingle,
        },
        num_perm: o.num_perm,
        seed: o.seed,
        sketch: match o.sketch {
            SketchArg::Minhash => reprint::minhash::Sketch::MinHash,
            SketchArg::Oph => reprint::minhash::Sketch::OnePermutation,
        },
        threshold,
        lsh: match (o.bands, o.rows) {
            (Some(bands), Some(rows)) => Some(LshParams { bands, rows }),
            _ => None,
        },
        min_words: o.min_words,
        bucket_cap: o.bucket_cap,
        boilerplate_min_docs: o.boilerplate_min_docs,
        threads: o.threads.map(|n| n.get()),
        align: align_config(&o.align),
        ..Config::default()
    }
}

/// The aligner's parameters from the command line.
pub fn align_config(o: &crate::cli::AlignOpts) -> reprint::align::AlignConfig {
    reprint::align::AlignConfig {
        seed_cosine: o.seed_cosine,
        seed_dice: o.seed_dice,
        extend_cosine: o.extend_cosine,
        extend_dice: o.extend_dice,
        max_gap: o.max_gap,
        validate_cosine: o.validate_cosine,
        min_chars: o.min_chars,
        min_verbatim_chars: o.min_verbatim_chars,
        trim_ngram: o.trim_ngram,
        summary_gap: o.summary_gap,
        word_prefix: o.word_prefix,
    }
}

/// Where a report goes: standard output, or a file that appears complete
/// or not at all (written beside its target, then renamed).
pub struct Output {
    sink: Sink,
    /// `(temporary file, target)` until the file is moved into place.
    pending: Option<(PathBuf, PathBuf)>,
}

enum Sink {
    Stdout(BufWriter<std::io::Stdout>),
    File(BufWriter<File>),
}

impl Output {
    /// Opens `path` (`None` or `-` is standard output).
    pub fn open(path: Option<&Path>) -> Result<Output> {
        let stdout = || Output {
            sink: Sink::Stdout(BufWriter::new(std::io::stdout())),
            pending: None,
        };
        match path {
            None => Ok(stdout()),
            Some(p) if p.as_os_str() == "-" => Ok(stdout()),
            Some(p) => {
                let name = p
                    .file_name()
                    .with_context(|| format!("'{}' is not a file name", p.display()))?;
                let mut tmp_name = std::ffi::OsString::from(".");
                tmp_name.push(name);
                tmp_name.push(format!(".{}.tmp", std::process::id()));
                let tmp = p.with_file_name(tmp_name);
                let file = File::create(&tmp)
                    .with_context(|| format!("cannot create '{}'", tmp.display()))?;
                Ok(Output {
                    sink: Sink::File(BufWriter::new(file)),
                    pending: Some((tmp, p.to_path_buf())),
                })
            }
        }
    }

    /// The writer.
    pub fn writer(&mut self) -> &mut dyn Write {
        match &mut self.sink {
            Sink::Stdout(w) => w,
            Sink::File(w) => w,
        }
    }

    /// Flushes and, for a file, moves it into place.
    pub fn finish(mut self) -> Result<()> {
        let target = self.pending.as_ref().map(|(_, t)| t.display().to_string());
        let context = || format!("cannot write '{}'", target.as_deref().unwrap_or("<stdout>"));
        match &mut self.sink {
            Sink::Stdout(w) => w.flush().with_context(context)?,
            Sink::File(w) => {
                w.flush().with_context(context)?;
                w.get_ref().sync_all().with_context(context)?;
            }
        }
        if let Some((tmp, target)) = self.pending.take() {
            std::fs::rename(&tmp, &target).with_context(|| {
                format!("cannot move '{}' to '{}'", tmp.display(), target.display())
            })?;
        }
        Ok(())
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        // A file that was not finished is removed, never left half-written.
        if let Some((tmp, _)) = self.pending.take() {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

//! One module per subcommand; each turns options into library calls and
//! prints.

mod audit;
mod compare;
mod dedup;
mod eval;
mod index;
mod load;
mod output;
mod params;
mod scan;
mod sketch;
mod synth;

use std::process::ExitCode;

use anyhow::Result;

pub use output::{Output, check_outputs};

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
        Command::Audit(o) => audit::run(o),
        Command::Index(c) => index::run(c),
        Command::Synth(o) => synth::run(o),
        Command::Sketch(o) => sketch::run(o),
        Command::Align(o) => sketch::align(o),
        Command::Params(o) => params::run(o),
        Command::Completions(o) => {
            let mut cmd = <Opts as clap::CommandFactory>::command();
            clap_complete::generate(o.shell, &mut cmd, "reprint", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            let cmd = <Opts as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd).render(&mut std::io::stdout())?;
            Ok(ExitCode::SUCCESS)
        }
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
        threads: o.threads.filter(|&n| n > 0),
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

/// Prints `times` on stderr when `--timings` asked for them.
pub fn print_timings(asked: bool, times: &reprint::scan::StageTimes) {
    if asked {
        eprint!("{}", times.table());
    }
}

/// Scans the documents, with the LSH stage's candidates read from a sketch
/// directory when one is given.
pub fn scan_documents(
    detector: &reprint::scan::Detector,
    documents: Vec<reprint::shingle::ShingledDocument>,
    candidates: Option<&std::path::Path>,
    times: &mut reprint::scan::StageTimes,
) -> Result<reprint::scan::ScanReport> {
    Ok(match candidates {
        None => detector.scan_shingled_timed(documents, times)?,
        Some(dir) => {
            let given = reprint::sketch::LshCandidates::read(dir, detector, &documents)?;
            // Pairs aligned in shares before are read back, not aligned.
            let share = match reprint::sketch::AlignedParts::read(dir, detector)? {
                Some(parts) => reprint::sketch::AlignShare::Aligned(parts),
                None => reprint::sketch::AlignShare::All,
            };
            detector.scan_with_candidates(documents, &given, &share, times)?
        }
    })
}

//! `reprint synth`: a synthetic feed with ground truth.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use rayon::prelude::*;

use super::Output;
use crate::cli::SynthOpts;
use reprint::synth::{Article, BUILTIN_BASE, Synth};

/// At most this much base text is read.
const BASE_LIMIT: usize = 64 << 20;

fn read_base(path: &Path) -> Result<String> {
    // Every file under `path`, in the order scan walks directories.
    let options = reprint::corpus::LoadOptions {
        extensions: vec!["*".into()],
        ..Default::default()
    };
    let (inputs, errors) = reprint::corpus::resolve_inputs(&[path.to_path_buf()], &options);
    if let Some(e) = errors.into_iter().next() {
        return Err(e).with_context(|| format!("cannot read the base text '{}'", path.display()));
    }
    let files: Vec<PathBuf> = inputs.into_iter().map(|i| i.path).collect();
    let mut text = String::new();
    for f in files {
        if text.len() >= BASE_LIMIT {
            break;
        }
        let bytes = std::fs::read(&f).with_context(|| format!("cannot read '{}'", f.display()))?;
        for line in String::from_utf8_lossy(&bytes).lines() {
            if !line.starts_with("<doc ") && line != "</doc>" {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    Ok(text)
}

/// Writes the feed and the truth.
pub fn run(o: SynthOpts) -> Result<ExitCode> {
    let base = match &o.base {
        Some(p) => read_base(p)?,
        None => BUILTIN_BASE.to_string(),
    };
    let mut outputs: Vec<(&str, &Path)> = Vec::new();
    if let Some(p) = &o.output {
        outputs.push(("--output", p));
    }
    if let Some(p) = &o.truth {
        outputs.push(("--truth", p));
    }
    super::check_outputs(&outputs, o.base.as_slice())?;
    let synth = Synth::new(&base, o.seed, o.copy_share).with_outlets(o.outlets, o.wires);
    let mut feed = Output::open(o.output.as_deref())?;
    let mut truth = o
        .truth
        .as_deref()
        .map(|p| Output::open(Some(p)))
        .transpose()?;
    const CHUNK: usize = 20_000;
    for start in (0..o.articles).step_by(CHUNK) {
        let end = (start + CHUNK).min(o.articles);
        let arts: Vec<Article> = (start..end)
            .into_par_iter()
            .map(|i| synth.article(i))
            .collect();
        for a in arts {
            let line = serde_json::json!({
                "id": a.id, "date": a.date, "source": a.outlet, "text": a.text,
            });
            writeln!(feed.writer(), "{line}")?;
            if let (Some(t), Some((src, edits))) = (truth.as_mut(), &a.copy_of) {
                let line = serde_json::json!({
                    "copy": a.id, "source": src, "label": true, "group": "synth", "edits": edits,
                    "copied": a.copied.map(|c| (c * 1000.0).round() / 1000.0),
                    "credited": a.credited,
                    "paragraphs": a.paragraphs,
                });
                writeln!(t.writer(), "{line}")?;
            }
        }
    }
    feed.finish()?;
    if let Some(t) = truth {
        t.finish()?;
    }
    Ok(ExitCode::SUCCESS)
}

//! `reprint compare`: one pair in detail.

use std::process::ExitCode;

use anyhow::{Result, bail};

use super::{Output, engine_config, load};
use crate::cli::{CompareFormatArg, CompareOpts};
use reprint::report;
use reprint::scan::Detector;

/// Compares two documents. Exit status 0 when they share a passage, 1 when
/// not, 2 on error.
pub fn run(o: CompareOpts) -> Result<ExitCode> {
    let detector = Detector::new(engine_config(&o.engine, o.threshold))?;
    let corpus = load::load(&o.paths, None, &o.input, &detector)?;
    let docs = &corpus.documents;
    let (a, b) = match o.id.as_slice() {
        [] if docs.len() == 2 => (&docs[0], &docs[1]),
        [] => bail!(
            "compare needs exactly two documents but the inputs hold {}; choose two with --id A --id B",
            docs.len()
        ),
        [x, y] => {
            let find = |id: &str| {
                docs.iter()
                    .find(|d| d.id == id)
                    .ok_or_else(|| anyhow::anyhow!("no document with id '{id}' in the inputs"))
            };
            (find(x)?, find(y)?)
        }
        ids => bail!("give --id exactly twice (got {})", ids.len()),
    };
    // In a feed, the feed's boilerplate is set aside as a scan of it would.
    let boilerplate = if docs.len() > 2 {
        let report = detector.scan_shingled(docs.clone())?;
        let of = |id: &str| {
            report
                .documents
                .iter()
                .find(|d| d.id == id)
                .map(|d| d.boilerplate.clone())
                .unwrap_or_default()
        };
        (of(&a.id), of(&b.id), report.boilerplate_keys)
    } else {
        (Vec::new(), Vec::new(), Vec::new())
    };
    let pair = detector.compare(a, b, &boilerplate.0, &boilerplate.1, &boilerplate.2)?;
    let mut out = Output::open(None)?;
    match o.format {
        CompareFormatArg::Table => {
            report::write_compare_table([a, b], &pair, o.full, out.writer())?
        }
        CompareFormatArg::Json => report::write_compare_json([a, b], &pair, out.writer())?,
    }
    out.finish()?;
    Ok(ExitCode::from(if corpus.failed {
        2
    } else if pair.passages.is_empty() {
        1
    } else {
        0
    }))
}

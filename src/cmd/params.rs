//! `reprint params`: the LSH banding for a threshold and its S-curve.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use crate::cli::ParamsOpts;
use reprint::lsh::LshParams;

/// Prints the banding and the candidate probability at a few similarities.
pub fn run(o: ParamsOpts) -> Result<ExitCode> {
    let params = match (o.bands, o.rows) {
        (Some(bands), Some(rows)) => {
            let p = LshParams { bands, rows };
            p.validate(o.num_perm)?;
            p
        }
        _ => LshParams::for_threshold(o.threshold, o.num_perm)?,
    };
    let mut out = std::io::stdout().lock();
    explain(&mut out, params, o.threshold, o.num_perm)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the banding and its S-curve.
pub fn explain(out: &mut dyn Write, p: LshParams, threshold: f64, num_perm: usize) -> Result<()> {
    writeln!(
        out,
        "threshold {threshold}, {num_perm} permutations: {} bands × {} rows ({} values used)",
        p.bands,
        p.rows,
        p.bands * p.rows
    )?;
    writeln!(
        out,
        "S-curve threshold (1/bands)^(1/rows) ≈ {:.3}",
        (1.0 / p.bands as f64).powf(1.0 / p.rows as f64)
    )?;
    writeln!(out, "paragraph Jaccard  P(candidate)")?;
    let mut points: Vec<f64> = vec![0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
    if !points.iter().any(|x| (x - threshold).abs() < 1e-9) {
        points.push(threshold);
        points.sort_by(f64::total_cmp);
    }
    for s in points {
        let mark = if (s - threshold).abs() < 1e-9 {
            "  ← threshold"
        } else {
            ""
        };
        writeln!(out, "{s:>17.2}  {:>12.4}{mark}", p.probability(s))?;
    }
    Ok(())
}

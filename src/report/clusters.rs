//! Deduplication clusters as JSON Lines.

use std::io::Write;

use serde::Serialize;

use crate::cluster::Cluster;
use crate::error::Result;
use crate::scan::ScanReport;

/// One line of `reprint dedup --clusters FILE`.
#[derive(Debug, Serialize)]
pub struct JsonCluster<'a> {
    /// Id of the kept article.
    pub kept: &'a str,
    /// Articles in the cluster, the kept one included.
    pub size: usize,
    /// Lowest share of a dropped article found in the kept one.
    pub weakest: f64,
    /// The dropped articles.
    pub dropped: Vec<JsonDropped<'a>>,
}

/// A dropped article.
#[derive(Debug, Serialize)]
pub struct JsonDropped<'a> {
    /// Its id.
    pub id: &'a str,
    /// Share of its shingles found in the kept article.
    pub score: f64,
}

/// Writes one JSON object per cluster per line.
pub fn write_clusters(
    report: &ScanReport,
    clusters: &[Cluster],
    out: &mut dyn Write,
) -> Result<()> {
    for c in clusters {
        let line = JsonCluster {
            kept: &report.documents[c.kept].id,
            size: c.size(),
            weakest: c.weakest(),
            dropped: c
                .dropped
                .iter()
                .map(|&(d, score)| JsonDropped {
                    id: &report.documents[d].id,
                    score,
                })
                .collect(),
        };
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

//! Stage 8, report: the scan's findings as a table for people, JSON and CSV
//! for programs.
//!
//! Every format writes to any [`std::io::Write`]; the order of everything is
//! deterministic, so the same input gives byte-identical output.

mod audit;
mod audit_html;
mod clusters;
mod compare;
mod csv;
mod eval;
mod html;
mod json;
mod table;

use std::io::Write;

use crate::error::Result;
use crate::scan::ScanReport;

pub use audit::{write_audit_csv, write_audit_json, write_audit_table, write_stories_csv};
pub use audit_html::{HEATMAP_OUTLETS, TOP_STORIES, write_audit_html};
pub use clusters::{JsonCluster, JsonDropped, write_clusters};
pub use compare::{
    JsonCompared, JsonComparison, direction_evidence, write_compare_json, write_compare_table,
};
pub use csv::{write_matrix_csv, write_pairs_csv};
pub use eval::{
    write_audit_eval_table, write_eval_json, write_eval_table, write_feed_eval_json,
    write_feed_eval_table,
};
pub use html::{HEATMAP_LIMIT, escape, pair_sentence, write_html};
pub use json::{
    JsonBoilerplate, JsonDocument, JsonMatrix, JsonPair, JsonParams, JsonPassage, JsonPlace,
    JsonReport, JsonStats, JsonlStream, write_json, write_jsonl,
};
pub use table::{printable, write_table};

/// Output formats of `reprint scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned columns for people.
    #[default]
    Table,
    /// One JSON object (see [`JsonReport`] for the schema).
    Json,
    /// One JSON record per line: documents, pairs, boilerplate, summary
    /// (see [`write_jsonl`]).
    Jsonl,
    /// One CSV row per reuse pair.
    Csv,
    /// A self-contained HTML page: heat map and side-by-side passages.
    Html,
}

/// Writes `report` in `format`.
pub fn write(report: &ScanReport, format: Format, out: &mut dyn Write) -> Result<()> {
    match format {
        Format::Table => write_table(report, out),
        Format::Json => write_json(report, out),
        Format::Jsonl => write_jsonl(report, out),
        Format::Csv => write_pairs_csv(report, out),
        Format::Html => write_html(report, None, out),
    }
}

/// A passage's paragraph range written as `first–last`, or `n` for one
/// paragraph.
pub(crate) fn range_label(r: crate::reuse::ParagraphRange, dash: &str) -> String {
    if r.first == r.last {
        r.first.to_string()
    } else {
        format!("{}{dash}{}", r.first, r.last)
    }
}

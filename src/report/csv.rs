//! CSV: one row per reuse pair, and the matrix as a separate table.

use std::io::Write;

use crate::error::Result;
use crate::scan::ScanReport;

use super::range_label;

/// Quotes a field when RFC 4180 requires it. A text field starting with
/// `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'` so that a
/// spreadsheet shows it rather than running it as a formula (OWASP's
/// advice against CSV injection); ids are never numbers here.
pub(crate) fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Writes one row per pair:
/// `source,copy,copy_in_source,source_in_copy,jaccard,direction,passages`,
/// where `passages` lists `copy:source` paragraph ranges separated by `;`
/// (e.g. `1-11:12-22`).
pub fn write_pairs_csv(report: &ScanReport, out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "source,copy,copy_in_source,source_in_copy,jaccard,direction,passages"
    )?;
    for p in &report.pairs {
        let passages: Vec<String> = p
            .passages
            .iter()
            .map(|x| {
                format!(
                    "{}:{}",
                    range_label(x.copy, "-"),
                    range_label(x.source, "-")
                )
            })
            .collect();
        writeln!(
            out,
            "{},{},{},{},{},{},{}",
            field(&report.documents[p.source].id),
            field(&report.documents[p.copy].id),
            p.copy_in_source(),
            p.source_in_copy(),
            p.jaccard(),
            p.direction.as_str(),
            passages.join(";")
        )?;
    }
    Ok(())
}

/// Writes the matrix: a header `id,<id>…` and one row per document; empty
/// cells where a document has no text. Writes only the header line
/// `id` when the corpus was too large for a matrix.
pub fn write_matrix_csv(report: &ScanReport, out: &mut dyn Write) -> Result<()> {
    let ids: Vec<String> = report.documents.iter().map(|d| field(&d.id)).collect();
    writeln!(out, "id,{}", ids.join(","))?;
    if let Some(m) = &report.matrix {
        for (id, row) in ids.iter().zip(&m.values) {
            let cells: Vec<String> = row
                .iter()
                .map(|v| v.map(|x| x.to_string()).unwrap_or_default())
                .collect();
            writeln!(out, "{id},{}", cells.join(","))?;
        }
    }
    Ok(())
}

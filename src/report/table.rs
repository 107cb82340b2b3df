//! The table report: what a person auditing syndication reads first.

use std::io::Write;

use unicode_width::UnicodeWidthStr;

use crate::error::Result;
use crate::scan::{Metric, ScanReport};

use super::range_label;

/// A minimal column aligner: left-aligned text, right-aligned numbers.
struct Columns {
    rows: Vec<Vec<String>>,
    right: Vec<bool>,
}

impl Columns {
    fn new(header: &[&str], right: &[bool]) -> Self {
        Columns {
            rows: vec![header.iter().map(|s| s.to_string()).collect()],
            right: right.to_vec(),
        }
    }

    fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let cols = self.right.len();
        let widths: Vec<usize> = (0..cols)
            .map(|c| self.rows.iter().map(|r| r[c].width()).max().unwrap_or(0))
            .collect();
        for row in &self.rows {
            let mut line = String::new();
            for (c, cell) in row.iter().enumerate() {
                // Terminal columns: a CJK character takes two.
                let pad = widths[c] - cell.width();
                let last = c + 1 == cols;
                if self.right[c] {
                    line.push_str(&" ".repeat(pad));
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    if !last {
                        line.push_str(&" ".repeat(pad));
                    }
                }
                if !last {
                    line.push_str("  ");
                }
            }
            writeln!(out, "{}", line.trim_end())?;
        }
        Ok(())
    }
}

/// `s` with control characters (escape sequences, line breaks) shown as
/// escapes, so an id cannot forge lines or colours on a terminal.
pub fn printable(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// `one` for 1, `many` otherwise.
pub(crate) fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// Writes the pairs, boilerplate and matrix as aligned text.
pub fn write_table(report: &ScanReport, out: &mut dyn Write) -> Result<()> {
    let s = &report.stats;
    let docs = &report.documents;
    writeln!(
        out,
        "{} {}, {} {} ({} too short to fingerprint alone, {} boilerplate): {} reuse {}",
        docs.len(),
        plural(docs.len(), "document", "documents"),
        s.paragraphs,
        plural(s.paragraphs, "paragraph", "paragraphs"),
        s.short_paragraphs,
        s.boilerplate_paragraphs,
        report.pairs.len(),
        if report.pairs.len() == 1 {
            "pair"
        } else {
            "pairs"
        },
    )?;

    if !report.pairs.is_empty() {
        writeln!(out)?;
        let mut t = Columns::new(
            &[
                "COPY",
                "SOURCE",
                "COPY IN SOURCE",
                "SOURCE IN COPY",
                "JACCARD",
                "DIRECTION",
                "PASSAGES (copy ¶ ← source ¶, similarity)",
            ],
            &[false, false, true, true, true, false, false],
        );
        for p in &report.pairs {
            let passages: Vec<String> = p
                .passages
                .iter()
                .map(|x| {
                    format!(
                        "¶{} ← ¶{} ({:.0}%)",
                        range_label(x.copy, "–"),
                        range_label(x.source, "–"),
                        x.similarity() * 100.0
                    )
                })
                .collect();
            t.push(vec![
                printable(&docs[p.copy].id),
                printable(&docs[p.source].id),
                percent(p.copy_in_source()),
                percent(p.source_in_copy()),
                format!("{:.3}", p.jaccard()),
                p.direction_label().to_string(),
                passages.join(", "),
            ]);
        }
        t.write(out)?;
    }

    if !report.boilerplate.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "Boilerplate set aside ({} paragraphs; in many documents that share nothing else):",
            s.boilerplate_paragraphs
        )?;
        let mut t = Columns::new(&["DOCS", "EXAMPLE", "TEXT"], &[true, false, false]);
        for b in &report.boilerplate {
            t.push(vec![
                b.documents.to_string(),
                format!("{} ¶{}", printable(&docs[b.example.0].id), b.example.1),
                format!("\"{}\"", b.excerpt),
            ]);
        }
        t.write(out)?;
    }

    if let Some(m) = &report.matrix {
        writeln!(out)?;
        let what = match m.metric {
            Metric::Containment => "% of the row document's text found in the column document",
            Metric::Jaccard => "Jaccard similarity of row and column documents, %",
        };
        writeln!(out, "Similarity matrix ({what}):")?;
        let n = docs.len();
        let mut header = vec!["".to_string(), "".to_string()];
        header.extend((1..=n).map(|i| format!("[{i}]")));
        let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut right = vec![true, false];
        right.extend(std::iter::repeat_n(true, n));
        let mut t = Columns::new(&header_refs, &right);
        for (i, row) in m.values.iter().enumerate() {
            let mut cells = vec![format!("[{}]", i + 1), printable(&docs[i].id)];
            cells.extend(row.iter().enumerate().map(|(j, v)| match v {
                _ if i == j => "-".to_string(),
                None => "n/a".to_string(),
                Some(x) => format!("{:.0}", x * 100.0),
            }));
            t.push(cells);
        }
        t.write(out)?;
    } else if docs.len() > report.params.config.matrix_limit {
        writeln!(out)?;
        writeln!(
            out,
            "Similarity matrix omitted: {} documents is more than --matrix-limit {}.",
            docs.len(),
            report.params.config.matrix_limit
        )?;
    }
    Ok(())
}

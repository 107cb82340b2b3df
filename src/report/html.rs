//! A self-contained HTML report: one file, no network, no scripts needed.
//!
//! - a heat map of the similarity matrix (documents ordered so that those
//!   sharing text sit together), with a legend and the exact value on hover
//!   (`title`); above [`HEATMAP_LIMIT`] documents, the top pairs only;
//! - the reuse pairs, most copied first, each a `<details>` element that
//!   opens a side-by-side view of the two articles, reused passages
//!   highlighted in the same colour on both sides, paragraph numbers shown,
//!   and the direction stated in words;
//! - boilerplate set aside, and deduplication clusters with the kept
//!   article marked, when given.
//!
//! All text is HTML-escaped. The layout stacks the two columns on narrow
//! (phone-sized) screens.

use std::fmt::Write as _;
use std::io::Write;

use crate::cluster::Cluster;
use crate::error::Result;
use crate::reuse::{Direction, ReusePair};
use crate::scan::{Metric, ScanReport};

use super::range_label;

/// Largest corpus drawn as a full heat map: each cell costs about 130
/// bytes, so 150 documents make a page of about 3 MB (300 made 11.6 MB)
/// and the page stays bounded above it by the ranked pair list.
pub const HEATMAP_LIMIT: usize = 150;

/// Pairs listed when the heat map is replaced by a list.
const TOP_PAIRS: usize = 200;

/// Passage colours, cycled.
const COLOURS: [&str; 8] = [
    "#ffe08a", "#a8e6cf", "#ffb3ba", "#bae1ff", "#d7b8ff", "#ffd1a8", "#c6f1a1", "#f7c6e7",
];

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

pub(crate) const STYLE: &str = "
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;padding:1rem;color:#1b1b1b;background:#fafafa}
h1{font-size:1.4rem;margin:.2rem 0 .6rem}h2{font-size:1.15rem;margin:1.6rem 0 .5rem}
.summary{color:#444}
.scroll{overflow-x:auto;max-width:100%}
table.heat{border-collapse:collapse;font-size:12px}
table.heat th{font-weight:normal;padding:2px 4px;white-space:nowrap;text-align:right}
table.heat th.col{writing-mode:vertical-rl;transform:rotate(180deg);text-align:left;height:9rem}
table.heat td{width:26px;height:26px;text-align:center;border:1px solid #fff;font-size:10px}
.legend{display:flex;align-items:center;gap:.4rem;font-size:12px;margin:.4rem 0}
.legend span.bar{display:inline-block;width:160px;height:12px;background:linear-gradient(90deg,#f4f4f4,#f4a259,#b3001b)}
details.pair{background:#fff;border:1px solid #ddd;border-radius:6px;margin:.5rem 0;padding:.4rem .7rem}
details.pair summary{cursor:pointer}
.scores{font-size:13px;color:#555;margin:.3rem 0}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.side h3{font-size:1rem;margin:.4rem 0}
.para{display:flex;gap:.4rem;margin:.25rem 0}
.para .n{color:#888;font-size:12px;min-width:2.2rem;text-align:right;flex:none}
.para p{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
mark{border-radius:3px;padding:0 1px}
ul.clusters li{margin:.2rem 0}.kept{font-weight:600}
@media (max-width:700px){.sides{grid-template-columns:1fr}body{padding:.5rem}}
";

/// Colour for a value in [0, 1]: light grey to orange to dark red.
pub(crate) fn heat(v: f64) -> String {
    let v = v.clamp(0.0, 1.0);
    let (a, b, t) = if v < 0.5 {
        ((0xf4, 0xf4, 0xf4), (0xf4, 0xa2, 0x59), v / 0.5)
    } else {
        ((0xf4, 0xa2, 0x59), (0xb3, 0x00, 0x1b), (v - 0.5) / 0.5)
    };
    let mix = |x: i32, y: i32| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as i32;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(a.0, b.0),
        mix(a.1, b.1),
        mix(a.2, b.2)
    )
}

/// Documents in heat-map order: connected groups of reuse pairs together
/// (largest first), then the rest in input order.
fn order(report: &ScanReport) -> Vec<usize> {
    let n = report.documents.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while p[r] != r {
            r = p[r];
        }
        let mut y = x;
        while p[y] != r {
            let next = p[y];
            p[y] = r;
            y = next;
        }
        r
    }
    for pair in &report.pairs {
        let (a, b) = (find(&mut parent, pair.source), find(&mut parent, pair.copy));
        if a != b {
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut size = vec![0usize; n];
    let roots: Vec<usize> = (0..n).map(|i| find(&mut parent, i)).collect();
    for &r in &roots {
        size[r] += 1;
    }
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by_key(|&i| (std::cmp::Reverse(size[roots[i]]), roots[i], i));
    idx
}

/// One sentence that says who reproduces what.
pub fn pair_sentence(report: &ScanReport, p: &ReusePair) -> String {
    let docs = &report.documents;
    let (c, s) = (&docs[p.copy], &docs[p.source]);
    let copied = p.copied_paragraphs();
    let dates = match (&c.date, &s.date) {
        (Some(a), Some(b)) if a.cmp_published(b) == std::cmp::Ordering::Equal => {
            "same date".to_string()
        }
        (Some(a), Some(b)) => format!(
            "{} published {} and {} {}",
            s.id,
            b.as_str(),
            c.id,
            a.as_str()
        ),
        _ => "dates unknown".to_string(),
    };
    let why = match p.direction {
        Direction::Date => format!("{} was published first", s.id),
        Direction::Containment if p.copy_credits_source => {
            format!("{} is contained in {} and credits it", c.id, s.id)
        }
        Direction::Containment => format!("{} is contained in {}", c.id, s.id),
        Direction::Mutual if p.copy_credits_source => format!(
            "{} credits {}'s outlet (containment alone does not tell which came first)",
            c.id, s.id
        ),
        Direction::Mutual => "neither dates nor containment tell which came first".to_string(),
    };
    format!(
        "{} reproduces {} paragraph{} ({:.0}%) of {}; {}; {}.",
        c.id,
        copied,
        if copied == 1 { "" } else { "s" },
        p.copy_in_source() * 100.0,
        s.id,
        dates,
        why
    )
}

/// Writes the report. `clusters` adds a deduplication section.
pub fn write_html(
    report: &ScanReport,
    clusters: Option<&[Cluster]>,
    out: &mut dyn Write,
) -> Result<()> {
    let docs = &report.documents;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>reprint: {} reuse {} among {} documents</title><style>{STYLE}</style></head><body>\n",
        report.pairs.len(),
        if report.pairs.len() == 1 {
            "pair"
        } else {
            "pairs"
        },
        docs.len()
    );
    let s = &report.stats;
    let _ = writeln!(
        h,
        "<h1>Text reuse report</h1><p class=\"summary\" id=\"summary\">{} documents, {} paragraphs \
         ({} too short to fingerprint alone, {} boilerplate): <strong>{} reuse {}</strong>.</p>",
        docs.len(),
        s.paragraphs,
        s.short_paragraphs,
        s.boilerplate_paragraphs,
        report.pairs.len(),
        if report.pairs.len() == 1 {
            "pair"
        } else {
            "pairs"
        }
    );

    // Heat map.
    h.push_str("<h2>Similarity</h2>\n");
    match &report.matrix {
        Some(m) if docs.len() <= HEATMAP_LIMIT => {
            let what = match m.metric {
                Metric::Containment => {
                    "share of the row document's text found in the column document"
                }
                Metric::Jaccard => "Jaccard similarity of the two documents",
            };
            let _ = writeln!(
                h,
                "<div class=\"legend\">0%<span class=\"bar\"></span>100% &nbsp; {}</div>",
                escape(what)
            );
            let ord = order(report);
            h.push_str("<div class=\"scroll\"><table class=\"heat\" id=\"heatmap\"><tr><th></th>");
            for &j in &ord {
                let _ = write!(
                    h,
                    "<th class=\"col\" scope=\"col\">{}</th>",
                    escape(&docs[j].id)
                );
            }
            h.push_str("</tr>\n");
            for &i in &ord {
                let _ = write!(h, "<tr><th scope=\"row\">{}</th>", escape(&docs[i].id));
                for &j in &ord {
                    match m.values[i][j] {
                        _ if i == j => h.push_str(
                            "<td style=\"background:#ddd\" title=\"same document\"></td>",
                        ),
                        None => {
                            let _ = write!(
                                h,
                                "<td data-row=\"{}\" data-col=\"{}\" title=\"no text\">–</td>",
                                escape(&docs[i].id),
                                escape(&docs[j].id)
                            );
                        }
                        Some(v) => {
                            let _ = write!(
                                h,
                                "<td data-row=\"{r}\" data-col=\"{c}\" data-value=\"{v}\" style=\"background:{bg};color:{fg}\" \
                                 title=\"{r} in {c}: {p:.1}%\">{label}</td>",
                                r = escape(&docs[i].id),
                                c = escape(&docs[j].id),
                                bg = heat(v),
                                fg = if v > 0.6 { "#fff" } else { "#333" },
                                p = v * 100.0,
                                label = if v >= 0.005 {
                                    format!("{:.0}", v * 100.0)
                                } else {
                                    String::new()
                                },
                            );
                        }
                    }
                }
                h.push_str("</tr>\n");
            }
            h.push_str("</table></div>\n");
        }
        _ => {
            let _ = writeln!(
                h,
                "<p>{} documents: too many for a heat map; the {} most copied pairs are listed below.</p>",
                docs.len(),
                TOP_PAIRS.min(report.pairs.len())
            );
        }
    }

    // Pairs.
    let _ = writeln!(h, "<h2>Reuse pairs, most copied first</h2>");
    if report.pairs.is_empty() {
        h.push_str("<p>No reuse found.</p>\n");
    }
    for (n, p) in report.pairs.iter().take(TOP_PAIRS).enumerate() {
        write_pair(&mut h, report, p, n)?;
    }
    if report.pairs.len() > TOP_PAIRS {
        let _ = writeln!(
            h,
            "<p>… and {} more pairs (see the JSON report).</p>",
            report.pairs.len() - TOP_PAIRS
        );
    }

    if let Some(clusters) = clusters {
        let _ = writeln!(h, "<h2>Deduplication clusters</h2><ul class=\"clusters\">");
        for c in clusters {
            let dropped: Vec<String> = c
                .dropped
                .iter()
                .map(|&(d, score)| format!("{} ({:.0}%)", escape(&docs[d].id), score * 100.0))
                .collect();
            let _ = writeln!(
                h,
                "<li><span class=\"kept\" title=\"kept\">✔ {}</span> keeps {} near-{}: {}</li>",
                escape(&docs[c.kept].id),
                c.dropped.len(),
                if c.dropped.len() == 1 {
                    "copy"
                } else {
                    "copies"
                },
                dropped.join(", ")
            );
        }
        if clusters.is_empty() {
            h.push_str("<li>No duplicates.</li>");
        }
        h.push_str("</ul>\n");
    }

    if !report.boilerplate.is_empty() {
        let _ = writeln!(h, "<h2>Boilerplate set aside</h2><ul>");
        for b in &report.boilerplate {
            let _ = writeln!(
                h,
                "<li>in {} documents (e.g. {} ¶{}): “{}”</li>",
                b.documents,
                escape(&docs[b.example.0].id),
                b.example.1,
                escape(&b.excerpt)
            );
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</body></html>\n");
    out.write_all(h.as_bytes())?;
    Ok(())
}

fn write_pair(h: &mut String, report: &ScanReport, p: &ReusePair, n: usize) -> Result<()> {
    let docs = &report.documents;
    let _ = write!(
        h,
        "<details class=\"pair\" id=\"pair-{n}\"{}><summary>{}</summary>\
         <div class=\"scores\">copy in source {:.1}% · source in copy {:.1}% · Jaccard {:.3} · direction: {}</div>\
         <div class=\"sides\">",
        if n == 0 { " open" } else { "" },
        escape(&pair_sentence(report, p)),
        p.copy_in_source() * 100.0,
        p.source_in_copy() * 100.0,
        p.jaccard(),
        p.direction_label()
    );
    for (label, d, copy_side) in [("copy", p.copy, true), ("source", p.source, false)] {
        let doc = &docs[d];
        let _ = write!(
            h,
            "<div class=\"side {label}\"><h3>{label}: {}{}</h3>",
            escape(&doc.id),
            doc.date
                .as_ref()
                .map(|x| format!(" · {}", escape(x.as_str())))
                .unwrap_or_default()
        );
        let Some(text) = &doc.text else {
            h.push_str("<p>(text not kept for corpora this large)</p></div>");
            continue;
        };
        let text = text.read()?;
        for (i, span) in doc.paragraph_spans.iter().enumerate() {
            let number = i + 1;
            let passage = p.passages.iter().position(|x| {
                let r = if copy_side { x.copy } else { x.source };
                (r.first..=r.last).contains(&number)
            });
            let body = escape(text.get(span.clone()).unwrap_or(""));
            match passage {
                Some(k) => {
                    let x = &p.passages[k];
                    let _ = write!(
                        h,
                        "<div class=\"para\"><span class=\"n\">¶{number}</span><p><mark data-passage=\"{k}\" \
                         style=\"background:{}\" title=\"passage {}: copy ¶{} ← source ¶{}\">{body}</mark></p></div>",
                        COLOURS[k % COLOURS.len()],
                        k + 1,
                        range_label(x.copy, "–"),
                        range_label(x.source, "–"),
                    );
                }
                None => {
                    let _ = write!(
                        h,
                        "<div class=\"para\"><span class=\"n\">¶{number}</span><p>{body}</p></div>"
                    );
                }
            }
        }
        h.push_str("</div>");
    }
    h.push_str("</div></details>\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Document;
    use crate::scan::DetectorBuilder;

    #[test]
    fn markup_in_articles_is_escaped() {
        let wire = "<script>alert('x')</script> The minister announced a new plan for the railway network on Tuesday morning in the capital, with ten new lines.";
        let docs = vec![
            Document::from_text("a<b>", "a", wire.to_string()),
            Document::from_text("b", "b", format!("Intro text of the outlet.\n\n{wire}")),
        ];
        let report = DetectorBuilder::new().build().unwrap().scan(&docs).unwrap();
        let mut out = Vec::new();
        write_html(&report, None, &mut out).unwrap();
        let html = String::from_utf8(out).unwrap();
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assert!(html.contains("a&lt;b&gt;"));
        assert!(html.contains("data-passage=\"0\""));
    }

    #[test]
    fn heat_runs_from_grey_to_red() {
        assert_eq!(heat(0.0), "#f4f4f4");
        assert_eq!(heat(1.0), "#b3001b");
    }
}

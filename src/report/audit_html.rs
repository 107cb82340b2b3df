//! The audit as one self-contained HTML page (no scripts, no network):
//! an outlet × outlet heat map (copiers in rows, sources in columns, the
//! [`HEATMAP_OUTLETS`] outlets with the most copies in or out, ordered by
//! them; the share of the copier's words and the copies on hover), the
//! flows, the top [`TOP_STORIES`] stories with their members and, on
//! demand, each member's first passage beside the original's, and a table
//! per outlet. The page stays bounded whatever the feed's size:
//! everything else is in the JSON and CSV outputs.

use std::fmt::Write as _;
use std::io::Write;

use super::html::{STYLE, escape, heat};
use crate::audit::Audit;
use crate::corpus::KeptText;
use crate::error::Result;
use crate::scan::ScanReport;

/// Outlets drawn in the heat map (the rest are in the outlet table).
pub const HEATMAP_OUTLETS: usize = 60;

/// Stories listed.
pub const TOP_STORIES: usize = 100;

/// Members listed per story.
const TOP_MEMBERS: usize = 40;

/// Characters of a passage shown on each side.
const EXCERPT_CHARS: usize = 400;

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// The start of `text[range]`, at most [`EXCERPT_CHARS`] characters.
fn excerpt(text: &str, start: usize, end: usize) -> String {
    let s = text.get(start..end.min(text.len())).unwrap_or("");
    let mut out: String = s.chars().take(EXCERPT_CHARS).collect();
    if s.chars().nth(EXCERPT_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// Writes the audit as HTML.
pub fn write_audit_html(report: &ScanReport, audit: &Audit, out: &mut dyn Write) -> Result<()> {
    let docs = &report.documents;
    let mut h = String::new();
    let copies: usize = audit.stories.iter().map(|s| s.members.len()).sum();
    let uncredited: usize = audit.stories.iter().map(|s| s.uncredited).sum();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>reprint audit: {} outlets, {} stories</title><style>{STYLE}\
         table.flows{{border-collapse:collapse;font-size:13px}}\
         table.flows td,table.flows th{{padding:2px 8px;text-align:left;border-bottom:1px solid #eee}}\
         .uncredited{{color:#b3001b;font-weight:600}}</style></head><body>\n\
         <h1>Who runs whose copy</h1><p class=\"summary\">{} articles from {} outlets: \
         {} cop{} of {} stor{}, <span class=\"uncredited\">{} uncredited</span>.</p>\n",
        audit.outlets.len(),
        audit.stories.len(),
        docs.len(),
        audit.outlets.len(),
        copies,
        if copies == 1 { "y" } else { "ies" },
        audit.stories.len(),
        if audit.stories.len() == 1 { "y" } else { "ies" },
        uncredited
    );

    // Heat map: outlets by copies in and out.
    let ranked = audit.outlets_by_traffic();
    let shown: Vec<&str> = ranked.iter().take(HEATMAP_OUTLETS).copied().collect();
    if !shown.is_empty() {
        let cell = audit.flow_cells();
        // Colours run to the largest share drawn.
        let top_share = cell
            .iter()
            .filter(|(k, _)| shown.contains(&k.0) && shown.contains(&k.1))
            .map(|(_, v)| v.1)
            .fold(0.0f64, f64::max)
            .max(1e-9);
        let _ = write!(
            h,
            "<h2>Outlet flows</h2><p class=\"summary\">Row: the copying outlet; column: the outlet whose stories it runs; \
             colour: the share of the copier's words that reuse the source (hover for the copies){}.</p>\
             <div class=\"legend\">0%<span class=\"bar\"></span>{}</div><div class=\"scroll\"><table class=\"heat\"><tr><th></th>",
            if ranked.len() > shown.len() {
                format!(
                    "; the {} outlets with the most copies of {} (all in the tables below and in JSON/CSV)",
                    shown.len(),
                    ranked.len()
                )
            } else {
                String::new()
            },
            pct(top_share)
        );
        for s in &shown {
            let _ = write!(h, "<th class=\"col\">{}</th>", escape(s));
        }
        h.push_str("</tr>\n");
        for c in &shown {
            let _ = write!(h, "<tr><th>{}</th>", escape(c));
            for s in &shown {
                match cell.get(&(*c, *s)) {
                    Some(&(n, share)) => {
                        let _ = write!(
                            h,
                            "<td style=\"background:{}\" title=\"{} runs {}: {} cop{}, {} of its words\">{n}</td>",
                            heat(share / top_share),
                            escape(c),
                            escape(s),
                            n,
                            if n == 1 { "y" } else { "ies" },
                            pct(share)
                        );
                    }
                    None => h.push_str("<td></td>"),
                }
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</table></div>\n");
    }

    // Flows.
    if !audit.flows.is_empty() {
        h.push_str(
            "<h2>Flows</h2><table class=\"flows\"><tr><th>Copier</th><th>Source</th><th>Copies</th>\
             <th>Stories</th><th>Share of output</th><th>Median lag</th><th>P90 lag</th><th>Credited</th></tr>\n",
        );
        for f in audit.flows.iter().take(500) {
            let lag = |x: Option<f64>| x.map(|v| format!("{v:.1} h")).unwrap_or_else(|| "-".into());
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td{}>{}/{}</td></tr>",
                escape(&f.copier),
                escape(&f.source),
                f.copies,
                f.stories,
                pct(f.share_of_output),
                lag(f.lag.median_hours),
                lag(f.lag.p90_hours),
                if f.credited < f.copies {
                    " class=\"uncredited\""
                } else {
                    ""
                },
                f.credited,
                f.copies
            );
        }
        h.push_str("</table>\n");
    }

    // Stories.
    if !audit.stories.is_empty() {
        let _ = writeln!(
            h,
            "<h2>Top stories ({} of {})</h2>",
            audit.stories.len().min(TOP_STORIES),
            audit.stories.len()
        );
        for s in audit.stories.iter().take(TOP_STORIES) {
            let o = &docs[s.original];
            let _ = write!(
                h,
                "<details class=\"pair\"><summary><b>{}</b> ({}{}){}: ran in {} outlet{}; {} whole, {} excerpted; \
                 <span class=\"uncredited\">{} uncredited</span></summary>\n<table class=\"flows\">\
                 <tr><th>Outlet</th><th>Article</th><th>Lag</th><th>Covers</th><th>Credit</th></tr>\n",
                escape(&o.id),
                escape(&s.outlet),
                o.date
                    .as_ref()
                    .map(|d| format!(", {}", escape(d.as_str())))
                    .unwrap_or_default(),
                o.title
                    .as_deref()
                    .map(|t| format!(" “{}”", escape(t)))
                    .unwrap_or_default(),
                s.outlets,
                if s.outlets == 1 { "" } else { "s" },
                s.whole,
                s.members.len() - s.whole,
                s.uncredited
            );
            for m in s.members.iter().take(TOP_MEMBERS) {
                let _ = writeln!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(&m.outlet),
                    escape(&docs[m.doc].id),
                    m.lag
                        .map(|l| format!("+{:.1} h", l.hours()))
                        .unwrap_or_else(|| "unknown".into()),
                    pct(m.coverage_of_original),
                    match &m.credit {
                        Some(c) => format!("credited ({})", escape(c)),
                        None => "<span class=\"uncredited\">uncredited</span>".into(),
                    }
                );
            }
            h.push_str("</table>\n");
            if s.members.len() > TOP_MEMBERS {
                let _ = writeln!(
                    h,
                    "<p class=\"summary\">… and {} more (JSON, --stories-csv)</p>",
                    s.members.len() - TOP_MEMBERS
                );
            }
            // The first passage of the first member, side by side.
            if let Some(m) = s.members.first() {
                let pair = &report.pairs[m.pair];
                let pair = if pair.copy == m.doc {
                    pair.clone()
                } else {
                    pair.clone().flipped()
                };
                if let (Some(p), Some(ct), Some(st)) = (
                    pair.passages.first(),
                    KeptText::read_kept(docs[m.doc].text.as_ref())?,
                    KeptText::read_kept(o.text.as_ref())?,
                ) {
                    let _ = writeln!(
                        h,
                        "<div class=\"sides\"><div class=\"side\"><h3>{} (original)</h3><div class=\"para\"><p>{}</p></div></div>\
                         <div class=\"side\"><h3>{} ({})</h3><div class=\"para\"><p>{}</p></div></div></div>",
                        escape(&o.id),
                        escape(&excerpt(
                            &st,
                            p.source_span.start_byte,
                            p.source_span.end_byte
                        )),
                        escape(&docs[m.doc].id),
                        escape(&m.outlet),
                        escape(&excerpt(&ct, p.copy_span.start_byte, p.copy_span.end_byte)),
                    );
                }
            }
            h.push_str("</details>\n");
        }
    }

    // Outlets.
    h.push_str(
        "<h2>Outlets</h2><table class=\"flows\"><tr><th>Outlet</th><th>Articles</th><th>Original</th>\
         <th>From others</th><th>Copies</th><th>Stories reused</th><th>Top sources</th><th>Top re-users</th></tr>\n",
    );
    for o in &audit.outlets {
        let top = |v: &[(String, usize)]| {
            v.iter()
                .map(|(n, c)| format!("{} ({c})", escape(n)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&o.name),
            o.articles,
            pct(o.originality),
            pct(o.reused_from_others),
            o.copies,
            o.stories_reused,
            top(&o.top_sources),
            top(&o.top_reusers)
        );
    }
    h.push_str("</table></body></html>\n");
    out.write_all(h.as_bytes())?;
    Ok(())
}

//! The audit ([`crate::audit::Audit`]) as a table, JSON and CSV.

use std::io::Write;

use serde::Serialize;

use super::csv::field;
use super::json::{JsonPair, json_pair};
use super::table::{plural, printable};
use crate::audit::{Audit, LagStats, Member, Story};
use crate::date::Lag;
use crate::error::Result;
use crate::scan::ScanReport;

/// Flows listed in the table, most copies first.
const TABLE_FLOWS: usize = 30;

/// Outlets in the table's outlet matrix (the busiest; all in the HTML
/// heat map, up to its own limit, and in JSON and CSV).
const TABLE_MATRIX_OUTLETS: usize = 12;

/// A lag for people: minutes, hours or days, as precise as the dates.
fn lag_label(hours: Option<f64>, to_the_second: bool) -> String {
    match hours {
        None => "-".into(),
        Some(h) if !to_the_second => format!("{:.0} d", h / 24.0),
        Some(h) if h.abs() < 1.0 => format!("{:.0} min", h * 60.0),
        Some(h) if h.abs() < 48.0 => format!("{h:.1} h"),
        Some(h) => format!("{:.1} d", h / 24.0),
    }
}

fn member_lag(m: &Member) -> String {
    match m.lag {
        None => "date unknown".into(),
        Some(l) => format!(
            "+{}",
            lag_label(Some(l.hours()), matches!(l, Lag::Seconds(_)))
        ),
    }
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// Writes the audit for people: flows, outlets, then the top `stories`.
pub fn write_audit_table(
    report: &ScanReport,
    audit: &Audit,
    stories: usize,
    out: &mut dyn Write,
) -> Result<()> {
    let id = |i: usize| printable(&report.documents[i].id);
    let copies: usize = audit.stories.iter().map(|s| s.members.len()).sum();
    let uncredited: usize = audit.stories.iter().map(|s| s.uncredited).sum();
    writeln!(
        out,
        "{} article{} from {} outlet{}: {} cop{} of {} stor{} ({} uncredited)",
        report.documents.len(),
        plural(report.documents.len(), "", "s"),
        audit.outlets.len(),
        plural(audit.outlets.len(), "", "s"),
        copies,
        plural(copies, "y", "ies"),
        audit.stories.len(),
        plural(audit.stories.len(), "y", "ies"),
        uncredited
    )?;

    if !audit.flows.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "Flows (the copier's articles reusing the source's stories; share of all the copier's words):"
        )?;
        let rows: Vec<[String; 8]> = audit
            .flows
            .iter()
            .take(TABLE_FLOWS)
            .map(|f| {
                [
                    printable(&f.copier),
                    printable(&f.source),
                    f.copies.to_string(),
                    f.stories.to_string(),
                    pct(f.share_of_output),
                    lag_label(f.lag.median_hours, f.lag.to_the_second),
                    lag_label(f.lag.p90_hours, f.lag.to_the_second),
                    format!("{}/{}", f.credited, f.copies),
                ]
            })
            .collect();
        write_rows(
            out,
            &[
                "COPIER",
                "SOURCE",
                "COPIES",
                "STORIES",
                "SHARE",
                "MEDIAN LAG",
                "P90 LAG",
                "CREDITED",
            ],
            &rows,
        )?;
        if audit.flows.len() > TABLE_FLOWS {
            writeln!(
                out,
                "… and {} more flows (all of them with --format csv or json)",
                audit.flows.len() - TABLE_FLOWS
            )?;
        }
    }

    write_outlet_matrix(audit, out)?;

    writeln!(out)?;
    writeln!(out, "Outlets:")?;
    let rows: Vec<[String; 7]> = audit
        .outlets
        .iter()
        .map(|o| {
            let top = |v: &[(String, usize)]| {
                if v.is_empty() {
                    "-".to_string()
                } else {
                    v.iter()
                        .map(|(n, c)| format!("{} ({c})", printable(n)))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            };
            [
                printable(&o.name),
                o.articles.to_string(),
                pct(o.originality),
                pct(o.reused_from_others),
                o.copies.to_string(),
                top(&o.top_sources),
                top(&o.top_reusers),
            ]
        })
        .collect();
    write_rows(
        out,
        &[
            "OUTLET",
            "ARTICLES",
            "ORIGINAL",
            "FROM OTHERS",
            "COPIES",
            "TOP SOURCES",
            "TOP RE-USERS",
        ],
        &rows,
    )?;

    if !audit.stories.is_empty() {
        writeln!(out)?;
        let shown = stories.min(audit.stories.len());
        writeln!(out, "Top stories ({shown} of {}):", audit.stories.len())?;
        for (n, s) in audit.stories.iter().take(shown).enumerate() {
            write_story(out, report, s, n + 1, &id)?;
        }
    }
    Ok(())
}

/// The outlet matrix: copier rows, source columns, each cell the copies
/// and the share of the copier's words, for the [`TABLE_MATRIX_OUTLETS`]
/// busiest outlets.
fn write_outlet_matrix(audit: &Audit, out: &mut dyn Write) -> Result<()> {
    use unicode_width::UnicodeWidthStr;
    let ranked = audit.outlets_by_traffic();
    if ranked.is_empty() {
        return Ok(());
    }
    let shown = &ranked[..ranked.len().min(TABLE_MATRIX_OUTLETS)];
    let cell = audit.flow_cells();
    writeln!(out)?;
    writeln!(
        out,
        "Outlet matrix (copier rows, source columns: copies and share of the copier's words{}):",
        if ranked.len() > shown.len() {
            format!(
                "; the {} outlets with the most copies of {}, all of them with --format csv, json or html",
                shown.len(),
                ranked.len()
            )
        } else {
            String::new()
        }
    )?;
    let labels: Vec<String> = shown
        .iter()
        .enumerate()
        .map(|(i, name)| format!("[{}] {}", i + 1, printable(name)))
        .collect();
    let label_width = labels.iter().map(|l| l.width()).max().unwrap_or(0);
    let cells: Vec<Vec<String>> = shown
        .iter()
        .map(|copier| {
            shown
                .iter()
                .map(|source| match cell.get(&(*copier, *source)) {
                    _ if copier == source => "-".to_string(),
                    Some((n, share)) => format!("{n} {}", pct(*share)),
                    None => ".".to_string(),
                })
                .collect()
        })
        .collect();
    let column_width = cells
        .iter()
        .flatten()
        .map(|c| c.width())
        .chain((1..=shown.len()).map(|i| format!("[{i}]").len()))
        .max()
        .unwrap_or(1);
    let mut header = " ".repeat(label_width);
    for i in 1..=shown.len() {
        header.push_str(&format!("  {:>column_width$}", format!("[{i}]")));
    }
    writeln!(out, "{}", header.trim_end())?;
    for (label, row) in labels.iter().zip(&cells) {
        let mut line = format!("{label}{}", " ".repeat(label_width - label.width()));
        for c in row {
            line.push_str(&format!("  {c:>column_width$}"));
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

fn write_story(
    out: &mut dyn Write,
    report: &ScanReport,
    s: &Story,
    n: usize,
    id: &dyn Fn(usize) -> String,
) -> Result<()> {
    let doc = &report.documents[s.original];
    let within = match s.span_hours {
        Some(h) => format!(
            " within {}",
            lag_label(
                Some(h),
                s.members
                    .iter()
                    .all(|m| !matches!(m.lag, Some(Lag::Days(_))))
            )
        ),
        None => String::new(),
    };
    writeln!(
        out,
        "{n}. {} ({}{}){}: ran in {} outlet{}{within}; {} whole, {} excerpted; {} uncredited",
        id(s.original),
        printable(&s.outlet),
        doc.date
            .as_ref()
            .map(|d| format!(", {d}"))
            .unwrap_or_default(),
        doc.title
            .as_deref()
            .map(|t| format!(" \"{}\"", printable(t)))
            .unwrap_or_default(),
        s.outlets,
        plural(s.outlets, "", "s"),
        s.whole,
        s.members.len() - s.whole,
        s.uncredited,
    )?;
    for m in &s.members {
        let credit = match &m.credit {
            Some(c) => format!("credited ({})", printable(c)),
            None => "UNCREDITED".into(),
        };
        let via = if m.intermediates.is_empty() {
            String::new()
        } else {
            format!(
                "; also reuses {}",
                m.intermediates
                    .iter()
                    .map(|&i| id(i))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        writeln!(
            out,
            "   {} {}  {}  covers {} of it  {credit}{via}",
            printable(&m.outlet),
            id(m.doc),
            member_lag(m),
            pct(m.coverage_of_original),
        )?;
    }
    Ok(())
}

/// Aligned columns (display width, so wide characters line up).
fn write_rows<const N: usize>(
    out: &mut dyn Write,
    header: &[&str; N],
    rows: &[[String; N]],
) -> Result<()> {
    use unicode_width::UnicodeWidthStr;
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.width());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 < N {
                s.push_str(c);
                s.push_str(&" ".repeat(widths[i] - c.width() + 2));
            } else {
                s.push_str(c);
            }
        }
        s.trim_end().to_string()
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    for r in rows {
        writeln!(out, "{}", line(r.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonLag {
    known: usize,
    unknown: usize,
    median_hours: Option<f64>,
    p90_hours: Option<f64>,
    /// "time" when every lag came from times of day, "day" otherwise.
    precision: &'static str,
}

impl From<&LagStats> for JsonLag {
    fn from(l: &LagStats) -> Self {
        JsonLag {
            known: l.known,
            unknown: l.unknown,
            median_hours: l.median_hours,
            p90_hours: l.p90_hours,
            precision: if l.to_the_second { "time" } else { "day" },
        }
    }
}

#[derive(Serialize)]
struct JsonOutlet<'a> {
    name: &'a str,
    articles: usize,
    words: usize,
    originality: f64,
    reused_from_others: f64,
    copies: usize,
    stories_reused: usize,
    top_sources: Vec<(&'a str, usize)>,
    top_reusers: Vec<(&'a str, usize)>,
}

#[derive(Serialize)]
struct JsonFlow<'a> {
    copier: &'a str,
    source: &'a str,
    copies: usize,
    stories: usize,
    reused_words: f64,
    share_of_output: f64,
    lag: JsonLag,
    credited: usize,
    uncredited: usize,
    undirected: usize,
}

#[derive(Serialize)]
struct JsonMember<'a> {
    id: &'a str,
    outlet: &'a str,
    date: Option<&'a str>,
    title: Option<&'a str>,
    coverage_of_original: f64,
    share_of_copy: f64,
    lag_hours: Option<f64>,
    lag_precision: Option<&'static str>,
    credited: bool,
    credit: Option<&'a str>,
    intermediates: Vec<&'a str>,
    pair: JsonPair<'a>,
}

#[derive(Serialize)]
struct JsonStory<'a> {
    original: &'a str,
    outlet: &'a str,
    date: Option<&'a str>,
    title: Option<&'a str>,
    outlets: usize,
    whole: usize,
    excerpted: usize,
    uncredited: usize,
    span_hours: Option<f64>,
    members: Vec<JsonMember<'a>>,
}

#[derive(Serialize)]
struct JsonAuditParams {
    whole_share: f64,
    credit_window_chars: usize,
}

#[derive(Serialize)]
struct JsonAudit<'a> {
    outlets: Vec<JsonOutlet<'a>>,
    flows: Vec<JsonFlow<'a>>,
    stories: Vec<JsonStory<'a>>,
    params: JsonAuditParams,
}

/// Writes the audit as one JSON object: `outlets`, `flows`, `stories`
/// (each member with the same pair object as `scan`, oriented copy first)
/// and `params`.
pub fn write_audit_json(report: &ScanReport, audit: &Audit, out: &mut dyn Write) -> Result<()> {
    let docs = &report.documents;
    let id = |i: usize| docs[i].id.as_str();
    let json = JsonAudit {
        outlets: audit
            .outlets
            .iter()
            .map(|o| JsonOutlet {
                name: &o.name,
                articles: o.articles,
                words: o.words,
                originality: o.originality,
                reused_from_others: o.reused_from_others,
                copies: o.copies,
                stories_reused: o.stories_reused,
                top_sources: o
                    .top_sources
                    .iter()
                    .map(|(n, c)| (n.as_str(), *c))
                    .collect(),
                top_reusers: o
                    .top_reusers
                    .iter()
                    .map(|(n, c)| (n.as_str(), *c))
                    .collect(),
            })
            .collect(),
        flows: audit
            .flows
            .iter()
            .map(|f| JsonFlow {
                copier: &f.copier,
                source: &f.source,
                copies: f.copies,
                stories: f.stories,
                reused_words: f.reused_words,
                share_of_output: f.share_of_output,
                lag: (&f.lag).into(),
                credited: f.credited,
                uncredited: f.copies.saturating_sub(f.credited),
                undirected: f.undirected,
            })
            .collect(),
        stories: audit
            .stories
            .iter()
            .map(|s| JsonStory {
                original: id(s.original),
                outlet: &s.outlet,
                date: docs[s.original].date.as_ref().map(|d| d.as_str()),
                title: docs[s.original].title.as_deref(),
                outlets: s.outlets,
                whole: s.whole,
                excerpted: s.members.len() - s.whole,
                uncredited: s.uncredited,
                span_hours: s.span_hours,
                members: s
                    .members
                    .iter()
                    .map(|m| {
                        let pair = &report.pairs[m.pair];
                        let pair = if pair.copy == m.doc {
                            json_pair(pair, &id)
                        } else {
                            json_pair(&pair.clone().flipped(), &id)
                        };
                        JsonMember {
                            id: id(m.doc),
                            outlet: &m.outlet,
                            date: docs[m.doc].date.as_ref().map(|d| d.as_str()),
                            title: docs[m.doc].title.as_deref(),
                            coverage_of_original: m.coverage_of_original,
                            share_of_copy: m.share_of_copy,
                            lag_hours: m.lag.map(Lag::hours),
                            lag_precision: m.lag.map(|l| match l {
                                Lag::Seconds(_) => "time",
                                Lag::Days(_) => "day",
                            }),
                            credited: m.credit.is_some(),
                            credit: m.credit.as_deref(),
                            intermediates: m.intermediates.iter().map(|&i| id(i)).collect(),
                            pair,
                        }
                    })
                    .collect(),
            })
            .collect(),
        params: JsonAuditParams {
            whole_share: crate::audit::WHOLE_SHARE,
            credit_window_chars: crate::audit::CREDIT_WINDOW,
        },
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    writeln!(out)?;
    Ok(())
}

fn opt(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.4}")).unwrap_or_default()
}

/// Writes one CSV row per flow.
pub fn write_audit_csv(audit: &Audit, out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "copier,source,copies,stories,reused_words,share_of_output,median_lag_hours,p90_lag_hours,lag_known,lag_unknown,lag_precision,credited,uncredited,undirected"
    )?;
    for f in &audit.flows {
        writeln!(
            out,
            "{},{},{},{},{:.1},{:.4},{},{},{},{},{},{},{},{}",
            field(&f.copier),
            field(&f.source),
            f.copies,
            f.stories,
            f.reused_words,
            f.share_of_output,
            opt(f.lag.median_hours),
            opt(f.lag.p90_hours),
            f.lag.known,
            f.lag.unknown,
            if f.lag.to_the_second { "time" } else { "day" },
            f.credited,
            f.copies.saturating_sub(f.credited),
            f.undirected
        )?;
    }
    Ok(())
}

/// Writes one CSV row per story member.
pub fn write_stories_csv(report: &ScanReport, audit: &Audit, out: &mut dyn Write) -> Result<()> {
    let docs = &report.documents;
    let date = |i: usize| docs[i].date.as_ref().map(|d| d.as_str()).unwrap_or("");
    writeln!(
        out,
        "story,story_outlet,story_date,copy,copy_outlet,copy_date,coverage_of_original,share_of_copy,lag_hours,credited,credit,intermediates"
    )?;
    for s in &audit.stories {
        for m in &s.members {
            let intermediates: Vec<&str> = m
                .intermediates
                .iter()
                .map(|&i| docs[i].id.as_str())
                .collect();
            writeln!(
                out,
                "{},{},{},{},{},{},{:.4},{:.4},{},{},{},{}",
                field(&docs[s.original].id),
                field(&s.outlet),
                field(date(s.original)),
                field(&docs[m.doc].id),
                field(&m.outlet),
                field(date(m.doc)),
                m.coverage_of_original,
                m.share_of_copy,
                opt(m.lag.map(Lag::hours)),
                m.credit.is_some(),
                field(m.credit.as_deref().unwrap_or("")),
                field(&intermediates.join(";"))
            )?;
        }
    }
    Ok(())
}

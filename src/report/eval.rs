//! The evaluation table and its JSON form.

use std::io::Write;

use serde::Serialize;

use crate::error::Result;
use crate::eval::{AuditScores, FeedScores, GroupReport};

fn opt(x: Option<f64>, digits: usize) -> String {
    x.map_or("-".into(), |v| format!("{v:.digits$}"))
}

/// Writes one row per group: pairs, document-level ROC-AUC and decisions,
/// PAN passage measures, and mean scores per category below.
pub fn write_eval_table(groups: &[GroupReport], out: &mut dyn Write) -> Result<()> {
    // The group column as wide as the longest name (28 at least).
    let w = groups
        .iter()
        .map(|g| g.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(28);
    writeln!(
        out,
        "{:<w$} {:>6} {:>5} {:>5} {:>8} {:>6} {:>6} {:>6} {:>7} {:>8} {:>6} {:>6} {:>6}",
        "GROUP",
        "PAIRS",
        "POS",
        "NEG",
        "ROC-AUC",
        "P",
        "R",
        "F1",
        "FALSE+",
        "PLAGDET",
        "PREC",
        "REC",
        "GRAN"
    )?;
    for g in groups {
        let pan = g.pan;
        writeln!(
            out,
            "{:<w$} {:>6} {:>5} {:>5} {:>8} {:>6.3} {:>6.3} {:>6.3} {:>7} {:>8} {:>6} {:>6} {:>6}",
            g.name,
            g.pairs,
            g.positives,
            g.negatives,
            opt(g.auc, 4),
            g.decisions.precision,
            g.decisions.recall,
            g.decisions.f1,
            g.false_detections,
            opt(pan.map(|p| p.plagdet), 3),
            opt(pan.map(|p| p.precision), 3),
            opt(pan.map(|p| p.recall), 3),
            opt(pan.map(|p| p.granularity), 3),
        )?;
    }
    for g in groups.iter().filter(|g| !g.categories.is_empty()) {
        let cats: Vec<String> = g
            .categories
            .iter()
            .map(|c| format!("{} {:.3} / {:.3} (n={})", c.name, c.mean, c.median, c.pairs))
            .collect();
        writeln!(
            out,
            "mean / median score by category in {}: {}",
            g.name,
            cats.join(", ")
        )?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonGroup<'a> {
    group: &'a str,
    pairs: usize,
    positives: usize,
    negatives: usize,
    roc_auc: Option<f64>,
    precision: f64,
    recall: f64,
    f1: f64,
    false_detections: usize,
    passages: Option<JsonPan>,
    categories: Vec<JsonCategory<'a>>,
}

#[derive(Serialize)]
struct JsonPan {
    plagdet: f64,
    precision: f64,
    recall: f64,
    granularity: f64,
    cases: usize,
    detections: usize,
}

#[derive(Serialize)]
struct JsonCategory<'a> {
    category: &'a str,
    mean_score: f64,
    median_score: f64,
    pairs: usize,
}

/// Writes the groups as a JSON array.
pub fn write_eval_json(groups: &[GroupReport], out: &mut dyn Write) -> Result<()> {
    let rows: Vec<JsonGroup<'_>> = groups
        .iter()
        .map(|g| JsonGroup {
            group: &g.name,
            pairs: g.pairs,
            positives: g.positives,
            negatives: g.negatives,
            roc_auc: g.auc,
            precision: g.decisions.precision,
            recall: g.decisions.recall,
            f1: g.decisions.f1,
            false_detections: g.false_detections,
            passages: g.pan.map(|p| JsonPan {
                plagdet: p.plagdet,
                precision: p.precision,
                recall: p.recall,
                granularity: p.granularity,
                cases: p.cases,
                detections: p.detections,
            }),
            categories: g
                .categories
                .iter()
                .map(|c| JsonCategory {
                    category: &c.name,
                    mean_score: c.mean,
                    median_score: c.median,
                    pairs: c.pairs,
                })
                .collect(),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &rows)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Writes the scores of a labelled feed: pairs, direction and clusters.
pub fn write_feed_eval_table(s: &FeedScores, out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "pairs      truth {}, reported {}, found {}: recall {:.4}, precision {:.4} ({} reported pairs within a truth story)",
        s.truth_pairs, s.reported, s.found, s.recall, s.precision, s.related
    )?;
    let share = if s.directed == 0 {
        1.0
    } else {
        s.direction_correct as f64 / s.directed as f64
    };
    writeln!(
        out,
        "direction  {} of {} found pairs directed by date or coverage, {:.4} correct; {:.4} of all listed source first",
        s.directed,
        s.found,
        share,
        if s.found == 0 {
            1.0
        } else {
            s.listed_correct as f64 / s.found as f64
        }
    )?;
    match &s.clusters {
        Some(c) => writeln!(
            out,
            "dedup      ARI {:.4}, pairwise precision {:.4}, recall {:.4}",
            c.ari, c.pair_precision, c.pair_recall
        )?,
        None => writeln!(out, "dedup      - (the truth has no \"copied\" shares)")?,
    }
    if let Some([c, src]) = &s.paragraphs {
        writeln!(
            out,
            "paragraphs copy side precision {:.4}, recall {:.4}; source side precision {:.4}, recall {:.4} ({} found pairs)",
            c.precision(),
            c.recall(),
            src.precision(),
            src.recall(),
            c.pairs
        )?;
    }
    Ok(())
}

/// The audit's scores on a labelled feed, two lines.
pub fn write_audit_eval_table(a: &AuditScores, out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "audit      {} of {} story members attributed to the truth's source ({} truth copies); flows precision {:.4}, recall {:.4}; stories ARI {:.4}",
        a.attributed, a.members, a.truth_copies, a.flow_precision, a.flow_recall, a.stories.ari
    )?;
    writeln!(
        out,
        "credit     precision {:.4}, recall {:.4} ({} judged); median lag exact in {} of {} flows (largest error {:.2} h)",
        a.credit_precision,
        a.credit_recall,
        a.credit_judged,
        a.lag_exact,
        a.lag_flows,
        a.lag_max_error_hours
    )?;
    Ok(())
}

/// The feed scores as one JSON object.
pub fn write_feed_eval_json(
    s: &FeedScores,
    audit: Option<&AuditScores>,
    out: &mut dyn Write,
) -> Result<()> {
    let value = serde_json::json!({
        "audit": audit.map(|a| serde_json::json!({
            "truth_copies": a.truth_copies,
            "members": a.members,
            "attributed": a.attributed,
            "flow_precision": a.flow_precision,
            "flow_recall": a.flow_recall,
            "story_ari": a.stories.ari,
            "story_pair_precision": a.stories.pair_precision,
            "story_pair_recall": a.stories.pair_recall,
            "credit_precision": a.credit_precision,
            "credit_recall": a.credit_recall,
            "credit_judged": a.credit_judged,
            "lag_exact_flows": a.lag_exact,
            "lag_flows": a.lag_flows,
            "lag_max_error_hours": a.lag_max_error_hours,
        })),
        "truth_pairs": s.truth_pairs,
        "reported": s.reported,
        "found": s.found,
        "related": s.related,
        "precision": s.precision,
        "recall": s.recall,
        "directed": s.directed,
        "direction_correct": s.direction_correct,
        "listed_correct": s.listed_correct,
        "clusters": s.clusters.map(|c| serde_json::json!({
            "ari": c.ari, "pair_precision": c.pair_precision, "pair_recall": c.pair_recall,
        })),
        "paragraphs": s.paragraphs.map(|sides| {
            let side = |p: &crate::eval::ParagraphScores| serde_json::json!({
                "pairs": p.pairs, "reported": p.reported, "truth": p.truth, "correct": p.correct,
                "precision": p.precision(), "recall": p.recall(),
            });
            serde_json::json!({"copy": side(&sides[0]), "source": side(&sides[1])})
        }),
    });
    serde_json::to_writer_pretty(&mut *out, &value)?;
    out.write_all(b"\n")?;
    Ok(())
}

//! Accuracy measures: PAN's character-level passage measures, ROC-AUC and
//! precision/recall for document pairs, and the truth format they read.
//!
//! **Truth format.** JSON Lines, one labelled document pair per line:
//!
//! ```json
//! {"copy": "susp/doc1.txt", "source": "src/doc9.txt", "label": true,
//!  "group": "03-random-obfuscation", "category": "cut",
//!  "spans": [{"copy": [1412, 1681], "source": [1084, 1486]}]}
//! ```
//!
//! `copy` and `source` are paths (relative ones are resolved against a root
//! directory); `label` says whether the pair is reuse; `group` (optional)
//! names the part the pair is scored in, and pairs with `label: false` are
//! the negatives every group's ROC-AUC is measured against; `category`
//! (optional) is a graded label such as Clough–Stevenson's
//! cut/light/heavy/non, reported as a mean score per category; `spans`
//! (optional) are the reused passages as character offsets
//! `[start, end)` into each document's decoded text.
//!
//! **Passage measures** follow PAN (Potthast et al., COLING 2010), pooled
//! over all pairs of a group: a detection *detects* a case when they
//! overlap in both documents; recall averages, over cases, the share of the
//! case's characters (both documents) covered by detections that detect it;
//! precision is the same with cases and detections swapped; granularity is
//! the mean number of detections per detected case; plagdet is
//! `F1 / log2(1 + granularity)`. With no cases and no detections, recall and
//! precision are 1; with only one of them, 0.

use crate::score::{PairDoc, decide};
use std::ops::Range;

use serde::Deserialize;

/// A reused passage in one labelled pair, or one detection: character
/// ranges in the copy and the source.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SpanPair {
    /// Characters `[start, end)` in the copy.
    pub copy: [usize; 2],
    /// Characters `[start, end)` in the source.
    pub source: [usize; 2],
}

impl SpanPair {
    fn copy_range(&self) -> Range<usize> {
        self.copy[0]..self.copy[1].max(self.copy[0])
    }

    fn source_range(&self) -> Range<usize> {
        self.source[0]..self.source[1].max(self.source[0])
    }

    fn len(&self) -> usize {
        self.copy_range().len() + self.source_range().len()
    }
}

/// One line of a truth file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TruthPair {
    /// Path of the copy (suspicious) document.
    pub copy: String,
    /// Path of the source document.
    pub source: String,
    /// Whether the pair is reuse.
    pub label: bool,
    /// The part the pair is scored in.
    #[serde(default)]
    pub group: Option<String>,
    /// A graded label (e.g. cut / light / heavy / non).
    #[serde(default)]
    pub category: Option<String>,
    /// The reused passages.
    #[serde(default)]
    pub spans: Vec<SpanPair>,
    /// Share of the copy's text taken from the source, when known (feeds
    /// from `reprint synth`): copies with at least the dedup threshold are
    /// near-duplicates the dedup clusters should hold.
    #[serde(default)]
    pub copied: Option<f64>,
    /// Whether the copy credits the source's outlet, when known (feeds
    /// from `reprint synth`).
    #[serde(default)]
    pub credited: Option<bool>,
    /// The copy's paragraphs taken from the source, when known (feeds from
    /// `reprint synth`): `[copy paragraph, [source paragraphs]]`, 1-based.
    #[serde(default)]
    pub paragraphs: Option<Vec<(usize, Vec<usize>)>>,
}

/// Parses a truth file's text; errors name the line.
pub fn parse_truth(text: &str) -> Result<Vec<TruthPair>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| format!("line {}: {e}", i + 1)))
        .collect()
}

/// PAN's character-level passage measures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PanScores {
    /// Macro-averaged precision.
    pub precision: f64,
    /// Macro-averaged recall.
    pub recall: f64,
    /// Mean detections per detected case (≥ 1).
    pub granularity: f64,
    /// `F1 / log2(1 + granularity)`.
    pub plagdet: f64,
    /// Number of cases.
    pub cases: usize,
    /// Number of detections.
    pub detections: usize,
}

fn overlaps(a: &SpanPair, b: &SpanPair) -> bool {
    let (ac, bc) = (a.copy_range(), b.copy_range());
    let (as_, bs) = (a.source_range(), b.source_range());
    ac.start < bc.end && bc.start < ac.end && as_.start < bs.end && bs.start < as_.end
}

/// Characters of `range` covered by the union of `others`.
fn covered(range: Range<usize>, others: impl Iterator<Item = Range<usize>>) -> usize {
    let mut parts: Vec<Range<usize>> = others
        .map(|o| o.start.max(range.start)..o.end.min(range.end))
        .filter(|o| o.start < o.end)
        .collect();
    parts.sort_by_key(|r| r.start);
    let (mut total, mut reach) = (0, range.start);
    for p in parts {
        let start = p.start.max(reach);
        if p.end > start {
            total += p.end - start;
            reach = p.end;
        }
    }
    total
}

/// Sum over `items` of the share of each item covered by the `other` items
/// of the same pair that detect it, and the count of items.
fn coverage_sum(items: &[Vec<SpanPair>], others: &[Vec<SpanPair>]) -> (f64, usize) {
    let mut sum = 0.0;
    let mut count = 0;
    for (mine, theirs) in items.iter().zip(others) {
        for s in mine {
            count += 1;
            let hits: Vec<&SpanPair> = theirs.iter().filter(|r| overlaps(s, r)).collect();
            if hits.is_empty() || s.len() == 0 {
                continue;
            }
            let c = covered(s.copy_range(), hits.iter().map(|r| r.copy_range()))
                + covered(s.source_range(), hits.iter().map(|r| r.source_range()));
            sum += c as f64 / s.len() as f64;
        }
    }
    (sum, count)
}

/// PAN measures pooled over pairs: `cases[i]` and `detections[i]` belong to
/// the same document pair.
///
/// ```
/// use reprint::eval::{pan_scores, SpanPair};
/// let case = SpanPair { copy: [0, 100], source: [0, 100] };
/// let half = SpanPair { copy: [0, 50], source: [0, 50] };
/// let other = SpanPair { copy: [50, 100], source: [50, 100] };
/// let s = pan_scores(&[vec![case]], &[vec![half, other]]);
/// assert_eq!((s.recall, s.precision, s.granularity), (1.0, 1.0, 2.0));
/// ```
pub fn pan_scores(cases: &[Vec<SpanPair>], detections: &[Vec<SpanPair>]) -> PanScores {
    let (rsum, ncases) = coverage_sum(cases, detections);
    let (psum, ndets) = coverage_sum(detections, cases);
    let ratio = |sum: f64, n: usize, other: usize| match (n, other) {
        (0, 0) => 1.0,
        (0, _) | (_, 0) => 0.0,
        _ => sum / n as f64,
    };
    let recall = ratio(rsum, ncases, ndets);
    let precision = ratio(psum, ndets, ncases);
    let mut detected = 0usize;
    let mut per_case = 0usize;
    for (cs, ds) in cases.iter().zip(detections) {
        for c in cs {
            let n = ds.iter().filter(|d| overlaps(c, d)).count();
            if n > 0 {
                detected += 1;
                per_case += n;
            }
        }
    }
    let granularity = if detected == 0 {
        1.0
    } else {
        per_case as f64 / detected as f64
    };
    let plagdet = if recall + precision == 0.0 {
        0.0
    } else {
        (2.0 * recall * precision / (recall + precision)) / (1.0 + granularity).log2()
    };
    PanScores {
        precision,
        recall,
        granularity,
        plagdet,
        cases: ncases,
        detections: ndets,
    }
}

/// Area under the ROC curve of `positives` against `negatives` (ties count
/// one half); `None` when either side is empty.
///
/// ```
/// assert_eq!(reprint::eval::roc_auc(&[0.9, 0.8], &[0.1, 0.8]), Some(0.875));
/// ```
pub fn roc_auc(positives: &[f64], negatives: &[f64]) -> Option<f64> {
    if positives.is_empty() || negatives.is_empty() {
        return None;
    }
    let mut all: Vec<(f64, bool)> = positives
        .iter()
        .map(|&s| (s, true))
        .chain(negatives.iter().map(|&s| (s, false)))
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Mann–Whitney U with average ranks for ties.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < all.len() {
        let mut j = i;
        while j < all.len() && all[j].0 == all[i].0 {
            j += 1;
        }
        let avg_rank = (i + 1 + j) as f64 / 2.0;
        rank_sum += avg_rank * all[i..j].iter().filter(|x| x.1).count() as f64;
        i = j;
    }
    let (p, n) = (positives.len() as f64, negatives.len() as f64);
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * n))
}

/// Precision, recall and F1 of binary decisions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Binary {
    /// True positives / predicted positives (1 when nothing is predicted).
    pub precision: f64,
    /// True positives / actual positives (1 when there are none).
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

/// Scores decisions `(predicted, actual)`.
pub fn binary(decisions: impl IntoIterator<Item = (bool, bool)>) -> Binary {
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for (p, a) in decisions {
        match (p, a) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fn_ += 1,
            (false, false) => {}
        }
    }
    let precision = if tp + fp == 0 {
        1.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let recall = if tp + fn_ == 0 {
        1.0
    } else {
        tp as f64 / (tp + fn_) as f64
    };
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Binary {
        precision,
        recall,
        f1,
    }
}

/// Pairwise precision/recall and adjusted Rand index of a clustering
/// against a reference, both given as one cluster label per item.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClusterScores {
    /// Share of predicted same-cluster pairs that are same-cluster in truth.
    pub pair_precision: f64,
    /// Share of true same-cluster pairs predicted together.
    pub pair_recall: f64,
    /// Adjusted Rand index (Hubert & Arabie, 1985).
    pub ari: f64,
}

/// Compares two labellings of the same items.
///
/// ```
/// let s = reprint::eval::cluster_scores(&[0, 0, 1, 1], &[5, 5, 7, 7]);
/// assert_eq!((s.pair_precision, s.pair_recall, s.ari), (1.0, 1.0, 1.0));
/// ```
pub fn cluster_scores(truth: &[usize], predicted: &[usize]) -> ClusterScores {
    use std::collections::HashMap;
    let c2 = |n: usize| (n * n.saturating_sub(1) / 2) as f64;
    let mut joint: HashMap<(usize, usize), usize> = HashMap::new();
    let mut rows: HashMap<usize, usize> = HashMap::new();
    let mut cols: HashMap<usize, usize> = HashMap::new();
    for (&t, &p) in truth.iter().zip(predicted) {
        *joint.entry((t, p)).or_default() += 1;
        *rows.entry(t).or_default() += 1;
        *cols.entry(p).or_default() += 1;
    }
    let both: f64 = joint.values().map(|&n| c2(n)).sum();
    let same_truth: f64 = rows.values().map(|&n| c2(n)).sum();
    let same_pred: f64 = cols.values().map(|&n| c2(n)).sum();
    let total = c2(truth.len());
    let expected = if total == 0.0 {
        0.0
    } else {
        same_truth * same_pred / total
    };
    let max = (same_truth + same_pred) / 2.0;
    let ari = if (max - expected).abs() < f64::EPSILON {
        1.0
    } else {
        (both - expected) / (max - expected)
    };
    ClusterScores {
        pair_precision: if same_pred == 0.0 {
            1.0
        } else {
            both / same_pred
        },
        pair_recall: if same_truth == 0.0 {
            1.0
        } else {
            both / same_truth
        },
        ari,
    }
}

#[cfg(test)]
mod tests;

/// What the detector says about one labelled pair.
#[derive(Debug, Clone, PartialEq)]
pub struct PairResult {
    /// The pair's score ([`crate::reuse::ReusePair::score`]), used for
    /// ROC-AUC.
    pub score: f64,
    /// Whether any passage was found.
    pub detected: bool,
    /// The passages, in characters, copy side first as the truth names the
    /// sides.
    pub detections: Vec<SpanPair>,
    /// The decided pair in the truth's orientation (document 0 is the
    /// truth's copy): the components of the score.
    pub pair: crate::reuse::ReusePair,
}

/// A labelled document prepared once for all the pairs it takes part in.
#[derive(Debug, Clone)]
pub struct EvalDocument<'d> {
    doc: PairDoc<'d>,
}

impl<'d> EvalDocument<'d> {
    /// Prepares `doc` as `compare` does: its body from `body_start`, its
    /// paragraphs, nothing set aside as boilerplate.
    pub fn new(doc: &'d crate::corpus::Document) -> Self {
        EvalDocument {
            doc: PairDoc::new(
                &doc.text,
                doc.body_start,
                crate::text::split_paragraphs(&doc.text, doc.body_start),
                Vec::new(),
                doc.date.clone(),
            )
            .with_outlet(doc.source.clone()),
        }
    }
}

/// Decides the pair as `compare` does ([`crate::score::decide`]) and
/// reports it in the truth's orientation.
pub fn detect_pair(
    copy: &EvalDocument,
    source: &EvalDocument,
    config: &crate::align::AlignConfig,
) -> PairResult {
    let pair = decide(&copy.doc, 0, &source.doc, 1, config);
    // The pair as the truth orients it (a pair decided mutual is reported
    // with its sides in the other order).
    let oriented = if pair.copy == 0 { pair } else { pair.flipped() };
    let detections: Vec<SpanPair> = oriented
        .passages
        .iter()
        .map(|p| SpanPair {
            copy: [p.copy_span.start, p.copy_span.end],
            source: [p.source_span.start, p.source_span.end],
        })
        .collect();
    PairResult {
        score: oriented.score(),
        detected: !detections.is_empty(),
        detections,
        pair: oriented,
    }
}

/// Scores of one group of labelled pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupReport {
    /// Group name (`all` when the truth names none; `pooled` for the
    /// pooled positive groups).
    pub name: String,
    /// Pairs in the group.
    pub pairs: usize,
    /// Pairs labelled reuse.
    pub positives: usize,
    /// Pairs labelled not reuse.
    pub negatives: usize,
    /// ROC-AUC of the group's positives against every negative pair of the
    /// truth.
    pub auc: Option<f64>,
    /// Pair decisions (a passage found = reuse) within the group.
    pub decisions: Binary,
    /// Negative pairs of the group with a detection.
    pub false_detections: usize,
    /// PAN passage measures, when the group's positives carry spans.
    pub pan: Option<PanScores>,
    /// Scores per category, in order of first appearance.
    pub categories: Vec<CategoryScores>,
}

/// The scores of one category of graded labels (Clough–Stevenson's cut,
/// light, heavy and non).
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryScores {
    /// The category's name.
    pub name: String,
    /// Mean pair score.
    pub mean: f64,
    /// Median pair score (the mean of the middle two for an even count).
    pub median: f64,
    /// Pairs in the category.
    pub pairs: usize,
}

/// Groups the results and scores each group, then the positive groups with
/// spans pooled together.
pub fn summarize(truth: &[TruthPair], results: &[PairResult]) -> Vec<GroupReport> {
    let name_of = |t: &TruthPair| t.group.clone().unwrap_or_else(|| "all".into());
    let mut names: Vec<String> = Vec::new();
    for t in truth {
        let n = name_of(t);
        if !names.contains(&n) {
            names.push(n);
        }
    }
    let negatives: Vec<f64> = truth
        .iter()
        .zip(results)
        .filter(|(t, _)| !t.label)
        .map(|(_, r)| r.score)
        .collect();
    let report = |name: String, members: Vec<usize>| -> GroupReport {
        let positives: Vec<f64> = members
            .iter()
            .filter(|&&i| truth[i].label)
            .map(|&i| results[i].score)
            .collect();
        let with_spans = members
            .iter()
            .any(|&i| truth[i].label && !truth[i].spans.is_empty());
        let pan = with_spans.then(|| {
            let cases: Vec<Vec<SpanPair>> =
                members.iter().map(|&i| truth[i].spans.clone()).collect();
            let dets: Vec<Vec<SpanPair>> = members
                .iter()
                .map(|&i| results[i].detections.clone())
                .collect();
            pan_scores(&cases, &dets)
        });
        let mut by_category: Vec<(String, Vec<f64>)> = Vec::new();
        for &i in &members {
            if let Some(c) = &truth[i].category {
                match by_category.iter_mut().find(|x| &x.0 == c) {
                    Some(x) => x.1.push(results[i].score),
                    None => by_category.push((c.clone(), vec![results[i].score])),
                }
            }
        }
        let categories = by_category
            .into_iter()
            .map(|(name, mut scores)| {
                scores.sort_by(f64::total_cmp);
                let n = scores.len();
                let median = if n % 2 == 1 {
                    scores[n / 2]
                } else {
                    (scores[n / 2 - 1] + scores[n / 2]) / 2.0
                };
                CategoryScores {
                    name,
                    mean: scores.iter().sum::<f64>() / n as f64,
                    median,
                    pairs: n,
                }
            })
            .collect();
        GroupReport {
            pairs: members.len(),
            positives: positives.len(),
            negatives: members.len() - positives.len(),
            auc: roc_auc(&positives, &negatives),
            decisions: binary(
                members
                    .iter()
                    .map(|&i| (results[i].detected, truth[i].label)),
            ),
            false_detections: members
                .iter()
                .filter(|&&i| !truth[i].label && results[i].detected)
                .count(),
            pan,
            categories,
            name,
        }
    };
    let mut out: Vec<GroupReport> = names
        .iter()
        .map(|n| {
            let members = (0..truth.len())
                .filter(|&i| &name_of(&truth[i]) == n)
                .collect();
            report(n.clone(), members)
        })
        .collect();
    let pooled_groups: Vec<&String> = out
        .iter()
        .filter(|g| g.pan.is_some())
        .map(|g| &g.name)
        .collect();
    if pooled_groups.len() > 1 {
        let members = (0..truth.len())
            .filter(|&i| truth[i].label && pooled_groups.contains(&&name_of(&truth[i])))
            .collect();
        let pooled = report("pooled".into(), members);
        out.push(pooled);
    }
    out
}

/// How a scan and a deduplication of a labelled feed compare with its
/// truth (pairs named by document id, as `reprint synth --truth` writes
/// them).
#[derive(Debug, Clone, PartialEq)]
pub struct FeedScores {
    /// Truth pairs whose two documents are both in the feed.
    pub truth_pairs: usize,
    /// Pairs the scan reported.
    pub reported: usize,
    /// Truth pairs the scan reported (either way round).
    pub found: usize,
    /// Reported pairs within one truth story (an original and its copies:
    /// two copies of one original share its text too).
    pub related: usize,
    /// `related / reported`.
    pub precision: f64,
    /// `found / truth_pairs`.
    pub recall: f64,
    /// Found truth pairs whose direction was decided by date or coverage.
    pub directed: usize,
    /// Of those, the ones with the truth's source as source.
    pub direction_correct: usize,
    /// Found truth pairs listed with the truth's source as source, mutual
    /// ones included (listed as the aligner read them, or with the article
    /// crediting the other's outlet as the copy).
    pub listed_correct: usize,
    /// Clusters of `dedup` against the truth's near-duplicates (copies with
    /// at least the dedup threshold of their text from the source, a
    /// `copied` field of the truth), when the truth says how much.
    pub clusters: Option<ClusterScores>,
    /// The found pairs' passages as paragraphs, against the truth's
    /// paragraphs, when the truth lists them: `[copy side, source side]`.
    pub paragraphs: Option<[ParagraphScores; 2]>,
}

/// Paragraph-level precision and recall of one side of the found truth
/// pairs: the paragraphs the passages cover against those the truth says
/// were taken (copy side) or drawn on (source side), counted over pairs.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ParagraphScores {
    /// Found pairs with paragraph truth.
    pub pairs: usize,
    /// Paragraphs covered by passages.
    pub reported: usize,
    /// Paragraphs of the truth.
    pub truth: usize,
    /// Paragraphs of both.
    pub correct: usize,
}

impl ParagraphScores {
    /// `correct / reported` (1 when nothing is reported).
    pub fn precision(&self) -> f64 {
        if self.reported == 0 {
            1.0
        } else {
            self.correct as f64 / self.reported as f64
        }
    }

    /// `correct / truth` (1 when the truth has none).
    pub fn recall(&self) -> f64 {
        if self.truth == 0 {
            1.0
        } else {
            self.correct as f64 / self.truth as f64
        }
    }

    /// Adds one pair: the paragraphs its passages cover and the truth's.
    fn add(
        &mut self,
        reported: &std::collections::BTreeSet<usize>,
        truth: &std::collections::BTreeSet<usize>,
    ) {
        self.pairs += 1;
        self.reported += reported.len();
        self.truth += truth.len();
        self.correct += reported.intersection(truth).count();
    }
}

/// Scores of `reprint audit` against a labelled feed.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditScores {
    /// Truth copies whose documents are both in the feed.
    pub truth_copies: usize,
    /// Story members the audit reports.
    pub members: usize,
    /// Members attributed to the truth's source (the copy's original).
    pub attributed: usize,
    /// Flow precision: share of the audit's (copy, copier outlet, source
    /// outlet) edges that the truth has.
    pub flow_precision: f64,
    /// Flow recall: share of the truth's edges the audit has.
    pub flow_recall: f64,
    /// Story membership against the truth's stories (an original and its
    /// copies; a document in two stories counts in its earliest).
    pub stories: ClusterScores,
    /// Credit detection on correctly attributed members whose truth says:
    /// precision, recall, and how many were judged.
    pub credit_precision: f64,
    /// Credit recall.
    pub credit_recall: f64,
    /// Members judged for credit.
    pub credit_judged: usize,
    /// Flows (copier, source outlet) whose median lag equals the truth's.
    pub lag_exact: usize,
    /// Flows compared for lag (both have a median).
    pub lag_flows: usize,
    /// Largest difference of a flow's median lag from the truth's, hours.
    pub lag_max_error_hours: f64,
}

/// Each document's position in `report`, by id.
fn id_index(report: &crate::scan::ScanReport) -> std::collections::HashMap<&str, usize> {
    report
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect()
}

/// Scores an audit of a labelled feed: truth pairs name copy and source by
/// id; outlets and dates are the feed's.
pub fn score_audit(
    truth: &[TruthPair],
    report: &crate::scan::ScanReport,
    audit: &crate::audit::Audit,
) -> AuditScores {
    use std::collections::{BTreeMap, HashMap, HashSet};
    let index = id_index(report);
    let outlet = |i: usize| {
        report.documents[i]
            .source
            .clone()
            .unwrap_or_else(|| crate::audit::UNKNOWN_OUTLET.to_string())
    };
    let known: Vec<(usize, usize, Option<bool>)> = truth
        .iter()
        .filter(|t| t.label)
        .filter_map(|t| {
            Some((
                *index.get(t.copy.as_str())?,
                *index.get(t.source.as_str())?,
                t.credited,
            ))
        })
        .collect();
    let truth_of: HashMap<(usize, usize), Option<bool>> =
        known.iter().map(|&(c, s, cr)| ((c, s), cr)).collect();

    let truth_edges: HashSet<(usize, String, String)> = known
        .iter()
        .map(|&(c, s, _)| (c, outlet(c), outlet(s)))
        .collect();
    let mut predicted_edges: HashSet<(usize, String, String)> = HashSet::new();
    let (mut members, mut attributed) = (0, 0);
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let mut predicted_story: Vec<usize> = (0..report.documents.len()).collect();
    let mut assigned = vec![false; report.documents.len()];
    // A document in two stories takes the one of its earliest original.
    let mut judged = 0usize;
    for s in &audit.stories {
        for m in &s.members {
            members += 1;
            predicted_edges.insert((m.doc, m.outlet.clone(), s.outlet.clone()));
            if let Some(credited) = truth_of.get(&(m.doc, s.original)) {
                attributed += 1;
                if let Some(truth) = credited {
                    judged += 1;
                    match (m.credit.is_some(), truth) {
                        (true, true) => tp += 1,
                        (true, false) => fp += 1,
                        (false, true) => fn_ += 1,
                        (false, false) => {}
                    }
                }
            }
            let earliest = predicted_story[m.doc];
            if !assigned[m.doc] || s.original < earliest {
                predicted_story[m.doc] = s.original;
                assigned[m.doc] = true;
            }
        }
    }
    let mut truth_story: Vec<usize> = (0..report.documents.len()).collect();
    for &(c, s, _) in &known {
        truth_story[c] = s;
    }
    let hits = predicted_edges.intersection(&truth_edges).count();
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };

    // Median lag per flow, truth against audit.
    let mut truth_lags: BTreeMap<(String, String), Vec<Option<crate::date::Lag>>> = BTreeMap::new();
    for &(c, s, _) in &known {
        let lag = match (&report.documents[s].date, &report.documents[c].date) {
            (Some(a), Some(b)) => Some(a.lag_to(b)),
            _ => None,
        };
        truth_lags
            .entry((outlet(c), outlet(s)))
            .or_default()
            .push(lag);
    }
    let (mut lag_exact, mut lag_flows, mut lag_max) = (0, 0, 0.0f64);
    for f in &audit.flows {
        let Some(lags) = truth_lags.get(&(f.copier.clone(), f.source.clone())) else {
            continue;
        };
        let truth_median = crate::audit::LagStats::of(lags).median_hours;
        if let (Some(t), Some(p)) = (truth_median, f.lag.median_hours) {
            lag_flows += 1;
            let err = (t - p).abs();
            lag_exact += usize::from(err < 1e-9);
            lag_max = lag_max.max(err);
        }
    }
    AuditScores {
        truth_copies: known.len(),
        members,
        attributed,
        flow_precision: ratio(hits, predicted_edges.len()),
        flow_recall: ratio(hits, truth_edges.len()),
        stories: cluster_scores(&truth_story, &predicted_story),
        credit_precision: ratio(tp, tp + fp),
        credit_recall: ratio(tp, tp + fn_),
        credit_judged: judged,
        lag_exact,
        lag_flows,
        lag_max_error_hours: lag_max,
    }
}

/// Scores a scan of a labelled feed and its dedup clusters against truth
/// pairs that name documents by id. `dedup_threshold` is the threshold the
/// clusters were built with.
pub fn score_feed(
    truth: &[TruthPair],
    report: &crate::scan::ScanReport,
    clusters: &[crate::cluster::Cluster],
    dedup_threshold: f64,
) -> FeedScores {
    use std::collections::HashMap;
    let index = id_index(report);
    let known: Vec<(usize, usize, &TruthPair)> = truth
        .iter()
        .filter(|t| t.label)
        .filter_map(|t| {
            Some((
                index.get(t.copy.as_str())?.to_owned(),
                *index.get(t.source.as_str())?,
                t,
            ))
        })
        .collect();
    // Story of each document: the original it (or what it copies) comes from.
    let mut story: Vec<usize> = (0..report.documents.len()).collect();
    for &(c, s, _) in &known {
        story[c] = s;
    }
    for d in 0..story.len() {
        let mut root = story[d];
        let mut hops = 0;
        while story[root] != root && hops < story.len() {
            root = story[root];
            hops += 1;
        }
        story[d] = root;
    }
    let key = |a: usize, b: usize| (a.min(b), a.max(b));
    let reported: HashMap<(usize, usize), &crate::reuse::ReusePair> = report
        .pairs
        .iter()
        .map(|p| (key(p.copy, p.source), p))
        .collect();
    let related = report
        .pairs
        .iter()
        .filter(|p| story[p.copy] == story[p.source])
        .count();
    let mut found = 0;
    let (mut directed, mut direction_correct, mut listed_correct) = (0, 0, 0);
    let mut paragraphs = [ParagraphScores::default(); 2];
    for &(c, s, t) in &known {
        if let Some(p) = reported.get(&key(c, s)) {
            found += 1;
            if let Some(truth_paragraphs) = &t.paragraphs {
                // The passages' paragraphs in the truth's orientation.
                let covered =
                    |side: &dyn Fn(&crate::reuse::Passage) -> crate::reuse::ParagraphRange| {
                        p.passages
                            .iter()
                            .flat_map(|x| {
                                let r = side(x);
                                r.first..=r.last
                            })
                            .collect::<std::collections::BTreeSet<usize>>()
                    };
                let (on_copy, on_source) = (covered(&|x| x.copy), covered(&|x| x.source));
                let (on_copy, on_source) = if p.copy == c {
                    (on_copy, on_source)
                } else {
                    (on_source, on_copy)
                };
                let truth_copy = truth_paragraphs.iter().map(|(k, _)| *k).collect();
                let truth_source = truth_paragraphs
                    .iter()
                    .flat_map(|(_, o)| o.iter().copied())
                    .collect();
                paragraphs[0].add(&on_copy, &truth_copy);
                paragraphs[1].add(&on_source, &truth_source);
            }
            listed_correct += usize::from(p.source == s);
            if p.direction != crate::reuse::Direction::Mutual {
                directed += 1;
                direction_correct += usize::from(p.source == s);
            }
        }
    }
    let cluster_scores = known.iter().all(|(_, _, t)| t.copied.is_some()).then(|| {
        let mut truth_label: Vec<usize> = (0..report.documents.len()).collect();
        for &(c, s, t) in &known {
            if t.copied.unwrap_or(0.0) >= dedup_threshold {
                truth_label[c] = s;
            }
        }
        let mut predicted: Vec<usize> = (0..report.documents.len()).collect();
        for cl in clusters {
            for &(d, _) in &cl.dropped {
                predicted[d] = cl.kept;
            }
        }
        cluster_scores(&truth_label, &predicted)
    });
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    FeedScores {
        truth_pairs: known.len(),
        reported: report.pairs.len(),
        found,
        related,
        precision: ratio(related, report.pairs.len()),
        recall: ratio(found, known.len()),
        directed,
        direction_correct,
        listed_correct,
        clusters: cluster_scores,
        paragraphs: known
            .iter()
            .any(|(_, _, t)| t.paragraphs.is_some())
            .then_some(paragraphs),
    }
}

//! Stage 8, audit: who runs whose copy. From the pairs a scan decided
//! ([`crate::scan::ScanReport`]), the outlets (a feed's `source` field),
//! their flows of reused text, the stories that ran across outlets, the
//! lag between a story and its copies, and whether the copies credit it.
//!
//! **Stories.** Each copy is attributed to the earliest version it reuses
//! directly: its sources (the documents it has a decided pair with, as the
//! copy) are taken in date order, and a source that has a pair with one
//! already taken is an intermediate of that one's story (a copy of a copy,
//! noted with the member) rather than a story of its own. A copy of two
//! unrelated stories (a round-up) is a member of both. Nothing is chained:
//! every member has a verified pair with its story's original.
//!
//! **Direction.** A pair is taken as scoring decided it (dates, then a
//! credit, then containment), with the `--alias` names counted as credits
//! too (scoring knows none); a pair decided "mutual" (same or no dates,
//! coverages that do not tell, no credit) is oriented by date, then by
//! input order, and counted in its flow as undirected.
//!
//! **Flows.** One per (copying outlet, source outlet) of the attributed
//! copies: the copies, the copier's words they reuse (each copy's words
//! times the share of it covered by the story's original), the lags and
//! the credits (module `credit`).

pub use crate::score::credit::{Aliases, CREDIT_WINDOW, credit_in};

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::date::Lag;
use crate::error::Result;
use crate::reuse::{Direction, ReusePair};
use crate::scan::ScanReport;

/// A story member counts as running the story whole when it covers at
/// least this share of the original.
pub const WHOLE_SHARE: f64 = 0.8;

/// Outlet name of documents that have none.
pub const UNKNOWN_OUTLET: &str = "(unknown)";

/// Audit options.
#[derive(Debug, Clone, Default)]
pub struct AuditConfig {
    /// Outlet aliases for credit detection.
    pub aliases: Aliases,
}

/// The audit of a scanned feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Audit {
    /// Every outlet, by name.
    pub outlets: Vec<OutletSummary>,
    /// Every (copier, source) flow, most copies first.
    pub flows: Vec<Flow>,
    /// Every story with at least one copy, most members first.
    pub stories: Vec<Story>,
}

/// One outlet's output and reuse.
#[derive(Debug, Clone, PartialEq)]
pub struct OutletSummary {
    /// The outlet's name.
    pub name: String,
    /// Articles it published.
    pub articles: usize,
    /// Words of those articles.
    pub words: usize,
    /// Share of its words that no earlier article of the feed had
    /// (reuse of its own earlier stories included).
    pub originality: f64,
    /// Share of its words reused from other outlets.
    pub reused_from_others: f64,
    /// Its articles that copy a story.
    pub copies: usize,
    /// Its stories that others copied.
    pub stories_reused: usize,
    /// The outlets it copies most, with the copies (at most five).
    pub top_sources: Vec<(String, usize)>,
    /// The outlets that copy it most, with the copies (at most five).
    pub top_reusers: Vec<(String, usize)>,
}

/// Summary statistics of lags (in hours).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LagStats {
    /// Copies whose lag is known.
    pub known: usize,
    /// Copies where either date is missing.
    pub unknown: usize,
    /// Median lag in hours.
    pub median_hours: Option<f64>,
    /// 90th percentile (nearest rank) in hours.
    pub p90_hours: Option<f64>,
    /// Whether every known lag came from times of day (else some are
    /// whole days, counted as 24 hours each).
    pub to_the_second: bool,
}

impl LagStats {
    /// The statistics of `lags` (`None`: a date is missing).
    pub fn of(lags: &[Option<Lag>]) -> LagStats {
        let mut hours: Vec<f64> = lags.iter().flatten().map(|l| l.hours()).collect();
        hours.sort_by(f64::total_cmp);
        let known = hours.len();
        let rank = |q: f64| -> Option<f64> {
            if known == 0 {
                return None;
            }
            let i = ((q * known as f64).ceil() as usize).clamp(1, known) - 1;
            Some(hours[i])
        };
        let median = if known == 0 {
            None
        } else if known % 2 == 1 {
            Some(hours[known / 2])
        } else {
            Some((hours[known / 2 - 1] + hours[known / 2]) / 2.0)
        };
        LagStats {
            known,
            unknown: lags.len() - known,
            median_hours: median,
            p90_hours: rank(0.9),
            to_the_second: lags.iter().flatten().all(|l| matches!(l, Lag::Seconds(_))),
        }
    }
}

/// Reuse of one outlet's stories by another.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// The copying outlet.
    pub copier: String,
    /// The outlet whose stories it copies.
    pub source: String,
    /// The copier's articles that copy the source's stories.
    pub copies: usize,
    /// The source's stories they copy.
    pub stories: usize,
    /// Words of the copier's articles covered by the source's stories.
    pub reused_words: f64,
    /// Share of all the copier's words (its whole output) reused from the
    /// source.
    pub share_of_output: f64,
    /// Lags from the source's stories to the copies.
    pub lag: LagStats,
    /// Copies that credit the source.
    pub credited: usize,
    /// Copies whose pair was decided "mutual" (oriented by date, then input
    /// order).
    pub undirected: usize,
}

/// A story: its earliest version and the articles that reuse it.
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    /// Document index of the earliest version.
    pub original: usize,
    /// Its outlet.
    pub outlet: String,
    /// The copies, earliest first.
    pub members: Vec<Member>,
    /// Distinct outlets of the copies.
    pub outlets: usize,
    /// Copies covering at least [`WHOLE_SHARE`] of the original.
    pub whole: usize,
    /// Copies that do not credit the original's outlet.
    pub uncredited: usize,
    /// Hours from the original to the last copy with a known lag.
    pub span_hours: Option<f64>,
}

/// One article reusing a story.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Document index of the copy.
    pub doc: usize,
    /// Its outlet.
    pub outlet: String,
    /// Index of the pair (copy, original) in the scan report.
    pub pair: usize,
    /// Share of the original found in the copy.
    pub coverage_of_original: f64,
    /// Share of the copy covered by the original.
    pub share_of_copy: f64,
    /// Time from the original to the copy.
    pub lag: Option<Lag>,
    /// The name or alias of the original's outlet the copy credits.
    pub credit: Option<String>,
    /// Other copies of the story this article also reuses (it may have
    /// copied one of them rather than the original).
    pub intermediates: Vec<usize>,
    /// Whether the pair's direction was decided "mutual".
    pub undirected: bool,
}

/// The outlet of document `i`.
fn outlet_of(report: &ScanReport, i: usize) -> &str {
    report.documents[i]
        .source
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(UNKNOWN_OUTLET)
}

/// Sort key: dated documents by date, undated after them; then input order.
fn order_key(report: &ScanReport, i: usize) -> (bool, (i64, i64), usize) {
    match &report.documents[i].date {
        Some(d) => (false, d.sort_key(), i),
        None => (true, (0, 0), i),
    }
}

/// The pair as (copy, source, undirected). A pair that dates do not
/// direct is oriented by a credit (one side naming the other's outlet) as
/// scoring orients it, the `--alias` names included: scoring knows no
/// aliases, so an outlet copy crediting "AP" for "Associated Press" is
/// oriented here. Otherwise as scoring decided it; a mutual pair by date,
/// then input order, and then undirected. An error when a kept text cannot
/// be read back.
fn oriented(report: &ScanReport, p: &ReusePair, aliases: &Aliases) -> Result<(usize, usize, bool)> {
    if p.direction == Direction::Date {
        return Ok((p.copy, p.source, false));
    }
    let (mut copy_credits, mut source_credits) = (p.copy_credits_source, p.source_credits_copy);
    if copy_credits == source_credits && !aliases.is_empty() {
        let credits = |d: usize, other: usize| -> Result<bool> {
            Ok(match &report.documents[d].text {
                Some(t) if outlet_of(report, d) != outlet_of(report, other) => {
                    credit_in(&t.read()?, outlet_of(report, other), aliases).is_some()
                }
                _ => false,
            })
        };
        copy_credits = credits(p.copy, p.source)?;
        source_credits = credits(p.source, p.copy)?;
    }
    if copy_credits != source_credits {
        return Ok(if copy_credits {
            (p.copy, p.source, false)
        } else {
            (p.source, p.copy, false)
        });
    }
    if p.direction == Direction::Containment {
        return Ok((p.copy, p.source, false));
    }
    let (a, b) = (p.copy, p.source);
    Ok(if order_key(report, a) < order_key(report, b) {
        (b, a, true)
    } else {
        (a, b, true)
    })
}

impl Audit {
    /// Each flow's copies and share of the copier's words, by (copier,
    /// source): the cells of an outlet matrix.
    pub fn flow_cells(&self) -> HashMap<(&str, &str), (usize, f64)> {
        self.flows
            .iter()
            .map(|f| {
                (
                    (f.copier.as_str(), f.source.as_str()),
                    (f.copies, f.share_of_output),
                )
            })
            .collect()
    }

    /// Outlets that copy or are copied, busiest first: by copies in and
    /// out, ties by name. The outlet matrices of the table and the HTML
    /// report show the first of them.
    pub fn outlets_by_traffic(&self) -> Vec<&str> {
        let mut traffic: HashMap<&str, usize> = HashMap::new();
        for f in &self.flows {
            *traffic.entry(&f.copier).or_default() += f.copies;
            *traffic.entry(&f.source).or_default() += f.copies;
        }
        let mut ranked: Vec<(&str, usize)> = traffic.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        ranked.into_iter().map(|r| r.0).collect()
    }

    /// Audits the pairs of `report` (documents' texts, dates and outlets
    /// as the scan kept them); an error when a kept text cannot be read
    /// back.
    pub fn build(report: &ScanReport, config: &AuditConfig) -> Result<Audit> {
        let n = report.documents.len();
        let mut sources_of: Vec<Vec<(usize, usize, bool)>> = vec![Vec::new(); n];
        let mut linked: HashSet<(usize, usize)> = HashSet::new();
        for (k, p) in report.pairs.iter().enumerate() {
            if p.passages.is_empty() {
                continue;
            }
            let (c, s, undirected) = oriented(report, p, &config.aliases)?;
            sources_of[c].push((s, k, undirected));
            linked.insert((c.min(s), c.max(s)));
        }
        let is_linked = |a: usize, b: usize| linked.contains(&(a.min(b), a.max(b)));

        // Attribute each copy to the earliest version of each story it
        // reuses.
        let mut members_of: BTreeMap<usize, Vec<Member>> = BTreeMap::new();
        for (d, sources) in sources_of.iter_mut().enumerate() {
            sources.sort_by_key(|&(s, _, _)| order_key(report, s));
            let mut originals: Vec<(usize, usize, bool, Vec<usize>)> = Vec::new();
            for &(s, k, undirected) in sources.iter() {
                match originals.iter_mut().find(|o| is_linked(o.0, s)) {
                    Some(o) => o.3.push(s),
                    None => originals.push((s, k, undirected, Vec::new())),
                }
            }
            for (o, k, undirected, intermediates) in originals {
                let pair = &report.pairs[k];
                let (coverage_of_original, share_of_copy) = if pair.copy == d {
                    (pair.source_in_copy, pair.copy_in_source)
                } else {
                    (pair.copy_in_source, pair.source_in_copy)
                };
                let lag = match (&report.documents[o].date, &report.documents[d].date) {
                    (Some(a), Some(b)) => Some(a.lag_to(b)),
                    _ => None,
                };
                let credit = match &report.documents[d].text {
                    Some(t) => credit_in(&t.read()?, outlet_of(report, o), &config.aliases)
                        .map(String::from),
                    None => None,
                };
                members_of.entry(o).or_default().push(Member {
                    doc: d,
                    outlet: outlet_of(report, d).to_string(),
                    pair: k,
                    coverage_of_original,
                    share_of_copy,
                    lag,
                    credit,
                    intermediates,
                    undirected,
                });
            }
        }

        let stories = stories(report, members_of);
        let flows = flows(report, &stories);
        let outlets = outlets(report, &stories, &flows);
        Ok(Audit {
            outlets,
            flows,
            stories,
        })
    }
}

fn stories(report: &ScanReport, members_of: BTreeMap<usize, Vec<Member>>) -> Vec<Story> {
    let mut stories: Vec<Story> = members_of
        .into_iter()
        .map(|(original, mut members)| {
            members.sort_by_key(|m| order_key(report, m.doc));
            let outlets: HashSet<&str> = members.iter().map(|m| m.outlet.as_str()).collect();
            Story {
                original,
                outlet: outlet_of(report, original).to_string(),
                outlets: outlets.len(),
                whole: members
                    .iter()
                    .filter(|m| m.coverage_of_original >= WHOLE_SHARE)
                    .count(),
                uncredited: members.iter().filter(|m| m.credit.is_none()).count(),
                span_hours: members
                    .iter()
                    .filter_map(|m| m.lag.map(Lag::hours))
                    .max_by(f64::total_cmp),
                members,
            }
        })
        .collect();
    stories.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then_with(|| order_key(report, a.original).cmp(&order_key(report, b.original)))
    });
    stories
}

fn outlet_words(report: &ScanReport) -> HashMap<&str, (usize, usize)> {
    let mut words: HashMap<&str, (usize, usize)> = HashMap::new();
    for (i, d) in report.documents.iter().enumerate() {
        let e = words.entry(outlet_of(report, i)).or_default();
        e.0 += 1;
        e.1 += d.words;
    }
    words
}

fn flows(report: &ScanReport, stories: &[Story]) -> Vec<Flow> {
    struct Acc {
        // Ordered: the shares are summed in document order, the same in
        // every run.
        copies: BTreeMap<usize, f64>,
        stories: HashSet<usize>,
        lags: Vec<Option<Lag>>,
        credited: usize,
        undirected: usize,
    }
    let mut acc: BTreeMap<(String, String), Acc> = BTreeMap::new();
    for s in stories {
        for m in &s.members {
            let a = acc
                .entry((m.outlet.clone(), s.outlet.clone()))
                .or_insert_with(|| Acc {
                    copies: BTreeMap::new(),
                    stories: HashSet::new(),
                    lags: Vec::new(),
                    credited: 0,
                    undirected: 0,
                });
            let words = report.documents[m.doc].words as f64;
            let covered = a.copies.entry(m.doc).or_insert(0.0);
            *covered = (*covered + m.share_of_copy * words).min(words);
            a.stories.insert(s.original);
            a.lags.push(m.lag);
            a.credited += usize::from(m.credit.is_some());
            a.undirected += usize::from(m.undirected);
        }
    }
    let words = outlet_words(report);
    let mut flows: Vec<Flow> = acc
        .into_iter()
        .map(|((copier, source), a)| {
            let reused: f64 = a.copies.values().sum();
            let total = words.get(copier.as_str()).map_or(0, |w| w.1);
            Flow {
                copies: a.copies.len(),
                stories: a.stories.len(),
                reused_words: reused,
                share_of_output: if total > 0 {
                    (reused / total as f64).min(1.0)
                } else {
                    0.0
                },
                lag: LagStats::of(&a.lags),
                credited: a.credited,
                undirected: a.undirected,
                copier,
                source,
            }
        })
        .collect();
    flows.sort_by(|a, b| {
        b.copies
            .cmp(&a.copies)
            .then_with(|| a.copier.cmp(&b.copier))
            .then_with(|| a.source.cmp(&b.source))
    });
    flows
}

fn outlets(report: &ScanReport, stories: &[Story], flows: &[Flow]) -> Vec<OutletSummary> {
    // Per copy: its covered words, from any outlet and from others
    // (ordered, so that each outlet's sum is the same in every run).
    let mut covered: BTreeMap<usize, (f64, f64)> = BTreeMap::new();
    for s in stories {
        for m in &s.members {
            let words = report.documents[m.doc].words as f64;
            let e = covered.entry(m.doc).or_default();
            e.0 = (e.0 + m.share_of_copy * words).min(words);
            if m.outlet != s.outlet {
                e.1 = (e.1 + m.share_of_copy * words).min(words);
            }
        }
    }
    let mut per: BTreeMap<&str, (f64, f64, usize)> = BTreeMap::new();
    for (&d, &(all, others)) in &covered {
        let e = per.entry(outlet_of(report, d)).or_default();
        e.0 += all;
        e.1 += others;
        e.2 += 1;
    }
    let top = |pick: &dyn Fn(&Flow) -> Option<&str>| -> Vec<(String, usize)> {
        let mut v: Vec<(String, usize)> = flows
            .iter()
            .filter_map(|f| pick(f).map(|name| (name.to_string(), f.copies)))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v.truncate(5);
        v
    };
    let mut out: Vec<OutletSummary> = outlet_words(report)
        .into_iter()
        .map(|(name, (articles, words))| {
            let (all, others, copies) = per.get(name).copied().unwrap_or_default();
            let share = |x: f64| {
                if words > 0 {
                    (x / words as f64).min(1.0)
                } else {
                    0.0
                }
            };
            OutletSummary {
                name: name.to_string(),
                articles,
                words,
                originality: 1.0 - share(all),
                reused_from_others: share(others),
                copies,
                stories_reused: stories
                    .iter()
                    .filter(|s| s.outlet == name && s.members.iter().any(|m| m.outlet != name))
                    .count(),
                top_sources: top(&|f| {
                    (f.copier == name && f.source != name).then_some(f.source.as_str())
                }),
                top_reusers: top(&|f| {
                    (f.source == name && f.copier != name).then_some(f.copier.as_str())
                }),
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

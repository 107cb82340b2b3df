//! The detailed report of `reprint compare`: one pair, its scores, the
//! evidence for its direction, and its passages with their text.

use std::io::Write;

use serde::Serialize;

use crate::error::Result;
use crate::reuse::{Direction, ReusePair};
use crate::scan::excerpt;
use crate::score::DIRECTION_MARGIN;
use crate::shingle::ShingledDocument;

use super::json::{JsonPair, json_pair};
use super::range_label;

/// The JSON form: both documents and the pair, as in `scan`.
#[derive(Debug, Serialize)]
pub struct JsonComparison<'a> {
    /// The two documents, in the order given.
    pub documents: [JsonCompared<'a>; 2],
    /// The pair (source and copy by direction), with exact scores even when
    /// nothing is reused.
    pub pair: JsonPair<'a>,
}

/// A compared document.
#[derive(Debug, Serialize)]
pub struct JsonCompared<'a> {
    /// Document id.
    pub id: &'a str,
    /// Where it came from.
    pub path: &'a str,
    /// Publication date, or null.
    pub date: Option<&'a str>,
    /// Outlet, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'a str>,
    /// Headline, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'a str>,
    /// Address, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<&'a str>,
    /// Number of paragraphs.
    pub paragraphs: usize,
    /// Number of words.
    pub words: usize,
}

/// Writes the comparison as JSON.
pub fn write_compare_json<'a>(
    docs: [&'a ShingledDocument; 2],
    pair: &ReusePair,
    out: &mut dyn Write,
) -> Result<()> {
    let id = |i: usize| docs[i].id.as_str();
    let compared = |d: &'a ShingledDocument| JsonCompared {
        id: &d.id,
        path: &d.origin,
        date: d.date.as_ref().map(|x| x.as_str()),
        source: d.source.as_deref(),
        title: d.title.as_deref(),
        url: d.url.as_deref(),
        paragraphs: d.paragraph_spans.len(),
        words: d.words,
    };
    let json = JsonComparison {
        documents: [compared(docs[0]), compared(docs[1])],
        pair: json_pair(pair, &id),
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Explains the direction of a pair in words.
pub fn direction_evidence(docs: [&ShingledDocument; 2], pair: &ReusePair) -> String {
    let (s, c) = (docs[pair.source], docs[pair.copy]);
    let date = |d: &ShingledDocument| {
        d.date
            .as_ref()
            .map_or("no date".to_string(), |x| x.as_str().to_string())
    };
    match pair.direction {
        Direction::Date => format!(
            "{} was published first ({} before {})",
            s.id,
            date(s),
            date(c)
        ),
        Direction::Containment => format!(
            "dates do not decide ({} / {}); {:.1}% of {} is found in {} but only {:.1}% of {} in {}",
            date(c),
            date(s),
            pair.copy_in_source() * 100.0,
            c.id,
            s.id,
            pair.source_in_copy() * 100.0,
            s.id,
            c.id
        ),
        Direction::Mutual => format!(
            "dates do not decide ({} / {}) and the containments ({:.1}% and {:.1}%) differ by less than {:.0} points; listed in input order",
            date(s),
            date(c),
            pair.copy_in_source() * 100.0,
            pair.source_in_copy() * 100.0,
            DIRECTION_MARGIN * 100.0
        ),
    }
}

/// Writes the comparison for people. Paragraph texts are cut to 160
/// characters unless `full`; they are omitted when a document's text was
/// not kept.
pub fn write_compare_table(
    docs: [&ShingledDocument; 2],
    pair: &ReusePair,
    full: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let (s, c) = (docs[pair.source], docs[pair.copy]);
    for (label, d) in [("copy:  ", c), ("source:", s)] {
        let outlet = d
            .source
            .as_deref()
            .map(|o| format!("{}, ", super::table::printable(o)))
            .unwrap_or_default();
        writeln!(
            out,
            "{label} {} ({outlet}{}, {} paragraph{}, {} word{})",
            super::table::printable(&d.id),
            d.origin,
            d.paragraph_spans.len(),
            super::table::plural(d.paragraph_spans.len(), "", "s"),
            d.words,
            super::table::plural(d.words, "", "s"),
        )?;
        if let Some(t) = &d.title {
            writeln!(out, "        \"{}\"", super::table::printable(t))?;
        }
        if let Some(u) = &d.url {
            writeln!(out, "        {}", super::table::printable(u))?;
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "copy in source   {:>6.1}%",
        pair.copy_in_source() * 100.0
    )?;
    writeln!(
        out,
        "source in copy   {:>6.1}%",
        pair.source_in_copy() * 100.0
    )?;
    writeln!(out, "jaccard          {:>7.3}", pair.jaccard())?;
    writeln!(out, "verbatim         {:>6.1}%", pair.verbatim * 100.0)?;
    writeln!(
        out,
        "direction        {}: {}",
        pair.direction.as_str(),
        direction_evidence(docs, pair)
    )?;
    writeln!(out)?;
    if pair.passages.is_empty() {
        writeln!(out, "No passages: the aligner found no reused text.")?;
        return Ok(());
    }
    writeln!(
        out,
        "{} reused {} ({} of {} copy paragraphs):",
        pair.passages.len(),
        if pair.passages.len() == 1 {
            "passage"
        } else {
            "passages"
        },
        pair.copied_paragraphs(),
        c.paragraph_spans.len()
    )?;
    let max = if full { usize::MAX } else { 160 };
    for (n, p) in pair.passages.iter().enumerate() {
        writeln!(out)?;
        writeln!(
            out,
            "[{}] copy ¶{} ← source ¶{}  (similarity {:.0}%, verbatim {:.0}%)",
            n + 1,
            range_label(p.copy, "–"),
            range_label(p.source, "–"),
            p.similarity() * 100.0,
            p.verbatim * 100.0
        )?;
        for (label, doc, range) in [("copy", c, p.copy), ("source", s, p.source)] {
            let Some(text) = &doc.text else { continue };
            let text = text.read()?;
            for number in range.first..=range.last {
                let span = doc.paragraph_spans[number - 1].clone();
                let para = text.get(span).unwrap_or("");
                let shown = if full {
                    para.split_whitespace().collect::<Vec<_>>().join(" ")
                } else {
                    excerpt(para, max)
                };
                writeln!(out, "    {label:<6} ¶{number:<4} {shown}")?;
            }
        }
    }
    Ok(())
}

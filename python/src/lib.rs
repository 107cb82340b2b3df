//! The native half of the `reprint` Python package: records in, the same
//! reports the command line writes out.
//!
//! Every function takes the records as a list of dicts (the Python half
//! turns tuples, strings and DataFrames into those), converts them to the
//! JSON values a feed line would hold, and from there runs exactly the
//! library calls the command line runs, with the GIL released. Reports come
//! back as the command line's JSON (or table, CSV, HTML) text, so a Python
//! result and a command-line result for the same input are the same bytes.

use std::collections::HashSet;
use std::path::PathBuf;

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString};
use serde_json::Value;

use reprint::audit::{Aliases, Audit, AuditConfig};
use reprint::cluster::{Cluster, Keep, cluster};
use reprint::corpus::{FeedFields, Item, read_records};
use reprint::date::Date;
use reprint::index::Index;
use reprint::minhash::Sketch;
use reprint::report::{self, Format};
use reprint::scan::{Config, Detector, Metric, ScanReport};
use reprint::shingle::ShingledDocument;

pyo3::create_exception!(
    _native,
    ReprintError,
    PyRuntimeError,
    "An error of the engine or the index (a locked index, a full disk, an index of another format version)."
);
pyo3::create_exception!(
    _native,
    InputError,
    PyValueError,
    "Bad input records: the message names each record (`NAME:N`, N from 1) and what is wrong."
);

/// What every call reads: the records (a list of dicts), the name they
/// are read under (`name:N` in messages and `path` fields), the field
/// roles (`{"id": "id", "text": "text", …}`) and the engine parameters.
#[derive(FromPyObject)]
struct Batch<'py>(
    Bound<'py, PyList>,
    String,
    Bound<'py, PyDict>,
    Bound<'py, PyDict>,
);

/// Errors of bad records shown in full before the rest are counted.
const ERRORS_SHOWN: usize = 20;

fn engine_error(e: reprint::Error) -> PyErr {
    match e {
        reprint::Error::InvalidParameter { .. } => PyValueError::new_err(e.to_string()),
        other => ReprintError::new_err(other.to_string()),
    }
}

/// A Python value as the JSON value a feed line would hold: strings,
/// numbers, booleans and `None` as themselves, NaN and NaT (pandas'
/// missing values) as null, dates and timestamps by `isoformat()`, anything else by
/// `str()`.
fn to_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if obj.is_instance_of::<PyBool>() {
        return Ok(Value::Bool(obj.extract()?));
    }
    if obj.is_instance_of::<PyString>() {
        return Ok(Value::String(obj.extract()?));
    }
    if obj.is_instance_of::<PyInt>() {
        return Ok(match obj.extract::<i64>() {
            Ok(n) => Value::from(n),
            Err(_) => Value::String(obj.str()?.to_string()),
        });
    }
    if obj.is_instance_of::<PyFloat>() {
        let x: f64 = obj.extract()?;
        return Ok(serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number));
    }
    // pandas' missing timestamp (NaT), like NaN, is not equal to itself.
    if obj.ne(obj)? {
        return Ok(Value::Null);
    }
    if obj.hasattr("isoformat")? {
        return Ok(Value::String(obj.call_method0("isoformat")?.extract()?));
    }
    Ok(Value::String(obj.str()?.to_string()))
}

fn records_to_values(records: &Bound<'_, PyList>) -> PyResult<Vec<Value>> {
    records
        .iter()
        .map(|r| {
            let dict = r.cast::<PyDict>()?;
            let mut map = serde_json::Map::with_capacity(dict.len());
            for (k, v) in dict.iter() {
                map.insert(k.str()?.to_string(), to_value(&v)?);
            }
            Ok(Value::Object(map))
        })
        .collect()
}

fn feed_fields(fields: &Bound<'_, PyDict>) -> PyResult<FeedFields> {
    let mut f = FeedFields::default();
    for (k, v) in fields.iter() {
        let key: String = k.extract()?;
        let value: String = v.extract()?;
        match key.as_str() {
            "id" => f.id = value,
            "text" => f.text = value,
            "date" => f.date = value,
            "source" => f.source = value,
            "title" => f.title = value,
            "url" => f.url = value,
            _ => return Err(PyValueError::new_err(format!("unknown field role '{key}'"))),
        }
    }
    Ok(f)
}

/// The engine configuration for keyword parameters named as the command
/// line's options (`num_perm` for `--num-perm`), from the command line's
/// defaults.
fn config(params: &Bound<'_, PyDict>) -> PyResult<Config> {
    let mut c = Config::default();
    let (mut bands, mut rows) = (None, None);
    for (k, v) in params.iter() {
        let key: String = k.extract()?;
        let bad = |what: &str| PyValueError::new_err(format!("invalid parameter {key}: {what}"));
        match key.as_str() {
            "threshold" => c.threshold = v.extract()?,
            "shingle" => c.shingle.size = v.extract()?,
            "char_shingle" => c.shingle.char_size = v.extract()?,
            "num_perm" => c.num_perm = v.extract()?,
            "seed" => c.seed = v.extract()?,
            "bands" => bands = Some(v.extract()?),
            "rows" => rows = Some(v.extract()?),
            "min_words" => c.min_words = v.extract()?,
            "bucket_cap" => c.bucket_cap = v.extract()?,
            "boilerplate_min_docs" => c.boilerplate_min_docs = v.extract()?,
            "matrix_limit" => c.matrix_limit = v.extract()?,
            "threads" => c.threads = Some(v.extract::<usize>()?).filter(|&n| n > 0),
            "sketch" => {
                c.sketch = match v.extract::<String>()?.as_str() {
                    "oph" => Sketch::OnePermutation,
                    "minhash" => Sketch::MinHash,
                    _ => return Err(bad("give 'oph' or 'minhash'")),
                }
            }
            "metric" => {
                c.metric = match v.extract::<String>()?.as_str() {
                    "containment" => Metric::Containment,
                    "jaccard" => Metric::Jaccard,
                    _ => return Err(bad("give 'containment' or 'jaccard'")),
                }
            }
            "seed_cosine" => c.align.seed_cosine = v.extract()?,
            "seed_dice" => c.align.seed_dice = v.extract()?,
            "extend_cosine" => c.align.extend_cosine = v.extract()?,
            "extend_dice" => c.align.extend_dice = v.extract()?,
            "max_gap" => c.align.max_gap = v.extract()?,
            "validate_cosine" => c.align.validate_cosine = v.extract()?,
            "min_chars" => c.align.min_chars = v.extract()?,
            "min_verbatim_chars" => c.align.min_verbatim_chars = v.extract()?,
            "trim_ngram" => c.align.trim_ngram = v.extract()?,
            "summary_gap" => c.align.summary_gap = v.extract()?,
            "word_prefix" => c.align.word_prefix = v.extract()?,
            _ => return Err(bad("no such parameter")),
        }
    }
    c.lsh = match (bands, rows) {
        (Some(bands), Some(rows)) => Some(reprint::lsh::LshParams { bands, rows }),
        (None, None) => None,
        _ => {
            return Err(PyValueError::new_err(
                "invalid parameters: give bands and rows together",
            ));
        }
    };
    Ok(c)
}

/// Records read as a feed named `name`, shingled by `detector`; bad
/// records raise [`InputError`] naming every one of them (the first
/// [`ERRORS_SHOWN`] in full). Warnings (an unreadable date) are returned.
fn load(
    py: Python<'_>,
    batch: &Batch<'_>,
    detector: &Detector,
) -> PyResult<(Vec<ShingledDocument>, Vec<String>)> {
    let fields = feed_fields(&batch.2)?;
    let name = batch.1.as_str();
    let values = records_to_values(&batch.0)?;
    let (docs, errors, warnings) = py.detach(|| {
        let mut docs = Vec::new();
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        for item in read_records(name, values, &fields) {
            match item {
                Item::Document(d) => docs.push(d),
                Item::Error(e) => errors.push(e.to_string()),
                Item::Warning(w) => warnings.push(format!("{}: {}", w.origin, w.message)),
                Item::Read(_) => {}
            }
        }
        let shingled = detector.install(|| {
            let mut shingled = detector.par_shingle(&docs);
            for (s, d) in shingled.iter_mut().zip(docs) {
                s.text = Some(d.text.into());
            }
            shingled
        });
        (shingled, errors, warnings)
    });
    if !errors.is_empty() {
        let mut message: Vec<String> = errors.iter().take(ERRORS_SHOWN).cloned().collect();
        if errors.len() > ERRORS_SHOWN {
            message.push(format!("… and {} more", errors.len() - ERRORS_SHOWN));
        }
        return Err(InputError::new_err(message.join("\n")));
    }
    Ok((docs.map_err(engine_error)?, warnings))
}

fn format_of(format: &str) -> PyResult<Format> {
    Ok(match format {
        "json" => Format::Json,
        "jsonl" => Format::Jsonl,
        "csv" => Format::Csv,
        "html" => Format::Html,
        "table" => Format::Table,
        _ => {
            return Err(PyValueError::new_err(format!(
                "invalid format '{format}': give json, jsonl, csv, html or table"
            )));
        }
    })
}

fn render(report: &ScanReport, format: Format) -> PyResult<String> {
    let mut out = Vec::new();
    report::write(report, format, &mut out).map_err(engine_error)?;
    String::from_utf8(out).map_err(|e| ReprintError::new_err(e.to_string()))
}

fn clusters_jsonl(report: &ScanReport, clusters: &[Cluster]) -> PyResult<String> {
    let mut out = Vec::new();
    report::write_clusters(report, clusters, &mut out).map_err(engine_error)?;
    String::from_utf8(out).map_err(|e| ReprintError::new_err(e.to_string()))
}

fn keep_of(keep: &str) -> PyResult<Keep> {
    Ok(match keep {
        "earliest" => Keep::Earliest,
        "longest" => Keep::Longest,
        "first" => Keep::First,
        _ => {
            return Err(PyValueError::new_err(format!(
                "invalid keep '{keep}': give earliest, longest or first"
            )));
        }
    })
}

/// The 0-based positions of the records `clusters` keep, in input order.
fn kept_positions(report: &ScanReport, clusters: &[Cluster], skip: usize) -> Vec<usize> {
    let dropped: HashSet<usize> = clusters
        .iter()
        .flat_map(|c| c.dropped.iter().map(|&(d, _)| d))
        .collect();
    let mut kept: Vec<usize> = report
        .documents
        .iter()
        .enumerate()
        .skip(skip)
        .filter(|(i, _)| !dropped.contains(i))
        .filter_map(|(_, d)| d.record.map(|r| r.line as usize - 1))
        .collect();
    kept.sort_unstable();
    kept
}

/// Scans records for reuse; returns the report in `format` and warnings.
#[pyfunction]
fn scan(py: Python<'_>, batch: Batch<'_>, format: &str) -> PyResult<(String, Vec<String>)> {
    let format = format_of(format)?;
    let detector = Detector::new(config(&batch.3)?).map_err(engine_error)?;
    let (docs, warnings) = load(py, &batch, &detector)?;
    let text = py.detach(|| {
        let report = detector.scan_shingled(docs).map_err(engine_error)?;
        render(&report, format)
    })?;
    Ok((text, warnings))
}

/// The outlet audit of records, in `format` (json, csv, html or table).
#[pyfunction]
fn audit(
    py: Python<'_>,
    batch: Batch<'_>,
    aliases: Vec<String>,
    stories: usize,
    format: &str,
) -> PyResult<(String, Vec<String>)> {
    let aliases = Aliases::parse(&aliases)
        .map_err(|e| PyValueError::new_err(format!("invalid alias: {e}")))?;
    let mut config = config(&batch.3)?;
    config.matrix_limit = 0;
    let detector = Detector::new(config).map_err(engine_error)?;
    let (docs, warnings) = load(py, &batch, &detector)?;
    let text = py.detach(|| -> PyResult<String> {
        let report = detector.scan_shingled(docs).map_err(engine_error)?;
        let audit = Audit::build(&report, &AuditConfig { aliases }).map_err(engine_error)?;
        let mut out = Vec::new();
        match format {
            "json" => report::write_audit_json(&report, &audit, &mut out),
            "csv" => report::write_audit_csv(&audit, &mut out),
            "html" => report::write_audit_html(&report, &audit, &mut out),
            "table" => report::write_audit_table(&report, &audit, stories, &mut out),
            _ => {
                return Err(PyValueError::new_err(format!(
                    "invalid format '{format}': give json, csv, html or table"
                )));
            }
        }
        .map_err(engine_error)?;
        String::from_utf8(out).map_err(|e| ReprintError::new_err(e.to_string()))
    })?;
    Ok((text, warnings))
}

/// Compares two records as `reprint compare` does; returns its JSON.
#[pyfunction]
fn compare(py: Python<'_>, batch: Batch<'_>) -> PyResult<String> {
    let detector = Detector::new(config(&batch.3)?).map_err(engine_error)?;
    let (docs, _) = load(py, &batch, &detector)?;
    let [a, b] = docs.as_slice() else {
        return Err(PyValueError::new_err(format!(
            "compare needs exactly two documents, got {}",
            docs.len()
        )));
    };
    py.detach(|| {
        let pair = detector
            .compare(a, b, &[], &[], &[])
            .map_err(engine_error)?;
        let mut out = Vec::new();
        report::write_compare_json([a, b], &pair, &mut out).map_err(engine_error)?;
        String::from_utf8(out).map_err(|e| ReprintError::new_err(e.to_string()))
    })
}

/// Deduplicates records; returns the kept positions, the clusters as JSON
/// Lines (as `--clusters` writes them) and warnings.
#[pyfunction]
fn dedup(
    py: Python<'_>,
    batch: Batch<'_>,
    threshold: f64,
    keep: &str,
) -> PyResult<(Vec<usize>, String, Vec<String>)> {
    check_dedup_threshold(threshold)?;
    let keep = keep_of(keep)?;
    let detector = Detector::new(config(&batch.3)?).map_err(engine_error)?;
    let (docs, warnings) = load(py, &batch, &detector)?;
    let (kept, clusters) = py.detach(|| -> PyResult<_> {
        let report = detector.scan_shingled(docs).map_err(engine_error)?;
        let clusters = cluster(&report, threshold, keep);
        Ok((
            kept_positions(&report, &clusters, 0),
            clusters_jsonl(&report, &clusters)?,
        ))
    })?;
    Ok((kept, clusters, warnings))
}

fn check_dedup_threshold(threshold: f64) -> PyResult<()> {
    if threshold > 0.0 && threshold <= 1.0 {
        Ok(())
    } else {
        Err(PyValueError::new_err(format!(
            "invalid parameter threshold: {threshold} is not in (0, 1]"
        )))
    }
}

fn window_days(window: Option<&str>) -> PyResult<Option<u32>> {
    window
        .map(|w| {
            let digits = w.trim().strip_suffix('d').unwrap_or(w.trim());
            match digits.parse::<u32>() {
                Ok(n) if n > 0 => Ok(n),
                _ => Err(PyValueError::new_err(format!(
                    "window '{w}': give a number of days, such as '30d'"
                ))),
            }
        })
        .transpose()
}

/// Opens (creating on first use) the index at `dir` for writing, with the
/// detector its stored parameters give.
fn open_writer(
    dir: &str,
    params: &Bound<'_, PyDict>,
    window: Option<&str>,
) -> PyResult<(Index, Detector)> {
    let asked = config(params)?;
    let window = window_days(window)?;
    let index = Index::open_writer(
        &PathBuf::from(dir),
        &Detector::new(asked.clone()).map_err(engine_error)?,
        window,
    )
    .map_err(engine_error)?;
    let detector =
        Detector::new(index.resolve(&asked).map_err(engine_error)?).map_err(engine_error)?;
    Ok((index, detector))
}

/// Adds records to the index at `dir`; returns the report of their reuse
/// against it and among themselves, and warnings.
#[pyfunction]
fn index_add(
    py: Python<'_>,
    dir: &str,
    batch: Batch<'_>,
    window: Option<&str>,
    format: &str,
) -> PyResult<(String, Vec<String>)> {
    let format = format_of(format)?;
    let (mut index, detector) = open_writer(dir, &batch.3, window)?;
    let (docs, warnings) = load(py, &batch, &detector)?;
    let text = py.detach(|| {
        let added = index
            .add(&detector, docs, reprint::date::today())
            .map_err(engine_error)?;
        render(&added.report, format)
    })?;
    Ok((text, warnings))
}

/// Reports the reuse between records and the index at `dir` without
/// adding them.
#[pyfunction]
fn index_query(
    py: Python<'_>,
    dir: &str,
    batch: Batch<'_>,
    format: &str,
) -> PyResult<(String, Vec<String>)> {
    let format = format_of(format)?;
    let index = Index::open(&PathBuf::from(dir)).map_err(engine_error)?;
    let detector = Detector::new(index.resolve(&config(&batch.3)?).map_err(engine_error)?)
        .map_err(engine_error)?;
    let (docs, warnings) = load(py, &batch, &detector)?;
    let text = py.detach(|| {
        let report = index.query(&detector, docs).map_err(engine_error)?;
        render(&report, format)
    })?;
    Ok((text, warnings))
}

/// Deduplicates records against the index at `dir` and among themselves,
/// adding the kept ones; returns the kept positions, the clusters (JSON
/// Lines) and warnings. Records whose id is already indexed are dropped.
#[pyfunction]
fn index_dedup(
    py: Python<'_>,
    dir: &str,
    batch: Batch<'_>,
    threshold: f64,
    keep: &str,
) -> PyResult<(Vec<usize>, String, Vec<String>)> {
    check_dedup_threshold(threshold)?;
    let keep = keep_of(keep)?;
    let (mut index, detector) = open_writer(dir, &batch.3, None)?;
    let (docs, warnings) = load(py, &batch, &detector)?;
    let (kept, clusters) = py.detach(|| -> PyResult<_> {
        let (added, clusters, indexed) = index
            .dedup(&detector, docs, reprint::date::today(), threshold, keep)
            .map_err(engine_error)?;
        Ok((
            kept_positions(&added.report, &clusters, indexed),
            clusters_jsonl(&added.report, &clusters)?,
        ))
    })?;
    Ok((kept, clusters, warnings))
}

/// The statistics of the index at `dir`, as `index stats --json` prints.
#[pyfunction]
fn index_stats(dir: &str) -> PyResult<String> {
    let index = Index::open(&PathBuf::from(dir)).map_err(engine_error)?;
    Ok(index.stats().to_json().to_string())
}

/// Drops the index's days before `before` (a date); returns them.
#[pyfunction]
fn index_evict(py: Python<'_>, dir: &str, before: &str) -> PyResult<Vec<String>> {
    let day = Date::parse(before)
        .ok_or_else(|| {
            PyValueError::new_err(format!("before '{before}': give a date such as 2026-03-01"))
        })?
        .day();
    let mut index = open_to_maintain(dir)?;
    let dropped = py
        .detach(|| index.evict_before(day))
        .map_err(engine_error)?;
    Ok(dropped.into_iter().map(reprint::date::format_day).collect())
}

/// Merges every segment of the index at `dir` into one; returns the
/// segments and bytes before and after.
#[pyfunction]
fn index_compact(py: Python<'_>, dir: &str) -> PyResult<((usize, usize), (u64, u64))> {
    let mut index = open_to_maintain(dir)?;
    let done = py.detach(|| index.compact_all()).map_err(engine_error)?;
    Ok((done.segments, done.bytes))
}

/// The index at `dir` opened as its writer with its own parameters:
/// eviction and compaction change none.
fn open_to_maintain(dir: &str) -> PyResult<Index> {
    let index = Index::open(&PathBuf::from(dir)).map_err(engine_error)?;
    let detector = Detector::new(index.resolve(&Config::default()).map_err(engine_error)?)
        .map_err(engine_error)?;
    drop(index);
    Index::open_writer(&PathBuf::from(dir), &detector, None).map_err(engine_error)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("ReprintError", m.py().get_type::<ReprintError>())?;
    m.add("InputError", m.py().get_type::<InputError>())?;
    m.add_function(wrap_pyfunction!(scan, m)?)?;
    m.add_function(wrap_pyfunction!(audit, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(dedup, m)?)?;
    m.add_function(wrap_pyfunction!(index_add, m)?)?;
    m.add_function(wrap_pyfunction!(index_query, m)?)?;
    m.add_function(wrap_pyfunction!(index_dedup, m)?)?;
    m.add_function(wrap_pyfunction!(index_stats, m)?)?;
    m.add_function(wrap_pyfunction!(index_evict, m)?)?;
    m.add_function(wrap_pyfunction!(index_compact, m)?)?;
    Ok(())
}

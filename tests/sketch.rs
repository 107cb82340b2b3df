//! `reprint sketch`, the candidate join and `--candidates`: the report of
//! scan, dedup and audit on a sketch is the report of a scan.
//!
//! The join is done here as `spark/candidates.sql` states it (groups named
//! by their first unit, ranks in a bucket, pairs with the first
//! `bucket_cap`), on the Parquet files `reprint sketch` wrote, and written
//! back as Parquet as an engine would; CI runs the same check with Spark
//! itself (`scripts/spark-conformance.sh`).

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::data_type::Int64Type;
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::record::RowAccessor;
use parquet::schema::parser::parse_message_type;

use crate::util::{Corpus, reprint};

fn parquet_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
        .collect();
    files.sort();
    files
}

fn write_longs(path: &Path, names: &[&str], columns: &[Vec<i64>]) {
    let fields: String = names
        .iter()
        .map(|n| format!("required int64 {n}; "))
        .collect();
    let schema = Arc::new(parse_message_type(&format!("message t {{ {fields}}}")).unwrap());
    let file = File::create(path).unwrap();
    let mut w =
        SerializedFileWriter::new(file, schema, Arc::new(WriterProperties::builder().build()))
            .unwrap();
    let mut rg = w.next_row_group().unwrap();
    let mut cols = columns.iter();
    while let Some(mut c) = rg.next_column().unwrap() {
        c.typed::<Int64Type>()
            .write_batch(cols.next().unwrap(), None, None)
            .unwrap();
        c.close().unwrap();
    }
    rg.close().unwrap();
    w.close().unwrap();
}

/// The candidate join of `spark/candidates.sql`, on one machine.
fn join(sketch: &Path, bucket_cap: usize) {
    // grouped: (band, band_key, set_key) -> MIN(doc * 2^20 + unit)
    let mut grouped: BTreeMap<(i64, i64, i64), i64> = BTreeMap::new();
    for file in parquet_files(&sketch.join("bands")) {
        let reader = SerializedFileReader::new(File::open(&file).unwrap()).unwrap();
        for row in reader.get_row_iter(None).unwrap() {
            let row = row.unwrap();
            let (set_key, band, band_key) = (
                row.get_long(0).unwrap(),
                i64::from(row.get_int(1).unwrap()),
                row.get_long(2).unwrap(),
            );
            let r = row.get_long(3).unwrap() * 1_048_576 + i64::from(row.get_int(4).unwrap());
            let e = grouped.entry((band, band_key, set_key)).or_insert(r);
            *e = (*e).min(r);
        }
    }
    let mut buckets: BTreeMap<(i64, i64), Vec<i64>> = BTreeMap::new();
    for ((band, key, _), r) in grouped {
        buckets.entry((band, key)).or_default().push(r);
    }
    let mut pairs = BTreeSet::new();
    let mut crowded = 0i64;
    for refs in buckets.values_mut() {
        refs.sort_unstable();
        crowded += i64::from(refs.len() > bucket_cap);
        for (rank, &other) in refs.iter().enumerate() {
            for &hub in &refs[..rank.min(bucket_cap)] {
                pairs.insert((hub, other));
            }
        }
    }
    std::fs::create_dir_all(sketch.join("candidates")).unwrap();
    std::fs::create_dir_all(sketch.join("lsh_stats")).unwrap();
    // Two files, as an engine writes several.
    let pairs: Vec<(i64, i64)> = pairs.into_iter().collect();
    let (first, second) = pairs.split_at(pairs.len() / 2);
    for (i, part) in [first, second].iter().enumerate() {
        write_longs(
            &sketch.join(format!("candidates/part-{i}.parquet")),
            &["a", "b"],
            &[
                part.iter().map(|p| p.0).collect(),
                part.iter().map(|p| p.1).collect(),
            ],
        );
    }
    std::fs::write(sketch.join("candidates/_SUCCESS"), "").unwrap();
    write_longs(
        &sketch.join("lsh_stats/part-0.parquet"),
        &["crowded_buckets"],
        &[vec![crowded]],
    );
}

fn run_ok(args: &[&str]) -> String {
    let run = reprint(args, None);
    assert!(run.code <= 1, "{args:?}: {}", run.stderr);
    run.stdout
}

/// A generated feed and its sketch, joined.
fn sketched(extra: &[&str], bucket_cap: usize) -> (Corpus, String, String) {
    let c = Corpus::new();
    let feed = c.path().join("feed.jsonl").display().to_string();
    run_ok(&["synth", "-n", "400", "-o", &feed]);
    let sketch = c.path().join("sketch").display().to_string();
    let mut args = vec!["sketch", &feed, "-o", &sketch, "--chunk", "37", "-q"];
    args.extend(extra);
    run_ok(&args);
    join(Path::new(&sketch), bucket_cap);
    (c, feed, sketch)
}

#[test]
fn scan_dedup_and_audit_on_a_joined_sketch_equal_the_single_machine_run() {
    // A small bucket cap, so that crowded buckets and their hubs are
    // exercised too.
    let (c, feed, sketch) = sketched(&["--bucket-cap", "3"], 3);
    let cap = ["--bucket-cap", "3"];
    for cmd in [
        vec!["scan", "-f", "json"],
        vec!["audit", "-f", "json"],
        vec!["dedup"],
    ] {
        let mut plain = cmd.clone();
        plain.extend(cap);
        plain.push(&feed);
        let mut given = plain.clone();
        given.extend(["--candidates", &sketch]);
        let (a, b) = (run_ok(&plain), run_ok(&given));
        assert!(!a.is_empty());
        assert!(
            a == b,
            "{cmd:?} differs with the joined sketch's candidates"
        );
    }
    let json: serde_json::Value =
        serde_json::from_str(&run_ok(&["scan", "-f", "json", "--bucket-cap", "3", &feed])).unwrap();
    assert!(json["stats"]["crowded_buckets"].as_u64().unwrap() > 0);
    drop(c);
}

#[test]
fn alignment_split_in_shares_gives_the_same_report() {
    let (_c, feed, sketch) = sketched(&[], 64);
    let whole = run_ok(&["scan", "-f", "json", &feed]);
    // A share needs the plan, made once for all of them.
    let run = reprint(
        &["align", &feed, "--candidates", &sketch, "--part", "1/3"],
        None,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--plan"), "{}", run.stderr);
    let run = reprint(&["align", &feed, "--candidates", &sketch, "--plan"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("planned"), "{}", run.stderr);
    for k in ["1/3", "2/3", "3/3"] {
        let run = reprint(
            &["align", &feed, "--candidates", &sketch, "--part", k],
            None,
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        // Only the documents of the share's pairs are shingled and kept.
        let read = run
            .stderr
            .split("documents read: ")
            .nth(1)
            .and_then(|r| r.split(" of 400").next())
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or_else(|| panic!("{}", run.stderr));
        assert!(read > 0 && read < 400, "{}", run.stderr);
    }
    let assembled = run_ok(&["scan", "-f", "json", &feed, "--candidates", &sketch]);
    assert!(
        whole == assembled,
        "the assembled shares differ from a scan"
    );

    // A missing share is named, not silently skipped.
    std::fs::remove_file(Path::new(&sketch).join("aligned/part-00002-of-00003.jsonl")).unwrap();
    let run = reprint(&["scan", &feed, "--candidates", &sketch], None);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("shares 2 of 3 are not aligned yet"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_share_reads_only_its_documents_where_the_sketch_found_them() {
    let (_c, feed, sketch) = sketched(&[], 64);
    let run = reprint(&["align", &feed, "--candidates", &sketch, "--plan"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The planned pairs, and the documents of the first of two shares.
    let reader = SerializedFileReader::new(
        File::open(Path::new(&sketch).join("plan/pairs.parquet")).unwrap(),
    )
    .unwrap();
    let pairs: Vec<(i64, i64)> = reader
        .get_row_iter(None)
        .unwrap()
        .map(|r| {
            let r = r.unwrap();
            (r.get_long(0).unwrap(), r.get_long(1).unwrap())
        })
        .collect();
    let first: BTreeSet<i64> = pairs[..pairs.len() / 2]
        .iter()
        .flat_map(|&(a, b)| [a, b])
        .collect();
    let outside = (0..400).find(|d| !first.contains(d)).unwrap();
    let aligned = |k: &str| {
        let run = reprint(
            &["align", &feed, "--candidates", &sketch, "--part", k],
            None,
        );
        (run.code, run.stderr)
    };
    let (code, err) = aligned("1/2");
    assert_eq!(code, 0, "{err}");
    let part = Path::new(&sketch).join("aligned/part-00001-of-00002.jsonl");
    let before = std::fs::read(&part).unwrap();
    // A record outside the share is not read: damaged, the share is the
    // same. (The generated feed has one record per line, document d on
    // line d + 1.)
    let text = std::fs::read_to_string(&feed).unwrap();
    let damage = |doc: i64| {
        let lines: Vec<&str> = text
            .lines()
            .enumerate()
            .map(|(i, l)| if i as i64 == doc { "{damaged" } else { l })
            .collect();
        std::fs::write(&feed, lines.join("\n") + "\n").unwrap();
    };
    damage(outside);
    let (code, err) = aligned("1/2");
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read(&part).unwrap(), before);
    // A share that needs it names it.
    let inside = *first.iter().next().unwrap();
    damage(inside);
    let (code, err) = aligned("1/2");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(&format!(":{}", inside + 1)), "{err}");
}

#[test]
fn shares_of_a_directory_of_text_files_read_them_by_path() {
    let c = Corpus::new();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    for e in std::fs::read_dir(&samples).unwrap() {
        let e = e.unwrap().path();
        c.write(
            e.file_name().unwrap().to_str().unwrap(),
            std::fs::read(&e).unwrap(),
        );
    }
    let dir = c.path().display().to_string();
    let sketch = c.path().with_extension("sketch").display().to_string();
    run_ok(&["sketch", &dir, "-o", &sketch, "-q"]);
    join(Path::new(&sketch), 64);
    run_ok(&["align", &dir, "--candidates", &sketch, "--plan", "-q"]);
    // Four articles make six candidate pairs (rewrites are proposed
    // among so few); a share of one pair reads its two articles.
    for k in 1..=6 {
        let part = format!("{k}/6");
        let run = reprint(
            &["align", &dir, "--candidates", &sketch, "--part", &part],
            None,
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stderr.contains("of 6 (documents read: 2 of 4)"),
            "{}",
            run.stderr
        );
    }
    let whole = run_ok(&["scan", "-f", "json", &dir]);
    let assembled = run_ok(&["scan", "-f", "json", &dir, "--candidates", &sketch]);
    assert!(
        whole == assembled,
        "the assembled share differs from a scan"
    );
    std::fs::remove_dir_all(&sketch).unwrap();
}

#[test]
fn a_sketch_refuses_other_parameters_other_inputs_and_a_missing_join() {
    let c = Corpus::new();
    let feed = c.path().join("feed.jsonl").display().to_string();
    run_ok(&["synth", "-n", "60", "-o", &feed]);
    let sketch = c.path().join("sketch").display().to_string();
    run_ok(&["sketch", &feed, "-o", &sketch, "-q"]);

    let run = reprint(&["scan", &feed, "--candidates", &sketch], None);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("run the candidate join"),
        "{}",
        run.stderr
    );

    join(Path::new(&sketch), 64);
    let run = reprint(&["scan", &feed, "--candidates", &sketch, "-t", "0.6"], None);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("sketched with --threshold 0.5, this run has 0.6"),
        "{}",
        run.stderr
    );

    // Other inputs: the same feed less its first line.
    let text = std::fs::read_to_string(&feed).unwrap();
    let other = c.write("other.jsonl", text.split_once('\n').unwrap().1);
    let run = reprint(
        &["scan", other.to_str().unwrap(), "--candidates", &sketch],
        None,
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("give the sketched inputs"),
        "{}",
        run.stderr
    );

    // The sketch directory is never written over.
    let run = reprint(&["sketch", &feed, "-o", &sketch], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not empty"), "{}", run.stderr);
    assert!(Path::new(&sketch).join("candidates").exists());

    // A join whose engine wrote zstd (DataFusion's default) is named with
    // the codec to use instead.
    let candidates = Path::new(&sketch).join("candidates");
    std::fs::remove_dir_all(&candidates).unwrap();
    std::fs::create_dir(&candidates).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sketch/candidates-zstd.parquet"),
        candidates.join("part-0.parquet"),
    )
    .unwrap();
    let run = reprint(&["scan", &feed, "--candidates", &sketch], None);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("part-0.parquet") && run.stderr.contains("snappy compression"),
        "{}",
        run.stderr
    );
}

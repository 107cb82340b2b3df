//! The persistent index: batches equal one scan, query, stats, evict,
//! fixed parameters, format versions, the writer lock, killed writers.

use std::path::Path;
use std::process::{Command, Stdio};

use proptest::prelude::*;

use crate::feeds::{record, wire};
use crate::util::{Corpus, assert_stages, paragraph, reprint_paths};

/// A generated feed: `stories` wire stories on days 1–10 and, for each, a
/// few copies later (whole, excerpted, with a local paragraph, with a
/// paragraph reworded), one record per line in date order.
fn feed(stories: usize, copies: &[u8], seed: usize) -> Vec<(String, String)> {
    let mut out: Vec<(String, String, String)> = Vec::new();
    for s in 0..stories {
        let w = wire(seed * 100 + s);
        let day = 1 + (s * 10) / stories.max(1);
        let date = |d: usize, h: usize| format!("2026-03-{:02}T{:02}:00:00Z", d, h);
        out.push((date(day, 6), format!("w{s}"), w.join("\n\n")));
        for (c, kind) in copies.iter().enumerate() {
            let text = match kind % 4 {
                0 => w.join("\n\n"),
                1 => w[..2].join("\n\n"),
                2 => format!(
                    "{}\n\n{}",
                    paragraph(seed * 1000 + s * 10 + c),
                    w.join("\n\n")
                ),
                _ => {
                    let mut v = w.clone();
                    v[1] = paragraph(seed * 5000 + s * 10 + c);
                    v.join("\n\n")
                }
            };
            let d = (day + c / 2).min(10);
            out.push((date(d, 7 + c), format!("c{s}-{c}"), text));
        }
    }
    out.sort();
    out.into_iter()
        .map(|(date, id, text)| (date.clone(), record(&id, Some(&date), &text)))
        .collect()
}

/// A feed's lines as `whole.jsonl`.
fn whole_feed(c: &Corpus, lines: &[(String, String)]) -> std::path::PathBuf {
    c.write(
        "whole.jsonl",
        lines
            .iter()
            .map(|(_, l)| format!("{l}\n"))
            .collect::<String>(),
    )
}

/// The `b`th of ten batches of a feed's lines, as JSON Lines.
fn tenth(lines: &[(String, String)], b: usize) -> String {
    let n = lines.len();
    lines[b * n / 10..(b + 1) * n / 10]
        .iter()
        .map(|(_, l)| format!("{l}\n"))
        .collect()
}

/// The pairs of a JSON report, keyed by (copy, source), as JSON text.
fn pairs(json: &serde_json::Value) -> Vec<(String, String, String)> {
    json["pairs"]
        .as_array()
        .expect("pairs")
        .iter()
        .map(|p| {
            (
                p["copy"].as_str().unwrap().to_string(),
                p["source"].as_str().unwrap().to_string(),
                p.to_string(),
            )
        })
        .collect()
}

/// A feed of one dated record, `ID.jsonl`.
fn one(c: &Corpus, id: &str, date: &str, seed: usize) -> std::path::PathBuf {
    c.write(
        &format!("{id}.jsonl"),
        record(id, Some(date), &paragraph(seed)) + "\n",
    )
}

/// `idx` in `c`, holding article `a` of 2026-03-01.
fn index_of_one(c: &Corpus) -> std::path::PathBuf {
    let index = c.path().join("idx");
    assert!(add(&index, &one(c, "a", "2026-03-01", 1)).code <= 1);
    index
}

fn add(index: &Path, feed: &Path) -> crate::util::Run {
    reprint_paths(&["index", "add", "-q", "-f", "json"], &[index, feed])
}

fn stats(index: &Path) -> serde_json::Value {
    let run = reprint_paths(&["index", "stats", "--json"], &[index]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Adding a feed in ten batches reports exactly the pairs one scan of
    /// the whole feed reports.
    #[test]
    fn ten_batches_report_the_pairs_of_one_scan(
        stories in 3usize..9,
        copies in proptest::collection::vec(0u8..4, 1..4),
        seed in 0usize..1000,
    ) {
        let c = Corpus::new();
        let lines = feed(stories, &copies, seed);
        let whole = whole_feed(&c, &lines);
        let scan = reprint_paths(&["scan", "-q", "-f", "json"], &[&whole]);
        prop_assert!(scan.code <= 1, "{}", scan.stderr);
        let mut expected = pairs(&scan.json());
        expected.sort();
        prop_assert!(expected.len() >= stories * copies.len() / 2, "{} pairs", expected.len());

        let index = c.path().join("index");
        let mut found = Vec::new();
        let n = lines.len();
        for b in 0..10 {
            let part = tenth(&lines, b);
            if part.is_empty() {
                continue;
            }
            let path = c.write(&format!("b{b}.jsonl"), part);
            let run = add(&index, &path);
            prop_assert!(run.code <= 1, "{}", run.stderr);
            found.extend(pairs(&run.json()));
        }
        found.sort();
        prop_assert_eq!(&found, &expected);
        prop_assert_eq!(stats(&index)["articles"].as_u64(), Some(n as u64));

        // One add of the whole feed in batches of five, as it is read; and
        // one to an empty index in one batch, filed three articles a
        // segment.
        let add_whole = |dir: &str, args: &[&str]| {
            let index = c.path().join(dir);
            let run = reprint_paths(&[&["index", "add", "-q", "-f", "json"], args].concat(), &[&index, &whole]);
            assert!(run.code <= 1, "{}", run.stderr);
            let mut found = pairs(&run.json());
            found.sort();
            (index, run.json(), found)
        };
        let (_, report, found) = add_whole("batched", &["--batch-size", "5"]);
        prop_assert_eq!(&found, &expected);
        let documents = report["documents"].as_array().expect("documents").len();
        let (bulk, _, found) = add_whole("bulk", &["--segment-size", "3"]);
        prop_assert_eq!(&found, &expected);
        // (Eight files of one size are merged, as after any add.)
        let files = stats(&bulk)["segments"].as_u64().unwrap_or(0);
        prop_assert!(files >= 1 && files <= n.div_ceil(3) as u64, "{} files", files);

        // The same add written as JSON Lines batch by batch: the same
        // pairs, each document once, the summary counting them.
        let streamed = c.path().join("streamed");
        let run = reprint_paths(&["index", "add", "-q", "-f", "jsonl", "--batch-size", "5"], &[&streamed, &whole]);
        prop_assert!(run.code <= 1, "{}", run.stderr);
        let records: Vec<serde_json::Value> = run
            .stdout
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect();
        let of = |kind: &'static str| records.iter().filter(move |r| r["type"] == kind).map(move |r| &r["data"]);
        let mut found = pairs(&serde_json::json!({ "pairs": of("pair").cloned().collect::<Vec<_>>() }));
        found.sort();
        prop_assert_eq!(&found, &expected);
        let mut ids: Vec<&str> = of("document").map(|d| d["id"].as_str().expect("id")).collect();
        prop_assert_eq!(ids.len(), documents);
        ids.sort_unstable();
        ids.dedup();
        prop_assert_eq!(ids.len(), documents);
        let last = records.last().expect("records");
        prop_assert_eq!(&last["type"], "summary");
        prop_assert_eq!(last["data"]["pairs"].as_u64(), Some(expected.len() as u64));
        prop_assert_eq!(last["data"]["documents"].as_u64(), Some(documents as u64));
    }
}

#[test]
fn a_query_reports_reuse_without_adding() {
    let c = Corpus::new();
    let w = wire(7);
    let day1 = c.write(
        "day1.jsonl",
        format!(
            "{}\n{}\n",
            record("wire", Some("2026-03-01"), &w.join("\n\n")),
            record("other", Some("2026-03-01"), &paragraph(900)),
        ),
    );
    let index = c.path().join("idx");
    let run = add(&index, &day1);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let release = c.write("release.txt", w[1..3].join("\n\n"));
    let run = reprint_paths(&["index", "query", "-f", "json"], &[&index, &release]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    let p = &json["pairs"][0];
    assert_eq!(
        (p["copy"].as_str(), p["source"].as_str()),
        (Some("release"), Some("wire"))
    );
    assert_eq!(p["passages"][0]["source"], serde_json::json!([2, 3]));
    assert_eq!(stats(&index)["articles"], 2);
    // --timings lists the stages on stderr and leaves the report alone.
    let timed = reprint_paths(
        &["index", "query", "-f", "json", "--timings"],
        &[&index, &release],
    );
    assert_eq!(timed.stdout, run.stdout);
    assert_stages(
        &timed.stderr,
        &[
            "look up band keys",
            "read back and verify neighbours",
            "align and score",
            "write report",
            "total",
        ],
        "index query",
    );
    assert!(!run.stderr.contains("align and score"));

    // Adding it later reports the same pair; adding it again adds nothing.
    let day2 = c.write(
        "day2.jsonl",
        record("outlet", Some("2026-03-02"), &w[1..3].join("\n\n")) + "\n",
    );
    let run = reprint_paths(
        &["index", "add", "-q", "-f", "json", "--timings"],
        &[&index, &day2],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["pairs"][0]["source"], "wire");
    assert_stages(
        &run.stderr,
        &["batch keys", "write segments", "merge segments", "total"],
        "index add",
    );
    let again = reprint_paths(&["index", "add", "-f", "json"], &[&index, &day2]);
    assert!(again.stderr.contains("already indexed"), "{}", again.stderr);
    assert_eq!(stats(&index)["articles"], 3);
}

/// Article `i` of March `day` (a JSON line): `d{day}-{i}`, paragraph
/// `day * 10 + i`.
fn day_record(day: usize, i: usize) -> String {
    record(
        &format!("d{day}-{i}"),
        Some(&format!("2026-03-{day:02}")),
        &paragraph(day * 10 + i),
    ) + "\n"
}

#[test]
fn eviction_drops_whole_days_and_stats_count_them() {
    let c = Corpus::new();
    let index = c.path().join("idx");
    for day in 1..=3 {
        let lines: String = (0..4).map(|i| day_record(day, i)).collect();
        let f = c.write(&format!("day{day}.jsonl"), lines);
        assert!(add(&index, &f).code <= 1);
    }
    let s = stats(&index);
    assert_eq!(s["articles"], 12);
    assert_eq!(s["partitions"].as_array().unwrap().len(), 3);
    assert!(s["bytes"].as_u64().unwrap() > 0);
    let run = reprint_paths(&["index", "evict", "--before", "2026-03-03"], &[&index]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("dropped 2 days"), "{}", run.stderr);
    let s = stats(&index);
    assert_eq!(s["articles"], 4);
    assert_eq!(s["partitions"][0]["day"], "2026-03-03");
    let segments = std::fs::read_dir(index.join("segments")).unwrap().count();
    assert_eq!(segments, 1, "evicted segment files are removed");
}

#[test]
fn an_add_over_several_days_is_one_file_with_a_partition_a_day() {
    let c = Corpus::new();
    let index = c.path().join("idx");
    let lines: String = (1..=3)
        .flat_map(|day| (0..2).map(move |i| day_record(day, i)))
        .collect();
    let f = c.write("days.jsonl", lines);
    assert!(add(&index, &f).code <= 1);
    let files = || std::fs::read_dir(index.join("segments")).unwrap().count();
    assert_eq!(files(), 1);
    let s = stats(&index);
    assert_eq!(s["articles"], 6);
    assert_eq!(s["partitions"].as_array().unwrap().len(), 3);
    assert_eq!(sources_of(&c, &index, "q1", &paragraph(10)), ["d1-0"]);
    // Its first day evicted: hidden, counted out, the file kept.
    let run = reprint_paths(&["index", "evict", "--before", "2026-03-02"], &[&index]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("dropped 1 day"), "{}", run.stderr);
    assert_eq!(stats(&index)["articles"], 4);
    assert!(sources_of(&c, &index, "q1", &paragraph(10)).is_empty());
    assert_eq!(sources_of(&c, &index, "q3", &paragraph(31)), ["d3-1"]);
    assert_eq!(files(), 1);
    // Every day evicted: the file goes.
    let run = reprint_paths(&["index", "evict", "--before", "2026-03-04"], &[&index]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(stats(&index)["articles"], 0);
    assert_eq!(files(), 0);
}

/// The indexed articles a query of `text` pairs with.
fn sources_of(c: &Corpus, index: &Path, name: &str, text: &str) -> Vec<String> {
    let q = c.write(&format!("{name}.txt"), text);
    let run = reprint_paths(&["index", "query", "-f", "json"], &[index, &q]);
    assert!(run.code <= 1, "{}", run.stderr);
    run.json()["pairs"]
        .as_array()
        .expect("pairs")
        .iter()
        .map(|p| {
            let (copy, source) = (p["copy"].as_str().unwrap(), p["source"].as_str().unwrap());
            if copy == name { source } else { copy }.to_string()
        })
        .collect()
}

#[test]
fn daily_segments_are_merged_and_eviction_inside_a_merged_one_hides_its_days() {
    let c = Corpus::new();
    let index = c.path().join("idx");
    let text =
        |day: usize, i: usize| paragraph(day * 10 + i) + "\n\n" + &paragraph(day * 10 + i + 5000);
    let add_day = |day: usize| {
        let lines: String = (0..3)
            .map(|i| {
                record(
                    &format!("d{day}-{i}"),
                    Some(&format!("2026-03-{day:02}")),
                    &text(day, i),
                ) + "\n"
            })
            .collect();
        let f = c.write(&format!("day{day}.jsonl"), lines);
        let run = add(&index, &f);
        assert!(run.code <= 1, "{}", run.stderr);
    };
    for day in 1..=12 {
        add_day(day);
    }
    let files = || std::fs::read_dir(index.join("segments")).unwrap().count();
    // Days 1-8 merged into one segment, days 9-12 one each.
    assert_eq!(files(), 5);
    let s = stats(&index);
    assert_eq!(s["articles"], 36);
    assert_eq!(s["segments"], 5);
    assert_eq!(s["partitions"].as_array().unwrap().len(), 12);
    assert_eq!(sources_of(&c, &index, "q2", &text(2, 0)), ["d2-0"]);
    assert_eq!(sources_of(&c, &index, "q10", &text(10, 1)), ["d10-1"]);

    // Days 1-3 evicted: the merged segment stays, its first days hidden.
    let run = reprint_paths(&["index", "evict", "--before", "2026-03-04"], &[&index]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("dropped 3 days"), "{}", run.stderr);
    assert_eq!(files(), 5);
    let s = stats(&index);
    assert_eq!(s["articles"], 27);
    assert_eq!(s["partitions"][0]["day"], "2026-03-04");
    assert!(sources_of(&c, &index, "q2", &text(2, 0)).is_empty());
    assert_eq!(sources_of(&c, &index, "q5", &text(5, 2)), ["d5-2"]);
    // An evicted id can be added again.
    let again = c.write(
        "again.jsonl",
        record("d2-0", Some("2026-03-13"), &text(2, 0)) + "\n",
    );
    let run = add(&index, &again);
    assert!(run.code <= 1, "{}", run.stderr);
    assert!(!run.stderr.contains("already indexed"), "{}", run.stderr);
    assert_eq!(stats(&index)["articles"], 28);

    // Once most of it is evicted, the next add rewrites it without them.
    let run = reprint_paths(&["index", "evict", "--before", "2026-03-07"], &[&index]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    add_day(14);
    let s = stats(&index);
    assert_eq!(s["articles"], 3 * 6 + 1 + 3);
    let merged: Vec<String> = std::fs::read_dir(index.join("segments"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("2026-03-07-2026-03-08"))
        .collect();
    assert_eq!(merged.len(), 1, "days 7-8 rewritten alone");
    assert!(sources_of(&c, &index, "q6", &text(6, 0)).is_empty());
    assert_eq!(sources_of(&c, &index, "q8", &text(8, 0)), ["d8-0"]);
}

#[test]
fn a_window_set_at_creation_evicts_old_days() {
    let c = Corpus::new();
    let index = c.path().join("idx");
    for day in [1, 2, 5] {
        let f = c.write(
            &format!("day{day}.jsonl"),
            record(
                &format!("d{day}"),
                Some(&format!("2026-03-0{day}")),
                &paragraph(day),
            ) + "\n",
        );
        let run = reprint_paths(
            &["index", "add", "--window", "2d", "-f", "json"],
            &[&index, &f],
        );
        assert!(run.code <= 1, "{}", run.stderr);
        if day == 2 {
            // Fixed at creation: the same window is accepted again.
            assert!(!run.stderr.contains("window dropped"), "{}", run.stderr);
        }
    }
    let s = stats(&index);
    assert_eq!(s["window_days"], 2);
    assert_eq!(s["articles"], 1, "{s}");
    let f = one(&c, "late", "2026-03-06", 50);
    let run = reprint_paths(&["index", "add", "--window", "9d"], &[&index, &f]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--window is fixed"), "{}", run.stderr);
}

#[test]
fn other_parameters_and_other_format_versions_are_refused() {
    let c = Corpus::new();
    let index = index_of_one(&c);
    let g = one(&c, "b", "2026-03-01", 2);
    let run = reprint_paths(&["index", "add", "--threshold", "0.7"], &[&index, &g]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("created with --threshold 0.5"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("0.7"), "{}", run.stderr);

    let meta = index.join("index.json");
    let text = std::fs::read_to_string(&meta).unwrap();
    std::fs::write(
        &meta,
        text.replace(
            &format!("\"version\": {}", reprint::index::FORMAT_VERSION),
            "\"version\": 99",
        ),
    )
    .unwrap();
    let run = reprint_paths(&["index", "stats"], &[&index]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("format version 99"), "{}", run.stderr);

    let run = reprint_paths(&["index", "add"], &[c.path(), &g]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not a reprint index"), "{}", run.stderr);
}

#[test]
fn a_second_writer_is_told_who_holds_the_lock() {
    let c = Corpus::new();
    let index = index_of_one(&c);
    let detector = reprint::scan::Detector::new(reprint::scan::Config::default()).unwrap();
    let held = reprint::index::Index::open_writer(&index, &detector, None).unwrap();
    let g = one(&c, "b", "2026-03-01", 2);
    let run = reprint_paths(&["index", "add"], &[&index, &g]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains(&format!("locked by pid {}", std::process::id())),
        "{}",
        run.stderr
    );
    // Readers are not locked out.
    assert_eq!(stats(&index)["articles"], 1);
    drop(held);
    assert!(add(&index, &g).code <= 1);
    assert_eq!(stats(&index)["articles"], 2);
}

/// Runs `index add` (with `args`) of `batch` to `index` and kills it
/// after `ms` milliseconds (if it has not ended by then).
fn add_killed_after(args: &[&str], index: &Path, batch: &Path, ms: u64) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_reprint"))
        .args(["index", "add", "-q", "-o", "/dev/null"])
        .args(args)
        .arg(index)
        .arg(batch)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(ms));
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn an_add_killed_at_any_moment_leaves_the_batch_out_or_in_whole() {
    let c = Corpus::new();
    let index = c.path().join("idx");
    let first = one(&c, "x", "2026-03-01", 3);
    assert!(add(&index, &first).code <= 1);
    let mut before = 1u64;
    let mut outcomes = (0, 0);
    for round in 0..8u64 {
        let lines: String = feed(300, &[0, 3], 40 + round as usize)
            .into_iter()
            .map(|(_, l)| l.replace("\"id\":\"", &format!("\"id\":\"r{round}-")) + "\n")
            .collect();
        let batch = c.write(&format!("batch{round}.jsonl"), lines);
        // Kill points spread over loading, checking and writing.
        add_killed_after(&[], &index, &batch, 15 + round * 35);
        let now = stats(&index)["articles"].as_u64().unwrap();
        assert!(
            now == before || now == before + 900,
            "round {round}: {before} → {now}"
        );
        if now == before {
            outcomes.0 += 1;
        } else {
            outcomes.1 += 1;
        }
        before = now;
    }
    // Whatever happened, the index takes another batch.
    let last = one(&c, "y", "2026-03-02", 4);
    assert!(add(&index, &last).code <= 1);
    assert_eq!(stats(&index)["articles"].as_u64(), Some(before + 1));
    eprintln!(
        "killed before commit: {}, after: {}",
        outcomes.0, outcomes.1
    );
}

#[test]
fn a_first_add_killed_while_it_files_segments_leaves_an_index_that_takes_it_again() {
    let c = Corpus::new();
    for round in 0..5u64 {
        let index = c.path().join(format!("idx{round}"));
        let lines: String = feed(300, &[0, 3], 70 + round as usize)
            .into_iter()
            .map(|(_, l)| l + "\n")
            .collect();
        let batch = c.write(&format!("batch{round}.jsonl"), lines);
        add_killed_after(&["--segment-size", "100"], &index, &batch, 10 + round * 60);
        // Nothing or the whole feed, however far it got.
        if index.join("index.json").exists() {
            let n = stats(&index)["articles"].as_u64().unwrap();
            assert!(n == 0 || n == 900, "round {round}: {n} articles");
        }
        let run = reprint_paths(
            &["index", "add", "-q", "-o", "/dev/null"],
            &[&index, &batch],
        );
        assert!(run.code <= 1, "round {round}: {}", run.stderr);
        let s = stats(&index);
        assert_eq!(s["articles"], 900, "round {round}");
        // No file of the killed add is left beside the listed ones.
        let files = std::fs::read_dir(index.join("segments")).unwrap().count();
        assert_eq!(s["segments"].as_u64(), Some(files as u64), "round {round}");
    }
}

#[test]
fn dedup_with_an_index_in_ten_batches_keeps_what_one_dedup_keeps() {
    let c = Corpus::new();
    let lines = feed(12, &[0, 3, 1, 2], 17);
    let whole = whole_feed(&c, &lines);
    let run = reprint_paths(&["dedup", "-q"], &[&whole]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = run.stdout;
    let index = c.path().join("idx");
    let mut kept = String::new();
    for b in 0..10 {
        let part = tenth(&lines, b);
        let path = c.write(&format!("b{b}.jsonl"), part);
        let run = reprint_paths(&["dedup", "-q", "--index"], &[&index, &path]);
        assert!(run.code <= 1, "{}", run.stderr);
        kept.push_str(&run.stdout);
    }
    assert!(
        expected.lines().count() < lines.len(),
        "the feed has duplicates"
    );
    assert_eq!(kept, expected);
    assert_eq!(
        stats(&index)["articles"].as_u64(),
        Some(expected.lines().count() as u64)
    );
    // Run again, nothing is new: every record is dropped as already indexed.
    let run = reprint_paths(&["dedup", "--index"], &[&index, &whole]);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("already indexed"), "{}", run.stderr);
}

/// A small tmpfs, unmounted when dropped.
struct SmallDisk(std::path::PathBuf);

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_is_named_and_the_index_still_opens() {
    let c = Corpus::new();
    let mount = c.path().join("small");
    std::fs::create_dir(&mount).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=400k", "tmpfs"])
        .arg(&mount)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot mount a small tmpfs here (needs root)");
        return;
    }
    let _disk = SmallDisk(mount.clone());
    let index = mount.join("idx");
    let first = one(&c, "first", "2026-03-01", 1);
    assert!(add(&index, &first).code <= 1);
    let big: String = feed(150, &[0], 3)
        .into_iter()
        .map(|(_, l)| l + "\n")
        .collect();
    let big = c.write("big.jsonl", big);
    let run = add(&index, &big);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("No space left"), "{}", run.stderr);
    assert!(
        run.stderr.contains(".seg"),
        "names the file: {}",
        run.stderr
    );
    assert_eq!(stats(&index)["articles"], 1);
    let second = one(&c, "second", "2026-03-01", 2);
    assert!(
        add(&index, &second).code <= 1,
        "the index takes a batch that fits"
    );
    assert_eq!(stats(&index)["articles"], 2);
}

#[test]
fn a_rewrite_of_an_indexed_article_is_found() {
    let c = Corpus::new();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rewrite");
    let index = c.path().join("idx");
    let run = reprint_paths(
        &["index", "add", "-q", "-f", "json"],
        &[
            &index,
            &fixtures.join("wire.txt"),
            &fixtures.join("other.txt"),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let run = reprint_paths(
        &["index", "query", "-f", "json"],
        &[&index, &fixtures.join("rewrite.txt")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["pairs"][0]["copy"], "rewrite");
    assert_eq!(json["pairs"][0]["source"], "wire");
}

#[test]
fn compaction_merges_every_segment_and_changes_no_report() {
    let c = Corpus::new();
    let lines = feed(6, &[0, 1, 2, 3], 5);
    let index = c.path().join("idx");
    for b in 0..10 {
        let part = tenth(&lines, b);
        let path = c.write(&format!("b{b}.jsonl"), part);
        let run = add(&index, &path);
        assert!(run.code <= 1, "{}", run.stderr);
    }
    let before = stats(&index);
    assert!(before["segments"].as_u64().unwrap() > 1, "{before}");
    // Queries of a wire story, an excerpt, and a text no article has.
    let w = wire(500);
    let texts = [w.join("\n\n"), w[1..3].join("\n\n"), paragraph(4242)];
    let queries: Vec<_> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| c.write(&format!("q{i}.txt"), t))
        .collect();
    let query = |index: &Path| -> Vec<String> {
        queries
            .iter()
            .map(|q| {
                let run = reprint_paths(&["index", "query", "-q", "-f", "json"], &[index, q]);
                assert!(run.code <= 1, "{}", run.stderr);
                run.stdout
            })
            .collect()
    };
    let answers = query(&index);
    let found = |answer: &str| pairs(&serde_json::from_str(answer).expect("a JSON report"));
    assert!(
        found(&answers[0])
            .iter()
            .any(|(c, s, _)| c == "w0" || s == "w0"),
        "{}",
        answers[0]
    );
    assert!(found(&answers[2]).is_empty(), "{}", answers[2]);
    // A copy of the index left as it is, for the add below.
    let untouched = c.path().join("untouched");
    copy_dir(&index, &untouched);

    let run = reprint_paths(&["index", "compact"], &[&index]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("merged into 1"), "{}", run.stderr);
    let after = stats(&index);
    assert_eq!(after["segments"], 1);
    assert_eq!(after["articles"], before["articles"]);
    // The same days and articles per day (their bytes are shares of a
    // file's size, which the merge changes).
    assert_eq!(days(&after), days(&before));
    assert_eq!(
        std::fs::read_dir(index.join("segments")).unwrap().count(),
        1
    );
    assert_eq!(query(&index), answers);
    // Compacting again has nothing to merge.
    let run = reprint_paths(&["index", "compact"], &[&index]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(stats(&index)["segments"], 1);

    // The next day's add reports what it reports without compaction.
    let day = next_day(&c, &w, 777);
    let (compacted, plain) = (add(&index, &day), add(&untouched, &day));
    assert!(compacted.code <= 1, "{}", compacted.stderr);
    assert_eq!(compacted.stdout, plain.stdout);

    // Days evicted from the merged segment are hidden, not lost count of.
    let run = reprint_paths(&["index", "evict", "--before", "2026-03-06"], &[&index]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run2 = reprint_paths(&["index", "evict", "--before", "2026-03-06"], &[&untouched]);
    assert_eq!(run2.code, 0, "{}", run2.stderr);
    assert_eq!(stats(&index)["articles"], stats(&untouched)["articles"]);
    assert_eq!(query(&index), query(&untouched));
}

/// A next day's feed: a copy of the first three paragraphs of the wire
/// story `w`, and a new article (paragraph `seed`).
fn next_day(c: &Corpus, w: &[String], seed: usize) -> std::path::PathBuf {
    c.write(
        "next.jsonl",
        format!(
            "{}\n{}\n",
            record("late", Some("2026-03-20"), &w[..3].join("\n\n")),
            record("new", Some("2026-03-20"), &paragraph(seed)),
        ),
    )
}

/// `(day, articles)` of each partition in `index stats --json` output.
fn days(s: &serde_json::Value) -> Vec<(String, u64)> {
    s["partitions"]
        .as_array()
        .expect("partitions")
        .iter()
        .map(|p| (p["day"].to_string(), p["articles"].as_u64().unwrap()))
        .collect()
}

/// Copies the files of `from` (one level of directories) into `to`.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

#[test]
fn a_feed_added_to_an_empty_index_is_filed_a_segment_at_a_time_as_scan_reports_it() {
    let c = Corpus::new();
    let lines = feed(6, &[0, 1, 2, 3], 9);
    let n = lines.len();
    let whole = whole_feed(&c, &lines);
    let scan = reprint_paths(&["scan", "-q", "-f", "json"], &[&whole]);
    assert!(scan.code <= 1, "{}", scan.stderr);
    let expected = pairs(&scan.json());
    assert!(!expected.is_empty());

    // The empty index takes the whole feed as one batch, filed five
    // articles a file (six files: too few of one size to be merged): the
    // pairs of the scan, in its order.
    let bulk = c.path().join("bulk");
    let run = reprint_paths(
        &["index", "add", "-f", "json", "--segment-size", "5"],
        &[&bulk, &whole],
    );
    assert!(run.code <= 1, "{}", run.stderr);
    assert_eq!(pairs(&run.json()), expected);
    assert!(
        run.stderr.contains("indexed 30 articles in") && run.stderr.contains("in 6 files"),
        "{}",
        run.stderr
    );
    let s = stats(&bulk);
    assert_eq!(s["articles"], n);
    assert_eq!(n, 30);
    assert_eq!(s["segments"], 6);
    // The same index as adds in batches of five make (one file a batch):
    // the same answers to queries and to the next add.
    let batched = c.path().join("batched");
    let run = reprint_paths(
        &["index", "add", "-q", "-f", "json", "--batch-size", "5"],
        &[&batched, &whole],
    );
    assert!(run.code <= 1, "{}", run.stderr);
    assert_eq!(days(&stats(&batched)), days(&s));
    let w = wire(900);
    let texts = [w.join("\n\n"), w[1..3].join("\n\n"), paragraph(4243)];
    for (i, t) in texts.iter().enumerate() {
        let q = c.write(&format!("q{i}.txt"), t);
        let answer = |index: &Path| {
            let run = reprint_paths(&["index", "query", "-q", "-f", "json"], &[index, &q]);
            assert!(run.code <= 1, "{}", run.stderr);
            run.stdout
        };
        assert_eq!(answer(&bulk), answer(&batched));
    }
    let day = next_day(&c, &w, 778);
    let (a, b) = (add(&bulk, &day), add(&batched, &day));
    assert!(a.code <= 1, "{}", a.stderr);
    assert_eq!(a.stdout, b.stdout);
    assert!(!pairs(&a.json()).is_empty(), "{}", a.stdout);
}

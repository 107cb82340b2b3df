//! `reprint dedup`: kept records byte for byte, clusters, keep rules.

use crate::feeds::{record, wire};
use crate::util::{Corpus, paragraph, reprint, reprint_paths};

/// A feed with one wire story, an outlet's full copy a day later, an
/// outlet's excerpt, and two unrelated articles. The copy carries extra
/// fields and odd spacing that must survive untouched.
fn feed(c: &Corpus) -> std::path::PathBuf {
    let w = wire(1);
    let lines = [
        record("wire", Some("2026-03-04"), &w.join("\n\n")),
        r#"{"text": "#.to_string()
            + &serde_json::to_string(&w.join("\n\n")).unwrap()
            + r#",   "id":"copy", "date":"2026-03-05", "extra": {"kept": [1, 2]}}"#,
        record("excerpt", Some("2026-03-05"), &w[..3].join("\n\n")),
        record("local", Some("2026-03-05"), &paragraph(500)),
        record("other", None, &paragraph(501)),
    ];
    c.write("feed.jsonl", lines.join("\n") + "\n")
}

#[test]
fn duplicates_are_dropped_and_kept_records_copied_unchanged() {
    let c = Corpus::new();
    let path = feed(&c);
    let original = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = original.lines().collect();
    let clusters = c.path().join("clusters.jsonl");
    let dropped = c.path().join("dropped.jsonl");
    let run = reprint_paths(
        &[
            "dedup",
            "--clusters",
            clusters.to_str().unwrap(),
            "--dropped",
            dropped.to_str().unwrap(),
        ],
        &[&path],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let kept: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(kept, [lines[0], lines[3], lines[4]]);
    let dropped_text = std::fs::read_to_string(&dropped).unwrap();
    assert_eq!(
        dropped_text.lines().collect::<Vec<_>>(),
        [lines[1], lines[2]]
    );

    let cluster_lines: Vec<serde_json::Value> = std::fs::read_to_string(&clusters)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(cluster_lines.len(), 1);
    let cl = &cluster_lines[0];
    assert_eq!(cl["kept"], "wire");
    assert_eq!(cl["size"], 3);
    assert_eq!(cl["dropped"][0]["id"], "copy");
    assert_eq!(cl["dropped"][1]["id"], "excerpt");
    assert_eq!(cl["dropped"][0]["score"], 1.0);
    assert!(cl["weakest"].as_f64().unwrap() > 0.9);

    assert!(
        run.stderr
            .contains("read 5 articles, kept 3, dropped 2 in 1 cluster ("),
        "{}",
        run.stderr
    );
}

#[test]
fn keep_longest_and_first_change_the_survivor() {
    let c = Corpus::new();
    let w = wire(2);
    let text = [
        record("short", Some("2026-01-01"), &w[..3].join("\n\n")),
        record("long", Some("2026-01-02"), &w.join("\n\n")),
    ]
    .join("\n");
    let path = c.write("feed.jsonl", text);
    let longest = reprint_paths(&["dedup", "--keep", "longest"], &[&path]);
    assert_eq!(longest.code, 0);
    assert!(longest.stdout.contains("\"long\"") && !longest.stdout.contains("\"short\""));
    // The earliest is the excerpt; the full story is not a duplicate of it.
    let earliest = reprint_paths(&["dedup", "--keep", "earliest"], &[&path]);
    assert_eq!(earliest.code, 1);
    assert_eq!(earliest.stdout.lines().count(), 2);
}

#[test]
fn no_duplicates_exit_one_and_keep_everything() {
    let c = Corpus::new();
    let text = [
        record("a", None, &paragraph(1)),
        record("b", None, &paragraph(2)),
    ]
    .join("\n");
    let path = c.write("feed.jsonl", text);
    let run = reprint_paths(&["dedup"], &[&path]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout.lines().count(), 2);
}

#[test]
fn stdin_feeds_are_deduplicated() {
    let w = wire(3).join("\n\n");
    let input = format!("{}\n{}\n", record("a", None, &w), record("b", None, &w));
    let run = reprint(&["dedup", "-"], Some(&input));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, format!("{}\n", record("a", None, &w)));
}

#[test]
fn a_single_text_file_is_kept_by_path() {
    let c = Corpus::new();
    let p = c.write("story.txt", paragraph(1));
    let run = reprint_paths(&["dedup"], &[&p]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, format!("{}\n", p.display()));
}

#[test]
fn an_interrupted_dedup_leaves_the_previous_output_in_place() {
    use std::process::{Command, Stdio};
    let c = Corpus::new();
    let out = c.write("out.jsonl", "previous complete output\n");
    // The standard input is spooled to a temporary file, which a killed
    // process cannot remove: keep it inside the test's directory.
    let mut child = Command::new(env!("CARGO_BIN_EXE_reprint"))
        .args(["dedup", "-o", out.to_str().unwrap(), "-"])
        .env("TMPDIR", c.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let stdin = child.stdin.as_mut().unwrap();
        writeln!(stdin, "{}", record("a", None, &paragraph(1))).unwrap();
        stdin.flush().unwrap();
    }
    // The process is still reading its input: stop it there.
    std::thread::sleep(std::time::Duration::from_millis(200));
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "previous complete output\n"
    );
}

#[test]
fn every_record_ends_in_kept_or_dropped_and_repeated_errors_are_summarised() {
    let c = Corpus::new();
    let w = wire(3).join("\n\n");
    let mut lines = vec![
        record("story", Some("2026-03-04"), &w),
        record("copy", Some("2026-03-05"), &w),
        "{not json".to_string(),
    ];
    // Thirty records repeating one id, each its own text.
    lines.extend((0..30).map(|i| record("same", None, &paragraph(900 + i))));
    let feed = c.write("feed.jsonl", lines.join("\n") + "\n");
    let dropped = c.path().join("dropped.jsonl");
    let run = reprint_paths(&["dedup", "--dropped", dropped.to_str().unwrap()], &[&feed]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let kept = run.stdout.lines().count();
    let dropped = std::fs::read_to_string(&dropped).unwrap().lines().count();
    assert_eq!((kept, dropped), (lines.len() - 1, 1), "{}", run.stdout);
    assert!(run.stderr.contains("--id-field"), "{}", run.stderr);
    let shown = run.stderr.matches("duplicate document id").count();
    assert_eq!(shown, 20, "{}", run.stderr);
    assert!(run.stderr.contains("9 more errors"), "{}", run.stderr);
}

#[test]
fn a_feed_from_a_fifo_is_read_once_and_its_records_copied() {
    let c = Corpus::new();
    let w = wire(4).join("\n\n");
    let text = [
        record("wire", Some("2026-03-04"), &w),
        record("copy", Some("2026-03-05"), &w),
        record("other", None, &paragraph(77)),
    ]
    .join("\n")
        + "\n";
    let fifo = c.path().join("feed.jsonl");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo unavailable: skipped");
        return;
    }
    let writer = {
        let (fifo, text) = (fifo.clone(), text.clone());
        std::thread::spawn(move || std::fs::write(&fifo, text).unwrap())
    };
    let run = reprint_paths(&["dedup"], &[&fifo]);
    writer.join().unwrap();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(run.stdout.lines().collect::<Vec<_>>(), [lines[0], lines[2]]);
}

#[test]
fn text_files_are_deduplicated_and_listed_by_path() {
    let c = Corpus::new();
    let w = crate::feeds::wire(7).join("\n\n");
    c.write("a/wire.txt", &w);
    c.write(
        "b/copy.txt",
        format!("{w}\n\nA closing local paragraph of a few words."),
    );
    c.write("c/other.txt", crate::feeds::wire(8).join("\n\n"));
    let kept = c.path().join("kept.txt");
    let dropped = c.path().join("dropped.txt");
    let run = reprint(
        &[
            "dedup",
            c.path().to_str().unwrap(),
            "-o",
            kept.to_str().unwrap(),
            "--dropped",
            dropped.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let kept = std::fs::read_to_string(&kept).unwrap();
    let dropped = std::fs::read_to_string(&dropped).unwrap();
    assert_eq!(kept.lines().count(), 2, "{kept}");
    assert!(kept.contains("other.txt"));
    assert_eq!(dropped.lines().count(), 1, "{dropped}");
    // The wire story and its copy cover each other: one of them is kept.
    assert!(kept.contains("wire.txt") != dropped.contains("wire.txt"));

    // Feeds and text files in one run are refused.
    let feed = c.write("feed.jsonl", "{\"id\":\"x\",\"text\":\"a short text\"}\n");
    let run = reprint(
        &[
            "dedup",
            feed.to_str().unwrap(),
            c.path().join("a/wire.txt").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not both"), "{}", run.stderr);
}

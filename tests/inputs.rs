//! Inputs read as meant and outputs that cannot be abused: byte-order
//! marks, gzip by content, no input found, thread and share options,
//! escaped ids, CSV cells that are not formulas.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::feeds::{record, wire};
use crate::util::{Corpus, reprint, samples};

#[test]
fn a_byte_order_mark_does_not_lose_the_first_record() {
    let c = Corpus::new();
    let w = wire(1).join("\n\n");
    let body = [record("first", None, &w), record("second", None, &w)].join("\n") + "\n";
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(body.as_bytes());
    let feed = c.write("feed.jsonl", &bytes);
    let run = reprint(&["scan", feed.to_str().unwrap(), "-f", "json"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["documents"][0]["id"], "first");
    // On standard input too, where the mark hid that the input is a feed.
    let text = String::from_utf8(bytes).unwrap();
    let run = reprint(&["scan", "-", "-f", "json"], Some(&text));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["documents"].as_array().unwrap().len(), 2);
}

#[test]
fn gzip_is_recognised_by_content_on_standard_input() {
    let c = Corpus::new();
    let feed = c.path().join("feed.jsonl.gz");
    let run = reprint(&["synth", "-n", "20", "-o", feed.to_str().unwrap()], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bytes = std::fs::read(&feed).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_reprint"))
        .args(["scan", "-", "-f", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let json: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(json["documents"].as_array().unwrap().len(), 20);
}

#[test]
fn no_input_found_is_an_error() {
    let c = Corpus::new();
    c.write("notes.pdf", "not a text file by its name");
    let run = reprint(&["scan", c.path().to_str().unwrap()], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no documents found"), "{}", run.stderr);
}

#[test]
fn zero_threads_means_all_cores_and_shares_are_checked() {
    let s = samples();
    let run = reprint(&["scan", s.to_str().unwrap(), "-j", "0"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = reprint(&["synth", "-n", "5", "--copy-share", "1.5"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("between 0 and 1"), "{}", run.stderr);
}

#[test]
fn one_document_is_not_documents() {
    let c = Corpus::new();
    let a = c.write("only.txt", wire(1).join("\n\n"));
    let run = reprint(&["scan", a.to_str().unwrap()], None);
    assert!(run.stdout.starts_with("1 document, "), "{}", run.stdout);
}

#[test]
fn ids_cannot_forge_terminal_lines_or_spreadsheet_formulas() {
    let c = Corpus::new();
    let w = wire(1).join("\n\n");
    let feed = c.write(
        "feed.jsonl",
        [
            record("=HYPERLINK(\"http://x\")", Some("2026-03-04"), &w),
            record("evil\u{1b}[2J\r\nforged line", Some("2026-03-05"), &w),
        ]
        .join("\n")
            + "\n",
    );
    let p = feed.to_str().unwrap();
    let run = reprint(&["scan", p, "-f", "csv"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let row = run.stdout.lines().nth(1).unwrap();
    assert!(row.starts_with("\"'=HYPERLINK"), "{row}");
    let run = reprint(&["scan", p], None);
    assert!(!run.stdout.contains('\u{1b}'), "{}", run.stdout);
    assert!(!run.stdout.contains("\r\nforged"), "{}", run.stdout);
    assert!(
        run.stdout.contains("evil\\u{1b}[2J\\r\\nforged line"),
        "{}",
        run.stdout
    );
}

#[test]
fn utf16_text_with_a_byte_order_mark_is_decoded() {
    let c = Corpus::new();
    let text = wire(1).join("\n\n");
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let mut be = vec![0xFE, 0xFF];
    be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    c.write("le.txt", le);
    c.write("be.txt", be);
    c.write("plain.txt", &text);
    let run = reprint(&["scan", c.path().to_str().unwrap(), "-f", "json"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.json()["pairs"].as_array().unwrap().len(),
        3,
        "{}",
        run.stdout
    );
}

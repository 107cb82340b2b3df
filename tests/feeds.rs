//! JSON Lines feeds: scan, field mapping, compression, standard input.

use std::io::Write;

use crate::util::{Corpus, paragraph, reprint, reprint_paths};

/// A feed line with the given fields.
pub fn record(id: &str, date: Option<&str>, text: &str) -> String {
    let mut v = serde_json::json!({"id": id, "text": text, "source": "Example"});
    if let Some(d) = date {
        v["date"] = serde_json::Value::String(d.to_string());
    }
    v.to_string()
}

/// A wire story of four paragraphs and texts built from it.
pub fn wire(seed: usize) -> Vec<String> {
    (0..4).map(|i| paragraph(seed * 10 + i)).collect()
}

#[test]
fn a_feed_is_scanned_like_files() {
    let c = Corpus::new();
    let w = wire(1);
    let feed = [
        record("wire", Some("2026-03-04T08:00:00Z"), &w.join("\n\n")),
        record(
            "outlet",
            Some("2026-03-04T11:30:00+01:00"),
            &format!("{}\n\n{}", paragraph(77), w[1..3].join("\n\n")),
        ),
        record("other", None, &paragraph(99)),
    ]
    .join("\n");
    let path = c.write("feed.jsonl", feed);
    let run = reprint_paths(&["scan", "-f", "json"], &[&path]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["documents"].as_array().unwrap().len(), 3);
    assert_eq!(
        json["documents"][0]["path"],
        format!("{}:1", path.display())
    );
    let pair = &json["pairs"][0];
    assert_eq!(pair["source"], "wire");
    assert_eq!(pair["copy"], "outlet");
    assert_eq!(pair["direction"], "date");
    assert_eq!(pair["passages"][0]["copy"], serde_json::json!([2, 3]));
    assert_eq!(pair["passages"][0]["source"], serde_json::json!([2, 3]));
}

#[test]
fn field_names_can_be_mapped() {
    let c = Corpus::new();
    let w = wire(2).join("\n\n");
    let lines = [
        serde_json::json!({"guid": "a", "body": w, "published": "2026-01-01"}).to_string(),
        serde_json::json!({"guid": "b", "body": w, "published": "2026-01-02"}).to_string(),
    ];
    let path = c.write("feed.ndjson", lines.join("\n") + "\n");
    let run = reprint_paths(
        &[
            "scan",
            "-f",
            "json",
            "--id-field",
            "guid",
            "--text-field",
            "body",
            "--date-field",
            "published",
        ],
        &[&path],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pair = &run.json()["pairs"][0];
    assert_eq!(pair["source"], "a");
    assert_eq!(pair["copy"], "b");
}

#[test]
fn gzip_feeds_are_read() {
    let c = Corpus::new();
    let w = wire(3).join("\n\n");
    let text = [record("a", None, &w), record("b", None, &w)].join("\n");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(text.as_bytes()).unwrap();
    let path = c.write("feed.jsonl.gz", gz.finish().unwrap());
    let run = reprint_paths(&["scan", "-f", "json"], &[&path]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["pairs"].as_array().unwrap().len(), 1);
}

#[test]
fn a_feed_on_stdin_is_recognised() {
    let w = wire(4).join("\n\n");
    let input = format!("{}\n{}\n", record("a", None, &w), record("b", None, &w));
    let run = reprint(&["scan", "-f", "json", "-"], Some(&input));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["documents"][1]["id"], "b");
}

#[test]
fn directories_include_feeds() {
    let c = Corpus::new();
    let w = wire(5).join("\n\n");
    c.write("a.txt", &w);
    c.write("sub/feed.jsonl", record("b", None, &w));
    let run = reprint_paths(&["scan", "-f", "json"], &[c.path()]);
    assert_eq!(run.json()["documents"].as_array().unwrap().len(), 2);
    assert_eq!(run.code, 0);
}

#[test]
fn numeric_ids_keep_their_literal_text() {
    let c = Corpus::new();
    let w = wire(2).join("\n\n");
    let text = serde_json::to_string(&w).unwrap();
    let feed = c.write(
        "feed.jsonl",
        format!(
            "{{\"id\": 18446744073709551616, \"text\": {text}}}\n{{\"id\": 18446744073709551617, \"text\": {text}}}\n"
        ),
    );
    let run = reprint(&["scan", feed.to_str().unwrap(), "-f", "json"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["documents"][0]["id"], "18446744073709551616");
    assert_eq!(json["documents"][1]["id"], "18446744073709551617");
}

#[test]
fn rss_and_epoch_dates_in_feeds_decide_the_direction() {
    let c = Corpus::new();
    let w = wire(5).join("\n\n");
    let text = serde_json::to_string(&w).unwrap();
    let feed = c.write(
        "feed.jsonl",
        format!(
            "{{\"id\": \"later\", \"date\": 1772620200, \"text\": {text}}}\n{{\"id\": \"first\", \"date\": \"Wed, 04 Mar 2026 09:30:00 GMT\", \"text\": {text}}}\n"
        ),
    );
    let run = reprint(&["scan", feed.to_str().unwrap(), "-f", "json"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("treated as unknown"), "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["pairs"][0]["source"], "first");
    assert_eq!(json["pairs"][0]["direction"], "date");
}

#[test]
fn a_copy_crediting_its_source_outlet_is_the_copy_when_dates_do_not_tell() {
    // The outlet runs the whole wire story with a local paragraph of its
    // own and a credit line: coverage alone reads the wire story (wholly
    // covered) as the copy.
    let c = Corpus::new();
    let w = wire(6);
    let local = paragraph(990);
    let plain = format!("{}\n\n{local}", w.join("\n\n"));
    let credited = format!("{plain}\n\nReporting by Global Wire.");
    let line = |id: &str, source: &str, text: &str| {
        format!(
            "{{\"id\": \"{id}\", \"source\": \"{source}\", \"text\": {}}}\n",
            serde_json::to_string(text).unwrap()
        )
    };
    let scan = |outlet_text: &str| {
        let feed = c.write(
            "credit.jsonl",
            line("wire", "Global Wire", &w.join("\n\n"))
                + &line("outlet", "Daily Planet", outlet_text),
        );
        let run = reprint(&["scan", feed.to_str().unwrap(), "-f", "json"], None);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.json()["pairs"][0].clone()
    };
    let uncredited = scan(&plain);
    assert_eq!(
        (
            uncredited["copy"].as_str(),
            uncredited["direction"].as_str()
        ),
        (Some("wire"), Some("containment"))
    );
    assert_eq!(uncredited["credited"], false);
    // With the credit: the outlet is the copy, and as the coverages say
    // the opposite the pair is mutual.
    let pair = scan(&credited);
    assert_eq!(pair["copy"], "outlet");
    assert_eq!(pair["source"], "wire");
    assert_eq!(pair["direction"], "mutual");
    assert_eq!(pair["credited"], true);
}

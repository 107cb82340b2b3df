//! The golden test on the seed articles in `samples/`.

use crate::util::{assert_stages, reprint, samples};

#[test]
fn samples_report_exactly_one_pair_003_copied_from_001() {
    let dir = samples();
    let run = reprint(&["scan", "--format", "json", dir.to_str().unwrap()], None);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let json = run.json();

    let pairs = json["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 1, "{pairs:#?}");
    let pair = &pairs[0];
    assert_eq!(pair["source"], "001_a2e1f2d9f2070016");
    assert_eq!(pair["copy"], "003_f7c69d1d9d5011cc");
    assert_eq!(pair["direction"], "containment");
    let copy_in_source = pair["copy_in_source"].as_f64().unwrap();
    assert!(copy_in_source >= 0.97, "{copy_in_source}");
    let jaccard = pair["jaccard"].as_f64().unwrap();
    assert!((0.30..=0.38).contains(&jaccard), "{jaccard}");
    let source_in_copy = pair["source_in_copy"].as_f64().unwrap();
    assert!((0.30..=0.38).contains(&source_in_copy), "{source_in_copy}");

    let passages = pair["passages"].as_array().unwrap();
    assert_eq!(passages.len(), 1);
    assert_eq!(passages[0]["copy"], serde_json::json!([1, 11]));
    assert_eq!(passages[0]["source"], serde_json::json!([12, 22]));
    assert!(passages[0]["similarity"].as_f64().unwrap() >= 0.97);
}

#[test]
fn the_date_marker_is_metadata_and_not_text() {
    let dir = samples();
    let json = reprint(&["scan", "--format", "json", dir.to_str().unwrap()], None).json();
    let docs = json["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 4);
    assert_eq!(docs[3]["id"], "003_f7c69d1d9d5011cc");
    assert_eq!(docs[3]["date"], "2026-03-04");
    assert_eq!(docs[2]["date"], serde_json::Value::Null);
    // The passage starts at "Iraqi Kurds", after " date 2026-03-04 ".
    let span = &json["pairs"][0]["passages"][0]["copy_span"];
    let text = std::fs::read_to_string(dir.join("003_f7c69d1d9d5011cc.txt")).unwrap();
    let start = span["start_byte"].as_u64().unwrap() as usize;
    assert!(text[start..].starts_with("Iraqi Kurds hesitant"));
    let end = span["end_byte"].as_u64().unwrap() as usize;
    assert!(text[..end].ends_with("military support."));
}

#[test]
fn only_the_copied_pair_stands_out_in_the_matrix() {
    let dir = samples();
    let json = reprint(&["scan", "--format", "json", dir.to_str().unwrap()], None).json();
    let m = &json["matrix"];
    assert_eq!(m["metric"], "containment");
    let values = m["values"].as_array().unwrap();
    for (i, row) in values.iter().enumerate() {
        for (j, cell) in row.as_array().unwrap().iter().enumerate() {
            let v = cell.as_f64().unwrap();
            if i == j {
                assert_eq!(v, 1.0);
            } else if (i, j) == (3, 1) {
                assert!(v >= 0.97, "003 in 001: {v}");
            } else if (i, j) == (1, 3) {
                assert!((0.30..=0.38).contains(&v), "001 in 003: {v}");
            } else {
                assert!(v < 0.05, "[{i}][{j}] = {v}");
            }
        }
    }
}

#[test]
fn the_table_names_the_pair_and_its_passage() {
    let dir = samples();
    let run = reprint(&["scan", dir.to_str().unwrap()], None);
    assert_eq!(run.code, 0);
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("003_f7c69d1d9d5011cc"))
        .expect("a row for 003");
    assert!(line.contains("001_a2e1f2d9f2070016"), "{line}");
    assert!(line.contains("¶1–11 ← ¶12–22"), "{line}");
    assert!(line.contains("containment"), "{line}");
    assert!(run.stdout.contains("Similarity matrix"));
}

#[test]
fn timings_list_every_stage_on_stderr_and_leave_the_report_alone() {
    let dir = samples();
    let dir = dir.to_str().unwrap();
    let plain = reprint(&["scan", "--format", "json", dir], None);
    for command in ["scan", "audit", "dedup"] {
        let run = reprint(&[command, "--timings", dir], None);
        assert!(run.code <= 1, "{command}: {}", run.stderr);
        assert_stages(
            &run.stderr,
            &[
                "read and shingle",
                "signatures and LSH",
                "align and score",
                "total",
            ],
            command,
        );
        if command == "scan" {
            let timed = reprint(&["scan", "--format", "json", "--timings", dir], None);
            assert_eq!(timed.stdout, plain.stdout);
        }
    }
    assert!(!plain.stderr.contains("align and score"));
}

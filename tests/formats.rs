//! Output formats and output files.

use crate::util::{Corpus, reprint, samples};

fn samples_arg() -> String {
    samples().display().to_string()
}

#[test]
fn csv_has_a_header_and_one_row_per_pair() {
    let run = reprint(&["scan", "--format", "csv", &samples_arg()], None);
    assert_eq!(run.code, 0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "source,copy,copy_in_source,source_in_copy,jaccard,direction,passages"
    );
    assert_eq!(lines.len(), 2);
    assert!(lines[1].starts_with("001_a2e1f2d9f2070016,003_f7c69d1d9d5011cc,"));
    assert!(
        lines[1].ends_with(",containment,1-11:12-22"),
        "{}",
        lines[1]
    );
}

#[test]
fn output_file_receives_the_report_and_stdout_stays_empty() {
    let tmp = Corpus::new();
    let out = tmp.path().join("report.json");
    let run = reprint(
        &[
            "scan",
            "-f",
            "json",
            "-o",
            out.to_str().unwrap(),
            &samples_arg(),
        ],
        None,
    );
    assert_eq!(run.code, 0);
    assert!(run.stdout.is_empty());
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(json["pairs"].as_array().unwrap().len(), 1);
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(names.len(), 1);
}

#[test]
fn matrix_csv_lists_every_document() {
    let tmp = Corpus::new();
    let out = tmp.path().join("matrix.csv");
    let run = reprint(
        &[
            "scan",
            "--matrix-csv",
            out.to_str().unwrap(),
            &samples_arg(),
        ],
        None,
    );
    assert_eq!(run.code, 0);
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5);
    assert!(lines[0].starts_with("id,000_84689d4fa9f00ea7,001_a2e1f2d9f2070016"));
    assert!(lines[4].starts_with("003_f7c69d1d9d5011cc,"));
    let cells: Vec<&str> = lines[4].split(',').collect();
    assert_eq!(cells.len(), 5);
    assert!(cells[2].parse::<f64>().unwrap() > 0.97);
}

#[test]
fn json_echoes_every_parameter() {
    let json = reprint(
        &[
            "scan",
            "-f",
            "json",
            "-k",
            "4",
            "--num-perm",
            "64",
            "--seed",
            "7",
            &samples_arg(),
        ],
        None,
    )
    .json();
    let p = &json["params"];
    assert_eq!(p["k"], 4);
    assert_eq!(p["hashes"], 64);
    assert_eq!(p["seed"], 7);
    assert_eq!(p["threshold"], 0.5);
    let (bands, rows) = (p["bands"].as_u64().unwrap(), p["rows"].as_u64().unwrap());
    assert!(bands * rows <= 64);
    assert!(p["hash_family"].as_str().unwrap().contains("xxh3"));
}

#[test]
fn explicit_bands_and_rows_are_used() {
    let json = reprint(
        &[
            "scan",
            "-f",
            "json",
            "--bands",
            "16",
            "--rows",
            "8",
            &samples_arg(),
        ],
        None,
    )
    .json();
    assert_eq!(json["params"]["bands"], 16);
    assert_eq!(json["params"]["rows"], 8);
}

#[test]
fn jaccard_matrix_is_symmetric() {
    let json = reprint(
        &["scan", "-f", "json", "--metric", "jaccard", &samples_arg()],
        None,
    )
    .json();
    let v = &json["matrix"]["values"];
    assert_eq!(json["matrix"]["metric"], "jaccard");
    for i in 0..4 {
        for j in 0..4 {
            assert_eq!(v[i][j], v[j][i]);
        }
    }
}

#[test]
fn matrix_is_omitted_above_the_limit() {
    let run = reprint(
        &["scan", "-f", "json", "--matrix-limit", "3", &samples_arg()],
        None,
    );
    assert_eq!(run.json()["matrix"], serde_json::Value::Null);
    let table = reprint(&["scan", "--matrix-limit", "3", &samples_arg()], None);
    assert!(table.stdout.contains("Similarity matrix omitted"));
}

#[test]
fn params_shows_the_banding_and_s_curve() {
    let run = reprint(&["params", "--threshold", "0.5", "--num-perm", "128"], None);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("42 bands × 3 rows"), "{}", run.stdout);
    assert!(run.stdout.contains("← threshold"));
}

#[test]
fn explain_goes_to_stderr() {
    let run = reprint(&["scan", "--explain", "-f", "json", &samples_arg()], None);
    assert!(run.stderr.contains("bands"));
    run.json();
}

#[test]
fn help_documents_exit_codes_and_options() {
    let run = reprint(&["scan", "--help"], None);
    assert_eq!(run.code, 0);
    for needle in [
        "Exit status",
        "--threshold",
        "--shingle",
        "--num-perm",
        "--bands",
        "--rows",
        "--seed",
        "--min-words",
        "--metric",
        "--threads",
        "--ext",
        "JSON",
    ] {
        assert!(run.stdout.contains(needle), "--help lacks {needle}");
    }
}

#[test]
fn jsonl_has_one_record_per_line_and_a_summary_last() {
    let s = samples();
    let run = reprint(&["scan", s.to_str().unwrap(), "-f", "jsonl"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let kinds: Vec<&str> = lines.iter().map(|l| l["type"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "document", "document", "document", "document", "pair", "summary"
        ]
    );
    assert_eq!(lines[4]["data"]["copy"], "003_f7c69d1d9d5011cc");
    assert_eq!(
        lines[4]["data"]["passages"][0]["source"],
        serde_json::json!([12, 22])
    );
    assert_eq!(lines[5]["data"]["pairs"], 1);
    // The same pair object as --format json.
    let json = reprint(&["scan", s.to_str().unwrap(), "-f", "json"], None).json();
    assert_eq!(lines[4]["data"], json["pairs"][0]);
    // -o NAME.jsonl picks the format.
    let c = Corpus::new();
    let out = c.path().join("r.jsonl");
    reprint(
        &["scan", s.to_str().unwrap(), "-o", out.to_str().unwrap()],
        None,
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("{\"type\":\"document\""), "{text}");
}

#[test]
fn table_columns_align_for_wide_characters() {
    let c = Corpus::new();
    let w = crate::feeds::wire(6).join("\n\n");
    let feed = c.write(
        "feed.jsonl",
        [
            crate::feeds::record("新闻稿", Some("2026-03-04"), &w),
            crate::feeds::record("copy", Some("2026-03-05"), &w),
        ]
        .join("\n")
            + "\n",
    );
    let run = reprint(&["scan", feed.to_str().unwrap()], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The matrix rows ("[1]  新闻稿  …", "[2]  copy  …") have the same
    // width on a terminal, where a CJK character takes two columns.
    let rows: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with('[')).collect();
    assert_eq!(rows.len(), 2, "{}", run.stdout);
    let columns =
        |l: &str| -> usize { l.chars().map(|ch| if ch.is_ascii() { 1 } else { 2 }).sum() };
    assert_eq!(columns(rows[0]), columns(rows[1]), "{}", run.stdout);
}

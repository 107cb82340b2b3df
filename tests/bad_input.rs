//! Bad input: every case gets a one-line error naming the file (and line),
//! loses nothing else, and sets exit status 2. Cases covered elsewhere:
//! invalid UTF-8, binary, empty and whitespace-only files, missing paths
//! and duplicate file ids (`exit_codes`).

use std::io::Write;

use crate::feeds::{record, wire};
use crate::util::{Corpus, paragraph, reprint_paths, samples};

/// A feed whose good lines hold a copied pair, plus the given bad lines.
fn feed_with(c: &Corpus, bad: &[&str]) -> std::path::PathBuf {
    let w = wire(1).join("\n\n");
    let mut lines = vec![record("good-a", None, &w)];
    lines.extend(bad.iter().map(|s| s.to_string()));
    lines.push(record("good-b", None, &w));
    c.write("feed.jsonl", lines.join("\n") + "\n")
}

fn error_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("reprint: error:"))
        .collect()
}

#[test]
fn a_line_that_is_not_json_names_file_and_line() {
    let c = Corpus::new();
    let path = feed_with(&c, &["{\"id\": \"broken\", \"text\": \"unterminated"]);
    let run = reprint_paths(&["scan", "-f", "json"], &[&path]);
    assert_eq!(run.code, 2);
    let errors = error_lines(&run.stderr);
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].contains("feed.jsonl:2: not a JSON object"),
        "{}",
        errors[0]
    );
    assert_eq!(run.json()["pairs"].as_array().unwrap().len(), 1);
}

#[test]
fn a_line_missing_the_text_field_says_which_flag_fixes_it() {
    let c = Corpus::new();
    let path = feed_with(&c, &[r#"{"id": "x", "body": "text under another name"}"#]);
    let run = reprint_paths(&["scan", "-f", "json"], &[&path]);
    assert_eq!(run.code, 2);
    let errors = error_lines(&run.stderr);
    assert!(
        errors[0].contains("feed.jsonl:2: no \"text\" field"),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains("--text-field"), "{}", errors[0]);
    assert_eq!(run.json()["documents"].as_array().unwrap().len(), 2);
}

#[test]
fn a_text_field_that_is_not_a_string_is_an_error() {
    let c = Corpus::new();
    let path = feed_with(
        &c,
        &[
            r#"{"id": "x", "text": ["a", "list"]}"#,
            r#"{"id": "y", "text": null}"#,
        ],
    );
    let run = reprint_paths(&["scan", "-f", "json"], &[&path]);
    assert_eq!(run.code, 2);
    let errors = error_lines(&run.stderr);
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(
        errors[0].contains(":2: field \"text\" is an array, not a string"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].contains(":3: field \"text\" is null, not a string"),
        "{}",
        errors[1]
    );
    assert_eq!(run.json()["pairs"].as_array().unwrap().len(), 1);
}

#[test]
fn duplicate_ids_across_feeds_keep_the_first() {
    let c = Corpus::new();
    let w = wire(2).join("\n\n");
    let a = c.write("a.jsonl", record("same", None, &w));
    let b = c.write("b.jsonl", record("same", None, &paragraph(7)));
    let run = reprint_paths(&["scan", "-f", "json"], &[&a, &b]);
    assert_eq!(run.code, 2);
    let errors = error_lines(&run.stderr);
    assert!(
        errors[0].contains("duplicate document id 'same' in '"),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].contains("b.jsonl:1") && errors[0].contains("a.jsonl:1"),
        "{}",
        errors[0]
    );
    assert_eq!(run.json()["documents"].as_array().unwrap().len(), 1);
}

#[test]
fn a_truncated_gzip_feed_keeps_the_lines_before_the_damage() {
    let c = Corpus::new();
    let w = wire(3).join("\n\n");
    let lines: Vec<String> = (0..200)
        .map(|i| {
            record(
                &format!("r{i}"),
                None,
                &format!("{w}\n\n{}", paragraph(1000 + i)),
            )
        })
        .collect();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(lines.join("\n").as_bytes()).unwrap();
    let bytes = gz.finish().unwrap();
    let path = c.write("feed.jsonl.gz", &bytes[..bytes.len() * 2 / 3]);
    let run = reprint_paths(&["scan", "-f", "json", "--matrix-limit", "0"], &[&path]);
    assert_eq!(run.code, 2);
    let errors = error_lines(&run.stderr);
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].contains("feed.jsonl.gz: compressed data is truncated or corrupt after line"),
        "{}",
        errors[0]
    );
    let docs = run.json()["documents"].as_array().unwrap().len();
    assert!(docs > 10 && docs < 200, "{docs} documents read");
}

#[test]
fn an_unreadable_file_is_reported_and_the_rest_scanned() {
    let c = Corpus::new();
    let path = c.write("locked.txt", paragraph(1));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    // Permissions do not stop the superuser: read a file no one can read.
    let unreadable = if std::fs::read(&path).is_ok() {
        std::path::PathBuf::from("/proc/self/mem")
    } else {
        path
    };
    let run = reprint_paths(&["scan", "-f", "json"], &[&unreadable, &samples()]);
    assert_eq!(run.code, 2);
    let errors = error_lines(&run.stderr);
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].contains("cannot read") && errors[0].contains(unreadable.to_str().unwrap()),
        "{}",
        errors[0]
    );
    assert_eq!(run.json()["pairs"].as_array().unwrap().len(), 1);
}

#[test]
fn a_paragraph_of_200000_words_is_scanned() {
    let c = Corpus::new();
    let huge: String = (0..200_000).map(|i| format!("w{} ", i % 5000)).collect();
    let w = wire(4).join("\n\n");
    c.write("huge.txt", format!("{huge}\n\n{w}"));
    c.write("copy.txt", &w);
    let run = reprint_paths(&["scan", "-f", "json"], &[c.path()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(
        json["documents"][1]["words"].as_u64().unwrap(),
        200_000 + 4 * 40 + 16
    );
    assert_eq!(
        json["pairs"][0]["passages"][0]["source"],
        serde_json::json!([2, 5])
    );
}

#[test]
fn a_200_megabyte_single_line_file_is_scanned() {
    let c = Corpus::new();
    let path = c.dir.path().join("oneline.txt");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let chunk: String = (0..10_000).map(|i| format!("token{} ", i % 7919)).collect();
        let mut written = 0;
        while written < 200_000_000 {
            f.write_all(chunk.as_bytes()).unwrap();
            written += chunk.len();
        }
    }
    let run = reprint_paths(&["scan", "-f", "json"], &[&path, &samples()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["documents"][0]["paragraphs"], 1);
    assert_eq!(json["pairs"].as_array().unwrap().len(), 1);
}

#[test]
fn a_directory_of_100000_small_files_is_scanned() {
    let c = Corpus::new();
    for i in 0..100_000 {
        c.write(&format!("d{:02}/f{i:06}.txt", i % 100), format!("note {i}"));
    }
    let w = wire(5).join("\n\n");
    c.write("d00/wire.txt", &w);
    c.write("d99/copy.txt", &w);
    let run = reprint_paths(&["scan", "-f", "csv", "--matrix-limit", "0"], &[c.path()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(rows.len(), 2, "{}", run.stdout);
    assert!(
        rows[1].starts_with("wire,copy,") || rows[1].starts_with("copy,wire,"),
        "{}",
        rows[1]
    );
}

#[test]
fn control_characters_in_names_are_escaped_on_stderr() {
    // A file name (or id) can carry escape sequences and line breaks; on
    // stderr they must not recolour the terminal or forge a second line.
    let c = Corpus::new();
    let missing = c.path().join("gone\u{1b}[31m\nreprint: error: forged.txt");
    let good = c.write("good.txt", wire(1).join("\n\n"));
    let run = reprint_paths(&["scan", "-f", "json"], &[&missing, &good]);
    assert_eq!(run.code, 2);
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
    let errors = error_lines(&run.stderr);
    assert_eq!(errors.len(), 1, "{:?}", run.stderr);
    assert!(
        errors[0].contains("gone\\u{1b}[31m\\nreprint"),
        "{}",
        errors[0]
    );
}

#[test]
fn an_unusable_temporary_directory_is_a_clear_error_not_a_panic() {
    // Texts beyond --text-memory go to a temporary file; when TMPDIR
    // cannot take it the run stops with what to do.
    // Shingle sets beyond --set-memory likewise.
    let samples = samples();
    for (option, what) in [
        ("--text-memory", "article texts"),
        ("--set-memory", "shingle sets"),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_reprint"))
            .args(["scan", option, "0"])
            .arg(&samples)
            .env("TMPDIR", samples.join("no-such-directory"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains(&format!("cannot keep {what} in a temporary file"))
                && stderr.contains("set TMPDIR")
                && stderr.contains(&format!("raise {option}")),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

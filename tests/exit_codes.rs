//! Exit status as grep: 0 reuse found, 1 none, 2 error. Bad inputs are
//! reported and skipped; the others' results are still printed.

use crate::util::{Corpus, paragraph, reprint, reprint_paths, samples};

#[test]
fn reuse_found_exits_zero() {
    let run = reprint(&["scan", samples().to_str().unwrap()], None);
    assert_eq!(run.code, 0);
}

#[test]
fn no_reuse_exits_one() {
    let s = samples();
    let run = reprint_paths(
        &["scan"],
        &[
            &s.join("000_84689d4fa9f00ea7.txt"),
            &s.join("002_0057cca0d1aa715f.txt"),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("0 reuse pairs"));
}

#[test]
fn a_missing_path_is_reported_and_the_rest_still_scanned() {
    let s = samples();
    let missing = s.join("no-such-file.txt");
    let run = reprint_paths(&["scan", "-f", "json"], &[&missing, &s]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no-such-file.txt"), "{}", run.stderr);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    assert_eq!(run.json()["pairs"].as_array().unwrap().len(), 1);
}

#[test]
fn a_binary_file_is_an_error_naming_it() {
    let c = Corpus::new();
    let bin = c.write("image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let s = samples();
    let run = reprint_paths(&["scan", "-f", "json"], &[&bin, &s]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("image.txt"), "{}", run.stderr);
    assert!(run.stderr.contains("binary"), "{}", run.stderr);
    assert_eq!(run.json()["documents"].as_array().unwrap().len(), 4);
}

#[test]
fn invalid_utf8_is_read_as_windows_1252_with_a_warning() {
    let c = Corpus::new();
    c.write("latin.txt", b"Caf\xe9 society \x93quoted\x94 text here.");
    let run = reprint_paths(&["scan", "-f", "json"], &[c.path()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("latin.txt"), "{}", run.stderr);
    assert!(run.stderr.contains("Windows-1252"), "{}", run.stderr);
}

#[test]
fn duplicate_ids_are_an_error_and_the_first_is_kept() {
    let c = Corpus::new();
    let text = paragraph(1);
    c.write("a/story.txt", &text);
    c.write("b/story.txt", &text);
    let run = reprint_paths(&["scan", "-f", "json"], &[c.path()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("duplicate document id 'story'"),
        "{}",
        run.stderr
    );
    assert_eq!(run.json()["documents"].as_array().unwrap().len(), 1);
}

#[test]
fn bad_arguments_exit_two() {
    let run = reprint(&["scan", "--threshold", "1.5", "samples"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--threshold"), "{}", run.stderr);
    let run = reprint(&["scan", "--bands", "4", "samples"], None);
    assert_eq!(run.code, 2);
    let run = reprint(&["scan"], None);
    assert_eq!(run.code, 2);
}

#[test]
fn stdin_is_a_document() {
    let s = samples();
    let text = std::fs::read_to_string(s.join("003_f7c69d1d9d5011cc.txt")).unwrap();
    let run = reprint(
        &[
            "scan",
            "-f",
            "json",
            "-",
            s.join("001_a2e1f2d9f2070016.txt").to_str().unwrap(),
        ],
        Some(&text),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["documents"][0]["path"], "<stdin>");
    assert_eq!(json["pairs"][0]["copy"], "stdin");
}

#[test]
fn empty_and_whitespace_files_are_documents_without_paragraphs() {
    let c = Corpus::new();
    c.write("empty.txt", "");
    c.write("blank.txt", " \n\n\t\n");
    let run = reprint_paths(&["scan", "-f", "json"], &[c.path()]);
    assert_eq!(run.code, 1);
    let json = run.json();
    assert_eq!(json["documents"][0]["paragraphs"], 0);
    assert_eq!(json["matrix"]["values"][0][1], serde_json::Value::Null);
}

#[test]
fn directories_are_walked_for_the_chosen_extensions() {
    let c = Corpus::new();
    c.write("one.txt", paragraph(1));
    c.write("sub/two.md", paragraph(1));
    c.write("sub/three.html", paragraph(1));
    let run = reprint_paths(&["scan", "-f", "json"], &[c.path()]);
    assert_eq!(run.json()["documents"].as_array().unwrap().len(), 2);
    let run = reprint_paths(&["scan", "-f", "json", "--ext", "html,txt"], &[c.path()]);
    assert_eq!(run.json()["documents"].as_array().unwrap().len(), 2);
    assert_eq!(run.code, 0);
}

#[test]
fn completions_man_page_and_version() {
    for shell in ["bash", "zsh", "fish"] {
        let run = reprint(&["completions", shell], None);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stdout.contains("dedup"), "{shell}");
    }
    let run = reprint(&["man"], None);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains(".TH reprint 1"), "{}", run.stdout);
    let run = reprint(&["--version"], None);
    assert!(
        run.stdout
            .starts_with(&format!("reprint {}", env!("CARGO_PKG_VERSION")))
    );
}

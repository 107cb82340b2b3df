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

#[test]
fn records_of_a_damaged_gzip_member_are_not_used_as_good() {
    use flate2::{Compression, write::GzEncoder};
    let c = Corpus::new();
    let w = wire(1).join("\n\n");
    let body = (0..5)
        .map(|i| record(&format!("r{i}"), None, &format!("Outlet {i} says: {w}")))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    // Stored (uncompressed) blocks: one flipped byte garbles one record
    // without breaking the stream; only the checksum tells.
    let mut gz = GzEncoder::new(Vec::new(), Compression::none());
    gz.write_all(body.as_bytes()).unwrap();
    let mut bytes = gz.finish().unwrap();
    let at = bytes.windows(9).position(|x| x == b"Outlet 2 ").unwrap();
    bytes[at + 7] = b'7';
    let bad = c.write("bad.jsonl.gz", &bytes);
    let good = c.write(
        "good.jsonl",
        format!(
            "{}\n",
            record(
                "g",
                None,
                "An unrelated note about the weather this weekend."
            )
        ),
    );
    let (bad, good) = (bad.to_str().unwrap(), good.to_str().unwrap());

    let run = reprint(&["scan", bad, good, "-f", "json"], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("damaged"), "{}", run.stderr);
    let ids = run.document_ids();
    assert_eq!(ids, ["g"]);

    let out = c.path().join("kept.jsonl");
    let run = reprint(&["dedup", bad, good, "-o", out.to_str().unwrap()], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let kept = std::fs::read_to_string(&out).unwrap();
    assert!(
        !kept.contains("Outlet 7"),
        "a garbled record was kept: {kept}"
    );
    assert_eq!(kept.lines().count(), 1, "{kept}");
}

#[test]
fn a_line_over_the_record_limit_is_skipped_with_an_error_not_held() {
    let c = Corpus::new();
    let w = wire(1).join("\n\n");
    let mut bytes = record("before", None, &w).into_bytes();
    bytes.push(b'\n');
    // 65 MiB without a line break: over the 64 MiB limit of one record.
    bytes.extend(std::iter::repeat_n(b'x', 65 << 20));
    bytes.push(b'\n');
    bytes.extend(record("after", None, &w).into_bytes());
    bytes.push(b'\n');
    let feed = c.write("feed.jsonl", &bytes);
    let run = reprint(&["scan", feed.to_str().unwrap(), "-f", "json"], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("feed.jsonl:2:"), "{}", run.stderr);
    assert!(run.stderr.contains("over the limit"), "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["documents"][0]["id"], "before");
    assert_eq!(json["documents"][1]["id"], "after");
}

#[test]
fn an_endless_input_stops_with_an_error_and_the_others_are_read() {
    let c = Corpus::new();
    let w = wire(1).join("\n\n");
    let feed = c.write("feed.jsonl", format!("{}\n", record("kept", None, &w)));
    let feed = feed.to_str().unwrap();
    for format in ["jsonl", "text"] {
        let run = reprint(
            &[
                "scan",
                "--input-format",
                format,
                "/dev/zero",
                feed,
                "-f",
                "json",
            ],
            None,
        );
        assert_eq!(run.code, 2, "{format}: {}", run.stderr);
        assert!(run.stderr.contains("/dev/zero"), "{}", run.stderr);
        let docs = run.json()["documents"].as_array().unwrap().len();
        assert!(docs >= 1, "{format}: the other input was lost");
    }
}

#[test]
fn since_and_until_keep_the_dated_range_and_dedup_passes_the_rest_through() {
    let c = Corpus::new();
    let w = wire(1).join("\n\n");
    let feed = [
        record("feb", Some("2026-02-28"), &w),
        record("mar1", Some("2026-03-01T10:00:00Z"), &w),
        record("mar31", Some("2026-03-31T23:00:00+00:00"), &w),
        record("apr", Some("2026-04-01"), &w),
        record("undated", None, &w),
    ]
    .join("\n")
        + "\n";
    let path = c.write("feed.jsonl", &feed);
    let path = path.to_str().unwrap();
    let range = ["--since", "2026-03-01", "--until", "2026-03-31"];
    let mut args = vec!["scan", path, "-f", "json"];
    args.extend(range);
    let run = reprint(&args, None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ids = run.document_ids();
    assert_eq!(ids, ["mar1", "mar31"]);
    assert!(run.stderr.contains("3 documents outside"), "{}", run.stderr);

    // dedup drops the later March copy and passes the other three through.
    let out = c.path().join("kept.jsonl");
    let mut args = vec!["dedup", path, "-o", out.to_str().unwrap()];
    args.extend(range);
    let run = reprint(&args, None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let kept = std::fs::read_to_string(&out).unwrap();
    let kept_ids: Vec<&str> = ["feb", "mar1", "mar31", "apr", "undated"]
        .into_iter()
        .filter(|id| {
            kept.contains(&format!("\"id\":\"{id}\""))
                || kept.contains(&format!("\"id\": \"{id}\""))
        })
        .collect();
    assert_eq!(kept_ids, ["feb", "mar1", "apr", "undated"]);

    let run = reprint(&["scan", path, "--since", "next week"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not a date"), "{}", run.stderr);
}

#[test]
fn no_progress_is_drawn_when_stderr_is_not_a_terminal() {
    let c = Corpus::new();
    let w = wire(2).join("\n\n");
    let feed = c.write("feed.jsonl", format!("{}\n", record("a", None, &w)));
    for cmd in ["scan", "audit", "dedup"] {
        let run = reprint(&[cmd, feed.to_str().unwrap()], None);
        assert!(!run.stderr.contains("reading"), "{cmd}: {}", run.stderr);
        assert!(!run.stderr.contains("aligning"), "{cmd}: {}", run.stderr);
    }
}

#[test]
fn html_pages_are_read_as_their_article_text() {
    let c = Corpus::new();
    let w = wire(9);
    let page = |nav: &str, body: &[String]| {
        format!(
            "<!DOCTYPE html><html><head><title>News</title><style>p {{ color: red }}</style>\
             <script>var tracking = \"{nav} {nav} {nav}\";</script></head><body>\
             <nav>{nav}</nav><article>{}</article><footer>© {nav}</footer></body></html>",
            body.iter()
                .map(|p| format!("<p>{p}</p>"))
                .collect::<String>()
        )
    };
    // Two sites run the same story in their own templates; a third page
    // shares only the first site's template.
    c.write(
        "a/story.html",
        page(
            "Home World Sport Business Opinion Culture Travel Weather Podcasts Newsletters",
            &w,
        ),
    );
    c.write(
        "b/copy.html",
        page(
            "Front page Local Politics Crime Schools Obituaries Classifieds",
            &w[1..],
        ),
    );
    c.write(
        "a/other.html",
        page(
            "Home World Sport Business Opinion Culture Travel Weather Podcasts Newsletters",
            &wire(10),
        ),
    );
    let run = reprint(
        &[
            "scan",
            "--ext",
            "html",
            c.path().to_str().unwrap(),
            "-f",
            "json",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    let pairs = json["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 1, "{json:#}");
    assert_eq!(
        (pairs[0]["copy"].as_str(), pairs[0]["source"].as_str()),
        (Some("copy"), Some("story"))
    );
    // The copy's passage covers its whole article (paragraphs 1-3 of the
    // extracted text), not the markup.
    assert_eq!(pairs[0]["passages"][0]["copy"], serde_json::json!([1, 3]));
}

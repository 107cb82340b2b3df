//! The same input gives byte-identical output at any thread count.

use crate::util::{Corpus, paragraph, reprint_paths};

/// Forty articles: ten originals and thirty copies, excerpts and rewrites.
fn corpus() -> Corpus {
    let c = Corpus::new();
    for doc in 0..10 {
        let paras: Vec<String> = (0..6).map(|p| paragraph(doc * 100 + p)).collect();
        c.write(&format!("orig{doc:02}.txt"), paras.join("\n\n"));
        // An excerpt with a local lede.
        let excerpt = format!("{}\n\n{}", paragraph(9000 + doc), paras[1..4].join("\n\n"));
        c.write(&format!("excerpt{doc:02}.txt"), excerpt);
        // A copy with every paragraph slightly edited.
        let edited: Vec<String> = paras.iter().map(|p| p.replacen("and", "but", 1)).collect();
        c.write(&format!("edited{doc:02}.txt"), edited.join("\n\n"));
        // Unrelated.
        c.write(&format!("other{doc:02}.txt"), paragraph(5000 + doc));
    }
    c
}

#[test]
fn one_and_two_threads_give_identical_output_in_every_format() {
    let c = corpus();
    for format in ["json", "table", "csv"] {
        let one = reprint_paths(&["scan", "-f", format, "-j", "1"], &[c.path()]);
        let two = reprint_paths(&["scan", "-f", format, "-j", "2"], &[c.path()]);
        let four = reprint_paths(&["scan", "-f", format, "-j", "4"], &[c.path()]);
        assert_eq!(one.code, 0, "{}", one.stderr);
        assert_eq!(
            one.stdout, two.stdout,
            "{format} differs between 1 and 2 threads"
        );
        assert_eq!(
            one.stdout, four.stdout,
            "{format} differs between 1 and 4 threads"
        );
    }
}

#[test]
fn the_synthetic_corpus_finds_its_copies() {
    let c = corpus();
    let json = reprint_paths(&["scan", "-f", "json"], &[c.path()]).json();
    let pairs = json["pairs"].as_array().unwrap();
    for doc in 0..10 {
        let orig = format!("orig{doc:02}");
        for copy in [format!("excerpt{doc:02}"), format!("edited{doc:02}")] {
            assert!(
                pairs.iter().any(
                    |p| (p["source"] == orig.as_str() && p["copy"] == copy.as_str())
                        || (p["copy"] == orig.as_str() && p["source"] == copy.as_str())
                ),
                "{orig} ~ {copy} not found"
            );
        }
        let other = format!("other{doc:02}");
        assert!(
            !pairs
                .iter()
                .any(|p| p["source"] == other.as_str() || p["copy"] == other.as_str()),
            "{other} paired"
        );
    }
}

#[test]
fn audit_output_is_identical_from_run_to_run() {
    // Outlet shares are sums over many copies: summed in a hash map's
    // order they differed in the last digits from one run to the next.
    let c = Corpus::new();
    let feed = synth_feed(&c, "1500");
    let first = reprint_paths(&["audit", "-f", "json", "-j", "2"], &[&feed]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    for threads in ["1", "2", "2"] {
        let again = reprint_paths(&["audit", "-f", "json", "-j", threads], &[&feed]);
        assert!(
            first.stdout == again.stdout,
            "audit JSON differs between two runs ({threads} threads)"
        );
    }
}

#[test]
fn texts_read_back_from_the_temporary_file_give_the_same_reports() {
    // `--text-memory 0` writes every text to the temporary file and reads
    // each back when the aligner, the boilerplate excerpts, the credit
    // check and the HTML report need it: every output must be the one of
    // texts held in memory.
    let c = Corpus::new();
    let feed = synth_feed(&c, "400");
    for args in [
        &["scan", "-f", "json"][..],
        &["scan", "-f", "html"],
        &["audit", "-f", "json"],
        &["audit", "-f", "html"],
        &["dedup"],
    ] {
        same_output_with(args, &feed, &["--text-memory", "0"], "texts read back");
    }
}

#[test]
fn shingle_sets_read_from_the_temporary_file_give_the_same_reports() {
    // `--set-memory 0` writes every shingle set to the temporary file,
    // read through a memory map whose pages grouping, signatures and
    // verification hand back as they go. Every report must be the one of
    // sets held in memory.
    let c = Corpus::new();
    let feed = synth_feed(&c, "3000");
    for args in [&["scan", "-f", "json"][..], &["dedup"]] {
        same_output_with(args, &feed, &["--set-memory", "0"], "sets mapped");
    }
}

/// Runs `args` on `feed` with and without the `extra` options, which must
/// change nothing of the output (`what`: what they change, for messages).
fn same_output_with(args: &[&str], feed: &std::path::Path, extra: &[&str], what: &str) {
    let held = reprint_paths(args, &[feed]);
    assert!(held.code <= 1, "{args:?}: {}", held.stderr);
    assert!(held.stdout.len() > 1000, "{args:?}: {}", held.stdout);
    let other = reprint_paths(&[args, extra].concat(), &[feed]);
    assert_eq!(other.code, held.code, "{args:?}: {}", other.stderr);
    assert!(
        other.stdout == held.stdout,
        "{args:?}: output differs with {what}"
    );
}

/// A feed of `n` generated articles in `c`.
fn synth_feed(c: &Corpus, n: &str) -> std::path::PathBuf {
    let feed = c.path().join("feed.jsonl");
    let run = crate::util::reprint(&["synth", "-n", n, "-o", feed.to_str().unwrap()], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    feed
}

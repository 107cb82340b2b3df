//! `reprint compare`: one pair in detail.

use crate::feeds::{record, wire};
use crate::util::{Corpus, paragraph, reprint, samples};

#[test]
fn compare_reports_the_samples_pair_in_detail() {
    let s = samples();
    let run = reprint(
        &[
            "compare",
            s.join("001_a2e1f2d9f2070016.txt").to_str().unwrap(),
            s.join("003_f7c69d1d9d5011cc.txt").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("copy:   003_f7c69d1d9d5011cc"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("copy ¶1–11 ← source ¶12–22"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("copy   ¶1    Iraqi Kurds hesitant to join the fray")
    );
    assert!(
        run.stdout
            .contains("source ¶12   Iraqi Kurds hesitant to join the fray")
    );
    assert!(run.stdout.contains("direction        containment"));
}

#[test]
fn compare_of_independent_reports_has_no_passage_but_a_score() {
    let s = samples();
    let run = reprint(
        &[
            "compare",
            "-f",
            "json",
            s.join("000_84689d4fa9f00ea7.txt").to_str().unwrap(),
            s.join("002_0057cca0d1aa715f.txt").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.code, 1);
    let json = run.json();
    let pair = &json["pair"];
    assert!(pair["passages"].as_array().unwrap().is_empty());
    assert_eq!(pair["copy_in_source"].as_f64(), Some(0.0));
    assert_eq!(pair["jaccard"].as_f64(), Some(0.0));
    // Same events, other words: some sentence similarity, below any pair
    // with a passage.
    let score = pair["score"].as_f64().unwrap();
    assert!(score > 0.0 && score < 0.5, "{score}");
    assert_eq!(json["documents"][0]["id"], "000_84689d4fa9f00ea7");
}

#[test]
fn compare_picks_documents_from_a_feed_by_id() {
    let c = Corpus::new();
    let w = wire(1).join("\n\n");
    let text = [
        record("a", Some("2026-01-01"), &w),
        record("x", None, &paragraph(3)),
        record("b", Some("2026-01-02"), &w),
    ]
    .join("\n");
    let path = c.write("feed.jsonl", text);
    let p = path.to_str().unwrap();
    let run = reprint(
        &["compare", p, "--id", "b", "--id", "a", "-f", "json"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pair = &run.json()["pair"];
    assert_eq!(pair["source"], "a");
    assert_eq!(pair["direction"], "date");
    let run = reprint(&["compare", p], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--id"), "{}", run.stderr);
    let run = reprint(&["compare", p, "--id", "a", "--id", "zzz"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("'zzz'"), "{}", run.stderr);
}

#[test]
fn a_mutual_pair_is_listed_in_input_order_the_first_article_as_the_copy() {
    // Two undated articles that share most of their text and each add a
    // paragraph of their own: neither dates nor coverage tell who copied.
    let c = Corpus::new();
    let shared = wire(2).join("\n\n");
    let a = c.write("a.txt", format!("{}\n\n{shared}", paragraph(11)));
    let b = c.write("b.txt", format!("{shared}\n\n{}", paragraph(12)));
    for (first, second) in [(&a, &b), (&b, &a)] {
        let run = reprint(
            &[
                "compare",
                "-f",
                "json",
                first.to_str().unwrap(),
                second.to_str().unwrap(),
            ],
            None,
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let json = run.json();
        let pair = &json["pair"];
        assert_eq!(pair["direction"], "mutual", "{pair}");
        let name = |p: &std::path::Path| p.file_stem().unwrap().to_str().unwrap().to_string();
        assert_eq!(pair["copy"], name(first), "{pair}");
        assert_eq!(pair["source"], name(second), "{pair}");
    }
}

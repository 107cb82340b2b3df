//! `reprint audit` on a hand-made feed of three outlets where every figure
//! is known: a wire service with two stories, a daily that runs both whole
//! and credits them, a gazette that excerpts one without credit and reruns
//! the daily's copy of the other (a copy of a copy) without a date.

use crate::feeds::wire;
use crate::util::{Corpus, reprint};

fn article(id: &str, outlet: &str, date: Option<&str>, text: &str) -> String {
    let mut v = serde_json::json!({"id": id, "source": outlet, "text": text});
    if let Some(d) = date {
        v["date"] = d.into();
    }
    v.to_string()
}

fn feed(c: &Corpus) -> std::path::PathBuf {
    let (w1, w2, local) = (wire(1), wire(2), wire(3));
    let lines = [
        article(
            "ap-1",
            "Associated Press",
            Some("2026-03-04T09:00:00Z"),
            &w1.join("\n\n"),
        ),
        article(
            "ap-2",
            "Associated Press",
            Some("2026-03-04T10:00:00Z"),
            &w2.join("\n\n"),
        ),
        article(
            "daily-1",
            "Daily",
            Some("2026-03-04T11:00:00Z"),
            &format!("WASHINGTON (AP) — {}", w1.join("\n\n")),
        ),
        article(
            "daily-2",
            "Daily",
            Some("2026-03-04T14:00:00+01:00"),
            &format!("{}\n\n— The Associated Press", w2.join("\n\n")),
        ),
        article(
            "gazette-1",
            "Gazette",
            Some("2026-03-04T15:00:00Z"),
            &w1[..2].join("\n\n"),
        ),
        article("gazette-2", "Gazette", None, &w2.join("\n\n")),
        article(
            "gazette-local",
            "Gazette",
            Some("2026-03-04T08:00:00Z"),
            &local.join("\n\n"),
        ),
    ];
    c.write("feed.jsonl", lines.join("\n") + "\n")
}

#[test]
fn every_figure_of_a_small_feed() {
    let c = Corpus::new();
    let path = feed(&c);
    let run = reprint(
        &[
            "audit",
            path.to_str().unwrap(),
            "-f",
            "json",
            "--alias",
            "Associated Press=AP,The Associated Press",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();

    // Two stories, both the wire's; the copy of a copy is attributed to
    // the original with the daily's copy noted.
    let stories = json["stories"].as_array().unwrap();
    assert_eq!(stories.len(), 2, "{json:#}");
    let story = |id: &str| stories.iter().find(|s| s["original"] == id).unwrap();
    let s1 = story("ap-1");
    let s2 = story("ap-2");
    assert_eq!(s1["outlet"], "Associated Press");
    let ids = |s: &serde_json::Value| -> Vec<String> {
        s["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(s1), ["daily-1", "gazette-1"]);
    assert_eq!(ids(s2), ["daily-2", "gazette-2"]);
    assert_eq!(
        (s1["whole"].as_u64(), s1["excerpted"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        (s2["whole"].as_u64(), s2["excerpted"].as_u64()),
        (Some(2), Some(0))
    );
    assert_eq!(s1["outlets"], 2);
    assert_eq!(s1["span_hours"].as_f64(), Some(6.0));

    let m = &s1["members"][0];
    assert_eq!(m["lag_hours"].as_f64(), Some(2.0));
    assert_eq!(m["lag_precision"], "time");
    assert_eq!(m["credit"], "AP");
    assert!(m["coverage_of_original"].as_f64().unwrap() > 0.99);
    assert_eq!(m["pair"]["copy"], "daily-1");
    assert_eq!(m["pair"]["source"], "ap-1");
    let m = &s1["members"][1];
    assert_eq!(m["lag_hours"].as_f64(), Some(6.0));
    assert_eq!(m["credited"], false);
    let cov = m["coverage_of_original"].as_f64().unwrap();
    assert!(
        (0.4..0.6).contains(&cov),
        "the gazette ran half of it: {cov}"
    );

    // 14:00+01:00 is 13:00Z: three hours after the wire; credited under
    // an alias at the end.
    let m = &s2["members"][0];
    assert_eq!(m["lag_hours"].as_f64(), Some(3.0));
    assert_eq!(m["credit"], "Associated Press");
    let m = &s2["members"][1];
    assert_eq!(m["id"], "gazette-2");
    assert!(m["lag_hours"].is_null());
    assert_eq!(m["credited"], false);
    assert_eq!(m["intermediates"], serde_json::json!(["daily-2"]));

    // Flows: to the wire only; none from the gazette to the daily.
    let flows = json["flows"].as_array().unwrap();
    assert_eq!(flows.len(), 2, "{flows:#?}");
    let flow = |copier: &str| flows.iter().find(|f| f["copier"] == copier).unwrap();
    let daily = flow("Daily");
    assert_eq!(daily["source"], "Associated Press");
    assert_eq!(
        (daily["copies"].as_u64(), daily["stories"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(
        (daily["credited"].as_u64(), daily["uncredited"].as_u64()),
        (Some(2), Some(0))
    );
    assert_eq!(daily["lag"]["median_hours"].as_f64(), Some(2.5));
    assert_eq!(daily["lag"]["p90_hours"].as_f64(), Some(3.0));
    assert!(daily["share_of_output"].as_f64().unwrap() > 0.95);
    let gazette = flow("Gazette");
    assert_eq!(gazette["copies"], 2);
    assert_eq!(gazette["credited"], 0);
    assert_eq!(
        (
            gazette["lag"]["known"].as_u64(),
            gazette["lag"]["unknown"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(gazette["lag"]["median_hours"].as_f64(), Some(6.0));
    // The gazette's output: half of one story, one whole, one local story
    // of the same length: about (0.5 + 1) / 2.5 of its words.
    let share = gazette["share_of_output"].as_f64().unwrap();
    assert!((0.5..0.7).contains(&share), "{share}");

    let outlets = json["outlets"].as_array().unwrap();
    let outlet = |name: &str| outlets.iter().find(|o| o["name"] == name).unwrap();
    assert_eq!(
        outlet("Associated Press")["originality"].as_f64(),
        Some(1.0)
    );
    assert_eq!(outlet("Associated Press")["stories_reused"], 2);
    assert_eq!(
        outlet("Associated Press")["top_reusers"],
        serde_json::json!([["Daily", 2], ["Gazette", 2]])
    );
    assert_eq!(outlet("Gazette")["articles"], 3);
    assert_eq!(
        outlet("Gazette")["top_sources"],
        serde_json::json!([["Associated Press", 2]])
    );
    assert!(outlet("Daily")["originality"].as_f64().unwrap() < 0.05);
    let g = outlet("Gazette")["originality"].as_f64().unwrap();
    assert!((g - (1.0 - share)).abs() < 1e-9);
}

#[test]
fn the_table_names_uncredited_copies_and_the_csv_has_a_row_per_flow() {
    let c = Corpus::new();
    let path = feed(&c);
    let p = path.to_str().unwrap();
    let run = reprint(&["audit", p, "--alias", "Associated Press=AP"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("7 articles from 3 outlets: 4 copies of 2 stories (2 uncredited)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("UNCREDITED"), "{}", run.stdout);
    assert!(run.stdout.contains("also reuses daily-2"), "{}", run.stdout);
    // The outlet matrix: copier rows, source columns, copies and share.
    let matrix: Vec<&str> = run
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("Outlet matrix"))
        .take(5)
        .collect();
    assert_eq!(matrix.len(), 5, "{}", run.stdout);
    assert!(matrix[1].trim_start().starts_with("[1]"), "{matrix:#?}");
    let row = |name: &str| -> Vec<String> {
        let line = matrix.iter().find(|l| l.contains(name)).unwrap();
        line.split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect()
    };
    // The wire copies no one; the daily copies two of its stories; the
    // gazette copies two (one through the daily's copy).
    let wire = row("] Associated Press");
    assert_eq!(&wire[1..], ["-", ".", "."], "{matrix:#?}");
    let daily = row("] Daily");
    assert!(daily[1].starts_with("2 "), "{matrix:#?}");

    let csv = c.path().join("flows.csv");
    let stories = c.path().join("stories.csv");
    let run = reprint(
        &[
            "audit",
            p,
            "-o",
            csv.to_str().unwrap(),
            "--stories-csv",
            stories.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let flows = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(flows.lines().count(), 3, "{flows}");
    assert!(flows.starts_with("copier,source,copies,"));
    let members = std::fs::read_to_string(&stories).unwrap();
    assert_eq!(members.lines().count(), 5, "{members}");
}

#[test]
fn outlets_from_directories_for_text_files() {
    let c = Corpus::new();
    let w = wire(4).join("\n\n");
    c.write("wire/story.txt", format!("date 2026-03-04\n{w}"));
    c.write(
        "paper/copy.txt",
        format!("date 2026-03-05\nFrom the wire.\n\n{w}"),
    );
    let run = reprint(
        &[
            "audit",
            c.path().to_str().unwrap(),
            "--source-from",
            "dir",
            "-f",
            "json",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["flows"][0]["copier"], "paper");
    assert_eq!(json["flows"][0]["source"], "wire");
    assert_eq!(json["flows"][0]["lag"]["median_hours"].as_f64(), Some(24.0));
    assert_eq!(json["flows"][0]["lag"]["precision"], "day");
}

#[test]
fn scan_and_compare_show_outlet_title_and_url() {
    let c = Corpus::new();
    let w = wire(5).join("\n\n");
    let a = serde_json::json!({"id": "a", "source": "Wire", "title": "Ferry approved", "url": "https://wire.example/1", "date": "2026-03-04", "text": w});
    let b = serde_json::json!({"id": "b", "source": "Daily", "date": "2026-03-05", "text": w});
    let path = c.write("feed.jsonl", format!("{a}\n{b}\n"));
    let p = path.to_str().unwrap();
    let run = reprint(&["scan", p, "-f", "json"], None);
    let doc = &run.json()["documents"][0];
    assert_eq!(doc["source"], "Wire");
    assert_eq!(doc["title"], "Ferry approved");
    assert_eq!(doc["url"], "https://wire.example/1");
    // Absent fields are left out, not null.
    assert!(run.json()["documents"][1].get("title").is_none());
    let run = reprint(&["compare", p, "--id", "a", "--id", "b"], None);
    assert!(run.stdout.contains("(Daily, "), "{}", run.stdout);
    assert!(run.stdout.contains("\"Ferry approved\""), "{}", run.stdout);
    assert!(
        run.stdout.contains("https://wire.example/1"),
        "{}",
        run.stdout
    );
    let run = reprint(
        &["compare", p, "--id", "a", "--id", "b", "-f", "json"],
        None,
    );
    assert_eq!(run.json()["documents"][0]["source"], "Wire");
}

#[test]
fn the_html_audit_is_escaped_bounded_and_renders_in_a_browser() {
    let c = Corpus::new();
    let w = wire(6).join("\n\n");
    let lines = [
        article(
            "w",
            "<script>alert(1)</script>",
            Some("2026-03-04T09:00:00Z"),
            &w,
        ),
        article("d", "Daily", Some("2026-03-04T10:00:00Z"), &w),
    ];
    let feed = c.write("feed.jsonl", lines.join("\n") + "\n");
    let out = c.path().join("audit.html");
    let run = reprint(
        &["audit", feed.to_str().unwrap(), "-o", out.to_str().unwrap()],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script>"), "an outlet name ran as a script");
    assert!(html.contains("&lt;script&gt;"));
    assert!(html.contains("<table class=\"heat\">"));
    assert!(html.contains("Daily runs &lt;script&gt;alert(1)&lt;/script&gt;: 1 copy"));

    let Some(browser) = crate::html::chromium() else {
        assert!(std::env::var("CI").is_err(), "CI must run the browser test");
        return;
    };
    let dom = crate::html::headless(&browser, &c.path().join("profile"))
        .arg("--dump-dom")
        .arg(format!("file://{}", out.display()))
        .output()
        .expect("run chromium");
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let rendered = String::from_utf8_lossy(&dom.stdout);
    assert!(rendered.contains("Who runs whose copy"));
    assert!(
        rendered.contains("2 articles from 2 outlets: 1 copy of 1 story"),
        "{rendered}"
    );
}

#[test]
fn an_alias_credit_orients_an_undated_copy_that_coverage_reads_backwards() {
    // The outlet runs the whole wire story under an "(AP)" dateline and
    // adds a paragraph of its own: coverage reads the wire story as the
    // copy, and scoring knows no alias for "AP".
    let c = Corpus::new();
    let (w, local) = (wire(7), wire(8));
    let lines = [
        article(
            "daily-9",
            "Daily",
            None,
            &format!("ROME (AP) — {}\n\n{}", w.join("\n\n"), local[0]),
        ),
        article("ap-9", "Associated Press", None, &w.join("\n\n")),
    ];
    let path = c.write("alias.jsonl", lines.join("\n") + "\n");
    let p = path.to_str().unwrap();
    let scan = reprint(&["scan", p, "-f", "json"], None);
    assert_eq!(scan.json()["pairs"][0]["copy"], "ap-9");
    let story_of = |args: &[&str]| {
        let run = reprint(&[&["audit", p, "-f", "json"], args].concat(), None);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.json()["stories"][0].clone()
    };
    assert_eq!(story_of(&[])["original"], "daily-9");
    let story = story_of(&["--alias", "Associated Press=AP"]);
    assert_eq!(story["original"], "ap-9", "{story}");
    assert_eq!(story["members"][0]["id"], "daily-9");
    assert_eq!(story["members"][0]["credit"], "AP");
}

//! The HTML report: self-contained, escaped, and checked in a real browser.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{Corpus, reprint, samples};

fn samples_report(dir: &Path) -> PathBuf {
    let out = dir.join("report.html");
    let run = reprint(
        &[
            "scan",
            samples().to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    out
}

/// `(row, col, value)` of every heat-map cell with a value.
fn cells(html: &str) -> Vec<(String, String, f64)> {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let key = format!("{name}=\"");
        let start = tag.find(&key)? + key.len();
        let end = tag[start..].find('"')? + start;
        Some(tag[start..end].to_string())
    };
    html.split("<td ")
        .skip(1)
        .filter_map(|t| {
            let tag = &t[..t.find('>')?];
            Some((
                attr(tag, "data-row")?,
                attr(tag, "data-col")?,
                attr(tag, "data-value")?.parse().ok()?,
            ))
        })
        .collect()
}

fn hottest(html: &str) -> (String, String) {
    let c = cells(html);
    let best = c
        .iter()
        .max_by(|a, b| a.2.total_cmp(&b.2))
        .expect("heat-map cells");
    (best.0.clone(), best.1.clone())
}

fn assert_report(html: &str) {
    assert_eq!(
        hottest(html),
        (
            "003_f7c69d1d9d5011cc".to_string(),
            "001_a2e1f2d9f2070016".to_string()
        )
    );
    let copy = html.find("class=\"side copy\"").expect("copy column");
    let source = html.find("class=\"side source\"").expect("source column");
    assert!(copy < source);
    let copy_part = &html[copy..source];
    let source_part = &html[source..];
    assert_eq!(copy_part.matches("<mark data-passage=\"0\"").count(), 11);
    assert_eq!(
        source_part[..source_part.find("</details>").unwrap()]
            .matches("<mark data-passage=\"0\"")
            .count(),
        11
    );
    assert!(html.contains("003_f7c69d1d9d5011cc reproduces 11 paragraphs (100%) of 001_a2e1f2d9f2070016; same date; 003_f7c69d1d9d5011cc is contained in 001_a2e1f2d9f2070016."));
}

#[test]
fn the_report_is_self_contained() {
    let tmp = Corpus::new();
    let html = std::fs::read_to_string(samples_report(tmp.path())).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    for external in ["<script", "<link", "src=", "http://", "https://", "@import"] {
        assert!(!html.contains(external), "report refers to {external}");
    }
    assert!(html.contains("name=\"viewport\""));
    assert_report(&html);
}

#[test]
fn format_html_goes_to_stdout_too() {
    let run = reprint(&["scan", "-f", "html", samples().to_str().unwrap()], None);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("id=\"heatmap\""));
}

#[test]
fn an_article_with_a_script_tag_renders_as_text() {
    let c = Corpus::new();
    let text = "<script>alert(1)</script> The regional parliament passed the budget on Tuesday after a night of debate about schools, hospitals and roads.";
    c.write("a.txt", text);
    c.write("b.txt", format!("Local introduction paragraph.\n\n{text}"));
    let run = reprint(&["scan", "-f", "html", c.path().to_str().unwrap()], None);
    assert_eq!(run.code, 0);
    assert!(!run.stdout.contains("<script>"));
    assert!(run.stdout.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

pub fn chromium() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("REPRINT_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

pub fn headless(browser: &Path, profile: &Path) -> Command {
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    cmd
}

/// Renders the samples' report in headless Chromium and checks the
/// rendered DOM; also takes a screenshot (kept in the repository's
/// `docs/` when REPRINT_SCREENSHOT is set). Skipped without a browser on
/// a developer machine; CI (CI=true) installs one and must run it.
#[test]
fn a_browser_renders_the_samples_report() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var("CI").is_err(),
            "CI must run the browser test: install Debian's chromium (see .ci/run)"
        );
        eprintln!(
            "skipping the browser test: no Chromium found (install Debian's chromium, or set REPRINT_CHROMIUM)"
        );
        return;
    };
    let tmp = Corpus::new();
    let report = samples_report(tmp.path());
    let url = format!("file://{}", report.display());
    let dom = headless(&browser, &tmp.path().join("profile"))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("run chromium");
    assert!(
        dom.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let rendered = String::from_utf8_lossy(&dom.stdout);
    assert_report(&rendered);

    let shot = match std::env::var("REPRINT_SCREENSHOT") {
        Ok(_) => Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/samples-report.png"),
        Err(_) => tmp.path().join("report.png"),
    };
    let status = headless(&browser, &tmp.path().join("profile2"))
        .arg("--window-size=1280,1700")
        .arg(format!("--screenshot={}", shot.display()))
        .arg(&url)
        .output()
        .expect("run chromium");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    assert!(png.len() > 10_000, "screenshot suspiciously small");
}

//! One detection path: what `scan`, `compare`, `dedup` and `eval` decide
//! about edited copies, re-wrapped duplicates, identical articles and
//! shared footers, and that `compare` on a feed is `scan`'s pair.

use crate::feeds::record;
use crate::util::{Corpus, paragraph, reprint, reprint_paths};

/// A wire story in agency style: abbreviations in every sentence.
const WIRE: [&str; 5] = [
    "LONDON, March 4 (Wire) - Northfield Energy said on Tues qtr profit rose 12 pct to 845 mln dlrs from 754 mln dlrs, as qtr output rose 2 pct and gas prices rose 9 pct.",
    "Qtr revenue climbed 8 pct to 5.2 bln dlrs, net debt fell 310 mln dlrs to 4.1 bln dlrs, and qtr costs fell 3 pct to 1.9 bln dlrs, the group said.",
    "Chief exec Anna Lindqvist said the group would raise its dividend 5 pct to 1.2 dlrs and buy back up to 500 mln dlrs of shares over the next 12 mths.",
    "Northfield shares rose 3 pct in early trade, against a 0.4 pct gain in the wider mkt, after qtr profit beat mkt forecasts of 790 mln dlrs by 55 mln dlrs.",
    "The group expects output to grow 2 pct over the next 12 mths, but said qtr maintenance could cut output by 4 pct, or about 20 mln dlrs in qtr revenue.",
];

/// The same story in an outlet's house style: every abbreviation spelled
/// out (about one word in five), nothing else changed.
fn house_style(p: &str) -> String {
    [
        (" pct", " percent"),
        (" mln", " million"),
        (" bln", " billion"),
        (" dlrs", " dollars"),
        (" qtr", " quarter"),
        (" mths", " months"),
        (" mkt", " market"),
        (" exec", " executive"),
        (" Tues", " Tuesday"),
        ("(Wire) - ", ""),
    ]
    .iter()
    .fold(p.to_string(), |text, (from, to)| text.replace(from, to))
}

fn feed(c: &Corpus, lines: &[String]) -> std::path::PathBuf {
    c.write("feed.jsonl", lines.join("\n") + "\n")
}

/// `compare FEED --id a --id b -f json`'s pair, the run asserted clean.
fn compare_pair(feed: &str, a: &str, b: &str) -> serde_json::Value {
    let run = reprint(&["compare", feed, "--id", a, "--id", b, "-f", "json"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()["pair"].clone()
}

/// Unrelated articles so the feed is not only the pair under test.
fn others() -> Vec<String> {
    [
        "The city council voted on Monday to extend the tram line to the northern suburbs by the end of the decade, after years of debate about its cost.",
        "Heavy rain flooded several streets in the old town overnight, and firefighters pumped water from dozens of cellars until the early morning.",
        "The local football club announced the signing of a young striker from a second-division team on a three-year deal worth an undisclosed sum.",
    ]
    .iter()
    .enumerate()
    .map(|(i, t)| record(&format!("other{i}"), Some("2026-03-04"), t))
    .collect()
}

/// Scans a feed of `source`, `copy` (id, date, text) and unrelated
/// stories, asserts that it reports exactly the pair `copy` ← `source`,
/// and returns the feed's path and that pair.
fn the_one_pair(
    c: &Corpus,
    source: (&str, &str, &str),
    copy: (&str, &str, &str),
) -> (std::path::PathBuf, serde_json::Value) {
    let mut lines = vec![
        record(source.0, Some(source.1), source.2),
        record(copy.0, Some(copy.1), copy.2),
    ];
    lines.extend(others());
    let path = feed(c, &lines);
    let (_, pair) = scan_one_pair(&path, copy.0, source.0);
    (path, pair)
}

/// `scan -f json` of `path`, which must report exactly one pair, `copy`
/// copying `source`: the whole report and that pair.
fn scan_one_pair(
    path: &std::path::Path,
    copy: &str,
    source: &str,
) -> (serde_json::Value, serde_json::Value) {
    let run = reprint_paths(&["scan", "-f", "json"], &[path]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    let pairs = json["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    assert_eq!(pairs[0]["copy"], copy);
    assert_eq!(pairs[0]["source"], source);
    let pair = pairs[0].clone();
    (json, pair)
}

#[test]
fn a_house_style_copy_is_found_by_scan_and_dropped_by_dedup() {
    let c = Corpus::new();
    let styled: Vec<String> = WIRE.iter().map(|p| house_style(p)).collect();
    let (path, pair) = the_one_pair(
        &c,
        ("wire", "2026-03-04T08:00:00Z", &WIRE.join("\n\n")),
        ("outlet", "2026-03-04T09:30:00Z", &styled.join("\n\n")),
    );
    assert!(pair["copy_in_source"].as_f64().unwrap() > 0.95);
    assert_eq!(pair["passages"][0]["copy"], serde_json::json!([1, 5]));

    let run = reprint_paths(&["dedup"], &[&path]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("\"outlet\""), "{}", run.stdout);
    assert_eq!(run.stdout.lines().count(), 4);
}

#[test]
fn a_re_wrapped_duplicate_is_one_dedup_cluster() {
    let c = Corpus::new();
    // The same words: one with blank lines between paragraphs, one
    // hard-wrapped at 60 columns with a single blank line before the end.
    let flat = WIRE.join("\n\n");
    let mut wrapped = String::new();
    for (i, p) in WIRE.iter().enumerate() {
        let mut line = 0;
        for w in p.split(' ') {
            if line > 0 && line + w.len() > 60 {
                wrapped.push('\n');
                line = 0;
            } else if line > 0 {
                wrapped.push(' ');
            }
            wrapped.push_str(w);
            line += w.len() + 1;
        }
        wrapped.push_str(if i == WIRE.len() - 2 { "\n\n" } else { "\n" });
    }
    let mut lines = vec![
        record("a", Some("2026-03-04"), &flat),
        record("b", Some("2026-03-04"), &wrapped),
    ];
    lines.extend(others());
    let path = feed(&c, &lines);
    let clusters = c.path().join("clusters.jsonl");
    let run = reprint_paths(
        &["dedup", "--clusters", clusters.to_str().unwrap()],
        &[&path],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(&clusters).unwrap();
    let cl: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert_eq!(cl["kept"], "a");
    assert_eq!(cl["dropped"][0]["id"], "b");
    assert_eq!(cl["dropped"][0]["score"], 1.0);
}

#[test]
fn three_identical_articles_give_one_passage_per_pair() {
    let c = Corpus::new();
    let body = WIRE.join("\n\n");
    let mut lines: Vec<String> = ["x", "y", "z"]
        .iter()
        .map(|id| record(id, None, &body))
        .collect();
    lines.extend(others());
    let path = feed(&c, &lines);
    let run = reprint_paths(&["scan", "-f", "json"], &[&path]);
    let json = run.json();
    let pairs = json["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 3, "{pairs:?}");
    for p in pairs {
        let passages = p["passages"].as_array().unwrap();
        assert_eq!(passages.len(), 1, "{p}");
        assert_eq!(passages[0]["copy"], serde_json::json!([1, 5]));
        assert_eq!(passages[0]["source"], serde_json::json!([1, 5]));
        assert_eq!(p["copy_in_source"], 1.0);
    }
}

#[test]
fn an_outlet_footer_shared_by_unrelated_stories_is_no_pair() {
    let c = Corpus::new();
    let footer = "Copyright 2026 The Example Gazette. All rights reserved. This material may not be published, broadcast, rewritten or redistributed without permission. Subscribe to our newsletter for the day's top stories.";
    let stories = [
        "The city council voted on Monday to extend the tram line to the northern suburbs by the end of the decade. The project will cost about 400 million euros, most of it paid by the regional government.",
        "Heavy rain flooded several streets in the old town overnight. Firefighters pumped water from dozens of cellars, and the river rose to its highest level in twenty years before falling again at dawn.",
        "The local football club announced the signing of a young striker from a second-division team. The player, who scored 19 goals last season, agreed a three-year deal and will wear the number nine shirt.",
        "A new bakery opened on the market square, drawing a queue of customers before dawn on its first morning. The owners trained in Lyon and bake their bread in a wood-fired oven built by hand.",
    ];
    let lines: Vec<String> = stories
        .iter()
        .enumerate()
        .map(|(i, s)| {
            record(
                &format!("s{i}"),
                Some("2026-03-04"),
                &format!("{s}\n\n{footer}"),
            )
        })
        .collect();
    let path = feed(&c, &lines);
    let run = reprint_paths(&["scan", "-f", "json"], &[&path]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let json = run.json();
    assert!(json["pairs"].as_array().unwrap().is_empty());
    assert_eq!(json["boilerplate"][0]["documents"], 4);
    // compare on the feed sets the footer aside as scan does.
    let p = path.to_str().unwrap();
    let run = reprint(&["compare", p, "--id", "s0", "--id", "s1"], None);
    assert_eq!(run.code, 1, "{}", run.stdout);
}

/// `text` wrapped at `width` characters, lines separated by single line
/// breaks.
fn hard_wrap(text: &str, width: usize) -> String {
    let mut lines: Vec<String> = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().unwrap();
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines.join("\n")
}

/// `n` unrelated short articles, each of words drawn from a small
/// vocabulary by a fixed generator.
fn unrelated_articles(n: usize) -> Vec<String> {
    const WORDS: [&str; 40] = [
        "council", "river", "market", "school", "train", "harbour", "museum", "garden", "bridge",
        "festival", "hospital", "library", "stadium", "airport", "factory", "forest", "village",
        "station", "theatre", "bakery", "mayor", "teacher", "farmer", "driver", "doctor", "artist",
        "builder", "student", "nurse", "pilot", "opened", "closed", "visited", "repaired",
        "painted", "funded", "moved", "praised", "planned", "sold",
    ];
    let mut state = 0x2545_f491_4f6c_dd1du64;
    (0..n)
        .map(|_| {
            let words: Vec<&str> = (0..40)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    WORDS[(state % WORDS.len() as u64) as usize]
                })
                .collect();
            format!("{}.", words.join(" "))
        })
        .collect()
}

#[test]
fn a_copy_with_the_outlet_footer_run_into_its_only_paragraph_is_found() {
    // The outlet's footer ends its 150 other articles. Its copy of the
    // wire story is hard-wrapped with no blank line before the footer,
    // whose line is far wider than the wrapped ones: a paragraph of its
    // own, boilerplate, and the wire copy's paragraph is not.
    let c = Corpus::new();
    let footer = "Copyright 2026 The Example Gazette. All rights reserved. Subscribe to our newsletter for the day's top stories.";
    let mut lines: Vec<String> = unrelated_articles(150)
        .iter()
        .enumerate()
        .map(|(i, s)| {
            record(
                &format!("gazette{i}"),
                Some("2026-03-03"),
                &format!("{s}\n\n{footer}"),
            )
        })
        .collect();
    lines.push(record(
        "wire",
        Some("2026-03-04T08:00:00Z"),
        &WIRE.join("\n\n"),
    ));
    // The first paragraph, short beside the footer.
    let copy = format!("{}\n{footer}", hard_wrap(WIRE[0], 70));
    lines.push(record("gazette-copy", Some("2026-03-04T09:00:00Z"), &copy));
    let path = feed(&c, &lines);
    let (json, pair) = scan_one_pair(&path, "gazette-copy", "wire");
    // The footer's line is set aside as the footer is elsewhere: the copy
    // is all wire copy (with it, about two fifths of its words are not).
    let copied = pair["copy_in_source"].as_f64().unwrap();
    assert!(copied > 0.95, "{pair}");
    let boilerplate = json["boilerplate"].as_array().unwrap();
    assert_eq!(boilerplate.len(), 1, "{boilerplate:?}");
    assert!(
        boilerplate[0]["excerpt"]
            .as_str()
            .unwrap()
            .starts_with("Copyright")
    );
    assert_eq!(json["documents"][151]["paragraphs"], 2);
    assert_eq!(json["documents"][151]["boilerplate_paragraphs"], 1);
    // compare on the feed decides the pair as the scan did.
    let pair = &compare_pair(path.to_str().unwrap(), "wire", "gazette-copy");
    assert_eq!(pair["copy_in_source"].as_f64().unwrap(), copied, "{pair}");
}

#[test]
fn compare_on_a_feed_equals_the_scan_pair() {
    let c = Corpus::new();
    for seed in [1u64, 2, 3] {
        let path = c.path().join(format!("synth{seed}.jsonl"));
        let run = reprint(
            &[
                "synth",
                "-n",
                "80",
                "--seed",
                &seed.to_string(),
                "-o",
                path.to_str().unwrap(),
            ],
            None,
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let p = path.to_str().unwrap();
        let scan = reprint(&["scan", p, "-f", "json"], None).json();
        let pairs = scan["pairs"].as_array().unwrap();
        assert!(pairs.len() >= 5, "seed {seed}: {} pairs", pairs.len());
        for pair in pairs.iter().take(8) {
            let (copy, source) = (
                pair["copy"].as_str().unwrap(),
                pair["source"].as_str().unwrap(),
            );
            let run = reprint(
                &["compare", p, "--id", copy, "--id", source, "-f", "json"],
                None,
            );
            assert_eq!(run.code, 0, "{}", run.stderr);
            assert_eq!(&run.json()["pair"], pair, "seed {seed}: {copy} <- {source}");
        }
    }
}

#[test]
fn eval_scores_labelled_pairs_and_a_labelled_feed() {
    let c = Corpus::new();
    // Pairs mode: paths relative to the truth file.
    c.write("wire.txt", WIRE.join("\n\n"));
    c.write(
        "copy.txt",
        WIRE.iter()
            .map(|p| house_style(p))
            .collect::<Vec<_>>()
            .join("\n\n"),
    );
    c.write("other.txt", "The city council voted on Monday to extend the tram line to the northern suburbs by the end of the decade, after years of debate about its cost and route.");
    let truth = c.write(
        "truth.jsonl",
        "{\"copy\":\"copy.txt\",\"source\":\"wire.txt\",\"label\":true}\n{\"copy\":\"other.txt\",\"source\":\"wire.txt\",\"label\":false}\n",
    );
    let run = reprint_paths(&["eval", "-f", "json"], &[&truth]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let g = &run.json()[0];
    assert_eq!(g["roc_auc"], 1.0, "{g}");
    assert_eq!(g["false_detections"], 0);
    assert_eq!(g["recall"], 1.0);
    // --pairs: one line per labelled pair, with the components of its score.
    let lines = c.path().join("pairs.jsonl");
    let run = reprint_paths(
        &["eval", "-q", "--pairs", lines.to_str().unwrap()],
        &[&truth],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(&lines).unwrap();
    let rows: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["label"], true);
    assert!(
        rows[0]["copy_in_source"].as_f64().unwrap() > 0.9,
        "{}",
        rows[0]
    );
    assert!(rows[0]["score"].as_f64().unwrap() > 0.5, "{}", rows[0]);
    assert!(!rows[0]["detections"].as_array().unwrap().is_empty());
    assert_eq!(rows[1]["copy_in_source"], 0.0, "{}", rows[1]);
    assert!(rows[1]["score"].as_f64().unwrap() < 0.5, "{}", rows[1]);
    assert!(rows[1]["grams_copy_in_source"].as_f64().unwrap() < 0.5);

    // Feed mode: synth's truth is read as is.
    let feed = c.path().join("feed.jsonl");
    let truth = c.path().join("feed.truth.jsonl");
    let run = reprint_paths(
        &[
            "synth",
            "-n",
            "150",
            "-o",
            feed.to_str().unwrap(),
            "--truth",
        ],
        &[&truth],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = reprint(
        &[
            "eval",
            truth.to_str().unwrap(),
            "--feed",
            feed.to_str().unwrap(),
            "-f",
            "json",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let s = run.json();
    assert!(s["truth_pairs"].as_u64().unwrap() > 20, "{s}");
    assert!(s["recall"].as_f64().unwrap() >= 0.95, "{s}");
    assert!(s["precision"].as_f64().unwrap() >= 0.95, "{s}");
    assert!(s["clusters"]["ari"].as_f64().unwrap() > 0.8, "{s}");
    // Paragraphs: synth's truth names the source paragraphs of each copy
    // paragraph.
    let p = &s["paragraphs"]["copy"];
    assert!(p["pairs"].as_u64().unwrap() > 20, "{p}");
    assert!(p["precision"].as_f64().unwrap() >= 0.9, "{p}");
    assert!(p["recall"].as_f64().unwrap() >= 0.9, "{p}");
    // The audit of the same feed: synth's copies credit by outlet policy.
    let a = &s["audit"];
    assert!(a["flow_recall"].as_f64().unwrap() >= 0.95, "{a}");
    assert!(a["flow_precision"].as_f64().unwrap() >= 0.95, "{a}");
    assert!(a["story_ari"].as_f64().unwrap() > 0.9, "{a}");
    assert!(a["credit_judged"].as_u64().unwrap() > 20, "{a}");
    assert!(a["credit_recall"].as_f64().unwrap() >= 0.95, "{a}");
    assert!(a["credit_precision"].as_f64().unwrap() >= 0.95, "{a}");
}

#[test]
fn a_local_paragraph_inserted_into_a_copy_cuts_its_passage_in_two() {
    let c = Corpus::new();
    let story: Vec<String> = (1..=6).map(paragraph).collect();
    let mut copy = story.clone();
    copy.insert(3, paragraph(100));
    // A heading between two copied paragraphs is no insertion.
    let mut headed = story.clone();
    headed.insert(3, "More details.".to_string());
    let feed = feed(
        &c,
        &[
            record("wire", Some("2026-03-04T08:00:00Z"), &story.join("\n\n")),
            record("copy", Some("2026-03-04T09:00:00Z"), &copy.join("\n\n")),
            record("headed", Some("2026-03-04T09:30:00Z"), &headed.join("\n\n")),
        ],
    );
    let p = feed.to_str().unwrap();
    let ranges = |pair: &serde_json::Value| -> Vec<(u64, u64, u64, u64)> {
        pair["passages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                let n = |side: &str, k: usize| x[side][k].as_u64().unwrap();
                (n("copy", 0), n("copy", 1), n("source", 0), n("source", 1))
            })
            .collect()
    };
    let pair = compare_pair(p, "copy", "wire");
    assert_eq!(ranges(&pair), [(1, 3, 1, 3), (5, 7, 4, 6)], "{pair}");
    let pair = compare_pair(p, "headed", "wire");
    assert_eq!(ranges(&pair), [(1, 7, 1, 6)], "{pair}");
    // eval --feed scores those paragraphs against a truth that lists them.
    let truth = c.write(
        "truth.jsonl",
        "{\"copy\":\"copy\",\"source\":\"wire\",\"label\":true,\"paragraphs\":[[1,[1]],[2,[2]],[3,[3]],[5,[4]],[6,[5]],[7,[6]]]}\n",
    );
    let run = reprint(
        &["eval", truth.to_str().unwrap(), "--feed", p, "-f", "json"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let s = run.json();
    let side = &s["paragraphs"]["copy"];
    assert_eq!(
        (&side["reported"], &side["truth"], &side["correct"]),
        (&6.into(), &6.into(), &6.into()),
        "{s}"
    );
    assert_eq!(s["paragraphs"]["source"]["correct"], 6, "{s}");
}

#[test]
fn a_reworded_paragraph_after_an_inserted_one_stays_reuse() {
    // Verbatim paragraphs, a local paragraph, then the source's next
    // paragraph reworded (every third word replaced): no word trigram
    // survives, yet it continues the copied text in the source.
    let c = Corpus::new();
    let story: Vec<String> = (11..=14).map(paragraph).collect();
    let reworded: String = story[3]
        .split(' ')
        .enumerate()
        .map(|(i, w)| {
            if i % 3 == 2 {
                format!("x{i}q")
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    let copy = [&story[0], &story[1], &story[2], &paragraph(200), &reworded]
        .map(String::as_str)
        .join("\n\n");
    let feed = feed(
        &c,
        &[
            record("wire", Some("2026-03-04T08:00:00Z"), &story.join("\n\n")),
            record("copy", Some("2026-03-04T09:00:00Z"), &copy),
        ],
    );
    let pair = &compare_pair(feed.to_str().unwrap(), "copy", "wire");
    let passages: Vec<(u64, u64)> = pair["passages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["copy"][0].as_u64().unwrap(),
                x["copy"][1].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(passages, [(1, 3), (5, 5)], "{pair}");
}

#[test]
fn a_story_run_by_two_outlets_one_excerpting_it_gives_every_pair() {
    // The story's paragraphs are carried by three documents; the excerpt
    // shares under half of its words with the others, so only one carrier
    // pair in three shares "half of the smaller document". That must not
    // make the story's own paragraphs boilerplate.
    let c = Corpus::new();
    let paragraphs = |name: &str| -> Vec<String> {
        let dir = crate::util::samples();
        let file = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .find(|e| e.file_name().to_string_lossy().starts_with(name))
            .unwrap()
            .path();
        std::fs::read_to_string(file)
            .unwrap()
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .map(str::to_string)
            .collect()
    };
    let story = paragraphs("002_")[..6].to_vec();
    let local = paragraphs("000_");
    let excerpt = [&story[..2], &local[..]].concat();
    let lines = vec![
        record("wire", Some("2026-03-04T08:00:00Z"), &story.join("\n\n")),
        record("whole", Some("2026-03-04T09:00:00Z"), &story.join("\n\n")),
        record(
            "excerpt",
            Some("2026-03-04T10:00:00Z"),
            &excerpt.join("\n\n"),
        ),
    ];
    let path = feed(&c, &lines);
    let run = reprint_paths(&["scan", "-f", "json"], &[&path]);
    let json = run.json();
    assert!(
        json["boilerplate"].as_array().unwrap().is_empty(),
        "{}",
        run.stdout
    );
    let mut pairs: Vec<(String, String)> = json["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let id = |v: &serde_json::Value| v.as_str().unwrap().to_string();
            (id(&p["copy"]), id(&p["source"]))
        })
        .collect();
    pairs.sort();
    let expected = [("excerpt", "whole"), ("excerpt", "wire"), ("whole", "wire")];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(pairs, expected);
}

/// A story rewritten sentence by sentence (same facts, rephrased): no
/// paragraph shares half its word pairs with the original, yet scan pairs
/// them through their shared rare character grams; an unrelated story of
/// the same day stays out.
#[test]
fn a_rewritten_story_is_found_by_scan() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rewrite");
    let (_, pair) = scan_one_pair(&dir, "rewrite", "wire");
    assert!(pair["copy_in_source"].as_f64().unwrap() > 0.9);
    assert!(
        pair["verbatim"].as_f64().unwrap() < 0.5,
        "a rewrite, not a copy"
    );
}

#[test]
fn a_shared_link_alone_is_no_pair() {
    let c = Corpus::new();
    let link = "https://www.example-news.org/2026/03/04/regional-council-publishes-the-full-report-on-the-northern-tram-extension-and-its-costs/index.html?ref=front-page";
    let lines: Vec<String> = (0..2)
        .map(|i| {
            let body = format!(
                "{}\n\n{link}\n\n{}",
                crate::util::paragraph(10 + i),
                crate::util::paragraph(20 + i)
            );
            record(&format!("s{i}"), Some("2026-03-04"), &body)
        })
        .chain(others())
        .collect();
    let path = feed(&c, &lines);
    let run = reprint_paths(&["scan", "-f", "json"], &[&path]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.json()["pairs"].as_array().unwrap().is_empty());
}

#[test]
fn look_alike_footers_of_two_outlets_do_not_join_a_passage() {
    // Each outlet's footer is boilerplate of its own articles; the two
    // footers differ in the outlet's name. One article of each outlet
    // shares a sentence too short to be a passage alone (under 130
    // characters), which the footers around it must not lengthen.
    let c = Corpus::new();
    let shared = "The regional transport authority confirmed the new tram timetable for the spring season on Monday, with trains every six minutes.";
    let footer = |outlet: &str| {
        format!(
            "Copyright 2026 {outlet}. All rights reserved. Subscribe to the {outlet} newsletter for the day's top stories."
        )
    };
    let local: String = crate::util::paragraph(7)
        .split(' ')
        .take(12)
        .collect::<Vec<_>>()
        .join(" ");
    let mut lines = Vec::new();
    for (o, outlet) in ["Northern Gazette", "Southern Herald"].iter().enumerate() {
        for i in 0..4 {
            let lead = crate::util::paragraph(100 * o + i);
            let body = match (o, i) {
                (0, 0) => format!("{lead}\n\n{shared}\n\n{local}.\n\n{}", footer(outlet)),
                (_, 0) => format!("{lead}\n\n{shared}\n\n{}", footer(outlet)),
                _ => format!("{lead}\n\n{}", footer(outlet)),
            };
            lines.push(record(&format!("o{o}a{i}"), Some("2026-03-04"), &body));
        }
    }
    let path = feed(&c, &lines);
    let run = reprint_paths(&["scan", "-f", "json"], &[&path]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.json()["pairs"].as_array().unwrap().is_empty());
}

/// An Urdu story retyped on an Arabic keyboard layout (Arabic yeh, kaf and
/// heh for the Urdu letters, in nearly every word) with its numbers
/// written against the next word (`15مارچ`): the same words, which scan
/// pairs and aligns whole.
#[test]
fn an_urdu_story_retyped_with_arabic_letters_and_glued_numbers_is_one_copy() {
    let story = [
        "وزیر اعظم نے 15 مارچ 2024 ء کو لاہور میں ایک نئے ہسپتال کا افتتاح کیا۔",
        "ہسپتال میں 500 بستر ہیں اور اس کی تعمیر پر 12 ارب روپے لاگت آئی ہے۔",
        "تقریب سے خطاب کرتے ہوئے انہوں نے کہا کہ حکومت صحت کے شعبے کو اولین ترجیح دیتی ہے۔",
        "انہوں نے بتایا کہ اگلے سال 3 مزید ہسپتال کراچی، پشاور اور کوئٹہ میں تعمیر کیے جائیں گے۔",
        "وزیر صحت نے کہا کہ ہسپتال میں 200 ڈاکٹر اور 800 نرسیں کام کریں گی۔",
        "مریضوں کو علاج کی تمام سہولتیں مفت فراہم کی جائیں گی۔",
    ]
    .join(" ");
    let retyped: String = story
        .replace("15 مارچ 2024 ء", "15مارچ 2024ء")
        .replace("500 بستر", "500بستر")
        .replace("12 ارب", "12ارب")
        .replace("200 ڈاکٹر", "200ڈاکٹر")
        .chars()
        .map(|c| match c {
            'ی' => 'ي',
            'ک' => 'ك',
            'ہ' => 'ه',
            c => c,
        })
        .collect();
    let c = Corpus::new();
    let (_, pair) = the_one_pair(
        &c,
        ("wire", "2026-03-04", &story),
        ("retyped", "2026-03-05", &retyped),
    );
    assert!(pair["copy_in_source"].as_f64().unwrap() > 0.95, "{pair}");
    assert!(pair["verbatim"].as_f64().unwrap() > 0.9, "{pair}");
}

/// Wire copy sent without diacritics (as agencies long did) and an
/// outlet's copy with them restored: the same words.
#[test]
fn a_wire_story_without_diacritics_and_its_accented_copy_are_one_copy() {
    let accented = "Após três dias de negociações em São Paulo, o ministério \
        anunciou na sexta-feira um acordo para a construção de uma ponte sobre o rio. \
        A obra custará 450 milhões de reais e começará em março, segundo o ministério. \
        Os prefeitos da região disseram que a ponte reduzirá o tráfego e a poluição \
        nas estradas vizinhas. Críticos afirmam que o orçamento não inclui a manutenção \
        nem a indenização das famílias que moram às margens do rio. \
        O governo prometeu publicar o contrato e o cronograma até o fim do mês.";
    let plain: String = accented
        .chars()
        .map(|c| match c {
            'á' | 'â' | 'ã' | 'à' => 'a',
            'é' | 'ê' => 'e',
            'í' => 'i',
            'ó' | 'ô' | 'õ' => 'o',
            'ú' => 'u',
            'ç' => 'c',
            'Ã' => 'A',
            c => c,
        })
        .collect();
    let c = Corpus::new();
    let (_, pair) = the_one_pair(
        &c,
        ("wire", "2026-03-04", &plain),
        ("outlet", "2026-03-05", accented),
    );
    assert!(pair["copy_in_source"].as_f64().unwrap() > 0.95, "{pair}");
    assert!(pair["verbatim"].as_f64().unwrap() > 0.9, "{pair}");
}

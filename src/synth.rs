//! Synthetic news feeds of any size, with ground truth, for benchmarks.
//!
//! Original articles are word-bigram (Markov) text trained on a base text,
//! so their vocabulary and word frequencies are real while no two originals
//! share a passage. A share of the articles are syndicated copies of an
//! earlier original with the edits outlets make: an excerpt of consecutive
//! paragraphs, a trimmed ending, an inserted local paragraph, two
//! paragraphs merged or one split, retyped quotes and dashes, a few words
//! changed per paragraph, a reworded paragraph (a quarter of its words
//! replaced), the outlet's house style (a fixed spelling for about one word
//! in ten, as `mln` for `million`: a substitution every few words, in
//! nearly every sentence), hard-wrapped lines, and paragraphs separated by single
//! line breaks instead of blank lines. Every article carries its outlet's footer,
//! a boilerplate line shared by thousands of articles in a large feed.
//! The truth lists each (copy, source) pair with the edits applied.
//!
//! Generation is deterministic for a seed; [`Synth::article`] builds
//! article `i` on its own, so feeds of millions of lines stream.

use ahash::AHashMap;

use crate::minhash::splitmix64;

/// Outlets whose footers mark every article, by default.
pub const OUTLETS: usize = 12;

/// A word-bigram model of a base text.
#[derive(Debug, Clone)]
pub struct Synth {
    words: Vec<String>,
    /// For each word index, the indices of the words that followed it.
    next: Vec<Vec<u32>>,
    starts: Vec<u32>,
    seed: u64,
    copy_share: f64,
    outlets: usize,
    wires: usize,
}

/// One generated article.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// Id, `a<i>`.
    pub id: String,
    /// Publication time, `YYYY-MM-DDTHH:MM:SSZ`.
    pub date: String,
    /// Outlet name.
    pub outlet: String,
    /// Text, paragraphs separated by blank lines.
    pub text: String,
    /// For a copy: the source id and the edits applied.
    pub copy_of: Option<(String, Vec<&'static str>)>,
    /// For a copy: the share of its words (footer aside) that come from
    /// the source, edited, reworded and house-style words included: all but
    /// a local paragraph.
    pub copied: Option<f64>,
    /// For a copy: whether it credits the source's outlet (a dateline
    /// `CITY (outletN) — ` or a closing `Reporting by outletN.`).
    pub credited: Option<bool>,
    /// For a copy: each of its paragraphs taken from the source (1-based),
    /// with the source paragraphs it comes from (1-based; two for merged
    /// paragraphs); a local paragraph, a credit line and the footer are
    /// not listed.
    pub paragraphs: Option<Vec<(usize, Vec<usize>)>>,
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = splitmix64(self.0);
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// Built-in base text, used when no other is given.
pub const BUILTIN_BASE: &str = include_str!("../samples/001_a2e1f2d9f2070016.txt");

impl Synth {
    /// Trains the model on `base` (any amount of text). `copy_share` of the
    /// articles (0–1) are copies.
    pub fn new(base: &str, seed: u64, copy_share: f64) -> Synth {
        let mut index: AHashMap<&str, u32> = AHashMap::new();
        let mut words: Vec<String> = Vec::new();
        let mut next: Vec<Vec<u32>> = Vec::new();
        let mut starts: Vec<u32> = Vec::new();
        for line in base.lines() {
            let mut prev: Option<u32> = None;
            for w in line.split_whitespace() {
                let id = *index.entry(w).or_insert_with(|| {
                    words.push(w.to_string());
                    next.push(Vec::new());
                    (words.len() - 1) as u32
                });
                match prev {
                    Some(p) => next[p as usize].push(id),
                    None => starts.push(id),
                }
                prev = Some(id);
            }
        }
        if words.is_empty() {
            return Synth::new(BUILTIN_BASE, seed, copy_share);
        }
        Synth {
            words,
            next,
            starts,
            seed,
            copy_share: copy_share.clamp(0.0, 1.0),
            outlets: OUTLETS,
            wires: 0,
        }
    }

    /// The same model with `outlets` outlets (at least 2), the first
    /// `wires` of them wire services (`wire0`, …): they originate 70% of
    /// the stories, other outlets run their copy, and a fifth of the copies
    /// run up to three days later (3,000 articles back) instead of within
    /// the hour. Without wires every outlet originates alike.
    pub fn with_outlets(mut self, outlets: usize, wires: usize) -> Synth {
        self.outlets = outlets.max(2);
        self.wires = wires.min(self.outlets - 1);
        self
    }

    /// The name of outlet `n`.
    fn outlet_name(&self, n: usize) -> String {
        if n < self.wires {
            format!("wire{n}")
        } else {
            format!("outlet{n}")
        }
    }

    fn paragraph(&self, rng: &mut Rng) -> String {
        let len = 30 + rng.below(50);
        let mut w = self.starts[rng.below(self.starts.len())];
        let mut out: Vec<&str> = Vec::with_capacity(len);
        for _ in 0..len {
            out.push(&self.words[w as usize]);
            let follow = &self.next[w as usize];
            // Restart from a random word now and then so that frequent
            // phrases do not run on for whole sentences.
            w = if follow.is_empty() || rng.chance(0.15) {
                rng.below(self.words.len()) as u32
            } else {
                follow[rng.below(follow.len())]
            };
        }
        let mut p = out.join(" ");
        if !p.ends_with('.') {
            p.push('.');
        }
        p
    }

    fn original(&self, i: usize) -> (Vec<String>, usize) {
        let mut rng = Rng(splitmix64(
            self.seed ^ (i as u64).wrapping_mul(0xA24B_AED4_963E_E407),
        ));
        let n = 4 + rng.below(9);
        let paras = (0..n).map(|_| self.paragraph(&mut rng)).collect();
        let outlet = if self.wires == 0 {
            rng.below(self.outlets)
        } else if rng.chance(0.7) {
            rng.below(self.wires)
        } else {
            self.wires + rng.below(self.outlets - self.wires)
        };
        (paras, outlet)
    }

    fn is_copy(&self, i: usize) -> bool {
        i >= 2 && Rng(splitmix64(self.seed ^ 0x5EED ^ i as u64)).chance(self.copy_share)
    }

    /// Whether article `i` is a copy, and of which earlier original.
    fn source_of(&self, i: usize) -> Option<usize> {
        if !self.is_copy(i) {
            return None;
        }
        let mut rng = Rng(splitmix64(self.seed ^ 0xBACC ^ i as u64));
        // A recent article; walk back to an original.
        let back = if self.wires > 0 && rng.chance(0.2) {
            3000
        } else {
            50
        };
        let mut j = i - 1 - rng.below(i.min(back));
        while self.is_copy(j) {
            if j == 0 {
                return None;
            }
            j -= 1;
        }
        Some(j)
    }

    /// Builds article `i`.
    pub fn article(&self, i: usize) -> Article {
        // A thousand articles a day, in input order, 86 seconds apart.
        let day = |k: usize| {
            // Day k / 1000 after 2026-03-01, through months and years.
            let (y, mo, d) = crate::date::civil_from_days(DAY_ONE + (k / 1000) as i64);
            let secs = (k % 1000) * 86;
            let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{m:02}:{s:02}Z")
        };
        let footer = |o: usize| {
            format!(
                "© 2026 Example Outlet {o}. All rights reserved. Subscribe to the Example Outlet {o} newsletter for the day's top stories."
            )
        };
        match self.source_of(i) {
            None => {
                let (paras, outlet) = self.original(i);
                Article {
                    id: format!("a{i}"),
                    date: day(i),
                    outlet: self.outlet_name(outlet),
                    text: format!("{}\n\n{}", paras.join("\n\n"), footer(outlet)),
                    copy_of: None,
                    copied: None,
                    credited: None,
                    paragraphs: None,
                }
            }
            Some(src) => {
                let mut rng = Rng(splitmix64(self.seed ^ 0xC0FFEE ^ i as u64));
                let (mut paras, _) = self.original(src);
                // The source paragraphs (0-based) each paragraph comes from.
                let mut origin: Vec<Vec<usize>> = (0..paras.len()).map(|k| vec![k]).collect();
                let mut edits: Vec<&'static str> = Vec::new();
                // Words that do not come from the source (a local
                // paragraph; reworded and edited words still do).
                let mut foreign = 0usize;
                if paras.len() > 3 && rng.chance(0.6) {
                    let len = 2 + rng.below(paras.len() - 2);
                    let start = rng.below(paras.len() - len + 1);
                    paras = paras[start..start + len].to_vec();
                    origin = origin[start..start + len].to_vec();
                    edits.push("excerpt");
                }
                if rng.chance(0.3) {
                    if let Some(last) = paras.last_mut() {
                        let cut = last.len() * 2 / 3;
                        let cut = (0..=cut)
                            .rev()
                            .find(|&c| last.is_char_boundary(c))
                            .unwrap_or(0);
                        last.truncate(cut);
                        edits.push("trimmed ending");
                    }
                }
                if rng.chance(0.4) {
                    let at = rng.below(paras.len() + 1);
                    let local = self.paragraph(&mut rng);
                    foreign += local.split(' ').count();
                    paras.insert(at, local);
                    origin.insert(at, Vec::new());
                    edits.push("local paragraph");
                }
                if paras.len() > 2 && rng.chance(0.25) {
                    let at = rng.below(paras.len() - 1);
                    let next = paras.remove(at + 1);
                    paras[at] = format!("{} {next}", paras[at]);
                    let next = origin.remove(at + 1);
                    origin[at].extend(next);
                    edits.push("merged paragraphs");
                } else if rng.chance(0.25) {
                    let at = rng.below(paras.len());
                    let words: Vec<&str> = paras[at].split(' ').collect();
                    if words.len() > 20 {
                        let half = words.len() / 2;
                        let (a, b) = (words[..half].join(" "), words[half..].join(" "));
                        paras[at] = a;
                        paras.insert(at + 1, b);
                        origin.insert(at + 1, origin[at].clone());
                        edits.push("split paragraph");
                    }
                }
                if rng.chance(0.5) {
                    for p in &mut paras {
                        *p = p.replace('\'', "’").replace('"', "“").replace(" - ", " — ");
                    }
                    edits.push("retyped quotes");
                }
                if rng.chance(0.5) {
                    for p in &mut paras {
                        let mut words: Vec<String> = p.split(' ').map(str::to_string).collect();
                        for _ in 0..1 + rng.below(2) {
                            let k = rng.below(words.len());
                            words[k] = self.words[rng.below(self.words.len())].clone();
                        }
                        *p = words.join(" ");
                    }
                    edits.push("word edits");
                }
                if rng.chance(0.3) {
                    let at = rng.below(paras.len());
                    let mut words: Vec<String> = paras[at].split(' ').map(str::to_string).collect();
                    for w in words.iter_mut() {
                        if rng.chance(0.25) {
                            *w = self.words[rng.below(self.words.len())].clone();
                        }
                    }
                    paras[at] = words.join(" ");
                    edits.push("reworded paragraph");
                }
                if rng.chance(0.2) {
                    for p in &mut paras {
                        *p = p.split(' ').map(house_style).collect::<Vec<_>>().join(" ");
                    }
                    edits.push("house style");
                }
                if rng.chance(0.15) {
                    let width = 60 + rng.below(20);
                    for p in &mut paras {
                        *p = wrap(p, width);
                    }
                    edits.push("hard-wrapped");
                }
                let separator = if rng.chance(0.15) {
                    edits.push("no blank lines");
                    "\n"
                } else {
                    "\n\n"
                };
                // Another outlet than the source's.
                let source_outlet = self.original(src).1;
                let outlet = if source_outlet < self.wires {
                    // Wire copy runs in the outlets that are not wires.
                    self.wires + rng.below(self.outlets - self.wires)
                } else {
                    (source_outlet + 1 + rng.below(self.outlets - 1)) % self.outlets
                };
                // Outlets credit by policy: a third never do, the others
                // nearly always, in a dateline or a closing credit line.
                let mut credit_rng = Rng(splitmix64(self.seed ^ 0xC4ED17 ^ i as u64));
                let credited = outlet % 3 != 0 && credit_rng.chance(0.9);
                if credited {
                    let name = self.outlet_name(source_outlet);
                    if outlet % 2 == 0 {
                        paras[0] = format!("CITY ({name}) — {}", paras[0]);
                    } else {
                        paras.push(format!("Reporting by {name}."));
                        origin.push(Vec::new());
                    }
                    foreign += 3;
                }
                let total: usize = paras.iter().map(|p| p.split_whitespace().count()).sum();
                let copied = 1.0 - foreign.min(total) as f64 / total.max(1) as f64;
                Article {
                    id: format!("a{i}"),
                    date: day(i),
                    outlet: self.outlet_name(outlet),
                    text: format!("{}{separator}{}", paras.join(separator), footer(outlet)),
                    copy_of: Some((format!("a{src}"), edits)),
                    copied: Some(copied),
                    credited: Some(credited),
                    paragraphs: Some(
                        origin
                            .into_iter()
                            .enumerate()
                            .filter(|(_, o)| !o.is_empty())
                            .map(|(k, o)| (k + 1, o.into_iter().map(|s| s + 1).collect()))
                            .collect(),
                    ),
                }
            }
        }
    }
}

/// Days from 1970-01-01 to 2026-03-01, the first day of a generated feed.
const DAY_ONE: i64 = 20_513;

/// An outlet's house spelling of a word: one word in five of four letters
/// or more (chosen by a hash of the word, so always the same words, as a
/// style guide does) is abbreviated to its first three letters when long
/// (`million` → `mil`) or gets a trailing `s` when short. About one word in
/// ten changes: a substitution every few words, in nearly every sentence.
fn house_style(word: &str) -> String {
    let core = word.trim_end_matches(['.', ',', ';', ':']);
    let tail = &word[core.len()..];
    let letters = core.chars().count();
    if letters < 4 || splitmix64(xxhash_rust::xxh3::xxh3_64(core.as_bytes())) % 5 != 0 {
        return word.to_string();
    }
    match core.char_indices().nth(3) {
        Some((cut, _)) if letters >= 6 => format!("{}{tail}", &core[..cut]),
        _ => format!("{core}s{tail}"),
    }
}

/// `text` with line breaks at the last space before `width` characters.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / width);
    let mut line = 0;
    for (k, w) in text.split(' ').enumerate() {
        let len = w.chars().count();
        if k > 0 {
            if line + 1 + len > width {
                out.push('\n');
                line = 0;
            } else {
                out.push(' ');
                line += 1;
            }
        }
        out.push_str(w);
        line += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn house_style_and_wrapping_keep_the_words_apart_from_the_style() {
        let styled: Vec<String> =
            "the minister said the national budget grows by about ten percent this coming year"
                .split(' ')
                .map(house_style)
                .collect();
        assert_eq!(styled[0], "the");
        assert!(
            styled.len() == 14 && styled.iter().filter(|w| w.len() > 3).any(|w| {
                !"the minister said the national budget grows by about ten percent this coming year"
                    .contains(w.as_str())
                    || w.ends_with('s')
            })
        );
        assert_eq!(house_style("budget"), house_style("budget"));
        let text = "one two three four five six seven eight nine ten";
        let wrapped = wrap(text, 12);
        assert!(
            wrapped.lines().all(|l| l.chars().count() <= 12),
            "{wrapped}"
        );
        assert_eq!(wrapped.replace('\n', " "), text);
    }

    #[test]
    fn generation_is_deterministic() {
        let s = Synth::new(BUILTIN_BASE, 7, 0.3);
        assert_eq!(s.article(42), s.article(42));
        assert_ne!(s.article(42).text, s.article(43).text);
    }

    #[test]
    fn copies_point_to_earlier_originals() {
        let s = Synth::new(BUILTIN_BASE, 7, 0.3);
        let copies: Vec<Article> = (0..300)
            .map(|i| s.article(i))
            .filter(|a| a.copy_of.is_some())
            .collect();
        assert!(copies.len() > 50, "{}", copies.len());
        for c in copies {
            let (src, _) = c.copy_of.unwrap();
            let n: usize = src[1..].parse().unwrap();
            assert!(n < c.id[1..].parse::<usize>().unwrap());
            assert!(s.article(n).copy_of.is_none());
        }
    }

    #[test]
    fn the_truth_names_the_source_paragraphs_of_each_copy_paragraph() {
        let s = Synth::new(BUILTIN_BASE, 7, 0.3);
        let words = |p: &str| -> std::collections::HashSet<String> {
            p.split_whitespace().map(|w| w.to_lowercase()).collect()
        };
        // Paragraphs as written (blank lines between them), footer aside.
        let paragraphs = |text: &str| -> Vec<String> {
            let mut p: Vec<String> = text.split("\n\n").map(str::to_string).collect();
            p.pop();
            p
        };
        let (mut listed, mut local) = (0, 0);
        for i in 0..400 {
            let c = s.article(i);
            let Some((src, edits)) = &c.copy_of else {
                assert!(c.paragraphs.is_none());
                continue;
            };
            if edits.contains(&"no blank lines") {
                continue;
            }
            let source = s.article(src[1..].parse().unwrap());
            let (cp, sp) = (paragraphs(&c.text), paragraphs(&source.text));
            let truth = c.paragraphs.clone().unwrap();
            for (k, para) in cp.iter().enumerate() {
                let mine = words(para);
                let taken = truth.iter().find(|(n, _)| *n == k + 1);
                let share = |from: std::collections::HashSet<String>| {
                    mine.intersection(&from).count() as f64 / mine.len() as f64
                };
                if let Some((_, o)) = taken {
                    // The named source paragraphs have more of its words
                    // than any other.
                    listed += 1;
                    let named = share(o.iter().flat_map(|&j| words(&sp[j - 1])).collect());
                    let other = (1..=sp.len())
                        .filter(|j| !o.contains(j))
                        .map(|j| share(words(&sp[j - 1])))
                        .fold(0.0, f64::max);
                    assert!(named > other, "{}: ¶{} {named:.2} {other:.2}", c.id, k + 1);
                } else if mine.len() >= 20 {
                    // A local paragraph: no source paragraph has most of
                    // its words.
                    local += 1;
                    let most = sp.iter().map(|p| share(words(p))).fold(0.0, f64::max);
                    assert!(most < 0.6, "{}: ¶{} shares {most:.2}", c.id, k + 1);
                }
            }
        }
        assert!(listed > 200 && local > 5, "{listed} {local}");
    }

    #[test]
    fn dates_run_on_through_months() {
        assert_eq!(crate::date::civil_from_days(DAY_ONE), (2026, 3, 1));
        assert_eq!(crate::date::civil_from_days(DAY_ONE + 31), (2026, 4, 1));
        assert_eq!(crate::date::civil_from_days(DAY_ONE + 306), (2027, 1, 1));
        let s = Synth::new(BUILTIN_BASE, 7, 0.3);
        assert_eq!(&s.article(27_999).date[..10], "2026-03-28");
        assert_eq!(&s.article(31_000).date[..10], "2026-04-01");
    }

    #[test]
    fn a_scan_finds_the_copies() {
        let s = Synth::new(BUILTIN_BASE, 3, 0.3);
        let arts: Vec<Article> = (0..200).map(|i| s.article(i)).collect();
        let docs: Vec<crate::corpus::Document> = arts
            .iter()
            .map(|a| crate::corpus::Document::from_text(a.id.clone(), a.id.clone(), a.text.clone()))
            .collect();
        let report = crate::scan::DetectorBuilder::new()
            .build()
            .unwrap()
            .scan(&docs)
            .unwrap();
        let found: std::collections::HashSet<(String, String)> = report
            .pairs
            .iter()
            .map(|p| {
                let (a, b) = (docs[p.copy].id.clone(), docs[p.source].id.clone());
                if a < b { (a, b) } else { (b, a) }
            })
            .collect();
        let truth: Vec<(String, String)> = arts
            .iter()
            .filter_map(|a| a.copy_of.as_ref().map(|(s, _)| (a.id.clone(), s.clone())))
            .map(|(a, b)| if a < b { (a, b) } else { (b, a) })
            .collect();
        let recalled = truth.iter().filter(|t| found.contains(t)).count();
        assert!(
            recalled as f64 >= 0.95 * truth.len() as f64,
            "{recalled} of {}",
            truth.len()
        );
        // The outlets' footers are boilerplate, not reuse.
        assert!(!report.boilerplate.is_empty());
    }
}

//! One benchmark group per pipeline stage, with throughput set.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

use reprint::lsh::{self, LshParams};
use reprint::minhash::{MinHasher, Sketch};
use reprint::shingle::shingle_set;
use reprint::similarity::Overlap;
use reprint::text::{Token, split_paragraphs, tokenize};

mod corpus;

fn tokens_of(text: &str) -> Vec<Token> {
    let mut t = Vec::new();
    tokenize(text, 0..text.len(), &mut t);
    t
}

fn bench_tokenize(c: &mut Criterion) {
    let text = corpus::news_text(1 << 20);
    let mut g = c.benchmark_group("tokenize");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("normalise 1 MiB of news", |b| {
        b.iter(|| {
            let t = tokens_of(black_box(&text));
            assert!(t.len() > 150_000);
            t.len()
        })
    });
    g.bench_function("split paragraphs 1 MiB", |b| {
        b.iter(|| split_paragraphs(black_box(&text), 0).len())
    });
    g.finish();
}

fn bench_shingle(c: &mut Criterion) {
    let text = corpus::news_text(1 << 20);
    let tokens = tokens_of(&text);
    let mut g = c.benchmark_group("shingle");
    g.throughput(Throughput::Elements(tokens.len() as u64));
    g.bench_function("5-word shingle set, 1 MiB", |b| {
        b.iter(|| shingle_set(black_box(&tokens), 5).len())
    });
    g.finish();
}

fn bench_minhash(c: &mut Criterion) {
    let set: Vec<u64> = (0..10_000u64).map(reprint::minhash::splitmix64).collect();
    let mut g = c.benchmark_group("minhash");
    g.throughput(Throughput::Elements(set.len() as u64));
    for (name, sketch, num_perm) in [
        ("signature of 10k shingles", Sketch::MinHash, 64usize),
        ("signature of 10k shingles", Sketch::MinHash, 128),
        ("signature of 10k shingles", Sketch::MinHash, 256),
        (
            "one-permutation signature of 10k shingles",
            Sketch::OnePermutation,
            128,
        ),
        (
            "one-permutation signature of 50 shingles",
            Sketch::OnePermutation,
            128,
        ),
    ] {
        let h = MinHasher::with_sketch(num_perm, 42, sketch).unwrap();
        let mut out = vec![0u32; num_perm];
        let set = if name.contains("50 shingles") {
            &set[..50]
        } else {
            &set[..]
        };
        g.throughput(Throughput::Elements(set.len() as u64));
        g.bench_with_input(BenchmarkId::new(name, num_perm), &num_perm, |b, _| {
            b.iter(|| {
                h.fill(black_box(&set).iter().copied(), &mut out);
                out[0]
            })
        });
    }
    g.finish();
}

/// Fingerprinting as the scan does it, per byte of text: paragraphs,
/// tokens, 5-word shingle sets, 128-value signatures.
fn bench_fingerprint(c: &mut Criterion) {
    let text = corpus::news_text(1 << 20);
    let mut g = c.benchmark_group("fingerprint");
    g.throughput(Throughput::Bytes(text.len() as u64));
    for (name, sketch) in [
        ("minhash, 1 MiB of news", Sketch::MinHash),
        ("one-permutation, 1 MiB of news", Sketch::OnePermutation),
    ] {
        let h = MinHasher::with_sketch(128, 42, sketch).unwrap();
        g.bench_function(name, |b| {
            let mut tokens = Vec::new();
            let mut sig = vec![0u32; 128];
            b.iter(|| corpus::fingerprint(black_box(&text), &h, &mut tokens, &mut sig))
        });
    }
    g.finish();
}

fn bench_lsh(c: &mut Criterion) {
    let num_perm = 128;
    let n = 20_000;
    let h = MinHasher::new(num_perm, 42).unwrap();
    let mut sigs = vec![0u32; n * num_perm];
    for (i, out) in sigs.chunks_mut(num_perm).enumerate() {
        // Pairs of near-duplicates: items 2k and 2k+1 share 90% of shingles.
        let base = (i / 2) as u64 * 1000;
        let extra = (i % 2) as u64 * 500_000_000;
        h.fill(
            (0..40u64).map(|j| if j < 36 { base + j } else { base + j + extra }),
            out,
        );
    }
    let params = LshParams::for_threshold(0.5, num_perm).unwrap();
    let mut g = c.benchmark_group("lsh");
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("candidates among 20k signatures", |b| {
        b.iter(|| {
            let (pairs, _) = lsh::candidates(black_box(&sigs), num_perm, params, 64);
            assert!(pairs.len() >= n / 2 * 9 / 10);
            pairs.len()
        })
    });
    g.finish();
}

fn bench_verify(c: &mut Criterion) {
    let a: Vec<u64> = (0..200u64).map(|x| x * 3).collect();
    let b: Vec<u64> = (0..200u64).map(|x| x * 2).collect();
    let large: Vec<u64> = (0..20_000u64).collect();
    let mut g = c.benchmark_group("verify");
    g.throughput(Throughput::Elements(1));
    g.bench_function("exact overlap, 200 vs 200", |bch| {
        bch.iter(|| Overlap::of(black_box(&a), black_box(&b)).jaccard())
    });
    // Hashed shingles: two sets of 200 sharing half, in random order.
    let mut x = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let shared: Vec<u64> = (0..100).map(|_| next()).collect();
    let mut ra: Vec<u64> = shared
        .iter()
        .copied()
        .chain((0..100).map(|_| next()))
        .collect();
    let mut rb: Vec<u64> = shared
        .iter()
        .copied()
        .chain((0..100).map(|_| next()))
        .collect();
    ra.sort_unstable();
    rb.sort_unstable();
    g.bench_function("exact overlap, 200 vs 200 hashed", |bch| {
        bch.iter(|| Overlap::of(black_box(&ra), black_box(&rb)).jaccard())
    });
    g.bench_function("exact overlap, 200 vs 20000 (galloping)", |bch| {
        bch.iter(|| Overlap::of(black_box(&a), black_box(&large)).smaller_in_larger())
    });
    // The brute-force baseline LSH avoids: all pairs of 1,000 sets.
    let sets: Vec<Vec<u64>> = (0..1000u64)
        .map(|i| (i * 10..i * 10 + 40).collect())
        .collect();
    g.throughput(Throughput::Elements(1000 * 999 / 2));
    g.bench_function("brute force, all pairs of 1000 sets", |bch| {
        bch.iter(|| {
            let mut hits = 0;
            for i in 0..sets.len() {
                for j in i + 1..sets.len() {
                    hits += usize::from(Overlap::of(&sets[i], &sets[j]).jaccard() >= 0.5);
                }
            }
            // Neighbours i, i+1 share 30 of 50 elements (Jaccard 0.6).
            assert_eq!(hits, 999);
            hits
        })
    });
    g.finish();
}

/// The align-and-score stage per candidate pair: a story and an outlet's
/// copy of half of it with a local lede (prepared once, as scan does),
/// and a story against an unrelated article.
fn bench_align(c: &mut Criterion) {
    use reprint::align::AlignConfig;
    use reprint::score::{PairDoc, decide};
    let story = corpus::news_text(4_000);
    let other = corpus::synthetic(2)[1].text.clone();
    let half = &story[..story.len() / 2];
    let cut = (0..=half.len())
        .rev()
        .find(|&i| half.is_char_boundary(i))
        .unwrap_or(0);
    let copy = format!(
        "Our own lede on the story, in the outlet's words.\n\n{}",
        &story[..cut]
    );
    fn doc(t: &str) -> PairDoc<'_> {
        PairDoc::new(t, 0, split_paragraphs(t, 0), Vec::new(), None)
    }
    let (ds, dc, dother) = (doc(&story), doc(&copy), doc(&other));
    let config = AlignConfig::default();
    let mut g = c.benchmark_group("align");
    g.throughput(Throughput::Elements(1));
    g.bench_function("copy of half a 4 kB story", |bch| {
        bch.iter(|| {
            decide(black_box(&dc), 1, black_box(&ds), 0, &config)
                .passages
                .len()
        })
    });
    g.bench_function("a 4 kB story and an unrelated article", |bch| {
        bch.iter(|| {
            decide(black_box(&dother), 1, black_box(&ds), 0, &config)
                .passages
                .len()
        })
    });
    g.bench_function("prepare a 4 kB story", |bch| {
        bch.iter(|| doc(black_box(&story)).weight())
    });
    g.finish();
}

criterion_group!(
    benches,
    bench_align,
    bench_tokenize,
    bench_shingle,
    bench_minhash,
    bench_fingerprint,
    bench_lsh,
    bench_verify
);
criterion_main!(benches);

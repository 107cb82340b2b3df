//! Per-core throughput of the fingerprint path (paragraphs → tokens →
//! shingle sets → signatures) on 1 MiB of English news text, one thread,
//! for both signature schemes: the best and the median of many runs. On a
//! shared machine the best run is the figure least disturbed by other
//! tenants; the median shows what a busy machine gives.
//!
//! `cargo bench --bench throughput [-- RUNS]` (200 runs by default).

use std::hint::black_box;
use std::time::Instant;

use reprint::minhash::{MinHasher, Sketch};

mod corpus;

fn main() {
    // `cargo bench` passes `--bench`; a number among the arguments is the
    // run count.
    let runs = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<usize>().ok())
        .unwrap_or(200)
        .max(1);
    let text = corpus::news_text(1 << 20);
    let mb = text.len() as f64 / 1e6;
    println!(
        "fingerprint path, one thread, {:.2} MB of news text, {runs} runs",
        mb
    );
    for (name, sketch) in [
        ("one-permutation (default)", Sketch::OnePermutation),
        ("classic minhash", Sketch::MinHash),
    ] {
        let h = match MinHasher::with_sketch(128, 42, sketch) {
            Ok(h) => h,
            Err(e) => panic!("128 permutations are valid: {e}"),
        };
        let mut tokens = Vec::new();
        let mut sig = vec![0u32; 128];
        let mut times: Vec<f64> = (0..runs)
            .map(|_| {
                let start = Instant::now();
                black_box(corpus::fingerprint(
                    black_box(&text),
                    &h,
                    &mut tokens,
                    &mut sig,
                ));
                start.elapsed().as_secs_f64()
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let (best, median) = (times[0], times[times.len() / 2]);
        println!(
            "{name:>26}: best {:6.2} ms ({:6.1} MB/s), median {:6.2} ms ({:6.1} MB/s)",
            best * 1e3,
            mb / best,
            median * 1e3,
            mb / median
        );
    }
}

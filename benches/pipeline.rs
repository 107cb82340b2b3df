//! End to end: scanning a synthetic corpus of news articles with copies.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

use reprint::scan::DetectorBuilder;

mod corpus;

fn bench_scan(c: &mut Criterion) {
    let docs = corpus::synthetic(2000);
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let detector = DetectorBuilder::new().build().unwrap();
    let mut g = c.benchmark_group("pipeline");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("scan 2000 articles", |b| {
        b.iter(|| {
            let report = detector.scan(black_box(&docs)).unwrap();
            // Every fourth article copies the one before it.
            assert!(report.pairs.len() >= 500, "{} pairs", report.pairs.len());
            report.pairs.len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench_scan);
criterion_main!(benches);

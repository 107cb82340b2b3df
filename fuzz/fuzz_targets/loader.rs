//! The loader and the whole scan on arbitrary bytes: read as a feed, as a
//! text file and as an HTML page, then scanned. Nothing may panic; every
//! record ends as a document or an error.
#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use reprint::corpus::{LoadOptions, load_paths};
use reprint::scan::DetectorBuilder;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("reprint-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    let mut paths: Vec<PathBuf> = Vec::new();
    for name in ["feed.jsonl", "text.txt", "page.html"] {
        let p = dir.join(name);
        std::fs::write(&p, data).expect("write input");
        paths.push(p);
    }
    let loaded = load_paths(&paths, &LoadOptions::default());
    let detector = DetectorBuilder::new().build().expect("default detector");
    let report = detector.scan(&loaded.documents).expect("scan");
    assert_eq!(report.documents.len(), loaded.documents.len());
});

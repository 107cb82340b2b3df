//! Test helpers: a temporary corpus and a runner for the built binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The repository's `samples/` folder.
pub fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// A temporary directory to write a corpus into.
pub struct Corpus {
    pub dir: tempfile::TempDir,
}

impl Corpus {
    pub fn new() -> Corpus {
        Corpus {
            dir: tempfile::tempdir().expect("temporary directory"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `bytes` to `name` (directories created as needed).
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

/// The result of one run of `reprint`.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// The ids of the documents of a JSON report on stdout, in order.
    pub fn document_ids(&self) -> Vec<String> {
        self.json()["documents"]
            .as_array()
            .expect("a JSON report with documents")
            .iter()
            .map(|d| d["id"].as_str().unwrap_or_default().to_string())
            .collect()
    }
}

/// Runs `reprint` with `args`, feeding `stdin` if given.
pub fn reprint(args: &[&str], stdin: Option<&str>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_reprint"));
    cmd.args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    let mut child = cmd.spawn().expect("run reprint");
    if let Some(input) = stdin {
        use std::io::Write;
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(input.as_bytes()).unwrap();
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    Run {
        code: status.code().expect("exit code"),
        stdout: String::from_utf8(stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(stderr).expect("UTF-8 stderr"),
    }
}

/// Runs `reprint` on paths given as `Path`s.
pub fn reprint_paths(args: &[&str], paths: &[&Path]) -> Run {
    let mut all: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    all.extend(paths.iter().map(|p| p.display().to_string()));
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    reprint(&refs, None)
}

/// A paragraph of about 40 words, different for each `seed`: words of four
/// to nine letters drawn from the seed, so two paragraphs of different
/// seeds share no words and almost no character grams, as unrelated
/// articles do.
/// Asserts that `--timings` printed a line for each of `stages` on
/// `stderr` (`what` names the run in the message).
pub fn assert_stages(stderr: &str, stages: &[&str], what: &str) {
    for stage in stages {
        assert!(
            stderr.lines().any(|l| l.starts_with(stage)),
            "{what}: no '{stage}' in {stderr}"
        );
    }
}

pub fn paragraph(seed: usize) -> String {
    let mut x = (seed as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out: Vec<String> = Vec::new();
    for i in 0..40 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let len = 4 + (x % 6) as usize;
        out.push(
            (0..len)
                .map(|k| char::from(b'a' + ((x >> (8 + k * 5)) % 26) as u8))
                .collect(),
        );
        if i % 9 == 8 {
            out.push("and".into());
        }
    }
    let mut s = out.join(" ");
    s.push('.');
    s
}

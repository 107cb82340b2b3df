//! Output safety: nothing clobbered that an output points at (inputs,
//! other outputs, links, devices, FIFOs), targets checked before the run,
//! no temporary files left, closed pipes not errors, formats from the
//! output's extension.

use std::io::Read;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::process::{Command, Stdio};

use crate::feeds::{record, wire};
use crate::util::{Corpus, reprint, samples};

fn leftovers(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

/// `reprint scan samples/ -o OUT`.
fn scan_samples_to(out: &std::path::Path) -> crate::util::Run {
    reprint(
        &[
            "scan",
            samples().to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        None,
    )
}

#[test]
fn an_output_that_is_an_input_is_refused_before_the_run() {
    let c = Corpus::new();
    let a = c.write("a.txt", wire(1).join("\n\n"));
    c.write("b.txt", wire(1).join("\n\n"));
    let before = std::fs::read_to_string(&a).unwrap();
    let p = c.path().to_str().unwrap();
    let run = reprint(&["scan", p, "-o", a.to_str().unwrap()], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("is also an input"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&a).unwrap(), before);
    assert!(leftovers(c.path()).is_empty());
}

#[test]
fn two_outputs_on_one_file_are_refused() {
    let c = Corpus::new();
    let w = wire(1).join("\n\n");
    let feed = c.write(
        "feed.jsonl",
        [record("a", None, &w), record("b", None, &w)].join("\n") + "\n",
    );
    let out = c.path().join("out.jsonl");
    let run = reprint(
        &[
            "dedup",
            feed.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--dropped",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("same file"), "{}", run.stderr);
    assert!(!out.exists());
}

#[test]
fn a_directory_as_output_fails_before_the_run_and_leaves_nothing() {
    let c = Corpus::new();
    let dir = c.path().join("reports");
    std::fs::create_dir(&dir).unwrap();
    let run = scan_samples_to(&dir);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is a directory"), "{}", run.stderr);
    assert!(leftovers(c.path()).is_empty() && leftovers(&dir).is_empty());
}

#[test]
fn a_symlink_output_writes_its_target_and_stays_a_link() {
    let c = Corpus::new();
    let target = c.write("real.json", "old");
    let link = c.path().join("link.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let run = scan_samples_to(&link);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.trim_start().starts_with('{'), "{text}");
}

#[test]
fn an_existing_files_mode_is_kept() {
    let c = Corpus::new();
    let out = c.write("report.txt", "old");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o600)).unwrap();
    let run = scan_samples_to(&out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let meta = std::fs::metadata(&out).unwrap();
    assert_eq!(meta.mode() & 0o777, 0o600);
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("reuse pair")
    );
}

#[test]
fn a_new_file_gets_the_usual_mode() {
    let c = Corpus::new();
    let reference = c.write("reference.txt", "x");
    let usual = std::fs::metadata(&reference).unwrap().mode() & 0o777;
    let out = c.path().join("new.txt");
    let run = scan_samples_to(&out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(std::fs::metadata(&out).unwrap().mode() & 0o777, usual);
}

#[test]
fn devices_and_fifos_are_written_in_place() {
    let c = Corpus::new();
    let run = scan_samples_to(std::path::Path::new("/dev/null"));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );

    let fifo = c.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo unavailable: FIFO case skipped");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            std::fs::File::open(&fifo)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        })
    };
    let run = reprint(
        &[
            "scan",
            samples().to_str().unwrap(),
            "-f",
            "csv",
            "-o",
            fifo.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = reader.join().unwrap();
    assert!(text.starts_with("source,copy,"), "{text}");
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn a_closed_pipe_is_not_an_error_in_any_format() {
    let c = Corpus::new();
    let text = wire(1).join("\n\n");
    let lines: Vec<String> = (0..400)
        .map(|i| record(&format!("d{i}"), None, &text))
        .collect();
    let feed = c.write("feed.jsonl", lines.join("\n") + "\n");
    for format in ["json", "csv", "table"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_reprint"))
            .args(["scan", feed.to_str().unwrap(), "-f", format])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 100];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // The pipe is closed here, as `| head -c 100` does.
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_ne!(out.status.code(), Some(2), "{format}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{format}: {stderr}");
    }
}

#[test]
fn the_format_follows_the_output_extension() {
    let c = Corpus::new();
    let s = samples();
    for (name, starts) in [
        ("r.csv", "source,copy,"),
        ("r.json", "{"),
        ("r.txt", "4 documents"),
    ] {
        let out = c.path().join(name);
        let run = reprint(
            &["scan", s.to_str().unwrap(), "-o", out.to_str().unwrap()],
            None,
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.starts_with(starts), "{name}: {text}");
    }
    // --format wins over the extension.
    let out = c.path().join("r2.csv");
    reprint(
        &[
            "scan",
            s.to_str().unwrap(),
            "-f",
            "json",
            "-o",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert!(std::fs::read_to_string(&out).unwrap().starts_with('{'));
}

#[test]
fn synth_writes_gzip_for_a_gz_name_and_scan_reads_it() {
    let c = Corpus::new();
    let out = c.path().join("feed.jsonl.gz");
    let run = reprint(&["synth", "-n", "30", "-o", out.to_str().unwrap()], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..2], &[0x1f, 0x8b], "not gzip");
    let run = reprint(&["scan", out.to_str().unwrap(), "-f", "json"], None);
    assert_ne!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.json()["documents"].as_array().unwrap().len(), 30);
}

/// Whether process `pid` holds a file open under `dir`.
#[cfg(target_os = "linux")]
fn holds_file_in(pid: u32, dir: &std::path::Path) -> bool {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return false;
    };
    fds.filter_map(|e| e.ok())
        .filter_map(|e| std::fs::read_link(e.path()).ok())
        .any(|target| target.starts_with(dir))
}

#[cfg(target_os = "linux")]
#[test]
fn a_run_killed_while_writing_leaves_no_file_behind() {
    // SIGKILL (and SIGINT, whose default action is the same) runs no
    // clean-up: the output must not have a name until it is complete.
    let c = Corpus::new();
    let dir = c.path().join("out");
    std::fs::create_dir(&dir).unwrap();
    let dir = dir.canonicalize().unwrap();
    let target = dir.join("feed.jsonl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_reprint"))
        .args(["synth", "-n", "2000000", "-o"])
        .arg(&target)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let started = std::time::Instant::now();
    while !holds_file_in(pid, &dir) {
        assert!(
            started.elapsed().as_secs() < 60,
            "synth never opened its output"
        );
        assert!(child.try_wait().unwrap().is_none(), "synth ended early");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

//! Where results go, without clobbering what an output names.
//!
//! - `-` (or no output) is standard output.
//! - Devices, FIFOs, sockets and anything under `/dev` or `/proc` are
//!   written in place: they are not files to replace.
//! - A regular file or a new path is written to a temporary file in the
//!   same directory (mode, and owner where permitted, of the file it
//!   replaces), synced and renamed over the target, so the target holds
//!   the old content or the new, never half of it. A symbolic link's
//!   target is replaced; the link stays. On Linux the temporary file has
//!   no name while it is written (`O_TMPFILE`): a run killed by a signal
//!   leaves nothing behind. It is linked under a temporary name only when
//!   complete and renamed over the target at once.
//! - A name ending in `.gz` is written gzip-compressed.
//!
//! [`check_outputs`] runs before any work: a directory, a missing parent
//! directory, an output that is also an input, or two outputs naming one
//! file stop the run at once.

use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use flate2::Compression;
use flate2::write::GzEncoder;

/// Whether `path` is standard output.
fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Whether `path` is written in place rather than replaced.
fn in_place(path: &Path) -> bool {
    path.starts_with("/dev") || path.starts_with("/proc") || {
        std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
    }
}

/// The file a path finally names: a symbolic link's target (resolved
/// relative to the link), otherwise the path itself.
fn resolve(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    match std::fs::read_link(path) {
        Ok(target) if target.is_relative() => path
            .parent()
            .map_or(target.clone(), |dir| dir.join(&target)),
        Ok(target) => target,
        Err(_) => path.to_path_buf(),
    }
}

/// A key that is equal for two paths naming the same file, existing or not.
fn identity(path: &Path) -> Option<(u64, u64, PathBuf)> {
    match std::fs::metadata(path) {
        Ok(m) => Some((m.dev(), m.ino(), PathBuf::new())),
        Err(_) => {
            let real = resolve(path);
            let parent = real.parent().filter(|p| !p.as_os_str().is_empty());
            let dir = parent.map_or(Ok(PathBuf::from(".")), std::fs::canonicalize);
            let dir = dir.ok()?;
            Some((0, 0, dir.join(real.file_name()?)))
        }
    }
}

/// Checks the outputs (`(option, path)`) before the run: each can be
/// written, none is a directory or an input, no two name one file.
pub fn check_outputs(outputs: &[(&str, &Path)], inputs: &[PathBuf]) -> Result<()> {
    let mut seen: Vec<(&str, &Path, (u64, u64, PathBuf))> = Vec::new();
    for &(option, path) in outputs {
        if is_stdout(path) || in_place(path) {
            continue;
        }
        if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
            bail!(
                "'{}' ({option}) is a directory; give a file name",
                path.display()
            );
        }
        let real = resolve(path);
        let parent = real
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if !parent.is_dir() {
            bail!(
                "cannot write '{}' ({option}): directory '{}' does not exist",
                path.display(),
                parent.display()
            );
        }
        let Some(id) = identity(path) else { continue };
        if let Some((other, _, _)) = seen.iter().find(|(_, _, x)| *x == id) {
            bail!(
                "{other} and {option} name the same file '{}'; give each output its own file",
                path.display()
            );
        }
        if id.0 != 0 || id.1 != 0 {
            for input in inputs {
                if identity(input).is_some_and(|i| i == id) {
                    bail!(
                        "'{}' ({option}) is also an input; write the output elsewhere",
                        path.display()
                    );
                }
            }
        }
        seen.push((option, path, id));
    }
    Ok(())
}

/// Where results go (see the module documentation).
pub struct Output {
    sink: Sink,
    /// The file being written and the target it replaces, until finished.
    pending: Option<Pending>,
}

/// A file being written that takes the target's name only when complete.
enum Pending {
    /// A file without a name (Linux `O_TMPFILE`): a killed run leaves
    /// nothing. `prefix` starts the temporary name it is linked under.
    Unnamed {
        file: File,
        dir: PathBuf,
        prefix: OsString,
        target: PathBuf,
    },
    /// A named temporary file, removed when dropped (other systems, and
    /// file systems without unnamed files).
    Named {
        tmp: tempfile::NamedTempFile,
        target: PathBuf,
    },
}

impl Pending {
    fn target(&self) -> &Path {
        match self {
            Pending::Unnamed { target, .. } | Pending::Named { target, .. } => target,
        }
    }

    fn file(&self) -> &File {
        match self {
            Pending::Unnamed { file, .. } => file,
            Pending::Named { tmp, .. } => tmp.as_file(),
        }
    }

    /// Moves the complete file into place.
    fn persist(self) -> std::io::Result<()> {
        match self {
            Pending::Named { tmp, target } => tmp.persist(target).map(drop).map_err(|e| e.error),
            Pending::Unnamed {
                file,
                dir,
                prefix,
                target,
            } => name_unnamed(&file, &dir, &prefix, &target),
        }
    }
}

/// A file without a name in `dir`, where the system offers one.
#[cfg(target_os = "linux")]
fn unnamed_in(dir: &Path) -> Option<File> {
    use rustix::fs::{Mode, OFlags};
    // Naming it later goes through /proc.
    if !Path::new("/proc/self/fd").is_dir() {
        return None;
    }
    rustix::fs::open(
        dir,
        OFlags::RDWR | OFlags::TMPFILE | OFlags::CLOEXEC,
        Mode::from_raw_mode(0o666),
    )
    .ok()
    .map(File::from)
}

#[cfg(not(target_os = "linux"))]
fn unnamed_in(_dir: &Path) -> Option<File> {
    None
}

/// Links the complete unnamed `file` into `dir` under a fresh temporary
/// name and renames that over `target`.
#[cfg(target_os = "linux")]
fn name_unnamed(file: &File, dir: &Path, prefix: &OsString, target: &Path) -> std::io::Result<()> {
    use rustix::fs::{AtFlags, CWD};
    use std::os::fd::AsRawFd;
    let fd_path = format!("/proc/self/fd/{}", file.as_raw_fd());
    for n in 0..1000u32 {
        let mut name = prefix.clone();
        name.push(format!("{}.{n}.tmp", std::process::id()));
        let tmp = dir.join(name);
        match rustix::fs::linkat(CWD, fd_path.as_str(), CWD, &tmp, AtFlags::SYMLINK_FOLLOW) {
            Ok(()) => {
                return std::fs::rename(&tmp, target).inspect_err(|_| {
                    let _ = std::fs::remove_file(&tmp);
                });
            }
            Err(rustix::io::Errno::EXIST) => continue,
            // /proc hidden or linking refused: the content is still in
            // the open file, so it is copied to a named one instead.
            Err(_) => return copy_to_named(file, dir, prefix, target),
        }
    }
    copy_to_named(file, dir, prefix, target)
}

/// Copies the complete unnamed `file` (open for reading too) to a named
/// temporary file in `dir`, with its mode and owner, and renames that
/// over `target`.
#[cfg(target_os = "linux")]
fn copy_to_named(file: &File, dir: &Path, prefix: &OsString, target: &Path) -> std::io::Result<()> {
    use std::io::{Seek, SeekFrom};
    let mut tmp = tempfile::Builder::new()
        .prefix(prefix)
        .suffix(".tmp")
        .tempfile_in(dir)?;
    let meta = file.metadata()?;
    tmp.as_file().set_permissions(meta.permissions())?;
    let _ = std::os::unix::fs::fchown(tmp.as_file(), Some(meta.uid()), Some(meta.gid()));
    let mut source = file;
    source.seek(SeekFrom::Start(0))?;
    std::io::copy(&mut source, tmp.as_file_mut())?;
    tmp.as_file().sync_all()?;
    tmp.persist(target).map(drop).map_err(|e| e.error)
}

#[cfg(not(target_os = "linux"))]
fn name_unnamed(_: &File, _: &Path, _: &OsString, _: &Path) -> std::io::Result<()> {
    unreachable!("unnamed files are made on Linux only")
}

enum Sink {
    Stdout(BufWriter<std::io::Stdout>),
    File(BufWriter<File>),
    Gzip(GzEncoder<BufWriter<File>>),
}

impl Output {
    /// Opens `path` (`None` or `-` is standard output).
    pub fn open(path: Option<&Path>) -> Result<Output> {
        let Some(path) = path.filter(|p| !is_stdout(p)) else {
            return Ok(Output {
                sink: Sink::Stdout(BufWriter::new(std::io::stdout())),
                pending: None,
            });
        };
        let gzip = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.to_ascii_lowercase().ends_with(".gz"));
        let wrap = |file: File| {
            let w = BufWriter::new(file);
            if gzip {
                Sink::Gzip(GzEncoder::new(w, Compression::default()))
            } else {
                Sink::File(w)
            }
        };
        if in_place(path) {
            let file = OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("cannot open '{}' for writing", path.display()))?;
            return Ok(Output {
                sink: wrap(file),
                pending: None,
            });
        }
        if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
            bail!("'{}' is a directory; give a file name", path.display());
        }
        let target = resolve(path);
        let dir = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = target
            .file_name()
            .with_context(|| format!("'{}' is not a file name", path.display()))?;
        let mut prefix = OsString::from(".");
        prefix.push(name);
        prefix.push(".");
        let pending = match unnamed_in(dir) {
            Some(file) => Pending::Unnamed {
                file,
                dir: dir.to_path_buf(),
                prefix,
                target,
            },
            None => {
                // A new file gets the usual mode (0666 less the umask),
                // not the temporary file's private 0600.
                let tmp = tempfile::Builder::new()
                    .prefix(&prefix)
                    .suffix(".tmp")
                    .permissions(std::fs::Permissions::from_mode(0o666))
                    .tempfile_in(dir)
                    .with_context(|| format!("cannot create a file in '{}'", dir.display()))?;
                Pending::Named { tmp, target }
            }
        };
        if let Ok(old) = std::fs::metadata(pending.target()) {
            // The replacement keeps the mode and, where permitted, the
            // owner of the file it replaces.
            let _ = pending.file().set_permissions(old.permissions());
            let _ = std::os::unix::fs::fchown(pending.file(), Some(old.uid()), Some(old.gid()));
        }
        let file = pending
            .file()
            .try_clone()
            .with_context(|| format!("cannot write '{}'", path.display()))?;
        Ok(Output {
            sink: wrap(file),
            pending: Some(pending),
        })
    }

    /// The writer.
    pub fn writer(&mut self) -> &mut dyn Write {
        match &mut self.sink {
            Sink::Stdout(w) => w,
            Sink::File(w) => w,
            Sink::Gzip(w) => w,
        }
    }

    /// Flushes and, for a replaced file, moves it into place.
    pub fn finish(mut self) -> Result<()> {
        let target = self
            .pending
            .as_ref()
            .map(|p| p.target().display().to_string());
        let context = || format!("cannot write '{}'", target.as_deref().unwrap_or("<stdout>"));
        let sink = std::mem::replace(
            &mut self.sink,
            Sink::Stdout(BufWriter::new(std::io::stdout())),
        );
        match sink {
            Sink::Stdout(mut w) => w.flush().with_context(context)?,
            Sink::File(mut w) => {
                w.flush().with_context(context)?;
                if self.pending.is_some() {
                    w.get_ref().sync_all().with_context(context)?;
                }
            }
            Sink::Gzip(w) => {
                let mut inner = w.finish().with_context(context)?;
                inner.flush().with_context(context)?;
                if self.pending.is_some() {
                    inner.get_ref().sync_all().with_context(context)?;
                }
            }
        }
        if let Some(pending) = self.pending.take() {
            let target = pending.target().to_path_buf();
            pending
                .persist()
                .with_context(|| format!("cannot replace '{}'", target.display()))?;
        }
        Ok(())
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn an_unnamed_file_that_cannot_be_linked_is_copied_into_place() {
        let dir = tempfile::tempdir().unwrap();
        let Some(mut file) = unnamed_in(dir.path()) else {
            return; // no O_TMPFILE on this file system: nothing to test
        };
        file.write_all(b"the whole report\n").unwrap();
        file.set_permissions(std::fs::Permissions::from_mode(0o640))
            .unwrap();
        let target = dir.path().join("report.json");
        copy_to_named(&file, dir.path(), &OsString::from(".report.json."), &target).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"the whole report\n");
        let mode = std::fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["report.json"]);
    }
}

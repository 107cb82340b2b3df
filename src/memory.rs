//! Handing freed memory back to the system between stages.
//!
//! The stages of a scan allocate millions of small vectors (shingle sets,
//! gram lists) and free them all at once; glibc's allocator keeps the freed
//! pages mapped, so the process's resident size stays at its high-water
//! mark while the next stage allocates afresh. [`release_free_memory`]
//! asks the allocator to return them.

/// Returns the allocator's free pages to the system (glibc's
/// `malloc_trim`); does nothing on other platforms.
pub(crate) fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: malloc_trim takes no pointers and only releases memory
        // the allocator holds free; it is safe to call at any time.
        unsafe {
            malloc_trim(0);
        }
    }
}

/// The process's resident memory in bytes (Linux: `/proc/self/statm`),
/// `None` where it cannot be read.
pub fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// The most resident memory the process has had so far in bytes (Linux:
/// `VmHWM` of `/proc/self/status`), `None` where it cannot be read.
pub fn peak_resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

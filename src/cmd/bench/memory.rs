//! Peak memory per measurement: the process high-water mark, reset before
//! each one so a figure is that measurement's own, not the largest so far.
//!
//! Why a reset and not a child process per size: the measurements return
//! rich results (reads, agreement, timings) to the table; the kernel's
//! `clear_refs` (Linux 4.0+) resets `VmHWM` to the current resident set,
//! and asking mimalloc first to return the memory it keeps for reuse
//! (`mi_collect`) makes that current set the process's base, not the
//! previous size's leftovers.

/// Peak resident set size of this process since the last [`reset_peak`]
/// (KiB), from /proc.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Returns freed memory to the kernel and resets the high-water mark.
/// Where the kernel refuses (not Linux), the mark keeps its old value and
/// figures are the largest so far, which only overstates them.
pub fn reset_peak() {
    // SAFETY: mi_collect only walks mimalloc's own free lists; it is
    // thread-safe and has no preconditions.
    unsafe { libmimalloc_sys::mi_collect(true) };
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

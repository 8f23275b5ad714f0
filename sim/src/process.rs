//! Running an external program with a time limit, as its own process group.
//!
//! Every external call memforge makes (Verilator, Yosys, Icarus, OpenSTA,
//! ngspice, nextpnr, a version banner) goes through [`run`]: the program
//! starts in a new process group, its output is collected on two threads,
//! and when the time limit passes the whole group is killed, so children it
//! started (a wrapper script's ngspice, make's compilers) are stopped too
//! and cannot keep the output pipes open. After a normal exit the group is
//! killed as well, for the same reason.

use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// What a finished (or stopped) run produced.
#[derive(Debug)]
pub struct Finished {
    /// `None` when the time limit stopped it.
    pub status: Option<ExitStatus>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// Wall-clock time from start to exit.
    pub wall: Duration,
    /// Peak resident set size (KiB), sampled from `/proc` while it ran.
    pub peak_rss_kib: Option<u64>,
}

impl Finished {
    /// Whether it exited with status 0 (not stopped, not killed).
    pub fn success(&self) -> bool {
        self.status.is_some_and(|s| s.success())
    }

    /// The exit code; 128 + signal when a signal ended it; `None` when the
    /// time limit stopped it.
    pub fn code(&self) -> Option<i32> {
        self.status
            .map(|s| s.code().unwrap_or_else(|| 128 + s.signal().unwrap_or(0)))
    }

    /// stdout then stderr, as text.
    pub fn text(&self) -> String {
        format!(
            "{}{}",
            String::from_utf8_lossy(&self.stdout),
            String::from_utf8_lossy(&self.stderr)
        )
    }
}

/// Runs `cmd` (stdin from /dev/null unless the caller set it) and waits at
/// most `timeout`. An error only when it cannot be started.
pub fn run(cmd: &mut Command, timeout: Duration) -> std::io::Result<Finished> {
    cmd.process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn()?;
    let pid = child.id();
    let pipe = |r: Option<Box<dyn Read + Send>>| {
        r.map(|mut r| {
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                let _ = r.read_to_end(&mut buf);
                buf
            })
        })
    };
    let out = pipe(child.stdout.take().map(|s| Box::new(s) as _));
    let err = pipe(child.stderr.take().map(|s| Box::new(s) as _));
    // A timeout too large for an Instant means no limit.
    let deadline = start.checked_add(timeout);
    let mut peak: Option<u64> = None;
    let mut poll = Duration::from_micros(200);
    let status = loop {
        if let Some(kib) = vm_hwm_kib(pid) {
            peak = Some(peak.map_or(kib, |p| p.max(kib)));
        }
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if deadline.is_some_and(|d| Instant::now() >= d) => {
                kill_group(pid);
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => {
                std::thread::sleep(poll);
                if start.elapsed() > Duration::from_millis(100) {
                    poll = Duration::from_millis(2);
                }
            }
            Err(e) => {
                kill_group(pid);
                let _ = child.kill();
                let _ = child.wait();
                return Err(e);
            }
        }
    };
    let wall = start.elapsed();
    // Children the program left behind would hold the pipes open.
    kill_group(pid);
    let join = |h: Option<std::thread::JoinHandle<Vec<u8>>>| {
        h.and_then(|h| h.join().ok()).unwrap_or_default()
    };
    Ok(Finished {
        status,
        stdout: join(out),
        stderr: join(err),
        wall,
        peak_rss_kib: peak,
    })
}

/// SIGKILL to every process of the group `pgid` (ignored when none is left).
fn kill_group(pgid: u32) {
    if let Ok(pgid) = libc::pid_t::try_from(pgid) {
        if pgid > 1 {
            // SAFETY: kill(2) with a negative pid signals a process group;
            // it touches no memory of ours.
            unsafe {
                libc::kill(-pgid, libc::SIGKILL);
            }
        }
    }
}

/// Peak resident set size of a live process (KiB), from /proc. (`wait4`'s
/// `ru_maxrss` would be wrong: Linux carries the parent's high-water mark
/// across the fork/exec, so a big memforge process would look like a big
/// child.)
fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The time limit for external tools: `MEMFORGE_TOOL_TIMEOUT` (seconds) when
/// set to a number, else `default`.
pub fn tool_timeout(default: Duration) -> Duration {
    std::env::var("MEMFORGE_TOOL_TIMEOUT")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map_or(default, Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_and_status_are_collected() {
        let f = run(
            Command::new("sh").args(["-c", "echo out; echo err >&2; exit 3"]),
            Duration::from_secs(20),
        )
        .unwrap();
        assert_eq!(f.code(), Some(3));
        assert_eq!(f.stdout, b"out\n");
        assert_eq!(f.stderr, b"err\n");
    }

    #[test]
    fn the_time_limit_kills_the_children_too() {
        let dir = tempfile_dir();
        let pidfile = dir.join("child.pid");
        let script = format!("sleep 60 & echo $! > {}; wait", pidfile.display());
        let start = Instant::now();
        let f = run(
            Command::new("sh").args(["-c", &script]),
            Duration::from_millis(500),
        )
        .unwrap();
        assert!(f.status.is_none(), "{f:?}");
        assert!(start.elapsed() < Duration::from_secs(10));
        let pid: i32 = std::fs::read_to_string(&pidfile)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        std::thread::sleep(Duration::from_millis(100));
        // SAFETY: signal 0 only checks that the process exists.
        let alive = unsafe { libc::kill(pid, 0) } == 0
            && !std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .unwrap_or_default()
                .contains(") Z ");
        assert!(!alive, "the child {pid} outlived the time limit");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_huge_time_limit_is_no_limit() {
        let f = run(&mut Command::new("true"), Duration::from_secs(u64::MAX)).unwrap();
        assert!(f.success());
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("mf-process-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}

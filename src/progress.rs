//! Progress bars for the commands that run long (sweeps, co-simulation,
//! synthesis, benchmarks): drawn
//! on stderr only when it is a terminal and the output is not `--json`, so
//! logs and machine-read output stay clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// A bar of `len` steps named `what`, hidden under `--json` or without a
/// terminal.
pub fn bar(len: u64, what: &str, json: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(len), target(json));
    let style = ProgressStyle::with_template(
        "{prefix} [{elapsed_precise}] {wide_bar} {pos}/{len} (eta {eta}) {msg}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_prefix(what.to_string());
    bar
}

fn target(json: bool) -> ProgressDrawTarget {
    if json || !std::io::stderr().is_terminal() {
        ProgressDrawTarget::hidden()
    } else {
        ProgressDrawTarget::stderr()
    }
}

/// Runs `work` (one long step whose length is unknown: a Verilator build, a
/// synthesis run) under a spinner named `what`, cleared when it returns.
pub fn busy<T>(what: &str, json: bool, work: impl FnOnce() -> T) -> T {
    let bar = spinner(what, json);
    let out = work();
    bar.finish_and_clear();
    out
}

/// A spinner for one long step whose length is unknown, hidden under
/// `--json` or without a terminal.
fn spinner(what: &str, json: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, target(json));
    let style = ProgressStyle::with_template("{spinner} {prefix} [{elapsed_precise}] {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    bar.set_prefix(what.to_string());
    if !bar.is_hidden() {
        bar.enable_steady_tick(Duration::from_millis(120));
    }
    bar
}

/// Runs `work` while `bar` follows `counter` (set by the work as it goes,
/// e.g. the cycle a co-simulation has reached), then clears the bar.
pub fn following<T>(bar: &ProgressBar, counter: &AtomicU64, work: impl FnOnce() -> T) -> T {
    if bar.is_hidden() {
        return work();
    }
    let done = AtomicBool::new(false);
    let out = std::thread::scope(|s| {
        s.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                bar.set_position(counter.load(Ordering::Relaxed));
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        let out = work();
        done.store(true, Ordering::Relaxed);
        out
    });
    bar.finish_and_clear();
    out
}

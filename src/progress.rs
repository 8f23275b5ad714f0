//! Progress bars for the commands that run long (sweeps, benchmarks): drawn
//! on stderr only when it is a terminal and the output is not `--json`, so
//! logs and machine-read output stay clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

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

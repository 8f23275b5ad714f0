//! What a command returns: a human summary and a machine-readable record, and
//! the error kinds that decide the exit code.

use serde_json::Value;

/// The result of a successful command.
pub struct Report {
    /// Printed without `--json`.
    pub human: String,
    /// Printed with `--json`.
    pub json: Value,
}

/// The input was wrong (bad config, bad argument): exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// A check ran and found a problem (lint warnings, mismatches): exit code 1.
#[derive(Debug, thiserror::Error)]
#[error("{summary}")]
pub struct CheckFailed {
    pub summary: String,
    /// Machine-readable details, printed with `--json`.
    pub details: Value,
}

/// Exit code for an error: 2 for bad input, 1 for everything else.
pub fn exit_code(err: &anyhow::Error) -> i32 {
    if err.downcast_ref::<UsageError>().is_some()
        || err.downcast_ref::<memforge_spec::ConfigError>().is_some()
    {
        2
    } else {
        1
    }
}

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

impl Report {
    /// A check's report: the JSON's `ok` says whether `failures` is empty;
    /// with failures the human summary goes to stderr and the command fails
    /// (exit 1) with them joined, the JSON as its details.
    pub fn verdict(human: String, mut json: Value, failures: &[String]) -> anyhow::Result<Report> {
        json["ok"] = Value::Bool(failures.is_empty());
        if failures.is_empty() {
            Ok(Report { human, json })
        } else {
            eprint!("{human}");
            Err(CheckFailed {
                summary: failures.join("; "),
                details: json,
            }
            .into())
        }
    }
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
    let bad_output = err
        .downcast_ref::<memforge_hdl::emit::WriteError>()
        .is_some_and(|e| e.is_bad_input());
    if bad_output
        || err.downcast_ref::<UsageError>().is_some()
        || err.downcast_ref::<crate::map::MapError>().is_some()
        || err.downcast_ref::<memforge_spec::ConfigError>().is_some()
        || err
            .downcast_ref::<memforge_sim::weights::WeightError>()
            .is_some()
    {
        2
    } else {
        1
    }
}

/// The error as one line, `context: cause: cause`, with a cause left out when
/// the message before it already says it (many error types print their
/// source in their own message, and `{:#}` would repeat it).
pub fn render(err: &anyhow::Error) -> String {
    let mut out = String::new();
    let mut last = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if !last.is_empty() && last.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
        last = text;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("{path}: {source}")]
    struct Io {
        path: String,
        #[source]
        source: std::io::Error,
    }

    #[test]
    fn an_io_cause_is_printed_once() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory");
        let err = anyhow::Error::new(Io {
            path: "out/rtl".into(),
            source: io,
        })
        .context("writing out");
        assert_eq!(format!("{err:#}").matches("No such file").count(), 2);
        assert_eq!(
            render(&err),
            "writing out: out/rtl: No such file or directory"
        );
    }
}

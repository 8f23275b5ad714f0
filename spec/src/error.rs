//! Errors a design description can have. Every message names the field path
//! (`tile.rows`), the offending value and what is allowed, on one line.

use std::fmt;

/// One validation problem: `path = value: rule`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub value: String,
    pub rule: String,
}

/// A value as an error message shows it: numbers short (`1e308`, not 309
/// digits), everything else as it displays.
pub trait Shown {
    fn shown(&self) -> String;
}

/// A float for a message: plain when short, in exponent form when very large
/// or very small (Rust's `Display` writes `1e308` out in full).
pub fn show_f64(v: f64) -> String {
    let a = v.abs();
    if v.is_finite() && a != 0.0 && !(1e-4..1e7).contains(&a) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

impl Shown for f64 {
    fn shown(&self) -> String {
        show_f64(*self)
    }
}

impl Shown for f32 {
    fn shown(&self) -> String {
        show_f64(f64::from(*self))
    }
}

macro_rules! shown_by_display {
    ($($t:ty),*) => {$(
        impl Shown for $t {
            fn shown(&self) -> String {
                self.to_string()
            }
        }
    )*};
}
shown_by_display!(u8, u16, u32, u64, usize, i32, i64, String, &str);

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}: {}", self.path, self.value, self.rule)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{file}: cannot read: {cause}")]
    Io {
        file: String,
        // Not a `source`: the message already says it, and `{:#}` would
        // print the cause a second time.
        cause: std::io::Error,
    },
    /// Larger than any design file could be (or not a regular file).
    #[error("{file}: {message}")]
    NotAFile { file: String, message: String },
    /// Not TOML, or not the schema (unknown field, wrong type).
    #[error("{file}:{line}:{col}: {path}: {message}")]
    Syntax {
        file: String,
        line: usize,
        col: usize,
        path: String,
        message: String,
    },
    /// Well-formed but out of range or inconsistent; all problems at once.
    #[error("{}", format_problems(file, problems))]
    Invalid {
        file: String,
        problems: Vec<Problem>,
    },
}

fn format_problems(file: &str, problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("{file}: {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl ConfigError {
    /// The problems of an `Invalid` error (empty for the other kinds).
    pub fn problems(&self) -> &[Problem] {
        match self {
            ConfigError::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }
}

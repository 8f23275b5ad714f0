//! Reading a design file: TOML syntax, schema (with the path of a bad field),
//! then semantic validation.

use crate::config::DesignConfig;
use crate::error::{ConfigError, Problem};
use crate::validate::validate;
use serde::de::DeserializeOwned;
use std::io::Read;
use std::path::Path;

/// The largest design file read (bytes). Real ones are a few KiB; the limit
/// keeps a wrong path (`/dev/zero`, a disk image) from being read forever.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// Reads, parses and validates a design file.
pub fn load_file(path: &Path) -> Result<DesignConfig, ConfigError> {
    let (file, text) = read_text(path)?;
    parse_str(&text, &file)
}

/// The text of the design file at `path` (and its name for messages),
/// refusing folders, files over [`MAX_CONFIG_BYTES`] and non-UTF-8 bytes.
pub fn read_text(path: &Path) -> Result<(String, String), ConfigError> {
    let file = path.display().to_string();
    let io = |cause| ConfigError::Io {
        file: file.clone(),
        cause,
    };
    let f = std::fs::File::open(path).map_err(io)?;
    if f.metadata().map_err(io)?.is_dir() {
        return Err(ConfigError::NotAFile {
            file,
            message: "is a directory, not a design file".into(),
        });
    }
    let mut bytes = Vec::new();
    f.take(MAX_CONFIG_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(ConfigError::NotAFile {
            file,
            message: format!(
                "larger than {} KiB; not a design file",
                MAX_CONFIG_BYTES / 1024
            ),
        });
    }
    let text = String::from_utf8(bytes).map_err(|e| ConfigError::NotAFile {
        file: file.clone(),
        message: format!(
            "not UTF-8 text (byte {}); not a design file",
            e.utf8_error().valid_up_to()
        ),
    })?;
    Ok((file, text))
}

/// Parses and validates design TOML; `file` is only used in messages.
pub fn parse_str(text: &str, file: &str) -> Result<DesignConfig, ConfigError> {
    parse_with(text, file, validate)
}

/// Reads, parses and validates the config file of any block family: `T`
/// is the family's schema, `check` its semantic validation.
pub fn load_with<T: DeserializeOwned>(
    path: &Path,
    check: impl Fn(&T) -> Vec<Problem>,
) -> Result<T, ConfigError> {
    let (file, text) = read_text(path)?;
    parse_with(&text, &file, check)
}

/// [`parse_str`] for any schema `T`: syntax and schema errors with file,
/// line, column and field path; then every problem `check` finds at once.
pub fn parse_with<T: DeserializeOwned>(
    text: &str,
    file: &str,
    check: impl Fn(&T) -> Vec<Problem>,
) -> Result<T, ConfigError> {
    let deserializer = toml::Deserializer::new(text);
    let config: T = serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let (line, col) = inner
            .span()
            .map(|span| line_col(text, span.start))
            .unwrap_or((1, 1));
        ConfigError::Syntax {
            file: file.to_string(),
            line,
            col,
            path: if path == "." {
                "(top level)".into()
            } else {
                path
            },
            message: shorten_numbers(inner.message().replace('\n', " ").trim()),
        }
    })?;
    let problems = check(&config);
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(ConfigError::Invalid {
            file: file.to_string(),
            problems,
        })
    }
}

/// `message` with every long run of digits (serde prints `1e308` as 309
/// digits) written as a short float.
fn shorten_numbers(message: &str) -> String {
    let mut out = String::new();
    let mut rest = message;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let len = tail
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(tail.len());
        let run = &tail[..len];
        match run.parse::<f64>() {
            Ok(v) if run.len() > 24 => out.push_str(&crate::error::show_f64(v)),
            _ => out.push_str(run),
        }
        rest = &tail[len..];
    }
    out.push_str(rest);
    out
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "[design]\nname = \"t\"\n[tile]\nrows = 4\ncols = 4\n";

    #[test]
    fn good_config_parses() {
        let cfg = parse_str(GOOD, "x.toml").unwrap();
        assert_eq!(cfg.tile.rows, 4);
        assert_eq!(cfg.design.name, "t");
    }

    #[test]
    fn unknown_field_names_its_path() {
        let err = parse_str("[design]\nname = \"t\"\n[tile]\ncolz = 4\n", "x.toml").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("tile.colz"), "{msg}");
        assert!(msg.contains("unknown field"), "{msg}");
        assert!(msg.starts_with("x.toml:4:"), "{msg}");
        assert_eq!(msg.lines().count(), 1);
    }

    #[test]
    fn malformed_toml_is_one_line_with_position() {
        let err = parse_str("[design\nname = 1", "x.toml").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("x.toml:1:"), "{msg}");
        assert_eq!(msg.lines().count(), 1);
    }

    #[test]
    fn wrong_type_names_its_path() {
        let err =
            parse_str("[design]\nname = \"t\"\n[tile]\nrows = \"x\"\n", "x.toml").unwrap_err();
        assert!(err.to_string().contains("tile.rows"), "{err}");
    }

    #[test]
    fn type_errors_print_huge_floats_short() {
        let err = parse_str(
            "[design]\nname = \"t\"\n[flow]\ndie_area_um = 1e308\n",
            "x.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("floating point `1e308`"), "{err}");
        assert!(err.len() < 200, "{err}");
        assert_eq!(shorten_numbers("at 12.5 and 3"), "at 12.5 and 3");
    }

    #[test]
    fn endless_and_binary_files_are_refused() {
        let err = load_file(Path::new("/dev/zero")).unwrap_err().to_string();
        assert_eq!(err, "/dev/zero: larger than 1024 KiB; not a design file");
        let err = load_file(Path::new("/")).unwrap_err().to_string();
        assert!(err.contains("is a directory"), "{err}");
    }

    #[test]
    fn io_errors_say_their_cause_once() {
        let err = load_file(Path::new("/nonexistent/x.toml")).unwrap_err();
        assert!(std::error::Error::source(&err).is_none());
        let msg = err.to_string();
        assert_eq!(msg.matches("No such file").count(), 1, "{msg}");
    }

    #[test]
    fn out_of_range_value_names_field_value_and_range() {
        let err = parse_str("[design]\nname = \"t\"\n[tile]\nrows = 0\n", "x.toml").unwrap_err();
        assert_eq!(err.to_string(), "x.toml: tile.rows = 0: must be 1..=256");
    }
}

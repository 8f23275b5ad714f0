//! Reading a design file: TOML syntax, schema (with the path of a bad field),
//! then semantic validation.

use crate::config::DesignConfig;
use crate::error::{ConfigError, Problem};
use crate::validate::validate;
use serde::de::DeserializeOwned;
use std::path::Path;

/// Reads, parses and validates a design file.
pub fn load_file(path: &Path) -> Result<DesignConfig, ConfigError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
        file: file.clone(),
        source,
    })?;
    parse_str(&text, &file)
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
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
        file: file.clone(),
        source,
    })?;
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
            message: inner.message().replace('\n', " ").trim().to_string(),
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
    fn out_of_range_value_names_field_value_and_range() {
        let err = parse_str("[design]\nname = \"t\"\n[tile]\nrows = 0\n", "x.toml").unwrap_err();
        assert_eq!(err.to_string(), "x.toml: tile.rows = 0: must be 1..=256");
    }
}

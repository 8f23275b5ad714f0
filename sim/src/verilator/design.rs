//! What the bridge needs to know about a design: its top module, its RTL
//! files and its top-level ports (the clock included). It reads a generated
//! design directory through its filelist only, so this crate does not depend
//! on the emitter.

use super::error::VerilatorError;
use crate::cycle::PortSpec;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RtlDesign {
    /// Name of the top module.
    pub top: String,
    /// Verilog files, absolute, in filelist order.
    pub files: Vec<PathBuf>,
    /// Every top-level port in declaration order, the clock included.
    pub ports: Vec<PortSpec>,
}

impl RtlDesign {
    /// Reads `<dir>/<top>.f` (paths relative to `dir`, one a line, `//` and
    /// `#` comments allowed) and checks the ports can be bridged.
    pub fn from_dir(dir: &Path, top: &str, ports: Vec<PortSpec>) -> Result<Self, VerilatorError> {
        let list = dir.join(format!("{top}.f"));
        let text = std::fs::read_to_string(&list).map_err(VerilatorError::io(&list))?;
        let root = dir.canonicalize().map_err(VerilatorError::io(dir))?;
        let files: Vec<PathBuf> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("//") && !l.starts_with('#'))
            .map(|l| root.join(l))
            .collect();
        let design = RtlDesign {
            top: top.to_string(),
            files,
            ports,
        };
        design.check()?;
        Ok(design)
    }

    /// Refuses what the shim cannot address: no files, missing files, port
    /// names Verilator would mangle in C++, zero widths, duplicates.
    pub fn check(&self) -> Result<(), VerilatorError> {
        let design = |why: String| VerilatorError::Design {
            top: self.top.clone(),
            why,
        };
        if !is_plain_identifier(&self.top) {
            return Err(design(
                "the top module name must be a plain C identifier".into(),
            ));
        }
        if self.files.is_empty() {
            return Err(design("the filelist names no RTL files".into()));
        }
        if let Some(missing) = self.files.iter().find(|f| !f.is_file()) {
            return Err(design(format!(
                "{} is listed but missing",
                missing.display()
            )));
        }
        if self.ports.is_empty() {
            return Err(design("no ports".into()));
        }
        for (i, p) in self.ports.iter().enumerate() {
            let port = |why: &str| VerilatorError::Port {
                top: self.top.clone(),
                port: p.name.clone(),
                why: why.to_string(),
            };
            if !is_verilog_identifier(&p.name) {
                return Err(port("name is not a simple Verilog identifier"));
            }
            if p.width == 0 {
                return Err(port("zero width"));
            }
            if self.ports[..i].iter().any(|q| q.name == p.name) {
                return Err(port("declared twice"));
            }
        }
        Ok(())
    }

    pub fn port_index(&self, name: &str) -> Option<usize> {
        self.ports.iter().position(|p| p.name == name)
    }
}

/// `[A-Za-z_][A-Za-z0-9_$]*`: a simple Verilog identifier (the shim spells
/// it as Verilator encodes it in C++).
fn is_verilog_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// `[A-Za-z][A-Za-z0-9_]*` without `__`: a name Verilator keeps as-is in
/// C++, as the model's class name must be.
fn is_plain_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.contains("__")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_verilator_mangles_are_refused() {
        assert!(is_plain_identifier("wbs_stb_i"));
        assert!(!is_plain_identifier("a__b"));
        assert!(!is_plain_identifier("_x"));
        assert!(!is_plain_identifier("9x"));
        assert!(!is_plain_identifier(""));
        assert!(is_verilog_identifier("xbar_adc_code__0"));
        assert!(!is_verilog_identifier("a b"));
    }

    #[test]
    fn missing_filelist_is_an_error() {
        let err = RtlDesign::from_dir(Path::new("/nonexistent"), "top", vec![]).unwrap_err();
        assert!(err.to_string().contains("top.f"), "{err}");
    }
}

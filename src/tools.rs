//! Every external tool memforge runs is found, version-checked and described
//! here, and nowhere else. A missing tool is an error that says how to
//! install it.

use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use std::process::Command;

/// An external program memforge drives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    Verilator,
    Yosys,
    Iverilog,
    Ngspice,
    OpenSta,
    NextpnrIce40,
    Icepack,
    /// OpenLane 2 (optional: only `memforge flow openlane` runs it).
    OpenLane,
    /// LibreLane 3, OpenLane's successor (optional, like `OpenLane`).
    LibreLane,
}

/// A located tool: where it is and what version it reported.
#[derive(Clone, Debug)]
pub struct Found {
    pub tool: Tool,
    pub path: PathBuf,
    pub version: String,
}

impl Tool {
    pub const ALL: [Tool; 7] = [
        Tool::Verilator,
        Tool::Yosys,
        Tool::Iverilog,
        Tool::Ngspice,
        Tool::OpenSta,
        Tool::NextpnrIce40,
        Tool::Icepack,
    ];

    /// The executable's name on PATH.
    pub fn program(self) -> &'static str {
        match self {
            Tool::Verilator => "verilator",
            Tool::Yosys => "yosys",
            Tool::Iverilog => "iverilog",
            Tool::Ngspice => "ngspice",
            Tool::OpenSta => "sta",
            Tool::NextpnrIce40 => "nextpnr-ice40",
            Tool::Icepack => "icepack",
            Tool::OpenLane => "openlane",
            Tool::LibreLane => "librelane",
        }
    }

    /// The environment variable that overrides the executable's location.
    pub fn env_override(self) -> &'static str {
        match self {
            Tool::Verilator => "MEMFORGE_VERILATOR",
            Tool::Yosys => "MEMFORGE_YOSYS",
            Tool::Iverilog => "MEMFORGE_IVERILOG",
            Tool::Ngspice => "MEMFORGE_NGSPICE",
            Tool::OpenSta => "MEMFORGE_STA",
            Tool::NextpnrIce40 => "MEMFORGE_NEXTPNR_ICE40",
            Tool::Icepack => "MEMFORGE_ICEPACK",
            Tool::OpenLane => "MEMFORGE_OPENLANE",
            Tool::LibreLane => "MEMFORGE_LIBRELANE",
        }
    }

    /// The Debian/Ubuntu package that provides it.
    pub fn debian_package(self) -> &'static str {
        match self {
            Tool::Verilator => "verilator",
            Tool::Yosys => "yosys",
            Tool::Iverilog => "iverilog",
            Tool::Ngspice => "ngspice",
            Tool::OpenSta => "opensta",
            Tool::NextpnrIce40 => "nextpnr-ice40",
            Tool::Icepack => "fpga-icestorm",
            // Not packaged by Debian; see `install_hint`.
            Tool::OpenLane => "openlane",
            Tool::LibreLane => "librelane",
        }
    }

    /// Arguments that make the tool print its version and exit, plus whether
    /// the version is read from stdin-driven interaction (OpenSTA).
    fn version_args(self) -> &'static [&'static str] {
        match self {
            Tool::Verilator => &["--version"],
            Tool::Yosys => &["-V"],
            Tool::Iverilog => &["-V"],
            Tool::Ngspice => &["--version"],
            Tool::OpenSta => &["-version"],
            Tool::NextpnrIce40 => &["--version"],
            Tool::Icepack => &["-h"],
            Tool::OpenLane | Tool::LibreLane => &["--version"],
        }
    }

    /// Oldest version known to work (major, minor), where it matters.
    fn minimum(self) -> Option<(u32, u32)> {
        match self {
            Tool::Verilator => Some((5, 0)),
            Tool::Yosys => Some((0, 20)),
            Tool::Iverilog => Some((11, 0)),
            Tool::Ngspice => Some((36, 0)),
            _ => None,
        }
    }

    /// The exact line that installs it.
    pub fn install_hint(self) -> String {
        if matches!(self, Tool::OpenLane | Tool::LibreLane) {
            return format!(
                "install it with `python3 -m pip install {}` (or its Nix/Docker distribution), or point {} at the executable",
                self.program(),
                self.env_override()
            );
        }
        format!(
            "install it with `sudo apt-get install -y {}` (or run `./dev setup`), or point {} at the executable",
            self.debian_package(),
            self.env_override()
        )
    }
}

/// Finds `tool` (the `MEMFORGE_*` override first, then PATH) and checks its
/// version.
pub fn find(tool: Tool) -> Result<Found> {
    let path = match std::env::var_os(tool.env_override()) {
        Some(p) => PathBuf::from(p),
        None => which(tool.program()).with_context(|| {
            format!(
                "{} was not found on PATH; {}",
                tool.program(),
                tool.install_hint()
            )
        })?,
    };
    let output = Command::new(&path)
        .args(tool.version_args())
        .stdin(std::process::Stdio::null())
        .output()
        .with_context(|| format!("cannot run {}; {}", path.display(), tool.install_hint()))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let version = text
        .lines()
        .find(|l| l.chars().any(|c| c.is_ascii_digit()))
        .unwrap_or("")
        .trim()
        .to_string();
    if let (Some(min), Some(have)) = (tool.minimum(), parse_version(&version)) {
        if have < min {
            bail!(
                "{} {} is too old (need >= {}.{}); {}",
                tool.program(),
                version,
                min.0,
                min.1,
                tool.install_hint()
            );
        }
    }
    Ok(Found {
        tool,
        path,
        version,
    })
}

/// First `major.minor` in a version banner.
pub fn parse_version(banner: &str) -> Option<(u32, u32)> {
    let start = banner.find(|c: char| c.is_ascii_digit())?;
    let rest = &banner[start..];
    let mut parts = rest.split(|c: char| !c.is_ascii_digit());
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
    Some((major, minor))
}

fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse() {
        assert_eq!(
            parse_version("Verilator 5.006 2023-01-22 rev"),
            Some((5, 6))
        );
        assert_eq!(
            parse_version("Yosys 0.23 (git sha1 7ce5011c24b)"),
            Some((0, 23))
        );
        assert_eq!(parse_version("ngspice-39 : Circuit level"), Some((39, 0)));
        assert_eq!(parse_version("no digits"), None);
    }

    #[test]
    fn missing_tool_says_how_to_install() {
        std::env::set_var("MEMFORGE_ICEPACK", "/nonexistent/icepack");
        let err = find(Tool::Icepack).unwrap_err();
        std::env::remove_var("MEMFORGE_ICEPACK");
        assert!(format!("{err:#}").contains("/nonexistent/icepack"));
    }
}

//! Every external tool memforge runs is found, version-checked and described
//! here, and nowhere else. A missing tool is an error that says how to
//! install it.

use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

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

/// How long a version banner may take (also capped by
/// `MEMFORGE_TOOL_TIMEOUT`).
const VERSION_TIMEOUT: Duration = Duration::from_secs(20);

/// Default time limit of a lint or synthesis run; `MEMFORGE_TOOL_TIMEOUT`
/// (seconds) overrides it.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(3600);

/// The time limit of a tool run: `MEMFORGE_TOOL_TIMEOUT` or `default`.
pub fn run_timeout(default: Duration) -> Duration {
    memforge_sim::process::tool_timeout(default)
}

impl Tool {
    /// The line of `--version` output that proves the program is this tool
    /// (and carries its version); `None` when no line does.
    fn banner_line(self, text: &str) -> Option<String> {
        let lines = text.lines().map(str::trim);
        let mut lines = lines.filter(|l| !l.is_empty());
        let line = match self {
            Tool::Verilator => lines.find(|l| l.starts_with("Verilator ")),
            Tool::Yosys => lines.find(|l| l.starts_with("Yosys ")),
            Tool::Iverilog => lines.find(|l| l.contains("Icarus Verilog")),
            Tool::Ngspice => lines.find(|l| l.contains("ngspice")),
            // OpenSTA prints only its version: `2.0.17`.
            Tool::OpenSta => lines.find(|l| {
                let first = l.split_whitespace().next().unwrap_or("");
                first.contains('.')
                    && first
                        .split('.')
                        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
            }),
            Tool::NextpnrIce40 => lines.find(|l| l.contains("nextpnr-ice40")),
            Tool::Icepack => lines.find(|l| l.contains("icepack")),
            Tool::OpenLane => lines.find(|l| l.to_ascii_lowercase().contains("openlane")),
            Tool::LibreLane => lines.find(|l| l.to_ascii_lowercase().contains("librelane")),
        }?;
        Some(line.to_string())
    }
}

/// Finds `tool` (the `MEMFORGE_*` override first, then PATH) and checks that
/// it is the tool (its version banner says so, within a time limit) and new
/// enough.
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
    let limit = run_timeout(VERSION_TIMEOUT).min(VERSION_TIMEOUT);
    let output =
        memforge_sim::process::run(Command::new(&path).args(tool.version_args()), limit)
            .with_context(|| format!("cannot run {}; {}", path.display(), tool.install_hint()))?;
    if output.status.is_none() {
        bail!(
            "{} did not answer `{}` within {} s; {}",
            path.display(),
            tool.version_args().join(" "),
            limit.as_secs(),
            tool.install_hint()
        );
    }
    let text = output.text();
    let Some(version) = tool.banner_line(&text) else {
        let said = text.lines().map(str::trim).find(|l| !l.is_empty());
        bail!(
            "{} is not {}: `{} {}` printed {}; {}",
            path.display(),
            tool.program(),
            path.display(),
            tool.version_args().join(" "),
            said.map_or("nothing".to_string(), |l| format!("`{l}`")),
            tool.install_hint()
        );
    };
    let version = if version.chars().any(|c| c.is_ascii_digit()) {
        version
    } else {
        "(prints no version)".to_string()
    };
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
    fn banners_identify_their_tool() {
        assert!(Tool::Verilator
            .banner_line("Verilator 5.006 2023-01-22 rev (Debian 5.006-3)\n")
            .is_some());
        assert!(Tool::Verilator.banner_line("").is_none());
        assert!(Tool::Verilator.banner_line("Yosys 0.23\n").is_none());
        assert!(Tool::OpenSta.banner_line("2.0.17\n").is_some());
        assert!(Tool::OpenSta.banner_line("hello 2.0\n").is_none());
        assert_eq!(
            Tool::Ngspice
                .banner_line("******\n** ngspice-39 : Circuit level simulation program\n")
                .as_deref(),
            Some("** ngspice-39 : Circuit level simulation program")
        );
    }

    #[test]
    fn missing_tool_says_how_to_install() {
        std::env::set_var("MEMFORGE_ICEPACK", "/nonexistent/icepack");
        let err = find(Tool::Icepack).unwrap_err();
        std::env::remove_var("MEMFORGE_ICEPACK");
        assert!(format!("{err:#}").contains("/nonexistent/icepack"));
    }
}

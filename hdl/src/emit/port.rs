//! The top-level ports of an emitted design, as read back from the Verilog:
//! what constraint templates, pin-order files and the Verilator bridge need.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PortDir {
    Input,
    Output,
}

/// One port of the design's top module.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Port {
    pub name: String,
    pub dir: PortDir,
    /// Width in bits (1 for a scalar).
    pub width: u32,
}

/// Reads the port list of a module from its declarations.
pub fn top_ports(module_text: &str) -> Vec<Port> {
    let re = regex::Regex::new(
        r"(?m)^\s*(input|output)\s+(?:wire|reg)\s+(?:signed\s+)?(?:\[(\d+):0\]\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*;",
    )
    .expect("static regex");
    re.captures_iter(module_text)
        .map(|c| Port {
            name: c[3].to_string(),
            dir: if &c[1] == "input" {
                PortDir::Input
            } else {
                PortDir::Output
            },
            width: c
                .get(2)
                .map_or(1, |w| w.as_str().parse::<u32>().unwrap_or(0) + 1),
        })
        .collect()
}

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

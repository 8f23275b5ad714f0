//! A small structural Verilog writer: a module of port declarations,
//! wires, continuous assignments and instances, written as text in one
//! pass. The array top is thousands of instances of a handful of modules;
//! writing it directly (rather than emitting each instance through
//! rust-hdl) is what keeps a 16x16 array's generation under a second.

use memforge_spec::{Dir, PortContract};
use std::fmt::Write;

/// One module being written.
pub struct Netlist {
    name: String,
    ports: Vec<(String, Dir, u32)>,
    body: String,
}

/// `[w-1:0] ` for a vector, nothing for a scalar.
pub fn range(width: u32) -> String {
    if width > 1 {
        format!("[{}:0] ", width - 1)
    } else {
        String::new()
    }
}

impl Netlist {
    /// A module with the ports of `contract`, in its order.
    pub fn new(name: &str, contract: &PortContract) -> Self {
        Self {
            name: name.to_string(),
            ports: contract
                .ports
                .iter()
                .map(|p| (p.name.clone(), p.dir, p.width))
                .collect(),
            body: String::new(),
        }
    }

    /// A comment line (`// text`).
    pub fn comment(&mut self, text: &str) {
        let _ = writeln!(self.body, "\n    // {text}");
    }

    /// Declares a wire.
    pub fn wire(&mut self, name: &str, width: u32) {
        let _ = writeln!(self.body, "    wire {}{name};", range(width));
    }

    /// `assign lhs = rhs;`
    pub fn assign(&mut self, lhs: &str, rhs: &str) {
        let _ = writeln!(self.body, "    assign {lhs} = {rhs};");
    }

    /// Raw lines (already indented), e.g. a targeted lint comment.
    pub fn raw(&mut self, text: &str) {
        self.body.push_str(text);
    }

    /// An instance of `module` (with parameter overrides `params`) called
    /// `name`, its ports connected as (port, expression).
    pub fn instance(
        &mut self,
        module: &str,
        params: &[(&str, String)],
        name: &str,
        conns: &[(&str, String)],
    ) {
        self.body.push_str("    ");
        self.body.push_str(module);
        if !params.is_empty() {
            self.body.push_str(" #(");
            for (k, (p, v)) in params.iter().enumerate() {
                let sep = if k + 1 < params.len() { ", " } else { "" };
                let _ = write!(self.body, ".{p}({v}){sep}");
            }
            self.body.push(')');
        }
        let _ = writeln!(self.body, " {name} (");
        for (k, (p, e)) in conns.iter().enumerate() {
            let sep = if k + 1 < conns.len() { "," } else { "" };
            let _ = writeln!(self.body, "        .{p}({e}){sep}");
        }
        self.body.push_str("    );\n");
    }

    /// The module's text.
    pub fn finish(self) -> String {
        let names: Vec<&str> = self.ports.iter().map(|p| p.0.as_str()).collect();
        let mut out = String::with_capacity(self.body.len() + 64 * names.len());
        let _ = writeln!(out, "module {}({});\n", self.name, names.join(","));
        for (n, d, w) in &self.ports {
            let d = match d {
                Dir::In => "input",
                Dir::Out => "output",
            };
            let _ = writeln!(out, "    {d} wire {}{n};", range(*w));
        }
        out.push_str(&self.body);
        let _ = writeln!(out, "\nendmodule // {}", self.name);
        out
    }
}

//! The iCE40 wrapper of a tile with more I/O bits than the FPGA has pins:
//! the crossbar-macro ports (`xbar_*`, which have no pins on an FPGA anyway)
//! move behind a scan-in shift register and a scan-out XOR reduction, so the
//! rest of the tile keeps real pins and none of its logic is optimised away.

use super::constraints::port_of;
use memforge_hdl::emit::{Port, PortDir};
use memforge_spec::{PortContract, Role};
use minijinja::{context, Value};

/// Pins of the wrapper that stand in for the macro interface.
pub const SCAN_IN: &str = "xbar_scan_in";
pub const SCAN_OUT: &str = "xbar_scan_out";

/// The wrapper's ports and its template context, or `None` if the design
/// has no macro port to take off the pins.
pub fn wrap(
    design: &str,
    contract: &PortContract,
    clock: &str,
    device: &str,
    package: &str,
) -> Option<(Vec<Port>, Value)> {
    let ports: Vec<Port> = contract.ports.iter().map(port_of).collect();
    let macros: Vec<&str> = contract
        .ports
        .iter()
        .filter(|p| p.role == Role::Macro)
        .map(|p| p.name.as_str())
        .collect();
    let is_macro = |p: &&Port| macros.contains(&p.name.as_str());
    let macro_in: Vec<&Port> = ports
        .iter()
        .filter(is_macro)
        .filter(|p| p.dir == PortDir::Input)
        .collect();
    let macro_out: Vec<&Port> = ports
        .iter()
        .filter(is_macro)
        .filter(|p| p.dir == PortDir::Output)
        .collect();
    if macro_in.is_empty() && macro_out.is_empty() {
        return None;
    }
    let mut pins: Vec<Port> = ports.iter().filter(|p| !is_macro(p)).cloned().collect();
    pins.push(Port {
        name: SCAN_IN.into(),
        dir: PortDir::Input,
        width: 1,
    });
    pins.push(Port {
        name: SCAN_OUT.into(),
        dir: PortDir::Output,
        width: 1,
    });
    let range = |w: u32| {
        if w > 1 {
            format!("[{}:0] ", w - 1)
        } else {
            String::new()
        }
    };
    let in_bits: u32 = macro_in.iter().map(|p| p.width).sum();
    let mut lo = 0;
    let inputs: Vec<Value> = macro_in
        .iter()
        .map(|p| {
            let v =
                context! { name => p.name, range => range(p.width), lo, hi => lo + p.width - 1 };
            lo += p.width;
            v
        })
        .collect();
    let outputs: Vec<Value> = macro_out
        .iter()
        .map(|p| context! { name => p.name, range => range(p.width) })
        .collect();
    let chain_next = if in_bits > 1 {
        format!("{{xbar_chain[{}:0], {SCAN_IN}}}", in_bits - 2)
    } else {
        SCAN_IN.to_string()
    };
    let scan_out_next = if macro_out.is_empty() {
        "1'b0".to_string()
    } else {
        let names: Vec<&str> = macro_out.iter().map(|p| p.name.as_str()).collect();
        format!("^{{{}}}", names.join(", "))
    };
    let dir = |d: PortDir| {
        if d == PortDir::Input {
            "input"
        } else {
            "output"
        }
    };
    let pin_ctx: Vec<Value> = pins
        .iter()
        .map(|p| context! { name => p.name, dir => dir(p.dir), range => range(p.width) })
        .collect();
    let ctx = context! {
        design, device, package, clock,
        pins => pin_ctx, inputs, outputs, in_bits, out_bits => macro_out.iter().map(|p| p.width).sum::<u32>(),
        wrapper_flops => in_bits + 1,
        chain_next, scan_out_next,
        connections => ports.iter().map(|p| p.name.clone()).collect::<Vec<_>>(),
    };
    Some((pins, ctx))
}

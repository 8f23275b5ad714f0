//! The design's integrated clock gate module (`<design>_icg`), written when
//! a [`crate::gated_reg::GatedReg`] instantiates it.
//!
//! For simulation (Verilator, Icarus) it is the cell's behaviour: a latch
//! transparent while `clk` is low, so `gate` is sampled before the rising
//! edge and held while the clock is high, and `gclk = clk & latched`, which
//! cannot glitch. For synthesis (Yosys defines `SYNTHESIS`, OpenLane's
//! Yosys too) it is sky130's `dlclkp` cell, which static timing analysis
//! times as a clock gate (setup and hold of `GATE` against `CLK`). This
//! latch is the only one the generator writes; Yosys never sees it.

/// Module name a gated register's body uses; the emitter renames it to
/// `<design>_icg` (a name rust-hdl's output cannot contain: no `$`, no
/// `top`).
pub const PLACEHOLDER: &str = "memforge_icg";

/// The sky130 cell the gate maps to.
pub const CELL: &str = "sky130_fd_sc_hd__dlclkp_1";

/// The module's Verilog, named `name`.
pub fn module_text(name: &str) -> String {
    format!(
        "module {name}(clk,gate,gclk);

    // Module arguments
    input wire  clk;
    input wire  gate;
    output wire  gclk;

`ifdef SYNTHESIS
    // Latch and AND in one cell, timed as a clock gate.
    {CELL} cell(.CLK(clk), .GATE(gate), .GCLK(gclk));
`else
    // The cell's behaviour: `gate` passes while `clk` is low and is held
    // while it is high.
    reg  gate_l;
    /* verilator lint_off LATCH */
    always @(clk or gate) begin
        if (!clk) gate_l = gate;
    end
    /* verilator lint_on LATCH */
    assign gclk = clk & gate_l;
`endif

endmodule // {name}
"
    )
}

/// A blackbox of [`CELL`] for Yosys runs without the sky130 liberty (the
/// lint gate, generic synthesis): `read_verilog -lib` it.
pub fn cell_stub() -> String {
    format!("module {CELL}(CLK, GATE, GCLK);\n    input CLK;\n    input GATE;\n    output GCLK;\nendmodule\n")
}

/// Renames the placeholder in every module to `<design>_icg` and appends
/// that module when any instance uses it; `None` if the name is taken.
pub fn add_module(
    modules: Vec<super::parse::Module>,
    design: &str,
) -> Option<Vec<super::parse::Module>> {
    if !modules.iter().any(|m| m.text.contains(PLACEHOLDER)) {
        return Some(modules);
    }
    let name = format!("{design}_icg");
    if modules.iter().any(|m| m.name == name) {
        return None;
    }
    let mut out: Vec<super::parse::Module> = modules
        .into_iter()
        .map(|m| super::parse::Module {
            text: m.text.replace(PLACEHOLDER, &name),
            name: m.name,
        })
        .collect();
    out.push(super::parse::Module {
        text: module_text(&name),
        name,
    });
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Some(out)
}

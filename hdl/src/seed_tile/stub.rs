//! The blackbox stub of a variant tile's analog macro (`macro/<design>_xbar.v`,
//! ports only): the MIF layer (synapse crossbar and threshold-switching
//! neurons, one comparator per column) or the PNN columns (with their reset
//! switches). Written from the same config as the periphery, so its ports
//! always match the periphery's `xbar_*` ports.

use memforge_spec::seed::tile::{pulse_port, reset_port, spike_port};
use memforge_spec::{DesignConfig, NeuronKind};

/// The stub's Verilog.
pub fn stub(cfg: &DesignConfig) -> String {
    let (rows, cols) = (cfg.tile.rows, cfg.tile.cols);
    let pnn = cfg.neuron.kind == NeuronKind::Pnn;
    let mut names = vec!["clk".to_string()];
    let mut decls = vec![
        "    // Samples the comparators at the rising edge (they are synchronous outputs)."
            .to_string(),
        "    input  wire clk;".to_string(),
    ];
    for i in 0..rows {
        names.push(pulse_port(i));
        decls.push(format!("    input  wire {};", pulse_port(i)));
    }
    if pnn {
        for j in 0..cols {
            names.push(reset_port(j));
            decls.push(format!("    input  wire {};", reset_port(j)));
        }
    }
    for j in 0..cols {
        names.push(spike_port(j));
        decls.push(format!("    output wire {};", spike_port(j)));
    }
    let what = if pnn {
        "charge-domain PNN columns (membrane, reversal-rail synapses, comparator, reset switch)"
    } else {
        "memristive integrate-and-fire layer (RRAM synapses, threshold-switching neurons, spike comparators)"
    };
    format!(
        "// Analog macro of `{d}`: {what}, {rows} rows x {cols} columns.\n\
         // Blackbox: ports only (docs/seed_circuits.md, \"Tile variants\").\n\
         (* blackbox *)\n\
         module {d}_xbar ({list});\n{decls}\nendmodule\n",
        d = cfg.design.name,
        list = names.join(", "),
        decls = decls.join("\n"),
    )
}

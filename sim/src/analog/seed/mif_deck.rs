//! The MIF layer as an ngspice deck from the same config and seeded layer
//! (B sources and state capacitors, no Verilog-A):
//!
//! - input `i`: a 0..1 V PWL pulse source `s<i>` (`edge_ns` ramps), the
//!   pulse driver's on/off;
//! - neuron `j`: membrane capacitor `cm<j>` (`uic`, from 0 V), leak resistor,
//!   one `B` current source summing the column's synapses,
//!   `sum_i v(s<i>) G_ij (v_in - V)`; the TS device a `B` source
//!   `V(m,o) (x / R_on + (1 - x) / R_off)` from the membrane to the load
//!   node `o<j>`, the load resistor to ground; its state `x` the voltage of
//!   a 1 nF capacitor charged by a `B` source equal to `C dx/dt`.

use super::mif::{t_stop, MifLayer};
use memforge_spec::seed::mif::MifSection;
use std::fmt::Write;

/// Capacitance of a device state node (F), as for the VTEAM decks.
pub const STATE_CAP: f64 = 1e-9;

/// The membrane vector of neuron `j`.
pub fn membrane_vector(j: usize) -> String {
    format!("v(m{j})")
}

/// The load (spike output) vector of neuron `j`.
pub fn output_vector(j: usize) -> String {
    format!("v(o{j})")
}

fn num(x: f64) -> String {
    format!("{x:.16e}")
}

/// The deck; `reltol` is ngspice's relative tolerance.
pub fn deck(p: &MifSection, layer: &MifLayer, reltol: f64) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "* memforge MIF layer {}x{}, {} steps (RRAM synapses, volatile TS neurons)",
        p.inputs, p.neurons, p.steps
    );
    let _ = writeln!(
        out,
        ".options reltol={} abstol=1e-15 vntol=1e-9 chgtol=1e-20 method=gear maxord=2",
        num(reltol)
    );
    let step = p.step_ns * 1e-9;
    let e = p.edge_ns * 1e-9;
    let w = p.pulse_ns * 1e-9;
    for i in 0..layer.inputs {
        let mut pts = vec![(0.0, 0.0)];
        for (k, row) in layer.pulses.iter().enumerate() {
            if row[i] {
                let t0 = k as f64 * step;
                pts.extend([
                    (t0, 0.0),
                    (t0 + e, 1.0),
                    (t0 + e + w, 1.0),
                    (t0 + 2.0 * e + w, 0.0),
                ]);
            }
        }
        pts.dedup_by(|a, b| a.0 == b.0);
        let pwl: Vec<String> = pts
            .iter()
            .map(|(t, v)| format!("{} {}", num(*t), v))
            .collect();
        let _ = writeln!(out, "vs{i} s{i} 0 pwl({})", pwl.join(" "));
    }
    let (r_on, r_off) = (p.ts_r_on_ohm, p.ts_r_off_ohm);
    for j in 0..layer.neurons {
        let _ = writeln!(out, "cm{j} m{j} 0 {} ic=0", num(p.c_mem_pf * 1e-12));
        let _ = writeln!(out, "rl{j} m{j} 0 {}", num(p.r_leak_ohm));
        let terms: Vec<String> = (0..layer.inputs)
            .map(|i| format!("v(s{i})*{}", num(layer.g[i * layer.neurons + j])))
            .collect();
        // Continuation lines keep each under ngspice's line limits.
        let _ = writeln!(out, "bin{j} 0 m{j} i=({}-v(m{j}))*(", num(p.v_in));
        for chunk in terms.chunks(4) {
            let _ = writeln!(out, "+ {}+", chunk.join("+"));
        }
        out.push_str("+ 0)\n");
        let g = format!("(v(x{j})/{}+(1-v(x{j}))/{})", num(r_on), num(r_off));
        let _ = writeln!(out, "bts{j} m{j} o{j} i=v(m{j},o{j})*{g}");
        let _ = writeln!(out, "rload{j} o{j} 0 {}", num(p.r_load_ohm));
        let _ = writeln!(out, "cx{j} x{j} 0 {} ic=0", num(STATE_CAP));
        let vd = format!("v(m{j},o{j})");
        let _ = writeln!(
            out,
            "bx{j} 0 x{j} i={cap}*(1/(1+exp(-({vd}-({von}-{dv}*v(x{j})))/{vw}))*(1-v(x{j}))/{ton}-1/(1+exp(-({vh}-{vd})/{vw}))*v(x{j})/{toff})",
            cap = num(STATE_CAP),
            von = num(p.ts_v_on),
            dv = num(p.ts_v_on - p.ts_v_hold),
            vh = num(p.ts_v_hold),
            vw = num(p.ts_v_width),
            ton = num(p.ts_tau_on_ns * 1e-9),
            toff = num(p.ts_tau_off_ns * 1e-9),
        );
    }
    let mut names = Vec::new();
    for j in 0..layer.neurons {
        names.push(membrane_vector(j));
        names.push(output_vector(j));
    }
    for chunk in names.chunks(8) {
        let _ = writeln!(out, ".save {}", chunk.join(" "));
    }
    let _ = writeln!(
        out,
        ".tran {} {} 0 {} uic",
        num(p.sample_ns * 1e-9),
        num(t_stop(p)),
        num(step / 8.0)
    );
    out.push_str(".end\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_column_source_and_one_device_per_neuron() {
        let p = MifSection {
            inputs: 5,
            neurons: 3,
            steps: 4,
            ..MifSection::default()
        };
        let layer = MifLayer::from_config(&p);
        let d = deck(&p, &layer, 1e-6);
        assert_eq!(d.lines().filter(|l| l.starts_with("vs")).count(), 5);
        assert_eq!(d.lines().filter(|l| l.starts_with("bin")).count(), 3);
        assert_eq!(d.lines().filter(|l| l.starts_with("bts")).count(), 3);
        assert!(d.contains(".save v(m0) v(o0) v(m1) v(o1)"));
        assert!(!d.to_lowercase().contains("inf"));
    }
}

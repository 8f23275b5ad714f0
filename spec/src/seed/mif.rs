//! A memristive integrate-and-fire layer after MEMprop (Zhou, Eshraghian et
//! al., arXiv 2206.12992): an RRAM synapse crossbar driving neurons whose
//! spikes come from a volatile threshold-switching (TS) memristor, not
//! from a comparator:
//!
//! - synapses: input row `i` is a pulse driver at `v_in` during its pulse
//!   and high impedance otherwise, so it injects `G_ij (v_in - V_j)` into
//!   column `j` (no virtual ground: the column is the membrane);
//! - neuron `j`: a membrane capacitor with a leak resistor, and the TS
//!   device in series with a load resistor from the membrane to ground.
//!   When the device's voltage passes `ts_v_on` it switches on, the
//!   capacitor discharges through the load (the output spike is the load's
//!   voltage) until the device voltage falls under `ts_v_hold`, where it
//!   relaxes off again (volatile).
//!
//! TS device (a metastable-switch model in the form of Knowm's MMS,
//! `knowm/memristor-models-4-all` `Metastable_Switch`, made volatile):
//! `I = V (x / R_on + (1 - x) / R_off)`,
//! `dx/dt = s((V - V_th(x))/V_w) (1 - x) / tau_on - s((V_hold - V)/V_w) x / tau_off`,
//! `V_th(x) = V_on - (V_on - V_hold) x`, with `s` the logistic function.
//! Two changes to Knowm's form, both assumptions: Knowm's device only
//! switches off below `-V_off`, while a threshold switch relaxes by itself
//! below its hold voltage (the diffusive memristors of fully memristive
//! neurons), which the second term says; and the threshold falls as the
//! device turns on (the snap-back of a threshold switch), without which a
//! neuron charged by a current settles just under `V_on` with its device
//! half on instead of firing (measured: the membrane stalled at 0.494 V).
//! The values are assumptions (`docs/seed_circuits.md`).

use super::check_f64;
use crate::error::{Problem, Shown};
use crate::validate::check_range;
use serde::{Deserialize, Serialize};

/// A MIF layer config file: only the `[mif]` section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MifConfig {
    pub mif: MifSection,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MifSection {
    /// Input rows of the synapse crossbar.
    pub inputs: u32,
    /// Neurons (crossbar columns).
    pub neurons: u32,
    /// Input time steps simulated.
    pub steps: u32,
    /// Length of one input step (ns).
    pub step_ns: f64,
    /// Width of an input pulse at the top (ns), from the step's start.
    pub pulse_ns: f64,
    /// Rise and fall time of an input pulse (ns) in the SPICE deck.
    pub edge_ns: f64,
    /// Probability that an input pulses in a step (seeded Bernoulli).
    pub input_rate: f64,
    /// Seed of the synapse conductances and the input pulses.
    pub seed: u64,
    /// Pulse driver amplitude (V).
    pub v_in: f64,
    /// Synapse conductances are uniform in `g_min_us..g_max_us` (µS).
    pub g_min_us: f64,
    pub g_max_us: f64,
    /// Membrane capacitance (pF).
    pub c_mem_pf: f64,
    /// Membrane leak to ground (Ω).
    pub r_leak_ohm: f64,
    /// Load resistor in series with the TS device (Ω): the spike's voltage.
    pub r_load_ohm: f64,
    /// TS device: fully-on and fully-off resistances (Ω).
    pub ts_r_on_ohm: f64,
    pub ts_r_off_ohm: f64,
    /// TS device: switching-on threshold and hold voltage (V).
    pub ts_v_on: f64,
    pub ts_v_hold: f64,
    /// TS device: width of the logistic transitions (V).
    pub ts_v_width: f64,
    /// TS device: switching and relaxation time constants (ns).
    pub ts_tau_on_ns: f64,
    pub ts_tau_off_ns: f64,
    /// An output spike is the load voltage rising through this (V).
    pub spike_level: f64,
    /// Spacing of the compared membrane samples (ns).
    pub sample_ns: f64,
    /// memforge's local error tolerance per step (V on the membrane, and
    /// on the device state, which is in 0..1).
    pub tolerance: f64,
}

impl Default for MifSection {
    fn default() -> Self {
        MifSection {
            inputs: 16,
            neurons: 4,
            steps: 100,
            step_ns: 1000.0,
            pulse_ns: 500.0,
            edge_ns: 10.0,
            input_rate: 0.3,
            seed: 1,
            v_in: 1.0,
            g_min_us: 2.0,
            g_max_us: 20.0,
            c_mem_pf: 50.0,
            r_leak_ohm: 1e6,
            r_load_ohm: 100.0,
            ts_r_on_ohm: 1e3,
            ts_r_off_ohm: 1e7,
            ts_v_on: 0.5,
            ts_v_hold: 0.1,
            ts_v_width: 0.005,
            ts_tau_on_ns: 50.0,
            ts_tau_off_ns: 100.0,
            spike_level: 0.02,
            sample_ns: 10.0,
            tolerance: 1e-6,
        }
    }
}

/// Every problem of a MIF config; empty when valid.
pub fn validate(cfg: &MifConfig) -> Vec<Problem> {
    let p = &cfg.mif;
    let mut out = Vec::new();
    check_range(&mut out, "mif.inputs", p.inputs.into(), 1, 1024);
    check_range(&mut out, "mif.neurons", p.neurons.into(), 1, 1024);
    check_range(&mut out, "mif.steps", p.steps.into(), 1, 100_000);
    for (path, v, lo, hi) in [
        ("mif.step_ns", p.step_ns, 1e-3, 1e9),
        ("mif.pulse_ns", p.pulse_ns, 1e-3, 1e9),
        ("mif.edge_ns", p.edge_ns, 1e-4, 1e6),
        ("mif.input_rate", p.input_rate, 0.0, 1.0),
        ("mif.v_in", p.v_in, 1e-3, 5.0),
        ("mif.g_min_us", p.g_min_us, 0.0, 1e4),
        ("mif.g_max_us", p.g_max_us, 0.0, 1e4),
        ("mif.c_mem_pf", p.c_mem_pf, 1e-6, 1e6),
        ("mif.r_leak_ohm", p.r_leak_ohm, 1.0, 1e15),
        ("mif.r_load_ohm", p.r_load_ohm, 1e-3, 1e9),
        ("mif.ts_r_on_ohm", p.ts_r_on_ohm, 1e-3, 1e12),
        ("mif.ts_r_off_ohm", p.ts_r_off_ohm, 1e-3, 1e15),
        ("mif.ts_v_on", p.ts_v_on, 1e-3, 5.0),
        ("mif.ts_v_hold", p.ts_v_hold, 0.0, 5.0),
        ("mif.ts_v_width", p.ts_v_width, 1e-4, 1.0),
        ("mif.ts_tau_on_ns", p.ts_tau_on_ns, 1e-6, 1e9),
        ("mif.ts_tau_off_ns", p.ts_tau_off_ns, 1e-6, 1e9),
        ("mif.spike_level", p.spike_level, 1e-6, 5.0),
        ("mif.sample_ns", p.sample_ns, 1e-3, 1e9),
        ("mif.tolerance", p.tolerance, 1e-12, 1e-2),
    ] {
        check_f64(&mut out, path, v, lo, hi);
    }
    if !out.is_empty() {
        return out;
    }
    let mut rule = |path: &str, value: f64, ok: bool, why: String| {
        if !ok {
            out.push(Problem {
                path: path.into(),
                value: value.shown(),
                rule: why,
            });
        }
    };
    rule(
        "mif.pulse_ns",
        p.pulse_ns,
        p.pulse_ns + 2.0 * p.edge_ns < p.step_ns,
        format!(
            "a pulse and its two edges ({} ns each) must fit in mif.step_ns = {}",
            p.edge_ns.shown(),
            p.step_ns.shown()
        ),
    );
    rule(
        "mif.g_max_us",
        p.g_max_us,
        p.g_max_us >= p.g_min_us,
        format!("must be at least mif.g_min_us = {}", p.g_min_us),
    );
    rule(
        "mif.ts_r_off_ohm",
        p.ts_r_off_ohm,
        p.ts_r_off_ohm > p.ts_r_on_ohm,
        format!("must exceed mif.ts_r_on_ohm = {}", p.ts_r_on_ohm.shown()),
    );
    rule(
        "mif.ts_v_hold",
        p.ts_v_hold,
        p.ts_v_hold < p.ts_v_on,
        format!(
            "must be below mif.ts_v_on = {} (a threshold switch holds below where it switches)",
            p.ts_v_on
        ),
    );
    rule(
        "mif.ts_v_on",
        p.ts_v_on,
        p.ts_v_on < p.v_in,
        format!(
            "must be below mif.v_in = {}: the membrane never rises above the drive, so the neuron could not fire",
            p.v_in
        ),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(toml: &str) -> Vec<String> {
        match crate::load::parse_with(toml, "t.toml", validate) {
            Ok(_) => vec![],
            Err(e) => e.to_string().lines().map(str::to_string).collect(),
        }
    }

    #[test]
    fn defaults_are_valid_and_bad_values_are_named() {
        assert!(problems("[mif]\n").is_empty());
        let p = problems("[mif]\nts_v_on = 1.5\n");
        assert!(p.iter().any(|l| l.contains("mif.ts_v_on = 1.5")), "{p:?}");
        let p = problems("[mif]\nneurons = 0\n");
        assert!(p.iter().any(|l| l.contains("mif.neurons = 0")), "{p:?}");
        let p = problems("[mif]\nvth = 1\n");
        assert!(p.iter().any(|l| l.contains("unknown field")), "{p:?}");
    }
}

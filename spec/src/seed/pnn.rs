//! The charge-domain IMC column of Sakemi et al. ("Training Physical Neural
//! Networks for Analog In-Memory Computing", arXiv 2412.09010; v2 "Harnessing
//! Nonidealities in Analog In-Memory Computing Circuits"): a membrane
//! capacitor charged through switched conductances to reversal rails, so
//! the synaptic current depends on the membrane voltage:
//!
//! `C dV/dt = -g_L (V - E_L) + sum_i s_i(t) [G+_i (E+ - V) + G-_i (E- - V)]`
//!
//! plus a comparator whose reset switch pulls `V` to `v_reset` once it
//! reaches `v_th` and lets go at `v_release` (a hysteretic switch).
//!
//! The paper's sky130 values were not available (notes, section 4: the
//! form is [U], the values not found), so every default here is a
//! sky130-like assumption, documented in `docs/seed_circuits.md`: a 1.8 V
//! supply (`e_exc`), a 100 fF MIM membrane capacitor, conductances of a
//! few hundred nS to 1 µS (a thick-oxide switch in series with a poly
//! resistor), a 10 nS leak.

use super::check_f64;
use crate::error::{Problem, Shown};
use crate::validate::check_range;
use serde::{Deserialize, Serialize};

/// A PNN column config file: only the `[pnn]` section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PnnConfig {
    pub pnn: PnnSection,
}

/// One charge-domain column and the seeded input it is driven with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PnnSection {
    /// Input lines (synapses) of the column.
    pub inputs: u32,
    /// Input time steps simulated.
    pub steps: u32,
    /// Length of one input step (ns).
    pub step_ns: f64,
    /// Width of an input pulse at the top (ns); pulses start at the step's
    /// beginning.
    pub pulse_ns: f64,
    /// Rise and fall time of an input pulse (ns) in the SPICE deck.
    pub edge_ns: f64,
    /// Probability that an input spikes in a step (seeded Bernoulli).
    pub input_rate: f64,
    /// Seed of the input spikes and the conductances.
    pub seed: u64,
    /// Membrane capacitance (fF).
    pub c_mem_ff: f64,
    /// Excitatory conductances `G+_i` are uniform in `0..g_exc_max_us` (µS).
    pub g_exc_max_us: f64,
    /// Inhibitory conductances `G-_i` are uniform in `0..g_inh_max_us` (µS).
    pub g_inh_max_us: f64,
    /// Leak conductance to `e_leak` (nS).
    pub g_leak_ns: f64,
    /// Excitatory reversal rail `E+` (V).
    pub e_exc: f64,
    /// Inhibitory reversal rail `E-` (V).
    pub e_inh: f64,
    /// Leak (rest) potential `E_L` (V); the membrane starts here.
    pub e_leak: f64,
    /// Comparator threshold (V): the reset switch closes at `v_th`.
    pub v_th: f64,
    /// Reset rail (V) the closed reset switch pulls toward.
    pub v_reset: f64,
    /// The reset switch opens again when `V` falls below this (V).
    pub v_release: f64,
    /// On-resistance of the reset switch (Ω).
    pub r_reset_ohm: f64,
    /// Off-resistance of the reset switch (Ω): its leakage to `v_reset`.
    pub r_off_ohm: f64,
    /// Membrane voltage the top-down (linear) model evaluates every
    /// synaptic current at (V); default `e_leak`, the textbook LIF's choice.
    pub linear_v_ref: Option<f64>,
    /// Spacing of the compared membrane samples (ns).
    pub sample_ns: f64,
}

impl Default for PnnSection {
    fn default() -> Self {
        PnnSection {
            inputs: 16,
            steps: 200,
            step_ns: 50.0,
            pulse_ns: 20.0,
            edge_ns: 0.1,
            input_rate: 0.3,
            seed: 1,
            c_mem_ff: 100.0,
            g_exc_max_us: 1.0,
            g_inh_max_us: 0.5,
            g_leak_ns: 10.0,
            e_exc: 1.8,
            e_inh: 0.0,
            e_leak: 0.9,
            v_th: 1.2,
            v_reset: 0.9,
            v_release: 0.92,
            r_reset_ohm: 200.0,
            r_off_ohm: 1e12,
            linear_v_ref: None,
            sample_ns: 1.0,
        }
    }
}

impl PnnSection {
    /// The top-down model's linearisation voltage.
    pub fn v_ref(&self) -> f64 {
        self.linear_v_ref.unwrap_or(self.e_leak)
    }

    /// Where the membrane settles with the reset switch closed and every
    /// input on at its largest excitatory conductance (V): the worst case
    /// the switch must still pull below `v_release`.
    pub fn reset_floor(&self) -> f64 {
        let g_rst = 1.0 / self.r_reset_ohm;
        let g_l = self.g_leak_ns * 1e-9;
        let g_e = f64::from(self.inputs) * self.g_exc_max_us * 1e-6;
        (g_rst * self.v_reset + g_l * self.e_leak + g_e * self.e_exc) / (g_rst + g_l + g_e)
    }
}

/// Every problem of a PNN config; empty when valid.
pub fn validate(cfg: &PnnConfig) -> Vec<Problem> {
    let p = &cfg.pnn;
    let mut out = Vec::new();
    check_range(&mut out, "pnn.inputs", p.inputs.into(), 1, 1024);
    check_range(&mut out, "pnn.steps", p.steps.into(), 1, 100_000);
    check_f64(&mut out, "pnn.step_ns", p.step_ns, 1e-3, 1e6);
    check_f64(&mut out, "pnn.pulse_ns", p.pulse_ns, 1e-3, 1e6);
    check_f64(&mut out, "pnn.edge_ns", p.edge_ns, 1e-4, 1e3);
    check_f64(&mut out, "pnn.input_rate", p.input_rate, 0.0, 1.0);
    check_f64(&mut out, "pnn.c_mem_ff", p.c_mem_ff, 1e-3, 1e6);
    check_f64(&mut out, "pnn.g_exc_max_us", p.g_exc_max_us, 0.0, 1e4);
    check_f64(&mut out, "pnn.g_inh_max_us", p.g_inh_max_us, 0.0, 1e4);
    check_f64(&mut out, "pnn.g_leak_ns", p.g_leak_ns, 1e-6, 1e6);
    for (path, v) in [
        ("pnn.e_exc", p.e_exc),
        ("pnn.e_inh", p.e_inh),
        ("pnn.e_leak", p.e_leak),
        ("pnn.v_th", p.v_th),
        ("pnn.v_reset", p.v_reset),
        ("pnn.v_release", p.v_release),
    ] {
        check_f64(&mut out, path, v, -5.0, 5.0);
    }
    check_f64(&mut out, "pnn.r_reset_ohm", p.r_reset_ohm, 1.0, 1e9);
    check_f64(&mut out, "pnn.r_off_ohm", p.r_off_ohm, 1e3, 1e18);
    check_f64(&mut out, "pnn.sample_ns", p.sample_ns, 1e-3, 1e6);
    if let Some(v) = p.linear_v_ref {
        check_f64(&mut out, "pnn.linear_v_ref", v, -5.0, 5.0);
    }
    if !out.is_empty() {
        return out;
    }
    let mut order = |path: &str, value: f64, rule: String, ok: bool| {
        if !ok {
            out.push(Problem {
                path: path.into(),
                value: value.shown(),
                rule,
            });
        }
    };
    order(
        "pnn.pulse_ns",
        p.pulse_ns,
        format!(
            "a pulse and its two edges ({} ns each) must fit in pnn.step_ns = {}",
            p.edge_ns.shown(),
            p.step_ns.shown()
        ),
        p.pulse_ns + 2.0 * p.edge_ns < p.step_ns,
    );
    order(
        "pnn.e_leak",
        p.e_leak,
        format!(
            "must lie between pnn.e_inh = {} and pnn.v_th = {} (the rails order E- < E_L < V_th < E+)",
            p.e_inh, p.v_th
        ),
        p.e_inh < p.e_leak && p.e_leak < p.v_th,
    );
    order(
        "pnn.e_exc",
        p.e_exc,
        format!(
            "must be above pnn.v_th = {} or no input can fire the column",
            p.v_th
        ),
        p.e_exc > p.v_th,
    );
    order(
        "pnn.v_release",
        p.v_release,
        format!(
            "must lie between pnn.v_reset = {} and pnn.v_th = {}",
            p.v_reset, p.v_th
        ),
        p.v_reset < p.v_release && p.v_release < p.v_th,
    );
    if out.is_empty() {
        let floor = p.reset_floor();
        if floor >= p.v_release {
            out.push(Problem {
                path: "pnn.r_reset_ohm".into(),
                value: p.r_reset_ohm.shown(),
                rule: format!(
                    "too weak: with every input on the closed reset switch holds the membrane at {floor:.4} V, not below pnn.v_release = {} (lower pnn.r_reset_ohm)",
                    p.v_release
                ),
            });
        }
    }
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
    fn the_defaults_are_valid() {
        assert!(validate(&PnnConfig {
            pnn: PnnSection::default()
        })
        .is_empty());
    }

    #[test]
    fn bad_values_name_the_setting() {
        let p = problems("[pnn]\ninputs = 0\nv_release = 1.5\n");
        assert!(p.iter().any(|l| l.contains("pnn.inputs = 0")), "{p:?}");
        let p = problems("[pnn]\nv_release = 1.5\n");
        assert!(p.iter().any(|l| l.contains("pnn.v_release = 1.5")), "{p:?}");
        let p = problems("[pnn]\nr_reset_ohm = 1e6\n");
        assert!(p.iter().any(|l| l.contains("pnn.r_reset_ohm")), "{p:?}");
        let p = problems("[pnn]\nthreshold = 1.0\n");
        assert!(p.iter().any(|l| l.contains("unknown field")), "{p:?}");
    }
}

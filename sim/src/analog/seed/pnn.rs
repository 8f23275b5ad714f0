//! The charge-domain IMC column of Sakemi et al. in Rust, two ways:
//!
//! - **bottom-up** ([`Model::BottomUp`]): the circuit as it is, every
//!   synapse a switched conductance to its reversal rail, so its current
//!   `G (E - V)` falls as the membrane charges (an SNN with reversal
//!   potentials);
//! - **top-down** ([`Model::TopDown`]): the usual linear SNN abstraction,
//!   every synapse a fixed current `G (E - v_ref)` whatever `V` is.
//!
//! Both keep the leak and the comparator's reset switch. Between two input
//! edges and switch events each is a linear ODE with constant coefficients,
//! `C dV/dt = j - g V`, whose solution `V_inf + (V - V_inf) exp(-g h / C)`
//! is exact; the switch's threshold crossings are found in closed form
//! too. So the models carry no integration error at all, and what separates
//! the bottom-up model from ngspice is only the deck's finite input edges
//! (taken as steps at their midpoints here) and ngspice's own step control.

use crate::analog::rng::seeded;
use memforge_spec::seed::pnn::PnnSection;
use rand::Rng;

use super::trace::Trace;

/// Which abstraction of the synaptic current.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Model {
    /// `G (E - V)`: the voltage dependence kept.
    BottomUp,
    /// `G (E - v_ref)`: current independent of the membrane.
    TopDown,
}

/// A column's conductances and its seeded input spikes.
#[derive(Clone, Debug, PartialEq)]
pub struct PnnColumn {
    /// Excitatory conductance of each input (S).
    pub g_exc: Vec<f64>,
    /// Inhibitory conductance of each input (S).
    pub g_inh: Vec<f64>,
    /// `spikes[step][input]`: whether the input pulses in that step.
    pub spikes: Vec<Vec<bool>>,
}

impl PnnColumn {
    /// Draws the conductances (all excitatory, then all inhibitory) and the
    /// spikes (step by step) from `p.seed`.
    pub fn from_config(p: &PnnSection) -> PnnColumn {
        let mut rng = seeded(p.seed);
        let n = p.inputs as usize;
        let g_exc = (0..n)
            .map(|_| rng.gen::<f64>() * p.g_exc_max_us * 1e-6)
            .collect();
        let g_inh = (0..n)
            .map(|_| rng.gen::<f64>() * p.g_inh_max_us * 1e-6)
            .collect();
        let spikes = (0..p.steps)
            .map(|_| (0..n).map(|_| rng.gen::<f64>() < p.input_rate).collect())
            .collect();
        PnnColumn {
            g_exc,
            g_inh,
            spikes,
        }
    }
}

/// When step `k`'s pulses act (s): from the middle of the rising edge to
/// the middle of the falling one, which is where the deck's 0..1 V ramp
/// has passed half its height.
pub fn pulse_window(p: &PnnSection, k: usize) -> (f64, f64) {
    let t0 = k as f64 * p.step_ns * 1e-9;
    let e = p.edge_ns * 1e-9;
    (t0 + 0.5 * e, t0 + 1.5 * e + p.pulse_ns * 1e-9)
}

/// Total simulated time (s).
pub fn t_stop(p: &PnnSection) -> f64 {
    f64::from(p.steps) * p.step_ns * 1e-9
}

/// `(g, j)` of the synapses active in `step`: the membrane sees `j - g V`.
fn synapses(p: &PnnSection, col: &PnnColumn, step: usize, model: Model) -> (f64, f64) {
    let (mut g, mut j) = (0.0, 0.0);
    for (i, on) in col.spikes[step].iter().enumerate() {
        if !on {
            continue;
        }
        let (ge, gi) = (col.g_exc[i], col.g_inh[i]);
        match model {
            Model::BottomUp => {
                g += ge + gi;
                j += ge * p.e_exc + gi * p.e_inh;
            }
            Model::TopDown => {
                let v = p.v_ref();
                j += ge * (p.e_exc - v) + gi * (p.e_inh - v);
            }
        }
    }
    (g, j)
}

/// The membrane over the whole input sequence, sampled every
/// `p.sample_ns`, with the spike times (the reset switch closing).
pub fn simulate(p: &PnnSection, col: &PnnColumn, model: Model) -> Trace {
    let c = p.c_mem_ff * 1e-15;
    let g_l = p.g_leak_ns * 1e-9;
    let (g_on, g_off) = (1.0 / p.r_reset_ohm, 1.0 / p.r_off_ohm);
    let dt = p.sample_ns * 1e-9;
    let stop = t_stop(p);
    let n_samples = (stop / dt).round() as usize + 1;
    let mut trace = Trace {
        t: Vec::with_capacity(n_samples),
        v: Vec::with_capacity(n_samples),
        spikes: Vec::new(),
    };
    // The corners where the input coefficients change, in order.
    let mut corners: Vec<(f64, usize, bool)> = Vec::new();
    for k in 0..p.steps as usize {
        let (a, b) = pulse_window(p, k);
        corners.push((a, k, true));
        corners.push((b, k, false));
    }
    let mut v = p.e_leak;
    let mut closed = false;
    let mut t = 0.0;
    let mut next_corner = 0;
    let mut active: Option<usize> = None;
    let mut sample = 0;
    while sample < n_samples {
        let t_sample = sample as f64 * dt;
        let t_corner = corners.get(next_corner).map_or(f64::INFINITY, |c| c.0);
        let target = t_sample.min(t_corner);
        // Advance from t to target, stopping at switch events.
        while t < target {
            let (gs, js) = active.map_or((0.0, 0.0), |k| synapses(p, col, k, model));
            let g_sw = if closed { g_on } else { g_off };
            let g = g_l + g_sw + gs;
            let j = g_l * p.e_leak + g_sw * p.v_reset + js;
            let v_inf = j / g;
            let tau = c / g;
            let h = target - t;
            // Does the switch change state within h?
            let level = if closed { p.v_release } else { p.v_th };
            let crosses = if closed {
                v > level && v_inf < level
            } else {
                v < level && v_inf > level
            };
            let h_event = if crosses {
                tau * ((v - v_inf) / (level - v_inf)).ln()
            } else {
                f64::INFINITY
            };
            if h_event < h {
                t += h_event;
                v = level;
                if !closed {
                    trace.spikes.push(t);
                }
                closed = !closed;
            } else {
                v = v_inf + (v - v_inf) * (-h / tau).exp();
                t = target;
            }
        }
        if t_corner <= t_sample {
            let (_, k, on) = corners[next_corner];
            active = if on { Some(k) } else { None };
            next_corner += 1;
        }
        if t_sample <= t {
            trace.t.push(t_sample);
            trace.v.push(v);
            sample += 1;
        }
    }
    trace
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_excitatory_input_charges_toward_its_rail() {
        // One input always on, no leak to speak of, no threshold in reach:
        // V(t) = E+ + (E_L - E+) exp(-G t / C) exactly.
        let p = PnnSection {
            inputs: 1,
            steps: 1,
            step_ns: 100.0,
            pulse_ns: 99.0,
            edge_ns: 0.1,
            v_th: 1.79,
            g_leak_ns: 1e-6,
            r_off_ohm: 1e18,
            ..PnnSection::default()
        };
        let col = PnnColumn {
            g_exc: vec![1e-6],
            g_inh: vec![0.0],
            spikes: vec![vec![true]],
        };
        let tr = simulate(&p, &col, Model::BottomUp);
        let (a, _) = pulse_window(&p, 0);
        let k = 50;
        let want = p.e_exc + (p.e_leak - p.e_exc) * (-(tr.t[k] - a) * 1e-6 / 1e-13).exp();
        assert!((tr.v[k] - want).abs() < 1e-9, "{} vs {want}", tr.v[k]);
        // The top-down model charges linearly instead: further by then.
        let td = simulate(&p, &col, Model::TopDown);
        assert!(td.v[k] > tr.v[k] + 0.05);
    }

    #[test]
    fn the_column_fires_and_resets() {
        let p = PnnSection::default();
        let col = PnnColumn::from_config(&p);
        let tr = simulate(&p, &col, Model::BottomUp);
        assert!(!tr.spikes.is_empty());
        assert!(tr.v.iter().all(|v| *v <= p.v_th + 1e-9 && *v > p.e_inh));
        assert_eq!(tr.t.len(), tr.v.len());
    }
}

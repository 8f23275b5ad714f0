//! A memristive integrate-and-fire (MIF) layer in Rust: an RRAM synapse
//! crossbar whose columns are the membranes of neurons that spike through a
//! volatile threshold-switching (TS) device (`memforge_spec::seed::mif`
//! has the circuit and the device equations).
//!
//! Why not `analog::transient`: that solver integrates device states on a
//! crossbar without capacitance (every instant a DC solve); here the
//! membranes are capacitors and, with ideal wires and pulse drivers that
//! float between pulses, every column is its own two-state ODE (membrane
//! `V`, device state `x`) driven by the rows' conductances. Each neuron is
//! integrated on its own with the embedded Bogacki-Shampine 3(2) pair (the
//! method of `analog::transient`), error held below `tolerance` on `V` and
//! `x`, steps landing on every input edge. Samples between steps come from
//! cubic Hermite interpolation (the pair's end slopes are at hand), spike
//! times from the load voltage crossing `spike_level`, interpolated
//! linearly inside the (small, the device switching fast) step.

use crate::analog::rng::seeded;
use memforge_spec::seed::mif::MifSection;
use rand::Rng;

use super::trace::Trace;

/// A layer's conductances and seeded input pulses.
#[derive(Clone, Debug, PartialEq)]
pub struct MifLayer {
    /// `g[i * neurons + j]`: synapse from input `i` to neuron `j` (S).
    pub g: Vec<f64>,
    /// `pulses[step][input]`.
    pub pulses: Vec<Vec<bool>>,
    pub inputs: usize,
    pub neurons: usize,
}

impl MifLayer {
    /// Conductances (row-major), then pulses (step by step), from `p.seed`.
    pub fn from_config(p: &MifSection) -> MifLayer {
        let mut rng = seeded(p.seed);
        let (n_in, n_out) = (p.inputs as usize, p.neurons as usize);
        let g = (0..n_in * n_out)
            .map(|_| (p.g_min_us + rng.gen::<f64>() * (p.g_max_us - p.g_min_us)) * 1e-6)
            .collect();
        let pulses = (0..p.steps)
            .map(|_| (0..n_in).map(|_| rng.gen::<f64>() < p.input_rate).collect())
            .collect();
        MifLayer {
            g,
            pulses,
            inputs: n_in,
            neurons: n_out,
        }
    }
}

/// When step `k`'s pulses act (s): between the midpoints of their edges.
pub fn pulse_window(p: &MifSection, k: usize) -> (f64, f64) {
    let t0 = k as f64 * p.step_ns * 1e-9;
    let e = p.edge_ns * 1e-9;
    (t0 + 0.5 * e, t0 + 1.5 * e + p.pulse_ns * 1e-9)
}

/// Total simulated time (s).
pub fn t_stop(p: &MifSection) -> f64 {
    f64::from(p.steps) * p.step_ns * 1e-9
}

fn logistic(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// One neuron's constants.
#[derive(Clone, Debug)]
struct Neuron {
    c: f64,
    g_leak: f64,
    r_load: f64,
    r_on: f64,
    r_off: f64,
    v_on: f64,
    v_hold: f64,
    v_w: f64,
    tau_on: f64,
    tau_off: f64,
}

impl Neuron {
    fn new(p: &MifSection) -> Neuron {
        Neuron {
            c: p.c_mem_pf * 1e-12,
            g_leak: 1.0 / p.r_leak_ohm,
            r_load: p.r_load_ohm,
            r_on: p.ts_r_on_ohm,
            r_off: p.ts_r_off_ohm,
            v_on: p.ts_v_on,
            v_hold: p.ts_v_hold,
            v_w: p.ts_v_width,
            tau_on: p.ts_tau_on_ns * 1e-9,
            tau_off: p.ts_tau_off_ns * 1e-9,
        }
    }

    /// Load voltage (the spike output) at membrane `v`, state `x`.
    fn output(&self, v: f64, x: f64) -> f64 {
        let g = x / self.r_on + (1.0 - x) / self.r_off;
        v * g * self.r_load / (1.0 + g * self.r_load)
    }

    /// `(dV/dt, dx/dt)` with input conductance `g_in` pulling toward
    /// `j_in / g_in`.
    fn slope(&self, v: f64, x: f64, g_in: f64, j_in: f64) -> (f64, f64) {
        let g = x / self.r_on + (1.0 - x) / self.r_off;
        let series = 1.0 + g * self.r_load;
        let v_dev = v / series;
        let i_ts = v * g / series;
        let dv = (j_in - g_in * v - self.g_leak * v - i_ts) / self.c;
        let v_th = self.v_on - (self.v_on - self.v_hold) * x;
        let dx = logistic((v_dev - v_th) / self.v_w) * (1.0 - x) / self.tau_on
            - logistic((self.v_hold - v_dev) / self.v_w) * x / self.tau_off;
        (dv, dx)
    }
}

impl Neuron {
    /// One Bogacki-Shampine 3(2) step of `step` from `(v, x)` with first
    /// slope `k1`: the new state, its slope (the next step's `k1`) and the
    /// local error estimate (max over `V` and `x`, unscaled).
    #[allow(clippy::type_complexity)]
    fn bs32(
        &self,
        v: f64,
        x: f64,
        k1: (f64, f64),
        step: f64,
        g_in: f64,
        j_in: f64,
    ) -> (f64, f64, (f64, f64), f64) {
        let k2 = self.slope(v + 0.5 * step * k1.0, x + 0.5 * step * k1.1, g_in, j_in);
        let k3 = self.slope(v + 0.75 * step * k2.0, x + 0.75 * step * k2.1, g_in, j_in);
        let v1 = v + step * (2.0 / 9.0 * k1.0 + 1.0 / 3.0 * k2.0 + 4.0 / 9.0 * k3.0);
        let x1 = x + step * (2.0 / 9.0 * k1.1 + 1.0 / 3.0 * k2.1 + 4.0 / 9.0 * k3.1);
        let k4 = self.slope(v1, x1, g_in, j_in);
        let ev =
            step * (-5.0 / 72.0 * k1.0 + 1.0 / 12.0 * k2.0 + 1.0 / 9.0 * k3.0 - 1.0 / 8.0 * k4.0);
        let ex =
            step * (-5.0 / 72.0 * k1.1 + 1.0 / 12.0 * k2.1 + 1.0 / 9.0 * k3.1 - 1.0 / 8.0 * k4.1);
        (v1, x1, k4, ev.abs().max(ex.abs()))
    }
}

/// One MIF neuron advanced clock cycle by clock cycle: the analog layer a
/// tile variant's co-simulation plays (`crate::seed_tile::analog`). The
/// same device equations and step control as [`simulate`], with the input
/// constant over each advance (the tile's row pulses change only at clock
/// edges).
#[derive(Clone, Debug)]
pub struct MifStepper {
    n: Neuron,
    v: f64,
    x: f64,
    h: f64,
    tol: f64,
    h_max: f64,
}

impl MifStepper {
    /// A neuron at rest (membrane 0 V, device off).
    pub fn new(p: &MifSection) -> Self {
        MifStepper {
            n: Neuron::new(p),
            v: 0.0,
            x: 0.0,
            h: p.edge_ns * 1e-9,
            tol: p.tolerance,
            h_max: p.step_ns * 1e-9 / 8.0,
        }
    }

    /// Advances `dt` seconds with the synapses of conductance `g_in` (S)
    /// pulsed to `v_in` (V).
    pub fn advance(&mut self, dt: f64, g_in: f64, v_in: f64) {
        let j_in = g_in * v_in;
        let mut t = 0.0;
        let mut k1 = self.n.slope(self.v, self.x, g_in, j_in);
        while t < dt {
            let step = self.h.min(self.h_max).min(dt - t);
            let (v1, x1, k4, e) = self.n.bs32(self.v, self.x, k1, step, g_in, j_in);
            let err = e / self.tol;
            if err > 1.0 && step > 1e-18 {
                self.h = step * (0.9 * err.powf(-1.0 / 3.0)).clamp(0.2, 1.0);
                continue;
            }
            t += step;
            self.v = v1;
            self.x = x1;
            k1 = k4;
            self.h = step * (0.9 * err.max(1e-12).powf(-1.0 / 3.0)).clamp(0.2, 5.0);
        }
    }

    /// The load voltage (the neuron's output spike), V.
    pub fn output(&self) -> f64 {
        self.n.output(self.v, self.x)
    }

    /// The membrane voltage, V.
    pub fn membrane(&self) -> f64 {
        self.v
    }
}

/// What a simulation of the layer gives: per neuron, its membrane sampled
/// every `sample_ns` (when asked) and its output spike times.
pub fn simulate(p: &MifSection, layer: &MifLayer, sample: bool) -> Vec<Trace> {
    (0..layer.neurons)
        .map(|j| simulate_neuron(p, layer, j, sample))
        .collect()
}

fn simulate_neuron(p: &MifSection, layer: &MifLayer, j: usize, sample: bool) -> Trace {
    let n = Neuron::new(p);
    let tol = p.tolerance;
    let stop = t_stop(p);
    let dt = p.sample_ns * 1e-9;
    let n_samples = if sample {
        (stop / dt).round() as usize + 1
    } else {
        0
    };
    let mut trace = Trace::default();
    let (mut v, mut x, mut t) = (0.0f64, 0.0f64, 0.0f64);
    let mut next_sample = 0usize;
    let mut h = p.edge_ns * 1e-9;
    let h_max = p.step_ns * 1e-9 / 8.0;
    // Segments: [start of window k, its end] with the pulses of step k on,
    // and the gaps between with every driver floating.
    let mut segments: Vec<(f64, f64, f64)> = Vec::with_capacity(2 * layer.pulses.len());
    for (k, row) in layer.pulses.iter().enumerate() {
        let (a, b) = pulse_window(p, k);
        segments.push((a, 0.0, 0.0));
        let g_in: f64 = (0..layer.inputs)
            .filter(|&i| row[i])
            .map(|i| layer.g[i * layer.neurons + j])
            .sum();
        segments.push((b, g_in, g_in * p.v_in));
    }
    segments.push((stop, 0.0, 0.0));
    for &(end, g_in, j_in) in &segments {
        let end = end.min(stop);
        let mut k1 = n.slope(v, x, g_in, j_in);
        while t < end {
            let step = h.min(h_max).min(end - t);
            let (v1, x1, k4, e) = n.bs32(v, x, k1, step, g_in, j_in);
            let err = e / tol;
            if err > 1.0 && step > 1e-18 {
                h = step * (0.9 * err.powf(-1.0 / 3.0)).clamp(0.2, 1.0);
                continue;
            }
            let t1 = t + step;
            // Samples inside (t, t1]: cubic Hermite on the membrane.
            while next_sample < n_samples && next_sample as f64 * dt <= t1 {
                let ts = next_sample as f64 * dt;
                let s = ((ts - t) / step).clamp(0.0, 1.0);
                let (h00, h10, h01, h11) = (
                    (1.0 + 2.0 * s) * (1.0 - s) * (1.0 - s),
                    s * (1.0 - s) * (1.0 - s),
                    s * s * (3.0 - 2.0 * s),
                    s * s * (s - 1.0),
                );
                trace.t.push(ts);
                trace
                    .v
                    .push(h00 * v + h10 * step * k1.0 + h01 * v1 + h11 * step * k4.0);
                next_sample += 1;
            }
            let (o0, o1) = (n.output(v, x), n.output(v1, x1));
            if o0 < p.spike_level && o1 >= p.spike_level {
                trace
                    .spikes
                    .push(t + step * (p.spike_level - o0) / (o1 - o0));
            }
            t = t1;
            v = v1;
            x = x1;
            k1 = k4;
            h = step * (0.9 * err.max(1e-12).powf(-1.0 / 3.0)).clamp(0.2, 5.0);
        }
    }
    while next_sample < n_samples {
        trace.t.push(next_sample as f64 * dt);
        trace.v.push(v);
        next_sample += 1;
    }
    trace
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layer_spikes_and_the_device_resets_the_membrane() {
        let p = MifSection::default();
        let layer = MifLayer::from_config(&p);
        let traces = simulate(&p, &layer, true);
        assert_eq!(traces.len(), p.neurons as usize);
        for tr in &traces {
            assert!(tr.spikes.len() >= 3, "{:?}", tr.spikes);
            // The membrane stays below the drive and near the device's
            // threshold: a spike pulls it down again.
            let hi = tr.v.iter().cloned().fold(0.0, f64::max);
            assert!(hi > 0.9 * p.ts_v_on && hi < p.v_in, "{hi}");
        }
    }

    #[test]
    fn without_inputs_nothing_happens() {
        let p = MifSection {
            input_rate: 0.0,
            ..MifSection::default()
        };
        let layer = MifLayer::from_config(&p);
        let traces = simulate(&p, &layer, true);
        assert!(traces.iter().all(|t| t.spikes.is_empty()));
        assert!(traces.iter().all(|t| t.v.iter().all(|v| v.abs() < 1e-12)));
    }

    #[test]
    fn a_tighter_tolerance_moves_the_spikes_little() {
        let p = MifSection::default();
        let layer = MifLayer::from_config(&p);
        let a = simulate(&p, &layer, false);
        let q = MifSection {
            tolerance: 1e-9,
            ..p.clone()
        };
        let b = simulate(&q, &layer, false);
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.spikes.len(), y.spikes.len());
            for (s, r) in x.spikes.iter().zip(&y.spikes) {
                assert!((s - r).abs() < 0.01 * p.step_ns * 1e-9, "{s} vs {r}");
            }
        }
    }
}

//! The weight updates of the float references ([`super::reference`]):
//! what a rule does to continuous weights on one input event, in
//! continuous time, with the expected value of its (possibly stochastic)
//! pulses, one ADC code per pulse as the ideal macro.

use memforge_spec::learning::LearningRule;
use memforge_spec::learning_sdsp::CA_MAX;
use memforge_spec::DesignConfig;

/// One input event as a float rule sees it: after the neurons integrated
/// it and the fired ones were reset (the tile's order: the sequencer's
/// event, then the controller's pass).
pub struct Event<'a> {
    /// Cycle of the event.
    pub at: f64,
    pub row: usize,
    /// Potentials after the event (fired columns reset).
    pub v: &'a [f64],
    /// Columns that fired on the event, in column order.
    pub fired: &'a [usize],
}

/// A learning rule on continuous weights.
pub trait FloatRule {
    /// Applies the event's updates to `w` (row-major, clamped to
    /// `0..=adc_max`) and returns the cycles the controller keeps the
    /// sequencer from the next event.
    fn event(&mut self, e: &Event, w: &mut [f64]) -> f64;

    /// What the rule models, for a report.
    fn summary(&self) -> &'static str;
}

/// The float rule of `cfg`'s `[learning] rule` (`None`: no reference for
/// this rule).
pub fn float_rule(cfg: &DesignConfig, stochastic: bool) -> Option<Box<dyn FloatRule>> {
    match cfg.learning.rule {
        LearningRule::Stdp => Some(Box::new(StdpFloat::new(cfg, stochastic))),
        LearningRule::Sdsp => Some(Box::new(SdspFloat::new(cfg, stochastic))),
        _ => None,
    }
}

fn adc_max(cfg: &DesignConfig) -> f64 {
    f64::from(memforge_spec::Derived::of(cfg).adc_max)
}

/// Pair-based STDP: a trace is the time since its last spike; the gate
/// probability of a pulse is `(max / 2^trace_bits) * 2^(-d / T)` with
/// stochastic pulses (the exponential with `tau = T / ln 2`, `T =
/// decay_period + 1` cycles, of which the halving trace is the staircase)
/// and `clamp(trace_bits - d / T, 0, 1)` with deterministic ones (the
/// probability that the halving trace is still non-zero, over the unknown
/// phase of the decay tick). `-p` per pre event (depression, gated by the
/// column's post trace) before the pre trace is loaded, `+p` per post
/// spike (potentiation, gated by the row's pre trace) before the post
/// trace is.
pub struct StdpFloat {
    pre_t: Vec<f64>,
    post_t: Vec<f64>,
    period: f64,
    bits: u32,
    stochastic: bool,
    adc_max: f64,
}

impl StdpFloat {
    pub fn new(cfg: &DesignConfig, stochastic: bool) -> Self {
        let l = &cfg.learning;
        Self {
            pre_t: vec![f64::NEG_INFINITY; cfg.tile.rows as usize],
            post_t: vec![f64::NEG_INFINITY; cfg.tile.cols as usize],
            period: f64::from(l.decay_period) + 1.0,
            bits: l.trace_bits,
            stochastic,
            adc_max: adc_max(cfg),
        }
    }

    /// The expected gate of a trace `d` cycles after its spike.
    fn gate(&self, d: f64) -> f64 {
        if self.stochastic {
            let max = f64::from((1u32 << self.bits) - 1) / f64::from(1u32 << self.bits);
            max * (-d / self.period).exp2()
        } else {
            (f64::from(self.bits) - d / self.period).clamp(0.0, 1.0)
        }
    }
}

impl FloatRule for StdpFloat {
    fn summary(&self) -> &'static str {
        "exponential traces, expected-value updates, continuous weights"
    }

    fn event(&mut self, e: &Event, w: &mut [f64]) -> f64 {
        let (rows, cols) = (self.pre_t.len(), self.post_t.len());
        for c in 0..cols {
            let p = self.gate(e.at - self.post_t[c]);
            w[e.row * cols + c] = (w[e.row * cols + c] - p).max(0.0);
        }
        self.pre_t[e.row] = e.at;
        for &c in e.fired {
            for r in 0..rows {
                let p = self.gate(e.at - self.pre_t[r]);
                w[r * cols + c] = (w[r * cols + c] + p).min(self.adc_max);
            }
            self.post_t[c] = e.at;
        }
        // The depression pass over the columns, the potentiation pass
        // over the rows per spiking column, and the sequencer's event.
        (8 + 2 * cols + rows * e.fired.len()) as f64
    }
}

/// SDSP (ODIN's rule): a continuous calcium per column, +1 per spike
/// (saturating at 7), leaking linearly by 1 per `ca_leak` decay ticks
/// (the step counter's mean rate); on every event each column's weight of
/// the event's row goes `+p` when `Vmem >= theta_m` and `theta_1 <= Ca <
/// theta_3`, `-p` when `Vmem < theta_m` and `theta_1 <= Ca < theta_2`,
/// with `p = (prob + 1) / 16` for stochastic pulses, else 1.
pub struct SdspFloat {
    ca: Vec<f64>,
    /// Cycle the calcium was last brought up to date.
    ca_at: f64,
    /// Calcium lost per cycle.
    ca_rate: f64,
    theta_m: f64,
    theta: [f64; 3],
    p: f64,
    width: f64,
    adc_max: f64,
}

impl SdspFloat {
    pub fn new(cfg: &DesignConfig, stochastic: bool) -> Self {
        let l = &cfg.learning;
        let s = &l.sdsp;
        let tick = f64::from(l.decay_period) + 1.0;
        Self {
            ca: vec![0.0; cfg.tile.cols as usize],
            ca_at: 0.0,
            ca_rate: if s.ca_leak == 0 {
                0.0
            } else {
                1.0 / (f64::from(s.ca_leak) * tick)
            },
            theta_m: f64::from(s.theta_m),
            theta: [s.theta_1, s.theta_2, s.theta_3].map(f64::from),
            p: if stochastic {
                f64::from(s.prob + 1) / 16.0
            } else {
                1.0
            },
            width: f64::from(cfg.program.pulse_width),
            adc_max: adc_max(cfg),
        }
    }
}

impl FloatRule for SdspFloat {
    fn summary(&self) -> &'static str {
        "continuous calcium with a linear leak, expected-value updates, continuous weights"
    }

    fn event(&mut self, e: &Event, w: &mut [f64]) -> f64 {
        let cols = self.ca.len();
        let leak = self.ca_rate * (e.at - self.ca_at);
        self.ca_at = e.at;
        for ca in self.ca.iter_mut() {
            *ca = (*ca - leak).max(0.0);
        }
        for &c in e.fired {
            self.ca[c] = (self.ca[c] + 1.0).min(f64::from(CA_MAX));
        }
        let [th1, th2, th3] = self.theta;
        let mut pulses = 0.0;
        for c in 0..cols {
            let (ca, cell) = (self.ca[c], &mut w[e.row * cols + c]);
            if e.v[c] >= self.theta_m {
                if ca >= th1 && ca < th3 {
                    *cell = (*cell + self.p).min(self.adc_max);
                    pulses += self.p;
                }
            } else if ca >= th1 && ca < th2 {
                *cell = (*cell - self.p).max(0.0);
                pulses += self.p;
            }
        }
        // The sequencer's event, the pass (a column per cycle) and the
        // wait after each pulse.
        8.0 + cols as f64 + (self.width + 2.0) * pulses
    }
}

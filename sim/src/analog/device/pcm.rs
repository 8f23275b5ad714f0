//! Phase-change memory, as simplified by Demirag (github
//! YigitDemirag/meta-analog, `memristor.py`) from Nandakumar et al. 2018
//! (fitted on 10,000 GST devices). Units inside are µS and s.
//!
//! - SET pulse: `dG ~ N(-0.084 G + 0.892, 0.09 G + 0.575)`, clipped to the range.
//! - RESET: `G = G_reset` with a relative gaussian spread.
//! - Drift: `G(t) = G_p ((t - t_p)/t0)^-nu`; the ratio is floored at 1 so
//!   that a read right after programming gives `G_p` (the fitted model is
//!   defined from `t0` on; before it the conductance is the programmed one).
//! - 1/f read noise: `std = 0.03 G_drifted + 0.13`.
//!
//! The fitted model is for one fixed pulse shape, so the pulse amplitude and
//! width only need to be non-zero. With `realistic = false` the increments
//! are their means and there is neither drift nor read noise, unless
//! [`Pcm::with_drift`] keeps the (deterministic) drift on.

use super::{Device, IvLaw, Polarity, Pulse, Stuck, Variation};
use crate::analog::rng::{normal, AnalogRng};
use memforge_spec::analog::AnalogSection;

#[derive(Clone, Debug)]
pub struct Pcm {
    /// Conductance right after the last programming event (µS).
    g_p: f64,
    /// Time of the last programming event (s).
    t_p: f64,
    g_reset: f64,
    reset_spread: f64,
    g_max: f64,
    nu: f64,
    t0: f64,
    read_noise: bool,
    realistic: bool,
    /// Drift on (`realistic`, or forced by [`Pcm::with_drift`]).
    drift: bool,
    stuck: Option<Stuck>,
}

impl Pcm {
    /// A freshly RESET device.
    pub fn new(a: &AnalogSection, variation: Variation, rng: &mut AnalogRng) -> Self {
        let c = &a.pcm;
        let mut d = Pcm {
            g_p: c.g_reset_us,
            t_p: 0.0,
            g_reset: c.g_reset_us,
            reset_spread: c.reset_spread,
            g_max: c.g_max_us,
            nu: c.drift_nu,
            t0: c.drift_t0_s,
            read_noise: c.read_noise,
            realistic: a.realistic,
            drift: a.realistic,
            stuck: variation.stuck,
        };
        d.reset(0.0, rng);
        d
    }

    /// The same device with its drift on even when `realistic = false`:
    /// an ideal PCM trace (`crate::tile::trace_macro`) keeps the mean SET
    /// steps and no noise, but drift is what decays it (the rule's
    /// physics, not a non-ideality).
    pub fn with_drift(mut self) -> Self {
        self.drift = true;
        self
    }

    fn reset(&mut self, t: f64, rng: &mut AnalogRng) {
        let spread = if self.realistic {
            self.reset_spread
        } else {
            0.0
        };
        // Floored at a thousandth of the RESET value: a spread of up to 100 %
        // (allowed) must not draw a cell of 0 S or less.
        self.g_p =
            normal(rng, self.g_reset, spread * self.g_reset).clamp(1e-3 * self.g_reset, self.g_max);
        self.t_p = t;
    }

    /// Drifted, noise-free conductance at `t` (µS).
    fn drifted_us(&self, t: f64) -> f64 {
        match self.stuck {
            Some(Stuck::On) => return self.g_max,
            Some(Stuck::Off) => return self.g_reset,
            None => {}
        }
        if !self.drift {
            return self.g_p;
        }
        let ratio = ((t - self.t_p) / self.t0).max(1.0);
        self.g_p * ratio.powf(-self.nu)
    }
}

impl Device for Pcm {
    fn read_law(&self, t: f64, rng: &mut AnalogRng) -> IvLaw {
        let g = self.drifted_us(t);
        let g = if self.realistic && self.read_noise && self.stuck.is_none() {
            // Clipped to the model's range, as Demirag's model clips every
            // conductance: at 0.1 µS the noise sigma (0.133 µS) exceeds the
            // value, and a read of 0 S (or less) is no PCM cell (and was an
            // infinite resistor in the ngspice deck). A cell already below
            // the range (a RESET drawn low) reads no lower than itself.
            normal(rng, g, 0.03 * g + 0.13).clamp(g.min(self.g_reset), self.g_max)
        } else {
            g
        };
        IvLaw::Linear { g: g * 1e-6 }
    }

    fn conductance(&self, t: f64) -> f64 {
        self.drifted_us(t) * 1e-6
    }

    fn apply_pulse(&mut self, pulse: &Pulse, t: f64, rng: &mut AnalogRng) {
        if pulse.volts <= 0.0 || pulse.seconds <= 0.0 {
            return;
        }
        match pulse.polarity {
            Polarity::Reset => self.reset(t, rng),
            Polarity::Set => {
                // The increment acts on the drifted conductance (the
                // crystalline fraction the pulse starts from).
                let g = self.drifted_us(t).min(self.g_max);
                let mean = -0.084 * g + 0.892;
                let std = if self.realistic {
                    0.09 * g + 0.575
                } else {
                    0.0
                };
                self.g_p = (g + normal(rng, mean, std)).clamp(self.g_reset.min(g), self.g_max);
                self.t_p = t;
            }
        }
    }

    fn program(&mut self, g: f64, t: f64, rng: &mut AnalogRng) {
        // A write-verify loop ends within about one SET step of the target;
        // model its residual error as the programming noise of one step.
        let target = g * 1e6; // S -> µS
        let std = if self.realistic {
            0.09 * target + 0.575
        } else {
            0.0
        };
        self.g_p = normal(rng, target, std).clamp(self.g_reset, self.g_max);
        self.t_p = t;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analog::rng::seeded;

    fn set() -> Pulse {
        Pulse {
            polarity: Polarity::Set,
            volts: 1.0,
            seconds: 5e-8,
        }
    }

    #[test]
    fn ideal_set_steps_follow_the_mean_and_saturate() {
        let a = AnalogSection {
            realistic: false,
            ..AnalogSection::default()
        };
        let mut rng = seeded(1);
        let mut d = Pcm::new(&a, Variation::NONE, &mut rng);
        assert!((d.conductance(0.0) - 0.1e-6).abs() < 1e-15);
        d.apply_pulse(&set(), 0.0, &mut rng);
        let expect = 0.1 + (-0.084 * 0.1 + 0.892);
        assert!((d.conductance(0.0) * 1e6 - expect).abs() < 1e-9);
        for _ in 0..200 {
            d.apply_pulse(&set(), 0.0, &mut rng);
        }
        // Fixed point of the mean increment: G = 0.892/0.084 = 10.6 µS.
        assert!((d.conductance(0.0) * 1e6 - 0.892 / 0.084).abs() < 0.01);
    }

    #[test]
    fn drift_follows_the_power_law() {
        let a = AnalogSection::default();
        let mut rng = seeded(3);
        let mut d = Pcm::new(&a, Variation::NONE, &mut rng);
        d.program(10e-6, 0.0, &mut rng);
        let g_p = d.conductance(0.0);
        let t = 38.6 * 1000.0;
        let expect = g_p * 1000f64.powf(-0.04);
        assert!((d.conductance(t) - expect).abs() < 1e-15);
        assert!(d.conductance(t) < g_p);
    }

    #[test]
    fn noisy_reads_of_a_reset_cell_stay_positive() {
        let a = AnalogSection::default();
        let mut rng = seeded(5);
        let d = Pcm::new(&a, Variation::NONE, &mut rng);
        let g_p = d.conductance(0.0);
        for _ in 0..2000 {
            let IvLaw::Linear { g } = d.read_law(0.0, &mut rng) else {
                panic!("PCM reads are linear");
            };
            assert!(g >= g_p.min(0.1e-6) && g <= 20e-6, "read {g} S");
        }
    }

    #[test]
    fn read_noise_has_the_fitted_spread() {
        let a = AnalogSection::default();
        let mut rng = seeded(4);
        let mut d = Pcm::new(&a, Variation::NONE, &mut rng);
        d.program(10e-6, 0.0, &mut rng);
        let g = d.conductance(0.0) * 1e6;
        let reads: Vec<f64> = (0..5000)
            .map(|_| match d.read_law(0.0, &mut rng) {
                IvLaw::Linear { g } => g * 1e6,
                IvLaw::Sinh { .. } => f64::NAN,
            })
            .collect();
        let mean = reads.iter().sum::<f64>() / 5000.0;
        let std = (reads.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / 5000.0).sqrt();
        assert!((std - (0.03 * g + 0.13)).abs() < 0.02, "std {std}");
    }
}

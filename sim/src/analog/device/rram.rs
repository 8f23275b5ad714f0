//! RRAM read with the Stanford-PKU I-V nonlinearity,
//! `I = I0 exp(-gap/g0) sinh(V/V0)` (the static part of the Stanford-PKU /
//! ASU compact model; see docs/analog.md for sources).
//!
//! The state is the tunnelling gap. Levels are defined by their read
//! conductance `I(V_read)/V_read`, so `g_min_us..g_max_us` mean the same
//! thing for every device kind. A pulse moves the gap with the lumped law
//! `dgap/dt = -+ rate sinh(|V|/gap_v)`, the shape of the Stanford-PKU gap
//! dynamics with the temperature-dependent prefactor folded into `rate`.

use super::{Device, IvLaw, Polarity, Pulse, Stuck, Variation};
use crate::analog::rng::{lognormal_factor, AnalogRng};
use memforge_spec::analog::AnalogSection;

#[derive(Clone, Debug)]
pub struct Rram {
    /// Tunnelling gap (nm).
    gap: f64,
    /// Smallest gap (highest conductance) and largest gap (nm).
    gap_min: f64,
    gap_max: f64,
    i0: f64,
    g0: f64,
    v0: f64,
    v_read: f64,
    rate: f64,
    gap_v: f64,
    variation: Variation,
}

impl Rram {
    /// A fresh device at the lowest conductance.
    pub fn new(a: &AnalogSection, variation: Variation) -> Self {
        let m = &a.rram;
        let mut d = Rram {
            gap: 0.0,
            gap_min: 0.0,
            gap_max: 0.0,
            i0: m.i0,
            g0: m.g0_nm,
            v0: m.v0,
            v_read: a.read_voltage,
            rate: m.gap_rate_nm_per_s,
            gap_v: m.gap_v,
            variation,
        };
        d.gap_min = d.gap_for(a.g_max_us * 1e-6);
        d.gap_max = d.gap_for(a.g_min_us * 1e-6);
        d.gap = d.gap_max;
        d
    }

    /// The gap whose read conductance is `g` (S), before variation.
    pub fn gap_for(&self, g: f64) -> f64 {
        let s = (self.v_read / self.v0).sinh();
        -self.g0 * (g * self.v_read / (self.i0 * s)).ln()
    }

    /// Current tunnelling gap (nm).
    pub fn gap(&self) -> f64 {
        self.gap
    }

    fn effective_gap(&self) -> f64 {
        match self.variation.stuck {
            Some(Stuck::On) => self.gap_min,
            Some(Stuck::Off) => self.gap_max,
            None => self.gap,
        }
    }

    fn law(&self) -> IvLaw {
        let d2d = if self.variation.stuck.is_some() {
            1.0
        } else {
            self.variation.d2d
        };
        IvLaw::Sinh {
            a: self.i0 * (-self.effective_gap() / self.g0).exp() * d2d,
            v0: self.v0,
        }
    }
}

impl Device for Rram {
    fn read_law(&self, _t: f64, _rng: &mut AnalogRng) -> IvLaw {
        self.law()
    }

    fn conductance(&self, _t: f64) -> f64 {
        self.law().current(self.v_read) / self.v_read
    }

    fn apply_pulse(&mut self, pulse: &Pulse, _t: f64, rng: &mut AnalogRng) {
        let dgap = self.rate
            * (pulse.volts.abs() / self.gap_v).sinh()
            * pulse.seconds.max(0.0)
            * lognormal_factor(rng, self.variation.c2c_sigma);
        let gap = match pulse.polarity {
            Polarity::Set => self.gap - dgap,
            Polarity::Reset => self.gap + dgap,
        };
        self.gap = gap.clamp(self.gap_min, self.gap_max);
    }

    fn program(&mut self, g: f64, _t: f64, rng: &mut AnalogRng) {
        let g = g * lognormal_factor(rng, self.variation.c2c_sigma);
        self.gap = self.gap_for(g).clamp(self.gap_min, self.gap_max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analog::rng::seeded;

    #[test]
    fn programmed_conductance_is_read_back_at_read_voltage() {
        let a = AnalogSection::default();
        let mut d = Rram::new(&a, Variation::NONE);
        d.program(50e-6, 0.0, &mut seeded(1));
        assert!((d.conductance(0.0) - 50e-6).abs() < 1e-12);
        assert!(
            d.gap() > 0.2 && d.gap() < 1.9,
            "gap {} nm outside Stanford-PKU range",
            d.gap()
        );
        // Nonlinear: the chord conductance at twice the read voltage is higher.
        let law = d.read_law(0.0, &mut seeded(1));
        assert!(law.current(0.4) / 0.4 > 50e-6 * 1.1);
    }

    #[test]
    fn set_raises_and_reset_lowers_conductance() {
        let a = AnalogSection::default();
        let mut d = Rram::new(&a, Variation::NONE);
        let mut rng = seeded(2);
        let g0 = d.conductance(0.0);
        d.apply_pulse(
            &Pulse {
                polarity: Polarity::Set,
                volts: 1.0,
                seconds: 1e-7,
            },
            0.0,
            &mut rng,
        );
        let g1 = d.conductance(0.0);
        assert!(g1 > g0);
        d.apply_pulse(
            &Pulse {
                polarity: Polarity::Reset,
                volts: 1.0,
                seconds: 1e-7,
            },
            0.0,
            &mut rng,
        );
        assert!(d.conductance(0.0) < g1);
    }
}

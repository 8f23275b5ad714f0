//! Ohmic device with discrete levels: the idealised cell a digital tile is
//! designed against. One pulse moves one level (pulse amplitude and width
//! only need to be non-zero), which is what a write-verify loop assumes.

use super::{Device, IvLaw, Polarity, Pulse, Stuck, Variation};
use crate::analog::rng::{lognormal_factor, AnalogRng};
use memforge_spec::analog::AnalogSection;

#[derive(Clone, Debug)]
pub struct Linear {
    /// Programmed conductance before the device-to-device factor (S).
    g: f64,
    g_min: f64,
    g_max: f64,
    /// Conductance change of one pulse (S).
    step: f64,
    variation: Variation,
}

impl Linear {
    /// A fresh device at the lowest level.
    pub fn new(a: &AnalogSection, variation: Variation) -> Self {
        let (g_min, g_max) = (a.g_min_us * 1e-6, a.g_max_us * 1e-6);
        Linear {
            g: g_min,
            g_min,
            g_max,
            step: (g_max - g_min) / f64::from(a.levels.max(2) - 1),
            variation,
        }
    }

    fn effective(&self) -> f64 {
        match self.variation.stuck {
            Some(Stuck::On) => self.g_max,
            Some(Stuck::Off) => self.g_min,
            None => self.g * self.variation.d2d,
        }
    }
}

impl Device for Linear {
    fn read_law(&self, _t: f64, _rng: &mut AnalogRng) -> IvLaw {
        IvLaw::Linear {
            g: self.effective(),
        }
    }

    fn conductance(&self, _t: f64) -> f64 {
        self.effective()
    }

    fn apply_pulse(&mut self, pulse: &Pulse, _t: f64, rng: &mut AnalogRng) {
        if pulse.volts <= 0.0 || pulse.seconds <= 0.0 {
            return;
        }
        let dg = self.step * lognormal_factor(rng, self.variation.c2c_sigma);
        let g = match pulse.polarity {
            Polarity::Set => self.g + dg,
            Polarity::Reset => self.g - dg,
        };
        self.g = g.clamp(self.g_min, self.g_max);
    }

    fn program(&mut self, g: f64, _t: f64, rng: &mut AnalogRng) {
        let g = g * lognormal_factor(rng, self.variation.c2c_sigma);
        self.g = g.clamp(self.g_min, self.g_max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analog::rng::seeded;

    #[test]
    fn pulses_walk_the_levels_and_clip() {
        let a = AnalogSection::default();
        let mut d = Linear::new(&a, Variation::NONE);
        let mut rng = seeded(1);
        let set = Pulse {
            polarity: Polarity::Set,
            volts: 1.0,
            seconds: 1e-7,
        };
        d.apply_pulse(&set, 0.0, &mut rng);
        let step = (147e-6 - 4e-6) / 7.0;
        assert!((d.conductance(0.0) - (4e-6 + step)).abs() < 1e-15);
        for _ in 0..20 {
            d.apply_pulse(&set, 0.0, &mut rng);
        }
        assert!((d.conductance(0.0) - 147e-6).abs() < 1e-15);
    }

    #[test]
    fn stuck_cells_ignore_programming() {
        let a = AnalogSection::default();
        let v = Variation {
            stuck: Some(Stuck::Off),
            ..Variation::NONE
        };
        let mut d = Linear::new(&a, v);
        d.program(100e-6, 0.0, &mut seeded(1));
        assert_eq!(d.conductance(0.0), 4e-6);
    }
}

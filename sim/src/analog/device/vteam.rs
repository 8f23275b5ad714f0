//! VTEAM dynamic memristor (Kvatinsky et al., IEEE TCAS-II 2015) with the
//! state normalised to `w` in [0, 1] (0 = ON, `R_on`; 1 = OFF, `R_off`):
//!
//! ```text
//! dw/dt = k_off (v/v_off - 1)^alpha_off (1 - w^2p)        v > v_off > 0
//!       = k_on  (v/v_on  - 1)^alpha_on  (1 - (1-w)^2p)    v < v_on  < 0
//!       = 0                                               otherwise
//! ```
//!
//! The window is directional: it slows motion only toward the bound being
//! approached, so a device at a bound can always leave it (the Joglekar
//! window's stuck-at-bound problem does not arise). Every expression is
//! smooth and writable as an ngspice B-source, which is how the SPICE
//! reference integrates the same equation.

use super::{Device, IvLaw, Polarity, Pulse};
use crate::analog::rng::AnalogRng;
use memforge_spec::analog::{VteamResistance, VteamSection};

#[derive(Clone, Debug)]
pub struct Vteam {
    /// Normalised state.
    pub w: f64,
    pub p: VteamSection,
}

impl Vteam {
    pub fn new(p: &VteamSection, w: f64) -> Self {
        Vteam { w, p: p.clone() }
    }

    /// `dw/dt` (1/s) at device voltage `v` and state `w`.
    pub fn rate(&self, v: f64, w: f64) -> f64 {
        let p = &self.p;
        let two_p = 2 * p.window_p as i32;
        if v > p.v_off {
            p.k_off * (v / p.v_off - 1.0).powf(p.alpha_off) * (1.0 - w.powi(two_p))
        } else if v < p.v_on {
            p.k_on * (v / p.v_on - 1.0).powf(p.alpha_on) * (1.0 - (1.0 - w).powi(two_p))
        } else {
            0.0
        }
    }

    /// Resistance at state `w` (Ω).
    pub fn resistance(&self, w: f64) -> f64 {
        let p = &self.p;
        match p.resistance {
            VteamResistance::Linear => p.r_on + (p.r_off - p.r_on) * w,
            VteamResistance::Exponential => p.r_on * ((p.r_off / p.r_on).ln() * w).exp(),
        }
    }

    /// The state whose resistance is `1/g`, clipped to [0, 1].
    pub fn state_for(&self, g: f64) -> f64 {
        let p = &self.p;
        let r = 1.0 / g;
        let w = match p.resistance {
            VteamResistance::Linear => (r - p.r_on) / (p.r_off - p.r_on),
            VteamResistance::Exponential => (r / p.r_on).ln() / (p.r_off / p.r_on).ln(),
        };
        w.clamp(0.0, 1.0)
    }

    /// Integrates the state for `seconds` at constant device voltage `v`
    /// (classical RK4 on a fixed grid fine enough that the window is
    /// resolved: at most 1 % state change per sub-step at full rate).
    pub fn integrate_constant(&mut self, v: f64, seconds: f64) {
        if seconds <= 0.0 || self.rate(v, 0.5) == 0.0 {
            return;
        }
        let full = self.rate(v, 0.5).abs().max(1e-30);
        let steps = ((full * seconds / 0.01).ceil() as usize).clamp(16, 100_000);
        let h = seconds / steps as f64;
        let mut w = self.w;
        for _ in 0..steps {
            let k1 = self.rate(v, w);
            let k2 = self.rate(v, w + 0.5 * h * k1);
            let k3 = self.rate(v, w + 0.5 * h * k2);
            let k4 = self.rate(v, w + h * k3);
            w += h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
        }
        self.w = w;
    }
}

impl Device for Vteam {
    fn read_law(&self, _t: f64, _rng: &mut AnalogRng) -> IvLaw {
        IvLaw::Linear {
            g: 1.0 / self.resistance(self.w),
        }
    }

    fn conductance(&self, _t: f64) -> f64 {
        1.0 / self.resistance(self.w)
    }

    /// SET (toward ON) is a negative voltage in the VTEAM convention.
    fn apply_pulse(&mut self, pulse: &Pulse, _t: f64, _rng: &mut AnalogRng) {
        let v = match pulse.polarity {
            Polarity::Set => -pulse.volts.abs(),
            Polarity::Reset => pulse.volts.abs(),
        };
        self.integrate_constant(v, pulse.seconds);
    }

    fn program(&mut self, g: f64, _t: f64, _rng: &mut AnalogRng) {
        self.w = self.state_for(g);
    }

    fn as_vteam(&self) -> Option<&Vteam> {
        Some(self)
    }

    fn as_vteam_mut(&mut self) -> Option<&mut Vteam> {
        Some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analog::rng::seeded;

    #[test]
    fn below_threshold_nothing_moves() {
        let mut d = Vteam::new(&VteamSection::default(), 0.5);
        d.integrate_constant(0.3, 1e-3);
        d.integrate_constant(-0.3, 1e-3);
        assert_eq!(d.w, 0.5);
    }

    #[test]
    fn constant_voltage_matches_the_closed_form_without_window_effect() {
        // Far from the bounds the window is ~1: w(t) ~ w0 + rate t.
        let mut d = Vteam::new(
            &VteamSection {
                window_p: 20,
                ..VteamSection::default()
            },
            0.3,
        );
        d.integrate_constant(1.0, 1e-7);
        let expect = 0.3 + 5e5 * 1e-7;
        assert!((d.w - expect).abs() < 1e-4, "{}", d.w);
    }

    #[test]
    fn set_lowers_resistance_and_state_stays_in_bounds() {
        let mut d = Vteam::new(&VteamSection::default(), 0.5);
        let mut rng = seeded(1);
        let r0 = d.resistance(d.w);
        let set = Pulse {
            polarity: Polarity::Set,
            volts: 1.5,
            seconds: 1e-6,
        };
        d.apply_pulse(&set, 0.0, &mut rng);
        assert!(d.resistance(d.w) < r0);
        assert!(d.w >= 0.0 && d.w < 0.5);
        let reset = Pulse {
            polarity: Polarity::Reset,
            volts: 1.5,
            seconds: 1e-5,
        };
        d.apply_pulse(&reset, 0.0, &mut rng);
        assert!(d.w <= 1.0 && d.w > 0.5);
    }

    #[test]
    fn state_for_inverts_resistance() {
        for kind in [VteamResistance::Linear, VteamResistance::Exponential] {
            let d = Vteam::new(
                &VteamSection {
                    resistance: kind,
                    ..VteamSection::default()
                },
                0.0,
            );
            let w = 0.37;
            assert!((d.state_for(1.0 / d.resistance(w)) - w).abs() < 1e-12);
        }
    }
}

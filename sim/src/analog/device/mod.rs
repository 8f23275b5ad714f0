//! Device models behind one trait.
//!
//! A device answers two questions: what current-voltage law does the circuit
//! see when it is read ([`Device::read_law`]), and how does a programming
//! pulse move its state ([`Device::apply_pulse`]). The circuit solver only
//! knows [`IvLaw`], so adding a model never touches the solver or the SPICE
//! deck writer (which writes every law as a resistor or a B-source).

mod linear;
mod pcm;
mod rram;
mod vteam;

pub use linear::Linear;
pub use pcm::Pcm;
pub use rram::Rram;
pub use vteam::Vteam;

use super::rng::{lognormal_factor, AnalogRng};
use memforge_spec::analog::{AnalogSection, DeviceKind};
use rand::Rng;

/// The current-voltage law of a cell during a read: `I(V)` from the row
/// terminal to the column terminal.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum IvLaw {
    /// Ohmic: `I = g V` (S).
    Linear { g: f64 },
    /// Stanford-PKU static read: `I = a sinh(V / v0)` with
    /// `a = I0 exp(-gap/g0)` already folded in (A, V).
    Sinh { a: f64, v0: f64 },
}

impl IvLaw {
    /// Current at voltage `v` (A).
    pub fn current(&self, v: f64) -> f64 {
        match *self {
            IvLaw::Linear { g } => g * v,
            IvLaw::Sinh { a, v0 } => a * (v / v0).sinh(),
        }
    }

    /// Differential conductance `dI/dV` at `v` (S); always positive, which
    /// keeps the Newton Jacobian symmetric positive definite.
    pub fn slope(&self, v: f64) -> f64 {
        match *self {
            IvLaw::Linear { g } => g,
            IvLaw::Sinh { a, v0 } => a * (v / v0).cosh() / v0,
        }
    }

    pub fn is_linear(&self) -> bool {
        matches!(self, IvLaw::Linear { .. })
    }
}

/// Direction of a programming pulse. SET always raises the read conductance
/// and RESET lowers it, whatever the sign convention of the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Polarity {
    Set,
    Reset,
}

/// One programming pulse across a single device.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pulse {
    pub polarity: Polarity,
    /// Magnitude of the voltage across the device (V).
    pub volts: f64,
    /// Width (s).
    pub seconds: f64,
}

/// A permanent fault of a cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stuck {
    /// Stuck at the highest conductance.
    On,
    /// Stuck at the lowest conductance.
    Off,
}

/// Variation drawn once per device at construction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Variation {
    /// Multiplicative device-to-device conductance factor (log-normal, median 1).
    pub d2d: f64,
    /// Sigma of the cycle-to-cycle factor drawn at each programming event.
    pub c2c_sigma: f64,
    pub stuck: Option<Stuck>,
}

impl Variation {
    /// No variation at all: the ideal device.
    pub const NONE: Variation = Variation {
        d2d: 1.0,
        c2c_sigma: 0.0,
        stuck: None,
    };

    /// Draws one device's variation from the config (always the same number
    /// of draws, so the sequence of devices does not depend on the rates).
    pub fn draw(a: &AnalogSection, rng: &mut AnalogRng) -> Variation {
        let v = &a.variability;
        let d2d = lognormal_factor(rng, v.d2d_sigma);
        let u: f64 = rng.gen();
        if !a.realistic {
            return Variation::NONE;
        }
        let stuck = if u < v.stuck_on_rate {
            Some(Stuck::On)
        } else if u < v.stuck_on_rate + v.stuck_off_rate {
            Some(Stuck::Off)
        } else {
            None
        };
        Variation {
            d2d,
            c2c_sigma: v.c2c_sigma,
            stuck,
        }
    }
}

/// A memristive device model.
///
/// Time `t` is the array's clock in seconds; only drifting devices use it.
/// Random draws (read noise, programming noise) come from the caller's
/// seeded generator so that a whole array is reproducible from one seed.
pub trait Device: std::fmt::Debug + Send {
    /// The law the circuit sees in a read at time `t`, including read noise.
    fn read_law(&self, t: f64, rng: &mut AnalogRng) -> IvLaw;

    /// Noise-free read conductance `I(V_read)/V_read` at time `t` (S).
    fn conductance(&self, t: f64) -> f64;

    /// Moves the state by one pulse across this device alone (no half-select
    /// disturb of neighbours: the array applies the full pulse to one cell).
    fn apply_pulse(&mut self, pulse: &Pulse, t: f64, rng: &mut AnalogRng);

    /// Write-verify shortcut: sets the read conductance to `g` (S), with the
    /// cycle-to-cycle error of one programming event; clipped to the range.
    fn program(&mut self, g: f64, t: f64, rng: &mut AnalogRng);

    /// The VTEAM model, for the transient integrator (`None` for static
    /// devices, whose state does not move during a read).
    fn as_vteam(&self) -> Option<&Vteam> {
        None
    }

    /// Mutable access for the transient integrator to write the state back.
    fn as_vteam_mut(&mut self) -> Option<&mut Vteam> {
        None
    }
}

/// Lowest and highest programmable read conductance of `a`'s device (S).
pub fn conductance_range(a: &AnalogSection) -> (f64, f64) {
    match a.device {
        DeviceKind::Linear | DeviceKind::RramSinh => (a.g_min_us * 1e-6, a.g_max_us * 1e-6),
        DeviceKind::Pcm => (a.pcm.g_reset_us * 1e-6, a.pcm.g_max_us * 1e-6),
        DeviceKind::Vteam => (1.0 / a.vteam.r_off, 1.0 / a.vteam.r_on),
    }
}

/// Builds one fresh device of the configured kind, drawing its variation.
pub fn build(a: &AnalogSection, rng: &mut AnalogRng) -> Box<dyn Device> {
    let variation = Variation::draw(a, rng);
    match a.device {
        DeviceKind::Linear => Box::new(Linear::new(a, variation)),
        DeviceKind::RramSinh => Box::new(Rram::new(a, variation)),
        DeviceKind::Pcm => Box::new(Pcm::new(a, variation, rng)),
        DeviceKind::Vteam => Box::new(Vteam::new(&a.vteam, a.vteam.w_init)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sinh_slope_is_the_derivative() {
        let law = IvLaw::Sinh { a: 2e-5, v0: 0.25 };
        for v in [-0.4, -0.1, 0.0, 0.05, 0.3] {
            let h = 1e-6;
            let numeric = (law.current(v + h) - law.current(v - h)) / (2.0 * h);
            assert!((numeric - law.slope(v)).abs() < 1e-9 * law.slope(v).max(1e-6));
        }
    }

    #[test]
    fn ideal_config_draws_no_variation() {
        let a = AnalogSection {
            realistic: false,
            ..AnalogSection::default()
        };
        let mut rng = super::super::rng::seeded(1);
        assert_eq!(Variation::draw(&a, &mut rng), Variation::NONE);
    }

    #[test]
    fn fault_rates_are_honoured() {
        let mut a = AnalogSection::default();
        a.variability.stuck_on_rate = 0.1;
        a.variability.stuck_off_rate = 0.2;
        let mut rng = super::super::rng::seeded(5);
        let draws: Vec<_> = (0..10_000)
            .map(|_| Variation::draw(&a, &mut rng).stuck)
            .collect();
        let on = draws.iter().filter(|s| **s == Some(Stuck::On)).count() as f64 / 1e4;
        let off = draws.iter().filter(|s| **s == Some(Stuck::Off)).count() as f64 / 1e4;
        assert!((on - 0.1).abs() < 0.015, "{on}");
        assert!((off - 0.2).abs() < 0.015, "{off}");
    }
}

//! The `[analog]` section: which device model the crossbar cells follow, the
//! circuit parasitics around them, and the seeded variability. One struct is
//! read by the Rust circuit solver, the ngspice deck writer and the docs, so
//! the analog reference and the SPICE deck can never describe different
//! circuits.
//!
//! Defaults come from the sources in `docs/analog.md`: Mosaic's measured
//! RRAM conductances (4 to 147 µS), Chen et al. 2023 (about 2.5 Ω of wire per
//! cell, 1.7 kΩ access transistor, 0.2 V reads, about 40 pA leakage),
//! Demirag's simplified Nandakumar PCM model, and the Stanford-PKU RRAM I-V.

use crate::error::{show_f64, Problem, Shown};
use serde::{Deserialize, Serialize};

/// The compact model every cell of the crossbar follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    /// Ohmic conductance (`I = G V`), programmed to discrete levels.
    #[default]
    Linear,
    /// Stanford-PKU style static read: `I = I0 exp(-gap/g0) sinh(V/V0)`.
    RramSinh,
    /// Phase-change memory: SET increments with programming noise, RESET,
    /// drift and 1/f read noise (Nandakumar 2018 as simplified by Demirag).
    Pcm,
    /// VTEAM dynamic memristor: threshold-driven state, linear or
    /// exponential resistance in the state.
    Vteam,
}

/// How `read_columns` computes column currents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ReadPath {
    /// Full nodal analysis with wire, driver, sense and access resistances.
    #[default]
    Circuit,
    /// The ideal product `I_j = sum_i G_ij V_i` (no parasitics): fast, and
    /// the reference every circuit result is compared with.
    Ideal,
}

/// Which model plays the crossbar macro in the tile co-simulation (the
/// golden model and the Verilator harness, through
/// `memforge_sim::analog::macro_from_config`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MacroModel {
    /// `IdealXbar`: one exact level per cell in ADC codes, one code per
    /// pulse. The default, so designs without device models behave as the
    /// generated behavioural model `sim/<design>_xbar_model.v` does.
    #[default]
    Ideal,
    /// `AnalogXbar`: the devices of this section read through the circuit
    /// solver (or the ideal product, per `read_path`) and an ADC model.
    Device,
}

/// Cell structure of the array.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum CellAccess {
    /// Passive array: every device connects its row and column directly, so
    /// sneak paths exist.
    #[default]
    #[serde(rename = "0t1r")]
    ZeroT1r,
    /// One access transistor per cell, modelled as `r_access_on` when its
    /// row is selected and `r_access_off` (leakage) otherwise.
    #[serde(rename = "1t1r")]
    OneT1r,
}

/// What the driver of a row that is not read does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum UnselectedRows {
    /// Driven to 0 V through the driver resistance (the V/0 read scheme).
    #[default]
    Grounded,
    /// Left open: the driver becomes `r_float` (a very large resistance), so
    /// sneak currents flow through the unselected rows.
    Floating,
}

/// Dependence of the VTEAM resistance on its normalised state `w` in [0, 1].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum VteamResistance {
    /// `R = R_on + (R_off - R_on) w`.
    #[default]
    Linear,
    /// `R = R_on exp(ln(R_off/R_on) w)`.
    Exponential,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AnalogSection {
    pub device: DeviceKind,
    /// Which crossbar macro model the tile co-simulation uses.
    pub macro_model: MacroModel,
    /// ADC full scale (µA): the column current that converts to
    /// `2^adc_bits - 1` when `macro_model = "device"`. Absent: the largest
    /// device conductance times `read_voltage` (one fully ON cell on a row
    /// read saturates the ADC).
    pub adc_full_scale_ua: Option<f64>,
    pub read_path: ReadPath,
    pub access: CellAccess,
    /// `false` turns every device ideal: no variability, faults, programming
    /// or read noise, and no drift. Parasitics stay as configured.
    pub realistic: bool,
    /// Voltage applied to a selected row during a read (V).
    pub read_voltage: f64,
    pub unselected_rows: UnselectedRows,
    /// Seed of every random draw (variability, faults, noise).
    pub seed: u64,
    /// Lowest programmable read conductance (µS) of linear and RRAM cells.
    pub g_min_us: f64,
    /// Highest programmable read conductance (µS) of linear and RRAM cells.
    pub g_max_us: f64,
    /// Number of programmable conductance levels.
    pub levels: u32,
    pub parasitics: ParasiticsSection,
    pub variability: VariabilitySection,
    pub pulse: PulseSection,
    pub rram: RramSection,
    pub pcm: PcmSection,
    pub vteam: VteamSection,
    pub solver: SolverSection,
}

impl Default for AnalogSection {
    fn default() -> Self {
        Self {
            device: DeviceKind::Linear,
            macro_model: MacroModel::Ideal,
            adc_full_scale_ua: None,
            read_path: ReadPath::Circuit,
            access: CellAccess::ZeroT1r,
            realistic: true,
            read_voltage: 0.2,
            unselected_rows: UnselectedRows::Grounded,
            seed: 1,
            g_min_us: 4.0,
            g_max_us: 147.0,
            levels: 8,
            parasitics: ParasiticsSection::default(),
            variability: VariabilitySection::default(),
            pulse: PulseSection::default(),
            rram: RramSection::default(),
            pcm: PcmSection::default(),
            vteam: VteamSection::default(),
            solver: SolverSection::default(),
        }
    }
}

/// Resistances around the devices (Ω). Zero means an ideal connection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ParasiticsSection {
    /// Word-line resistance between two neighbouring cells of a row.
    pub r_wire_row: f64,
    /// Bit-line resistance between two neighbouring cells of a column.
    pub r_wire_col: f64,
    /// Output resistance of each row driver.
    pub r_driver: f64,
    /// Input resistance of each column's sense amplifier (virtual ground).
    pub r_sense: f64,
    /// 1T1R access transistor on-resistance.
    pub r_access_on: f64,
    /// 1T1R access transistor off-resistance (leakage).
    pub r_access_off: f64,
    /// Driver resistance of a floating (unselected) row.
    pub r_float: f64,
}

impl Default for ParasiticsSection {
    fn default() -> Self {
        Self {
            r_wire_row: 2.5,
            r_wire_col: 2.5,
            r_driver: 10.0,
            r_sense: 10.0,
            r_access_on: 1700.0,
            // 0.2 V / 40 pA (Chen et al. 2023).
            r_access_off: 5.0e9,
            r_float: 1.0e12,
        }
    }
}

/// Seeded device-to-device and cycle-to-cycle variability and faults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct VariabilitySection {
    /// Log-normal sigma of a device's fixed conductance factor.
    pub d2d_sigma: f64,
    /// Log-normal sigma drawn anew at every programming event.
    pub c2c_sigma: f64,
    /// Fraction of cells stuck at the highest conductance.
    pub stuck_on_rate: f64,
    /// Fraction of cells stuck at the lowest conductance.
    pub stuck_off_rate: f64,
}

impl Default for VariabilitySection {
    fn default() -> Self {
        Self {
            d2d_sigma: 0.05,
            c2c_sigma: 0.02,
            stuck_on_rate: 0.0,
            stuck_off_rate: 0.0,
        }
    }
}

/// How the tile's pulse codes map to physical pulses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PulseSection {
    /// Pulse amplitude per amplitude code (V).
    pub volts_per_code: f64,
    /// Pulse width per width code (s).
    pub seconds_per_code: f64,
}

impl Default for PulseSection {
    fn default() -> Self {
        Self {
            volts_per_code: 0.125,
            // 25 ns per code: codes 4..8 give the 100..200 ns pulses of sky130 ReRAM.
            seconds_per_code: 25e-9,
        }
    }
}

/// Stanford-PKU RRAM read law and a lumped gap-growth law for pulses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RramSection {
    /// Current prefactor I0 (A).
    pub i0: f64,
    /// Gap length scale g0 (nm).
    pub g0_nm: f64,
    /// Voltage scale V0 of the sinh (V).
    pub v0: f64,
    /// Gap change rate at `|V| = gap_v` scale (nm/s): `dgap/dt = -+rate sinh(|V|/gap_v)`.
    pub gap_rate_nm_per_s: f64,
    /// Voltage scale of the gap change (V).
    pub gap_v: f64,
}

impl Default for RramSection {
    fn default() -> Self {
        Self {
            i0: 1e-3,
            g0_nm: 0.25,
            v0: 0.25,
            gap_rate_nm_per_s: 1e5,
            gap_v: 0.4,
        }
    }
}

/// PCM (Demirag's `memristor.py`, fitted by Nandakumar et al. 2018 on 10,000
/// devices). Conductances in µS.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PcmSection {
    /// Conductance after RESET (µS).
    pub g_reset_us: f64,
    /// Relative gaussian spread of the RESET conductance.
    pub reset_spread: f64,
    /// Largest conductance (µS).
    pub g_max_us: f64,
    /// Drift exponent nu.
    pub drift_nu: f64,
    /// Drift reference time t0 (s).
    pub drift_t0_s: f64,
    /// Whether reads carry 1/f read noise.
    pub read_noise: bool,
}

impl Default for PcmSection {
    fn default() -> Self {
        Self {
            g_reset_us: 0.1,
            reset_spread: 0.1,
            g_max_us: 20.0,
            drift_nu: 0.04,
            drift_t0_s: 38.6,
            read_noise: true,
        }
    }
}

/// VTEAM (Kvatinsky et al. 2015) with the state normalised to `w` in [0, 1]
/// (0 = ON, low resistance) and a directional polynomial window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct VteamSection {
    pub r_on: f64,
    pub r_off: f64,
    /// ON threshold (V, negative).
    pub v_on: f64,
    /// OFF threshold (V, positive).
    pub v_off: f64,
    /// ON rate (1/s, negative).
    pub k_on: f64,
    /// OFF rate (1/s, positive).
    pub k_off: f64,
    pub alpha_on: f64,
    pub alpha_off: f64,
    /// Window exponent p: moving toward a bound is slowed by `1 - d^(2p)`
    /// where `d` is the normalised distance already travelled.
    pub window_p: u32,
    pub resistance: VteamResistance,
    /// State of a fresh device.
    pub w_init: f64,
}

impl Default for VteamSection {
    fn default() -> Self {
        Self {
            r_on: 10e3,
            r_off: 250e3,
            v_on: -0.5,
            v_off: 0.5,
            k_on: -5e5,
            k_off: 5e5,
            alpha_on: 3.0,
            alpha_off: 3.0,
            window_p: 4,
            resistance: VteamResistance::Linear,
            w_init: 0.5,
        }
    }
}

/// Convergence settings of the Rust circuit solver.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SolverSection {
    /// Newton stops when no node moves by more than this (V) ...
    pub newton_vtol: f64,
    /// ... and the relative change is below this.
    pub newton_reltol: f64,
    pub newton_max_iter: u32,
    /// Local error tolerance of the transient integrator (on the state w).
    pub transient_tol: f64,
    /// Largest transient step (s).
    pub max_step_s: f64,
    /// Which linear solver the DC solves use (docs/analog.md, "Nodal
    /// analysis").
    pub linear: LinearSolver,
    /// Iteration limit of the conjugate gradient; with `linear = "auto"`
    /// a solve that has not converged by then is redone with Cholesky.
    pub pcg_max_iter: u32,
}

/// The linear solver behind every DC solve of the crossbar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinearSolver {
    /// Conjugate gradient preconditioned by the wire lines; sparse Cholesky
    /// when it does not converge within `pcg_max_iter` (from then on, for
    /// that array).
    #[default]
    Auto,
    /// Line-preconditioned conjugate gradient only (not converging is an
    /// error).
    Pcg,
    /// Sparse Cholesky factorisation only.
    Cholesky,
}

impl Default for SolverSection {
    fn default() -> Self {
        Self {
            newton_vtol: 1e-12,
            newton_reltol: 1e-10,
            newton_max_iter: 50,
            transient_tol: 1e-7,
            max_step_s: 1e-9,
            linear: LinearSolver::Auto,
            pcg_max_iter: 200,
        }
    }
}

fn push(problems: &mut Vec<Problem>, path: &str, value: impl Shown, rule: &str) {
    problems.push(Problem {
        path: format!("analog.{path}"),
        value: value.shown(),
        rule: rule.to_string(),
    });
}

/// The largest `V/V0` a sinh cell may see in a read: `sinh` overflows a
/// double at about 710; 600 was solved and matched ngspice to 2e-9
/// (16x16, `memforge analog --compare-spice`).
pub const MAX_SINH_ARGUMENT: f64 = 600.0;

/// The smallest non-zero series resistance times the devices' lowest
/// conductance. Below it the nodal system is too stiff for doubles; at it
/// (2.5e-5 Ω with 4 µS cells) CG and Cholesky were within 3e-9 of the
/// exact column currents at 32x32 and 128x128 (docs/analog.md).
pub const MIN_R_TIMES_G: f64 = 1e-10;

/// The lowest read conductance a device of this section can have (µS).
pub fn lowest_conductance_us(a: &AnalogSection) -> f64 {
    match a.device {
        DeviceKind::Linear | DeviceKind::RramSinh => a.g_min_us,
        DeviceKind::Pcm => a.pcm.g_reset_us,
        DeviceKind::Vteam => 1e6 / a.vteam.r_off,
    }
}

/// Checks that `value` is finite and in `lo..=hi` (`open_lo`: `lo` excluded).
fn real(problems: &mut Vec<Problem>, path: &str, value: f64, lo: f64, hi: f64, open_lo: bool) {
    let ok = value.is_finite() && value <= hi && if open_lo { value > lo } else { value >= lo };
    if !ok {
        let (lo, hi) = (show_f64(lo), show_f64(hi));
        let rule = if open_lo {
            format!("must be > {lo} and <= {hi}")
        } else {
            format!("must be {lo}..={hi}")
        };
        push(problems, path, value, &rule);
    }
}

/// Every problem of the `[analog]` section, as `analog.path = value: rule`.
pub fn validate_analog(a: &AnalogSection, problems: &mut Vec<Problem>) {
    let p = problems;
    real(p, "read_voltage", a.read_voltage, 0.0, 5.0, true);
    real(p, "g_min_us", a.g_min_us, 0.0, 1e4, true);
    real(p, "g_max_us", a.g_max_us, 0.0, 1e4, true);
    if a.g_max_us.is_finite() && a.g_min_us.is_finite() && a.g_max_us <= a.g_min_us {
        push(
            p,
            "g_max_us",
            a.g_max_us,
            "must be greater than analog.g_min_us",
        );
    }
    if let Some(fs) = a.adc_full_scale_ua {
        real(p, "adc_full_scale_ua", fs, 0.0, 1e6, true);
    }
    if !(2..=256).contains(&a.levels) {
        push(p, "levels", a.levels, "must be 2..=256");
    }

    let r = &a.parasitics;
    for (path, v) in [
        ("parasitics.r_wire_row", r.r_wire_row),
        ("parasitics.r_wire_col", r.r_wire_col),
        ("parasitics.r_driver", r.r_driver),
        ("parasitics.r_sense", r.r_sense),
    ] {
        real(p, path, v, 0.0, 1e6, false);
    }
    // A series resistance that is not zero (an ideal, merged connection)
    // but tiny next to the devices makes the nodal system so stiff that
    // double precision cannot resolve the devices' currents: at 1e-9 Ω and
    // 4 µS cells the column currents were 8.9 % off with exit 0 (CG) and
    // 2.3e-5 off with Cholesky (issue 17). Refused with the way out.
    let g_lo = lowest_conductance_us(a) * 1e-6;
    if g_lo.is_finite() && g_lo > 0.0 {
        let r_min = MIN_R_TIMES_G / g_lo;
        for (path, v) in [
            ("parasitics.r_wire_row", r.r_wire_row),
            ("parasitics.r_wire_col", r.r_wire_col),
            ("parasitics.r_driver", r.r_driver),
            ("parasitics.r_sense", r.r_sense),
            ("parasitics.r_access_on", r.r_access_on),
        ] {
            if v > 0.0 && v < r_min {
                push(
                    p,
                    path,
                    v,
                    &format!(
                        "is too small next to the devices' lowest conductance ({} µS) for a \
                         double-precision solve (resistance x conductance must be >= {}); \
                         use 0 for an ideal connection or at least {}",
                        show_f64(g_lo * 1e6),
                        show_f64(MIN_R_TIMES_G),
                        show_f64(r_min)
                    ),
                );
            }
        }
    }
    real(p, "parasitics.r_access_on", r.r_access_on, 0.0, 1e9, true);
    real(
        p,
        "parasitics.r_access_off",
        r.r_access_off,
        0.0,
        1e15,
        true,
    );
    if r.r_access_off <= r.r_access_on {
        push(
            p,
            "parasitics.r_access_off",
            r.r_access_off,
            "must exceed analog.parasitics.r_access_on",
        );
    }
    real(p, "parasitics.r_float", r.r_float, 1e6, 1e15, false);
    if a.unselected_rows == UnselectedRows::Floating && r.r_driver == 0.0 {
        push(
            p,
            "parasitics.r_driver",
            r.r_driver,
            "must be > 0 when analog.unselected_rows = \"floating\"",
        );
    }

    let v = &a.variability;
    real(p, "variability.d2d_sigma", v.d2d_sigma, 0.0, 1.0, false);
    real(p, "variability.c2c_sigma", v.c2c_sigma, 0.0, 1.0, false);
    real(
        p,
        "variability.stuck_on_rate",
        v.stuck_on_rate,
        0.0,
        1.0,
        false,
    );
    real(
        p,
        "variability.stuck_off_rate",
        v.stuck_off_rate,
        0.0,
        1.0,
        false,
    );
    if v.stuck_on_rate + v.stuck_off_rate > 1.0 {
        push(
            p,
            "variability.stuck_off_rate",
            v.stuck_off_rate,
            "stuck_on_rate + stuck_off_rate must be <= 1",
        );
    }

    real(
        p,
        "pulse.volts_per_code",
        a.pulse.volts_per_code,
        0.0,
        1.0,
        true,
    );
    real(
        p,
        "pulse.seconds_per_code",
        a.pulse.seconds_per_code,
        0.0,
        1.0,
        true,
    );

    let m = &a.rram;
    real(p, "rram.i0", m.i0, 0.0, 1.0, true);
    real(p, "rram.g0_nm", m.g0_nm, 0.0, 10.0, true);
    real(p, "rram.v0", m.v0, 0.0, 10.0, true);
    real(
        p,
        "rram.gap_rate_nm_per_s",
        m.gap_rate_nm_per_s,
        0.0,
        1e12,
        false,
    );
    real(p, "rram.gap_v", m.gap_v, 0.0, 10.0, true);
    // The largest voltage a device can see in a read is the read voltage
    // (node voltages of a passive network lie between its sources'), so a
    // read evaluates sinh(V/V0) up to read_voltage / v0. Past about 710 that
    // overflows (and the prefactor I0 exp(-gap/g0), fitted so that
    // I(V_read)/V_read is a level, underflows to 0 S): the solve then failed
    // with a non-positive pivot. The limit leaves room for Newton's
    // iterates and keeps the prefactor a normal double.
    if a.device == DeviceKind::RramSinh
        && m.v0.is_finite()
        && m.v0 > 0.0
        && a.read_voltage.is_finite()
        && a.read_voltage / m.v0 > MAX_SINH_ARGUMENT
    {
        push(
            p,
            "rram.v0",
            m.v0,
            &format!(
                "is too small for analog.read_voltage = {}: a read sees V/V0 up to {}, \
                 above {} (sinh overflows at 710); use analog.rram.v0 >= {}",
                show_f64(a.read_voltage),
                show_f64((a.read_voltage / m.v0).round()),
                show_f64(MAX_SINH_ARGUMENT),
                show_f64(a.read_voltage / MAX_SINH_ARGUMENT)
            ),
        );
    }

    let c = &a.pcm;
    real(p, "pcm.g_reset_us", c.g_reset_us, 0.0, 1e4, true);
    real(p, "pcm.g_max_us", c.g_max_us, 0.0, 1e4, true);
    if c.g_max_us <= c.g_reset_us {
        push(
            p,
            "pcm.g_max_us",
            c.g_max_us,
            "must be greater than analog.pcm.g_reset_us",
        );
    }
    real(p, "pcm.reset_spread", c.reset_spread, 0.0, 1.0, false);
    real(p, "pcm.drift_nu", c.drift_nu, 0.0, 1.0, false);
    real(p, "pcm.drift_t0_s", c.drift_t0_s, 0.0, 1e9, true);

    let t = &a.vteam;
    real(p, "vteam.r_on", t.r_on, 0.0, 1e12, true);
    real(p, "vteam.r_off", t.r_off, 0.0, 1e12, true);
    if t.r_off <= t.r_on {
        push(p, "vteam.r_off", t.r_off, "must exceed analog.vteam.r_on");
    }
    real(p, "vteam.v_off", t.v_off, 0.0, 100.0, true);
    real(p, "vteam.v_on", -t.v_on, 0.0, 100.0, true);
    real(p, "vteam.k_off", t.k_off, 0.0, 1e15, true);
    real(p, "vteam.k_on", -t.k_on, 0.0, 1e15, true);
    real(p, "vteam.alpha_on", t.alpha_on, 1.0, 20.0, false);
    real(p, "vteam.alpha_off", t.alpha_off, 1.0, 20.0, false);
    if !(1..=20).contains(&t.window_p) {
        push(p, "vteam.window_p", t.window_p, "must be 1..=20");
    }
    real(p, "vteam.w_init", t.w_init, 0.0, 1.0, false);
    if a.device == DeviceKind::Vteam
        && t.v_off.is_finite()
        && (a.read_voltage >= t.v_off || -a.read_voltage <= t.v_on)
    {
        push(
            p,
            "read_voltage",
            a.read_voltage,
            "must lie between analog.vteam.v_on and v_off so that reads do not move the state",
        );
    }

    let s = &a.solver;
    real(p, "solver.newton_vtol", s.newton_vtol, 0.0, 1e-3, true);
    real(p, "solver.newton_reltol", s.newton_reltol, 0.0, 1e-3, true);
    if !(1..=1000).contains(&s.newton_max_iter) {
        push(
            p,
            "solver.newton_max_iter",
            s.newton_max_iter,
            "must be 1..=1000",
        );
    }
    real(p, "solver.transient_tol", s.transient_tol, 0.0, 1e-2, true);
    real(p, "solver.max_step_s", s.max_step_s, 0.0, 1.0, true);
    if !(1..=100_000).contains(&s.pcg_max_iter) {
        push(
            p,
            "solver.pcg_max_iter",
            s.pcg_max_iter,
            "must be 1..=100000",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(a: &AnalogSection) -> Vec<String> {
        let mut p = Vec::new();
        validate_analog(a, &mut p);
        p.into_iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn defaults_are_valid() {
        assert_eq!(problems(&AnalogSection::default()), Vec::<String>::new());
    }

    #[test]
    fn bad_values_name_path_value_and_rule() {
        let mut a = AnalogSection {
            read_voltage: -1.0,
            ..AnalogSection::default()
        };
        a.parasitics.r_wire_row = f64::NAN;
        a.vteam.k_on = 3.0;
        let p = problems(&a);
        assert!(
            p.contains(&"analog.read_voltage = -1: must be > 0 and <= 5".to_string()),
            "{p:?}"
        );
        assert!(
            p.iter()
                .any(|s| s.starts_with("analog.parasitics.r_wire_row = NaN")),
            "{p:?}"
        );
        assert!(
            p.iter().any(|s| s.starts_with("analog.vteam.k_on")),
            "{p:?}"
        );
    }

    #[test]
    fn linear_solver_settings_parse_and_validate() {
        let a: AnalogSection =
            toml::from_str("[solver]\nlinear = \"cholesky\"\npcg_max_iter = 0\n").unwrap();
        assert_eq!(a.solver.linear, LinearSolver::Cholesky);
        assert_eq!(
            problems(&a),
            vec!["analog.solver.pcg_max_iter = 0: must be 1..=100000".to_string()]
        );
        let bad = toml::from_str::<AnalogSection>("[solver]\nlinear = \"lu\"\n");
        let msg = bad.unwrap_err().to_string();
        assert!(msg.contains("auto") && msg.contains("cholesky"), "{msg}");
    }

    #[test]
    fn an_rram_v0_that_overflows_the_read_is_named() {
        let mut a = AnalogSection {
            device: DeviceKind::RramSinh,
            ..AnalogSection::default()
        };
        a.rram.v0 = 2.7e-4;
        let p = problems(&a);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].starts_with("analog.rram.v0 = 0.00027"), "{p:?}");
        assert!(p[0].contains("read_voltage = 0.2"), "{p:?}");
        // At the limit it is accepted; other devices do not read sinh.
        a.rram.v0 = 4e-4;
        assert_eq!(problems(&a), Vec::<String>::new());
        a.rram.v0 = 2.7e-4;
        a.device = DeviceKind::Linear;
        assert_eq!(problems(&a), Vec::<String>::new());
    }

    #[test]
    fn a_stiff_wire_is_refused_with_the_way_out() {
        let mut a = AnalogSection::default();
        a.parasitics.r_wire_row = 1e-9;
        a.parasitics.r_wire_col = 1e-9;
        let p = problems(&a);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(
            p[0].starts_with("analog.parasitics.r_wire_row = 1e-9"),
            "{p:?}"
        );
        assert!(p[0].contains("use 0") && p[0].contains("2.5e-5"), "{p:?}");
        // Zero (ideal) and the limit itself are accepted.
        a.parasitics.r_wire_row = 0.0;
        a.parasitics.r_wire_col = 2.5e-5;
        assert_eq!(problems(&a), Vec::<String>::new());
    }

    #[test]
    fn vteam_reads_must_stay_below_threshold() {
        let mut a = AnalogSection {
            device: DeviceKind::Vteam,
            ..AnalogSection::default()
        };
        a.read_voltage = 0.6;
        assert!(problems(&a)
            .iter()
            .any(|s| s.starts_with("analog.read_voltage = 0.6")));
    }

    #[test]
    fn toml_names_parse_and_unknown_fields_fail() {
        let a: AnalogSection = toml::from_str(
            "device = \"rram_sinh\"\naccess = \"1t1r\"\n[parasitics]\nr_wire_row = 1.0\n",
        )
        .unwrap();
        assert_eq!(a.device, DeviceKind::RramSinh);
        assert_eq!(a.access, CellAccess::OneT1r);
        assert_eq!(a.parasitics.r_wire_row, 1.0);
        assert!(toml::from_str::<AnalogSection>("devise = \"pcm\"\n").is_err());
    }

    #[test]
    fn macro_model_parses_defaults_to_ideal_and_full_scale_is_checked() {
        assert_eq!(AnalogSection::default().macro_model, MacroModel::Ideal);
        let a: AnalogSection =
            toml::from_str("macro_model = \"device\"\nadc_full_scale_ua = 2.5\n").unwrap();
        assert_eq!(a.macro_model, MacroModel::Device);
        assert_eq!(a.adc_full_scale_ua, Some(2.5));
        assert!(toml::from_str::<AnalogSection>("macro_model = \"spice\"\n").is_err());
        let bad = AnalogSection {
            adc_full_scale_ua: Some(0.0),
            ..AnalogSection::default()
        };
        assert!(problems(&bad)
            .iter()
            .any(|s| s.starts_with("analog.adc_full_scale_ua = 0")));
    }
}

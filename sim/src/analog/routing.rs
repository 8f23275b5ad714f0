//! The analog side of a Mosaic routing tile (Dalgaty et al. 2024): a square
//! crossbar whose rows are incoming spike lines and whose columns are
//! outgoing lines. Every device is either routing (high conductance state,
//! HCS = the device range's top) or blocking (LCS = its bottom); a spike
//! pulses its row at the read voltage and one current comparator per column
//! fires the outgoing line when the column current exceeds a threshold.
//!
//! Two effects can make the comparator wrong (Chen et al. 2023): IR drop
//! lowers the current of a routing device far from driver and sense
//! amplifier, and the leakage of many blocking devices on active rows adds
//! up on one column. This module builds the two worst cases, places the
//! threshold between them, evaluates Chen et al.'s sensed on/off ratio
//! formula and estimates the routing error rate by Monte Carlo over device
//! variability. Every current comes from the same circuit solver (and the
//! same netlist the ngspice deck writer prints) as the tile's crossbar.

use super::array::{AnalogError, CrossbarArray};
use super::device::{conductance_range, IvLaw};
use super::rng::seeded;
use memforge_spec::analog::{AnalogSection, CellAccess, ReadPath};
use rand::Rng;

/// One solved read of the routing crossbar: what to give the ngspice deck
/// writer (the array's netlist, `row_volts`, `laws`) and what memforge got.
#[derive(Debug)]
pub struct RoutingRead {
    pub array: CrossbarArray,
    pub row_volts: Vec<f64>,
    pub laws: Vec<IvLaw>,
    /// Column currents (A).
    pub currents: Vec<f64>,
    /// The column the case is about.
    pub column: usize,
}

/// The two worst cases of a `lines x lines` routing crossbar and the
/// comparator threshold between them.
#[derive(Clone, Debug, PartialEq)]
pub struct Margins {
    pub lines: usize,
    /// Routed column current in the worst case (A): a single active row,
    /// the routing device at the far corner (last column, first row: the
    /// longest row and column wires), that row routing to every column
    /// (the largest row-wire current), every other device blocking.
    pub i_on_min: f64,
    /// Blocked column current in the worst case (A): every row active, the
    /// column's devices all blocking (its leakage adds up), and the rest of
    /// the array blocking too (the least IR drop, so the most leakage).
    pub i_off_max: f64,
    /// `i_on_min / i_off_max`: above 1 a threshold exists.
    pub sensed_ratio: f64,
    /// The comparator threshold, the geometric mean of the two (A).
    pub threshold: f64,
    /// Factor by which either worst case clears the threshold
    /// (`sqrt(sensed_ratio)`); below 1 some pattern is routed wrongly.
    pub margin: f64,
}

/// `cfg` with every device ideal: the nominal design the threshold is set
/// from (variability is what the Monte Carlo adds back).
pub fn nominal(cfg: &AnalogSection) -> AnalogSection {
    let mut c = cfg.clone();
    c.realistic = false;
    c.read_path = ReadPath::Circuit;
    c
}

/// A `rows x cols` array of `cfg` with cell `(r, c)` programmed to HCS when
/// `high(r, c)`, else LCS.
fn programmed(
    cfg: &AnalogSection,
    rows: usize,
    cols: usize,
    high: impl Fn(usize, usize) -> bool,
) -> Result<CrossbarArray, AnalogError> {
    let (lcs, hcs) = conductance_range(cfg);
    let mut array = CrossbarArray::new(cfg, rows, cols)?;
    for r in 0..rows {
        for c in 0..cols {
            array.program_conductance(r, c, if high(r, c) { hcs } else { lcs })?;
        }
    }
    Ok(array)
}

/// Solves one read of `array` with the `active` rows at the read voltage.
fn read(
    mut array: CrossbarArray,
    active: &[bool],
    column: usize,
) -> Result<RoutingRead, AnalogError> {
    let v = array.config().read_voltage;
    let row_volts: Vec<f64> = active.iter().map(|&a| if a { v } else { 0.0 }).collect();
    let laws = array.read_laws();
    let currents = array
        .read_with_laws(&row_volts, &laws, ReadPath::Circuit)?
        .column_currents;
    Ok(RoutingRead {
        array,
        row_volts,
        laws,
        currents,
        column,
    })
}

/// The worst routed case (see [`Margins::i_on_min`]) on nominal devices.
fn worst_routed(cfg: &AnalogSection, lines: usize) -> Result<RoutingRead, AnalogError> {
    let column = lines - 1;
    let array = programmed(&nominal(cfg), lines, lines, |r, _| r == 0)?;
    let mut active = vec![false; lines];
    active[0] = true;
    read(array, &active, column)
}

/// The worst blocked case (see [`Margins::i_off_max`]) on nominal devices.
fn worst_blocked(cfg: &AnalogSection, lines: usize) -> Result<RoutingRead, AnalogError> {
    let array = programmed(&nominal(cfg), lines, lines, |_, _| false)?;
    read(array, &vec![true; lines], lines - 1)
}

/// Both worst cases of a `lines x lines` crossbar, solved on nominal
/// devices (the reads keep what the ngspice deck writer needs).
#[derive(Debug)]
pub struct WorstCases {
    pub routed: RoutingRead,
    pub blocked: RoutingRead,
}

/// Solves both worst cases (see [`Margins`]).
pub fn worst_cases(cfg: &AnalogSection, lines: usize) -> Result<WorstCases, AnalogError> {
    if lines == 0 {
        return Err(AnalogError::Input(
            "a routing crossbar needs at least one line".into(),
        ));
    }
    Ok(WorstCases {
        routed: worst_routed(cfg, lines)?,
        blocked: worst_blocked(cfg, lines)?,
    })
}

impl WorstCases {
    /// The currents of the two cases and the threshold between them.
    pub fn margins(&self) -> Margins {
        let (on, off) = (&self.routed, &self.blocked);
        let i_on_min = on.currents[on.column];
        let i_off_max = off.currents[off.column];
        let sensed_ratio = i_on_min / i_off_max;
        Margins {
            lines: on.currents.len(),
            i_on_min,
            i_off_max,
            sensed_ratio,
            threshold: (i_on_min * i_off_max).sqrt(),
            margin: sensed_ratio.sqrt(),
        }
    }
}

/// Both worst cases of a `lines x lines` crossbar and the threshold.
pub fn margins(cfg: &AnalogSection, lines: usize) -> Result<Margins, AnalogError> {
    Ok(worst_cases(cfg, lines)?.margins())
}

/// Chen et al. (2023): the sensed on/off current ratio of one device with
/// on/off ratio `k` in series with `r_series` (access transistor, wires,
/// driver and sense amplifier) and on-resistance `r_on`:
/// `k' = (k - 1) / (1 + r_series / r_on) + 1`. Their form writes
/// `r_series = R_T + N r` (N cells of wire resistance r).
pub fn chen_sensed_ratio(k: f64, r_on: f64, r_series: f64) -> f64 {
    (k - 1.0) / (1.0 + r_series / r_on) + 1.0
}

/// Chen et al.'s setting solved by the circuit solver: one column of `n`
/// cells, the device at the far end (first row) alone active, HCS and then
/// LCS; returns (memforge's sensed ratio, the formula's, the series
/// resistance used). The series resistance is everything the netlist puts
/// between the driver and the sense amplifier's virtual ground around that
/// device: driver, access switch (1T1R), `n - 1` column-wire segments and
/// the sense amplifier. The other rows are grounded and their sneak paths
/// are what the formula leaves out, so the two agree closely with 1T1R
/// (switches off) and less with 0T1R.
pub fn column_sensed_ratio(cfg: &AnalogSection, n: usize) -> Result<(f64, f64, f64), AnalogError> {
    let cfg = nominal(cfg);
    let mut active = vec![false; n];
    active[0] = true;
    let current = |high: bool| -> Result<f64, AnalogError> {
        let array = programmed(&cfg, n, 1, |r, _| high && r == 0)?;
        Ok(read(array, &active, 0)?.currents[0])
    };
    let measured = current(true)? / current(false)?;
    let (lcs, hcs) = conductance_range(&cfg);
    let p = &cfg.parasitics;
    let r_access = if cfg.access == CellAccess::OneT1r {
        p.r_access_on
    } else {
        0.0
    };
    let r_series = p.r_driver + r_access + (n as f64 - 1.0) * p.r_wire_col + p.r_sense;
    let formula = chen_sensed_ratio(hcs / lcs, 1.0 / hcs, r_series);
    Ok((measured, formula, r_series))
}

/// Random routing patterns and spike activity for the Monte Carlo.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Traffic {
    /// Probability that a device routes (HCS).
    pub route_density: f64,
    /// Probability that an input line carries a spike in a read.
    pub activity: f64,
}

impl Default for Traffic {
    fn default() -> Self {
        Self {
            route_density: 0.1,
            activity: 0.2,
        }
    }
}

/// Outcome of a Monte Carlo run.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorRate {
    pub lines: usize,
    pub trials: usize,
    /// Comparator decisions checked (`trials * lines`).
    pub decisions: usize,
    /// Columns that fired without a routed active input.
    pub false_fires: usize,
    /// Columns that stayed silent with a routed active input.
    pub missed: usize,
}

impl ErrorRate {
    /// Wrong decisions per decision.
    pub fn rate(&self) -> f64 {
        (self.false_fires + self.missed) as f64 / self.decisions.max(1) as f64
    }
}

/// Routes `trials` random patterns through fresh devices of `cfg` (its
/// variability, faults and read noise, one seed per trial from `seed`),
/// each decided by comparators at `threshold`, and counts the columns whose
/// decision differs from the boolean routing mask (out = OR of active
/// inputs whose device routes).
pub fn monte_carlo(
    cfg: &AnalogSection,
    lines: usize,
    threshold: f64,
    traffic: Traffic,
    trials: usize,
    seed: u64,
) -> Result<ErrorRate, AnalogError> {
    let mut rng = seeded(seed);
    let mut out = ErrorRate {
        lines,
        trials,
        decisions: trials * lines,
        false_fires: 0,
        missed: 0,
    };
    for trial in 0..trials {
        let routes: Vec<bool> = (0..lines * lines)
            .map(|_| rng.gen_bool(traffic.route_density))
            .collect();
        let active: Vec<bool> = (0..lines).map(|_| rng.gen_bool(traffic.activity)).collect();
        let mut c = cfg.clone();
        c.read_path = ReadPath::Circuit;
        c.seed = seed.wrapping_add(1 + trial as u64);
        let array = programmed(&c, lines, lines, |r, col| routes[r * lines + col])?;
        let got = read(array, &active, 0)?.currents;
        for (col, current) in got.iter().enumerate() {
            let want = (0..lines).any(|r| active[r] && routes[r * lines + col]);
            match (want, *current > threshold) {
                (false, true) => out.false_fires += 1,
                (true, false) => out.missed += 1,
                _ => {}
            }
        }
    }
    Ok(out)
}

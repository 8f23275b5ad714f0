//! The memforge-vs-ngspice comparisons behind `memforge analog`, the bench
//! and the integration tests: the same netlist, the same device laws, solved
//! by both, compared column by column (DC) or sample by sample (transient).

use super::pattern::Solve;
use crate::spice::{run_deck, SpiceRun};
use anyhow::{Context, Result};
use memforge_sim::analog::solver::StampFault;
use memforge_sim::analog::spice::{
    agreement, column_vector, interpolate, op_deck, state_vector, tran_deck, Agreement, DeckOptions,
};
use memforge_sim::analog::transient::{self, Pwl, TransientSpec};
use memforge_sim::analog::{
    CrossbarArray, Drive, IvLaw, LinearSettings, NewtonSettings, Read, SolvedBy, Solver,
};
use memforge_sim::weights::Levels;
use memforge_spec::analog::{AnalogSection, DeviceKind, ReadPath};
use memforge_spec::DesignConfig;
use std::time::{Duration, Instant};

/// Accepted max relative column-current error for ohmic cells.
pub const LINEAR_TOLERANCE: f64 = 1e-6;
/// Accepted max relative column-current error for sinh cells.
pub const NONLINEAR_TOLERANCE: f64 = 1e-4;
/// Accepted relative error of VTEAM state and current trajectories.
pub const TRANSIENT_TOLERANCE: f64 = 1e-2;

/// A DC read of a design's crossbar, optionally checked against ngspice.
#[derive(Debug)]
pub struct DcCheck {
    pub rows: usize,
    pub cols: usize,
    pub nonlinear: bool,
    pub read: Read,
    /// Netlist, symbolic analysis, numeric factorisation and solve (s).
    pub memforge_seconds: f64,
    /// A repeated read on the same array: numeric factorisation and solve (s).
    pub memforge_warm_seconds: f64,
    pub unknowns: usize,
    /// Non-zeros of the solver's factor (the lines' factor for CG, the
    /// whole matrix's for Cholesky).
    pub factor_nnz: usize,
    /// The linear solver of the cold solve, and its CG iterations.
    pub solved_by: SolvedBy,
    pub pcg_iterations: usize,
    pub spice: Option<SpiceDc>,
}

/// The ngspice side of a DC check.
#[derive(Debug)]
pub struct SpiceDc {
    pub currents: Vec<f64>,
    pub agreement: Agreement,
    pub run: SpiceRun,
}

impl DcCheck {
    /// The tolerance this circuit is held to.
    pub fn tolerance(&self) -> f64 {
        if self.nonlinear {
            NONLINEAR_TOLERANCE
        } else {
            LINEAR_TOLERANCE
        }
    }
}

/// The array of `a` at `rows x cols`, programmed to its seeded random
/// levels, and the laws of one read with every row at the read voltage.
pub fn prepared(
    a: &AnalogSection,
    rows: usize,
    cols: usize,
    weights: Option<&Levels>,
) -> Result<(CrossbarArray, Vec<f64>, Vec<IvLaw>)> {
    let mut array = CrossbarArray::new(a, rows, cols)?;
    match weights {
        None => array.program_random_levels()?,
        // Cells outside the weight matrix hold level 0.
        Some(w) => {
            for r in 0..rows {
                for c in 0..cols {
                    let level = if r < w.rows && c < w.cols {
                        w.get(r, c)
                    } else {
                        0
                    };
                    array.program_level(r, c, u32::from(level))?;
                }
            }
        }
    }
    let laws = array.read_laws();
    let volts = vec![a.read_voltage; rows];
    Ok((array, volts, laws))
}

/// Solves the design's crossbar and, with `spice`, the same deck in ngspice.
/// `fault` makes the Rust stamping wrong on purpose (tests only).
/// `weights` (quantized to `analog.levels`) replace the seeded random levels.
pub fn dc_check(
    design: &DesignConfig,
    spice: Option<Duration>,
    fault: Option<StampFault>,
    weights: Option<&Levels>,
) -> Result<DcCheck> {
    let (rows, cols) = (design.tile.rows as usize, design.tile.cols as usize);
    dc_check_weighted(&design.analog, rows, cols, spice, fault, weights)
}

/// [`dc_check`] for any size (the bench goes beyond a tile's 256 rows).
pub fn dc_check_array(
    a: &AnalogSection,
    rows: usize,
    cols: usize,
    spice: Option<Duration>,
    fault: Option<StampFault>,
) -> Result<DcCheck> {
    dc_check_weighted(a, rows, cols, spice, fault, None)
}

fn dc_check_weighted(
    a: &AnalogSection,
    rows: usize,
    cols: usize,
    spice: Option<Duration>,
    fault: Option<StampFault>,
    weights: Option<&Levels>,
) -> Result<DcCheck> {
    let all = [Solve {
        volts: vec![a.read_voltage; rows],
        weight: 1.0,
    }];
    dc_check_solves(a, rows, cols, spice, fault, weights, &all)
}

/// [`dc_check_array`] with the solves of a read pattern (the bench).
pub fn dc_check_array_solves(
    a: &AnalogSection,
    rows: usize,
    cols: usize,
    spice: Option<Duration>,
    solves: &[Solve],
) -> Result<DcCheck> {
    dc_check_solves(a, rows, cols, spice, None, None, solves)
}

/// [`dc_check`] of a read pattern (`memforge analog --read`): its solves
/// run on the same cells with one draw of read noise; the result's
/// currents are the solves' weighted sums, its IR drop the largest per
/// cell and its node voltages those of the heaviest solve. With `spice`,
/// every solve is also run in ngspice and compared column by column; the
/// agreement is the worst over the solves.
pub fn dc_check_pattern(
    design: &DesignConfig,
    spice: Option<Duration>,
    weights: Option<&Levels>,
    solves: &[Solve],
) -> Result<DcCheck> {
    let (rows, cols) = (design.tile.rows as usize, design.tile.cols as usize);
    dc_check_solves(&design.analog, rows, cols, spice, None, weights, solves)
}

fn dc_check_solves(
    a: &AnalogSection,
    rows: usize,
    cols: usize,
    spice: Option<Duration>,
    fault: Option<StampFault>,
    weights: Option<&Levels>,
    solves: &[Solve],
) -> Result<DcCheck> {
    let (mut array, _, laws) = prepared(a, rows, cols, weights)?;
    array.inject_stamp_fault(fault);
    let drives: Vec<(Vec<f64>, Vec<bool>)> = solves
        .iter()
        .map(|s| (s.volts.clone(), s.volts.iter().map(|v| *v != 0.0).collect()))
        .collect();

    // Cold: everything ngspice does for the deck, from the netlist on.
    let start = Instant::now();
    let geometry = array.solver().geometry().clone();
    let mut solver = Solver::for_geometry(geometry, LinearSettings::from_config(&a.solver))?;
    solver.inject_stamp_fault(fault);
    let newton = NewtonSettings::from_config(&a.solver);
    let mut cold = None;
    let mut pcg_iterations = 0;
    for (volts, selected) in &drives {
        let sol = solver.solve(
            &Drive {
                row_volts: volts,
                selected,
            },
            &laws,
            &newton,
        )?;
        pcg_iterations += sol.pcg_iterations;
        cold.get_or_insert(sol.solved_by);
    }
    let memforge_seconds = start.elapsed().as_secs_f64();
    // The cold run's solver is done: the warm read below uses the array's
    // own, so the peak memory is one solver's, as in a user's run.
    drop(solver);

    let start = Instant::now();
    let reads = solves
        .iter()
        .map(|s| array.read_with_laws(&s.volts, &laws, ReadPath::Circuit))
        .collect::<Result<Vec<Read>, _>>()?;
    let memforge_warm_seconds = start.elapsed().as_secs_f64();

    let nonlinear = laws.iter().any(|l| !l.is_linear());
    let spice = match spice {
        None => None,
        Some(timeout) => {
            let mut total: Option<SpiceDc> = None;
            for (s, read) in solves.iter().zip(&reads) {
                let deck = op_deck(
                    array.solver().netlist(),
                    &s.volts,
                    &laws,
                    &DeckOptions::default(),
                );
                let run = run_deck(&deck, timeout).context("ngspice reference run")?;
                let plot = run.plot()?;
                let currents = (0..cols)
                    .map(|j| {
                        plot.vector(&column_vector(j))
                            .and_then(|v| v.first().copied())
                    })
                    .collect::<Option<Vec<f64>>>()
                    .context("ngspice result lacks a column current")?;
                let ag = agreement(&read.column_currents, &currents, 1e-15);
                total = Some(match total {
                    None => SpiceDc {
                        currents: currents.iter().map(|c| s.weight * c).collect(),
                        agreement: ag,
                        run,
                    },
                    Some(mut t) => {
                        for (acc, c) in t.currents.iter_mut().zip(&currents) {
                            *acc += s.weight * c;
                        }
                        if ag.max_rel_error > t.agreement.max_rel_error {
                            t.agreement = ag;
                        }
                        t.run.wall_seconds += run.wall_seconds;
                        t.run.analysis_seconds = t
                            .run
                            .analysis_seconds
                            .zip(run.analysis_seconds)
                            .map(|(x, y)| x + y);
                        t.run.peak_rss_kib = t.run.peak_rss_kib.max(run.peak_rss_kib);
                        t
                    }
                });
            }
            total
        }
    };
    Ok(DcCheck {
        rows,
        cols,
        nonlinear,
        read: combine(solves, reads),
        memforge_seconds,
        memforge_warm_seconds,
        unknowns: array.solver().unknowns(),
        factor_nnz: array.solver().factor_nnz(),
        solved_by: cold.unwrap_or(SolvedBy::Nothing),
        pcg_iterations,
        spice,
    })
}

/// The reads of a pattern as one: weighted currents, the largest IR drop
/// per cell, the node voltages of the heaviest solve.
fn combine(solves: &[Solve], mut reads: Vec<Read>) -> Read {
    if reads.len() == 1 && solves.first().is_some_and(|s| s.weight == 1.0) {
        // One read as it is (no copy of its per-cell vectors).
        return reads.swap_remove(0);
    }
    let heaviest = solves
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.weight.total_cmp(&b.1.weight))
        .map_or(0, |(k, _)| k);
    let mut out = reads[heaviest].clone();
    let weighted = |f: &dyn Fn(&Read) -> &Vec<f64>| -> Vec<f64> {
        let mut acc = vec![0.0; f(&out).len()];
        for (s, r) in solves.iter().zip(&reads) {
            for (a, x) in acc.iter_mut().zip(f(r)) {
                *a += s.weight * x;
            }
        }
        acc
    };
    let column_currents = weighted(&|r| &r.column_currents);
    let ideal_currents = weighted(&|r| &r.ideal_currents);
    for r in &reads {
        for (d, x) in out.ir_drop.iter_mut().zip(&r.ir_drop) {
            if x.abs() > d.abs() {
                *d = *x;
            }
        }
    }
    out.column_currents = column_currents;
    out.ideal_currents = ideal_currents;
    out.iterations = reads.iter().map(|r| r.iterations).sum();
    out
}

/// A VTEAM pulse-train transient compared with ngspice.
#[derive(Debug)]
pub struct TranCheck {
    pub samples: usize,
    pub state: Agreement,
    pub current: Agreement,
    /// Largest change of any cell's state over the run (shows the pulses
    /// really moved the devices; a frozen model would also agree).
    pub state_swing: f64,
    pub memforge_seconds: f64,
    pub run: SpiceRun,
}

/// The standard stimulus: on every row three SET pulses then three RESET
/// pulses of the design's `program.pulse_amplitude`/`pulse_width` codes,
/// with 5 ns edges; odd rows start with RESET so cells see varied voltages.
pub fn pulse_stimulus(design: &DesignConfig, rows: usize) -> (Vec<Pwl>, f64) {
    let a = &design.analog;
    let volts = f64::from(design.program.pulse_amplitude) * a.pulse.volts_per_code;
    let width = f64::from(design.program.pulse_width) * a.pulse.seconds_per_code;
    let edge = 5e-9;
    let period = 2.0 * width + 2.0 * edge;
    let t_stop = 6.0 * period + 2.0 * edge;
    let sources = (0..rows)
        .map(|i| {
            let first = if i % 2 == 0 { -volts } else { volts };
            Pwl::pulse_train(first, width, edge, period, 3, edge).then(&Pwl::pulse_train(
                -first,
                width,
                edge,
                period,
                3,
                edge + 3.0 * period,
            ))
        })
        .collect();
    (sources, t_stop)
}

/// Runs the pulse-train transient in memforge and in ngspice, compares the
/// state of every cell and the current of every column at every 1 ns.
pub fn transient_check(design: &DesignConfig, timeout: Duration) -> Result<TranCheck> {
    if design.analog.device != DeviceKind::Vteam {
        return Err(crate::outcome::UsageError(format!(
            "--transient needs analog.device = \"vteam\" (this design has \"{}\"); see examples/analog-vteam-4x4.toml",
            serde_json::to_value(design.analog.device)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        ))
        .into());
    }
    let mut array = CrossbarArray::from_design(design)?;
    array.program_random_levels()?;
    let w0: Vec<f64> = array
        .devices()
        .iter()
        .map(|d| d.as_vteam().map_or(0.0, |v| v.w))
        .collect();
    let (sources, t_stop) = pulse_stimulus(design, array.rows());
    let t_sample = 1e-9;
    let spec = TransientSpec {
        rows: sources.clone(),
        t_stop,
        t_sample,
    };
    let deck = tran_deck(
        array.solver().netlist(),
        &design.analog.vteam,
        &w0,
        &sources,
        t_stop,
        t_sample,
        &DeckOptions::default(),
    );
    let start = Instant::now();
    let traj = transient::run(&mut array, &spec)?;
    let memforge_seconds = start.elapsed().as_secs_f64();

    let run = run_deck(&deck, timeout).context("ngspice transient reference run")?;
    let plot = run.plot()?;
    let time = plot
        .vector("time")
        .context("ngspice transient lacks its time vector")?;
    let (rows, cols) = (array.rows(), array.cols());
    let (mut ours_w, mut ref_w, mut ours_i, mut ref_i) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 0..rows {
        for j in 0..cols {
            let v = plot
                .vector(&state_vector(i, j))
                .with_context(|| format!("ngspice lacks {}", state_vector(i, j)))?;
            for (k, t) in traj.times.iter().enumerate() {
                ours_w.push(traj.states[k][i * cols + j]);
                ref_w.push(interpolate(&time, &v, *t));
            }
        }
    }
    for j in 0..cols {
        let v = plot
            .vector(&column_vector(j))
            .with_context(|| format!("ngspice lacks {}", column_vector(j)))?;
        for (k, t) in traj.times.iter().enumerate() {
            ours_i.push(traj.currents[k][j]);
            ref_i.push(interpolate(&time, &v, *t));
        }
    }
    let peak = ref_i.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    let state_swing = (0..rows * cols)
        .map(|c| {
            let w = traj.states.iter().map(|s| s[c]);
            w.clone().fold(f64::NEG_INFINITY, f64::max) - w.fold(f64::INFINITY, f64::min)
        })
        .fold(0.0f64, f64::max);
    Ok(TranCheck {
        samples: traj.times.len(),
        state: agreement(&ours_w, &ref_w, 1e-2),
        current: agreement(&ours_i, &ref_i, 1e-2 * peak.max(1e-15)),
        state_swing,
        memforge_seconds,
        run,
    })
}

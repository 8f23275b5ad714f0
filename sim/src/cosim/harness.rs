//! The lock-step loop: a device under test ([`Dut`]: the Verilated RTL, or
//! rust-hdl's simulator) and a [`CycleModel`] get identical inputs every
//! cycle and every output port is compared after every rising edge (exact,
//! because memforge designs register all their outputs). [`run`] is the
//! Verilated run with its VCD replay; [`run_dut`] runs any [`Dut`].
//!
//! Per cycle: the stimulus writes the inputs into the packed value vector
//! (it sees last cycle's outputs there), the inputs are copied into the
//! RTL's port storage, the RTL is clocked (low + eval, high + eval), the
//! model ticks, and the output words are compared. Nothing is
//! allocated or looked up by name inside the loop. A stimulus that reports
//! [`Stimulus::finished`] (a script that has run out of operations) ends the
//! run before the next cycle.
//!
//! VCD window: tracing every cycle would slow a long run several times, so
//! the first run is untraced. When it finds a mismatch at cycle N and a VCD
//! was asked for, the harness replays from cycle 0 with a fresh model and a
//! fresh stimulus built from the same seed, turns the VCD on at cycle
//! `N + 1 - window`, and stops after cycle N. The replay must hit the same
//! mismatch at the same cycle; the report says whether it did.

use super::binding::{bind, BindError, Binding};
use super::dut::{Dut, DutError, VerilatedDut};
use super::mismatch::{hex_value, Mismatch, SignalDiff};
use crate::cycle::{CycleModel, PortLayout};
use crate::stimulus::Stimulus;
use crate::verilator::{VerilatedLibrary, VerilatorError};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Where and how long a mismatch trace is.
#[derive(Clone, Debug)]
pub struct VcdWindow {
    pub path: PathBuf,
    /// Cycles traced, ending with the mismatching one.
    pub cycles: u64,
}

#[derive(Clone, Debug)]
pub struct CosimOptions {
    /// The RTL's clock port (not part of the model's layout).
    pub clock: String,
    pub cycles: u64,
    /// Passed to the factory; reported with any mismatch.
    pub seed: u64,
    pub vcd: Option<VcdWindow>,
}

#[derive(Clone, Debug)]
pub struct CosimReport {
    /// Cycles compared (including the mismatching one, if any); fewer than
    /// asked for when the stimulus finished early.
    pub cycles: u64,
    pub seed: u64,
    /// Wall time of the lock-step loop alone (no build, no replay).
    pub elapsed: Duration,
    pub mismatch: Option<Mismatch>,
}

impl CosimReport {
    pub fn cycles_per_second(&self) -> f64 {
        super::record::cycles_per_second(self.cycles, self.elapsed)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CosimError {
    #[error(transparent)]
    Verilator(#[from] VerilatorError),
    #[error(transparent)]
    Ports(#[from] BindError),
    #[error(transparent)]
    Dut(#[from] DutError),
    /// The stimulus's own model failed ([`Stimulus::fault`]): the run
    /// stopped there rather than go on with inputs it cannot vouch for.
    #[error("cycle {cycle}: {message}")]
    Stimulus { cycle: u64, message: String },
}

/// Runs `opts.cycles` cycles of RTL against model in lock step. `make(seed)`
/// builds a fresh golden model (in its reset state) and stimulus; it is
/// called again for the VCD replay, so it must be deterministic.
pub fn run<M, S, F>(
    lib: &VerilatedLibrary,
    mut make: F,
    opts: &CosimOptions,
) -> Result<CosimReport, CosimError>
where
    M: CycleModel,
    S: Stimulus,
    F: FnMut(u64) -> (M, S),
{
    let (mut model, mut stim) = make(opts.seed);
    let binding = bind(model.layout(), lib.ports(), &opts.clock)?;
    let mut dut = VerilatedDut {
        rtl: lib.instantiate(false)?,
        binding: binding.clone(),
    };
    let start = Instant::now();
    let (hit, ran) = lockstep(&mut dut, &mut model, &mut stim, opts.cycles, None)?;
    let elapsed = start.elapsed();
    drop(dut);
    let Some(found) = hit else {
        return Ok(CosimReport {
            cycles: ran,
            seed: opts.seed,
            elapsed,
            mismatch: None,
        });
    };
    let mut mismatch = describe(&found, &model, opts.seed);
    if let Some(window) = &opts.vcd {
        replay_into_vcd(
            lib,
            &mut make,
            opts,
            &binding,
            window,
            &found,
            &mut mismatch,
        )?;
    }
    Ok(CosimReport {
        cycles: found.cycle + 1,
        seed: opts.seed,
        elapsed,
        mismatch: Some(mismatch),
    })
}

/// The raw facts of a mismatch, before formatting.
struct Found {
    cycle: u64,
    /// (layout index, expected words, actual words) per differing output.
    diffs: Vec<(usize, Vec<u64>, Vec<u64>)>,
}

/// Where the VCD goes during a replay.
struct Tracing<'a> {
    from_cycle: u64,
    path: &'a std::path::Path,
}

/// Runs `cycles` cycles of `dut` against `model` in lock step (no VCD
/// replay): the loop every block's co-simulation shares, whatever simulates
/// the RTL.
pub fn run_dut<D, M, S>(
    dut: &mut D,
    model: &mut M,
    stim: &mut S,
    cycles: u64,
    seed: u64,
) -> Result<CosimReport, CosimError>
where
    D: Dut,
    M: CycleModel,
    S: Stimulus,
{
    let start = Instant::now();
    let (hit, ran) = lockstep(dut, model, stim, cycles, None)?;
    let elapsed = start.elapsed();
    Ok(CosimReport {
        cycles: hit.as_ref().map_or(ran, |f| f.cycle + 1),
        seed,
        elapsed,
        mismatch: hit.map(|f| describe(&f, model, seed)),
    })
}

/// The output ports of `layout` as (layout index, words).
fn output_ranges(layout: &PortLayout) -> Vec<(usize, std::ops::Range<usize>)> {
    (0..layout.ports.len())
        .filter(|&i| !layout.ports[i].input)
        .map(|i| (i, layout.range(i)))
        .collect()
}

fn lockstep<D: Dut, M: CycleModel, S: Stimulus>(
    dut: &mut D,
    model: &mut M,
    stim: &mut S,
    cycles: u64,
    tracing: Option<Tracing>,
) -> Result<(Option<Found>, u64), CosimError> {
    let total = model.layout().total_words();
    let outputs = output_ranges(model.layout());
    let mut values = vec![0u64; total];
    let mut actual = vec![0u64; total];
    model.outputs(&mut values);
    for cycle in 0..cycles {
        if stim.finished() {
            dut.close_trace();
            return Ok((None, cycle));
        }
        if let Some(t) = &tracing {
            if t.from_cycle == cycle {
                dut.open_trace(t.path)?;
            }
        }
        stim.drive(cycle, &mut values);
        if let Some(message) = stim.fault() {
            dut.close_trace();
            return Err(CosimError::Stimulus { cycle, message });
        }
        dut.cycle(&values, &mut actual)?;
        model.tick(&values);
        model.outputs(&mut values);
        let mut differs = false;
        for (_, r) in &outputs {
            differs |= if r.len() == 1 {
                actual[r.start] != values[r.start]
            } else {
                actual[r.clone()] != values[r.clone()]
            };
        }
        if differs {
            dut.close_trace();
            let diffs = outputs
                .iter()
                .filter(|(_, r)| actual[r.clone()] != values[r.clone()])
                .map(|(i, r)| (*i, values[r.clone()].to_vec(), actual[r.clone()].to_vec()))
                .collect();
            return Ok((Some(Found { cycle, diffs }), cycle + 1));
        }
    }
    dut.close_trace();
    Ok((None, cycles))
}

fn describe<M: CycleModel>(found: &Found, model: &M, seed: u64) -> Mismatch {
    let ports = &model.layout().ports;
    Mismatch {
        cycle: found.cycle,
        seed,
        signals: found
            .diffs
            .iter()
            .map(|(i, expected, actual)| SignalDiff {
                signal: ports[*i].name.clone(),
                width: ports[*i].width,
                expected: hex_value(expected, ports[*i].width),
                actual: hex_value(actual, ports[*i].width),
            })
            .collect(),
        vcd: None,
        vcd_first_cycle: None,
        reproduced: None,
        vcd_note: None,
    }
}

fn replay_into_vcd<M, S, F>(
    lib: &VerilatedLibrary,
    make: &mut F,
    opts: &CosimOptions,
    binding: &Binding,
    window: &VcdWindow,
    found: &Found,
    mismatch: &mut Mismatch,
) -> Result<(), CosimError>
where
    M: CycleModel,
    S: Stimulus,
    F: FnMut(u64) -> (M, S),
{
    if !lib.supports_trace() {
        mismatch.vcd_note = Some("the model was built without tracing".into());
        return Ok(());
    }
    if let Some(dir) = window.path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(VerilatorError::io(dir))?;
    }
    let from = (found.cycle + 1).saturating_sub(window.cycles.max(1));
    let (mut model, mut stim) = make(opts.seed);
    let mut dut = VerilatedDut {
        rtl: lib.instantiate(true)?,
        binding: binding.clone(),
    };
    let tracing = Tracing {
        from_cycle: from,
        path: &window.path,
    };
    let (again, _) = lockstep(
        &mut dut,
        &mut model,
        &mut stim,
        found.cycle + 1,
        Some(tracing),
    )?;
    mismatch.vcd = Some(window.path.clone());
    mismatch.vcd_first_cycle = Some(from);
    mismatch.reproduced =
        Some(again.is_some_and(|a| a.cycle == found.cycle && a.diffs == found.diffs));
    Ok(())
}

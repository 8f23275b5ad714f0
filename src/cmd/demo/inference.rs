//! The demo's second half (issue #3's user flow): program trained weights
//! into the tile through its register file with write-verify, configure the
//! neurons, stream input spikes and collect output spikes, all in lock-step
//! co-simulation of the Verilated RTL against the golden model; then check
//! that RTL and model agreed on every cycle and that the spikes are what
//! the weights predict.

use super::predict::{predict, Prediction};
use super::train::{fabricated_levels, spike_train};
use super::Steps;
use crate::cosim::cache::cache_root;
use crate::cosim::design::port_specs;
use crate::outcome::CheckFailed;
use crate::tools::{find, Tool};
use anyhow::{Context, Result};
use memforge_hdl::emit::Emitted;
use memforge_sim::cosim::session::{run_session, AerEvent, Script, SessionLog, SessionRun};
use memforge_sim::cosim::CosimOptions;
use memforge_sim::tile::IdealXbar;
use memforge_sim::verilator::{BuildOptions, RtlDesign, VerilatedLibrary};
use memforge_sim::weights::{load_npy, load_weights, Levels, WeightMatrix};
use memforge_spec::{Derived, DesignConfig};
use serde_json::json;
use std::path::Path;
use std::time::Instant;

/// The example weights, built in so the demo runs from any directory.
const WEIGHTS_NPY: &[u8] = include_bytes!("../../../examples/weights-8x8.npy");
const WEIGHTS_NAME: &str = "examples/weights-8x8.npy";
/// Seeds of the cells' starting levels and of the input spike train.
const FAB_SEED: u64 = 0xfab;
const TRAIN_SEED: u64 = 0x5917e;
/// Input time steps, and 1-in-N chance a row spikes in each.
pub const STEPS: u32 = 40;
const SPIKE_EVERY: u64 = 3;
/// Read latency of the ideal macro, in cycles.
const LATENCY: usize = 1;

/// Which operations of the script end each phase (indices into its ops).
pub struct Phases {
    /// The last operation before the first write-verify request.
    pub setup: usize,
    pub programmed: usize,
    pub configured: usize,
    pub streamed: usize,
}

/// The demo's workload on a tile: what software does (program the
/// weights' levels with write-verify, configure the neurons, stream input
/// spikes and wait until the tile is idle) and the macro it runs against.
/// The demo checks what it produces; `memforge ppa` measures its power.
pub struct Workload {
    /// Level of every cell, row-major (0 outside the weight matrix).
    pub targets: Vec<u16>,
    pub events: Vec<AerEvent>,
    pub script: Script,
    pub phases: Phases,
    /// The cells' as-fabricated levels before programming.
    pub initial: Vec<u16>,
    pub threshold: u16,
    /// Cycle bound of the run (the script ends it long before).
    pub budget: u64,
}

impl Workload {
    pub fn new(cfg: &DesignConfig, levels: &Levels) -> Self {
        let (rows, cols) = (cfg.tile.rows as usize, cfg.tile.cols as usize);
        let adc_max = Derived::of(cfg).adc_max as u16;
        // Cells outside the weight matrix are programmed to 0 (no input).
        let targets: Vec<u16> = (0..rows * cols)
            .map(|i| {
                let (r, c) = (i / cols, i % cols);
                if r < levels.rows && c < levels.cols {
                    levels.get(r, c)
                } else {
                    0
                }
            })
            .collect();
        let threshold = cfg.neuron.threshold.min(0xffff) as u16;
        let events = spike_train(cfg.tile.rows, STEPS, SPIKE_EVERY, TRAIN_SEED);
        let (script, phases) = script(cfg, &targets, &events, threshold);
        let budget = budget(cfg, rows * cols, events.len());
        Self {
            initial: fabricated_levels(rows * cols, adc_max, FAB_SEED),
            targets,
            events,
            script,
            phases,
            threshold,
            budget,
        }
    }

    /// The macro at its as-fabricated levels (a fresh one per call: the
    /// harness builds it again for a VCD replay).
    pub fn xbar(&self, cfg: &DesignConfig) -> IdealXbar {
        let cols = cfg.tile.cols as usize;
        let mut x = IdealXbar::new(cfg, LATENCY);
        for (i, &l) in self.initial.iter().enumerate() {
            x.set_level(i / cols, i % cols, l);
        }
        x
    }
}

/// Returns the Verilated library so later steps reuse the same build.
/// User weights given with `--weights`: the matrix and how to name it.
pub struct UserWeights {
    pub label: String,
    pub matrix: WeightMatrix,
}

/// Reads `--weights FILE [--tensor NAME]` and checks it fits the tile
/// (before any slow step; a misfit is bad input).
pub(super) fn user_weights(
    cfg: &DesignConfig,
    path: &Path,
    tensor: Option<&str>,
) -> Result<UserWeights> {
    let matrix = load_weights(path, tensor)?;
    matrix.check_fits(cfg.tile.rows as usize, cfg.tile.cols as usize)?;
    let label = match tensor {
        Some(t) => format!("{} (tensor {t})", path.display()),
        None => path.display().to_string(),
    };
    Ok(UserWeights { label, matrix })
}

pub(super) fn run(
    s: &mut Steps,
    cfg: &DesignConfig,
    emitted: &Emitted,
    out: &Path,
    user: Option<&UserWeights>,
) -> Result<VerilatedLibrary> {
    let cols = cfg.tile.cols as usize;
    let adc_max = Derived::of(cfg).adc_max as u16;
    let (title, weights_name, levels) = match user {
        None => (
            "Load the example weights and quantize them to cell levels",
            WEIGHTS_NAME.to_string(),
            load_levels(cfg, adc_max)?,
        ),
        Some(u) => (
            "Load the given weights and quantize them to cell levels",
            u.label.clone(),
            u.matrix.to_levels(adc_max),
        ),
    };
    let w = Workload::new(cfg, &levels);
    let targets = &w.targets;
    s.step(
        title,
        format!(
            "{weights_name}: {}x{} weights -> levels 0..={adc_max} (ADC codes of a one-row read), {} negative weights clipped\n{}",
            levels.rows,
            levels.cols,
            levels.clipped_negative,
            matrix_text(targets, cols)
        ),
        json!({"weights": weights_name, "levels": targets, "clipped_negative": levels.clipped_negative}),
    );

    let started = Instant::now();
    let lib = verilate(emitted, out)?;
    s.step(
        "Verilate the generated tile (RTL for the lock-step co-simulation)",
        format!(
            "{} ({})",
            lib.design().top,
            if lib.was_cached() {
                "cached build".to_string()
            } else {
                format!("built in {:.1} s", started.elapsed().as_secs_f64())
            }
        ),
        json!({"cached": lib.was_cached()}),
    );

    let (threshold, events, phases) = (w.threshold, &w.events, &w.phases);
    let opts = CosimOptions {
        clock: "wb_clk_i".into(),
        cycles: w.budget,
        seed: 0,
        vcd: None,
    };
    let run = run_session(&lib, cfg, &w.script, || w.xbar(cfg), &opts)?;
    if let Some(problem) = run.problem() {
        return Err(fail(
            s,
            format!("the co-simulated session failed: {problem}"),
        ));
    }
    let log = run.log();
    report_programming(s, &run, (targets, &w.initial, cols), phases)?;
    report_config(s, log, phases, threshold);
    let prediction = predict(
        targets,
        cols,
        events,
        cfg.tile.input_bits,
        threshold,
        cfg.neuron.reset,
    );
    report_spikes(s, log, phases, events, cols);
    report_agreement(s, &run);
    check_prediction(s, log, &prediction, cfg)?;
    Ok(lib)
}

/// The embedded `.npy`, read through the same loader as user files (it
/// takes a path, so the bytes go through a temporary file).
pub fn load_levels(cfg: &DesignConfig, adc_max: u16) -> Result<Levels> {
    let dir = tempfile::tempdir().context("creating a temporary directory")?;
    let path = dir.path().join("weights-8x8.npy");
    std::fs::write(&path, WEIGHTS_NPY).with_context(|| format!("writing {}", path.display()))?;
    let weights = load_npy(&path).with_context(|| format!("loading {WEIGHTS_NAME}"))?;
    weights
        .check_fits(cfg.tile.rows as usize, cfg.tile.cols as usize)
        .with_context(|| format!("{WEIGHTS_NAME} does not fit the tile"))?;
    Ok(weights.to_levels(adc_max))
}

/// The design the demo just generated into `out`, Verilated (cached).
pub(crate) fn verilate(emitted: &Emitted, out: &Path) -> Result<VerilatedLibrary> {
    let verilator = find(Tool::Verilator)?;
    let design = RtlDesign::from_dir(out, &emitted.design, port_specs(&emitted.ports))?;
    let mut opts = BuildOptions::new(verilator.path, cache_root());
    opts.trace = false;
    VerilatedLibrary::build(&design, &opts).with_context(|| format!("Verilating `{}`", design.top))
}

/// Everything software does, in order; and where each phase ends.
fn script(
    cfg: &DesignConfig,
    targets: &[u16],
    events: &[AerEvent],
    threshold: u16,
) -> (Script, Phases) {
    let cols = cfg.tile.cols as usize;
    let adc_max = Derived::of(cfg).adc_max;
    // Exact levels (tolerance 0), so the prediction from the quantized
    // levels holds exactly; enough pulses to cross the whole range.
    let mut sc = Script::new()
        .read("id")
        .read("geometry")
        .write("prog_tolerance", 0)
        .write("prog_max_pulses", (adc_max + 1).min(255));
    let setup = sc.ops.len() - 1;
    for (i, &t) in targets.iter().enumerate() {
        sc = sc.program((i / cols) as u8, (i % cols) as u8, t);
    }
    let programmed = sc.ops.len() - 1;
    sc = sc
        .write("threshold", u32::from(threshold))
        .write("leak", 0)
        .write("refractory", 0)
        .write("ctrl", 1) // [0] inference on, [1] leak timer off
        .read("threshold")
        .read("ctrl");
    let configured = sc.ops.len() - 1;
    sc = sc.send(events.to_vec()).wait_idle();
    let streamed = sc.ops.len() - 1;
    sc = sc.read("status").read("dropped");
    let phases = Phases {
        setup,
        programmed,
        configured,
        streamed,
    };
    (sc, phases)
}

/// A cycle budget far above what the script needs (it ends the run when
/// done): the bound that turns a hang into an error.
fn budget(cfg: &DesignConfig, cells: usize, events: usize) -> u64 {
    let per_pulse = u64::from(cfg.program.pulse_width) + 80;
    let per_cell = 256 * per_pulse + 200;
    cells as u64 * per_cell + events as u64 * 300 + 10_000
}

fn report_programming(
    s: &mut Steps,
    run: &SessionRun<IdealXbar>,
    (targets, initial, cols): (&[u16], &[u16], usize),
    phases: &Phases,
) -> Result<()> {
    let log = run.log();
    let stats = log.pulse_stats();
    let at_target = targets
        .iter()
        .enumerate()
        .filter(|(i, &t)| run.session.xbar().level(i / cols, i % cols) == t)
        .count();
    let failures: Vec<String> = log
        .programs
        .iter()
        .filter(|p| !p.passed())
        .map(|p| format!("({}, {}) status {:#06x}", p.row, p.col, p.status))
        .collect();
    let cycles = log.op_end[phases.programmed] - log.op_end[phases.setup];
    s.step(
        "Program every cell through the register file (write-verify)",
        format!(
            "cells start at a seeded as-fabricated level; per cell: prog_addr, prog_target, cmd[1], poll prog_status\n\
             {} cells in {cycles} cycles; pulses: total {}, mean {:.1}, min {}, max {}; {} failed\n\
             {at_target}/{} cells at their target level (read back from the macro model){}",
            stats.cells,
            stats.total,
            stats.mean(),
            stats.min,
            stats.max,
            stats.failed,
            targets.len(),
            if failures.is_empty() {
                String::new()
            } else {
                format!("\nfailed: {}", failures.join(", "))
            }
        ),
        json!({"pulses": stats, "cycles": cycles, "cells_at_target": at_target,
               "initial_levels": initial, "failures": failures}),
    );
    if stats.failed > 0 || at_target != targets.len() {
        return Err(fail(
            s,
            format!(
                "write-verify: {} of {} requests failed, {at_target} cells at target",
                stats.failed, stats.cells
            ),
        ));
    }
    Ok(())
}

fn report_config(s: &mut Steps, log: &SessionLog, p: &Phases, threshold: u16) {
    let read = |r: &str| log.last_read(r).unwrap_or(0);
    s.step(
        "Configure the neurons",
        format!(
            "threshold = {threshold} (read back {}), leak = 0, refractory = 0, ctrl = {:#x} (inference on, leak timer off); {} cycles",
            read("threshold"),
            read("ctrl"),
            log.op_end[p.configured] - log.op_end[p.programmed]
        ),
        json!({"threshold": read("threshold"), "ctrl": read("ctrl")}),
    );
}

fn report_spikes(s: &mut Steps, log: &SessionLog, p: &Phases, events: &[AerEvent], cols: usize) {
    let counts = observed_counts(log, cols);
    s.step(
        "Stream input spikes and collect output spikes (AER)",
        format!(
            "{} input spike events over {STEPS} time steps (seeded, 1 in {SPIKE_EVERY} per row and step); {} taken by the tile\n\
             {} output spikes in {} cycles (until the tile was idle); per neuron: {:?}\n\
             status after: {:#x}, dropped: {}",
            events.len(),
            log.events_sent,
            log.spikes.len(),
            log.op_end[p.streamed] - log.op_end[p.configured],
            counts,
            log.last_read("status").unwrap_or(0),
            log.last_read("dropped").unwrap_or(0),
        ),
        json!({"events": events.len(), "events_sent": log.events_sent,
               "spikes": log.spikes, "counts": counts}),
    );
}

/// Only reached without a mismatch (`problem()` is checked first), so the
/// step states the verified fact with its numbers.
fn report_agreement(s: &mut Steps, run: &SessionRun<IdealXbar>) {
    let r = &run.report;
    s.step(
        "Check (a): RTL and golden model agreed on every cycle",
        format!(
            "{} cycles, every output port compared after every edge: {} mismatches ({:.0} cycles/s)",
            r.cycles,
            usize::from(r.mismatch.is_some()),
            r.cycles_per_second()
        ),
        json!({"cycles": r.cycles, "mismatches": usize::from(r.mismatch.is_some())}),
    );
}

fn check_prediction(
    s: &mut Steps,
    log: &SessionLog,
    want: &Prediction,
    cfg: &DesignConfig,
) -> Result<()> {
    let got = observed_counts(log, cfg.tile.cols as usize);
    let sequence: Vec<u8> = log.spikes.iter().map(|x| x.col).collect();
    let counts_ok = got == want.counts;
    let order_ok = sequence == want.sequence;
    s.step(
        "Check (b): output spikes match what the weights predict",
        format!(
            "functional LIF on the quantized levels (untimed; no leak, refractory 0, reset {:?}):\n\
             expected per neuron: {:?} ({} spikes)\n\
             observed per neuron: {:?} ({} spikes)\n\
             counts {}, order of the {} spikes {}",
            cfg.neuron.reset,
            want.counts,
            want.sequence.len(),
            got,
            sequence.len(),
            if counts_ok { "match" } else { "DIFFER" },
            sequence.len(),
            if order_ok { "matches" } else { "DIFFERS" },
        ),
        json!({"expected": want.counts, "observed": got, "order_matches": order_ok}),
    );
    if !(counts_ok && order_ok) {
        return Err(fail(
            s,
            "the output spikes differ from the weights' prediction".into(),
        ));
    }
    Ok(())
}

fn observed_counts(log: &SessionLog, cols: usize) -> Vec<u32> {
    let mut counts = vec![0u32; cols];
    for sp in &log.spikes {
        if let Some(c) = counts.get_mut(usize::from(sp.col)) {
            *c += 1;
        }
    }
    counts
}

/// The levels as a small table (rows of the crossbar).
fn matrix_text(levels: &[u16], cols: usize) -> String {
    levels
        .chunks(cols.max(1))
        .map(|row| {
            row.iter()
                .map(|l| format!("{l:3}"))
                .collect::<Vec<_>>()
                .join("")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A failed demo check, with every step so far in the JSON details.
fn fail(s: &Steps, summary: String) -> anyhow::Error {
    CheckFailed {
        summary,
        details: json!({"steps": s.log}),
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use memforge_sim::cosim::session::Spike;

    fn log_with(cols: &[u8]) -> SessionLog {
        SessionLog {
            spikes: cols
                .iter()
                .enumerate()
                .map(|(i, &col)| Spike {
                    col,
                    cycle: i as u64,
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn a_spike_mismatch_fails_the_demo() {
        let cfg = memforge_spec::parse_str(super::super::BUILTIN_EXAMPLE, "t").unwrap();
        let mut s = Steps {
            log: Vec::new(),
            n: 0,
        };
        let mut counts = vec![0; 8];
        counts[1] = 1;
        counts[3] = 1;
        let want = Prediction {
            counts,
            sequence: vec![1, 3],
        };
        assert!(check_prediction(&mut s, &log_with(&[1, 3]), &want, &cfg).is_ok());
        // Same counts, other order; then a missing spike.
        let order = check_prediction(&mut s, &log_with(&[3, 1]), &want, &cfg).unwrap_err();
        assert!(order.downcast_ref::<CheckFailed>().is_some());
        assert!(check_prediction(&mut s, &log_with(&[1]), &want, &cfg).is_err());
        assert_eq!(s.n, 3);
    }

    #[test]
    fn the_script_programs_every_cell_then_streams() {
        let cfg = memforge_spec::parse_str(super::super::BUILTIN_EXAMPLE, "t").unwrap();
        let targets = vec![5u16; 64];
        let events = spike_train(8, 4, 2, 1);
        let (sc, p) = script(&cfg, &targets, &events, 64);
        let programs = sc.ops[p.setup + 1..=p.programmed]
            .iter()
            .filter(|op| matches!(op, memforge_sim::cosim::session::Op::Program { .. }))
            .count();
        assert_eq!(programs, 64);
        assert!(p.setup < p.programmed && p.programmed < p.configured && p.configured < p.streamed);
        assert!(matches!(
            &sc.ops[p.streamed - 1],
            memforge_sim::cosim::session::Op::Send { events: e } if e.len() == events.len()
        ));
    }
}

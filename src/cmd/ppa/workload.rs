//! The run whose input activity `memforge ppa` measures: the demo's session
//! (split into programming and inference) or the block's verification
//! traffic.

use super::activity::{Counts, Toggles, Toggling};
use crate::cmd::demo::inference::{load_levels, verilate, Workload};
use crate::cosim::run::run_block_wrapped;
use crate::cosim::session::Session;
use anyhow::{Context, Result};
use memforge_hdl::emit::Emitted;
use memforge_sim::cosim::session::run_session_observed;
use memforge_sim::cosim::CosimOptions;
use memforge_sim::cycle::{CycleModel, PortLayout};
use memforge_sim::tile::TileModel;
use memforge_spec::{Derived, DesignConfig};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;

/// Which run measures the activity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// The demo's session (`memforge demo`): write-verify programming of
    /// the example weights, configuration, then an input spike stream
    /// (the inference) until the tile is idle.
    Demo,
    /// The block's randomized verification traffic (`memforge cosim`).
    Traffic,
}

/// Cycles of `--workload traffic` when `--cycles` is not given.
pub const TRAFFIC_CYCLES: u64 = 20_000;

/// What the measured run did.
pub struct Measured {
    pub layout: PortLayout,
    /// The window pJ/SOP is computed on: the inference (demo) or the
    /// whole run (traffic).
    pub window: Counts,
    /// Column conversions in `window` (one synaptic operation each).
    pub conversions: u64,
    /// The demo's programming phase.
    pub programming: Option<Programming>,
    /// Facts of the run for the JSON record (demo: phases, events,
    /// spikes; traffic: the stimulus's coverage counters).
    pub details: Value,
}

/// The write-verify programming of the demo's cells.
pub struct Programming {
    pub window: Counts,
    pub cells: usize,
    pub pulses: u64,
}

/// Runs `kind` on the tile of `cfg` (generated into `out`, `emitted`).
pub fn measure(
    kind: Kind,
    config: &Path,
    cfg: &DesignConfig,
    (emitted, out): (&Emitted, &Path),
    (cycles, seed): (u64, u64),
) -> Result<Measured> {
    match kind {
        Kind::Demo => demo(cfg, emitted, out),
        Kind::Traffic => traffic(config, cfg, cycles, seed),
    }
}

/// ADC lanes: each answer converts one column per lane.
fn lanes(cfg: &DesignConfig) -> u64 {
    u64::from(Derived::of(cfg).adc_count)
}

fn demo(cfg: &DesignConfig, emitted: &Emitted, out: &Path) -> Result<Measured> {
    let lib = verilate(emitted, out)?;
    let adc_max = Derived::of(cfg).adc_max as u16;
    let w = Workload::new(cfg, &load_levels(cfg, adc_max)?);
    let layout = TileModel::new(cfg).layout().clone();
    let p = &w.phases;
    // Phases: 0 setup, 1 programming, 2 configuration, 3 inference, 4 the
    // closing reads. Operation i is complete once progress > i.
    let bounds = [p.setup, p.programmed, p.configured, p.streamed].map(|i| i as u64 + 1);
    let toggles = Rc::new(RefCell::new(Toggles::default()));
    let opts = CosimOptions {
        clock: "wb_clk_i".into(),
        cycles: w.budget,
        seed: 0,
        vcd: None,
    };
    let run = run_session_observed(&lib, cfg, &w.script, || w.xbar(cfg), &opts, &|s| {
        Box::new(Toggling::new(s, &layout, Rc::clone(&toggles), &bounds))
    })?;
    if let Some(problem) = run.problem() {
        anyhow::bail!(
            "the demo workload's co-simulation failed, so its activity is not the RTL's: {problem}"
        );
    }
    let t = toggles.borrow().clone();
    let (programming, inference) = (t.phase(1), t.phase(3));
    let answers = inference
        .ones(&layout, "xbar_adc_valid")
        .context("the tile has no xbar_adc_valid input")?;
    let log = run.log();
    let stats = log.pulse_stats();
    Ok(Measured {
        details: json!({
            "phases_cycles": {
                "setup": t.phase(0).cycles(),
                "programming": programming.cycles(),
                "configuration": t.phase(2).cycles(),
                "inference": inference.cycles(),
                "closing": t.phase(4).cycles(),
            },
            "input_events": w.events.len(),
            "events_sent": log.events_sent,
            "output_spikes": log.spikes.len(),
            "adc_answers": answers,
            "rtl_model_mismatches": 0,
        }),
        conversions: answers * lanes(cfg),
        window: inference,
        programming: Some(Programming {
            window: programming,
            cells: stats.cells,
            pulses: stats.total,
        }),
        layout,
    })
}

/// The block's verification traffic for `cycles` (seed `seed`), the config at
/// `config` (`cfg`, loaded).
pub fn traffic(config: &Path, cfg: &DesignConfig, cycles: u64, seed: u64) -> Result<Measured> {
    let session = Session::open(config, None, false)?;
    let layout = crate::blocks::layout(session.block.as_ref());
    let toggles = Rc::new(RefCell::new(Toggles::default()));
    let opts = CosimOptions {
        clock: session.clock.clone(),
        cycles,
        seed,
        vcd: None,
    };
    let run = run_block_wrapped(session.block.as_ref(), &session.lib, &opts, &|s| {
        Box::new(Toggling::new(s, &layout, Rc::clone(&toggles), &[]))
    })?;
    if let Some(m) = &run.report.mismatch {
        anyhow::bail!(
            "the workload's co-simulation mismatched, so its activity is not the RTL's: {m}"
        );
    }
    let answers = run
        .coverage
        .get("adc_answers")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let window = toggles.borrow().total();
    Ok(Measured {
        layout,
        window,
        conversions: answers * lanes(cfg),
        programming: None,
        details: Value::Object(run.coverage),
    })
}

//! One lock-step run of any block against its golden model, on its own
//! stimulus, with the stimulus's coverage counters.

use crate::blocks::{BlockDesign, Testbench};
use anyhow::Result;
use memforge_sim::cosim::{self, CosimOptions, CosimReport};
use memforge_sim::stimulus::Stimulus;
use memforge_sim::verilator::VerilatedLibrary;
use serde_json::{Map, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A lock-step run and what its stimulus exercised.
pub struct BlockRun {
    pub report: CosimReport,
    pub coverage: Map<String, Value>,
}

/// Runs `design`'s Verilated RTL (`lib`) against its model in lock step.
pub fn run_block(
    design: &dyn BlockDesign,
    lib: &VerilatedLibrary,
    opts: &CosimOptions,
) -> Result<BlockRun> {
    run_block_counted(design, lib, opts, &Arc::new(AtomicU64::new(0)))
}

/// [`run_block`], publishing the cycle the run has reached in `cycle` (for
/// a progress bar on another thread).
pub fn run_block_counted(
    design: &dyn BlockDesign,
    lib: &VerilatedLibrary,
    opts: &CosimOptions,
    cycle: &Arc<AtomicU64>,
) -> Result<BlockRun> {
    run_block_wrapped(design, lib, opts, &|stimulus| {
        Box::new(Counted {
            inner: stimulus,
            cycle: Arc::clone(cycle),
        })
    })
}

/// [`run_block`] with the block's stimulus wrapped by `wrap` (an observer
/// that sees every cycle's inputs: a cycle counter, a toggle counter).
pub fn run_block_wrapped(
    design: &dyn BlockDesign,
    lib: &VerilatedLibrary,
    opts: &CosimOptions,
    wrap: &dyn Fn(Box<dyn Stimulus>) -> Box<dyn Stimulus>,
) -> Result<BlockRun> {
    // The testbench is built once here so that the factory cannot fail
    // (it is deterministic: the VCD replay builds the same one again).
    design.testbench(opts.seed)?;
    // The first testbench's counters: the main run's (a VCD replay builds
    // a second one).
    let mut coverage: Option<Box<dyn Fn() -> Map<String, Value>>> = None;
    let report = cosim::run(
        lib,
        |seed| {
            let Testbench {
                model,
                stimulus,
                coverage: c,
            } = design.testbench(seed).expect("built once above");
            coverage.get_or_insert(c);
            (model, wrap(stimulus))
        },
        opts,
    )?;
    Ok(BlockRun {
        report,
        coverage: coverage.map(|c| c()).unwrap_or_default(),
    })
}

/// A stimulus that also publishes the cycle it is driving.
struct Counted<S> {
    inner: S,
    cycle: Arc<AtomicU64>,
}

impl<S: Stimulus> Stimulus for Counted<S> {
    fn drive(&mut self, cycle: u64, values: &mut [u64]) {
        self.cycle.store(cycle, Ordering::Relaxed);
        self.inner.drive(cycle, values)
    }

    fn finished(&self) -> bool {
        self.inner.finished()
    }

    fn fault(&self) -> Option<String> {
        self.inner.fault()
    }
}

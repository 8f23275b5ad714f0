//! One lock-step run of any block against its golden model, on its own
//! stimulus, with the stimulus's coverage counters.

use crate::blocks::{BlockDesign, Testbench};
use anyhow::Result;
use memforge_sim::cosim::{self, CosimOptions, CosimReport};
use memforge_sim::verilator::VerilatedLibrary;
use serde_json::{Map, Value};

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
            (model, stimulus)
        },
        opts,
    )?;
    Ok(BlockRun {
        report,
        coverage: coverage.map(|c| c()).unwrap_or_default(),
    })
}

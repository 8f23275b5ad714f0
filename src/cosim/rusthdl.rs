//! rust-hdl's own event-driven simulator as a device under test
//! ([`RustHdlDut`]) for the shared lock-step harness, and the replay of a
//! recorded stimulus on it (the third column of `memforge bench cosim`).
//!
//! Each cycle: inputs applied, settle; clock high, settle; outputs read;
//! clock low, settle. Ports are reached by name through the block's
//! [`HdlPorts`] (rust-hdl has no generic mutable port access); a name the
//! layout lacks, or a layout port the top never reports, is an error, not
//! a silent 0.

use anyhow::{bail, Result};
use memforge_hdl::HdlPorts;
use memforge_sim::cosim::record::{mix, Recording, ReplayRun, CHECKSUM_SEED};
use memforge_sim::cosim::{Binding, Dut, DutError};
use memforge_sim::cycle::{Pin, PortLayout};
use rust_hdl::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Instant;

/// Settle rounds before a combinational loop is assumed.
const SETTLE_LIMIT: usize = 1000;

pub struct RustHdlDut<B: HdlPorts> {
    top: B,
    pins: HashMap<String, Pin>,
    outputs: usize,
    settled_once: bool,
}

impl<B: HdlPorts> RustHdlDut<B> {
    /// `top` (connected) with the ports of `layout` (its contract's).
    pub fn new(top: B, layout: PortLayout) -> Self {
        let pins = layout
            .ports
            .iter()
            .filter_map(|p| Some((p.name.clone(), layout.pin(&p.name).ok()?)))
            .collect();
        let outputs = layout.ports.iter().filter(|p| !p.input).count();
        Self {
            top,
            pins,
            outputs,
            settled_once: false,
        }
    }
}

fn settle<B: Block>(top: &mut B) -> Result<(), DutError> {
    for _ in 0..SETTLE_LIMIT {
        top.update_all();
        if !top.has_changed() {
            return Ok(());
        }
    }
    Err(DutError::Failed(
        "the rust-hdl simulation did not settle".into(),
    ))
}

fn unknown(name: &str) -> DutError {
    DutError::Failed(format!(
        "the rust-hdl top has port `{name}`, which the block's contract lacks"
    ))
}

impl<B: HdlPorts> Dut for RustHdlDut<B> {
    fn cycle(&mut self, values: &[u64], actual: &mut [u64]) -> Result<(), DutError> {
        if !self.settled_once {
            settle(&mut self.top)?;
            self.settled_once = true;
        }
        let missing = RefCell::new(None::<String>);
        let pins = &self.pins;
        self.top.drive(&|name| match pins.get(name) {
            Some(p) => p.get(values),
            None => {
                missing.borrow_mut().get_or_insert_with(|| name.to_string());
                0
            }
        });
        if let Some(name) = missing.into_inner() {
            return Err(unknown(&name));
        }
        settle(&mut self.top)?;
        self.top.clock_mut().next = true.into();
        settle(&mut self.top)?;
        let mut missing = None;
        let mut seen = 0;
        self.top.sample(&mut |name, v| match pins.get(name) {
            Some(p) => {
                p.set(actual, v);
                seen += 1;
            }
            None => {
                missing.get_or_insert_with(|| name.to_string());
            }
        });
        if let Some(name) = missing {
            return Err(unknown(&name));
        }
        if seen != self.outputs {
            return Err(DutError::Failed(format!(
                "the rust-hdl top reports {seen} outputs, its contract has {}",
                self.outputs
            )));
        }
        self.top.clock_mut().next = false.into();
        settle(&mut self.top)
    }
}

/// Replays `rec` (recorded with `binding` against `layout`) on `dut`,
/// hashing the outputs in RTL order like the C++ replay.
pub fn replay(
    dut: &mut dyn Dut,
    layout: &PortLayout,
    binding: &Binding,
    rec: &Recording,
) -> Result<ReplayRun> {
    let mut inputs = binding.inputs.clone();
    inputs.sort_by_key(|l| l.rtl);
    let mut outputs = binding.outputs.clone();
    outputs.sort_by_key(|l| l.rtl);
    let mut values = vec![0u64; layout.total_words()];
    let mut actual = vec![0u64; layout.total_words()];
    let mut sum = CHECKSUM_SEED;
    let start = Instant::now();
    for (cycle, words) in rec.inputs.chunks(rec.words_per_cycle).enumerate() {
        let mut k = 0;
        for l in &inputs {
            values[l.start..l.start + l.words].copy_from_slice(&words[k..k + l.words]);
            k += l.words;
        }
        if let Err(e) = dut.cycle(&values, &mut actual) {
            bail!("rust-hdl replay, cycle {cycle}: {e}");
        }
        if (cycle as u64) + 1 < rec.cycles {
            for l in &outputs {
                for &w in &actual[l.start..l.start + l.words] {
                    sum = mix(sum, w);
                }
            }
        }
    }
    Ok(ReplayRun {
        cycles: rec.cycles,
        elapsed: start.elapsed(),
        checksum: sum,
    })
}

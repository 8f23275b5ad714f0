//! rust-hdl's own event-driven simulator of the tile, replaying a recorded
//! stimulus: the third column of `memforge bench cosim`. The top is built
//! with `memforge_hdl::build` and stepped by hand as in
//! `hdl/tests/tile_lockstep.rs` (inputs, settle; clock high, settle;
//! outputs; clock low, settle), and its outputs are hashed like the C++
//! replay's so that the run is proven to simulate the same thing.

use anyhow::{bail, Context, Result};
use memforge_hdl::design::{build, TileTop};
use memforge_sim::cosim::record::{mix, Recording, CHECKSUM_SEED};
use memforge_sim::cosim::Binding;
use memforge_sim::cycle::PortLayout;
use memforge_spec::DesignConfig;
use rust_hdl::prelude::*;
use std::time::{Duration, Instant};

/// What one replay measured.
#[derive(Clone, Debug)]
pub struct RustHdlRun {
    pub cycles: u64,
    /// The replay loop alone (no build).
    pub elapsed: Duration,
    pub checksum: u64,
}

impl RustHdlRun {
    pub fn cycles_per_second(&self) -> f64 {
        let s = self.elapsed.as_secs_f64();
        if s > 0.0 {
            self.cycles as f64 / s
        } else {
            0.0
        }
    }
}

fn settle(top: &mut TileTop) -> Result<()> {
    for _ in 0..1000 {
        top.update_all();
        if !top.has_changed() {
            return Ok(());
        }
    }
    bail!("the rust-hdl simulation did not settle")
}

/// By name: rust-hdl's simulator costs far more per cycle than the lookups.
fn apply(top: &mut TileTop, l: &PortLayout, v: &[u64]) {
    let g = |n: &str| l.get(v, n);
    top.wb_rst_i.next = g("wb_rst_i") != 0;
    top.wbs_stb_i.next = g("wbs_stb_i") != 0;
    top.wbs_cyc_i.next = g("wbs_cyc_i") != 0;
    top.wbs_we_i.next = g("wbs_we_i") != 0;
    top.wbs_sel_i.next = g("wbs_sel_i").to_bits();
    top.wbs_dat_i.next = g("wbs_dat_i").to_bits();
    top.wbs_adr_i.next = g("wbs_adr_i").to_bits();
    top.aer_in_addr.next = g("aer_in_addr").to_bits();
    top.aer_in_value.next = g("aer_in_value").to_bits();
    top.aer_in_valid.next = g("aer_in_valid") != 0;
    top.aer_out_ready.next = g("aer_out_ready") != 0;
    top.xbar_adc_valid.next = g("xbar_adc_valid") != 0;
    for (a, p) in top.xbar_adc_code.iter_mut().enumerate() {
        p.next = g(&format!("xbar_adc_code__{a}")).to_bits();
    }
}

/// The outputs in RTL port order (as the checksum wants them).
fn outputs(top: &TileTop) -> [u64; 11] {
    [
        top.wbs_ack_o.val() as u64,
        top.wbs_dat_o.val().index() as u64,
        top.aer_in_ready.val() as u64,
        top.aer_out_addr.val().index() as u64,
        top.aer_out_valid.val() as u64,
        top.xbar_op.val().index() as u64,
        top.xbar_row.val().index() as u64,
        top.xbar_col.val().index() as u64,
        top.xbar_sel.val().index() as u64,
        top.xbar_amp.val().index() as u64,
        top.xbar_width.val().index() as u64,
    ]
}

/// The output port names in the order [`outputs`] gives them.
const OUTPUTS: [&str; 11] = [
    "wbs_ack_o",
    "wbs_dat_o",
    "aer_in_ready",
    "aer_out_addr",
    "aer_out_valid",
    "xbar_op",
    "xbar_row",
    "xbar_col",
    "xbar_sel",
    "xbar_amp",
    "xbar_width",
];

/// Replays `rec` (recorded with `binding` against `layout`) on rust-hdl's
/// simulation of the tile of `cfg`.
pub fn replay(
    cfg: &DesignConfig,
    layout: &PortLayout,
    binding: &Binding,
    rec: &Recording,
) -> Result<RustHdlRun> {
    // The checksum hashes outputs in RTL order; make sure ours is that.
    let mut rtl_outputs = binding.outputs.clone();
    rtl_outputs.sort_by_key(|l| l.rtl);
    let names: Vec<&str> = rtl_outputs
        .iter()
        .map(|l| layout.ports[l.layout].name.as_str())
        .collect();
    if names != OUTPUTS {
        bail!("the tile's outputs are not the ones the rust-hdl replay hashes: {names:?}");
    }
    let mut inputs = binding.inputs.clone();
    inputs.sort_by_key(|l| l.rtl);
    let mut top = build(cfg).context("building the rust-hdl tile")?;
    let mut values = vec![0u64; layout.total_words()];
    let mut sum = CHECKSUM_SEED;
    settle(&mut top)?;
    let start = Instant::now();
    for (cycle, words) in rec.inputs.chunks(rec.words_per_cycle).enumerate() {
        let mut k = 0;
        for l in &inputs {
            values[l.start..l.start + l.words].copy_from_slice(&words[k..k + l.words]);
            k += l.words;
        }
        apply(&mut top, layout, &values);
        settle(&mut top)?;
        top.wb_clk_i.next = true.into();
        settle(&mut top)?;
        if (cycle as u64) + 1 < rec.cycles {
            for w in outputs(&top) {
                sum = mix(sum, w);
            }
        }
        top.wb_clk_i.next = false.into();
        settle(&mut top)?;
    }
    Ok(RustHdlRun {
        cycles: rec.cycles,
        elapsed: start.elapsed(),
        checksum: sum,
    })
}

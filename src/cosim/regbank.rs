//! The register bank of a design as a standalone co-simulation design: the
//! `RegBank` block emitted on its own (same emitter as the full tile), its
//! golden model, and the traffic that exercises it.

use super::design::write_standalone;
use anyhow::{Context, Result};
use memforge_hdl::design::reg_style;
use memforge_hdl::regfile::RegBank;
use memforge_sim::cosim::{ResetPort, WishboneTraffic};
use memforge_sim::cycle::CycleModel;
use memforge_sim::regbank_ports::RegBankPorts;
use memforge_sim::regfile::RegFileModel;
use memforge_sim::verilator::RtlDesign;
use memforge_spec::{DesignConfig, RegisterMap};
use rust_hdl::prelude::Block;
use std::path::Path;

/// The clock port of the standalone bank.
pub const CLOCK: &str = "clock";

/// Module name of the standalone bank of `cfg`.
pub fn design_name(cfg: &DesignConfig) -> String {
    format!("{}_regbank", cfg.design.name)
}

/// Emits the register bank of `cfg` into `dir` (a design directory with
/// filelist and manifest) and describes it for the Verilator bridge.
pub fn write_design(cfg: &DesignConfig, dir: &Path) -> Result<RtlDesign> {
    let map = RegisterMap::for_design(cfg);
    let mut bank = RegBank::new(&map, reg_style(cfg)).context("building the register bank")?;
    bank.connect_all();
    write_standalone(&bank, &design_name(cfg), cfg, dir)
}

/// The golden model of the bank with the ports of the RTL.
pub fn model(cfg: &DesignConfig) -> RegBankPorts {
    RegBankPorts::new(RegFileModel::new(&RegisterMap::for_design(cfg)))
}

/// Random Wishbone traffic for the bank (random values on its `ro`
/// register inputs too), seeded.
pub fn traffic(cfg: &DesignConfig, model: &RegBankPorts, seed: u64) -> Result<WishboneTraffic> {
    let reset = ResetPort {
        name: "rst_n".into(),
        active_low: true,
    };
    Ok(WishboneTraffic::new(
        model.layout(),
        &RegisterMap::for_design(cfg),
        reset,
        true,
        seed,
    )?)
}

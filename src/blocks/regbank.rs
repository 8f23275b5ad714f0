//! The register bank family: a tile config's `RegBank` (hdl/src/regfile)
//! emitted on its own, against `RegFileModel` at its ports
//! (`RegBankPorts`), driven by random Wishbone traffic. Ports:
//! `memforge_spec::blocks::regbank`.

use super::{BlockDesign, BlockFamily, Testbench};
use anyhow::{Context, Result};
use memforge_hdl::design::reg_style;
use memforge_hdl::emit::{self, Emitted};
use memforge_sim::cosim::Dut;
use memforge_sim::cycle::CycleModel;
use memforge_sim::regbank_ports::RegBankPorts;
use memforge_sim::regfile::RegFileModel;
use memforge_sim::stimulus::{ResetPort, WishboneTraffic};
use memforge_spec::{
    blocks, DesignConfig, DesignSection, FlowSection, PortContract, RegisterMap, Target,
};
use rust_hdl::prelude::Block;
use serde_json::{Map, Value};
use std::path::Path;

pub struct RegBank;

impl BlockFamily for RegBank {
    fn name(&self) -> &'static str {
        "regbank"
    }

    fn summary(&self) -> &'static str {
        "a tile's Wishbone register bank on its own (same config as the tile)"
    }

    fn doc_page(&self) -> &'static str {
        "docs/regbank.md"
    }

    fn sweep(&self) -> &'static [&'static str] {
        &["examples/tile-8x8.toml"]
    }

    fn load(&self, path: &Path) -> Result<Box<dyn BlockDesign>> {
        let cfg = memforge_spec::load_file(path)?;
        super::seed_tile::require_lif(&cfg, "the regbank block")?;
        Ok(Box::new(RegBankDesign(cfg)))
    }

    fn load_json(&self, config: Value) -> Result<Box<dyn BlockDesign>> {
        let cfg = super::config_from_json(config, memforge_spec::validate::validate)?;
        Ok(Box::new(RegBankDesign(cfg)))
    }
}

/// The register bank of a tile config.
pub struct RegBankDesign(pub DesignConfig);

impl RegBankDesign {
    fn map(&self) -> RegisterMap {
        RegisterMap::for_design(&self.0)
    }

    fn hdl(&self) -> Result<memforge_hdl::regfile::RegBank> {
        let mut bank = memforge_hdl::regfile::RegBank::new(&self.map(), reg_style(&self.0))
            .context("building the register bank")?;
        bank.connect_all();
        Ok(bank)
    }
}

impl BlockDesign for RegBankDesign {
    fn family(&self) -> &'static str {
        RegBank.name()
    }

    fn design_section(&self) -> &DesignSection {
        &self.0.design
    }

    fn top(&self) -> String {
        format!("{}_regbank", self.0.design.name)
    }

    fn contract(&self) -> PortContract {
        blocks::regbank::contract(&self.map())
    }

    fn registers(&self) -> Option<RegisterMap> {
        Some(self.map())
    }

    fn emit(&self) -> Result<Emitted> {
        let top = self.top();
        let emitted = emit::emit(&self.hdl()?, &top, self.0.design.target == Target::Fpga)
            .with_context(|| format!("emitting `{top}`"))?;
        memforge_hdl::check_contract(&emitted, &self.contract())?;
        Ok(emitted)
    }

    fn config_json(&self) -> Result<Value> {
        let mut v = serde_json::to_value(&self.0).context("serializing the config")?;
        // The manifest says which block this is (the config is a tile's).
        v["design"]["block"] = Value::from(RegBank.name());
        Ok(v)
    }

    fn flow(&self) -> FlowSection {
        self.0.flow.clone()
    }

    fn testbench(&self, seed: u64) -> Result<Testbench> {
        let model = model(&self.0);
        let traffic = traffic(&self.0, &model, seed)?;
        Ok(Testbench {
            model: Box::new(model),
            stimulus: Box::new(traffic),
            coverage: Box::new(Map::new),
        })
    }

    fn rust_hdl(&self) -> Result<Option<Box<dyn Dut>>> {
        Ok(Some(super::rust_hdl_dut(self.hdl()?, super::layout(self))))
    }
}

/// The golden model of the bank of `cfg` with the ports of the RTL.
pub fn model(cfg: &DesignConfig) -> RegBankPorts {
    RegBankPorts::new(RegFileModel::new(&RegisterMap::for_design(cfg)))
}

/// Random Wishbone traffic for the bank (random values on its `ro`
/// register inputs too), seeded.
pub fn traffic(cfg: &DesignConfig, model: &RegBankPorts, seed: u64) -> Result<WishboneTraffic> {
    let reset = ResetPort {
        name: blocks::regbank::RESET.into(),
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

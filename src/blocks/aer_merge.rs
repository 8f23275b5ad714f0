//! The AER merge family: `AerMerge` (hdl/src/aer_merge.rs) against
//! `AerMergeModel` (sim/src/aer_merge.rs), driven by `MergeTraffic`
//! (random sources and sink, resets, a scoreboard). Ports and schema:
//! `memforge_spec::blocks::aer_merge`.

use super::{BlockDesign, BlockFamily, Testbench};
use anyhow::{anyhow, Context, Result};
use memforge_hdl::aer_merge::build;
use memforge_hdl::emit::Emitted;
use memforge_hdl::with_merge_width;
use memforge_sim::aer_merge::AerMergeModel;
use memforge_sim::cosim::Dut;
use memforge_sim::cycle::CycleModel;
use memforge_sim::stimulus::merge_traffic::MergeTraffic;
use memforge_spec::blocks::aer_merge::{self, AerMergeConfig};
use memforge_spec::{DesignSection, FlowSection, PortContract};
use serde_json::Value;
use std::path::Path;

pub struct AerMerge;

impl BlockFamily for AerMerge {
    fn name(&self) -> &'static str {
        "aer_merge"
    }

    fn summary(&self) -> &'static str {
        "N AER input links merged into one, round-robin, valid/ready everywhere, nothing lost or duplicated"
    }

    fn doc_page(&self) -> &'static str {
        "docs/aer_merge.md"
    }

    fn sweep(&self) -> &'static [&'static str] {
        &["examples/aer-merge-4.toml", "examples/aer-merge-3x16.toml"]
    }

    fn load(&self, path: &Path) -> Result<Box<dyn BlockDesign>> {
        let cfg = memforge_spec::load::load_with(path, aer_merge::validate)?;
        Ok(Box::new(MergeDesign(cfg)))
    }

    fn load_json(&self, config: Value) -> Result<Box<dyn BlockDesign>> {
        let cfg = super::config_from_json(config, aer_merge::validate)?;
        Ok(Box::new(MergeDesign(cfg)))
    }
}

/// A merge sized by its config.
pub struct MergeDesign(pub AerMergeConfig);

impl BlockDesign for MergeDesign {
    fn family(&self) -> &'static str {
        AerMerge.name()
    }

    fn design_section(&self) -> &DesignSection {
        &self.0.design
    }

    fn contract(&self) -> PortContract {
        aer_merge::contract(&self.0.aer_merge)
    }

    fn emit(&self) -> Result<Emitted> {
        memforge_hdl::aer_merge::generate(&self.0)
            .with_context(|| format!("generating design `{}`", self.0.design.name))
    }

    fn config_json(&self) -> Result<Value> {
        serde_json::to_value(&self.0).context("serializing the config")
    }

    fn flow(&self) -> FlowSection {
        self.0.flow.clone()
    }

    fn testbench(&self, seed: u64) -> Result<Testbench> {
        let model = AerMergeModel::new(&self.0);
        let traffic = MergeTraffic::new(&self.0, model.layout(), seed)?;
        let cov = traffic.coverage();
        Ok(Testbench {
            model: Box::new(model),
            stimulus: Box::new(traffic),
            coverage: Box::new(move || super::counters(&*cov.borrow())),
        })
    }

    fn rust_hdl(&self) -> Result<Option<Box<dyn Dut>>> {
        let layout = super::layout(self);
        let bits = self.0.aer_merge.addr_bits;
        with_merge_width!(bits, W => Some(super::rust_hdl_dut(build::<W>(&self.0), layout)))
            .ok_or_else(|| anyhow!("aer_merge.addr_bits = {bits} is not a generated width"))
    }
}

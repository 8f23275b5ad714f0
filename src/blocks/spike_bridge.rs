//! The spike bridge family: `SpikeBridge` (hdl/src/spike_bridge.rs)
//! against `SpikeBridgeModel` (sim/src/spike_bridge.rs), driven by
//! `BridgeTraffic`. Ports and schema: `memforge_spec::blocks::spike_bridge`.

use super::{BlockDesign, BlockFamily, Testbench};
use anyhow::{anyhow, Context, Result};
use memforge_hdl::emit::Emitted;
use memforge_hdl::spike_bridge::build;
use memforge_hdl::with_bridge_width;
use memforge_sim::cosim::Dut;
use memforge_sim::cycle::CycleModel;
use memforge_sim::spike_bridge::SpikeBridgeModel;
use memforge_sim::stimulus::bridge_traffic::BridgeTraffic;
use memforge_spec::blocks::spike_bridge::{self, SpikeBridgeConfig};
use memforge_spec::{DesignSection, FlowSection, PortContract};
use serde_json::Value;
use std::path::Path;

pub struct SpikeBridge;

impl BlockFamily for SpikeBridge {
    fn name(&self) -> &'static str {
        "spike_bridge"
    }

    fn summary(&self) -> &'static str {
        "a neuron tile's AER links to a routing tile's spike lines and back (pulses out, events in)"
    }

    fn doc_page(&self) -> &'static str {
        "docs/spike_bridge.md"
    }

    fn sweep(&self) -> &'static [&'static str] {
        &["examples/spike-bridge-8.toml"]
    }

    fn load(&self, path: &Path) -> Result<Box<dyn BlockDesign>> {
        let cfg = memforge_spec::load::load_with(path, spike_bridge::validate)?;
        Ok(Box::new(BridgeDesign(cfg)))
    }

    fn load_json(&self, config: Value) -> Result<Box<dyn BlockDesign>> {
        let cfg = super::config_from_json(config, spike_bridge::validate)?;
        Ok(Box::new(BridgeDesign(cfg)))
    }
}

/// A bridge sized by its config.
pub struct BridgeDesign(pub SpikeBridgeConfig);

impl BlockDesign for BridgeDesign {
    fn family(&self) -> &'static str {
        SpikeBridge.name()
    }

    fn design_section(&self) -> &DesignSection {
        &self.0.design
    }

    fn contract(&self) -> PortContract {
        spike_bridge::contract(&self.0.spike_bridge)
    }

    fn emit(&self) -> Result<Emitted> {
        memforge_hdl::spike_bridge::generate(&self.0)
            .with_context(|| format!("generating design `{}`", self.0.design.name))
    }

    fn config_json(&self) -> Result<Value> {
        serde_json::to_value(&self.0).context("serializing the config")
    }

    fn flow(&self) -> FlowSection {
        self.0.flow.clone()
    }

    fn testbench(&self, seed: u64) -> Result<Testbench> {
        let model = SpikeBridgeModel::new(&self.0);
        let traffic = BridgeTraffic::new(&self.0, model.layout(), seed)?;
        let cov = traffic.coverage();
        Ok(Testbench {
            model: Box::new(model),
            stimulus: Box::new(traffic),
            coverage: Box::new(move || super::counters(&*cov.borrow())),
        })
    }

    fn rust_hdl(&self) -> Result<Option<Box<dyn Dut>>> {
        let layout = super::layout(self);
        let ch = self.0.spike_bridge.channels;
        with_bridge_width!(ch, C => Some(super::rust_hdl_dut(build::<C>(&self.0), layout)))
            .ok_or_else(|| anyhow!("spike_bridge.channels = {ch} is not a generated width"))
    }
}

//! The AER router family: `AerRouter` (hdl/src/aer_router.rs) against
//! `AerRouterModel` (sim/src/aer_router.rs), driven by `RouterTraffic`
//! (table programming over Wishbone, random traffic and backpressure on
//! all five links, a scoreboard). Ports and schema:
//! `memforge_spec::blocks::aer_router`.

use super::{BlockDesign, BlockFamily, Testbench};
use anyhow::{anyhow, Context, Result};
use memforge_hdl::aer_router::build;
use memforge_hdl::emit::Emitted;
use memforge_hdl::with_packet_width;
use memforge_sim::aer_router::AerRouterModel;
use memforge_sim::cosim::Dut;
use memforge_sim::cycle::CycleModel;
use memforge_sim::stimulus::router_traffic::RouterTraffic;
use memforge_spec::blocks::aer_router::{self, AerRouterConfig};
use memforge_spec::{DesignSection, FlowSection, PortContract, RegisterMap};
use serde_json::Value;
use std::path::Path;

pub struct AerRouter;

impl BlockFamily for AerRouter {
    fn name(&self) -> &'static str {
        "aer_router"
    }

    fn summary(&self) -> &'static str {
        "a five-port AER mesh router: XY unicast, key/mask multicast table over Wishbone, drops counted"
    }

    fn doc_page(&self) -> &'static str {
        "docs/aer_router.md"
    }

    fn sweep(&self) -> &'static [&'static str] {
        &["examples/aer-router.toml"]
    }

    fn load(&self, path: &Path) -> Result<Box<dyn BlockDesign>> {
        let cfg = memforge_spec::load::load_with(path, aer_router::validate)?;
        Ok(Box::new(RouterDesign(cfg)))
    }

    fn load_json(&self, config: Value) -> Result<Box<dyn BlockDesign>> {
        let cfg = super::config_from_json(config, aer_router::validate)?;
        Ok(Box::new(RouterDesign(cfg)))
    }
}

/// A router sized and placed by its config.
pub struct RouterDesign(pub AerRouterConfig);

impl BlockDesign for RouterDesign {
    fn family(&self) -> &'static str {
        AerRouter.name()
    }

    fn design_section(&self) -> &DesignSection {
        &self.0.design
    }

    fn contract(&self) -> PortContract {
        aer_router::contract(&self.0.params())
    }

    fn registers(&self) -> Option<RegisterMap> {
        Some(memforge_hdl::aer_router::registers(&self.0))
    }

    fn emit(&self) -> Result<Emitted> {
        memforge_hdl::aer_router::generate(&self.0)
            .with_context(|| format!("generating design `{}`", self.0.design.name))
    }

    fn config_json(&self) -> Result<Value> {
        serde_json::to_value(&self.0).context("serializing the config")
    }

    fn flow(&self) -> FlowSection {
        self.0.flow.clone()
    }

    fn testbench(&self, seed: u64) -> Result<Testbench> {
        let model = AerRouterModel::new(&self.0);
        let traffic = RouterTraffic::new(&self.0, model.layout(), seed)?;
        let cov = traffic.coverage();
        Ok(Testbench {
            model: Box::new(model),
            stimulus: Box::new(traffic),
            coverage: Box::new(move || super::counters(&*cov.borrow())),
        })
    }

    fn rust_hdl(&self) -> Result<Option<Box<dyn Dut>>> {
        let layout = super::layout(self);
        let bits = self.0.mesh.packet_bits();
        with_packet_width!(bits, W => Some(super::rust_hdl_dut(build::<W>(&self.0), layout)))
            .ok_or_else(|| anyhow!("a packet of {bits} bits is not a generated width"))
    }
}

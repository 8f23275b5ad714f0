//! The Mosaic routing tile family: `RoutingTile` (hdl/src/routing_tile.rs)
//! against `RoutingTileModel` (sim/src/routing_tile.rs), driven by
//! `RoutingTraffic` with the routing macro played by the ideal boolean
//! crossbar or, with `analog.macro_model = "device"`, by real devices
//! through the circuit solver. Ports, registers and schema:
//! `memforge_spec::blocks::routing_tile`.

use super::{BlockDesign, BlockFamily, Testbench};
use anyhow::{anyhow, Context, Result};
use memforge_hdl::emit::Emitted;
use memforge_hdl::routing_tile::build;
use memforge_hdl::with_routing_width;
use memforge_sim::analog::routing_macro::DeviceRoutingXbar;
use memforge_sim::cosim::Dut;
use memforge_sim::cycle::CycleModel;
use memforge_sim::routing_tile::RoutingTileModel;
use memforge_sim::routing_xbar::{IdealRoutingXbar, RoutingMacro};
use memforge_sim::stimulus::bits::{field_below, Bits};
use memforge_sim::stimulus::routing_traffic::RoutingTraffic;
use memforge_spec::analog::MacroModel;
use memforge_spec::blocks::routing_tile::{self, RoutingTileConfig};
use memforge_spec::{DesignSection, FlowSection, PortContract, RegisterMap};
use serde_json::Value;
use std::path::Path;

/// Share of the routing devices the co-simulation starts routing.
const ROUTE_DENSITY_PER_256: u64 = 40;

pub struct RoutingTile;

impl BlockFamily for RoutingTile {
    fn name(&self) -> &'static str {
        "routing_tile"
    }

    fn summary(&self) -> &'static str {
        "Mosaic routing tile: spike lines N/E/S/W/local through a crossbar of routing devices, comparators, write-verify programming"
    }

    fn doc_page(&self) -> &'static str {
        "docs/routing.md"
    }

    fn sweep(&self) -> &'static [&'static str] {
        &[
            "examples/routing-tile-2.toml",
            "examples/routing-tile-8.toml",
        ]
    }

    fn load(&self, path: &Path) -> Result<Box<dyn BlockDesign>> {
        let cfg = memforge_spec::load::load_with(path, routing_tile::validate)?;
        Ok(Box::new(RoutingTileDesign(cfg)))
    }

    fn load_json(&self, config: Value) -> Result<Box<dyn BlockDesign>> {
        let cfg = super::config_from_json(config, routing_tile::validate)?;
        Ok(Box::new(RoutingTileDesign(cfg)))
    }
}

/// A routing tile sized by its config.
pub struct RoutingTileDesign(pub RoutingTileConfig);

impl RoutingTileDesign {
    /// The macro the co-simulation plays, starting from a seeded routing
    /// pattern.
    fn xbar(&self, seed: u64) -> Result<Box<dyn RoutingMacro>> {
        let cfg = &self.0;
        let lines = cfg.routing.lines();
        let mut rng = Bits::new(seed ^ 0x5eed_4007);
        let routes: Vec<bool> = (0..lines * lines)
            .map(|_| field_below(rng.word(), 8, 256) < ROUTE_DENSITY_PER_256)
            .collect();
        let latency = cfg.routing.macro_latency as usize;
        Ok(match cfg.analog.macro_model {
            MacroModel::Ideal => Box::new(IdealRoutingXbar::new(lines, routes, latency)),
            MacroModel::Device => Box::new(
                DeviceRoutingXbar::new(&cfg.analog, lines, &routes, latency)
                    .context("building the device-backed routing macro")?,
            ),
        })
    }
}

impl BlockDesign for RoutingTileDesign {
    fn family(&self) -> &'static str {
        RoutingTile.name()
    }

    fn design_section(&self) -> &DesignSection {
        &self.0.design
    }

    fn contract(&self) -> PortContract {
        routing_tile::contract(&self.0.routing)
    }

    fn registers(&self) -> Option<RegisterMap> {
        Some(routing_tile::register_map(&self.0))
    }

    fn emit(&self) -> Result<Emitted> {
        memforge_hdl::routing_tile::generate(&self.0)
            .with_context(|| format!("generating design `{}`", self.0.design.name))
    }

    fn config_json(&self) -> Result<Value> {
        serde_json::to_value(&self.0).context("serializing the config")
    }

    fn flow(&self) -> FlowSection {
        self.0.flow.clone()
    }

    fn testbench(&self, seed: u64) -> Result<Testbench> {
        let model = RoutingTileModel::new(&self.0);
        let traffic = RoutingTraffic::new(&self.0, model.layout(), self.xbar(seed)?, seed)?;
        let cov = traffic.coverage();
        Ok(Testbench {
            model: Box::new(model),
            stimulus: Box::new(traffic),
            coverage: Box::new(move || super::counters(&*cov.borrow())),
        })
    }

    fn rust_hdl(&self) -> Result<Option<Box<dyn Dut>>> {
        let layout = super::layout(self);
        let ch = self.0.routing.channels;
        with_routing_width!(ch, C, L, I => build::<C, L, I>(&self.0)
            .map(|t| Some(super::rust_hdl_dut(t, layout))))
        .ok_or_else(|| anyhow!("routing.channels = {ch} is not a generated width"))?
        .context("building the routing tile")
    }
}

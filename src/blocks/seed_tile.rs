//! The tile variants around the seed papers' analog neurons (`[neuron]
//! kind = "mif" | "pnn"`; part of the tile family, selected by the config):
//! `SeedTop` (hdl/src/seed_tile) against `SeedTileModel` (sim/src/seed_tile),
//! driven by `SeedTraffic`, which plays the analog macro with the seed
//! circuits' Rust models. Ports: `memforge_spec::seed::tile`.

use super::{BlockDesign, BlockFamily, Testbench};
use anyhow::{Context, Result};
use memforge_hdl::emit::Emitted;
use memforge_sim::cosim::Dut;
use memforge_sim::cycle::CycleModel;
use memforge_sim::seed_tile::SeedTileModel;
use memforge_sim::stimulus::seed_traffic::SeedTraffic;
use memforge_spec::seed::tile as spec;
use memforge_spec::{DesignConfig, DesignSection, FlowSection, PortContract, RegisterMap};
use serde_json::Value;

/// A variant tile sized by its config.
pub struct SeedTileDesign(pub DesignConfig);

impl BlockDesign for SeedTileDesign {
    fn family(&self) -> &'static str {
        super::tile::Tile.name()
    }

    fn design_section(&self) -> &DesignSection {
        &self.0.design
    }

    fn contract(&self) -> PortContract {
        spec::contract(&self.0)
    }

    fn registers(&self) -> Option<RegisterMap> {
        Some(spec::register_map(&self.0))
    }

    fn emit(&self) -> Result<Emitted> {
        memforge_hdl::seed_tile::generate(&self.0)
            .with_context(|| format!("generating design `{}`", self.0.design.name))
    }

    fn config_json(&self) -> Result<Value> {
        serde_json::to_value(&self.0).context("serializing the config")
    }

    fn flow(&self) -> FlowSection {
        self.0.flow.clone()
    }

    fn testbench(&self, seed: u64) -> Result<Testbench> {
        let model = SeedTileModel::new(&self.0);
        let traffic = SeedTraffic::new(&self.0, model.layout(), seed)?;
        let cov = traffic.coverage();
        Ok(Testbench {
            model: Box::new(model),
            stimulus: Box::new(traffic),
            coverage: Box::new(move || super::counters(&*cov.borrow())),
        })
    }

    fn rust_hdl(&self) -> Result<Option<Box<dyn Dut>>> {
        let top = memforge_hdl::seed_tile::build(&self.0).context("building the rust-hdl tile")?;
        Ok(Some(super::rust_hdl_dut(top, super::layout(self))))
    }
}

/// Refuses a variant config in a command that only knows the LIF tile
/// (ADC lanes, digital neurons): a usage error naming the kind, never a
/// LIF tile silently built from a variant's config.
pub fn require_lif(cfg: &DesignConfig, command: &str) -> Result<()> {
    if cfg.neuron.kind.is_lif() {
        return Ok(());
    }
    Err(crate::outcome::UsageError(format!(
        "{command} works on the LIF tile; neuron.kind = \"{}\" is a seed tile variant (docs/seed_circuits.md, \"Tile variants\": generate, lint, cosim)",
        cfg.neuron.kind.name()
    ))
    .into())
}

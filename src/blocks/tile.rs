//! The neuron tile family: `TileTop` (hdl/src/design.rs) against
//! `TileModel` (sim/src/tile), driven by `TileTraffic` with the harness
//! playing the analog macro. Ports: `memforge_spec::blocks::tile`.

use super::{BlockDesign, BlockFamily, Testbench};
use anyhow::{Context, Result};
use memforge_hdl::emit::Emitted;
use memforge_sim::cosim::Dut;
use memforge_sim::cycle::CycleModel;
use memforge_sim::stimulus::{applies, TileTraffic};
use memforge_sim::tile::TileModel;
use memforge_spec::{blocks, DesignConfig, DesignSection, FlowSection, PortContract, RegisterMap};
use serde_json::Value;
use std::path::Path;

pub struct Tile;

impl BlockFamily for Tile {
    fn name(&self) -> &'static str {
        "tile"
    }

    fn summary(&self) -> &'static str {
        "the digital periphery of one crossbar tile (AER in/out, neurons, write-verify, registers; the harness plays the analog macro)"
    }

    fn doc_page(&self) -> &'static str {
        "docs/tile.md"
    }

    fn sweep(&self) -> &'static [&'static str] {
        &[
            "examples/tile-8x8.toml",
            "examples/tile-32x32.toml",
            "examples/tile-24x40.toml",
        ]
    }

    fn load(&self, path: &Path) -> Result<Box<dyn BlockDesign>> {
        Ok(design(memforge_spec::load_file(path)?))
    }

    fn load_json(&self, config: Value) -> Result<Box<dyn BlockDesign>> {
        let cfg = super::config_from_json(config, memforge_spec::validate::validate)?;
        Ok(design(cfg))
    }
}

/// The tile of `cfg`: the LIF tile, or the variant around a seed paper's
/// analog neuron its `[neuron] kind` selects (`super::seed_tile`).
fn design(cfg: DesignConfig) -> Box<dyn BlockDesign> {
    if cfg.neuron.kind.is_lif() {
        Box::new(TileDesign(cfg))
    } else {
        Box::new(super::seed_tile::SeedTileDesign(cfg))
    }
}

/// A tile sized by its config.
pub struct TileDesign(pub DesignConfig);

impl BlockDesign for TileDesign {
    fn family(&self) -> &'static str {
        Tile.name()
    }

    fn design_section(&self) -> &DesignSection {
        &self.0.design
    }

    fn contract(&self) -> PortContract {
        blocks::tile::contract(&self.0)
    }

    fn registers(&self) -> Option<RegisterMap> {
        Some(RegisterMap::for_design(&self.0))
    }

    fn emit(&self) -> Result<Emitted> {
        memforge_hdl::generate(&self.0)
            .with_context(|| format!("generating design `{}`", self.0.design.name))
    }

    fn config_json(&self) -> Result<Value> {
        serde_json::to_value(&self.0).context("serializing the config")
    }

    fn flow(&self) -> FlowSection {
        self.0.flow.clone()
    }

    /// The constraint files, plus Caravel's `user_project_wrapper` and its
    /// flow configs when the config has `[caravel]`.
    fn extra_files(&self) -> Result<Vec<(String, String)>> {
        let contract = self.contract();
        let mut files = crate::flows::constraints::render(&self.top(), &self.flow(), &contract)?;
        files.extend(crate::flows::caravel::render(&self.0, &contract)?);
        Ok(files)
    }

    fn testbench(&self, seed: u64) -> Result<Testbench> {
        let model = TileModel::new(&self.0);
        let traffic = TileTraffic::new(&self.0, model.layout(), seed)?;
        let probe = traffic.coverage();
        let cfg = self.0.clone();
        Ok(Testbench {
            model: Box::new(model),
            stimulus: Box::new(traffic),
            coverage: Box::new(move || {
                let mut c = super::counters(&probe.snapshot());
                c.retain(|k, _| applies(k, &cfg));
                c
            }),
        })
    }

    fn rust_hdl(&self) -> Result<Option<Box<dyn Dut>>> {
        let top = memforge_hdl::build(&self.0).context("building the rust-hdl tile")?;
        Ok(Some(super::rust_hdl_dut(top, super::layout(self))))
    }
}

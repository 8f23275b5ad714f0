//! The array family: `rows x cols` neuron tiles and their interconnect
//! (Mosaic routing tiles or AER mesh routers) in one top with one
//! Wishbone decoder (hdl/src/array/). Ports, schema and layout:
//! `memforge_spec::blocks::array`. No golden model yet: network
//! simulation is issue #15's third part, so `cosim` refuses the family
//! with a message rather than running a model that does not exist.

use super::{BlockDesign, BlockFamily, Testbench};
use anyhow::{Context, Result};
use memforge_hdl::emit::Emitted;
use memforge_spec::blocks::array::{self, ArrayConfig};
use memforge_spec::{DesignSection, FlowSection, PortContract};
use serde_json::Value;
use std::path::Path;

pub struct Array;

impl BlockFamily for Array {
    fn name(&self) -> &'static str {
        "array"
    }

    fn summary(&self) -> &'static str {
        "rows x cols neuron tiles joined by Mosaic routing tiles or AER mesh routers, one top, one Wishbone decoder (no model yet)"
    }

    fn doc_page(&self) -> &'static str {
        "docs/array.md"
    }

    fn sweep(&self) -> &'static [&'static str] {
        &[
            "examples/array-mosaic-2x2.toml",
            "examples/array-mesh-2x2.toml",
        ]
    }

    fn load(&self, path: &Path) -> Result<Box<dyn BlockDesign>> {
        let cfg = memforge_spec::load::load_with(path, array::validate)?;
        Ok(Box::new(ArrayDesign(cfg)))
    }

    fn load_json(&self, config: Value) -> Result<Box<dyn BlockDesign>> {
        let cfg = super::config_from_json(config, array::validate)?;
        Ok(Box::new(ArrayDesign(cfg)))
    }
}

/// An array sized by its config.
pub struct ArrayDesign(pub ArrayConfig);

impl BlockDesign for ArrayDesign {
    fn family(&self) -> &'static str {
        Array.name()
    }

    fn design_section(&self) -> &DesignSection {
        &self.0.design
    }

    fn contract(&self) -> PortContract {
        array::contract(&self.0)
    }

    fn emit(&self) -> Result<Emitted> {
        memforge_hdl::array::generate(&self.0)
            .with_context(|| format!("generating design `{}`", self.0.design.name))
    }

    fn config_json(&self) -> Result<Value> {
        serde_json::to_value(&self.0).context("serializing the config")
    }

    fn flow(&self) -> FlowSection {
        self.0.flow.clone()
    }

    fn modelled(&self) -> bool {
        false
    }

    fn testbench(&self, _seed: u64) -> Result<Testbench> {
        Err(crate::outcome::UsageError(
            "the array family has no golden model yet (network simulation is issue #15's third part); generate and lint it, or co-simulate its tiles and routers as their own families".into(),
        )
        .into())
    }
}

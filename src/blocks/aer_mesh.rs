//! The AER mesh family: `cols x rows` routers in one top
//! (hdl/src/aer_mesh.rs) against `AerMeshModel` (sim/src/aer_mesh.rs,
//! composed router models), driven by `MeshTraffic` (uniform, transpose
//! and hot-spot traffic with drains and a scoreboard). Ports and schema:
//! `memforge_spec::blocks::aer_mesh`.

use super::{BlockDesign, BlockFamily, Testbench};
use anyhow::{anyhow, Context, Result};
use memforge_hdl::aer_mesh::build;
use memforge_hdl::emit::Emitted;
use memforge_hdl::with_packet_width;
use memforge_sim::aer_mesh::AerMeshModel;
use memforge_sim::cosim::Dut;
use memforge_sim::cycle::CycleModel;
use memforge_sim::stimulus::mesh_traffic::MeshTraffic;
use memforge_spec::blocks::aer_mesh::{self, AerMeshConfig};
use memforge_spec::{DesignSection, FlowSection, PortContract};
use serde_json::Value;
use std::path::Path;

pub struct AerMesh;

impl BlockFamily for AerMesh {
    fn name(&self) -> &'static str {
        "aer_mesh"
    }

    fn summary(&self) -> &'static str {
        "a cols x rows mesh of AER routers in one top, local links as its ports, one shared Wishbone bus"
    }

    fn doc_page(&self) -> &'static str {
        "docs/aer_mesh.md"
    }

    fn sweep(&self) -> &'static [&'static str] {
        &["examples/aer-mesh-3x3.toml"]
    }

    fn load(&self, path: &Path) -> Result<Box<dyn BlockDesign>> {
        let cfg = memforge_spec::load::load_with(path, aer_mesh::validate)?;
        Ok(Box::new(MeshDesign(cfg)))
    }

    fn load_json(&self, config: Value) -> Result<Box<dyn BlockDesign>> {
        let cfg = super::config_from_json(config, aer_mesh::validate)?;
        Ok(Box::new(MeshDesign(cfg)))
    }
}

/// A mesh sized by its config.
pub struct MeshDesign(pub AerMeshConfig);

impl BlockDesign for MeshDesign {
    fn family(&self) -> &'static str {
        AerMesh.name()
    }

    fn design_section(&self) -> &DesignSection {
        &self.0.design
    }

    fn contract(&self) -> PortContract {
        aer_mesh::contract(&self.0.mesh)
    }

    fn emit(&self) -> Result<Emitted> {
        memforge_hdl::aer_mesh::generate(&self.0)
            .with_context(|| format!("generating design `{}`", self.0.design.name))
    }

    fn config_json(&self) -> Result<Value> {
        serde_json::to_value(&self.0).context("serializing the config")
    }

    fn flow(&self) -> FlowSection {
        self.0.flow.clone()
    }

    fn testbench(&self, seed: u64) -> Result<Testbench> {
        let model = AerMeshModel::new(&self.0);
        let traffic = MeshTraffic::new(&self.0, model.layout(), seed)?;
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

//! The AER mesh: `cols x rows` routers (`super::aer_router`) wired
//! north-south and east-west into one top whose ports are the routers'
//! local links and one shared Wishbone slave. Its config schema,
//! validation and port contract.

use super::aer_router::{self, AerRouterParams, LinkParams, WINDOW_ALIGN};
use crate::config::{DesignSection, FlowSection};
use crate::error::Problem;
use crate::ports::PortContract;
use crate::validate::{validate_design_section, validate_flow_section};
use serde::{Deserialize, Serialize};

pub use aer_router::{CLOCK, RESET};

/// A mesh config file: `[design]` (with `block = "aer_mesh"`) and `[mesh]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AerMeshConfig {
    pub design: DesignSection,
    pub mesh: LinkParams,
    #[serde(default)]
    pub flow: FlowSection,
}

/// Every problem of `cfg`; empty when valid.
pub fn validate(cfg: &AerMeshConfig) -> Vec<Problem> {
    let mut problems = validate_design_section(&cfg.design);
    problems.extend(validate_flow_section(&cfg.flow));
    aer_router::validate_block(&cfg.design, "aer_mesh", &mut problems);
    aer_router::validate_link("mesh", &cfg.mesh, &mut problems);
    if cfg.mesh.cols * cfg.mesh.rows < 2 {
        problems.push(Problem {
            path: "mesh.cols".into(),
            value: cfg.mesh.cols.to_string(),
            rule: "a mesh needs at least two routers (cols * rows >= 2)".into(),
        });
    }
    problems
}

/// The index of the router at (`x`, `y`): its local link's port suffix
/// and its register window (`base_address + index * 0x400`).
pub fn router_index(p: &LinkParams, x: u32, y: u32) -> usize {
    (y * p.cols + x) as usize
}

/// The parameters of the router at (`x`, `y`).
pub fn router(p: &LinkParams, x: u32, y: u32) -> AerRouterParams {
    AerRouterParams {
        x,
        y,
        link: p.clone(),
    }
}

/// Byte address of the registers of the router at `index`.
pub fn router_base(p: &LinkParams, index: usize) -> u32 {
    p.base_address
        .wrapping_add(WINDOW_ALIGN.wrapping_mul(index as u32))
}

/// The mesh's ports in RTL order: the bus, then every router's local link
/// (index `y * cols + x`).
pub fn contract(p: &LinkParams) -> PortContract {
    let n = (p.cols * p.rows) as usize;
    let cols = p.cols as usize;
    aer_router::links(aer_router::bus_ports(), p.packet_bits(), n, &|i| {
        format!(
            "{i} (local link of router x = {}, y = {})",
            i % cols,
            i / cols
        )
    })
}

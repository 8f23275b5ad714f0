//! The Mosaic routing tile (Dalgaty et al. 2024): a crossbar of routing
//! devices between the spike lines of the four neighbours and the local
//! neuron tile. Its config schema and validation.

use crate::analog::{validate_analog, AnalogSection};
use crate::config::{DesignSection, FlowSection};
use crate::error::Problem;
use crate::validate::{check_range, validate_design_section, validate_flow_section};
use serde::{Deserialize, Serialize};

/// The directions of a routing tile's spike lines, in line order: rows
/// `d * channels .. (d + 1) * channels` of the crossbar are the lines
/// coming in from direction `d`, and the same columns the lines going out.
pub const DIRECTIONS: [&str; 5] = ["n", "e", "s", "w", "l"];

/// A routing-tile config: `[design]` (with `block = "routing_tile"`),
/// `[routing]`, and `[analog]` for the routing crossbar's devices and
/// parasitics (a routing device is either at `g_max_us`, routing, or at
/// `g_min_us`, blocking).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutingTileConfig {
    pub design: DesignSection,
    pub routing: RoutingParams,
    #[serde(default)]
    pub analog: AnalogSection,
    #[serde(default)]
    pub flow: FlowSection,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutingParams {
    /// Spike lines per direction (1..=8), the same for N, E, S, W and the
    /// local neuron tile.
    pub channels: u32,
}

impl RoutingParams {
    /// Rows (and columns) of the routing crossbar: `5 * channels`.
    pub fn lines(&self) -> usize {
        DIRECTIONS.len() * self.channels as usize
    }
}

/// Every problem of `cfg`; empty when valid.
pub fn validate(cfg: &RoutingTileConfig) -> Vec<Problem> {
    let mut problems = validate_design_section(&cfg.design);
    problems.extend(validate_flow_section(&cfg.flow));
    check_range(
        &mut problems,
        "routing.channels",
        cfg.routing.channels.into(),
        1,
        8,
    );
    validate_analog(&cfg.analog, &mut problems);
    match cfg.design.block.as_deref() {
        Some("routing_tile") | None => {}
        Some(other) => problems.push(Problem {
            path: "design.block".into(),
            value: format!("\"{other}\""),
            rule: "must be \"routing_tile\" in a routing-tile config".into(),
        }),
    }
    problems
}

//! The spike bridge: a neuron tile's AER links on one side, a routing
//! tile's local spike lines on the other, so a memforge neuron tile plugs
//! into a Mosaic routing tile. Its config schema, validation and port
//! contract.

use crate::blocks::routing_tile::CHANNELS;
use crate::config::{DesignSection, FlowSection};
use crate::error::Problem;
use crate::ports::{Dir, PortContract, Role};
use crate::validate::{validate_design_section, validate_flow_section};
use serde::{Deserialize, Serialize};

/// The bridge's clock.
pub const CLOCK: &str = "clock";
/// Its active-low reset (synchronized by the parent).
pub const RESET: &str = "rst_n";
/// AER address width: the neuron tile's.
pub const ADDR_BITS: u32 = crate::derived::AER_ADDR_BITS;

/// A bridge config: `[design]` (with `block = "spike_bridge"`) and
/// `[spike_bridge]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpikeBridgeConfig {
    pub design: DesignSection,
    pub spike_bridge: SpikeBridgeParams,
    #[serde(default)]
    pub flow: FlowSection,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpikeBridgeParams {
    /// Spike lines (one of the routing tile's channel counts).
    pub channels: u32,
    /// The neuron whose output spikes leave on line 0; neurons
    /// `neuron_base .. neuron_base + channels` map onto the lines, others
    /// are counted on `misrouted`.
    #[serde(default)]
    pub neuron_base: u32,
    /// The crossbar row a pulse on line 0 becomes (`row_base + line`).
    #[serde(default)]
    pub row_base: u32,
}

/// Every problem of `cfg`; empty when valid.
pub fn validate(cfg: &SpikeBridgeConfig) -> Vec<Problem> {
    let mut problems = validate_design_section(&cfg.design);
    problems.extend(validate_flow_section(&cfg.flow));
    let p = &cfg.spike_bridge;
    if !CHANNELS.contains(&p.channels) {
        problems.push(Problem {
            path: "spike_bridge.channels".into(),
            value: p.channels.to_string(),
            rule: format!("must be one of {CHANNELS:?}"),
        });
    }
    let space = 1u64 << ADDR_BITS;
    for (path, base) in [
        ("spike_bridge.neuron_base", p.neuron_base),
        ("spike_bridge.row_base", p.row_base),
    ] {
        if u64::from(base) + u64::from(p.channels) > space {
            problems.push(Problem {
                path: path.into(),
                value: base.to_string(),
                rule: format!(
                    "plus channels must fit the {ADDR_BITS}-bit AER address (at most {space})"
                ),
            });
        }
    }
    match cfg.design.block.as_deref() {
        Some("spike_bridge") | None => {}
        Some(other) => problems.push(Problem {
            path: "design.block".into(),
            value: format!("\"{other}\""),
            rule: "must be \"spike_bridge\" in a spike-bridge config".into(),
        }),
    }
    problems
}

/// The bridge's ports in RTL order.
pub fn contract(p: &SpikeBridgeParams) -> PortContract {
    let (a, c) = (ADDR_BITS, p.channels);
    PortContract::new()
        .port(CLOCK, Dir::In, 1, Role::Clock, "clock")
        .port(RESET, Dir::In, 1, Role::Reset, "active-low reset")
        .port("aer_in_addr", Dir::In, a, Role::AerIn, "neuron address of a spike from the neuron tile (its `aer_out_addr`)")
        .port("aer_in_valid", Dir::In, 1, Role::AerIn, "a spike is offered")
        .port("aer_in_ready", Dir::Out, 1, Role::AerIn, "high from the first edge after reset: every spike is taken at once")
        .port("lines_out", Dir::Out, c, Role::AerOut, "one-cycle pulses to the routing tile's `in_l` (line = neuron - neuron_base)")
        .port("lines_in", Dir::In, c, Role::AerIn, "pulses from the routing tile's `out_l`")
        .port("aer_out_addr", Dir::Out, a, Role::AerOut, "crossbar row of an input event for the neuron tile (its `aer_in_addr`; row_base + line)")
        .port("aer_out_valid", Dir::Out, 1, Role::AerOut, "an event is offered")
        .port("aer_out_ready", Dir::In, 1, Role::AerOut, "the neuron tile takes the event at an edge where `valid & ready`")
        .port("misrouted", Dir::Out, 16, Role::Register, "spikes from neurons outside the mapped range, wrapping")
        .port("overruns", Dir::Out, 16, Role::Register, "pulses lost because the same line was still waiting to become an event, wrapping")
}

//! The AER merge: N input event links into one output link, round-robin.
//! Its config schema, validation and port contract.

use crate::config::{DesignSection, FlowSection};
use crate::error::Problem;
use crate::ports::{Dir, PortContract, Role};
use crate::validate::{check_range, validate_design_section, validate_flow_section};
use serde::{Deserialize, Serialize};

/// The merge's clock.
pub const CLOCK: &str = "clock";
/// The merge's active-low reset (synchronized by the parent, like every
/// block below a top with a reset synchronizer).
pub const RESET: &str = "rst_n";
/// Event address widths the generator supports (rust-hdl widths are
/// types, so each is one instantiation).
pub const ADDR_BITS: [u32; 5] = [8, 12, 16, 24, 32];

/// A merge config file: `[design]` (with `block = "aer_merge"`) and
/// `[aer_merge]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AerMergeConfig {
    pub design: DesignSection,
    pub aer_merge: AerMergeParams,
    /// Constraints and flow settings, as for the tile.
    #[serde(default)]
    pub flow: FlowSection,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AerMergeParams {
    /// Input links (2..=16).
    pub inputs: u32,
    /// Width of an event's address (one of [`ADDR_BITS`]).
    #[serde(default = "default_addr_bits")]
    pub addr_bits: u32,
    /// Entries of each input's FIFO (2..=16): 2 lets a single busy input
    /// send an event every cycle.
    #[serde(default = "default_fifo_depth")]
    pub fifo_depth: u32,
}

fn default_addr_bits() -> u32 {
    8
}

fn default_fifo_depth() -> u32 {
    2
}

/// Every problem of `cfg`; empty when valid.
pub fn validate(cfg: &AerMergeConfig) -> Vec<Problem> {
    let mut problems = validate_design_section(&cfg.design);
    problems.extend(validate_flow_section(&cfg.flow));
    let p = &cfg.aer_merge;
    check_range(&mut problems, "aer_merge.inputs", p.inputs.into(), 2, 16);
    check_range(
        &mut problems,
        "aer_merge.fifo_depth",
        p.fifo_depth.into(),
        2,
        16,
    );
    if !ADDR_BITS.contains(&p.addr_bits) {
        problems.push(Problem {
            path: "aer_merge.addr_bits".into(),
            value: p.addr_bits.to_string(),
            rule: format!("must be one of {ADDR_BITS:?}"),
        });
    }
    match cfg.design.block.as_deref() {
        Some("aer_merge") | None => {}
        Some(other) => problems.push(Problem {
            path: "design.block".into(),
            value: format!("\"{other}\""),
            rule: "must be \"aer_merge\" in an AER merge config".into(),
        }),
    }
    problems
}

/// The name of input `i`'s port `field` (`in_addr__3`).
pub fn input_port(field: &str, i: u32) -> String {
    format!("{field}__{i}")
}

/// The merge's ports in RTL order.
pub fn contract(p: &AerMergeParams) -> PortContract {
    let mut c = PortContract::new()
        .port(CLOCK, Dir::In, 1, Role::Clock, "clock")
        .port(RESET, Dir::In, 1, Role::Reset, "active-low reset");
    let per_input: [(&str, Dir, u32, &str); 3] = [
        ("in_addr", Dir::In, p.addr_bits, "event address, input"),
        ("in_valid", Dir::In, 1, "an event is offered on input"),
        (
            "in_ready",
            Dir::Out,
            1,
            "there is room (a register; the event is taken at an edge where `valid & ready`) on input",
        ),
    ];
    for (field, dir, width, doc) in per_input {
        for i in 0..p.inputs {
            let doc = format!("{doc} {i}");
            c = c.port(&input_port(field, i), dir, width, Role::AerIn, &doc);
        }
    }
    c.port(
        "out_addr",
        Dir::Out,
        p.addr_bits,
        Role::AerOut,
        "address of the merged event",
    )
    .port(
        "out_valid",
        Dir::Out,
        1,
        Role::AerOut,
        "an event is offered",
    )
    .port(
        "out_ready",
        Dir::In,
        1,
        Role::AerOut,
        "the receiver takes the event at an edge where `valid & ready`",
    )
}

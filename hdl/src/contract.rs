//! The generation-time check that an emitted top has exactly the ports of
//! its block's contract (`memforge_spec::PortContract`): a renamed,
//! resized, turned or extra port is an error naming the port, before any
//! file is written.

use crate::emit::{port, Emitted, PortDir};
use memforge_spec::{ContractError, Dir, PortContract};

/// Checks the top module of `emitted` (its port declarations, read back
/// from the text) against `contract`.
pub fn check_contract(emitted: &Emitted, contract: &PortContract) -> Result<(), ContractError> {
    let actual: Vec<(String, Dir, u32)> = emitted
        .top()
        .map(|top| port::top_ports(&top.text))
        .unwrap_or_default()
        .into_iter()
        .map(|p| {
            let dir = match p.dir {
                PortDir::Input => Dir::In,
                PortDir::Output => Dir::Out,
            };
            (p.name, dir, p.width)
        })
        .collect();
    contract.check(&emitted.design, &actual)
}

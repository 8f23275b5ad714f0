//! The register bank's port contract (the bank co-simulated on its own),
//! derived from the register map.

use crate::ports::{Dir, PortContract, Role};
use crate::{Access, RegisterMap};

/// The standalone bank's clock.
pub const CLOCK: &str = "clock";
/// The standalone bank's active-low reset.
pub const RESET: &str = "rst_n";

/// The ports of the register bank of `map`, in RTL order: clock, reset,
/// the Wishbone slave, then one port per register with a hardware side
/// (an input for `ro` registers, an output for `rw` and `pulse` ones),
/// each exactly the register's width.
pub fn contract(map: &RegisterMap) -> PortContract {
    let mut c = PortContract::new()
        .port(CLOCK, Dir::In, 1, Role::Clock, "clock")
        .port(
            RESET,
            Dir::In,
            1,
            Role::Reset,
            "active-low reset, synchronized by the tile",
        )
        .wishbone_slave();
    for r in map.registers.iter().filter(|r| r.hw_port) {
        let dir = if r.access == Access::Ro {
            Dir::In
        } else {
            Dir::Out
        };
        c = c.port(r.name, dir, r.width, Role::Register, r.doc);
    }
    c
}

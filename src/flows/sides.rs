//! Which die edge each top-level port belongs on, decided from its role in
//! the block's port contract. One table here drives the pin-order file, so
//! the floorplan intent (bus toward the SoC, events toward the neighbours,
//! analog wires toward the macro) is written down once.

use memforge_spec::{PortContract, PortDecl, Role};

/// A die edge, as named in OpenLane's pin-order file (`#N`, `#S`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Side {
    North,
    East,
    South,
    West,
}

impl Side {
    pub const ALL: [Side; 4] = [Side::North, Side::East, Side::South, Side::West];

    /// The section letter of a pin-order file.
    pub fn letter(self) -> &'static str {
        match self {
            Side::North => "N",
            Side::East => "E",
            Side::South => "S",
            Side::West => "W",
        }
    }
}

/// The edge a role's pins go on. Caravel's management SoC (and so the
/// Wishbone bus) is south of the user area; events flow west to east as in a
/// Mosaic row; the crossbar macro sits north of its periphery.
/// Clock, reset and register ports stay with the bus.
pub fn side(role: Role) -> Side {
    match role {
        Role::Clock | Role::ResetRequest | Role::Reset | Role::Bus | Role::Register | Role::Pad => {
            Side::South
        }
        Role::AerIn => Side::West,
        Role::AerOut => Side::East,
        Role::Macro => Side::North,
    }
}

/// The ports on `s`, in the order the contract declares them.
pub fn ports_on(contract: &PortContract, s: Side) -> Vec<&PortDecl> {
    contract
        .ports
        .iter()
        .filter(|p| side(p.role) == s)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_decide_sides() {
        assert_eq!(side(Role::Clock), Side::South);
        assert_eq!(side(Role::Bus), Side::South);
        assert_eq!(side(Role::AerIn), Side::West);
        assert_eq!(side(Role::AerOut), Side::East);
        assert_eq!(side(Role::Macro), Side::North);
    }
}

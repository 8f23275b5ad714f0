//! Which die edge each top-level port belongs on, decided from its name
//! prefix. One table here drives the pin-order file, so the floorplan intent
//! (bus toward the SoC, events toward the neighbours, analog wires toward the
//! macro) is written down once.

use memforge_hdl::emit::Port;

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

/// What a port is for, from its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// `wb_clk_i`, `wb_rst_i` and `wbs_*`: Caravel's Wishbone slave.
    Bus,
    /// `aer_in_*`: events arriving from the neighbouring router.
    AerIn,
    /// `aer_out_*`: spikes leaving toward the neighbouring router.
    AerOut,
    /// `xbar_*`: the analog crossbar macro's digital interface.
    Macro,
    /// Anything else (kept with the bus so no pin is left unplaced).
    Other,
}

/// The clock port of every memforge design (Caravel's Wishbone clock).
pub const CLOCK_PORT: &str = "wb_clk_i";
/// The active-high asynchronous reset, synchronised inside the tile.
pub const RESET_PORT: &str = "wb_rst_i";

pub fn role(name: &str) -> Role {
    if name == CLOCK_PORT || name == RESET_PORT || name.starts_with("wbs_") {
        Role::Bus
    } else if name.starts_with("aer_in_") {
        Role::AerIn
    } else if name.starts_with("aer_out_") {
        Role::AerOut
    } else if name.starts_with("xbar_") {
        Role::Macro
    } else {
        Role::Other
    }
}

/// The edge a role's pins go on. Caravel's management SoC (and so the
/// Wishbone bus) is south of the user area; events flow west to east as in a
/// Mosaic row; the crossbar macro sits north of its periphery.
pub fn side(role: Role) -> Side {
    match role {
        Role::Bus | Role::Other => Side::South,
        Role::AerIn => Side::West,
        Role::AerOut => Side::East,
        Role::Macro => Side::North,
    }
}

/// The ports on `s`, in the order the design declares them.
pub fn ports_on(ports: &[Port], s: Side) -> Vec<&Port> {
    ports.iter().filter(|p| side(role(&p.name)) == s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_decide_sides() {
        assert_eq!(side(role("wb_clk_i")), Side::South);
        assert_eq!(side(role("wbs_dat_o")), Side::South);
        assert_eq!(side(role("aer_in_addr")), Side::West);
        assert_eq!(side(role("aer_out_valid")), Side::East);
        assert_eq!(side(role("xbar_row_en")), Side::North);
        assert_eq!(role("debug_o"), Role::Other);
    }
}

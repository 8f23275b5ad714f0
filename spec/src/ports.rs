//! Port contracts: the one list of a block's top-level ports (name,
//! direction, width, role), derived from its parameters.
//!
//! Everything that needs a block's ports reads its contract: the generator
//! checks the emitted top against it (a renamed or resized port is an error
//! naming the port), the golden model and the co-simulation bind to it, the
//! stimulus resolves typed pins from it, the pin-order file places ports by
//! their role, and the block's doc page renders its port table from it.

use serde::{Deserialize, Serialize};

/// Which way a port points, seen from the block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dir {
    In,
    Out,
}

/// What a group of ports is for. Pin order (which die edge) and the doc
/// tables group ports by role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The block's clock (not part of a model's port values).
    Clock,
    /// An asynchronous reset request that the block synchronizes inside
    /// (a false path for timing).
    ResetRequest,
    /// A reset already synchronous to the clock (from a parent's
    /// synchronizer; timed like any input).
    Reset,
    /// The Wishbone slave through which software reaches the block.
    Bus,
    /// Events arriving (AER input links).
    AerIn,
    /// Events leaving (AER output links).
    AerOut,
    /// The analog crossbar macro's digital interface.
    Macro,
    /// A register's hardware side (a block that is a register bank).
    Register,
    /// A chip-level pin: Caravel's user I/O pads, logic analyzer, interrupts.
    Pad,
}

impl Role {
    /// How the doc tables name the role.
    pub fn title(self) -> &'static str {
        match self {
            Role::Clock => "clock",
            Role::ResetRequest => "reset request",
            Role::Reset => "reset",
            Role::Bus => "Wishbone slave",
            Role::AerIn => "AER in",
            Role::AerOut => "AER out",
            Role::Macro => "crossbar macro",
            Role::Register => "register",
            Role::Pad => "pad",
        }
    }
}

/// One top-level port.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortDecl {
    pub name: String,
    pub dir: Dir,
    pub width: u32,
    pub role: Role,
    /// One line for the doc table.
    pub doc: String,
}

/// A block's ports in the order its RTL declares them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortContract {
    pub ports: Vec<PortDecl>,
}

/// The emitted top and its contract disagree.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ContractError {
    #[error("the contract of `{block}` has port `{port}`, which the generated top lacks")]
    Missing { block: String, port: String },
    #[error("the generated top of `{block}` has port `{port}`, which its contract lacks")]
    Unexpected { block: String, port: String },
    #[error(
        "port `{port}` of `{block}`: the contract says {expected}, the generated top has {actual}"
    )]
    Differs {
        block: String,
        port: String,
        expected: String,
        actual: String,
    },
    #[error("port `{port}` of `{block}` is declared twice in its contract")]
    Duplicate { block: String, port: String },
}

fn describe(dir: Dir, width: u32) -> String {
    let d = match dir {
        Dir::In => "input",
        Dir::Out => "output",
    };
    format!("{d} [{width}]")
}

impl PortContract {
    /// Starts a contract; add ports in RTL order.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one port.
    pub fn port(mut self, name: &str, dir: Dir, width: u32, role: Role, doc: &str) -> Self {
        self.ports.push(PortDecl {
            name: name.to_string(),
            dir,
            width,
            role,
            doc: doc.to_string(),
        });
        self
    }

    /// Adds the Caravel Wishbone slave ports (`wbs_*`), in Caravel's order.
    pub fn wishbone_slave(self) -> Self {
        self.port("wbs_stb_i", Dir::In, 1, Role::Bus, "strobe")
            .port("wbs_cyc_i", Dir::In, 1, Role::Bus, "bus cycle")
            .port("wbs_we_i", Dir::In, 1, Role::Bus, "write enable")
            .port("wbs_sel_i", Dir::In, 4, Role::Bus, "byte lanes")
            .port("wbs_dat_i", Dir::In, 32, Role::Bus, "write data")
            .port("wbs_adr_i", Dir::In, 32, Role::Bus, "byte address")
            .port(
                "wbs_ack_o",
                Dir::Out,
                1,
                Role::Bus,
                "acknowledge, one cycle after the request",
            )
            .port(
                "wbs_dat_o",
                Dir::Out,
                32,
                Role::Bus,
                "read data, valid with the acknowledge",
            )
    }

    /// The port called `name`.
    pub fn get(&self, name: &str) -> Option<&PortDecl> {
        self.ports.iter().find(|p| p.name == name)
    }

    /// The name of the first input with `role`, if the contract has one.
    pub fn input_with(&self, role: Role) -> Option<&str> {
        self.ports
            .iter()
            .find(|p| p.role == role && p.dir == Dir::In)
            .map(|p| p.name.as_str())
    }

    /// The clock input's name, if the contract has one.
    pub fn clock(&self) -> Option<&str> {
        self.input_with(Role::Clock)
    }

    /// Checks `actual` (name, direction, width of the emitted top's ports)
    /// against the contract: same names, each with the same direction and
    /// width. Order is not checked: the emitter orders ports as rust-hdl
    /// declares them, and nothing downstream depends on the order.
    pub fn check(&self, block: &str, actual: &[(String, Dir, u32)]) -> Result<(), ContractError> {
        let b = || block.to_string();
        for (i, p) in self.ports.iter().enumerate() {
            if self.ports[..i].iter().any(|q| q.name == p.name) {
                return Err(ContractError::Duplicate {
                    block: b(),
                    port: p.name.clone(),
                });
            }
            let Some((_, dir, width)) = actual.iter().find(|(n, _, _)| *n == p.name) else {
                return Err(ContractError::Missing {
                    block: b(),
                    port: p.name.clone(),
                });
            };
            if *dir != p.dir || *width != p.width {
                return Err(ContractError::Differs {
                    block: b(),
                    port: p.name.clone(),
                    expected: describe(p.dir, p.width),
                    actual: describe(*dir, *width),
                });
            }
        }
        if let Some((name, _, _)) = actual.iter().find(|(n, _, _)| self.get(n).is_none()) {
            return Err(ContractError::Unexpected {
                block: b(),
                port: name.clone(),
            });
        }
        Ok(())
    }

    /// The port table of a block's doc page (Markdown), grouped by role in
    /// contract order.
    pub fn markdown_table(&self) -> String {
        let mut out = String::from("| port | dir | width | role | what |\n|---|---|---|---|---|\n");
        for p in &self.ports {
            let dir = match p.dir {
                Dir::In => "in",
                Dir::Out => "out",
            };
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                p.name,
                dir,
                p.width,
                p.role.title(),
                p.doc
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract() -> PortContract {
        PortContract::new()
            .port("clk", Dir::In, 1, Role::Clock, "clock")
            .port("a", Dir::In, 8, Role::AerIn, "address")
            .port("b", Dir::Out, 1, Role::AerOut, "valid")
    }

    fn actual() -> Vec<(String, Dir, u32)> {
        vec![
            ("clk".into(), Dir::In, 1),
            ("a".into(), Dir::In, 8),
            ("b".into(), Dir::Out, 1),
        ]
    }

    #[test]
    fn equal_ports_pass() {
        assert_eq!(contract().check("x", &actual()), Ok(()));
        assert_eq!(contract().clock(), Some("clk"));
    }

    #[test]
    fn a_renamed_port_is_named() {
        let mut ports = actual();
        ports[1].0 = "addr".into();
        let err = contract().check("x", &ports).unwrap_err();
        assert_eq!(
            err,
            ContractError::Missing {
                block: "x".into(),
                port: "a".into()
            }
        );
        assert!(err.to_string().contains("`a`"));
    }

    #[test]
    fn a_resized_or_turned_port_is_named() {
        let mut ports = actual();
        ports[1].2 = 9;
        let err = contract().check("x", &ports).unwrap_err();
        assert!(err.to_string().contains("input [8]") && err.to_string().contains("input [9]"));
        let mut ports = actual();
        ports[2].1 = Dir::In;
        assert!(matches!(
            contract().check("x", &ports),
            Err(ContractError::Differs { .. })
        ));
    }

    #[test]
    fn an_extra_port_is_named() {
        let mut ports = actual();
        ports.push(("debug".into(), Dir::Out, 4));
        let err = contract().check("x", &ports).unwrap_err();
        assert!(err.to_string().contains("`debug`"));
    }

    #[test]
    fn table_lists_every_port() {
        let t = contract().markdown_table();
        assert_eq!(t.lines().count(), 2 + 3);
        assert!(t.contains("| `a` | in | 8 | AER in | address |"));
    }
}

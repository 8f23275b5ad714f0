//! Binds the typed slots of a register bank to the register-map description,
//! so that offsets, reset values and widths come from one place and a
//! mismatch between description and hardware is a generation error.

use memforge_spec::{Access, Register, RegisterMap};
use std::collections::BTreeSet;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ClaimError {
    #[error("register map has no register `{0}`, which the hardware implements")]
    Missing(String),
    #[error("register `{name}` is described as {described} but implemented as {implemented}")]
    Mismatch {
        name: String,
        described: String,
        implemented: String,
    },
    #[error("register `{0}` is implemented twice")]
    Twice(String),
    #[error("register map describes `{0}`, which the hardware does not implement")]
    Unimplemented(String),
}

/// What the hardware implements for a register: the map's access kind,
/// plus whether the hardware sees it (`Store` is `rw` for software only).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Const,
    Rw,
    Store,
    Ro,
    Pulse,
}

impl Kind {
    /// The map's access kind and `hw_port` flag this kind implements.
    pub fn described_as(self) -> (Access, bool) {
        match self {
            Kind::Const => (Access::Const, false),
            Kind::Rw => (Access::Rw, true),
            Kind::Store => (Access::Rw, false),
            Kind::Ro => (Access::Ro, true),
            Kind::Pulse => (Access::Pulse, true),
        }
    }
}

/// Hands out registers of a map by name, checking kind and width.
pub struct Claims<'a> {
    map: &'a RegisterMap,
    taken: BTreeSet<&'static str>,
}

impl<'a> Claims<'a> {
    pub fn new(map: &'a RegisterMap) -> Self {
        Self {
            map,
            taken: BTreeSet::new(),
        }
    }

    /// The register `name`, which must have this kind and width.
    pub fn take(
        &mut self,
        name: &str,
        kind: Kind,
        width: usize,
    ) -> Result<&'a Register, ClaimError> {
        let reg = self
            .map
            .get(name)
            .ok_or_else(|| ClaimError::Missing(name.to_string()))?;
        let (access, hw_port) = kind.described_as();
        if reg.access != access || reg.hw_port != hw_port || reg.width as usize != width {
            let side = |hw: bool| if hw { "" } else { " (software only)" };
            return Err(ClaimError::Mismatch {
                name: name.to_string(),
                described: format!("{:?} {} bits{}", reg.access, reg.width, side(reg.hw_port)),
                implemented: format!("{access:?} {width} bits{}", side(hw_port)),
            });
        }
        if !self.taken.insert(reg.name) {
            return Err(ClaimError::Twice(name.to_string()));
        }
        Ok(reg)
    }

    /// Fails if the map describes a register nobody took.
    pub fn finish(self) -> Result<(), ClaimError> {
        match self
            .map
            .registers
            .iter()
            .find(|r| !self.taken.contains(r.name))
        {
            Some(r) => Err(ClaimError::Unimplemented(r.name.to_string())),
            None => Ok(()),
        }
    }
}

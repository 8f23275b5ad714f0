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
    #[error("register map describes `{0}`, which the hardware does not implement")]
    Unimplemented(String),
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

    /// The register `name`, which must have this access and width.
    pub fn take(
        &mut self,
        name: &str,
        access: Access,
        width: usize,
    ) -> Result<&'a Register, ClaimError> {
        let reg = self
            .map
            .get(name)
            .ok_or_else(|| ClaimError::Missing(name.to_string()))?;
        if reg.access != access || reg.width as usize != width {
            return Err(ClaimError::Mismatch {
                name: name.to_string(),
                described: format!("{:?} {} bits", reg.access, reg.width),
                implemented: format!("{access:?} {width} bits"),
            });
        }
        self.taken.insert(reg.name);
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

//! Behavioral models.
pub mod regfile;

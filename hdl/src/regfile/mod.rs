//! The tile's Wishbone register file, built from the register-map description
//! in `memforge-spec`.

pub mod bank;
pub mod claim;
pub mod front;
pub mod slots;

pub use bank::RegBank;
pub use claim::ClaimError;

//! Wishbone register files, declared as register lists (`register_bank!`)
//! and checked against the register-map description in `memforge-spec`.

pub mod bank;
pub mod claim;
mod declare;
pub mod eprop_bank;
pub mod front;
pub mod slots;

pub use bank::{LearnBank, PcmTraceBank, RegBank, SdspBank};
pub use claim::{ClaimError, Kind};
pub use eprop_bank::EpropBank;

/// `paste` for `register_bank!` (slot names are `r_` + the register name).
#[doc(hidden)]
pub use paste::paste as __paste;

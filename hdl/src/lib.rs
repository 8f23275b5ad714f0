//! rust-hdl blocks of the memforge tile periphery and the Verilog emitter.
pub mod emit {
    pub mod port;
    pub use port::{Port, PortDir};
}

//! Port access to a rust-hdl top for simulation by name, so that one
//! device-under-test adapter (in the CLI crate) runs any block's rust-hdl
//! model in the shared lock-step harness. Each block's top implements it
//! next to its definition: rust-hdl gives no mutable access to signals by
//! name, so this is the one per-block piece of the adapter.

use rust_hdl::prelude::*;

pub trait HdlPorts: Block {
    /// The top's clock input.
    fn clock_mut(&mut self) -> &mut Signal<In, Clock>;
    /// Sets every input port but the clock from `input(name)` (the low 64
    /// bits of the port's value; every memforge port is at most 32 bits).
    fn drive(&mut self, input: &dyn Fn(&str) -> u64);
    /// Reports every output port as `output(name, value)`.
    fn sample(&self, output: &mut dyn FnMut(&str, u64));
}

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

/// Drives a top's Caravel Wishbone slave inputs (`wbs_*_i`) from
/// `input(name)`: the one list of them every [`HdlPorts`] impl shares.
#[macro_export]
macro_rules! drive_wishbone {
    ($top:expr, $input:expr) => {{
        let g = $input;
        $top.wbs_stb_i.next = g("wbs_stb_i") != 0;
        $top.wbs_cyc_i.next = g("wbs_cyc_i") != 0;
        $top.wbs_we_i.next = g("wbs_we_i") != 0;
        $top.wbs_sel_i.next = g("wbs_sel_i").to_bits();
        $top.wbs_dat_i.next = g("wbs_dat_i").to_bits();
        $top.wbs_adr_i.next = g("wbs_adr_i").to_bits();
    }};
}

/// Reports a top's Wishbone slave outputs (`wbs_ack_o`, `wbs_dat_o`).
#[macro_export]
macro_rules! sample_wishbone {
    ($top:expr, $put:expr) => {{
        $put("wbs_ack_o", $top.wbs_ack_o.val() as u64);
        $put("wbs_dat_o", $top.wbs_dat_o.val().index() as u64);
    }};
}

//! A data register that is written only when `en` is high: behind an
//! integrated clock gate on ASIC targets with clock gating on, an enable
//! flip-flop otherwise.
//!
//! A register that keeps its value most cycles (a neuron's potential) costs
//! a feedback mux per bit when it is a plain `Reg` fed `en ? d : q`; behind
//! a clock gate its flops see no clock edge while `en` is low, and `d` needs
//! no hold path. One gate per register, whatever its width.
//!
//! Simulation semantics (rust-hdl): `q` takes `d` at a rising edge of
//! `clock` when `en` is high. This is what the gate does in hardware, since
//! `en` is stable before the edge (the gate samples it while the clock is
//! low), and it keeps derived clocks out of rust-hdl's simulator, whose
//! delta cycles would race a gated clock against the data.
//!
//! Verilog: with `RegStyle::clock_gating` on an ASIC target, an instance of
//! the design's clock gate module (see [`crate::emit::icg`]) and a flop on
//! its gated clock; otherwise `always @(posedge clock) if (en) q <= d;`.
//! Like [`Reg::new_data`](crate::reg::Reg::new_data) it has no reset (its
//! owner writes it through `d` and `en` while the design is in reset).

use crate::emit::icg::PLACEHOLDER;
use crate::param::Param;
use crate::reg::{RegStyle, MARKER};
use memforge_spec::Target;
use rust_hdl::prelude::*;

#[derive(Clone, Debug, LogicBlock)]
pub struct GatedReg<T: Synth> {
    pub clock: Signal<In, Clock>,
    /// Write `d` at the next rising edge.
    pub en: Signal<In, Bit>,
    pub d: Signal<In, T>,
    pub q: Signal<Out, T>,
    init: Param<T>,
    style: Param<RegStyle>,
}

impl<T: Synth> GatedReg<T> {
    /// `init` is only the FPGA power-up value and the simulation's.
    pub fn new_data(init: T, style: RegStyle) -> Self {
        Self {
            clock: Default::default(),
            en: Default::default(),
            d: Default::default(),
            q: Signal::new_with_default(init),
            init: Param(init),
            style: Param(style),
        }
    }
}

/// Whether `style` puts a [`GatedReg`] behind a clock gate.
pub fn uses_icg(style: RegStyle) -> bool {
    style.clock_gating && style.target == Target::Asic
}

impl<T: Synth> Logic for GatedReg<T> {
    fn update(&mut self) {
        if self.clock.pos_edge() && self.en.val() {
            self.q.next = self.d.val();
        }
    }

    fn connect(&mut self) {
        self.q.connect();
    }

    /// Names starting with [`LOCAL`] are private to one instance: the
    /// inliner prefixes them with the instance name. The inliner renames
    /// every word equal to a port name (`clock`, `en`, `d`, `q`), so the
    /// clock gate's ports are named otherwise.
    fn hdl(&self) -> Verilog {
        if uses_icg(self.style.0) {
            return Verilog::Custom(format!(
                "// {MARKER}\nwire {LOCAL}gclk;\n{PLACEHOLDER} {LOCAL}icg(.clk(clock), .gate(en), .gclk({LOCAL}gclk));\nalways @(posedge {LOCAL}gclk) q <= d;\n"
            ));
        }
        let power_up = match self.style.0.target {
            Target::Fpga => format!("initial q = {};\n", self.init.0.verilog()),
            Target::Asic => String::new(),
        };
        Verilog::Custom(format!(
            "// {MARKER}\n{power_up}always @(posedge clock) if (en) q <= d;\n"
        ))
    }

    fn timing(&self) -> Vec<TimingInfo> {
        vec![TimingInfo {
            name: "gated_reg".into(),
            clock: "clock".into(),
            inputs: vec!["d".into(), "en".into()],
            outputs: vec!["q".into()],
        }]
    }
}

/// Prefix of the instance-private names in a register's body.
pub const LOCAL: &str = "local__";

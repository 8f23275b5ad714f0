//! The register primitive of every memforge block: a D flip-flop with a real
//! reset.
//!
//! rust-hdl's own `DFF` has no reset and sets its power-up value with an
//! `initial` block, which ASIC synthesis ignores. `Reg` resets to a
//! generation-time value on `rst_n` low, asynchronously (the ASIC default) or
//! synchronously, and only FPGA output carries an `initial` value.

use crate::param::Param;
use memforge_spec::{ResetStyle, Target};
use rust_hdl::prelude::*;

/// How a `Reg` is emitted: the design-wide reset style and target.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RegStyle {
    pub reset: ResetStyle,
    pub target: Target,
    /// Blocks that support it hold state in [`crate::gated_reg::GatedReg`]s
    /// (`[flow] clock_gating`); plain `Reg`s ignore it.
    pub clock_gating: bool,
}

#[derive(Clone, Debug, LogicBlock)]
pub struct Reg<T: Synth> {
    pub clock: Signal<In, Clock>,
    pub rst_n: Signal<In, Bit>,
    pub d: Signal<In, T>,
    pub q: Signal<Out, T>,
    init: Param<T>,
    style: Param<RegStyle>,
    /// No reset: `rst_n` is ignored (see [`Reg::new_data`]).
    data: Param<bool>,
}

impl<T: Synth> Reg<T> {
    pub fn new(init: T, style: RegStyle) -> Self {
        Self {
            clock: Default::default(),
            rst_n: Default::default(),
            d: Default::default(),
            q: Signal::new_with_default(init),
            init: Param(init),
            style: Param(style),
            data: Param(false),
        }
    }

    /// A data register without reset (a plain `dfxtp` instead of `dfrtp`),
    /// for storage whose value is never seen before it has been written
    /// (FIFO entries behind their occupancy bits) or which its owner clears
    /// through `d` while `rst_n` is low (the reset is held for at least one
    /// edge, see `rst_sync.rs`). `init` is only the FPGA power-up value and
    /// the simulation's.
    pub fn new_data(init: T, style: RegStyle) -> Self {
        Self {
            data: Param(true),
            ..Self::new(init, style)
        }
    }
}

impl<T: Synth> Logic for Reg<T> {
    fn update(&mut self) {
        if self.data.0 {
            if self.clock.pos_edge() {
                self.q.next = self.d.val();
            }
            return;
        }
        match self.style.0.reset {
            ResetStyle::Async => {
                if !self.rst_n.val() {
                    self.q.next = self.init.0;
                } else if self.clock.pos_edge() {
                    self.q.next = self.d.val();
                }
            }
            ResetStyle::Sync => {
                if self.clock.pos_edge() {
                    self.q.next = if self.rst_n.val() {
                        self.d.val()
                    } else {
                        self.init.0
                    };
                }
            }
        }
    }

    fn connect(&mut self) {
        self.q.connect();
    }

    fn hdl(&self) -> Verilog {
        let init = self.init.0.verilog().to_string();
        let sensitivity = match self.style.0.reset {
            ResetStyle::Async => "posedge clock or negedge rst_n",
            ResetStyle::Sync => "posedge clock",
        };
        let power_up = match self.style.0.target {
            Target::Fpga => format!("initial q = {init};\n"),
            Target::Asic => String::new(),
        };
        if self.data.0 {
            return Verilog::Custom(format!(
                "// {MARKER}\n{power_up}always @(posedge clock) q <= d;\n"
            ));
        }
        Verilog::Custom(format!(
            "// {MARKER}\n{power_up}always @({sensitivity}) begin\n    if (!rst_n) q <= {init};\n    else q <= d;\nend\n"
        ))
    }

    fn timing(&self) -> Vec<TimingInfo> {
        vec![TimingInfo {
            name: "reg".into(),
            clock: "clock".into(),
            inputs: vec!["d".into()],
            outputs: vec!["q".into()],
        }]
    }
}

/// Comment that marks the body of a `Reg` module, so the emitter can inline
/// it into its parent as an `always` block instead of a module per flop.
pub const MARKER: &str = "memforge:reg";

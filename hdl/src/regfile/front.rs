//! Wishbone B4 classic slave front end: decodes a request once for all
//! register slots and produces the registered acknowledge.
//!
//! Timing: a request (`stb & cyc`) is acted on in the cycle it appears
//! (writes take effect at the next clock edge, reads are sampled then) and is
//! acknowledged one cycle later; `ack` is high for exactly one cycle, so a
//! master holding `stb` gets one transfer per two cycles. Every request is
//! acknowledged, including those outside the register window, which change
//! nothing and read as zero.

use crate::param::Param;
use crate::reg::{Reg, RegStyle};
use rust_hdl::prelude::*;

#[derive(Clone, Debug, LogicBlock)]
pub struct WbFront {
    pub clock: Signal<In, Clock>,
    pub rst_n: Signal<In, Bit>,
    pub stb: Signal<In, Bit>,
    pub cyc: Signal<In, Bit>,
    pub we: Signal<In, Bit>,
    pub sel: Signal<In, Bits<4>>,
    pub adr: Signal<In, Bits<32>>,
    /// A new request this cycle (not the acknowledge cycle of the last one).
    pub req: Signal<Out, Bit>,
    /// A write request to the register window this cycle.
    pub wr: Signal<Out, Bit>,
    /// The address lies in the register window and is word aligned.
    pub valid: Signal<Out, Bit>,
    /// Word index inside the window (`adr[9:2]`).
    pub word: Signal<Out, Bits<8>>,
    /// Byte lanes of `sel` expanded to a bit mask.
    pub wmask: Signal<Out, Bits<32>>,
    pub ack: Signal<Out, Bit>,
    lane0: Signal<Local, Bits<32>>,
    lane1: Signal<Local, Bits<32>>,
    lane2: Signal<Local, Bits<32>>,
    lane3: Signal<Local, Bits<32>>,
    window_mask: Constant<Bits<32>>,
    base: Constant<Bits<32>>,
    ack_r: Reg<Bit>,
    _style: Param<RegStyle>,
}

impl WbFront {
    /// `window_bytes` is a power of two and `base` is aligned to it.
    pub fn new(base: u32, window_bytes: u32, style: RegStyle) -> Self {
        Self {
            clock: Default::default(),
            rst_n: Default::default(),
            stb: Default::default(),
            cyc: Default::default(),
            we: Default::default(),
            sel: Default::default(),
            adr: Default::default(),
            req: Default::default(),
            wr: Default::default(),
            valid: Default::default(),
            word: Default::default(),
            wmask: Default::default(),
            ack: Default::default(),
            lane0: Default::default(),
            lane1: Default::default(),
            lane2: Default::default(),
            lane3: Default::default(),
            window_mask: Constant::new((!(window_bytes - 1) | 3).to_bits()),
            base: Constant::new(base.to_bits()),
            ack_r: Reg::new(false, style),
            _style: Param(style),
        }
    }
}

impl Logic for WbFront {
    #[hdl_gen]
    fn update(&mut self) {
        self.ack_r.clock.next = self.clock.val();
        self.ack_r.rst_n.next = self.rst_n.val();
        self.req.next = self.stb.val() & self.cyc.val() & !self.ack_r.q.val();
        self.valid.next = (self.adr.val() & self.window_mask.val()) == self.base.val();
        self.wr.next = self.stb.val() & self.cyc.val() & !self.ack_r.q.val() & self.we.val()
            && (self.adr.val() & self.window_mask.val()) == self.base.val();
        self.ack_r.d.next = self.stb.val() & self.cyc.val() & !self.ack_r.q.val();
        self.ack.next = self.ack_r.q.val();
        self.word.next = self.adr.val().get_bits::<8>(2);
        // One local per byte lane, ORed once: rust-hdl's `.val()` is the
        // settled value, so accumulating with `x.next = x.val() | ...` would
        // keep stale lanes in simulation (the Verilog would be right).
        self.lane0.next = bits::<32>(0);
        self.lane1.next = bits::<32>(0);
        self.lane2.next = bits::<32>(0);
        self.lane3.next = bits::<32>(0);
        if self.sel.val().get_bit(0) {
            self.lane0.next = bits::<32>(0x0000_00ff);
        }
        if self.sel.val().get_bit(1) {
            self.lane1.next = bits::<32>(0x0000_ff00);
        }
        if self.sel.val().get_bit(2) {
            self.lane2.next = bits::<32>(0x00ff_0000_u64);
        }
        if self.sel.val().get_bit(3) {
            self.lane3.next = bits::<32>(0xff00_0000_u64);
        }
        self.wmask.next = self.lane0.val() | self.lane1.val() | self.lane2.val() | self.lane3.val();
    }
}

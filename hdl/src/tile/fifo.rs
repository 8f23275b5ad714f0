//! A shift-register FIFO with a real reset, for the AER input and output
//! queues.
//!
//! Why a shift register rather than a RAM ring: rust-hdl widths are types,
//! so a ring needs a write-enable per entry decoded from a pointer, which
//! rust-hdl can only express with per-entry constants. Here every push
//! shifts all entries up by one and writes entry 0; a thermometer code
//! `occ` (entry `i` valid iff `occ[i]`) marks the fill level, so the oldest
//! entry is the highest occupied one. Every loop is over the entry index
//! alone, which rust-hdl unrolls exactly. Depths are small (<= 256).
//!
//! Contract: `push` only while `!full`, `pop` only while `nonempty`; both
//! registered flags, so `full`/`nonempty` never depend on this cycle's
//! inputs. `head` is the oldest entry (0 when empty).
//!
//! The entries have no reset: an entry is only read behind its occupancy
//! bit, which is set only once the entry has been written.

use crate::param::Param;
use crate::reg::{Reg, RegStyle};
use rust_hdl::prelude::*;

#[derive(Clone, Debug, LogicBlock)]
pub struct ShiftFifo<const W: usize> {
    pub clock: Signal<In, Clock>,
    pub rst_n: Signal<In, Bit>,
    pub push: Signal<In, Bit>,
    pub din: Signal<In, Bits<W>>,
    pub pop: Signal<In, Bit>,
    pub head: Signal<Out, Bits<W>>,
    pub nonempty: Signal<Out, Bit>,
    pub full: Signal<Out, Bit>,
    entry: Vec<Reg<Bits<W>>>,
    occ: Vec<Reg<Bit>>,
    depth: Param<usize>,
}

impl<const W: usize> ShiftFifo<W> {
    /// `depth` >= 2 (validated by the spec).
    pub fn new(depth: usize, style: RegStyle) -> Self {
        Self {
            clock: Default::default(),
            rst_n: Default::default(),
            push: Default::default(),
            din: Default::default(),
            pop: Default::default(),
            head: Default::default(),
            nonempty: Default::default(),
            full: Default::default(),
            entry: (0..depth)
                .map(|_| Reg::new_data(Bits::<W>::default(), style))
                .collect(),
            occ: (0..depth).map(|_| Reg::new(false, style)).collect(),
            depth: Param(depth),
        }
    }
}

impl<const W: usize> Logic for ShiftFifo<W> {
    #[hdl_gen]
    fn update(&mut self) {
        for i in 0..self.depth.0 {
            self.entry[i].clock.next = self.clock.val();
            self.entry[i].rst_n.next = self.rst_n.val();
            self.occ[i].clock.next = self.clock.val();
            self.occ[i].rst_n.next = self.rst_n.val();
            self.entry[i].d.next = self.entry[i].q.val();
            self.occ[i].d.next = self.occ[i].q.val();
        }
        if self.push.val() {
            self.entry[0].d.next = self.din.val();
            for i in 1..self.depth.0 {
                self.entry[i].d.next = self.entry[i - 1].q.val();
            }
        }
        if self.push.val() & !self.pop.val() {
            self.occ[0].d.next = true;
            for i in 1..self.depth.0 {
                self.occ[i].d.next = self.occ[i - 1].q.val();
            }
        }
        if self.pop.val() & !self.push.val() {
            for i in 1..self.depth.0 {
                self.occ[i - 1].d.next = self.occ[i].q.val();
            }
            for i in (self.depth.0 - 1)..self.depth.0 {
                self.occ[i].d.next = false;
            }
        }
        self.head.next = bits::<W>(0);
        for i in 0..self.depth.0 {
            if self.occ[i].q.val() {
                self.head.next = self.entry[i].q.val();
            }
        }
        self.nonempty.next = self.occ[0].q.val();
        for i in (self.depth.0 - 1)..self.depth.0 {
            self.full.next = self.occ[i].q.val();
        }
    }
}

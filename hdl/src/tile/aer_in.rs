//! AER input port: row-address events (with a value for PWM inputs) into a
//! FIFO, out-of-range rows dropped and counted.
//!
//! Handshake: an event is taken at a clock edge where `valid & ready`.
//! `ready` is `!full` of the FIFO (a register), so a full FIFO applies
//! backpressure and nothing is lost; an event whose row is >= rows is taken
//! (the sender is not stalled by a bad address) but only counted in the
//! saturating `dropped` counter. The value is clamped to the largest input
//! code (`2^input_bits - 1`; 1 for spikes), so a spike event with value 0
//! carries no input and every bit of the port is meaningful.

use super::fifo::ShiftFifo;
use crate::reg::{Reg, RegStyle};
use rust_hdl::prelude::*;

#[derive(Clone, Debug, LogicBlock)]
pub struct AerIn {
    pub clock: Signal<In, Clock>,
    pub rst_n: Signal<In, Bit>,
    pub addr: Signal<In, Bits<8>>,
    pub value: Signal<In, Bits<8>>,
    pub valid: Signal<In, Bit>,
    pub ready: Signal<Out, Bit>,
    /// Take the head event (only while `nonempty`).
    pub pop: Signal<In, Bit>,
    pub head_row: Signal<Out, Bits<8>>,
    pub head_value: Signal<Out, Bits<8>>,
    pub nonempty: Signal<Out, Bit>,
    pub full: Signal<Out, Bit>,
    /// Clears `dropped` (wins over a drop in the same cycle).
    pub clear: Signal<In, Bit>,
    pub dropped: Signal<Out, Bits<16>>,
    fifo: ShiftFifo<16>,
    count: Reg<Bits<16>>,
    /// 9 bits: `addr` is compared zero-extended, so that 256 rows (last
    /// row 255) is not a constant comparison (Verilator CMPCONST).
    last_row: Constant<Bits<9>>,
    /// Covers every row < rows: a queued row is <= last_row, so masking it
    /// changes nothing but lets synthesis drop the FIFO bits above it.
    row_mask: Constant<Bits<8>>,
    max_value: Constant<Bits<8>>,
    row_in: Signal<Local, Bits<8>>,
    value_in: Signal<Local, Bits<8>>,
}

impl AerIn {
    pub fn new(rows: u32, input_bits: u32, depth: usize, style: RegStyle) -> Self {
        Self {
            clock: Default::default(),
            rst_n: Default::default(),
            addr: Default::default(),
            value: Default::default(),
            valid: Default::default(),
            ready: Default::default(),
            pop: Default::default(),
            head_row: Default::default(),
            head_value: Default::default(),
            nonempty: Default::default(),
            full: Default::default(),
            clear: Default::default(),
            dropped: Default::default(),
            fifo: ShiftFifo::new(depth, style),
            count: Reg::new(0u64.to_bits(), style),
            last_row: Constant::new(((rows - 1) as u64).to_bits()),
            row_mask: Constant::new((mask_for(rows - 1) & 0xff).to_bits()),
            max_value: Constant::new((((1u64 << input_bits) - 1) & 0xff).to_bits()),
            row_in: Default::default(),
            value_in: Default::default(),
        }
    }
}

/// The smallest all-ones mask covering `max` (`2^k - 1 >= max`).
pub fn mask_for(max: u32) -> u64 {
    (u64::from(max) + 1).next_power_of_two() - 1
}

impl Logic for AerIn {
    #[hdl_gen]
    fn update(&mut self) {
        self.fifo.clock.next = self.clock.val();
        self.fifo.rst_n.next = self.rst_n.val();
        self.count.clock.next = self.clock.val();
        self.count.rst_n.next = self.rst_n.val();
        self.ready.next = !self.fifo.full.val();
        // Masks that change no queued value (rows <= last_row, values <=
        // max_value) but make the unused FIFO bits constant for synthesis.
        self.row_in.next = self.addr.val() & self.row_mask.val();
        // value > max_value (2^input_bits - 1) iff a bit above it is set;
        // unlike the comparison, never constant (input_bits = 8) for lint.
        if (self.value.val() & !self.max_value.val()) != bits::<8>(0) {
            self.value_in.next = self.max_value.val();
        } else {
            self.value_in.next = self.value.val() & self.max_value.val();
        }
        self.fifo.din.next = (bit_cast::<16, 8>(self.row_in.val()) << bits::<4>(8))
            | bit_cast::<16, 8>(self.value_in.val());
        self.fifo.push.next = false;
        self.count.d.next = self.count.q.val();
        if self.valid.val() & !self.fifo.full.val() {
            if bit_cast::<9, 8>(self.addr.val()) > self.last_row.val() {
                if self.count.q.val() != bits::<16>(0xffff) {
                    self.count.d.next = self.count.q.val() + bits::<16>(1);
                }
            } else {
                self.fifo.push.next = true;
            }
        }
        if self.clear.val() {
            self.count.d.next = bits::<16>(0);
        }
        self.fifo.pop.next = self.pop.val();
        self.head_row.next = self.fifo.head.val().get_bits::<8>(8);
        self.head_value.next = self.fifo.head.val().get_bits::<8>(0);
        self.nonempty.next = self.fifo.nonempty.val();
        self.full.next = self.fifo.full.val();
        self.dropped.next = self.count.q.val();
    }
}

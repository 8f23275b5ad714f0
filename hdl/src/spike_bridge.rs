//! The spike bridge between a neuron tile's AER links and a routing tile's
//! local spike lines (spec: `docs/spike_bridge.md`; golden model:
//! `memforge_sim::spike_bridge::SpikeBridgeModel`).
//!
//! Towards the routing tile: a spike from neuron `a` (taken at once,
//! `aer_in_ready` is high after reset) pulses line `a - neuron_base` for one
//! cycle after the edge; a neuron outside the mapped range is counted on
//! `misrouted`. Towards the neuron tile: a pulse on line `i` sets a pending
//! bit; in a cycle where the output register is empty or being taken, the
//! highest pending line becomes the event `row_base + i` (fixed priority:
//! one event per cycle, so lines pulsing every cycle can starve lower ones,
//! which then overrun); a pulse on a line whose bit is still pending (and
//! not taken in that cycle) is lost and counted on `overruns`.

use crate::emit::{self, Emitted};
use crate::reg::{Reg, RegStyle};
use memforge_spec::blocks::spike_bridge::{contract, SpikeBridgeConfig};
use memforge_spec::{ContractError, Target};
use rust_hdl::prelude::*;

#[derive(Clone, Debug, LogicBlock)]
pub struct SpikeBridge<const C: usize> {
    pub clock: Signal<In, Clock>,
    pub rst_n: Signal<In, Bit>,
    pub aer_in_addr: Signal<In, Bits<8>>,
    pub aer_in_valid: Signal<In, Bit>,
    pub aer_in_ready: Signal<Out, Bit>,
    pub lines_out: Signal<Out, Bits<C>>,
    pub lines_in: Signal<In, Bits<C>>,
    pub aer_out_addr: Signal<Out, Bits<8>>,
    pub aer_out_valid: Signal<Out, Bit>,
    pub aer_out_ready: Signal<In, Bit>,
    pub misrouted: Signal<Out, Bits<16>>,
    pub overruns: Signal<Out, Bits<16>>,
    ready: Reg<Bit>,
    pulses: Reg<Bits<C>>,
    pending: Reg<Bits<C>>,
    out_full: Reg<Bit>,
    out_addr: Reg<Bits<8>>,
    misrouted_count: Reg<Bits<16>>,
    overrun_count: Reg<Bits<16>>,
    /// The event address of line `i` (`row_base + i`).
    row: Vec<Constant<Bits<8>>>,
    /// Line `i` as a one-hot mask.
    line: Vec<Constant<Bits<C>>>,
    // Nine bits: a neuron below the base wraps to 256 and more, so one
    // unsigned comparison checks both ends of the range.
    neuron_base: Constant<Bits<9>>,
    channels: Constant<Bits<9>>,
    take_in: Signal<Local, Bit>,
    wide_addr: Signal<Local, Bits<9>>,
    offset: Signal<Local, Bits<9>>,
    in_range: Signal<Local, Bit>,
    space: Signal<Local, Bit>,
    any: Signal<Local, Bit>,
    grant_line: Signal<Local, Bits<C>>,
    grant_row: Signal<Local, Bits<8>>,
    taken: Signal<Local, Bits<C>>,
    lost: Signal<Local, Bit>,
}

impl<const C: usize> SpikeBridge<C> {
    pub fn new(neuron_base: u32, row_base: u32, style: RegStyle) -> Self {
        Self {
            clock: Default::default(),
            rst_n: Default::default(),
            aer_in_addr: Default::default(),
            aer_in_valid: Default::default(),
            aer_in_ready: Default::default(),
            lines_out: Default::default(),
            lines_in: Default::default(),
            aer_out_addr: Default::default(),
            aer_out_valid: Default::default(),
            aer_out_ready: Default::default(),
            misrouted: Default::default(),
            overruns: Default::default(),
            ready: Reg::new(false, style),
            pulses: Reg::new(Bits::<C>::default(), style),
            pending: Reg::new(Bits::<C>::default(), style),
            out_full: Reg::new(false, style),
            out_addr: Reg::new(Bits::<8>::default(), style),
            misrouted_count: Reg::new(Bits::<16>::default(), style),
            overrun_count: Reg::new(Bits::<16>::default(), style),
            row: (0..C as u64)
                .map(|i| Constant::new((u64::from(row_base) + i).to_bits()))
                .collect(),
            line: (0..C)
                .map(|i| Constant::new((1u64 << i).to_bits()))
                .collect(),
            neuron_base: Constant::new(u64::from(neuron_base).to_bits()),
            channels: Constant::new((C as u64).to_bits()),
            take_in: Default::default(),
            wide_addr: Default::default(),
            offset: Default::default(),
            in_range: Default::default(),
            space: Default::default(),
            any: Default::default(),
            grant_line: Default::default(),
            grant_row: Default::default(),
            taken: Default::default(),
            lost: Default::default(),
        }
    }
}

impl<const C: usize> Logic for SpikeBridge<C> {
    #[hdl_gen]
    fn update(&mut self) {
        self.ready.clock.next = self.clock.val();
        self.ready.rst_n.next = self.rst_n.val();
        self.pulses.clock.next = self.clock.val();
        self.pulses.rst_n.next = self.rst_n.val();
        self.pending.clock.next = self.clock.val();
        self.pending.rst_n.next = self.rst_n.val();
        self.out_full.clock.next = self.clock.val();
        self.out_full.rst_n.next = self.rst_n.val();
        self.out_addr.clock.next = self.clock.val();
        self.out_addr.rst_n.next = self.rst_n.val();
        self.misrouted_count.clock.next = self.clock.val();
        self.misrouted_count.rst_n.next = self.rst_n.val();
        self.overrun_count.clock.next = self.clock.val();
        self.overrun_count.rst_n.next = self.rst_n.val();

        // Spikes to pulses.
        self.ready.d.next = true;
        self.aer_in_ready.next = self.ready.q.val();
        self.take_in.next = self.aer_in_valid.val() & self.ready.q.val();
        self.wide_addr.next = bit_cast::<9, 8>(self.aer_in_addr.val());
        self.offset.next = self.wide_addr.val() - self.neuron_base.val();
        self.in_range.next = self.offset.val() < self.channels.val();
        self.pulses.d.next = bits::<C>(0);
        if self.take_in.val() & self.in_range.val() {
            self.pulses.d.next = bits::<C>(1) << self.offset.val();
        }
        self.misrouted_count.d.next = self.misrouted_count.q.val();
        if self.take_in.val() & !self.in_range.val() {
            self.misrouted_count.d.next = self.misrouted_count.q.val() + bits::<16>(1);
        }
        self.lines_out.next = self.pulses.q.val();
        self.misrouted.next = self.misrouted_count.q.val();

        // Pulses to events: the highest pending line first.
        self.space.next = !self.out_full.q.val() | self.aer_out_ready.val();
        self.any.next = self.pending.q.val().any();
        self.grant_line.next = bits::<C>(0);
        self.grant_row.next = bits::<8>(0);
        for i in 0..C {
            if self.pending.q.val().get_bit(i) {
                self.grant_line.next = self.line[i].val();
                self.grant_row.next = self.row[i].val();
            }
        }
        self.taken.next = bits::<C>(0);
        if self.space.val() {
            self.taken.next = self.grant_line.val();
        }
        self.pending.d.next = (self.pending.q.val() & !self.taken.val()) | self.lines_in.val();
        self.lost.next = (self.lines_in.val() & self.pending.q.val() & !self.taken.val()).any();
        self.overrun_count.d.next = self.overrun_count.q.val();
        if self.lost.val() {
            self.overrun_count.d.next = self.overrun_count.q.val() + bits::<16>(1);
        }
        self.out_full.d.next = self.out_full.q.val();
        self.out_addr.d.next = self.out_addr.q.val();
        if self.space.val() {
            self.out_full.d.next = self.any.val();
            if self.any.val() {
                self.out_addr.d.next = self.grant_row.val();
            }
        }
        self.aer_out_valid.next = self.out_full.q.val();
        self.aer_out_addr.next = self.out_addr.q.val();
        self.overruns.next = self.overrun_count.q.val();
    }
}

impl<const C: usize> crate::HdlPorts for SpikeBridge<C> {
    fn clock_mut(&mut self) -> &mut Signal<In, Clock> {
        &mut self.clock
    }

    fn drive(&mut self, g: &dyn Fn(&str) -> u64) {
        self.rst_n.next = g("rst_n") != 0;
        self.aer_in_addr.next = g("aer_in_addr").to_bits();
        self.aer_in_valid.next = g("aer_in_valid") != 0;
        self.lines_in.next = g("lines_in").to_bits();
        self.aer_out_ready.next = g("aer_out_ready") != 0;
    }

    fn sample(&self, put: &mut dyn FnMut(&str, u64)) {
        put("aer_in_ready", self.aer_in_ready.val() as u64);
        put("lines_out", self.lines_out.val().index() as u64);
        put("aer_out_addr", self.aer_out_addr.val().index() as u64);
        put("aer_out_valid", self.aer_out_valid.val() as u64);
        put("misrouted", self.misrouted.val().index() as u64);
        put("overruns", self.overruns.val().index() as u64);
    }
}

/// Calls `$body` with `$C` bound to `$channels` (one of the routing
/// tile's channel counts); `None` for another.
#[macro_export]
macro_rules! with_bridge_width {
    ($channels:expr, $C:ident => $body:expr) => {
        match $channels {
            1 => {
                const $C: usize = 1;
                Some($body)
            }
            2 => {
                const $C: usize = 2;
                Some($body)
            }
            4 => {
                const $C: usize = 4;
                Some($body)
            }
            8 => {
                const $C: usize = 8;
                Some($body)
            }
            _ => None,
        }
    };
}

/// The bridge of `cfg`, connected.
pub fn build<const C: usize>(cfg: &SpikeBridgeConfig) -> SpikeBridge<C> {
    let p = &cfg.spike_bridge;
    let style = RegStyle {
        reset: cfg.design.reset,
        target: cfg.design.target,
        clock_gating: false,
    };
    let mut b = SpikeBridge::<C>::new(p.neuron_base, p.row_base, style);
    b.connect_all();
    b
}

/// The bridge could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum BridgeError {
    #[error("spike_bridge.channels = {0} is not a generated width")]
    Unsupported(u32),
    #[error(transparent)]
    Emit(#[from] emit::EmitError),
    #[error(transparent)]
    Contract(#[from] ContractError),
}

/// Builds, emits and checks the bridge of `cfg` against its contract.
pub fn generate(cfg: &SpikeBridgeConfig) -> Result<Emitted, BridgeError> {
    let fpga = cfg.design.target == Target::Fpga;
    let ch = cfg.spike_bridge.channels;
    let emitted = with_bridge_width!(ch, C => emit::emit(&build::<C>(cfg), &cfg.design.name, fpga))
        .ok_or(BridgeError::Unsupported(ch))??;
    crate::check_contract(&emitted, &contract(&cfg.spike_bridge))?;
    Ok(emitted)
}

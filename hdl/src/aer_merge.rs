//! AER merge: N input event links into one output link, with rotating
//! (round-robin) priority, valid/ready on every port and every output a
//! register, so merges and tiles chain without combinational paths.
//!
//! Each input has a FIFO ([`ShiftFifo`]); `in_ready[i]` is "FIFO `i` not
//! full". The output is one register (`out_valid`, `out_addr`). In a
//! cycle where the output register is empty or being taken
//! (`!out_valid | out_ready`) and some FIFO is not empty, the granted
//! FIFO's head moves into it. Grant: the highest-numbered non-empty input
//! below the last granted one, else the highest-numbered non-empty input
//! (priority rotates downward), so every waiting input is served within N
//! grants. An event is never dropped (an input is only taken while its
//! FIFO has room) nor duplicated (a head is popped in the cycle it is
//! copied). Spec: `docs/aer_merge.md`; golden model:
//! `memforge_sim::aer_merge::AerMergeModel`.

use crate::emit::{self, Emitted};
use crate::param::Param;
use crate::reg::{Reg, RegStyle};
use crate::tile::fifo::ShiftFifo;
use memforge_spec::blocks::aer_merge::{contract, input_port, AerMergeConfig};
use memforge_spec::Target;
use rust_hdl::prelude::*;

/// Width of the internal input indices (inputs <= 16).
const ID_BITS: usize = 5;

#[derive(Clone, Debug, LogicBlock)]
pub struct AerMerge<const W: usize> {
    pub clock: Signal<In, Clock>,
    pub rst_n: Signal<In, Bit>,
    /// Input `i`'s event (emitted as `in_addr__<i>`, ...).
    pub in_addr: Vec<Signal<In, Bits<W>>>,
    pub in_valid: Vec<Signal<In, Bit>>,
    pub in_ready: Vec<Signal<Out, Bit>>,
    pub out_addr: Signal<Out, Bits<W>>,
    pub out_valid: Signal<Out, Bit>,
    pub out_ready: Signal<In, Bit>,
    fifo: Vec<ShiftFifo<W>>,
    out_full: Reg<Bit>,
    out_data: Reg<Bits<W>>,
    /// The input granted last (its index; rotation starts below it).
    last: Reg<Bits<ID_BITS>>,
    id: Vec<Constant<Bits<ID_BITS>>>,
    space: Signal<Local, Bit>,
    below: Signal<Local, Bit>,
    grant_below: Signal<Local, Bits<ID_BITS>>,
    grant_any: Signal<Local, Bits<ID_BITS>>,
    any: Signal<Local, Bit>,
    grant: Signal<Local, Bits<ID_BITS>>,
    head: Signal<Local, Bits<W>>,
    inputs: Param<usize>,
}

impl<const W: usize> AerMerge<W> {
    /// A merge of `inputs` links (2..=16) with FIFOs of `depth` (>= 2).
    pub fn new(inputs: usize, depth: usize, style: RegStyle) -> Self {
        Self {
            clock: Default::default(),
            rst_n: Default::default(),
            in_addr: (0..inputs).map(|_| Default::default()).collect(),
            in_valid: (0..inputs).map(|_| Default::default()).collect(),
            in_ready: (0..inputs).map(|_| Default::default()).collect(),
            out_addr: Default::default(),
            out_valid: Default::default(),
            out_ready: Default::default(),
            fifo: (0..inputs).map(|_| ShiftFifo::new(depth, style)).collect(),
            out_full: Reg::new(false, style),
            out_data: Reg::new(Bits::<W>::default(), style),
            // Reset to the last input, so that after reset the highest
            // non-empty input below it (or it) goes first.
            last: Reg::new((inputs as u64).to_bits(), style),
            id: (0..inputs)
                .map(|i| Constant::new((i as u64).to_bits()))
                .collect(),
            space: Default::default(),
            below: Default::default(),
            grant_below: Default::default(),
            grant_any: Default::default(),
            any: Default::default(),
            grant: Default::default(),
            head: Default::default(),
            inputs: Param(inputs),
        }
    }
}

impl<const W: usize> Logic for AerMerge<W> {
    #[hdl_gen]
    fn update(&mut self) {
        self.out_full.clock.next = self.clock.val();
        self.out_full.rst_n.next = self.rst_n.val();
        self.out_data.clock.next = self.clock.val();
        self.out_data.rst_n.next = self.rst_n.val();
        self.last.clock.next = self.clock.val();
        self.last.rst_n.next = self.rst_n.val();

        // Arbitration on the FIFOs' registered flags (ascending loops, so
        // the last match, the highest index, wins).
        self.below.next = false;
        self.grant_below.next = bits::<ID_BITS>(0);
        self.any.next = false;
        self.grant_any.next = bits::<ID_BITS>(0);
        for i in 0..self.inputs.0 {
            if self.fifo[i].nonempty.val() {
                self.any.next = true;
                self.grant_any.next = self.id[i].val();
                if self.id[i].val() < self.last.q.val() {
                    self.below.next = true;
                    self.grant_below.next = self.id[i].val();
                }
            }
        }
        self.grant.next = self.grant_any.val();
        if self.below.val() {
            self.grant.next = self.grant_below.val();
        }
        self.space.next = !self.out_full.q.val() | self.out_ready.val();

        self.head.next = bits::<W>(0);
        for i in 0..self.inputs.0 {
            self.fifo[i].clock.next = self.clock.val();
            self.fifo[i].rst_n.next = self.rst_n.val();
            self.fifo[i].din.next = self.in_addr[i].val();
            self.fifo[i].push.next = self.in_valid[i].val() & !self.fifo[i].full.val();
            self.fifo[i].pop.next =
                self.space.val() & self.any.val() & (self.grant.val() == self.id[i].val());
            self.in_ready[i].next = !self.fifo[i].full.val();
            if self.grant.val() == self.id[i].val() {
                self.head.next = self.fifo[i].head.val();
            }
        }

        self.out_full.d.next = self.out_full.q.val();
        self.out_data.d.next = self.out_data.q.val();
        self.last.d.next = self.last.q.val();
        if self.space.val() {
            self.out_full.d.next = self.any.val();
            if self.any.val() {
                self.out_data.d.next = self.head.val();
                self.last.d.next = self.grant.val();
            }
        }
        self.out_valid.next = self.out_full.q.val();
        self.out_addr.next = self.out_data.q.val();
    }
}

impl<const W: usize> crate::HdlPorts for AerMerge<W> {
    fn clock_mut(&mut self) -> &mut Signal<In, Clock> {
        &mut self.clock
    }

    fn drive(&mut self, g: &dyn Fn(&str) -> u64) {
        self.rst_n.next = g("rst_n") != 0;
        for (i, p) in self.in_addr.iter_mut().enumerate() {
            p.next = g(&input_port("in_addr", i as u32)).to_bits();
        }
        for (i, p) in self.in_valid.iter_mut().enumerate() {
            p.next = g(&input_port("in_valid", i as u32)) != 0;
        }
        self.out_ready.next = g("out_ready") != 0;
    }

    fn sample(&self, put: &mut dyn FnMut(&str, u64)) {
        for (i, p) in self.in_ready.iter().enumerate() {
            put(&input_port("in_ready", i as u32), p.val() as u64);
        }
        put("out_addr", self.out_addr.val().index() as u64);
        put("out_valid", self.out_valid.val() as u64);
    }
}

/// Calls `$body` with `$W` bound to the const width `$bits` (one of
/// `memforge_spec::blocks::aer_merge::ADDR_BITS`); `None` for another
/// width (the config validation refuses those first).
#[macro_export]
macro_rules! with_merge_width {
    ($bits:expr, $W:ident => $body:expr) => {
        match $bits {
            8 => {
                const $W: usize = 8;
                Some($body)
            }
            12 => {
                const $W: usize = 12;
                Some($body)
            }
            16 => {
                const $W: usize = 16;
                Some($body)
            }
            24 => {
                const $W: usize = 24;
                Some($body)
            }
            32 => {
                const $W: usize = 32;
                Some($body)
            }
            _ => None,
        }
    };
}

/// The style every flip-flop of the merge uses.
pub fn reg_style(cfg: &AerMergeConfig) -> RegStyle {
    RegStyle {
        reset: cfg.design.reset,
        target: cfg.design.target,
        clock_gating: false,
    }
}

/// The merge of `cfg`, connected (for emitting or simulating).
pub fn build<const W: usize>(cfg: &AerMergeConfig) -> AerMerge<W> {
    let p = &cfg.aer_merge;
    let mut m = AerMerge::<W>::new(p.inputs as usize, p.fifo_depth as usize, reg_style(cfg));
    m.connect_all();
    m
}

/// The merge could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("aer_merge.addr_bits = {0} is not a generated width")]
    Unsupported(u32),
    #[error(transparent)]
    Emit(#[from] emit::EmitError),
    #[error(transparent)]
    Contract(#[from] memforge_spec::ContractError),
}

/// Builds, emits and checks the merge of `cfg` against its contract.
pub fn generate(cfg: &AerMergeConfig) -> Result<Emitted, MergeError> {
    let fpga = cfg.design.target == Target::Fpga;
    let name = &cfg.design.name;
    let bits = cfg.aer_merge.addr_bits;
    let emitted = with_merge_width!(bits, W => emit::emit(&build::<W>(cfg), name, fpga))
        .ok_or(MergeError::Unsupported(bits))??;
    crate::check_contract(&emitted, &contract(&cfg.aer_merge))?;
    Ok(emitted)
}

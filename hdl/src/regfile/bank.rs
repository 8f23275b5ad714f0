//! The register bank of a tile: the Wishbone front end, one slot per register
//! of the map, and the registered read data.
//!
//! Hardware-side ports carry exactly each register's implemented width.

use super::claim::{ClaimError, Claims};
use super::front::WbFront;
use super::slots::{ConstSlot, PulseSlot, RoSlot, RwSlot, StoreSlot};
use crate::reg::{Reg, RegStyle};
use memforge_spec::{Access, RegisterMap};
use rust_hdl::prelude::*;

#[derive(Clone, Debug, LogicBlock)]
pub struct RegBank {
    pub clock: Signal<In, Clock>,
    pub rst_n: Signal<In, Bit>,
    pub wbs_stb_i: Signal<In, Bit>,
    pub wbs_cyc_i: Signal<In, Bit>,
    pub wbs_we_i: Signal<In, Bit>,
    pub wbs_sel_i: Signal<In, Bits<4>>,
    pub wbs_dat_i: Signal<In, Bits<32>>,
    pub wbs_adr_i: Signal<In, Bits<32>>,
    pub wbs_ack_o: Signal<Out, Bit>,
    pub wbs_dat_o: Signal<Out, Bits<32>>,
    /// Register `ctrl`.
    pub ctrl: Signal<Out, Bits<2>>,
    /// Register `threshold`.
    pub threshold: Signal<Out, Bits<16>>,
    /// Register `leak`.
    pub leak: Signal<Out, Bits<16>>,
    /// Register `refractory`.
    pub refractory: Signal<Out, Bits<8>>,
    /// Register `status` (from the hardware).
    pub status: Signal<In, Bits<9>>,
    /// Register `dropped` (from the hardware).
    pub dropped: Signal<In, Bits<16>>,
    /// Register `cmd` (one-cycle strobes).
    pub cmd: Signal<Out, Bits<2>>,
    /// Register `leak_period`.
    pub leak_period: Signal<Out, Bits<16>>,
    /// Register `prog_addr`.
    pub prog_addr: Signal<Out, Bits<16>>,
    /// Register `prog_target`.
    pub prog_target: Signal<Out, Bits<12>>,
    /// Register `prog_tolerance`.
    pub prog_tolerance: Signal<Out, Bits<12>>,
    /// Register `prog_max_pulses`.
    pub prog_max_pulses: Signal<Out, Bits<8>>,
    /// Register `prog_pulse`.
    pub prog_pulse: Signal<Out, Bits<16>>,
    /// Register `prog_status` (from the hardware).
    pub prog_status: Signal<In, Bits<16>>,
    front: WbFront,
    rdata: Reg<Bits<32>>,
    r_id: ConstSlot,
    r_geometry: ConstSlot,
    r_ctrl: RwSlot<2>,
    r_threshold: RwSlot<16>,
    r_leak: RwSlot<16>,
    r_refractory: RwSlot<8>,
    r_scratch: StoreSlot<32>,
    r_status: RoSlot<9>,
    r_dropped: RoSlot<16>,
    r_cmd: PulseSlot<2>,
    r_leak_period: RwSlot<16>,
    r_prog_addr: RwSlot<16>,
    r_prog_target: RwSlot<12>,
    r_prog_tolerance: RwSlot<12>,
    r_prog_max_pulses: RwSlot<8>,
    r_prog_pulse: RwSlot<16>,
    r_prog_status: RoSlot<16>,
}

impl RegBank {
    pub fn new(map: &RegisterMap, style: RegStyle) -> Result<Self, ClaimError> {
        let mut c = Claims::new(map);
        let word = |r: &memforge_spec::Register| r.offset / 4;
        let id = c.take("id", Access::Const, 32)?;
        let geometry = c.take("geometry", Access::Const, 32)?;
        let ctrl = c.take("ctrl", Access::Rw, 2)?;
        let threshold = c.take("threshold", Access::Rw, 16)?;
        let leak = c.take("leak", Access::Rw, 16)?;
        let refractory = c.take("refractory", Access::Rw, 8)?;
        let scratch = c.take("scratch", Access::Rw, 32)?;
        let status = c.take("status", Access::Ro, 9)?;
        let dropped = c.take("dropped", Access::Ro, 16)?;
        let cmd = c.take("cmd", Access::Pulse, 2)?;
        let leak_period = c.take("leak_period", Access::Rw, 16)?;
        let prog_addr = c.take("prog_addr", Access::Rw, 16)?;
        let prog_target = c.take("prog_target", Access::Rw, 12)?;
        let prog_tolerance = c.take("prog_tolerance", Access::Rw, 12)?;
        let prog_max_pulses = c.take("prog_max_pulses", Access::Rw, 8)?;
        let prog_pulse = c.take("prog_pulse", Access::Rw, 16)?;
        let prog_status = c.take("prog_status", Access::Ro, 16)?;
        c.finish()?;
        Ok(Self {
            clock: Default::default(),
            rst_n: Default::default(),
            wbs_stb_i: Default::default(),
            wbs_cyc_i: Default::default(),
            wbs_we_i: Default::default(),
            wbs_sel_i: Default::default(),
            wbs_dat_i: Default::default(),
            wbs_adr_i: Default::default(),
            wbs_ack_o: Default::default(),
            wbs_dat_o: Default::default(),
            ctrl: Default::default(),
            threshold: Default::default(),
            leak: Default::default(),
            refractory: Default::default(),
            status: Default::default(),
            dropped: Default::default(),
            cmd: Default::default(),
            leak_period: Default::default(),
            prog_addr: Default::default(),
            prog_target: Default::default(),
            prog_tolerance: Default::default(),
            prog_max_pulses: Default::default(),
            prog_pulse: Default::default(),
            prog_status: Default::default(),
            front: WbFront::new(map.base_address, map.window_bytes(), style),
            rdata: Reg::new(0u32.to_bits(), style),
            r_id: ConstSlot::new(word(id), id.reset),
            r_geometry: ConstSlot::new(word(geometry), geometry.reset),
            r_ctrl: RwSlot::new(word(ctrl), ctrl.reset, style),
            r_threshold: RwSlot::new(word(threshold), threshold.reset, style),
            r_leak: RwSlot::new(word(leak), leak.reset, style),
            r_refractory: RwSlot::new(word(refractory), refractory.reset, style),
            r_scratch: StoreSlot::new(word(scratch), scratch.reset, style),
            r_status: RoSlot::new(word(status)),
            r_dropped: RoSlot::new(word(dropped)),
            r_cmd: PulseSlot::new(word(cmd), style),
            r_leak_period: RwSlot::new(word(leak_period), leak_period.reset, style),
            r_prog_addr: RwSlot::new(word(prog_addr), prog_addr.reset, style),
            r_prog_target: RwSlot::new(word(prog_target), prog_target.reset, style),
            r_prog_tolerance: RwSlot::new(word(prog_tolerance), prog_tolerance.reset, style),
            r_prog_max_pulses: RwSlot::new(word(prog_max_pulses), prog_max_pulses.reset, style),
            r_prog_pulse: RwSlot::new(word(prog_pulse), prog_pulse.reset, style),
            r_prog_status: RoSlot::new(word(prog_status)),
        })
    }
}

impl Logic for RegBank {
    #[hdl_gen]
    fn update(&mut self) {
        // Front end.
        self.front.clock.next = self.clock.val();
        self.front.rst_n.next = self.rst_n.val();
        self.front.stb.next = self.wbs_stb_i.val();
        self.front.cyc.next = self.wbs_cyc_i.val();
        self.front.we.next = self.wbs_we_i.val();
        self.front.sel.next = self.wbs_sel_i.val();
        self.front.adr.next = self.wbs_adr_i.val();
        self.wbs_ack_o.next = self.front.ack.val();

        // Constants.
        self.r_id.valid.next = self.front.valid.val();
        self.r_id.word.next = self.front.word.val();
        self.r_geometry.valid.next = self.front.valid.val();
        self.r_geometry.word.next = self.front.word.val();

        // Read/write registers.
        self.r_ctrl.clock.next = self.clock.val();
        self.r_ctrl.rst_n.next = self.rst_n.val();
        self.r_ctrl.wr.next = self.front.wr.val();
        self.r_ctrl.valid.next = self.front.valid.val();
        self.r_ctrl.word.next = self.front.word.val();
        self.r_ctrl.dat.next = bit_cast::<2, 32>(self.wbs_dat_i.val());
        self.r_ctrl.wmask.next = bit_cast::<2, 32>(self.front.wmask.val());
        self.ctrl.next = self.r_ctrl.q.val();

        self.r_threshold.clock.next = self.clock.val();
        self.r_threshold.rst_n.next = self.rst_n.val();
        self.r_threshold.wr.next = self.front.wr.val();
        self.r_threshold.valid.next = self.front.valid.val();
        self.r_threshold.word.next = self.front.word.val();
        self.r_threshold.dat.next = bit_cast::<16, 32>(self.wbs_dat_i.val());
        self.r_threshold.wmask.next = bit_cast::<16, 32>(self.front.wmask.val());
        self.threshold.next = self.r_threshold.q.val();

        self.r_leak.clock.next = self.clock.val();
        self.r_leak.rst_n.next = self.rst_n.val();
        self.r_leak.wr.next = self.front.wr.val();
        self.r_leak.valid.next = self.front.valid.val();
        self.r_leak.word.next = self.front.word.val();
        self.r_leak.dat.next = bit_cast::<16, 32>(self.wbs_dat_i.val());
        self.r_leak.wmask.next = bit_cast::<16, 32>(self.front.wmask.val());
        self.leak.next = self.r_leak.q.val();

        self.r_refractory.clock.next = self.clock.val();
        self.r_refractory.rst_n.next = self.rst_n.val();
        self.r_refractory.wr.next = self.front.wr.val();
        self.r_refractory.valid.next = self.front.valid.val();
        self.r_refractory.word.next = self.front.word.val();
        self.r_refractory.dat.next = bit_cast::<8, 32>(self.wbs_dat_i.val());
        self.r_refractory.wmask.next = bit_cast::<8, 32>(self.front.wmask.val());
        self.refractory.next = self.r_refractory.q.val();

        self.r_scratch.clock.next = self.clock.val();
        self.r_scratch.rst_n.next = self.rst_n.val();
        self.r_scratch.wr.next = self.front.wr.val();
        self.r_scratch.valid.next = self.front.valid.val();
        self.r_scratch.word.next = self.front.word.val();
        self.r_scratch.dat.next = self.wbs_dat_i.val();
        self.r_scratch.wmask.next = self.front.wmask.val();

        // Read-only registers.
        self.r_status.valid.next = self.front.valid.val();
        self.r_status.word.next = self.front.word.val();
        self.r_status.d.next = self.status.val();
        self.r_dropped.valid.next = self.front.valid.val();
        self.r_dropped.word.next = self.front.word.val();
        self.r_dropped.d.next = self.dropped.val();

        self.r_leak_period.clock.next = self.clock.val();
        self.r_leak_period.rst_n.next = self.rst_n.val();
        self.r_leak_period.wr.next = self.front.wr.val();
        self.r_leak_period.valid.next = self.front.valid.val();
        self.r_leak_period.word.next = self.front.word.val();
        self.r_leak_period.dat.next = bit_cast::<16, 32>(self.wbs_dat_i.val());
        self.r_leak_period.wmask.next = bit_cast::<16, 32>(self.front.wmask.val());
        self.leak_period.next = self.r_leak_period.q.val();

        self.r_prog_addr.clock.next = self.clock.val();
        self.r_prog_addr.rst_n.next = self.rst_n.val();
        self.r_prog_addr.wr.next = self.front.wr.val();
        self.r_prog_addr.valid.next = self.front.valid.val();
        self.r_prog_addr.word.next = self.front.word.val();
        self.r_prog_addr.dat.next = bit_cast::<16, 32>(self.wbs_dat_i.val());
        self.r_prog_addr.wmask.next = bit_cast::<16, 32>(self.front.wmask.val());
        self.prog_addr.next = self.r_prog_addr.q.val();

        self.r_prog_target.clock.next = self.clock.val();
        self.r_prog_target.rst_n.next = self.rst_n.val();
        self.r_prog_target.wr.next = self.front.wr.val();
        self.r_prog_target.valid.next = self.front.valid.val();
        self.r_prog_target.word.next = self.front.word.val();
        self.r_prog_target.dat.next = bit_cast::<12, 32>(self.wbs_dat_i.val());
        self.r_prog_target.wmask.next = bit_cast::<12, 32>(self.front.wmask.val());
        self.prog_target.next = self.r_prog_target.q.val();

        self.r_prog_tolerance.clock.next = self.clock.val();
        self.r_prog_tolerance.rst_n.next = self.rst_n.val();
        self.r_prog_tolerance.wr.next = self.front.wr.val();
        self.r_prog_tolerance.valid.next = self.front.valid.val();
        self.r_prog_tolerance.word.next = self.front.word.val();
        self.r_prog_tolerance.dat.next = bit_cast::<12, 32>(self.wbs_dat_i.val());
        self.r_prog_tolerance.wmask.next = bit_cast::<12, 32>(self.front.wmask.val());
        self.prog_tolerance.next = self.r_prog_tolerance.q.val();

        self.r_prog_max_pulses.clock.next = self.clock.val();
        self.r_prog_max_pulses.rst_n.next = self.rst_n.val();
        self.r_prog_max_pulses.wr.next = self.front.wr.val();
        self.r_prog_max_pulses.valid.next = self.front.valid.val();
        self.r_prog_max_pulses.word.next = self.front.word.val();
        self.r_prog_max_pulses.dat.next = bit_cast::<8, 32>(self.wbs_dat_i.val());
        self.r_prog_max_pulses.wmask.next = bit_cast::<8, 32>(self.front.wmask.val());
        self.prog_max_pulses.next = self.r_prog_max_pulses.q.val();

        self.r_prog_pulse.clock.next = self.clock.val();
        self.r_prog_pulse.rst_n.next = self.rst_n.val();
        self.r_prog_pulse.wr.next = self.front.wr.val();
        self.r_prog_pulse.valid.next = self.front.valid.val();
        self.r_prog_pulse.word.next = self.front.word.val();
        self.r_prog_pulse.dat.next = bit_cast::<16, 32>(self.wbs_dat_i.val());
        self.r_prog_pulse.wmask.next = bit_cast::<16, 32>(self.front.wmask.val());
        self.prog_pulse.next = self.r_prog_pulse.q.val();

        self.r_prog_status.valid.next = self.front.valid.val();
        self.r_prog_status.word.next = self.front.word.val();
        self.r_prog_status.d.next = self.prog_status.val();

        // Strobes.
        self.r_cmd.clock.next = self.clock.val();
        self.r_cmd.rst_n.next = self.rst_n.val();
        self.r_cmd.wr.next = self.front.wr.val();
        self.r_cmd.word.next = self.front.word.val();
        self.r_cmd.dat.next = bit_cast::<2, 32>(self.wbs_dat_i.val());
        self.r_cmd.wmask.next = bit_cast::<2, 32>(self.front.wmask.val());
        self.cmd.next = self.r_cmd.q.val();

        // Registered read data: sampled on every request, zero for writes.
        self.rdata.clock.next = self.clock.val();
        self.rdata.rst_n.next = self.rst_n.val();
        self.rdata.d.next = self.rdata.q.val();
        if self.front.req.val() {
            self.rdata.d.next = bits::<32>(0);
            if !self.wbs_we_i.val() {
                self.rdata.d.next = self.r_id.rdata.val()
                    | self.r_geometry.rdata.val()
                    | self.r_ctrl.rdata.val()
                    | self.r_threshold.rdata.val()
                    | self.r_leak.rdata.val()
                    | self.r_refractory.rdata.val()
                    | self.r_scratch.rdata.val()
                    | self.r_status.rdata.val()
                    | self.r_dropped.rdata.val()
                    | self.r_leak_period.rdata.val()
                    | self.r_prog_addr.rdata.val()
                    | self.r_prog_target.rdata.val()
                    | self.r_prog_tolerance.rdata.val()
                    | self.r_prog_max_pulses.rdata.val()
                    | self.r_prog_pulse.rdata.val()
                    | self.r_prog_status.rdata.val();
            }
        }
        self.wbs_dat_o.next = self.rdata.q.val();
    }
}

impl crate::HdlPorts for RegBank {
    fn clock_mut(&mut self) -> &mut Signal<In, Clock> {
        &mut self.clock
    }

    fn drive(&mut self, g: &dyn Fn(&str) -> u64) {
        self.rst_n.next = g("rst_n") != 0;
        crate::drive_wishbone!(self, g);
        self.status.next = g("status").to_bits();
        self.dropped.next = g("dropped").to_bits();
        self.prog_status.next = g("prog_status").to_bits();
    }

    fn sample(&self, put: &mut dyn FnMut(&str, u64)) {
        crate::sample_wishbone!(self, put);
        put("ctrl", self.ctrl.val().index() as u64);
        put("threshold", self.threshold.val().index() as u64);
        put("leak", self.leak.val().index() as u64);
        put("refractory", self.refractory.val().index() as u64);
        put("cmd", self.cmd.val().index() as u64);
        put("leak_period", self.leak_period.val().index() as u64);
        put("prog_addr", self.prog_addr.val().index() as u64);
        put("prog_target", self.prog_target.val().index() as u64);
        put("prog_tolerance", self.prog_tolerance.val().index() as u64);
        put("prog_max_pulses", self.prog_max_pulses.val().index() as u64);
        put("prog_pulse", self.prog_pulse.val().index() as u64);
    }
}

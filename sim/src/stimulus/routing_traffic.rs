//! Seeded traffic for the Mosaic routing tile: random spikes on every input
//! line (epochs of silence, sparse and dense activity), a Wishbone master
//! that enables routing, moves the comparator threshold, programs routing
//! devices (mostly valid requests, some invalid ones) and reads counters,
//! resets now and then, and the routing macro played by a model (ideal
//! booleans or real devices) that now and then withholds answers or
//! answers nothing at all, so the timeout and stale paths run too.

use super::bits::{field_below, per256, Bits};
use super::bus_master::{BusMaster, Done, Request};
use super::Stimulus;
use crate::cycle::{MissingPort, PortLayout};
use crate::routing_tile::RoutingPins;
use crate::routing_xbar::{RoutingCmd, RoutingMacro};
use crate::tile::sequencer::{OP_READ, OP_RESET, OP_SET};
use memforge_spec::blocks::routing_tile::{register_map, RoutingTileConfig, DIRECTIONS};
use memforge_spec::UnknownRegister;
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;

/// What the routing traffic exercised.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RoutingCoverage {
    pub cycles: u64,
    pub resets: u64,
    pub wb_writes: u64,
    pub wb_reads: u64,
    /// Writes of `cmd` with bit 1 (a programming request).
    pub prog_requests: u64,
    /// Input lines carrying a spike, summed over cycles.
    pub spikes_in: u64,
    /// READs with several rows (routing) and with one (routing or verify).
    pub multi_row_reads: u64,
    pub single_row_reads: u64,
    pub set_pulses: u64,
    pub reset_pulses: u64,
    pub answers: u64,
    /// Answers the macro computed but did not give (deaf spells).
    pub answers_withheld: u64,
    /// `xbar_valid` pulses with no answer behind them.
    pub spurious_answers: u64,
    /// Cycles with a pulse on any output line, per direction (N, E, S, W, L).
    pub pulses_out: Vec<u64>,
}

/// The master's requests for a routing tile.
#[derive(Clone, Debug)]
struct Requests {
    base: u32,
    window: u32,
    lines: u64,
    ctrl: u32,
    vth: u32,
    prog_addr: u32,
    prog_target: u32,
    prog_tolerance: u32,
    prog_max_pulses: u32,
    prog_pulse: u32,
    cmd: u32,
    /// Every mapped register.
    all: Vec<u32>,
}

impl Requests {
    fn request(&self, rng: &mut Bits) -> Request {
        let (w, v) = (rng.word(), rng.word());
        let pick = |at: u32, n: u64| field_below(v >> at, 16, n);
        let (offset, dat, we) = match field_below(w, 8, 16) {
            0..=2 => (self.ctrl, u64::from(pick(0, 8) != 0), true),
            // Around the nominal threshold code (128).
            3 => (self.vth, 64 + pick(0, 128), true),
            4 => {
                // Mostly a real device, sometimes an invalid line.
                let wide = pick(0, 10) == 0;
                let n = if wide { 256 } else { self.lines };
                (self.prog_addr, pick(16, n) | pick(32, n) << 8, true)
            }
            5 => {
                let t = if pick(0, 10) == 0 {
                    pick(16, 4096)
                } else {
                    pick(16, 2)
                };
                (self.prog_target, t, true)
            }
            6 => (self.prog_max_pulses, pick(0, 8), true),
            // Amplitude code and a width of 0..3 cycles.
            7 => (self.prog_pulse, pick(0, 0x400), true),
            8 | 9 => (self.cmd, pick(0, 4), true),
            10 => (self.prog_tolerance, pick(0, 2), true),
            11 => {
                // Any word of the window, or just outside it.
                let adr = pick(0, u64::from(self.window) / 4 + 4) as u32 * 4;
                (adr, v as u32 as u64, pick(16, 5) == 0)
            }
            _ => (self.all[pick(0, self.all.len() as u64) as usize], 0, false),
        };
        Request::at(self.base, offset, dat, we, w)
    }
}

/// Seeded traffic for one routing tile and its macro.
pub struct RoutingTraffic {
    rng: Bits,
    pins: RoutingPins,
    bus: BusMaster,
    requests: Requests,
    xbar: Box<dyn RoutingMacro>,
    channels: u32,
    /// Per-line spike probability of the current epoch (of 256).
    rate: u64,
    reset_left: u32,
    /// Cycles the macro stays deaf (answers withheld).
    deaf: u32,
    cov: Rc<RefCell<RoutingCoverage>>,
}

impl RoutingTraffic {
    /// Traffic for the routing tile of `cfg` laid out as `layout`, with
    /// `xbar` playing its macro.
    pub fn new(
        cfg: &RoutingTileConfig,
        layout: &PortLayout,
        xbar: Box<dyn RoutingMacro>,
        seed: u64,
    ) -> Result<Self, TrafficSetupError> {
        let map = register_map(cfg);
        let off = |n: &str| map.offset_of(n);
        let requests = Requests {
            base: map.base_address,
            window: map.window_bytes(),
            lines: cfg.routing.lines() as u64,
            ctrl: off("ctrl")?,
            vth: off("vth")?,
            prog_addr: off("prog_addr")?,
            prog_target: off("prog_target")?,
            prog_tolerance: off("prog_tolerance")?,
            prog_max_pulses: off("prog_max_pulses")?,
            prog_pulse: off("prog_pulse")?,
            cmd: off("cmd")?,
            all: map.registers.iter().map(|r| r.offset).collect(),
        };
        Ok(Self {
            rng: Bits::new(seed),
            pins: RoutingPins::new(layout)?,
            bus: BusMaster::new(map.base_address),
            requests,
            xbar,
            channels: cfg.routing.channels,
            rate: 0,
            // Reset held for the first cycles: RTL and model start alike.
            reset_left: 2,
            deaf: 0,
            cov: Rc::new(RefCell::new(RoutingCoverage {
                pulses_out: vec![0; DIRECTIONS.len()],
                ..Default::default()
            })),
        })
    }

    /// The live coverage counters.
    pub fn coverage(&self) -> Rc<RefCell<RoutingCoverage>> {
        Rc::clone(&self.cov)
    }

    fn drive_reset(&mut self, cycle: u64, word: u64, v: &mut [u64]) {
        let mut cov = self.cov.borrow_mut();
        if self.reset_left == 0 && cycle > 0 && word & 0x1fff == 0 {
            // About one reset every 8,192 cycles, 1 to 3 cycles long.
            self.reset_left = 1 + field_below(word >> 13, 8, 3) as u32;
            cov.resets += 1;
        }
        let asserted = self.reset_left > 0;
        self.reset_left = self.reset_left.saturating_sub(1);
        self.pins.rst_n.set(v, u64::from(!asserted));
        if asserted {
            self.bus.abort();
        }
    }

    fn drive_bus(&mut self, word: u64, v: &mut [u64]) {
        let wb = self.pins.wb;
        let req = &self.requests;
        let (out, done) = self
            .bus
            .cycle(wb.ack.is_high(v), word, &mut self.rng, |r| req.request(r));
        let mut cov = self.cov.borrow_mut();
        match done {
            Done::Write(r) => {
                cov.wb_writes += 1;
                let cmd = self.requests.base.wrapping_add(self.requests.cmd);
                if r.adr == cmd && r.sel & 1 != 0 && r.dat & 2 != 0 {
                    cov.prog_requests += 1;
                }
            }
            Done::Read(_) => cov.wb_reads += 1,
            Done::None => {}
        }
        wb.stb.set(v, u64::from(out.stb));
        wb.cyc.set(v, u64::from(out.cyc));
        wb.we.set(v, u64::from(out.req.we));
        wb.sel.set(v, u64::from(out.req.sel));
        wb.adr.set(v, u64::from(out.req.adr));
        wb.dat_i.set(v, u64::from(out.req.dat));
    }

    fn drive_spikes(&mut self, cycle: u64, word: u64, v: &mut [u64]) {
        if cycle.is_multiple_of(512) {
            // A new epoch: silence, sparse, moderate or dense spiking.
            self.rate = [0, per256(2), per256(10), per256(40)][(word >> 62) as usize];
        }
        let mut spikes = 0;
        for p in &self.pins.inputs {
            let mut lines = 0;
            for i in 0..self.channels {
                if self.rng.range(0, 256) < self.rate {
                    lines |= 1 << i;
                    spikes += 1;
                }
            }
            p.set(v, lines);
        }
        let mut cov = self.cov.borrow_mut();
        cov.spikes_in += spikes;
        for (d, p) in self.pins.outputs.iter().enumerate() {
            if p.get(v) != 0 {
                cov.pulses_out[d] += 1;
            }
        }
    }

    /// The macro's answer for this cycle, then its edge with the command
    /// the tile presents in this cycle.
    fn drive_macro(&mut self, word: u64, v: &mut [u64]) {
        let pins = &self.pins;
        let mut cov = self.cov.borrow_mut();
        if self.deaf == 0 && field_below(word, 16, 4000) == 0 {
            // A deaf spell long enough to make the tile give up.
            self.deaf = 40 + field_below(word >> 16, 8, 60) as u32;
        }
        let mut answer = self.xbar.answer();
        if self.deaf > 0 {
            self.deaf -= 1;
            if answer.take().is_some() {
                cov.answers_withheld += 1;
            }
        }
        match answer {
            Some(cmp) => {
                cov.answers += 1;
                pins.valid.set(v, 1);
                pins.cmp.set(v, cmp);
            }
            None => {
                // Garbage on the comparators; a spurious strobe 0.1% of the time.
                let spurious = field_below(word >> 32, 16, 1000) == 0;
                cov.spurious_answers += u64::from(spurious);
                pins.valid.set(v, u64::from(spurious));
                pins.cmp.set(v, self.rng.word());
            }
        }
        let cmd = RoutingCmd {
            op: pins.op.get(v) as u8,
            lines: pins.lines.get(v),
            row: pins.row.get(v) as u8,
            col: pins.col.get(v) as u8,
            amp: pins.amp.get(v) as u8,
            width: pins.width.get(v) as u8,
            vth: pins.vth.get(v) as u8,
        };
        match cmd.op {
            OP_READ if cmd.lines.count_ones() > 1 => cov.multi_row_reads += 1,
            OP_READ => cov.single_row_reads += 1,
            OP_SET => cov.set_pulses += 1,
            OP_RESET => cov.reset_pulses += 1,
            _ => {}
        }
        drop(cov);
        self.xbar.clock(&cmd);
    }
}

impl Stimulus for RoutingTraffic {
    fn drive(&mut self, cycle: u64, values: &mut [u64]) {
        self.cov.borrow_mut().cycles += 1;
        let w0 = self.rng.word();
        let w1 = self.rng.word();
        self.drive_reset(cycle, w0, values);
        self.drive_bus(w0 >> 16, values);
        self.drive_spikes(cycle, w1, values);
        self.drive_macro(w0 ^ w1.rotate_left(29), values);
    }

    fn fault(&self) -> Option<String> {
        self.xbar
            .fault()
            .map(|e| format!("the routing macro's model failed: {e}"))
    }
}

/// The traffic could not be set up: the layout or the register map lacks
/// something it drives.
#[derive(Debug, thiserror::Error)]
pub enum TrafficSetupError {
    #[error(transparent)]
    Port(#[from] MissingPort),
    #[error(transparent)]
    Register(#[from] UnknownRegister),
}

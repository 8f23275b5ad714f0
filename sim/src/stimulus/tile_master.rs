//! A random Wishbone master that configures and exercises a tile: it writes
//! the registers the hardware acts on with values that make things happen
//! (inference and leak enables, thresholds the ADC codes can reach,
//! programming requests with reachable targets and small pulse budgets),
//! reads status and random registers, pokes unmapped and partial-lane
//! addresses, and sometimes abandons a request.
//!
//! The bus protocol is [`BusMaster`]'s; this file only chooses requests.

use super::bits::{field_below, Bits};
pub use super::bus_master::{BusMaster, BusOut, Done, Request};
use memforge_spec::{RegisterMap, UnknownRegister};

/// Register offsets the master targets.
#[derive(Clone, Debug)]
struct Offsets {
    ctrl: u32,
    threshold: u32,
    leak: u32,
    refractory: u32,
    leak_period: u32,
    prog_addr: u32,
    prog_target: u32,
    prog_tolerance: u32,
    prog_max_pulses: u32,
    prog_pulse: u32,
    cmd: u32,
    /// `status`, `dropped`, `prog_status`.
    ro: [u32; 3],
    /// Every mapped register.
    all: Vec<u32>,
}

/// The register writes of a learning rule that needs more than the
/// random "any word of the window" requests to get going.
#[derive(Clone, Debug)]
pub enum LearnRequests {
    Eprop(super::eprop_requests::EpropRequests),
    PcmTrace(super::pcm_trace_requests::PcmTraceRequests),
}

#[derive(Clone, Debug)]
pub struct TileMaster {
    bus: BusMaster,
    req: TileRequests,
}

/// What the tile master asks for.
#[derive(Clone, Debug)]
struct TileRequests {
    base: u32,
    window: u32,
    off: Offsets,
    rows: u64,
    cols: u64,
    adc_max: u64,
    /// A learning tile's own requests (a quarter of the requests).
    learning: Option<LearnRequests>,
}

impl TileMaster {
    pub fn new(
        map: &RegisterMap,
        rows: u32,
        cols: u32,
        adc_max: u32,
    ) -> Result<Self, UnknownRegister> {
        let off = |n: &str| map.offset_of(n);
        let req = TileRequests {
            base: map.base_address,
            window: map.window_bytes(),
            off: Offsets {
                ctrl: off("ctrl")?,
                threshold: off("threshold")?,
                leak: off("leak")?,
                refractory: off("refractory")?,
                leak_period: off("leak_period")?,
                prog_addr: off("prog_addr")?,
                prog_target: off("prog_target")?,
                prog_tolerance: off("prog_tolerance")?,
                prog_max_pulses: off("prog_max_pulses")?,
                prog_pulse: off("prog_pulse")?,
                cmd: off("cmd")?,
                ro: [off("status")?, off("dropped")?, off("prog_status")?],
                all: map.registers.iter().map(|r| r.offset).collect(),
            },
            rows: u64::from(rows),
            cols: u64::from(cols),
            adc_max: u64::from(adc_max),
            learning: None,
        };
        Ok(Self {
            bus: BusMaster::new(map.base_address),
            req,
        })
    }

    /// The master also writes a learning tile's registers.
    pub fn with_learning(mut self, l: LearnRequests) -> Self {
        self.req.learning = Some(l);
        self
    }

    /// Bus address of `cmd` (whose bit 1 starts a programming request).
    pub fn cmd_address(&self) -> u32 {
        self.req.base.wrapping_add(self.req.off.cmd)
    }

    /// Forgets the held request (the bus was reset under it).
    pub fn abort(&mut self) {
        self.bus.abort();
    }

    /// One cycle of [`BusMaster::cycle`] with the tile's requests.
    pub fn cycle(&mut self, acked: bool, word: u64, rng: &mut Bits) -> (BusOut, Done) {
        let req = &self.req;
        self.bus.cycle(acked, word, rng, |rng| req.request(rng))
    }
}

impl TileRequests {
    fn request(&self, rng: &mut Bits) -> Request {
        let w = rng.word();
        let v = rng.word();
        // A value in 0..n from `v`'s bits `at..at+16`.
        let pick = |at: u32, n: u64| field_below(v >> at, 16, n);
        let o = &self.off;
        if let Some(l) = &self.learning {
            if field_below(w >> 40, 8, 4) == 0 {
                let (offset, dat) = match l {
                    LearnRequests::Eprop(e) => e.request(v),
                    LearnRequests::PcmTrace(p) => p.request(v),
                };
                return Request::at(self.base, offset, dat, true, w);
            }
        }
        let (offset, dat, we) = match field_below(w, 8, 18) {
            0..=2 => {
                // Mostly enabled; the leak timer on half of the time.
                let ctrl = if pick(0, 10) == 0 {
                    0
                } else {
                    1 | pick(16, 2) << 1
                };
                (o.ctrl, ctrl, true)
            }
            3 => {
                // Thresholds from one code to a few events' worth.
                let top = if pick(48, 2) == 0 {
                    self.adc_max
                } else {
                    4 * self.adc_max
                };
                (o.threshold, 1 + pick(0, top), true)
            }
            4 => (o.leak, pick(0, 4), true),
            5 => (o.refractory, pick(0, 5), true),
            6 => (o.leak_period, pick(0, 40), true),
            7 => {
                // Mostly a real cell, sometimes an invalid address.
                let row = if pick(0, 10) == 0 {
                    pick(16, 256)
                } else {
                    pick(16, self.rows)
                };
                let col = if pick(32, 10) == 0 {
                    pick(48, 256)
                } else {
                    pick(48, self.cols)
                };
                (o.prog_addr, row | col << 8, true)
            }
            8 => (o.prog_target, pick(0, self.adc_max + 1), true),
            9 => (o.prog_max_pulses, pick(0, 24), true),
            // Pulse amplitude and a width of 0..3 cycles.
            10 => (o.prog_pulse, pick(0, 0x400), true),
            11 | 12 => (o.cmd, pick(0, 4), true),
            13 => (o.prog_tolerance, pick(0, 3), true),
            14 => {
                // Any word of the window, or just outside it.
                let adr = pick(0, u64::from(self.window) / 4 + 4) as u32 * 4;
                (adr, v as u32 as u64, pick(16, 5) == 0)
            }
            15 | 16 => (o.ro[pick(0, 3) as usize], 0, false),
            _ => (o.all[pick(0, o.all.len() as u64) as usize], 0, false),
        };
        Request::at(self.base, offset, dat, we, w)
    }
}

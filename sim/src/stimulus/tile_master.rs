//! A random Wishbone master that configures and exercises a tile: it writes
//! the registers the hardware acts on with values that make things happen
//! (inference and leak enables, thresholds the ADC codes can reach,
//! programming requests with reachable targets and small pulse budgets),
//! reads status and random registers, pokes unmapped and partial-lane
//! addresses, and sometimes abandons a request.
//!
//! Protocol: a request is held (`stb = cyc = 1`) until `wbs_ack_o` is seen,
//! then the master idles or goes straight on with the next one; the tile
//! ignores a request in the cycle its acknowledge is high, which the master
//! therefore handles without special cases.

use super::bits::{byte, field_below, per256, Bits};
use memforge_spec::{RegisterMap, UnknownRegister};

/// One bus request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Request {
    pub we: bool,
    pub sel: u8,
    pub adr: u32,
    pub dat: u32,
}

/// What the master presents in a cycle.
#[derive(Clone, Copy, Debug, Default)]
pub struct BusOut {
    pub stb: bool,
    pub cyc: bool,
    pub req: Request,
}

/// What completed in a cycle (the acknowledge of the held request).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Done {
    None,
    Write(Request),
    Read(Request),
}

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

#[derive(Clone, Debug)]
pub struct TileMaster {
    base: u32,
    window: u32,
    off: Offsets,
    rows: u64,
    cols: u64,
    adc_max: u64,
    pending: Option<Request>,
}

impl TileMaster {
    pub fn new(
        map: &RegisterMap,
        rows: u32,
        cols: u32,
        adc_max: u32,
    ) -> Result<Self, UnknownRegister> {
        let off = |n: &str| map.offset_of(n);
        Ok(Self {
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
            pending: None,
        })
    }

    /// Bus address of `cmd` (whose bit 1 starts a programming request).
    pub fn cmd_address(&self) -> u32 {
        self.base.wrapping_add(self.off.cmd)
    }

    /// Forgets the held request (the bus was reset under it).
    pub fn abort(&mut self) {
        self.pending = None;
    }

    /// One cycle: `acked` is `wbs_ack_o` now (after the last edge); `word`
    /// is this cycle's random draw (its low 32 bits are used here); more
    /// bits come from `rng` when a request is made.
    pub fn cycle(&mut self, acked: bool, word: u64, rng: &mut Bits) -> (BusOut, Done) {
        let mut done = Done::None;
        if let Some(req) = self.pending {
            if acked {
                done = if req.we {
                    Done::Write(req)
                } else {
                    Done::Read(req)
                };
                // Back to back 30% of the time, else idle a while.
                self.pending = (byte(word, 0) < per256(30)).then(|| self.request(rng));
            } else if byte(word, 1) < 2 {
                // Abandoned (about 1 in 128 cycles of waiting).
                self.pending = None;
            }
        } else if byte(word, 2) < per256(10) {
            self.pending = Some(self.request(rng));
        }
        let out = match self.pending {
            Some(req) => BusOut {
                stb: true,
                cyc: true,
                req,
            },
            // Idle: `cyc` alone now and then, junk on the other signals.
            None => BusOut {
                stb: byte(word, 3) < 3,
                cyc: byte(word, 3) < 13,
                req: Request {
                    we: word & 1 << 31 != 0,
                    sel: (word >> 24) as u8 & 0xf,
                    adr: self.base + 4 * field_below(word >> 8, 8, 32) as u32,
                    dat: word as u32,
                },
            },
        };
        (out, done)
    }

    fn request(&self, rng: &mut Bits) -> Request {
        let w = rng.word();
        let v = rng.word();
        // A value in 0..n from `v`'s bits `at..at+16`.
        let pick = |at: u32, n: u64| field_below(v >> at, 16, n);
        let o = &self.off;
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
        let sel = if byte(w, 1) < per256(90) {
            0xf
        } else {
            (w >> 16) as u8 & 0xf
        };
        Request {
            we,
            sel,
            adr: self.base.wrapping_add(offset),
            dat: dat as u32,
        }
    }
}

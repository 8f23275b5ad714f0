//! Random Wishbone traffic for co-simulation: a seeded master that mostly
//! behaves (holds a request until acknowledged) and sometimes does not
//! (abandons requests, toggles `stb`/`cyc` at random), with addresses biased
//! to mapped registers but covering unaligned, unmapped and out-of-window
//! ones, partial byte selects, occasional resets, and random values on the
//! design's other inputs.

use super::Stimulus;
use crate::cycle::{MissingPort, Pin, PortLayout};
use crate::pins::WishbonePins;
use memforge_spec::RegisterMap;
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The design's reset input.
#[derive(Clone, Debug)]
pub struct ResetPort {
    pub name: String,
    pub active_low: bool,
}

/// One request the master is presenting.
#[derive(Clone, Copy, Debug, Default)]
struct Request {
    we: bool,
    sel: u64,
    adr: u64,
    dat: u64,
}

#[derive(Clone, Debug)]
pub struct WishboneTraffic {
    rng: ChaCha8Rng,
    wb: WishbonePins,
    reset: (Pin, bool),
    /// Inputs randomized every few cycles.
    others: Vec<Pin>,
    /// Mapped register addresses.
    mapped: Vec<u32>,
    base: u32,
    window: u32,
    pending: Option<Request>,
    reset_left: u32,
    /// Cycles at the start with reset asserted, so RTL and model start from
    /// the same state.
    initial_reset: u64,
}

impl WishboneTraffic {
    /// Traffic for the `wbs_*` ports and `reset` of `layout`.
    /// `randomize_others` also gives every other input a random value that
    /// changes now and then (for a design whose other inputs are free).
    pub fn new(
        layout: &PortLayout,
        map: &RegisterMap,
        reset: ResetPort,
        randomize_others: bool,
        seed: u64,
    ) -> Result<Self, MissingPort> {
        let wb = WishbonePins::new(layout)?;
        let reset_at = layout.pin(&reset.name)?;
        let others = if randomize_others {
            layout
                .ports
                .iter()
                .filter(|p| p.input && p.name != reset.name && !p.name.starts_with("wbs_"))
                .map(|p| layout.pin(&p.name))
                .collect::<Result<_, _>>()?
        } else {
            Vec::new()
        };
        let mut mapped: Vec<u32> = map
            .registers
            .iter()
            .map(|r| map.base_address + r.offset)
            .collect();
        if mapped.is_empty() {
            mapped.push(map.base_address);
        }
        Ok(Self {
            rng: ChaCha8Rng::seed_from_u64(seed),
            wb,
            reset: (reset_at, reset.active_low),
            others,
            mapped,
            base: map.base_address,
            window: map.window_bytes(),
            pending: None,
            reset_left: 0,
            initial_reset: 2,
        })
    }

    /// A biased bus address from 16 random bits and one more draw.
    fn address(&mut self, bits: u64) -> u32 {
        let n = self.mapped.len();
        let mapped = self.mapped[(bits >> 8) as usize % n];
        let more = self.rng.next_u64();
        match (bits & 0xff) * 100 / 256 {
            0..=64 => mapped,
            // Unaligned, near a register.
            65..=72 => mapped + 1 + (more % 3) as u32,
            // Aligned but unmapped, inside the window.
            73..=80 => self.base + 4 * (more as u32 % (self.window / 4)),
            // Just past the window, or a neighbouring window.
            81..=86 => self
                .base
                .wrapping_add(self.window.wrapping_mul(1 + (more % 3) as u32)),
            87..=91 => {
                let low = self.window.trailing_zeros();
                mapped ^ (1 << (low + (more as u32 % (32 - low))))
            }
            _ => more as u32,
        }
    }

    fn request(&mut self) -> Request {
        let bits = self.rng.next_u64();
        let adr = self.address(bits);
        // Byte selects: all four 40% of the time, else any pattern.
        let sel = if (bits >> 24) & 0xff < 102 {
            0xf
        } else {
            (bits >> 32) & 0xf
        };
        let dat = match (bits >> 36) & 0xf {
            0..=2 => u64::from(u32::MAX),
            3 => (bits >> 40) & 3,
            _ => bits >> 32,
        };
        Request {
            we: (bits >> 63) & 1 == 1,
            sel,
            adr: u64::from(adr),
            dat: dat & 0xffff_ffff,
        }
    }

    fn drive_reset(&mut self, cycle: u64, bits: u64, values: &mut [u64]) {
        let asserted = if cycle < self.initial_reset {
            true
        } else if self.reset_left > 0 {
            self.reset_left -= 1;
            true
        } else if bits & 0xfff == 0 {
            // About one reset every 4096 cycles, 1 to 3 cycles long.
            self.reset_left = ((bits >> 12) % 3) as u32;
            true
        } else {
            false
        };
        let (at, active_low) = self.reset;
        at.set(values, u64::from(asserted != active_low));
    }
}

impl Stimulus for WishboneTraffic {
    /// One 64-bit draw decides the cycle (bit fields as probabilities, which
    /// keeps the generator cheap next to the RTL); more are drawn for new
    /// requests and for the other inputs.
    fn drive(&mut self, cycle: u64, values: &mut [u64]) {
        let bits = self.rng.next_u64();
        self.drive_reset(cycle, bits, values);
        let byte = |k: u32| (bits >> (16 + 8 * k)) & 0xff;
        let acked = self.wb.ack.is_high(values);
        let (mut stb, mut cyc) = (true, true);
        match self.pending {
            // Done (or abandoned, 5%): idle a while or go straight on.
            Some(_) if acked || byte(0) < 13 => {
                self.pending = if bits >> 63 == 1 {
                    Some(self.request())
                } else {
                    None
                };
            }
            Some(_) => {}
            None if byte(1) < 102 => self.pending = Some(self.request()),
            None => {}
        }
        let req = match self.pending {
            Some(req) => req,
            None => {
                // Idle: mostly quiet, sometimes half a handshake, and junk
                // on the other bus signals.
                stb = byte(2) < 26;
                cyc = byte(3) < 77;
                let junk = self.rng.next_u64();
                Request {
                    we: junk & 1 == 1,
                    sel: (junk >> 1) & 0xf,
                    adr: u64::from(self.mapped[(junk >> 8) as usize % self.mapped.len()])
                        + ((junk >> 5) & 3),
                    dat: junk >> 32,
                }
            }
        };
        if byte(4) < 8 {
            // Glitch (3%): the master drops one of the strobes for a cycle.
            stb = (bits >> 56) & 1 == 1;
            cyc = (bits >> 57) & 1 == 1;
        }
        let wb = &self.wb;
        wb.stb.set(values, u64::from(stb));
        wb.cyc.set(values, u64::from(cyc));
        wb.we.set(values, u64::from(req.we));
        wb.sel.set(values, req.sel);
        wb.adr.set(values, req.adr);
        wb.dat_i.set(values, req.dat);
        if !self.others.is_empty() {
            // Each other input changes with probability 1/4 per cycle.
            let mut change = self.rng.next_u64();
            for i in 0..self.others.len() {
                if change & 3 == 0 {
                    self.others[i].set(values, self.rng.next_u64());
                }
                change = change.rotate_right(2);
            }
        }
    }
}

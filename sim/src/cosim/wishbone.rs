//! Random Wishbone traffic for co-simulation: a seeded master that mostly
//! behaves (holds a request until acknowledged) and sometimes does not
//! (abandons requests, toggles `stb`/`cyc` at random), with addresses biased
//! to mapped registers but covering unaligned, unmapped and out-of-window
//! ones, partial byte selects, occasional resets, and random values on the
//! design's other inputs.

use super::stimulus::Stimulus;
use crate::cycle::PortLayout;
use memforge_spec::RegisterMap;
use rand::{Rng, SeedableRng};
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

/// Word offsets of the Wishbone ports in the packed values.
#[derive(Clone, Debug)]
struct Offsets {
    stb: usize,
    cyc: usize,
    we: usize,
    sel: usize,
    dat: usize,
    adr: usize,
    ack: usize,
}

#[derive(Clone, Debug)]
pub struct WishboneTraffic {
    rng: ChaCha8Rng,
    wb: Offsets,
    reset: (usize, bool),
    /// (word offset, width) of inputs randomized every few cycles.
    others: Vec<(usize, u32)>,
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

/// The traffic cannot drive this layout.
#[derive(Debug, thiserror::Error)]
#[error("the design has no port `{0}` for the Wishbone traffic generator")]
pub struct MissingPort(pub String);

fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    items[rng.gen_range(0..items.len())]
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
        let at = |name: &str| {
            layout
                .index_of(name)
                .map(|i| layout.range(i).start)
                .ok_or_else(|| MissingPort(name.to_string()))
        };
        let wb = Offsets {
            stb: at("wbs_stb_i")?,
            cyc: at("wbs_cyc_i")?,
            we: at("wbs_we_i")?,
            sel: at("wbs_sel_i")?,
            dat: at("wbs_dat_i")?,
            adr: at("wbs_adr_i")?,
            ack: at("wbs_ack_o")?,
        };
        let reset_at = at(&reset.name)?;
        let others = if randomize_others {
            layout
                .ports
                .iter()
                .enumerate()
                .filter(|(_, p)| p.input && p.name != reset.name && !p.name.starts_with("wbs_"))
                .map(|(i, p)| (layout.range(i).start, p.width.min(64)))
                .collect()
        } else {
            Vec::new()
        };
        Ok(Self {
            rng: ChaCha8Rng::seed_from_u64(seed),
            wb,
            reset: (reset_at, reset.active_low),
            others,
            mapped: map.registers.iter().map(|r| map.base_address + r.offset).collect(),
            base: map.base_address,
            window: map.window_bytes(),
            pending: None,
            reset_left: 0,
            initial_reset: 2,
        })
    }

    fn address(&mut self) -> u32 {
        let r = &mut self.rng;
        match r.gen_range(0..100) {
            0..=64 => pick(r, &self.mapped),
            // Unaligned, near a register.
            65..=72 => pick(r, &self.mapped) + r.gen_range(1..4),
            // Aligned but unmapped, inside the window.
            73..=80 => self.base + 4 * r.gen_range(0..self.window / 4),
            // Just past the window, or a neighbouring window.
            81..=86 => self.base.wrapping_add(self.window.wrapping_mul(r.gen_range(1..4))),
            87..=91 => pick(r, &self.mapped) ^ (1 << r.gen_range(self.window.trailing_zeros()..32)),
            _ => r.gen(),
        }
    }

    fn request(&mut self) -> Request {
        let adr = self.address();
        let r = &mut self.rng;
        let sel = if r.gen_bool(0.4) { 0xf } else { r.gen_range(0..16) };
        let dat = match r.gen_range(0..10) {
            0 | 1 => u64::from(u32::MAX),
            2 => r.gen_range(0..4),
            _ => u64::from(r.gen::<u32>()),
        };
        Request {
            we: r.gen_bool(0.5),
            sel,
            adr: u64::from(adr),
            dat,
        }
    }

    fn drive_reset(&mut self, cycle: u64, values: &mut [u64]) {
        let asserted = if cycle < self.initial_reset {
            true
        } else if self.reset_left > 0 {
            self.reset_left -= 1;
            true
        } else if self.rng.gen_range(0..3000) == 0 {
            self.reset_left = self.rng.gen_range(0..3);
            true
        } else {
            false
        };
        let (at, active_low) = self.reset;
        values[at] = u64::from(asserted != active_low);
    }
}

impl Stimulus for WishboneTraffic {
    fn drive(&mut self, cycle: u64, values: &mut [u64]) {
        self.drive_reset(cycle, values);
        let acked = values[self.wb.ack] & 1 == 1;
        let (mut stb, mut cyc) = (true, true);
        match self.pending {
            Some(_) if acked || self.rng.gen_bool(0.05) => {
                // Done (or abandoned): idle a while or go straight on.
                self.pending = if self.rng.gen_bool(0.5) {
                    Some(self.request())
                } else {
                    None
                };
            }
            Some(_) => {}
            None if self.rng.gen_bool(0.4) => self.pending = Some(self.request()),
            None => {}
        }
        let req = match self.pending {
            Some(req) => req,
            None => {
                // Idle: mostly quiet, sometimes half a handshake.
                stb = self.rng.gen_bool(0.1);
                cyc = self.rng.gen_bool(0.3);
                self.request()
            }
        };
        if self.rng.gen_bool(0.03) {
            // Glitch: the master drops one of the strobes for a cycle.
            stb = self.rng.gen();
            cyc = self.rng.gen();
        }
        values[self.wb.stb] = u64::from(stb);
        values[self.wb.cyc] = u64::from(cyc);
        values[self.wb.we] = u64::from(req.we);
        values[self.wb.sel] = req.sel;
        values[self.wb.adr] = req.adr;
        values[self.wb.dat] = req.dat;
        for i in 0..self.others.len() {
            if self.rng.gen_bool(0.25) {
                let (at, width) = self.others[i];
                let mask = crate::verilator::storage::mask64(width);
                values[at] = self.rng.gen::<u64>() & mask;
            }
        }
    }
}

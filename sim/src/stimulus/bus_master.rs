//! A random Wishbone bus-functional master, shared by every block's
//! traffic: it holds a request (`stb = cyc = 1`) until `wbs_ack_o` is seen,
//! then idles or goes straight on with the next one, sometimes abandons a
//! request, and puts junk on the bus while idle. What to ask for is the
//! caller's (`next`), so the tile's and the routing tile's masters differ
//! only in their requests.
//!
//! A slave ignores a request in the cycle its acknowledge is high, which
//! the master therefore handles without special cases.

use super::bits::{byte, field_below, per256, Bits};

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

impl Request {
    /// A request to `base + offset`, with all byte lanes 90% of the time
    /// (else random ones from `w`): the tail every request chooser shares.
    pub fn at(base: u32, offset: u32, dat: u64, we: bool, w: u64) -> Self {
        let sel = if byte(w, 1) < per256(90) {
            0xf
        } else {
            (w >> 16) as u8 & 0xf
        };
        Request {
            we,
            sel,
            adr: base.wrapping_add(offset),
            dat: dat as u32,
        }
    }
}

/// The protocol state: the held request, if any.
#[derive(Clone, Debug)]
pub struct BusMaster {
    base: u32,
    pending: Option<Request>,
}

impl BusMaster {
    /// A master for the slave whose registers start at `base`.
    pub fn new(base: u32) -> Self {
        Self {
            base,
            pending: None,
        }
    }

    /// Forgets the held request (the bus was reset under it).
    pub fn abort(&mut self) {
        self.pending = None;
    }

    /// One cycle: `acked` is `wbs_ack_o` now (after the last edge); `word`
    /// is this cycle's random draw (its low 32 bits are used here); `next`
    /// makes a new request (from `rng`) when one is due.
    pub fn cycle(
        &mut self,
        acked: bool,
        word: u64,
        rng: &mut Bits,
        next: impl Fn(&mut Bits) -> Request,
    ) -> (BusOut, Done) {
        let mut done = Done::None;
        if let Some(req) = self.pending {
            if acked {
                done = if req.we {
                    Done::Write(req)
                } else {
                    Done::Read(req)
                };
                // Back to back 30% of the time, else idle a while.
                self.pending = (byte(word, 0) < per256(30)).then(|| next(rng));
            } else if byte(word, 1) < 2 {
                // Abandoned (about 1 in 128 cycles of waiting).
                self.pending = None;
            }
        } else if byte(word, 2) < per256(10) {
            self.pending = Some(next(rng));
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
}

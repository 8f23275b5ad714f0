//! One AER source and one AER sink for any valid/ready event link, shared
//! by every block's stimulus (merges, routers, tiles).
//!
//! Protocol (the one every memforge link uses): the sender holds `valid`
//! and the event until the receiver's `ready` is high at a rising edge;
//! the event moves at that edge. Both sides are seen from the values the
//! harness passes a stimulus: the block's outputs after the last edge, so
//! a link's `ready` (a block output) is known before this cycle's edge.
//!
//! The source offers events at a rate that changes every 1,024 cycles
//! (idle, moderate, flooding) and keeps what it sent, so a scoreboard can
//! check each delivered event; the sink stalls now and then (long stalls
//! and random ready) to exercise backpressure.

use super::bits::{byte, field_below, per256, Bits};
use crate::pins::LinkPins;

/// A random source driving one link into the block.
#[derive(Clone, Debug)]
pub struct AerSource {
    pins: LinkPins,
    /// The event on offer, held until taken.
    offered: Option<u64>,
    /// `valid` probability (per 256) of the current epoch.
    rate: u64,
    /// Events taken by the block.
    pub sent: u64,
    /// Cycles an offered event waited (ready low).
    pub backpressured: u64,
    /// While set, no new event is made (one on offer is still held until
    /// taken): the traffic stops so the block can drain.
    pub paused: bool,
}

impl AerSource {
    pub fn new(pins: LinkPins) -> Self {
        Self {
            pins,
            offered: None,
            rate: per256(30),
            sent: 0,
            backpressured: 0,
            paused: false,
        }
    }

    /// Drives this cycle's `valid`/`addr`; `next_event()` makes a new event
    /// when the source is idle and decides to send. Returns the event the
    /// block takes at this cycle's edge, if any.
    pub fn drive(
        &mut self,
        cycle: u64,
        rng: &mut Bits,
        values: &mut [u64],
        next_event: impl FnOnce(&mut Bits) -> u64,
    ) -> Option<u64> {
        let w = rng.word();
        if cycle.is_multiple_of(1024) {
            self.rate = [per256(2), per256(25), per256(60), per256(100)][(w >> 62) as usize];
        }
        if self.offered.is_none() && !self.paused && byte(w, 0) < self.rate {
            self.offered = Some(next_event(rng));
        }
        let p = self.pins;
        p.valid.set(values, u64::from(self.offered.is_some()));
        match self.offered {
            Some(e) => p.addr.set(values, e),
            // Junk on the address while idle: it must be ignored.
            None => p.addr.set(values, w >> 8),
        }
        let taken = self.offered.filter(|_| p.ready.is_high(values));
        if taken.is_some() {
            self.offered = None;
            self.sent += 1;
        } else if self.offered.is_some() {
            self.backpressured += 1;
        }
        taken
    }

    /// Whether an event is on offer (made, not yet taken).
    pub fn holding(&self) -> bool {
        self.offered.is_some()
    }

    /// Forgets the offered event (the block was reset).
    pub fn abort(&mut self) {
        self.offered = None;
    }
}

/// A random sink taking events from one link out of the block.
#[derive(Clone, Debug)]
pub struct AerSink {
    pins: LinkPins,
    /// Remaining cycles of a stall (ready low).
    stall: u32,
    /// Events taken from the block.
    pub received: u64,
    /// Cycles the block offered an event and the sink refused it.
    pub backpressured: u64,
    /// While set, ready every cycle (a drain with a bound to check).
    pub always_ready: bool,
}

impl AerSink {
    pub fn new(pins: LinkPins) -> Self {
        Self {
            pins,
            stall: 0,
            received: 0,
            backpressured: 0,
            always_ready: false,
        }
    }

    /// Drives this cycle's `ready` (stalls of 10..200 cycles start on 1% of
    /// cycles; otherwise ready 70% of the time). Returns the event taken at
    /// this cycle's edge, if any.
    pub fn drive(&mut self, rng: &mut Bits, values: &mut [u64]) -> Option<u64> {
        let w = rng.word();
        if self.stall == 0 && field_below(w, 16, 100) == 0 {
            self.stall = 10 + field_below(w >> 16, 8, 190) as u32;
        }
        self.stall = self.stall.saturating_sub(1);
        let ready = self.always_ready || (self.stall == 0 && byte(w, 4) < per256(70));
        let p = self.pins;
        p.ready.set(values, u64::from(ready));
        if !p.valid.is_high(values) {
            return None;
        }
        if ready {
            self.received += 1;
            Some(p.addr.get(values))
        } else {
            self.backpressured += 1;
            None
        }
    }
}

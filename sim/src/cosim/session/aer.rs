//! Both ends of the tile's AER buses. The tile's `aer_in_ready` and
//! `aer_out_valid`/`aer_out_addr` are registered, so the values seen after
//! the last edge are the ones that hold during this cycle: an event offered
//! while `ready` is visible is taken at this cycle's edge, and a spike
//! visible while we hold `aer_out_ready` is taken at it too.

use super::script::AerEvent;
use crate::tile::pins::TilePins;
use std::collections::VecDeque;

/// An output spike: the neuron (column) and the cycle it was taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Spike {
    pub col: u8,
    pub cycle: u64,
}

/// Offers queued events in order with the valid/ready handshake.
#[derive(Clone, Debug, Default)]
pub struct AerSource {
    queue: VecDeque<AerEvent>,
    /// Events the tile has taken.
    pub sent: u64,
}

impl AerSource {
    pub fn push(&mut self, events: &[AerEvent]) {
        self.queue.extend(events.iter().copied());
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// Drives `aer_in_*` for this cycle; counts the head as sent when the
    /// tile is ready (it is taken at this edge).
    pub fn drive(&mut self, pins: &TilePins, values: &mut [u64]) {
        match self.queue.front() {
            Some(e) => {
                pins.in_addr.set(values, u64::from(e.row));
                pins.in_value.set(values, u64::from(e.value));
                pins.in_valid.set(values, 1);
                if pins.in_ready.get(values) != 0 {
                    self.queue.pop_front();
                    self.sent += 1;
                }
            }
            None => {
                pins.in_addr.set(values, 0);
                pins.in_value.set(values, 0);
                pins.in_valid.set(values, 0);
            }
        }
    }
}

/// Always ready; hands every spike the tile offers to the caller.
#[derive(Clone, Copy, Debug, Default)]
pub struct AerSink;

impl AerSink {
    /// Holds `aer_out_ready`; the spike visible this cycle, if any, is
    /// taken at this edge.
    pub fn drive(self, cycle: u64, pins: &TilePins, values: &mut [u64]) -> Option<Spike> {
        pins.out_ready.set(values, 1);
        (pins.out_valid.get(values) != 0).then(|| Spike {
            col: pins.out_addr.get(values) as u8,
            cycle,
        })
    }
}

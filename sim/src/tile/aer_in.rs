//! Model of the AER input port: take an event when `valid & ready`; an
//! event whose row is not below `rows` is counted (saturating) instead of
//! queued; values are clamped to the largest input code.

use super::fifo::FifoModel;

/// A queued input event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    pub row: u8,
    pub value: u8,
}

#[derive(Clone, Debug)]
pub struct AerInModel {
    pub fifo: FifoModel<Event>,
    pub dropped: u16,
    rows: u32,
    max_value: u8,
}

impl AerInModel {
    pub fn new(rows: u32, input_bits: u32, depth: usize) -> Self {
        Self {
            fifo: FifoModel::new(depth),
            dropped: 0,
            rows,
            max_value: ((1u32 << input_bits) - 1) as u8,
        }
    }

    /// `ready` as seen by the sender this cycle.
    pub fn ready(&self) -> bool {
        !self.fifo.full()
    }

    /// One edge. `pop`: the sequencer takes the head; `clear`: `cmd[0]`.
    pub fn clock(&mut self, addr: u8, value: u8, valid: bool, pop: bool, clear: bool) {
        let mut push = None;
        if valid && self.ready() {
            if u32::from(addr) >= self.rows {
                self.dropped = self.dropped.saturating_add(1);
            } else {
                push = Some(Event {
                    row: addr,
                    value: value.min(self.max_value),
                });
            }
        }
        if clear {
            self.dropped = 0;
        }
        self.fifo.clock(pop, push);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_out_of_range_and_saturates() {
        let mut m = AerInModel::new(8, 1, 4);
        m.clock(8, 1, true, false, false);
        m.clock(3, 5, true, false, false);
        assert_eq!(m.dropped, 1);
        assert_eq!(m.fifo.head(), Some(Event { row: 3, value: 1 }));
        m.dropped = u16::MAX;
        m.clock(200, 0, true, false, false);
        assert_eq!(m.dropped, u16::MAX);
        m.clock(0, 0, false, false, true);
        assert_eq!(m.dropped, 0);
    }

    #[test]
    fn full_fifo_refuses_without_losing() {
        let mut m = AerInModel::new(8, 1, 2);
        for r in 0..5 {
            m.clock(r, 1, true, false, false);
        }
        assert_eq!(m.fifo.len(), 2);
        assert!(!m.ready());
        assert_eq!(m.dropped, 0);
    }
}

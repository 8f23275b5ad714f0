//! The demo's inputs that are not in a file: a deterministic input spike
//! train and the "as fabricated" starting levels of the crossbar cells.
//! Both come from a fixed SplitMix64 stream so every run, on every machine,
//! sees the same traffic (and the same printed numbers).

use memforge_sim::cosim::session::AerEvent;

/// SplitMix64: tiny, fast and fully specified (no crate needed for a demo).
pub struct SplitMix(u64);

impl SplitMix {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0; the modulo bias is irrelevant here).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// `steps` time steps; in each, every row spikes with probability
/// `1 / every`, rows in increasing order.
pub fn spike_train(rows: u32, steps: u32, every: u64, seed: u64) -> Vec<AerEvent> {
    let mut rng = SplitMix::new(seed);
    let mut events = Vec::new();
    for _ in 0..steps {
        for row in 0..rows.min(256) {
            if rng.below(every) == 0 {
                events.push(AerEvent {
                    row: row as u8,
                    value: 1,
                });
            }
        }
    }
    events
}

/// A level in `0..=max` per cell (row-major).
pub fn fabricated_levels(cells: usize, max: u16, seed: u64) -> Vec<u16> {
    let mut rng = SplitMix::new(seed);
    (0..cells)
        .map(|_| rng.below(u64::from(max) + 1) as u16)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_in_range() {
        let a = spike_train(8, 50, 3, 7);
        assert_eq!(a, spike_train(8, 50, 3, 7));
        assert!(a.iter().all(|e| e.row < 8 && e.value == 1));
        // About a third of 400 row-steps.
        assert!((90..180).contains(&a.len()), "{}", a.len());
        let l = fabricated_levels(1000, 63, 1);
        assert!(l.iter().all(|&x| x <= 63));
        assert!(l.contains(&0) && l.contains(&63));
    }
}

//! Cheap seeded random bits for stimuli that run millions of cycles.
//!
//! A co-simulation's stimulus must cost little next to the RTL it drives,
//! so stimuli draw one 64-bit word and cut it into several decisions
//! (bit fields compared with thresholds) instead of one call per choice.
//! SplitMix64 (Steele, Lea and Flood, 2014) passes BigCrush, is one
//! multiply-xorshift chain per word and is fully determined by its seed,
//! which is all a reproducible stimulus needs.

/// SplitMix64 generator.
#[derive(Clone, Debug)]
pub struct Bits {
    state: u64,
}

impl Bits {
    pub fn new(seed: u64) -> Self {
        // Mix the seed so that neighbouring seeds give unrelated streams.
        let mut b = Self {
            state: seed ^ 0x6a09_e667_f3bc_c908,
        };
        b.word();
        b
    }

    /// The next 64 random bits.
    #[inline]
    pub fn word(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A value in `lo..hi` (`hi > lo`), from one draw (the small bias of
    /// the multiply-shift reduction does not matter for stimuli).
    #[inline]
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + field_below(self.word() >> 32, 32, hi - lo)
    }
}

/// Maps a `bits`-bit random field uniformly-ish onto `0..n`.
#[inline]
pub fn field_below(field: u64, bits: u32, n: u64) -> u64 {
    (field & ((1u64 << bits) - 1)).wrapping_mul(n) >> bits
}

/// Byte `k` (0 = least significant) of `word`.
#[inline]
pub fn byte(word: u64, k: u32) -> u64 {
    (word >> (8 * k)) & 0xff
}

/// Probability `p` as a threshold for a byte: `byte < per256(p)`.
pub const fn per256(percent: u64) -> u64 {
    percent * 256 / 100
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_spread() {
        let mut a = Bits::new(7);
        let mut b = Bits::new(7);
        let xs: Vec<u64> = (0..1000).map(|_| a.word()).collect();
        assert!(xs.iter().all(|x| *x == b.word()));
        assert_ne!(Bits::new(8).word(), xs[0]);
        let mut hist = [0u32; 10];
        for _ in 0..10_000 {
            hist[a.range(0, 10) as usize] += 1;
        }
        assert!(hist.iter().all(|h| (800..1200).contains(h)), "{hist:?}");
        assert_eq!(field_below(u64::MAX, 16, 5), 4);
        assert_eq!(byte(0x1234, 1), 0x12);
    }
}

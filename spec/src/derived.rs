//! Values computed from a design, in one place, so that the RTL, the models
//! and the docs never compute them differently.

use crate::config::DesignConfig;

/// Width of the AER address bus in and out of a tile. Fixed at 8 bits (256
/// rows/columns at most) so that an event for a row beyond the tile's rows is
/// representable and can be dropped and counted.
pub const AER_ADDR_BITS: u32 = 8;
/// Width of a neuron's membrane potential (unsigned, saturating).
pub const POTENTIAL_BITS: u32 = 16;

/// Bits needed to index `n` items (at least 1).
pub fn index_bits(n: u32) -> u32 {
    if n <= 1 {
        1
    } else {
        32 - (n - 1).leading_zeros()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Derived {
    pub row_bits: u32,
    pub col_bits: u32,
    /// Number of ADCs (`ceil(cols / adc_share)`).
    pub adc_count: u32,
    /// Largest ADC code.
    pub adc_max: u32,
}

impl Derived {
    pub fn of(cfg: &DesignConfig) -> Self {
        let t = &cfg.tile;
        Derived {
            row_bits: index_bits(t.rows),
            col_bits: index_bits(t.cols),
            adc_count: t.cols.div_ceil(t.adc_share.max(1)),
            adc_max: (1u32 << t.adc_bits) - 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_bits_matches_definition() {
        for n in 1..=1024u32 {
            let b = index_bits(n);
            assert!(n <= 1 << b, "{n} does not fit {b} bits");
            if n > 2 {
                assert!(n > 1 << (b - 1), "{n} fits in fewer than {b} bits");
            }
        }
    }
}

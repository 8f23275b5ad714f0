//! What the harness reports when the RTL and the golden model disagree.

use serde::Serialize;
use std::path::PathBuf;

/// One output port that differed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SignalDiff {
    pub signal: String,
    pub width: u32,
    /// The golden model's value, hex, as wide as the port.
    pub expected: String,
    /// The RTL's value, hex.
    pub actual: String,
}

/// The first cycle at which any output differed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    /// Cycle number (0 is the first rising edge).
    pub cycle: u64,
    /// The stimulus seed that reproduces it.
    pub seed: u64,
    /// Every differing output at that cycle, in port order; the first is
    /// the one named in the summary.
    pub signals: Vec<SignalDiff>,
    /// The VCD of the cycles before and at the mismatch, if one was asked
    /// for and could be written.
    pub vcd: Option<PathBuf>,
    /// First cycle in the VCD.
    pub vcd_first_cycle: Option<u64>,
    /// Whether the replay that wrote the VCD hit the same mismatch at the
    /// same cycle (it must, unless the model or stimulus is not
    /// deterministic).
    pub reproduced: Option<bool>,
    /// Why no VCD was written, when one was asked for.
    pub vcd_note: Option<String>,
}

/// `words` (little-endian 64-bit) as hex with exactly `width` bits of digits.
pub fn hex_value(words: &[u64], width: u32) -> String {
    let digits = (width as usize).div_ceil(4).max(1);
    let mut s = String::with_capacity(digits + 2);
    s.push_str("0x");
    for d in (0..digits).rev() {
        let bit = 4 * d;
        let nibble = words.get(bit / 64).map_or(0, |w| (w >> (bit % 64)) & 0xf);
        s.push(char::from_digit(nibble as u32, 16).unwrap_or('?'));
    }
    s
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Some(first) = self.signals.first() else {
            return write!(f, "mismatch at cycle {} (seed {})", self.cycle, self.seed);
        };
        write!(
            f,
            "mismatch at cycle {} on `{}`: golden model {}, RTL {} (seed {})",
            self.cycle, first.signal, first.expected, first.actual, self.seed
        )?;
        for other in &self.signals[1..] {
            write!(
                f,
                "; also `{}`: golden {}, RTL {}",
                other.signal, other.expected, other.actual
            )?;
        }
        if let (Some(vcd), Some(from)) = (&self.vcd, self.vcd_first_cycle) {
            write!(
                f,
                "; VCD of cycles {from}..={} in {}",
                self.cycle,
                vcd.display()
            )?;
            if self.reproduced == Some(false) {
                write!(
                    f,
                    " (WARNING: the replay did not reproduce the mismatch: nondeterminism)"
                )?;
            }
        }
        if let Some(note) = &self.vcd_note {
            write!(f, "; no VCD: {note}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_as_wide_as_the_port() {
        assert_eq!(hex_value(&[0x41], 16), "0x0041");
        assert_eq!(hex_value(&[1], 1), "0x1");
        assert_eq!(hex_value(&[u64::MAX, 0xf], 68), "0xfffffffffffffffff");
        assert_eq!(hex_value(&[5], 6), "0x05");
    }
}

//! How Verilator stores a port of a given width, and width-correct reads and
//! writes of that storage through a raw pointer. Verilator requires input
//! bits above a port's width to be zero, so every write is masked.

/// Verilator's C++ type for a port: `CData`, `SData`, `IData`, `QData`, or
/// `VlWide<N>` (N little-endian 32-bit words) above 64 bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    U8,
    U16,
    U32,
    U64,
    /// Number of 32-bit words.
    Wide(usize),
}

impl Storage {
    pub fn for_width(width: u32) -> Self {
        match width {
            0..=8 => Storage::U8,
            9..=16 => Storage::U16,
            17..=32 => Storage::U32,
            33..=64 => Storage::U64,
            w => Storage::Wide((w as usize).div_ceil(32)),
        }
    }

    /// `sizeof` of the C++ member, checked by a `static_assert` in the shim.
    pub fn bytes(self) -> usize {
        match self {
            Storage::U8 => 1,
            Storage::U16 => 2,
            Storage::U32 => 4,
            Storage::U64 => 8,
            Storage::Wide(words) => 4 * words,
        }
    }
}

/// One port's storage inside a live Verilated model.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Slot {
    pub ptr: *mut u8,
    pub storage: Storage,
    pub width: u32,
}

/// The low `bits` bits set (all 64 for `bits >= 64`).
pub fn mask64(bits: u32) -> u64 {
    if bits >= 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    }
}

impl Slot {
    /// Writes the low 64 bits of the port (higher words of a wide port are
    /// cleared).
    ///
    /// # Safety
    /// `ptr` must point at live storage of `storage`'s type.
    #[inline]
    pub unsafe fn write(&self, value: u64) {
        let v = value & mask64(self.width);
        match self.storage {
            Storage::U8 => *self.ptr = v as u8,
            Storage::U16 => *(self.ptr as *mut u16) = v as u16,
            Storage::U32 => *(self.ptr as *mut u32) = v as u32,
            Storage::U64 => *(self.ptr as *mut u64) = v,
            Storage::Wide(_) => self.write_words(std::slice::from_ref(&value)),
        }
    }

    /// Reads the low 64 bits of the port.
    ///
    /// # Safety
    /// As for [`Slot::write`].
    #[inline]
    pub unsafe fn read(&self) -> u64 {
        match self.storage {
            Storage::U8 => u64::from(*self.ptr),
            Storage::U16 => u64::from(*(self.ptr as *const u16)),
            Storage::U32 => u64::from(*(self.ptr as *const u32)),
            Storage::U64 => *(self.ptr as *const u64),
            Storage::Wide(_) => {
                let w = self.ptr as *const u32;
                u64::from(*w) | (u64::from(*w.add(1)) << 32)
            }
        }
    }

    /// Writes the port from little-endian 64-bit words (missing words are
    /// zero, extra words and bits above the width are ignored).
    ///
    /// # Safety
    /// As for [`Slot::write`].
    #[inline]
    pub unsafe fn write_words(&self, words: &[u64]) {
        match self.storage {
            Storage::Wide(n) => {
                let w = self.ptr as *mut u32;
                for i in 0..n {
                    let word = words.get(i / 2).copied().unwrap_or(0);
                    let half = if i % 2 == 0 {
                        word as u32
                    } else {
                        (word >> 32) as u32
                    };
                    let bits_left = self.width - 32 * i as u32;
                    let mask = if bits_left >= 32 {
                        u32::MAX
                    } else {
                        (1u32 << bits_left) - 1
                    };
                    *w.add(i) = half & mask;
                }
            }
            _ => self.write(words.first().copied().unwrap_or(0)),
        }
    }

    /// Reads the port into little-endian 64-bit words (`out` beyond the
    /// port's words is zeroed).
    ///
    /// # Safety
    /// As for [`Slot::write`].
    #[inline]
    pub unsafe fn read_words(&self, out: &mut [u64]) {
        match self.storage {
            Storage::Wide(n) => {
                let w = self.ptr as *const u32;
                for (j, o) in out.iter_mut().enumerate() {
                    let lo = if 2 * j < n {
                        u64::from(*w.add(2 * j))
                    } else {
                        0
                    };
                    let hi = if 2 * j + 1 < n {
                        u64::from(*w.add(2 * j + 1))
                    } else {
                        0
                    };
                    *o = lo | (hi << 32);
                }
            }
            _ => {
                if let Some((first, rest)) = out.split_first_mut() {
                    *first = self.read();
                    rest.fill(0);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_follows_verilator_widths() {
        assert_eq!(Storage::for_width(1), Storage::U8);
        assert_eq!(Storage::for_width(9), Storage::U16);
        assert_eq!(Storage::for_width(32), Storage::U32);
        assert_eq!(Storage::for_width(33), Storage::U64);
        assert_eq!(Storage::for_width(65), Storage::Wide(3));
        assert_eq!(Storage::for_width(100).bytes(), 16);
    }

    #[test]
    fn writes_are_masked_to_the_width() {
        let mut narrow = 0u16;
        let slot = Slot {
            ptr: &mut narrow as *mut u16 as *mut u8,
            storage: Storage::U16,
            width: 12,
        };
        unsafe {
            slot.write(0xffff_ffff);
            assert_eq!(slot.read(), 0xfff);
        }
        let mut wide = [0u32; 4];
        let slot = Slot {
            ptr: wide.as_mut_ptr() as *mut u8,
            storage: Storage::Wide(4),
            width: 100,
        };
        unsafe {
            slot.write_words(&[u64::MAX, u64::MAX]);
            assert_eq!(wide, [u32::MAX, u32::MAX, u32::MAX, 0xf]);
            let mut out = [0u64; 3];
            out[2] = 7;
            slot.read_words(&mut out);
            assert_eq!(out, [u64::MAX, 0xf_ffff_ffff, 0]);
            slot.write(5);
            assert_eq!(wide, [5, 0, 0, 0]);
            assert_eq!(slot.read(), 5);
        }
    }
}

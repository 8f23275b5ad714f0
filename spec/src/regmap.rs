//! The register map of a tile: one description from which the RTL register
//! file is built, the golden model is driven and `docs/` renders its table.

use crate::config::DesignConfig;
use crate::derived::index_bits;
use serde::Serialize;

/// What software and hardware may do with a register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    /// Read/write storage; the hardware sees its value.
    Rw,
    /// Read-only; the value comes from the hardware every cycle.
    Ro,
    /// Read-only constant fixed at generation time.
    Const,
    /// Write-only strobe: a write presents its data to the hardware for
    /// exactly one cycle, then the register reads back as 0.
    Pulse,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Register {
    /// Lower-case identifier, also the RTL port stem.
    pub name: &'static str,
    /// Byte offset from the bus base address (a multiple of 4).
    pub offset: u32,
    pub access: Access,
    /// Implemented bits (LSB-aligned); the rest read as zero.
    pub width: u32,
    /// Value after reset (the constant for `Const`).
    pub reset: u32,
    /// Whether the register has a hardware-side port (false for registers
    /// only software uses, such as `scratch`).
    pub hw_port: bool,
    pub doc: &'static str,
}

impl Register {
    /// A register of `width` bits at `offset`; the reset value is masked to
    /// the width, and every register but constants and `scratch` (which
    /// only software uses) has a hardware-side port.
    pub fn new(
        name: &'static str,
        offset: u32,
        access: Access,
        width: u32,
        reset: u32,
        doc: &'static str,
    ) -> Self {
        let mask = if width >= 32 {
            u32::MAX
        } else {
            (1 << width) - 1
        };
        Register {
            name,
            offset,
            access,
            width,
            reset: reset & mask,
            hw_port: access != Access::Const && name != "scratch",
            doc,
        }
    }

    /// Mask of the implemented bits.
    pub fn mask(&self) -> u32 {
        if self.width >= 32 {
            u32::MAX
        } else {
            (1u32 << self.width) - 1
        }
    }
}

/// Magic in the upper half of the ID register: ASCII "MF".
pub const ID_MAGIC: u32 = 0x4D46_0000;
/// Register-map version in the lower half of the ID register.
pub const REGMAP_VERSION: u32 = 3;
/// Reset value of `leak_period` (cycles between leak ticks, minus one).
pub const LEAK_PERIOD_RESET: u32 = 15;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RegisterMap {
    pub base_address: u32,
    pub registers: Vec<Register>,
}

impl RegisterMap {
    /// The register map of the tile described by `cfg`.
    pub fn for_design(cfg: &DesignConfig) -> Self {
        let t = &cfg.tile;
        let n = &cfg.neuron;
        let p = &cfg.program;
        let geometry = (t.rows - 1).min(255)
            | ((t.cols - 1).min(255) << 8)
            | ((t.adc_bits & 0xf) << 16)
            | ((t.input_bits & 0xf) << 20)
            | (((t.adc_share - 1).min(255)) << 24);
        let regs = vec![
            reg("id", 0x00, Access::Const, 32, ID_MAGIC | REGMAP_VERSION,
                "Identifies a memforge tile: \"MF\" in [31:16], register-map version in [15:0]."),
            reg("geometry", 0x04, Access::Const, 32, geometry,
                "rows-1 [7:0], cols-1 [15:8], adc_bits [19:16], input_bits [23:20], adc_share-1 [31:24]."),
            reg("ctrl", 0x08, Access::Rw, 2, 0,
                "Control: [0] enable inference (events are taken from the input FIFO), [1] enable the leak timer."),
            reg("threshold", 0x0c, Access::Rw, 16, n.threshold,
                "Neuron firing threshold on the 16-bit membrane potential."),
            reg("leak", 0x10, Access::Rw, 16, n.leak,
                "Subtracted from every positive membrane potential per leak tick."),
            reg("refractory", 0x14, Access::Rw, 8, n.refractory,
                "Cycles a neuron ignores input after it fires."),
            reg("scratch", 0x18, Access::Rw, 32, 0,
                "Free for software (bus tests, bring-up)."),
            reg("status", 0x1c, Access::Ro, 9, 0,
                "[0] input FIFO not empty, [1] input FIFO full, [2] output FIFO not empty, [3] output FIFO full, [4] sequencer busy, [5] programmer busy, [6] spikes pending, [7] an inference read timed out (sticky), [8] a late ADC answer (after its read timed out) was dropped (sticky); cmd[0] clears [7] and [8]."),
            reg("dropped", 0x20, Access::Ro, 16, 0,
                "AER input events dropped because their row address is >= rows (saturating)."),
            reg("cmd", 0x24, Access::Pulse, 2, 0,
                "Write-1 strobes: [0] clear `dropped` and the sticky status[8:7], [1] start the programming request in `prog_*`; reads as 0."),
            reg("leak_period", 0x28, Access::Rw, 16, LEAK_PERIOD_RESET,
                "A leak tick every leak_period+1 cycles while ctrl[1] is set."),
            reg("prog_addr", 0x2c, Access::Rw, 16, 0,
                "Programming request: cell row [7:0], column [15:8]."),
            reg("prog_target", 0x30, Access::Rw, 12, 0,
                "Programming request: target level as an ADC code."),
            reg("prog_tolerance", 0x34, Access::Rw, 12, p.tolerance,
                "Half-width of the accept band around prog_target, in ADC codes."),
            reg("prog_max_pulses", 0x38, Access::Rw, 8, p.max_pulses,
                "Pulses applied before a request is declared failed."),
            reg("prog_pulse", 0x3c, Access::Rw, 16, (p.pulse_amplitude & 0xff) | ((p.pulse_width & 0xff) << 8),
                "SET/RESET pulse: amplitude code [7:0], width code [15:8] (clock cycles the controller waits before verifying)."),
            reg("prog_status", 0x40, Access::Ro, 16, 0,
                "Last programming request: [0] busy, [1] done, [2] failed, [3] read timed out, [4] invalid request (cell outside the array or target above the largest ADC code), [15:8] pulses used."),
        ];
        RegisterMap {
            base_address: cfg.bus.base_address,
            registers: regs,
        }
    }

    /// Bits of the word address decoded inside the register window.
    pub fn word_addr_bits(&self) -> u32 {
        let last_word = self
            .registers
            .iter()
            .map(|r| r.offset / 4)
            .max()
            .unwrap_or(0);
        index_bits(last_word + 1)
    }

    /// Size of the register window in bytes (a power of two).
    pub fn window_bytes(&self) -> u32 {
        4u32 << self.word_addr_bits()
    }

    pub fn get(&self, name: &str) -> Option<&Register> {
        self.registers.iter().find(|r| r.name == name)
    }

    /// The byte offset of register `name`: the typed error, not a default,
    /// when the map lacks it (a default offset would alias register 0).
    pub fn offset_of(&self, name: &str) -> Result<u32, UnknownRegister> {
        self.get(name)
            .map(|r| r.offset)
            .ok_or_else(|| UnknownRegister(name.to_string()))
    }

    /// The register at byte address `addr`, if any (the full bus address).
    pub fn at_address(&self, addr: u32) -> Option<&Register> {
        let window = self.window_bytes();
        if addr & !(window - 1) != self.base_address || !addr.is_multiple_of(4) {
            return None;
        }
        let offset = addr - self.base_address;
        self.registers.iter().find(|r| r.offset == offset)
    }

    /// The register map as a Markdown table (for `docs/`).
    pub fn markdown_table(&self) -> String {
        let mut out = String::from(
            "| offset | address | name | access | width | reset | description |\n|---|---|---|---|---|---|---|\n",
        );
        for r in &self.registers {
            out.push_str(&format!(
                "| 0x{:02x} | 0x{:08x} | `{}` | {} | {} | 0x{:x} | {} |\n",
                r.offset,
                self.base_address + r.offset,
                r.name,
                format!("{:?}", r.access).to_lowercase(),
                r.width,
                r.reset,
                r.doc
            ));
        }
        out
    }
}

fn reg(
    name: &'static str,
    offset: u32,
    access: Access,
    width: u32,
    reset: u32,
    doc: &'static str,
) -> Register {
    Register::new(name, offset, access, width, reset, doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_str;

    fn map() -> RegisterMap {
        let cfg = parse_str("[design]\nname = \"t\"\n", "t").unwrap();
        RegisterMap::for_design(&cfg)
    }

    #[test]
    fn offsets_are_unique_and_word_aligned() {
        let m = map();
        for (i, a) in m.registers.iter().enumerate() {
            assert_eq!(a.offset % 4, 0, "{}", a.name);
            for b in &m.registers[i + 1..] {
                assert_ne!(a.offset, b.offset, "{} and {}", a.name, b.name);
                assert_ne!(a.name, b.name);
            }
        }
    }

    #[test]
    fn address_lookup_respects_base_and_window() {
        let m = map();
        assert_eq!(m.at_address(0x3000_000c).unwrap().name, "threshold");
        assert!(m.at_address(0x3000_000d).is_none());
        assert!(m.at_address(0x3100_000c).is_none());
        assert!(m.at_address(0x3000_0000 + m.window_bytes()).is_none());
    }
}

/// A register name that the map does not have.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the register map has no register `{0}`")]
pub struct UnknownRegister(pub String);

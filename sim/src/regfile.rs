//! Cycle-accurate golden model of the Wishbone register bank, written from
//! the register-map description alone (not from the RTL), so that agreement
//! between the two is evidence.
//!
//! Behaviour (see `hdl/src/regfile/front.rs` for the contract):
//! - a request is `stb & cyc` while no acknowledge is pending; it is acted
//!   on at the clock edge and acknowledged for one cycle after it;
//! - writes honour byte lanes (`sel`) and the register's implemented width;
//! - reads are sampled at the request edge into the read-data register,
//!   which is cleared by write requests and otherwise holds;
//! - addresses outside the window, unaligned or unmapped change nothing and
//!   read as 0; `pulse` registers present masked write data for one cycle.

use memforge_spec::{Access, Register, RegisterMap};

/// One cycle's Wishbone inputs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WbIn {
    pub stb: bool,
    pub cyc: bool,
    pub we: bool,
    pub sel: u8,
    pub adr: u32,
    pub dat: u32,
}

#[derive(Clone, Debug)]
pub struct RegFileModel {
    map: RegisterMap,
    /// Current value per register (storage for rw, strobe for pulse).
    values: Vec<u32>,
    /// Hardware-driven values of `ro` registers, as last presented.
    ack: bool,
    rdata: u32,
    /// Register index per word of the address window (`None`: unmapped),
    /// precomputed because decoding by search on every request dominated
    /// the co-simulation's time.
    decode: Vec<Option<u16>>,
    /// Indices of the `pulse` registers (cleared every edge).
    pulses: Vec<usize>,
}

fn lane_mask(sel: u8) -> u32 {
    (0..4)
        .filter(|i| sel & (1 << i) != 0)
        .fold(0, |m, i| m | (0xff << (8 * i)))
}

impl RegFileModel {
    /// A model in its reset state.
    pub fn new(map: &RegisterMap) -> Self {
        let index = |r: &Register| map.registers.iter().position(|q| q.name == r.name);
        let decode = (0..map.window_bytes() / 4)
            .map(|w| {
                map.at_address(map.base_address.wrapping_add(4 * w))
                    .and_then(index)
                    .map(|i| i as u16)
            })
            .collect();
        let pulses = (0..map.registers.len())
            .filter(|&i| map.registers[i].access == Access::Pulse)
            .collect();
        let mut m = Self {
            map: map.clone(),
            values: vec![0; map.registers.len()],
            ack: false,
            rdata: 0,
            decode,
            pulses,
        };
        m.reset();
        m
    }

    pub fn map(&self) -> &RegisterMap {
        &self.map
    }

    /// Puts every register at its reset value.
    pub fn reset(&mut self) {
        for (v, r) in self.values.iter_mut().zip(&self.map.registers) {
            *v = match r.access {
                Access::Rw | Access::Const => r.reset,
                Access::Ro | Access::Pulse => 0,
            };
        }
        self.ack = false;
        self.rdata = 0;
    }

    pub fn ack(&self) -> bool {
        self.ack
    }

    pub fn rdata(&self) -> u32 {
        self.rdata
    }

    /// The value the hardware sees from register `name` (rw storage or the
    /// current strobe of a pulse register).
    pub fn hw_value(&self, name: &str) -> u32 {
        self.index(name).map_or(0, |i| self.values[i])
    }

    /// Index of register `name`, for [`Self::value`] (resolve once, read
    /// every cycle).
    pub fn index(&self, name: &str) -> Option<usize> {
        self.map.registers.iter().position(|r| r.name == name)
    }

    /// [`Self::hw_value`] of the register at `index`.
    #[inline]
    pub fn value(&self, index: usize) -> u32 {
        self.values[index]
    }

    /// The register index at bus address `adr` (as `RegisterMap::at_address`).
    #[inline]
    fn decode(&self, adr: u32) -> Option<usize> {
        let window = self.map.window_bytes();
        if adr & !(window - 1) != self.map.base_address || !adr.is_multiple_of(4) {
            return None;
        }
        self.decode[((adr - self.map.base_address) / 4) as usize].map(usize::from)
    }

    /// One rising edge. `ro_value(reg)` gives what the hardware presents on a
    /// read-only register this cycle.
    pub fn clock(&mut self, bus: &WbIn, ro_value: &dyn Fn(&Register) -> u32) {
        self.edge(bus, |_, r| ro_value(r))
    }

    /// [`Self::clock`] with the read-only values given by register index
    /// (no name comparison on the per-cycle path).
    pub fn clock_indexed(&mut self, bus: &WbIn, ro_value: impl Fn(usize) -> u32) {
        self.edge(bus, |i, _| ro_value(i))
    }

    fn edge(&mut self, bus: &WbIn, ro_value: impl Fn(usize, &Register) -> u32) {
        let request = bus.stb && bus.cyc && !self.ack;
        let target = if request { self.decode(bus.adr) } else { None };
        // Pulse strobes last exactly one cycle.
        for &i in &self.pulses {
            self.values[i] = 0;
        }
        if request {
            self.rdata = 0;
            if !bus.we {
                if let Some(i) = target {
                    let r = &self.map.registers[i];
                    self.rdata = match r.access {
                        Access::Ro => ro_value(i, r) & r.mask(),
                        Access::Pulse => 0,
                        Access::Rw | Access::Const => self.values[i],
                    };
                }
            } else if let Some(i) = target {
                let r = &self.map.registers[i];
                let lanes = lane_mask(bus.sel) & r.mask();
                match r.access {
                    Access::Rw => self.values[i] = (self.values[i] & !lanes) | (bus.dat & lanes),
                    Access::Pulse => self.values[i] = bus.dat & lanes,
                    Access::Ro | Access::Const => {}
                }
            }
        }
        self.ack = request;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use memforge_spec::parse_str;

    fn model() -> RegFileModel {
        let cfg = parse_str("[design]\nname = \"t\"\n", "t").unwrap();
        RegFileModel::new(&RegisterMap::for_design(&cfg))
    }

    fn write(m: &mut RegFileModel, adr: u32, dat: u32, sel: u8) {
        let bus = WbIn {
            stb: true,
            cyc: true,
            we: true,
            sel,
            adr,
            dat,
        };
        m.clock(&bus, &|_| 0);
        assert!(m.ack());
        m.clock(&bus, &|_| 0);
        assert!(!m.ack());
    }

    fn read(m: &mut RegFileModel, adr: u32) -> u32 {
        let bus = WbIn {
            stb: true,
            cyc: true,
            we: false,
            sel: 0xf,
            adr,
            dat: 0,
        };
        m.clock(&bus, &|r| if r.name == "dropped" { 0xabcd_1234 } else { 0 });
        assert!(m.ack());
        let value = m.rdata();
        m.clock(&WbIn::default(), &|_| 0);
        assert!(!m.ack());
        value
    }

    #[test]
    fn byte_lanes_and_width_are_honoured() {
        let mut m = model();
        write(&mut m, 0x3000_0018, 0xdead_beef, 0b0101);
        assert_eq!(read(&mut m, 0x3000_0018), 0x00ad_00ef);
        write(&mut m, 0x3000_000c, 0xffff_ffff, 0xf);
        assert_eq!(m.hw_value("threshold"), 0xffff);
    }

    #[test]
    fn unmapped_and_readonly_writes_change_nothing() {
        let mut m = model();
        let before = m.values.clone();
        write(&mut m, 0x3000_03fc, 1, 0xf);
        write(&mut m, 0x3100_000c, 1, 0xf);
        write(&mut m, 0x3000_0000, 1, 0xf);
        assert_eq!(m.values, before);
        assert_eq!(read(&mut m, 0x3000_0020), 0x1234);
        assert_eq!(
            read(&mut m, 0x3000_0000),
            memforge_spec::regmap::ID_MAGIC | memforge_spec::regmap::REGMAP_VERSION
        );
    }

    #[test]
    fn pulses_last_one_cycle() {
        let mut m = model();
        let bus = WbIn {
            stb: true,
            cyc: true,
            we: true,
            sel: 1,
            adr: 0x3000_0024,
            dat: 0x1ff,
        };
        m.clock(&bus, &|_| 0);
        let width_mask = m.map().get("cmd").unwrap().mask();
        assert_eq!(m.hw_value("cmd"), 0xff & width_mask);
        m.clock(&WbIn::default(), &|_| 0);
        assert_eq!(m.hw_value("cmd"), 0);
    }
}

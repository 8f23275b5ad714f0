//! [`RegFileModel`] seen at the ports of the RTL register bank (`RegBank`):
//! the adapter that lets the lock-step harness compare the two.
//!
//! Ports (by name; the clock is not one): `rst_n` (active low, reset at the
//! edge when low, which gives the same post-edge state for synchronous and
//! asynchronous reset), the Wishbone slave `wbs_*`, and one port per
//! register with a hardware side: an input for `ro` registers, an output
//! for `rw` and `pulse` registers, each exactly the register's width.

use crate::cycle::{CycleModel, PortLayout, PortSpec};
use crate::regfile::{RegFileModel, WbIn};
use memforge_spec::{Access, RegisterMap};

/// Word offsets of the bus ports in the packed values.
#[derive(Clone, Debug)]
struct Bus {
    rst_n: usize,
    stb: usize,
    cyc: usize,
    we: usize,
    sel: usize,
    dat: usize,
    adr: usize,
    ack: usize,
    rdata: usize,
}

#[derive(Clone, Debug)]
pub struct RegBankPorts {
    model: RegFileModel,
    layout: PortLayout,
    bus: Bus,
    /// (register name, word offset) of `ro` inputs.
    ro_inputs: Vec<(&'static str, usize)>,
    /// (register name, word offset) of register outputs.
    reg_outputs: Vec<(&'static str, usize)>,
    /// Current value of each register output. `RegFileModel` looks
    /// registers up by name, which would dominate the co-simulation's time
    /// if done for every output every cycle; the values only change on a
    /// write request, a reset or a pulse ending, so they are refreshed then.
    reg_values: Vec<u64>,
    /// Whether a pulse register output is non-zero (it clears next edge).
    pulsing: bool,
    /// Which register outputs are pulse registers.
    is_pulse: Vec<bool>,
}

fn port(name: &str, input: bool, width: u32) -> PortSpec {
    PortSpec {
        name: name.to_string(),
        input,
        width,
    }
}

/// The ports of the register bank of `map`, without the clock.
pub fn regbank_ports(map: &RegisterMap) -> Vec<PortSpec> {
    let mut ports = vec![
        port("rst_n", true, 1),
        port("wbs_stb_i", true, 1),
        port("wbs_cyc_i", true, 1),
        port("wbs_we_i", true, 1),
        port("wbs_sel_i", true, 4),
        port("wbs_dat_i", true, 32),
        port("wbs_adr_i", true, 32),
        port("wbs_ack_o", false, 1),
        port("wbs_dat_o", false, 32),
    ];
    for r in map.registers.iter().filter(|r| r.hw_port) {
        ports.push(port(r.name, r.access == Access::Ro, r.width));
    }
    ports
}

impl RegBankPorts {
    /// The adapter around `model` (whose register map decides the ports).
    pub fn new(model: RegFileModel) -> Self {
        let layout = PortLayout::new(regbank_ports(model.map()));
        let at = |name: &str| layout.index_of(name).map_or(0, |i| layout.range(i).start);
        let bus = Bus {
            rst_n: at("rst_n"),
            stb: at("wbs_stb_i"),
            cyc: at("wbs_cyc_i"),
            we: at("wbs_we_i"),
            sel: at("wbs_sel_i"),
            dat: at("wbs_dat_i"),
            adr: at("wbs_adr_i"),
            ack: at("wbs_ack_o"),
            rdata: at("wbs_dat_o"),
        };
        let hw = model.map().registers.iter().filter(|r| r.hw_port);
        let ro_inputs = hw
            .clone()
            .filter(|r| r.access == Access::Ro)
            .map(|r| (r.name, at(r.name)))
            .collect();
        let outs: Vec<_> = hw.filter(|r| r.access != Access::Ro).collect();
        let reg_outputs: Vec<_> = outs.iter().map(|r| (r.name, at(r.name))).collect();
        let is_pulse = outs.iter().map(|r| r.access == Access::Pulse).collect();
        let mut ports = Self {
            model,
            layout,
            bus,
            ro_inputs,
            reg_values: vec![0; reg_outputs.len()],
            reg_outputs,
            pulsing: false,
            is_pulse,
        };
        ports.refresh();
        ports
    }

    fn refresh(&mut self) {
        for (v, (name, _)) in self.reg_values.iter_mut().zip(&self.reg_outputs) {
            *v = u64::from(self.model.hw_value(name));
        }
        self.pulsing = self
            .reg_values
            .iter()
            .zip(&self.is_pulse)
            .any(|(v, p)| *p && *v != 0);
    }

    pub fn model(&self) -> &RegFileModel {
        &self.model
    }
}

impl CycleModel for RegBankPorts {
    fn layout(&self) -> &PortLayout {
        &self.layout
    }

    fn tick(&mut self, values: &[u64]) {
        if values[self.bus.rst_n] & 1 == 0 {
            self.model.reset();
            self.refresh();
            return;
        }
        let b = &self.bus;
        let bus = WbIn {
            stb: values[b.stb] & 1 == 1,
            cyc: values[b.cyc] & 1 == 1,
            we: values[b.we] & 1 == 1,
            sel: (values[b.sel] & 0xf) as u8,
            adr: values[b.adr] as u32,
            dat: values[b.dat] as u32,
        };
        let writes = bus.stb && bus.cyc && bus.we && !self.model.ack();
        let ro = &self.ro_inputs;
        self.model.clock(&bus, &|r| {
            ro.iter()
                .find(|(name, _)| *name == r.name)
                .map_or(0, |(_, at)| values[*at] as u32)
        });
        if writes || self.pulsing {
            self.refresh();
        }
    }

    fn outputs(&self, values: &mut [u64]) {
        values[self.bus.ack] = u64::from(self.model.ack());
        values[self.bus.rdata] = u64::from(self.model.rdata());
        for ((_, at), v) in self.reg_outputs.iter().zip(&self.reg_values) {
            values[*at] = *v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use memforge_spec::parse_str;

    fn ports() -> RegBankPorts {
        let cfg = parse_str("[design]\nname = \"t\"\n", "t").unwrap();
        RegBankPorts::new(RegFileModel::new(&RegisterMap::for_design(&cfg)))
    }

    #[test]
    fn a_write_then_a_read_shows_on_the_ports() {
        let mut m = ports();
        let l = m.layout().clone();
        let mut v = vec![0u64; l.total_words()];
        l.set(&mut v, "rst_n", 1);
        l.set(&mut v, "wbs_stb_i", 1);
        l.set(&mut v, "wbs_cyc_i", 1);
        l.set(&mut v, "wbs_we_i", 1);
        l.set(&mut v, "wbs_sel_i", 0x3);
        l.set(&mut v, "wbs_adr_i", 0x3000_000c);
        l.set(&mut v, "wbs_dat_i", 0x1234_5678);
        m.tick(&v);
        m.outputs(&mut v);
        assert_eq!(l.get(&v, "wbs_ack_o"), 1);
        assert_eq!(l.get(&v, "threshold"), 0x5678);
        l.set(&mut v, "wbs_we_i", 0);
        l.set(&mut v, "wbs_adr_i", 0x3000_001c);
        l.set(&mut v, "status", 0x3a5); // 9 bits wide: 0x1a5
        m.tick(&v); // ack pending: ignored
        m.tick(&v);
        m.outputs(&mut v);
        assert_eq!(l.get(&v, "wbs_dat_o"), 0x1a5);
        l.set(&mut v, "rst_n", 0);
        m.tick(&v);
        m.outputs(&mut v);
        assert_eq!(l.get(&v, "wbs_ack_o"), 0);
        assert_ne!(l.get(&v, "threshold"), 0x5678);
    }

    #[test]
    fn every_hardware_register_has_a_port_of_its_width() {
        let m = ports();
        let l = m.layout();
        for r in &m.model().map().registers {
            match l.index_of(r.name) {
                Some(i) => assert_eq!(l.ports[i], port(r.name, r.access == Access::Ro, r.width)),
                None => assert!(!r.hw_port, "{} has no port", r.name),
            }
        }
        assert!(l.index_of("scratch").is_none());
        assert!(l.index_of("id").is_none());
    }
}

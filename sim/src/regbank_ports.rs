//! [`RegFileModel`] seen at the ports of the RTL register bank (`RegBank`):
//! the adapter that lets the lock-step harness compare the two.
//!
//! Ports (by name; the clock is not one): `rst_n` (active low, reset at the
//! edge when low, which gives the same post-edge state for synchronous and
//! asynchronous reset), the Wishbone slave `wbs_*`, and one port per
//! register with a hardware side: an input for `ro` registers, an output
//! for `rw` and `pulse` registers, each exactly the register's width.

use crate::cycle::{CycleModel, Pin, PortLayout};
use crate::pins::WishbonePins;
use crate::regfile::RegFileModel;
use memforge_spec::{blocks, Access};

#[derive(Clone, Debug)]
pub struct RegBankPorts {
    model: RegFileModel,
    layout: PortLayout,
    rst_n: Pin,
    bus: WishbonePins,
    /// (register name, pin) of `ro` inputs.
    ro_inputs: Vec<(&'static str, Pin)>,
    /// (register name, pin) of register outputs.
    reg_outputs: Vec<(&'static str, Pin)>,
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

impl RegBankPorts {
    /// The adapter around `model` (whose register map decides the ports).
    pub fn new(model: RegFileModel) -> Self {
        let layout = PortLayout::from_contract(&blocks::regbank::contract(model.map()));
        // The layout is the contract of the model's own map: every name
        // below is in it.
        let at = |name: &str| layout.pin(name).expect("the layout is the bank contract's");
        let bus = WishbonePins::new(&layout).expect("the bank contract has the Wishbone slave");
        let rst_n = at(blocks::regbank::RESET);
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
            rst_n,
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
        if !self.rst_n.is_high(values) {
            self.model.reset();
            self.refresh();
            return;
        }
        let bus = self.bus.request(values);
        let writes = bus.stb && bus.cyc && bus.we && !self.model.ack();
        let ro = &self.ro_inputs;
        self.model.clock(&bus, &|r| {
            ro.iter()
                .find(|(name, _)| *name == r.name)
                .map_or(0, |(_, at)| at.get(values) as u32)
        });
        if writes || self.pulsing {
            self.refresh();
        }
    }

    fn outputs(&self, values: &mut [u64]) {
        self.bus.ack.set(values, u64::from(self.model.ack()));
        self.bus.dat_o.set(values, u64::from(self.model.rdata()));
        for ((_, at), v) in self.reg_outputs.iter().zip(&self.reg_values) {
            at.set(values, *v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::PortSpec;
    use memforge_spec::{parse_str, RegisterMap};

    fn set(l: &PortLayout, v: &mut [u64], name: &str, x: u64) {
        l.pin(name).unwrap().set(v, x);
    }

    fn get(l: &PortLayout, v: &[u64], name: &str) -> u64 {
        l.pin(name).unwrap().get(v)
    }

    fn ports() -> RegBankPorts {
        let cfg = parse_str("[design]\nname = \"t\"\n", "t").unwrap();
        RegBankPorts::new(RegFileModel::new(&RegisterMap::for_design(&cfg)))
    }

    #[test]
    fn a_write_then_a_read_shows_on_the_ports() {
        let mut m = ports();
        let l = m.layout().clone();
        let mut v = vec![0u64; l.total_words()];
        set(&l, &mut v, "rst_n", 1);
        set(&l, &mut v, "wbs_stb_i", 1);
        set(&l, &mut v, "wbs_cyc_i", 1);
        set(&l, &mut v, "wbs_we_i", 1);
        set(&l, &mut v, "wbs_sel_i", 0x3);
        set(&l, &mut v, "wbs_adr_i", 0x3000_000c);
        set(&l, &mut v, "wbs_dat_i", 0x1234_5678);
        m.tick(&v);
        m.outputs(&mut v);
        assert_eq!(get(&l, &v, "wbs_ack_o"), 1);
        assert_eq!(get(&l, &v, "threshold"), 0x5678);
        set(&l, &mut v, "wbs_we_i", 0);
        set(&l, &mut v, "wbs_adr_i", 0x3000_001c);
        set(&l, &mut v, "status", 0x3a5); // 9 bits wide: 0x1a5
        m.tick(&v); // ack pending: ignored
        m.tick(&v);
        m.outputs(&mut v);
        assert_eq!(get(&l, &v, "wbs_dat_o"), 0x1a5);
        set(&l, &mut v, "rst_n", 0);
        m.tick(&v);
        m.outputs(&mut v);
        assert_eq!(get(&l, &v, "wbs_ack_o"), 0);
        assert_ne!(get(&l, &v, "threshold"), 0x5678);
    }

    #[test]
    fn every_hardware_register_has_a_port_of_its_width() {
        let m = ports();
        let l = m.layout();
        for r in &m.model().map().registers {
            match l.index_of(r.name) {
                Some(i) => assert_eq!(
                    l.ports[i],
                    PortSpec {
                        name: r.name.to_string(),
                        input: r.access == Access::Ro,
                        width: r.width
                    }
                ),
                None => assert!(!r.hw_port, "{} has no port", r.name),
            }
        }
        assert!(l.index_of("scratch").is_none());
        assert!(l.index_of("id").is_none());
    }
}

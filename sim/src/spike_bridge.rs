//! Golden model of the spike bridge, written from `docs/spike_bridge.md`.
//! Its traffic: `crate::stimulus::bridge_traffic`.

use crate::cycle::{CycleModel, MissingPort, Pin, PortLayout};
use crate::pins::LinkPins;
use memforge_spec::blocks::spike_bridge::{contract, SpikeBridgeConfig, RESET};

/// The bridge's pins.
#[derive(Clone, Debug)]
pub struct BridgePins {
    pub rst_n: Pin,
    pub aer_in: LinkPins,
    pub lines_out: Pin,
    pub lines_in: Pin,
    pub aer_out: LinkPins,
    pub misrouted: Pin,
    pub overruns: Pin,
}

impl BridgePins {
    pub fn new(layout: &PortLayout) -> Result<Self, MissingPort> {
        Ok(Self {
            rst_n: layout.pin(RESET)?,
            aer_in: LinkPins::new(layout, "aer_in_valid", "aer_in_addr", "aer_in_ready")?,
            lines_out: layout.pin("lines_out")?,
            lines_in: layout.pin("lines_in")?,
            aer_out: LinkPins::new(layout, "aer_out_valid", "aer_out_addr", "aer_out_ready")?,
            misrouted: layout.pin("misrouted")?,
            overruns: layout.pin("overruns")?,
        })
    }
}

/// The bridge at its ports, cycle-accurate.
#[derive(Clone, Debug)]
pub struct SpikeBridgeModel {
    layout: PortLayout,
    pins: BridgePins,
    channels: u32,
    neuron_base: u64,
    row_base: u64,
    ready: bool,
    pulses: u64,
    pending: u64,
    out_full: bool,
    out_addr: u64,
    misrouted: u16,
    overruns: u16,
}

impl SpikeBridgeModel {
    pub fn new(cfg: &SpikeBridgeConfig) -> Self {
        let p = &cfg.spike_bridge;
        let layout = PortLayout::from_contract(&contract(p));
        let pins = BridgePins::new(&layout).expect("the layout is the bridge's contract");
        let mut m = Self {
            layout,
            pins,
            channels: p.channels,
            neuron_base: u64::from(p.neuron_base),
            row_base: u64::from(p.row_base),
            ready: false,
            pulses: 0,
            pending: 0,
            out_full: false,
            out_addr: 0,
            misrouted: 0,
            overruns: 0,
        };
        m.reset();
        m
    }

    fn reset(&mut self) {
        self.ready = false;
        self.pulses = 0;
        self.pending = 0;
        self.out_full = false;
        self.out_addr = 0;
        self.misrouted = 0;
        self.overruns = 0;
    }
}

impl CycleModel for SpikeBridgeModel {
    fn layout(&self) -> &PortLayout {
        &self.layout
    }

    fn tick(&mut self, v: &[u64]) {
        let p = &self.pins;
        if !p.rst_n.is_high(v) {
            self.reset();
            return;
        }
        let c = u64::from(self.channels);
        // Spikes to pulses (an 8-bit subtraction, as the RTL's).
        let take_in = p.aer_in.valid.is_high(v) && self.ready;
        let addr = p.aer_in.addr.get(v);
        let offset = addr.wrapping_sub(self.neuron_base) & 0xff;
        let in_range = addr >= self.neuron_base && offset < c;
        self.pulses = if take_in && in_range { 1 << offset } else { 0 };
        if take_in && !in_range {
            self.misrouted = self.misrouted.wrapping_add(1);
        }
        self.ready = true;

        // Pulses to events: the highest pending line first.
        let space = !self.out_full || p.aer_out.ready.is_high(v);
        let grant = (0..c).rev().find(|&i| self.pending >> i & 1 != 0);
        let taken = match (space, grant) {
            (true, Some(i)) => 1 << i,
            _ => 0,
        };
        let lines_in = p.lines_in.get(v) & ((1 << c) - 1);
        if lines_in & self.pending & !taken != 0 {
            self.overruns = self.overruns.wrapping_add(1);
        }
        self.pending = (self.pending & !taken) | lines_in;
        if space {
            self.out_full = grant.is_some();
            if let Some(i) = grant {
                self.out_addr = (self.row_base + i) & 0xff;
            }
        }
    }

    fn outputs(&self, v: &mut [u64]) {
        let p = &self.pins;
        p.aer_in.ready.set(v, u64::from(self.ready));
        p.lines_out.set(v, self.pulses);
        p.aer_out.valid.set(v, u64::from(self.out_full));
        p.aer_out.addr.set(v, self.out_addr);
        p.misrouted.set(v, u64::from(self.misrouted));
        p.overruns.set(v, u64::from(self.overruns));
    }
}

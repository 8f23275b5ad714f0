//! Seeded traffic for the spike bridge: an AER source of neuron spikes
//! (mostly mapped neurons, some outside the range), random pulses on the
//! routing side's lines (epochs of silence up to every line every cycle,
//! so overruns happen), an AER sink with stalls, and resets now and then.

use super::aer_link::{AerSink, AerSource};
use super::bits::{field_below, per256, Bits};
use super::Stimulus;
use crate::cycle::{MissingPort, PortLayout};
use crate::spike_bridge::BridgePins;
use memforge_spec::blocks::spike_bridge::SpikeBridgeConfig;
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;

/// What the bridge traffic exercised.
#[derive(Clone, Debug, Default, Serialize)]
pub struct BridgeCoverage {
    pub cycles: u64,
    pub resets: u64,
    /// Spikes the bridge took from the neuron side, and how many of them
    /// came from neurons outside the mapped range.
    pub spikes_in: u64,
    pub spikes_unmapped: u64,
    /// Pulses it put on the routing side's lines (cycles with any).
    pub pulse_cycles_out: u64,
    /// Pulses arriving from the routing side (lines, summed).
    pub pulses_in: u64,
    /// Events it delivered to the neuron side.
    pub events_out: u64,
    pub output_backpressure_cycles: u64,
}

pub struct BridgeTraffic {
    rng: Bits,
    pins: BridgePins,
    source: AerSource,
    sink: AerSink,
    channels: u32,
    neuron_base: u64,
    rate: u64,
    reset_left: u32,
    cov: Rc<RefCell<BridgeCoverage>>,
}

impl BridgeTraffic {
    pub fn new(
        cfg: &SpikeBridgeConfig,
        layout: &PortLayout,
        seed: u64,
    ) -> Result<Self, MissingPort> {
        let pins = BridgePins::new(layout)?;
        Ok(Self {
            rng: Bits::new(seed),
            source: AerSource::new(pins.aer_in),
            sink: AerSink::new(pins.aer_out),
            pins,
            channels: cfg.spike_bridge.channels,
            neuron_base: u64::from(cfg.spike_bridge.neuron_base),
            rate: 0,
            reset_left: 2,
            cov: Rc::default(),
        })
    }

    /// The live coverage counters.
    pub fn coverage(&self) -> Rc<RefCell<BridgeCoverage>> {
        Rc::clone(&self.cov)
    }
}

impl Stimulus for BridgeTraffic {
    fn drive(&mut self, cycle: u64, v: &mut [u64]) {
        let w = self.rng.word();
        let mut cov = self.cov.borrow_mut();
        cov.cycles += 1;
        if self.reset_left == 0 && cycle > 0 && w & 0x1fff == 0 {
            self.reset_left = 1 + field_below(w >> 13, 8, 3) as u32;
            cov.resets += 1;
        }
        let reset = self.reset_left > 0;
        self.reset_left = self.reset_left.saturating_sub(1);
        self.pins.rst_n.set(v, u64::from(!reset));
        if reset {
            self.source.abort();
        }

        let (base, c) = (self.neuron_base, u64::from(self.channels));
        if let Some(addr) = self.source.drive(cycle, &mut self.rng, v, |r| {
            let x = r.word();
            if field_below(x, 8, 10) == 0 {
                x >> 8 & 0xff
            } else {
                base + field_below(x >> 8, 16, c)
            }
        }) {
            cov.spikes_in += 1;
            if !(base..base + c).contains(&addr) {
                cov.spikes_unmapped += 1;
            }
        }
        if self.pins.lines_out.get(v) != 0 {
            cov.pulse_cycles_out += 1;
        }

        if cycle.is_multiple_of(512) {
            self.rate = [0, per256(5), per256(30), per256(95)][(w >> 62) as usize];
        }
        let mut lines = 0u64;
        for i in 0..self.channels {
            if self.rng.range(0, 256) < self.rate {
                lines |= 1 << i;
            }
        }
        cov.pulses_in += u64::from(lines.count_ones());
        self.pins.lines_in.set(v, lines);

        let offered = self.pins.aer_out.valid.is_high(v);
        match self.sink.drive(&mut self.rng, v) {
            Some(_) => cov.events_out += 1,
            None if offered => cov.output_backpressure_cycles += 1,
            None => {}
        }
    }
}

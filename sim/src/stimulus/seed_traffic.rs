//! Seeded traffic for the seed tile variants (`[neuron] kind = "mif" |
//! "pnn"`), playing their analog macro with the seed circuits' Rust
//! models (`crate::seed_tile::SeedMacro`): each cycle the macro advances
//! one clock period under the row pulses (and PNN reset switches) the
//! periphery drives in that cycle, and the comparator bits it ends with
//! are the inputs sampled at the cycle's edge.
//!
//! Besides the macro: random AER input spikes (rows in range, 1 in 32 out
//! of range), a random AER sink with stalls, a scripted Wishbone master
//! (`ctrl[0] = 1` after every reset, then now and then a read of any
//! register, a new `hold`, a `cmd[0]` clear, or a pause of `ctrl[0]`),
//! and a reset about every 2^18 cycles. The macro keeps running through a
//! reset of the periphery (it is analog and not reset by it).

use super::aer_link::{AerSink, AerSource};
use super::bits::{field_below, Bits};
use super::bus_script::BusScript;
use super::Stimulus;
use crate::cycle::{MissingPort, PortLayout};
use crate::seed_tile::{SeedMacro, SeedPins};
use memforge_spec::seed::tile::register_map;
use memforge_spec::{DesignConfig, NeuronKind};
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;

/// What the traffic exercised.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SeedCoverage {
    pub cycles: u64,
    pub resets: u64,
    pub events_sent: u64,
    /// Cycles with at least one row pulsed.
    pub pulse_cycles: u64,
    /// Rising edges of the macro's comparators (all columns).
    pub comparator_rises: u64,
    /// Output events taken by the sink, per column.
    pub spikes_per_column: Vec<u64>,
    /// Cycles with a PNN reset switch closed.
    pub reset_cycles: u64,
    pub bus_ops: u64,
    pub in_backpressure_cycles: u64,
    pub out_backpressure_cycles: u64,
}

pub struct SeedTraffic {
    rng: Bits,
    pins: SeedPins,
    analog: SeedMacro,
    dt: f64,
    rows: u64,
    bus: BusScript,
    source: AerSource,
    sink: AerSink,
    base: u32,
    window: u32,
    /// Addresses of `ctrl`, `hold` and `cmd`.
    ctrl: u32,
    hold: u32,
    cmd: u32,
    hold_max: u64,
    hold_min: u64,
    reset_left: u32,
    paused: bool,
    pulsed: Vec<bool>,
    closed: Vec<bool>,
    cmp: Vec<bool>,
    cov: Rc<RefCell<SeedCoverage>>,
}

/// Why the traffic cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum SeedTrafficError {
    #[error(transparent)]
    Port(#[from] MissingPort),
    #[error("neuron.kind = \"{0}\" has no analog macro to play")]
    NoMacro(&'static str),
}

impl SeedTraffic {
    pub fn new(
        cfg: &DesignConfig,
        layout: &PortLayout,
        seed: u64,
    ) -> Result<Self, SeedTrafficError> {
        let pins = SeedPins::new(layout, cfg)?;
        let analog =
            SeedMacro::new(cfg).ok_or(SeedTrafficError::NoMacro(cfg.neuron.kind.name()))?;
        let map = register_map(cfg);
        let (rows, cols) = (cfg.tile.rows as usize, cfg.tile.cols as usize);
        Ok(Self {
            rng: Bits::new(seed),
            source: AerSource::new(pins.aer_in),
            sink: AerSink::new(pins.aer_out),
            pins,
            analog,
            dt: cfg.flow.clock_period_ns * 1e-9,
            rows: rows as u64,
            bus: BusScript::new(crate::pins::WishbonePins::new(layout)?),
            base: map.base_address,
            window: map.window_bytes(),
            ctrl: map.base_address + map.offset_of("ctrl").map_err(|_| missing("ctrl"))?,
            hold: map.base_address + map.offset_of("hold").map_err(|_| missing("hold"))?,
            cmd: map.base_address + map.offset_of("cmd").map_err(|_| missing("cmd"))?,
            // The PNN column needs its reset switch closed at least a cycle.
            hold_min: u64::from(cfg.neuron.kind == NeuronKind::Pnn),
            hold_max: 8,
            reset_left: 3,
            paused: false,
            pulsed: vec![false; rows],
            closed: vec![false; cols],
            cmp: vec![false; cols],
            cov: Rc::new(RefCell::new(SeedCoverage {
                spikes_per_column: vec![0; cols],
                ..Default::default()
            })),
        })
    }

    /// The counters (live).
    pub fn coverage(&self) -> Rc<RefCell<SeedCoverage>> {
        Rc::clone(&self.cov)
    }

    /// Queues the next bus operation, if any is due.
    fn bus_op(&mut self, w: u64) {
        if self.paused {
            if field_below(w, 8, 64) == 0 {
                self.bus.write(self.ctrl, 1);
                self.paused = false;
            }
            return;
        }
        if field_below(w, 12, 2048) != 0 {
            return;
        }
        match field_below(w >> 12, 4, 10) {
            0..=5 => self
                .bus
                .read(self.base + 4 * field_below(w >> 16, 8, u64::from(self.window / 4)) as u32),
            6 | 7 => {
                let hold = self.hold_min + field_below(w >> 16, 8, self.hold_max - self.hold_min);
                self.bus.write(self.hold, hold as u32);
            }
            8 => self.bus.write(self.cmd, 1),
            _ => {
                self.bus.write(self.ctrl, 0);
                self.paused = true;
            }
        }
    }
}

/// A register the variants' map must have, as a missing port would be.
fn missing(name: &str) -> MissingPort {
    MissingPort {
        port: format!("register {name}"),
        known: Vec::new(),
    }
}

impl Stimulus for SeedTraffic {
    fn drive(&mut self, cycle: u64, v: &mut [u64]) {
        let counters = Rc::clone(&self.cov);
        let mut cov = counters.borrow_mut();
        cov.cycles += 1;
        let w = self.rng.word();
        if self.reset_left == 0 && cycle > 0 && field_below(w, 18, 1 << 18) == 0 {
            self.reset_left = 3;
        }
        let in_reset = self.reset_left > 0;
        if in_reset {
            self.reset_left -= 1;
            if self.reset_left == 0 {
                cov.resets += 1;
                self.bus.abort();
                self.source.abort();
                self.paused = false;
                self.bus.write(self.ctrl, 1);
            }
        }
        self.pins.rst.set(v, u64::from(in_reset));

        // The analog macro over this cycle, under the pulses driven now.
        for (on, pin) in self.pulsed.iter_mut().zip(&self.pins.pulse) {
            *on = pin.is_high(v);
        }
        for (on, pin) in self.closed.iter_mut().zip(&self.pins.reset) {
            *on = pin.is_high(v);
        }
        if self.pulsed.iter().any(|b| *b) {
            cov.pulse_cycles += 1;
        }
        if self.closed.iter().any(|b| *b) {
            cov.reset_cycles += 1;
        }
        self.analog.advance(self.dt, &self.pulsed, &self.closed);
        for (j, pin) in self.pins.spike.iter().enumerate() {
            let now = self.analog.comparator(j);
            if now && !self.cmp[j] {
                cov.comparator_rises += 1;
            }
            self.cmp[j] = now;
            pin.set(v, u64::from(now));
        }

        // Bus, AER in and out.
        if !in_reset {
            if self.bus.idle() {
                self.bus_op(w >> 20);
            }
            if self.bus.drive(v).is_some() {
                cov.bus_ops += 1;
            }
        }
        let rows = self.rows;
        let sent = self.source.drive(cycle, &mut self.rng, v, |r| {
            let w = r.word();
            if field_below(w, 5, 32) == 0 {
                rows + field_below(w >> 8, 8, 256 - rows.min(255))
            } else {
                field_below(w >> 8, 8, rows)
            }
        });
        if sent.is_some() && !in_reset {
            cov.events_sent += 1;
        }
        cov.in_backpressure_cycles = self.source.backpressured;
        if let Some(col) = self.sink.drive(&mut self.rng, v) {
            if !in_reset {
                if let Some(c) = cov.spikes_per_column.get_mut(col as usize) {
                    *c += 1;
                }
            }
        }
        cov.out_backpressure_cycles = self.sink.backpressured;
    }
}

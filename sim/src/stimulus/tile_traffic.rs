//! Seeded random traffic for the full tile (`TileModel` against its RTL),
//! with the harness playing the analog crossbar macro.
//!
//! Per cycle: resets now and then (mid-run, 1 to 3 cycles); a Wishbone
//! master ([`TileMaster`]) configuring the tile and starting programming
//! requests; AER input events at a rate that changes every 1,024 cycles
//! (idle, moderate, flooding), some with out-of-range rows; output
//! backpressure (`aer_out_ready` low at random and in long stalls); and
//! the macro of the config's `[analog] macro_model` ([`IdealXbar`] by
//! default, realistic devices with `"device"`: `macro_from_config`)
//! answering the tile's `xbar_*` commands, with deaf spells (reads time
//! out), garbage codes while not valid and the odd spurious
//! `xbar_adc_valid`. Either way RTL and model see the same macro outputs,
//! so a device macro changes what is exercised (state-dependent SET
//! steps, read noise, write-verify that takes several pulses), not what
//! must agree.
//!
//! The macro is fed the tile outputs seen on entry to [`Stimulus::drive`],
//! which are the golden model's; they equal the RTL's until the first
//! mismatch, where the run stops. Everything is decided from a few 64-bit
//! draws per cycle (see [`super::bits`]) and no port is looked up by name
//! after construction, so the traffic costs little next to the RTL.

use super::bits::{byte, field_below, per256, Bits};
use super::tile_coverage::{bump, CoverageCells, CoverageProbe};
use super::tile_master::{Done, TileMaster};
use super::Stimulus;
use crate::analog::{macro_from_config, AnalogError};
use crate::cycle::{MissingPort, PortLayout};
use crate::tile::pins::TilePins;
use crate::tile::sequencer::{OP_READ, OP_RESET, OP_SET};
use crate::tile::trace_macro::TraceBank;
#[cfg(doc)]
use crate::tile::xbar::IdealXbar;
use crate::tile::xbar::XbarMacro;
use memforge_spec::{Derived, DesignConfig, RegisterMap};
use std::rc::Rc;

/// The traffic cannot drive this design.
#[derive(Debug, thiserror::Error)]
pub enum TrafficError {
    #[error("the tile traffic cannot drive this layout: {0}")]
    Port(#[from] MissingPort),
    #[error("the tile traffic cannot program this design: {0}")]
    Register(#[from] memforge_spec::UnknownRegister),
    #[error("the tile traffic cannot build the crossbar macro model: {0}")]
    Macro(#[from] AnalogError),
    #[error("the tile traffic cannot load the macro's initial levels: {0}")]
    Load(String),
}

/// Cycles of reset at the start, so RTL and model start from one state.
const INITIAL_RESET: u32 = 3;

pub struct TileTraffic {
    rng: Bits,
    at: TilePins,
    xbar: Box<dyn XbarMacro>,
    /// The PCM trace array behind the same port (`rule = "pcm_trace"`).
    trace: Option<TraceBank>,
    master: TileMaster,
    rows: u64,
    reset_left: u32,
    /// Remaining cycles of an output stall / of a deaf macro.
    stall: u32,
    deaf: u32,
    /// `aer_in_valid` probability (per 256) of the current epoch.
    rate: u64,
    cov: CoverageProbe,
}

impl TileTraffic {
    /// Traffic for the tile of `cfg` whose ports are `layout` (the model's).
    /// The macro's latency (1 to 3 cycles) and cell levels come from `seed`
    /// (a device macro is programmed to those levels by one write-verify
    /// step per cell, with its programming error).
    pub fn new(cfg: &DesignConfig, layout: &PortLayout, seed: u64) -> Result<Self, TrafficError> {
        let d = Derived::of(cfg);
        let t = &cfg.tile;
        let mut rng = Bits::new(seed);
        let latency = rng.range(1, 4) as usize;
        let mut xbar = macro_from_config(cfg, latency)?;
        for r in 0..t.rows as usize {
            for c in 0..t.cols as usize {
                let level = rng.range(0, u64::from(d.adc_max) + 1) as u16;
                xbar.load_cell(r, c, level).map_err(TrafficError::Load)?;
            }
        }
        Ok(Self {
            at: TilePins::new(layout)?,
            xbar,
            trace: (cfg.learning.rule == memforge_spec::learning::LearningRule::PcmTrace)
                .then(|| TraceBank::new(cfg, latency, seed)),
            master: {
                let m = TileMaster::new(&RegisterMap::for_design(cfg), t.rows, t.cols, d.adc_max)?;
                match memforge_spec::learning::learning_map(cfg) {
                    Some(map)
                        if cfg.learning.rule == memforge_spec::learning::LearningRule::Eprop =>
                    {
                        m.with_learning(super::tile_master::LearnRequests::Eprop(
                            super::eprop_requests::EpropRequests::new(&map, u64::from(d.adc_max))?,
                        ))
                    }
                    Some(map)
                        if cfg.learning.rule == memforge_spec::learning::LearningRule::PcmTrace =>
                    {
                        m.with_learning(super::tile_master::LearnRequests::PcmTrace(
                            super::pcm_trace_requests::PcmTraceRequests::new(
                                &map,
                                u64::from(d.adc_max),
                            )?,
                        ))
                    }
                    _ => m,
                }
            },
            rows: u64::from(t.rows),
            reset_left: INITIAL_RESET,
            stall: 0,
            deaf: 0,
            rate: per256(30),
            cov: Rc::new(CoverageCells::default()),
            rng,
        })
    }

    /// The counters of what this traffic exercised (shared, live).
    pub fn coverage(&self) -> CoverageProbe {
        Rc::clone(&self.cov)
    }

    /// The macro as it is now (cell levels after programming).
    pub fn xbar(&self) -> &dyn XbarMacro {
        self.xbar.as_ref()
    }

    fn drive_reset(&mut self, cycle: u64, word: u64, v: &mut [u64]) -> bool {
        if self.reset_left == 0 && cycle > 0 && word & 0xfff == 0 {
            // About one reset every 4,096 cycles, 1 to 3 cycles long.
            self.reset_left = 1 + field_below(word >> 12, 8, 3) as u32;
            bump(&self.cov.resets);
        }
        let asserted = self.reset_left > 0;
        self.reset_left = self.reset_left.saturating_sub(1);
        self.at.rst.set(v, u64::from(asserted));
        if asserted {
            bump(&self.cov.reset_cycles);
            self.master.abort();
        }
        asserted
    }

    fn drive_bus(&mut self, word: u64, v: &mut [u64]) {
        let at = &self.at;
        let acked = at.wb.ack.is_high(v);
        let (out, done) = self.master.cycle(acked, word, &mut self.rng);
        match done {
            Done::Write(r) => {
                bump(&self.cov.wb_writes);
                if r.adr == self.master.cmd_address() && r.sel & 1 != 0 && r.dat & 2 != 0 {
                    bump(&self.cov.prog_requests);
                }
            }
            Done::Read(_) => {
                bump(&self.cov.wb_reads);
                if at.wb.dat_o.is_high(v) {
                    bump(&self.cov.wb_reads_nonzero);
                }
            }
            Done::None => {}
        }
        at.wb.stb.set(v, u64::from(out.stb));
        at.wb.cyc.set(v, u64::from(out.cyc));
        at.wb.we.set(v, u64::from(out.req.we));
        at.wb.sel.set(v, u64::from(out.req.sel));
        at.wb.adr.set(v, u64::from(out.req.adr));
        at.wb.dat_i.set(v, u64::from(out.req.dat));
    }

    /// AER in and out. `word` supplies this cycle's decisions.
    fn drive_aer(&mut self, cycle: u64, word: u64, v: &mut [u64]) {
        let at = &self.at;
        if cycle.is_multiple_of(1024) {
            // A new epoch: idle, moderate or flooding input.
            self.rate = [per256(3), per256(30), per256(30), per256(90)][(word >> 62) as usize];
        }
        let valid = byte(word, 0) < self.rate;
        let addr = if byte(word, 1) < per256(92) {
            field_below(word >> 16, 16, self.rows)
        } else {
            (word >> 16) & 0xff
        };
        at.in_valid.set(v, u64::from(valid));
        at.in_addr.set(v, addr);
        at.in_value.set(v, byte(word, 4));
        if valid {
            if at.in_ready.is_high(v) {
                bump(&self.cov.events_in);
                if addr >= self.rows {
                    bump(&self.cov.events_out_of_range);
                }
            } else {
                bump(&self.cov.input_backpressure_cycles);
            }
        }
        // Output backpressure: stalls of 10..200 cycles (1% of cycles start
        // one), else ready 70% of the time.
        if self.stall == 0 && field_below(word >> 40, 16, 100) == 0 {
            self.stall = 10 + field_below(word >> 20, 8, 190) as u32;
        }
        self.stall = self.stall.saturating_sub(1);
        let ready = self.stall == 0 && byte(word, 7) < per256(70);
        at.out_ready.set(v, u64::from(ready));
        if at.out_valid.is_high(v) {
            if ready {
                bump(&self.cov.spikes_out);
            } else {
                bump(&self.cov.output_backpressure_cycles);
            }
        }
    }

    /// The macro's outputs for this cycle, then its edge with the command
    /// the tile presents in this cycle.
    fn drive_macro(&mut self, word: u64, v: &mut [u64]) {
        let at = &self.at;
        if self.deaf == 0 && field_below(word, 16, 2000) == 0 {
            self.deaf = 50 + field_below(word >> 16, 8, 100) as u32;
        }
        let trace_valid = self.trace.as_ref().is_some_and(|t| t.adc_valid());
        let mut valid = self.xbar.adc_valid() || trace_valid;
        if self.deaf > 0 {
            self.deaf -= 1;
            valid = false;
            bump(&self.cov.deaf_cycles);
        }
        if valid {
            bump(&self.cov.adc_answers);
            let codes = match &self.trace {
                Some(t) if trace_valid => t.adc_codes(),
                _ => self.xbar.adc_codes(),
            };
            for (&p, &c) in at.adc_codes.iter().zip(codes) {
                p.set(v, u64::from(c));
            }
        } else {
            // Garbage on the codes, and a spurious strobe 0.3% of the time.
            let mut g = self.rng.word();
            for (a, &p) in at.adc_codes.iter().enumerate() {
                if a % 5 == 4 {
                    g = self.rng.word();
                }
                p.set(v, (g >> (12 * (a % 5))) & 0xfff);
            }
            if field_below(word >> 32, 16, 1000) < 3 {
                valid = true;
                bump(&self.cov.spurious_adc_strobes);
            }
        }
        at.adc_valid.set(v, u64::from(valid));
        let cmd = at.command(v);
        match cmd.op {
            OP_READ => bump(&self.cov.xbar_reads),
            OP_SET => bump(&self.cov.xbar_sets),
            OP_RESET => bump(&self.cov.xbar_resets),
            _ => {}
        }
        if u64::from(cmd.row) >= self.rows {
            match cmd.op {
                OP_READ => bump(&self.cov.trace_reads),
                OP_SET => bump(&self.cov.trace_sets),
                OP_RESET => bump(&self.cov.trace_resets),
                _ => {}
            }
        }
        self.xbar.clock(&cmd);
        if let Some(t) = &mut self.trace {
            t.clock(&cmd);
        }
    }
}

impl Stimulus for TileTraffic {
    fn drive(&mut self, cycle: u64, values: &mut [u64]) {
        bump(&self.cov.cycles);
        let w0 = self.rng.word();
        let w1 = self.rng.word();
        self.drive_reset(cycle, w0, values);
        self.drive_bus(w0 >> 16, values);
        self.drive_aer(cycle, w1, values);
        self.drive_macro(w0 ^ w1.rotate_left(29), values);
    }

    fn fault(&self) -> Option<String> {
        self.xbar.fault()
    }
}

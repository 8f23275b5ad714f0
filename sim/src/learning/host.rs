//! The host of the learning demos: drives a tile through its ports only
//! (reset, Wishbone, AER in/out) and plays the crossbar macro from the
//! tile's own `xbar_*` outputs, one clock edge at a time. Because nothing
//! else is touched, the same run can be made against the golden model and
//! against the Verilated RTL (`dut`: packed inputs in, one rising edge,
//! packed outputs out) and their results compared bit for bit.
//!
//! The macro is any [`XbarMacro`]: the weight macro of `[analog]
//! macro_model` ([`weight_macro`]) for the e-prop digits, and the same
//! with the PCM trace rows behind its port ([`trace_macro`]) for a
//! `rule = "pcm_trace"` tile.

use crate::analog::macro_from_config;
use crate::cosim::session::bus::{BusEvent, BusMaster};
use crate::cycle::PortLayout;
use crate::tile::pins::TilePins;
use crate::tile::sequencer::{OP_READ, OP_RESET, OP_SET};
use crate::tile::trace_macro::{TraceBank, TraceRows};
use crate::tile::xbar::XbarMacro;
use memforge_spec::blocks::tile::status;
use memforge_spec::{DesignConfig, RegisterMap};

/// Cycles of reset at the start.
pub const RESET_CYCLES: u64 = 3;

/// The weight macro of `cfg` (`[analog] macro_model`), answering READs
/// `latency` edges later.
pub fn weight_macro(cfg: &DesignConfig, latency: usize) -> Result<Box<dyn XbarMacro>, String> {
    macro_from_config(cfg, latency).map_err(|e| format!("the crossbar macro: {e}"))
}

/// The weight macro with the PCM trace array behind the same port (macro
/// rows `rows .. 2 rows`): what a `rule = "pcm_trace"` tile drives.
/// `seed` is mixed into the trace devices' draws.
pub fn trace_macro(
    cfg: &DesignConfig,
    latency: usize,
    seed: u64,
) -> Result<TraceRows<Box<dyn XbarMacro>>, String> {
    Ok(TraceRows {
        weights: weight_macro(cfg, latency)?,
        traces: TraceBank::new(cfg, latency, seed),
    })
}

/// The host: the tile's port driver and the macro behind it.
pub struct Host<F: FnMut(&[u64], &mut [u64]), M: XbarMacro> {
    pins: TilePins,
    dut: F,
    pub xbar: M,
    v: Vec<u64>,
    out: Vec<u64>,
    bus: BusMaster,
    /// Clock edges so far.
    pub cycle: u64,
    /// The input event offered (row, value) until taken.
    offer: Option<(u8, u8)>,
    /// Output spikes per column (AER out) since the host last cleared them.
    pub spikes: Vec<u64>,
    /// SET and RESET commands the macro saw (any row).
    pub sets: u64,
    pub resets: u64,
    /// Of those and of the READs, the commands to the trace rows (macro
    /// rows `>= tile.rows`): partial SETs, READs, RESETs.
    pub trace_ops: [u64; 3],
    rows: u64,
    map: RegisterMap,
    lmap: Option<RegisterMap>,
}

impl<F: FnMut(&[u64], &mut [u64]), M: XbarMacro> Host<F, M> {
    /// A host for the tile of `cfg` (ports `layout`) behind `dut`, with
    /// `xbar` as its macro; nothing is clocked yet.
    pub fn new(cfg: &DesignConfig, layout: &PortLayout, dut: F, xbar: M) -> Result<Self, String> {
        let words = layout.total_words();
        Ok(Self {
            pins: TilePins::new(layout).map_err(|e| e.to_string())?,
            dut,
            xbar,
            v: vec![0; words],
            out: vec![0; words],
            bus: BusMaster::default(),
            cycle: 0,
            offer: None,
            spikes: vec![0; cfg.tile.cols as usize],
            sets: 0,
            resets: 0,
            trace_ops: [0; 3],
            rows: u64::from(cfg.tile.rows),
            map: RegisterMap::for_design(cfg),
            lmap: memforge_spec::learning::learning_map(cfg),
        })
    }

    /// One clock edge; the bus event seen before it.
    pub fn step(&mut self) -> Result<BusEvent, String> {
        let p = &self.pins;
        self.v.copy_from_slice(&self.out);
        p.rst.set(&mut self.v, u64::from(self.cycle < RESET_CYCLES));
        let ev = self.bus.observe(&p.wb, &self.out);
        if ev == BusEvent::Timeout {
            return Err(format!(
                "cycle {}: the tile did not acknowledge a register access",
                self.cycle
            ));
        }
        self.bus.drive(&p.wb, &mut self.v);
        let (row, value) = self.offer.unwrap_or((0, 0));
        p.in_valid.set(&mut self.v, u64::from(self.offer.is_some()));
        p.in_addr.set(&mut self.v, u64::from(row));
        p.in_value.set(&mut self.v, u64::from(value));
        p.out_ready.set(&mut self.v, 1);
        if self.cycle >= RESET_CYCLES && p.out_valid.get(&self.v) != 0 {
            if let Some(s) = self.spikes.get_mut(p.out_addr.get(&self.v) as usize) {
                *s += 1;
            }
        }
        p.adc_valid
            .set(&mut self.v, u64::from(self.xbar.adc_valid()));
        for (pin, c) in p.adc_codes.iter().zip(self.xbar.adc_codes()) {
            pin.set(&mut self.v, u64::from(*c));
        }
        let cmd = p.command(&self.v);
        match cmd.op {
            OP_SET => self.sets += 1,
            OP_RESET => self.resets += 1,
            _ => {}
        }
        if u64::from(cmd.row) >= self.rows {
            match cmd.op {
                OP_SET => self.trace_ops[0] += 1,
                OP_READ => self.trace_ops[1] += 1,
                OP_RESET => self.trace_ops[2] += 1,
                _ => {}
            }
        }
        self.xbar.clock(&cmd);
        let ready = p.in_ready.get(&self.v) != 0;
        (self.dut)(&self.v, &mut self.out);
        if ready && self.cycle >= RESET_CYCLES {
            self.offer = None;
        }
        self.cycle += 1;
        Ok(ev)
    }

    /// `n` edges with nothing new on the ports.
    pub fn idle(&mut self, n: u64) -> Result<(), String> {
        for _ in 0..n {
            self.step()?;
        }
        Ok(())
    }

    /// One Wishbone access (as a CPU: wait for its `ack`); the read data.
    pub fn access(&mut self, we: bool, adr: u32, dat: u32) -> Result<u32, String> {
        self.bus.start(we, adr, dat);
        loop {
            if let BusEvent::Done(d) = self.step()? {
                return Ok(d);
            }
        }
    }

    /// Writes the tile's or the learning window's register `name`.
    pub fn write(&mut self, name: &str, dat: u32) -> Result<(), String> {
        let adr = self.address(name)?;
        self.access(true, adr, dat).map(|_| ())
    }

    /// Reads register `name`.
    pub fn read(&mut self, name: &str) -> Result<u32, String> {
        let adr = self.address(name)?;
        self.access(false, adr, 0)
    }

    /// The bus address of register `name` (the tile's window first, then
    /// the learning registers').
    pub fn address(&self, name: &str) -> Result<u32, String> {
        match self.map.get(name) {
            Some(r) => Ok(self.map.base_address + r.offset),
            None => match &self.lmap {
                Some(l) => l
                    .offset_of(name)
                    .map(|o| l.base_address + o)
                    .map_err(|e| e.to_string()),
                None => Err(format!(
                    "no register `{name}` (the tile has no learning rule)"
                )),
            },
        }
    }

    /// Offers one input event and waits until the tile takes it.
    pub fn event(&mut self, row: u8, value: u8) -> Result<(), String> {
        self.offer = Some((row, value));
        let mut waited = 0u64;
        while self.offer.is_some() {
            self.step()?;
            waited += 1;
            if waited > 1_000_000 {
                return Err(format!("cycle {}: input event never taken", self.cycle));
            }
        }
        Ok(())
    }

    /// Polls `status` until the input FIFO, the sequencer, the neurons and
    /// the output FIFO are all idle: every spike of the events so far has
    /// left through the AER output.
    pub fn quiet(&mut self) -> Result<(), String> {
        let busy = [
            status::IN_NONEMPTY,
            status::OUT_NONEMPTY,
            status::SEQ_BUSY,
            status::PENDING,
        ]
        .iter()
        .fold(0u32, |m, b| m | 1 << b);
        let adr = self.address("status")?;
        for _ in 0..100_000 {
            if self.access(false, adr, 0)? & busy == 0 {
                return Ok(());
            }
        }
        Err(format!("cycle {}: the tile never went quiet", self.cycle))
    }
}

//! The PCM trace array of a `rule = "pcm_trace"` tile as the harness plays
//! it: macro rows `rows .. 2 rows` behind the weight macro's port
//! (`memforge_spec::learning_pcm_trace`), one PCM device per synapse with
//! the drift model of `crate::analog::device::Pcm` (Nandakumar et al.'s
//! SET steps as simplified by Demirag, drift `G_p ((t - t_p)/t0)^-nu`,
//! 1/f read noise). A SET acts on the drifted conductance, so a trace
//! that drifted between two coincidences starts its next step lower; a
//! READ presents `round(G / g_max * adc_max)` per column `latency` edges
//! later, as the weight macro does.
//!
//! Time: the devices' clock is `learning.pcm_trace.seconds_per_cycle`
//! seconds per edge (a time compression of the harness; the hardware
//! never sees it), plus the seconds a host let pass with the tile's clock
//! stopped ([`TraceBank::pause`]). [`TraceRows`] puts the array behind any
//! weight macro.
//!
//! `analog.realistic = false` makes ideal trace devices: mean SET steps,
//! exact RESETs, no read noise, but drift on ([`Pcm::with_drift`]): the
//! drift is the trace's decay, the rule needs it.

use super::sequencer::{XbarCmd, OP_READ, OP_RESET, OP_SET};
use super::xbar::XbarMacro;
use crate::analog::device::{Device, IvLaw, Pcm, Polarity, Pulse, Variation};
use crate::analog::rng::{seeded, AnalogRng};
use memforge_spec::{Derived, DesignConfig};

#[derive(Clone, Debug)]
pub struct TraceBank {
    rows: usize,
    cols: usize,
    latency: usize,
    adc_max: f64,
    g_full_us: f64,
    seconds_per_cycle: f64,
    cells: Vec<Pcm>,
    rng: AnalogRng,
    /// Edges since power-up.
    edges: u64,
    /// Seconds spent with the clock stopped.
    paused_s: f64,
    inflight: Vec<(usize, Vec<u16>)>,
    valid: bool,
    codes: Vec<u16>,
}

impl TraceBank {
    /// Every trace freshly RESET. The devices follow `cfg.analog.pcm` and
    /// `cfg.analog.realistic`; `seed` is mixed into `cfg.analog.seed`.
    pub fn new(cfg: &DesignConfig, latency: usize, seed: u64) -> Self {
        let t = &cfg.tile;
        let a = &cfg.analog;
        let mut rng = seeded(a.seed ^ seed.rotate_left(17) ^ 0x7ace);
        let n = (t.rows * t.cols) as usize;
        let cells = (0..n)
            .map(|_| Pcm::new(a, Variation::NONE, &mut rng).with_drift())
            .collect();
        Self {
            rows: t.rows as usize,
            cols: t.cols as usize,
            latency: latency.max(1),
            adc_max: f64::from(Derived::of(cfg).adc_max),
            g_full_us: a.pcm.g_max_us,
            seconds_per_cycle: cfg.learning.pcm_trace.seconds_per_cycle,
            cells,
            rng,
            edges: 0,
            paused_s: 0.0,
            inflight: Vec::new(),
            valid: false,
            codes: vec![0; t.cols as usize],
        }
    }

    /// Device time (s).
    pub fn now(&self) -> f64 {
        self.edges as f64 * self.seconds_per_cycle + self.paused_s
    }

    /// `seconds` pass with no clock edge (a host that stops the tile's
    /// clock while it waits): the traces drift, nothing else happens.
    pub fn pause(&mut self, seconds: f64) {
        if seconds.is_finite() && seconds > 0.0 {
            self.paused_s += seconds;
        }
    }

    /// The trace row of a macro row, if it is one.
    fn trace_row(&self, row: u8) -> Option<usize> {
        let r = row as usize;
        (r >= self.rows && r < 2 * self.rows).then(|| r - self.rows)
    }

    /// A conductance (µS) as an ADC code.
    fn code(&self, g_us: f64) -> u16 {
        (g_us / self.g_full_us * self.adc_max)
            .round()
            .clamp(0.0, self.adc_max) as u16
    }

    /// Drifted, noise-free conductance of trace (r, c) now (µS).
    pub fn conductance_us(&self, r: usize, c: usize) -> f64 {
        self.cells[r * self.cols + c].conductance(self.now()) * 1e6
    }

    /// Trace (r, c) as a noise-free read would code it now.
    pub fn trace_code(&self, r: usize, c: usize) -> u16 {
        self.code(self.conductance_us(r, c))
    }

    /// One edge with the command of the cycle before it; commands to rows
    /// outside the trace array are not this bank's.
    pub fn clock(&mut self, cmd: &XbarCmd) {
        self.edges += 1;
        self.valid = false;
        let t = self.now();
        if let Some(r) = self.trace_row(cmd.row) {
            let c = cmd.col as usize;
            match cmd.op {
                OP_READ => {
                    let codes = (0..self.cols)
                        .map(|c| {
                            let g = match self.cells[r * self.cols + c].read_law(t, &mut self.rng) {
                                IvLaw::Linear { g } => g * 1e6,
                                IvLaw::Sinh { .. } => 0.0,
                            };
                            self.code(g)
                        })
                        .collect();
                    self.inflight.push((self.latency, codes));
                }
                OP_SET | OP_RESET if c < self.cols => {
                    let pulse = Pulse {
                        polarity: if cmd.op == OP_SET {
                            Polarity::Set
                        } else {
                            Polarity::Reset
                        },
                        volts: f64::from(cmd.amp),
                        seconds: f64::from(u16::from(cmd.width) + 1) * 1e-8,
                    };
                    self.cells[r * self.cols + c].apply_pulse(&pulse, t, &mut self.rng);
                }
                _ => {}
            }
        }
        for f in self.inflight.iter_mut() {
            f.0 -= 1;
        }
        if let Some(pos) = self.inflight.iter().position(|f| f.0 == 0) {
            let (_, codes) = self.inflight.remove(pos);
            self.valid = true;
            self.codes = codes;
        }
    }

    pub fn adc_valid(&self) -> bool {
        self.valid
    }

    pub fn adc_codes(&self) -> &[u16] {
        &self.codes
    }
}

/// A weight macro with the trace array behind the same port: what a
/// `rule = "pcm_trace"` tile drives.
pub struct TraceRows<M> {
    pub weights: M,
    pub traces: TraceBank,
}

impl<M: XbarMacro> XbarMacro for TraceRows<M> {
    fn clock(&mut self, cmd: &XbarCmd) {
        self.weights.clock(cmd);
        self.traces.clock(cmd);
    }
    fn adc_valid(&self) -> bool {
        self.traces.adc_valid() || self.weights.adc_valid()
    }
    fn adc_codes(&self) -> &[u16] {
        if self.traces.adc_valid() {
            self.traces.adc_codes()
        } else {
            self.weights.adc_codes()
        }
    }
    fn fault(&self) -> Option<String> {
        self.weights.fault()
    }
    fn cell_code(&self, row: usize, col: usize) -> Option<u16> {
        self.weights.cell_code(row, col)
    }
    fn load_cell(&mut self, row: usize, col: usize, code: u16) -> Result<(), String> {
        self.weights.load_cell(row, col, code)
    }
    fn pause(&mut self, seconds: f64) {
        self.weights.pause(seconds);
        self.traces.pause(seconds);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(realistic: bool) -> DesignConfig {
        memforge_spec::parse_str(
            &format!("[design]\nname = \"t\"\n[tile]\nrows = 2\ncols = 2\nadc_bits = 6\n[learning]\nrule = \"pcm_trace\"\n[learning.pcm_trace]\nseconds_per_cycle = 1.0\n[analog]\ndevice = \"pcm\"\nrealistic = {realistic}\n[analog.pcm]\ndrift_nu = 0.1\ndrift_t0_s = 10.0\nread_noise = false\nreset_spread = 0.0\n"),
            "t",
        )
        .unwrap()
    }

    fn cmd(op: u8, row: u8, col: u8) -> XbarCmd {
        XbarCmd {
            op,
            row,
            col,
            amp: 8,
            width: 1,
            ..Default::default()
        }
    }

    #[test]
    fn partial_sets_build_a_trace_that_drift_decays_and_reset_erases() {
        let mut b = TraceBank::new(&cfg(true), 1, 0);
        for _ in 0..4 {
            b.clock(&cmd(OP_SET, 3, 1));
        }
        let g0 = b.conductance_us(1, 1);
        // Four steps of about 0.9, 0.8, 0.7, 0.6 µS from 0.1 µS (noisy).
        assert!(g0 > 1.0 && g0 < 6.0, "{g0}");
        assert!(b.conductance_us(0, 1) < 0.2, "other traces untouched");
        for _ in 0..1000 {
            b.clock(&XbarCmd::default());
        }
        // 1000 s later, t0 = 10 s: G = G_p (1000/10)^-0.1 = 0.63 G_p.
        let g1 = b.conductance_us(1, 1);
        assert!((g1 / g0 - 100f64.powf(-0.1)).abs() < 0.01, "{g0} -> {g1}");
        b.clock(&cmd(OP_READ, 3, 0));
        assert!(b.adc_valid());
        assert_eq!(b.adc_codes()[1], b.trace_code(1, 1));
        b.clock(&cmd(OP_RESET, 3, 1));
        assert!(b.conductance_us(1, 1) < 0.2);
    }

    #[test]
    fn weight_rows_are_not_the_banks() {
        let mut b = TraceBank::new(&cfg(false), 2, 0);
        b.clock(&cmd(OP_SET, 1, 1));
        b.clock(&cmd(OP_READ, 0, 0));
        b.clock(&XbarCmd::default());
        assert!(!b.adc_valid());
        assert!(b.conductance_us(1, 1) < 0.2);
    }
}

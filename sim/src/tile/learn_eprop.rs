//! Model of the e-prop controller with mixed-precision accumulation on
//! differential pairs (`docs/learning_eprop.md`; RTL
//! `memforge_hdl::tile::learn_eprop`).
//!
//! Neuron `k` is the column pair `2k` (G+) / `2k + 1` (G-). Per row a
//! filtered pre trace (loaded up by input events, decayed by a shift);
//! per neuron a learning signal `L` (registers) and a pseudo-derivative
//! `h` (0..4, piecewise constant in `v+ - v- - threshold`); per synapse a
//! signed accumulator. An update pass (started by `learn_cmd`) visits
//! every synapse, one per cycle, row-major: `p = sign(L) (|L| trace h >>
//! lr)`; mixed precision adds `p` to the saturating accumulator and
//! crossing `+-epsilon` SETs G+ (G-) and subtracts (adds) epsilon; the
//! sign-update baseline SETs G+ (G-) for any `p > 0` (`< 0`). After a
//! pulse (and `width` wait cycles) the pair is read back when refresh is
//! on: a pair with a device at or above the saturation level is moved,
//! one verified pulse at a time, to `G+ = max(D, 0)`, `G- = max(-D, 0)`
//! with `D` its difference at the first read.
//!
//! The pass is pipelined as the RTL's (three stages, docs/learning_eprop.md
//! "Pipeline"): a synapse issued in one cycle updates its accumulator and
//! may pulse two pass cycles later; each stage reads the registers of its
//! own cycle.

use super::learn_common::{DecayTimer, LearnWindow};
use super::sequencer::{XbarCmd, OP_READ, OP_RESET, OP_SET};
use memforge_spec::learning::LearningRule;
use memforge_spec::learning_eprop::{ctrl, READ_TIMEOUT, SIG_WORDS};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EpropState {
    Idle,
    /// One synapse per cycle.
    Pass,
    /// `width` cycles after a pulse, then `after`.
    Wait,
    /// Issue the READ of the pulsed pair's row.
    Check,
    /// Waiting for the ADC answer (at most `READ_TIMEOUT` cycles).
    Answer,
    /// The READ timed out: ignore answers for `READ_TIMEOUT + 1` cycles.
    Drain,
}

impl EpropState {
    /// The RTL's state code.
    pub fn code(self) -> u8 {
        match self {
            Self::Idle => 0,
            Self::Pass => 1,
            Self::Wait => 2,
            Self::Check => 3,
            Self::Answer => 4,
            Self::Drain => 5,
        }
    }
}

/// The `learn_*` registers as the hardware sees them.
#[derive(Clone, Copy, Debug, Default)]
pub struct EpropRegs {
    pub ctrl: u32,
    /// `learn_cmd[0]` this cycle.
    pub start: bool,
    pub sig: [u32; SIG_WORDS as usize],
    pub period: u16,
    pub amp: u8,
    pub width: u8,
    pub decay_shift: u32,
    pub lr_shift: u32,
    pub inc: u32,
    pub eps: u32,
    pub h_window: u32,
    pub high: u16,
    pub tolerance: u16,
    pub max_pulses: u8,
}

impl EpropRegs {
    /// From the raw register values (`learn_ctrl`, `learn_cmd`, the four
    /// `learn_sig`, `learn_cfg`, `learn_rate`, `learn_eps`, `learn_h`,
    /// `learn_refresh`).
    pub fn decode(raw: &[u32; 11]) -> Self {
        let cfg = raw[6];
        let rate = raw[7];
        let refresh = raw[10];
        Self {
            ctrl: raw[0],
            start: raw[1] & 1 != 0,
            sig: [raw[2], raw[3], raw[4], raw[5]],
            period: cfg as u16,
            amp: (cfg >> 16) as u8,
            width: (cfg >> 24) as u8,
            decay_shift: rate & 0xf,
            lr_shift: rate >> 4 & 0xf,
            inc: rate >> 8 & 0xff,
            eps: raw[8] & 0xffff,
            h_window: raw[9] & 0xffff,
            high: (refresh & 0xfff) as u16,
            tolerance: (refresh >> 12 & 0xf) as u16,
            max_pulses: (refresh >> 16) as u8,
        }
    }

    /// The learning signal of neuron `k` (signed).
    pub fn signal(&self, k: usize) -> i32 {
        i32::from((self.sig[k / 4] >> (8 * (k % 4))) as u8 as i8)
    }
}

/// What the rest of the tile shows the controller in a cycle (pre-edge).
#[derive(Clone, Copy, Debug, Default)]
pub struct EpropInputs<'a> {
    /// The sequencer takes an input event (row, clamped value).
    pub pop: Option<(u8, u8)>,
    pub seq_idle: bool,
    pub prog_busy: bool,
    pub adc_valid: bool,
    /// The clamped ADC code of every column (`adc_share = 1`).
    pub codes: &'a [u16],
    /// The membrane potential of every column.
    pub v: &'a [u16],
    /// The tile's `threshold` register.
    pub threshold: u16,
}

/// The pseudo-derivative: the number of `j` in 1..=4 with `|v+ - v- -
/// thr| < j W`.
pub fn pseudo_derivative(vp: u16, vm: u16, thr: u16, w: u32) -> u32 {
    let dist = (i64::from(vp) - i64::from(vm) - i64::from(thr)).unsigned_abs();
    (1..=4u64).filter(|&j| dist < j * u64::from(w)).count() as u32
}

/// The update of one synapse: `sign(L) (|L| trace h >> lr)`.
pub fn update(signal: i32, trace: u32, h: u32, lr_shift: u32) -> i32 {
    let mag = (signal.unsigned_abs() * trace * h) >> lr_shift;
    if signal < 0 {
        -(mag as i32)
    } else {
        mag as i32
    }
}

/// [`update`] from the pipeline's stage-1 factors: `|L|`, the sign of `L`
/// and `trace x h`.
fn update_split(lmag: u32, lneg: bool, te: u32, lr_shift: u32) -> i32 {
    let mag = ((lmag * te) >> lr_shift) as i32;
    if lneg {
        -mag
    } else {
        mag
    }
}

/// One mixed-precision step of an accumulator of `bits`: add `p`
/// (saturating), then a crossing of `+-eps` gives a pulse on G+ (`Some(true)`)
/// or G- (`Some(false)`) and takes epsilon off. Returns the new value.
pub fn accumulate(acc: i32, p: i32, eps: u32, bits: u32) -> (i32, Option<bool>) {
    let (lo, hi) = (-(1i32 << (bits - 1)), (1i32 << (bits - 1)) - 1);
    let s = (acc + p).clamp(lo, hi);
    let eps = eps as i32;
    if s >= eps {
        (s - eps, Some(true))
    } else if s <= -eps {
        (s + eps, Some(false))
    } else {
        (s, None)
    }
}

/// A synapse in the pass pipeline's first register stage.
#[derive(Clone, Copy, Debug)]
struct Stage1 {
    row: u8,
    k: u8,
    /// trace x h (0..=1020).
    te: u32,
    /// |L| and L < 0.
    lmag: u32,
    lneg: bool,
}

/// A synapse in the second register stage: its signed update.
#[derive(Clone, Copy, Debug)]
struct Stage2 {
    row: u8,
    k: u8,
    p: i32,
    /// Its accumulator, read in stage 2.
    acc: i32,
}

#[derive(Clone, Debug)]
pub struct EpropModel {
    pub state: EpropState,
    after: EpropState,
    /// Pre traces per row.
    pub trace: Vec<u8>,
    /// Accumulators, row-major (`row * pairs + k`).
    pub acc: Vec<i32>,
    pass_pend: bool,
    /// The pass position and whether it has gone past the last synapse.
    row: u8,
    k: u8,
    fin: bool,
    /// The pass pipeline (RTL `learn_eprop`): stage 1 holds the synapse
    /// issued a cycle ago (trace x h, |L|, the sign of L), stage 2 the one
    /// issued two cycles ago (its signed update); stage 3 is combinational
    /// (accumulate, pulse). They advance only in the pass state.
    s1: Option<Stage1>,
    s2: Option<Stage2>,
    /// The pulsed pair (row, neuron) and the refresh in progress.
    prow: u8,
    pk: u8,
    refreshing: bool,
    tplus: u16,
    tminus: u16,
    ref_pulses: u8,
    timer: u8,
    decay: DecayTimer,
    /// `learn_count`, `learn_refreshes`.
    pub count: u8,
    pub refreshes: u8,
    /// The command issued this cycle, amplitude and width 0 (see
    /// [`EpropModel::command`]).
    pub cmd: XbarCmd,
    trace_max: u32,
    acc_bits: u32,
    pairs: usize,
}

impl EpropModel {
    pub fn new(rows: u32, cols: u32, trace_bits: u32, acc_bits: u32) -> Self {
        let pairs = (cols / 2) as usize;
        Self {
            state: EpropState::Idle,
            after: EpropState::Idle,
            trace: vec![0; rows as usize],
            acc: vec![0; rows as usize * pairs],
            pass_pend: false,
            row: 0,
            k: 0,
            fin: false,
            s1: None,
            s2: None,
            prow: 0,
            pk: 0,
            refreshing: false,
            tplus: 0,
            tminus: 0,
            ref_pulses: 0,
            timer: 0,
            decay: DecayTimer::default(),
            count: 0,
            refreshes: 0,
            cmd: XbarCmd::default(),
            trace_max: (1u32 << trace_bits) - 1,
            acc_bits,
            pairs,
        }
    }

    /// The command on the `xbar_*` ports: a pulse's amplitude and width
    /// are `learn_cfg`'s current fields (no flip-flops of their own).
    pub fn command(&self, r: &EpropRegs) -> XbarCmd {
        if self.cmd.op == OP_SET || self.cmd.op == OP_RESET {
            XbarCmd {
                amp: r.amp,
                width: r.width,
                ..self.cmd
            }
        } else {
            self.cmd
        }
    }

    /// A pass requested or running: the sequencer takes no event.
    pub fn busy(&self) -> bool {
        self.state != EpropState::Idle || self.pass_pend
    }

    /// On the crossbar bus: the programmer starts nothing.
    pub fn active(&self) -> bool {
        self.state != EpropState::Idle
    }

    fn pulse(&mut self, op: u8, row: u8, col: u8, after: EpropState) {
        self.cmd = XbarCmd {
            op,
            row,
            col,
            ..Default::default()
        };
        self.count = self.count.wrapping_add(1);
        self.timer = 0;
        self.after = after;
        self.state = EpropState::Wait;
    }

    /// Where a pass resumes after a pulse and its check.
    fn resume(&self) -> EpropState {
        if self.fin && self.s1.is_none() && self.s2.is_none() {
            EpropState::Idle
        } else {
            EpropState::Pass
        }
    }

    /// The refresh's next step for the pair's codes `(gp, gm)`: a pulse,
    /// or the end of the refresh.
    fn refresh_step(&mut self, r: &EpropRegs, gp: u16, gm: u16) {
        let (row, cp, cm) = (self.prow, 2 * self.pk, 2 * self.pk + 1);
        let tol = r.tolerance;
        let step = if self.ref_pulses == r.max_pulses {
            None
        } else if gp > self.tplus + tol {
            Some((OP_RESET, cp))
        } else if gp + tol < self.tplus {
            Some((OP_SET, cp))
        } else if gm > self.tminus + tol {
            Some((OP_RESET, cm))
        } else if gm + tol < self.tminus {
            Some((OP_SET, cm))
        } else {
            None
        };
        match step {
            Some((op, col)) => {
                self.ref_pulses = self.ref_pulses.wrapping_add(1);
                self.pulse(op, row, col, EpropState::Check);
            }
            None => {
                self.refreshing = false;
                self.state = self.resume();
            }
        }
    }

    /// One clock edge.
    pub fn clock(&mut self, r: &EpropRegs, i: &EpropInputs) {
        let bit = |b: u32| r.ctrl >> b & 1 != 0;
        let enable = bit(ctrl::ENABLE);
        let (accumulate_on, refresh_on) = (bit(ctrl::ACCUMULATE), bit(ctrl::REFRESH));
        self.cmd = XbarCmd::default();

        // Decay timer (as the STDP controller's).
        let decay = self.decay.clock(enable, r.period);
        let load = match i.pop {
            Some((row, value)) if enable && value != 0 => Some(row as usize),
            _ => None,
        };
        let pass_pend = self.pass_pend;
        if r.start {
            self.pass_pend = true;
        }

        match self.state {
            EpropState::Idle => {
                if pass_pend && i.seq_idle && !i.prog_busy {
                    self.row = 0;
                    self.k = 0;
                    self.fin = false;
                    self.s1 = None;
                    self.s2 = None;
                    self.pass_pend = r.start;
                    self.state = EpropState::Pass;
                }
            }
            EpropState::Pass => {
                // Stage 3: the synapse issued two cycles ago.
                let mut fire = None;
                let (s1, s2) = (self.s1, self.s2);
                if let Some(s2) = s2 {
                    let p = s2.p;
                    let ix = usize::from(s2.row) * self.pairs + usize::from(s2.k);
                    let plus = if accumulate_on {
                        let (acc, fire) = accumulate(s2.acc, p, r.eps, self.acc_bits);
                        self.acc[ix] = acc;
                        fire
                    } else if p != 0 {
                        Some(p > 0)
                    } else {
                        None
                    };
                    fire = plus.map(|plus| (s2.row, s2.k, plus));
                }
                // Stage 2: the update of the synapse issued a cycle ago.
                self.s2 = s1.map(|s| Stage2 {
                    row: s.row,
                    k: s.k,
                    p: update_split(s.lmag, s.lneg, s.te, r.lr_shift),
                    acc: self.acc[usize::from(s.row) * self.pairs + usize::from(s.k)],
                });
                // Stage 1: issue the next synapse, then advance.
                self.s1 = None;
                if !self.fin {
                    let (row, k) = (self.row as usize, self.k as usize);
                    let h = pseudo_derivative(i.v[2 * k], i.v[2 * k + 1], i.threshold, r.h_window);
                    let l = r.signal(k);
                    self.s1 = Some(Stage1 {
                        row: row as u8,
                        k: k as u8,
                        te: u32::from(self.trace[row]) * h,
                        lmag: l.unsigned_abs(),
                        lneg: l < 0,
                    });
                    if k + 1 == self.pairs {
                        self.k = 0;
                        if row + 1 == self.trace.len() {
                            self.row = 0;
                            self.fin = true;
                        } else {
                            self.row += 1;
                        }
                    } else {
                        self.k += 1;
                    }
                }
                let next = self.resume();
                match fire {
                    Some((row, k, plus)) => {
                        self.prow = row;
                        self.pk = k;
                        let col = 2 * k + u8::from(!plus);
                        let after = if refresh_on { EpropState::Check } else { next };
                        self.pulse(OP_SET, row, col, after);
                    }
                    None => self.state = next,
                }
            }
            EpropState::Wait => {
                if self.timer >= r.width {
                    self.state = self.after;
                } else {
                    self.timer += 1;
                }
            }
            EpropState::Check => {
                self.cmd = XbarCmd {
                    op: OP_READ,
                    row: self.prow,
                    ..Default::default()
                };
                self.timer = 0;
                self.state = EpropState::Answer;
            }
            EpropState::Answer => {
                if i.adc_valid {
                    let k = self.pk as usize;
                    let (gp, gm) = (i.codes[2 * k], i.codes[2 * k + 1]);
                    if self.refreshing {
                        self.refresh_step(r, gp, gm);
                    } else if gp >= r.high || gm >= r.high {
                        self.refreshing = true;
                        self.refreshes = self.refreshes.wrapping_add(1);
                        self.ref_pulses = 0;
                        self.tplus = gp.saturating_sub(gm);
                        self.tminus = gm.saturating_sub(gp);
                        self.refresh_step(r, gp, gm);
                    } else {
                        self.state = self.resume();
                    }
                } else if u32::from(self.timer) == READ_TIMEOUT {
                    self.timer = 0;
                    self.state = EpropState::Drain;
                } else {
                    self.timer += 1;
                }
            }
            EpropState::Drain => {
                if u32::from(self.timer) == READ_TIMEOUT {
                    self.refreshing = false;
                    self.state = self.resume();
                } else {
                    self.timer += 1;
                }
            }
        }

        // Traces: the decay, then an event's increment (saturating).
        if decay {
            let s = r.decay_shift;
            for t in self.trace.iter_mut() {
                let d = (*t >> s.min(7)).max(u8::from(*t != 0));
                *t -= d;
            }
        }
        if let Some(row) = load {
            if let Some(t) = self.trace.get_mut(row) {
                *t = (u32::from(*t) + r.inc).min(self.trace_max) as u8;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accumulator_crossings_pulse_and_subtract_epsilon() {
        assert_eq!(accumulate(0, 10, 32, 8), (10, None));
        assert_eq!(accumulate(30, 10, 32, 8), (8, Some(true)));
        assert_eq!(accumulate(-30, -10, 32, 8), (-8, Some(false)));
        // Saturation at the accumulator's range.
        assert_eq!(accumulate(100, 100, 32, 8), (127 - 32, Some(true)));
        assert_eq!(accumulate(-100, -100, 32, 8), (-128 + 32, Some(false)));
    }

    #[test]
    fn pseudo_derivative_is_a_staircase_around_the_threshold() {
        assert_eq!(pseudo_derivative(64, 0, 64, 16), 4);
        assert_eq!(pseudo_derivative(80, 0, 64, 16), 3);
        assert_eq!(pseudo_derivative(0, 10, 64, 16), 0);
        assert_eq!(pseudo_derivative(30, 0, 64, 16), 2);
        assert_eq!(update(-3, 255, 4, 2), -(3 * 255 * 4 / 4));
    }

    #[test]
    fn a_pass_sets_g_plus_for_a_positive_signal_and_refreshes_a_saturated_pair() {
        let mut m = EpropModel::new(2, 2, 8, 8);
        let mut raw = [0u32; 11];
        raw[0] = 0b111;
        raw[2] = 100; // L0 = +100
        raw[6] = 1000 | 1 << 24; // period 1000, width 1
        raw[7] = 3 | 2 << 4 | 64 << 8;
        raw[8] = 32;
        raw[9] = 0xffff;
        raw[10] = 8 | 1 << 12 | 20 << 16;
        let r = EpropRegs::decode(&raw);
        let (codes, v) = ([9u16, 3], [0u16, 0]);
        let idle = |adc| EpropInputs {
            seq_idle: true,
            adc_valid: adc,
            codes: &codes,
            v: &v,
            threshold: 0,
            ..Default::default()
        };
        m.clock(
            &r,
            &EpropInputs {
                pop: Some((0, 1)),
                ..idle(false)
            },
        );
        assert_eq!(m.trace[0], 64);
        m.clock(&EpropRegs { start: true, ..r }, &idle(false));
        let mut ops = Vec::new();
        for _ in 0..60 {
            let adc = m.cmd.op == OP_READ;
            m.clock(&r, &idle(adc));
            if m.cmd.op != 0 {
                ops.push((m.cmd.op, m.cmd.row, m.cmd.col));
            }
        }
        // 100 * 64 * 4 >> 2 = 6400: the accumulator saturates at 127, one
        // SET on G+ (row 0, column 0), then the read-back (9 >= 8): the
        // refresh moves G+ to 9 - 3 = 6 and G- to 0 (the codes here stay
        // put, so it spends its budget of 20 pulses).
        assert_eq!(ops[0], (OP_SET, 0, 0));
        assert_eq!(ops[1], (OP_READ, 0, 0));
        assert_eq!(ops[2], (OP_RESET, 0, 0));
        assert_eq!(m.refreshes, 1);
        assert_eq!(m.acc[0], 127 - 32);
    }
}

#[cfg(test)]
mod timing {
    use super::*;

    /// The controller alone on 1 row x 1 pair: a pass whose update
    /// crosses epsilon, the SET, the read-back, a refresh step. Printed for
    /// docs/learning_eprop.md (`cargo test --release -p memforge-sim
    /// eprop_pass_timing -- --nocapture`): the macro answers a READ one
    /// cycle after it is on the bus, G+ reads 50, G- 10 (>= 48: saturated).
    #[test]
    fn eprop_pass_timing() {
        let mut m = EpropModel::new(1, 2, 8, 8);
        let mut raw = [0u32; 11];
        raw[0] = 0b111;
        raw[2] = 64; // L0 = +64
        raw[6] = 1000 | 1 << 24; // width 1
        raw[7] = 3 | 4 << 4 | 128 << 8; // lr shift 4, increment 128
        raw[8] = 32;
        raw[9] = 0xffff;
        raw[10] = 48 | 1 << 12 | 1 << 16; // level 48, tolerance 1, budget 1
        let r = EpropRegs::decode(&raw);
        let (codes, v) = ([50u16, 10], [0u16, 0]);
        let mut rows = Vec::new();
        let mut bus_prev = XbarCmd::default();
        for cycle in 0..18 {
            let i = EpropInputs {
                pop: if cycle == 0 { Some((0, 1)) } else { None },
                seq_idle: true,
                adc_valid: bus_prev.op == OP_READ,
                codes: &codes,
                v: &v,
                threshold: 0,
                ..Default::default()
            };
            let start = cycle == 1;
            let state = m.state;
            let busy = m.busy();
            let bus = m.command(&r);
            m.clock(&EpropRegs { start, ..r }, &i);
            rows.push(format!(
                "{cycle:>3}  {:<7} {:>4}  {:>5}  {:>5}  {}",
                format!("{state:?}"),
                u8::from(busy),
                if start { "start" } else { "" },
                if i.adc_valid { "valid" } else { "" },
                match bus.op {
                    1 => format!("READ  row {}", bus.row),
                    2 => format!("SET   row {} col {}", bus.row, bus.col),
                    3 => format!("RESET row {} col {}", bus.row, bus.col),
                    _ => "-".into(),
                }
            ));
            bus_prev = bus;
        }
        println!("cycle state   busy  cmd    adc    xbar (this cycle)");
        for r in &rows {
            println!("{r}");
        }
        // 64 * 128 * 4 >> 4 = 2048: saturates at 127, a SET on G+, then the
        // read-back finds the pair saturated, one RESET of G+ (budget 1).
        assert_eq!(m.refreshes, 1);
        assert_eq!(m.count, 2);
        assert_eq!(m.state, EpropState::Idle);
    }
}

/// The e-prop controller of a tile with its own register window, as the
/// tile model composes it (`super::top`).
#[derive(Clone, Debug)]
pub struct EpropLearning {
    pub model: EpropModel,
    /// The registers the controller reads (in [`EpropRegs::decode`]
    /// order), then `learn_count`, `learn_refreshes`.
    pub window: LearnWindow<13>,
    /// The columns' potentials before the edge (kept to avoid an
    /// allocation per cycle).
    pub v: Vec<u16>,
}

impl EpropLearning {
    /// `Some` for a tile with `[learning] rule = "eprop"`.
    pub fn new(cfg: &memforge_spec::DesignConfig) -> Option<Self> {
        let names = [
            "learn_ctrl",
            "learn_cmd",
            "learn_sig0",
            "learn_sig1",
            "learn_sig2",
            "learn_sig3",
            "learn_cfg",
            "learn_rate",
            "learn_eps",
            "learn_h",
            "learn_refresh",
            "learn_count",
            "learn_refreshes",
        ];
        let t = &cfg.tile;
        Some(Self {
            window: LearnWindow::new(cfg, LearningRule::Eprop, names)?,
            model: EpropModel::new(
                t.rows,
                t.cols,
                cfg.learning.trace_bits,
                cfg.learning.eprop.acc_bits,
            ),
            v: vec![0; t.cols as usize],
        })
    }

    /// The registers as the controller sees them (pre-edge).
    pub fn hw(&self) -> EpropRegs {
        let mut raw = [0u32; 11];
        for (k, r) in raw.iter_mut().enumerate() {
            *r = self.window.hw(k);
        }
        EpropRegs::decode(&raw)
    }

    /// One edge: the register window (read-only values are the pre-edge
    /// counters), then the controller.
    pub fn clock(&mut self, bus: &crate::regfile::WbIn, r: &EpropRegs, i: &EpropInputs) {
        let counters = [
            (11, u32::from(self.model.count)),
            (12, u32::from(self.model.refreshes)),
        ];
        self.window.clock(bus, &counters);
        self.model.clock(r, i);
    }
}

//! Model of the pair-based STDP controller (`docs/learning.md`): digital
//! pre traces per row and post traces per column that decay by shifting,
//! depression (RESET) of the cells of a pre event's row whose column has a
//! post trace, potentiation (SET) of the cells of a spiking column whose
//! row has a pre trace. It runs between events, on the crossbar bus the
//! sequencer and the programmer leave free, one column (or cell) per cycle.

use super::learn_common::{DecayTimer, LearnWindow};
use super::sequencer::{XbarCmd, OP_RESET, OP_SET};
use crate::regfile::WbIn;
use memforge_spec::learning::ctrl;
use memforge_spec::learning::LearningRule;
use memforge_spec::DesignConfig;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StdpState {
    Idle,
    /// Depression pass over the columns for the captured pre event.
    Dep,
    /// Potentiation pass: the columns that spiked, each over every row.
    Pot,
    /// Waiting `width` cycles after a pulse, then `after`.
    Wait,
}

/// The `learn_*` registers as the hardware sees them.
#[derive(Clone, Copy, Debug, Default)]
pub struct StdpRegs {
    pub ctrl: u32,
    pub period: u16,
    pub amp: u8,
    pub width: u8,
}

/// What the rest of the tile shows the controller in a cycle.
#[derive(Clone, Copy, Debug, Default)]
pub struct StdpInputs {
    /// The sequencer takes an input event (row, clamped value).
    pub pop: Option<(u8, u8)>,
    /// The sequencer queues the spike of this column.
    pub push: Option<u8>,
    pub seq_idle: bool,
    pub prog_busy: bool,
}

/// Reset value of the stochastic-gating LFSR.
pub const LFSR_SEED: u16 = 0xACE1;
/// Feedback taps of the 16-bit Galois LFSR (x^16 + x^14 + x^13 + x^11 + 1).
pub const LFSR_TAPS: u16 = 0xB400;

#[derive(Clone, Debug)]
pub struct StdpModel {
    pub state: StdpState,
    after: StdpState,
    pub pre: Vec<u8>,
    pub post: Vec<u8>,
    pre_pend: bool,
    pre_row: u8,
    post_pend: Vec<bool>,
    col: u8,
    row: u8,
    timer: u8,
    decay: DecayTimer,
    pub lfsr: u16,
    /// Pulses applied modulo 256, the `learn_count` register.
    pub count: u8,
    /// The command issued this cycle, amplitude and width 0 (see
    /// [`StdpModel::command`]).
    pub cmd: XbarCmd,
    max: u8,
    /// LFSR steps per cycle (`trace_bits`): consecutive draws share no bit.
    steps: u32,
}

impl StdpModel {
    pub fn new(rows: u32, cols: u32, trace_bits: u32) -> Self {
        Self {
            state: StdpState::Idle,
            after: StdpState::Idle,
            pre: vec![0; rows as usize],
            post: vec![0; cols as usize],
            pre_pend: false,
            pre_row: 0,
            post_pend: vec![false; cols as usize],
            col: 0,
            row: 0,
            timer: 0,
            decay: DecayTimer::default(),
            lfsr: LFSR_SEED,
            count: 0,
            cmd: XbarCmd::default(),
            max: ((1u32 << trace_bits) - 1) as u8,
            steps: trace_bits,
        }
    }

    /// The command on the `xbar_*` ports this cycle: amplitude and width
    /// are `learn_cfg`'s current fields (the RTL has no flip-flops for
    /// them), so a write to `learn_cfg` shows at once.
    pub fn command(&self, r: &StdpRegs) -> XbarCmd {
        if self.cmd.op == 0 {
            return self.cmd;
        }
        XbarCmd {
            amp: r.amp,
            width: r.width,
            ..self.cmd
        }
    }

    /// Work captured or in progress: the sequencer takes no event.
    pub fn busy(&self) -> bool {
        self.state != StdpState::Idle || self.pre_pend || self.post_pend.iter().any(|&p| p)
    }

    /// On the crossbar bus: the programmer starts nothing.
    pub fn active(&self) -> bool {
        self.state != StdpState::Idle
    }

    /// Whether a pulse is applied for a trace value `tr` (pre-edge LFSR).
    fn gate(&self, enabled: bool, tr: u8, stochastic: bool) -> bool {
        enabled && tr != 0 && (!stochastic || (self.lfsr & u16::from(self.max)) < u16::from(tr))
    }

    fn pulse(&mut self, op: u8, row: u8, col: u8, next: StdpState) {
        self.cmd = XbarCmd {
            op,
            row,
            col,
            ..Default::default()
        };
        self.count = self.count.wrapping_add(1);
        self.timer = 0;
        self.after = next;
        self.state = StdpState::Wait;
    }

    /// One clock edge.
    pub fn clock(&mut self, r: &StdpRegs, i: &StdpInputs) {
        let bit = |b: u32| r.ctrl >> b & 1 != 0;
        let (enable, stoch) = (bit(ctrl::ENABLE), bit(ctrl::STOCHASTIC));
        let (ltp, ltd) = (bit(ctrl::LTP), bit(ctrl::LTD));
        let last_col = (self.post.len() - 1) as u8;
        let last_row = (self.pre.len() - 1) as u8;
        self.cmd = XbarCmd::default();

        // Every decision below is on the pre-edge state: the trace writes
        // and the decay are applied at the end (a written trace takes the
        // written value, not the decayed one).
        let pending = self.pre_pend || self.post_pend.iter().any(|&p| p);
        let pre_pend = self.pre_pend;
        let decay = self.decay.clock(enable, r.period);
        // Capture (the sequencer only pops or pushes while we are idle).
        if enable {
            if let Some((row, value)) = i.pop {
                if value != 0 {
                    self.pre_pend = true;
                    self.pre_row = row;
                }
            }
            if let Some(c) = i.push {
                if let Some(p) = self.post_pend.get_mut(c as usize) {
                    *p = true;
                }
            }
        }
        let (mut load_pre, mut load_post) = (None, None);

        match self.state {
            StdpState::Idle => {
                if pending && i.seq_idle && !i.prog_busy {
                    self.col = 0;
                    self.row = 0;
                    self.state = if pre_pend {
                        StdpState::Dep
                    } else {
                        StdpState::Pot
                    };
                }
            }
            StdpState::Dep => {
                let c = self.col;
                let fire = self.gate(ltd, self.post[c as usize], stoch);
                let next = if c == last_col {
                    load_pre = Some(self.pre_row as usize);
                    self.pre_pend = false;
                    self.col = 0;
                    StdpState::Pot
                } else {
                    self.col = c + 1;
                    StdpState::Dep
                };
                if fire {
                    self.pulse(OP_RESET, self.pre_row, c, next);
                } else {
                    self.state = next;
                }
            }
            StdpState::Pot => {
                let c = self.col;
                if !self.post_pend[c as usize] {
                    if c == last_col {
                        self.state = StdpState::Idle;
                    } else {
                        self.col = c + 1;
                    }
                } else {
                    let rw = self.row;
                    let fire = self.gate(ltp, self.pre[rw as usize], stoch);
                    let next = if rw == last_row {
                        load_post = Some(c as usize);
                        self.post_pend[c as usize] = false;
                        self.row = 0;
                        if c == last_col {
                            StdpState::Idle
                        } else {
                            self.col = c + 1;
                            StdpState::Pot
                        }
                    } else {
                        self.row = rw + 1;
                        StdpState::Pot
                    };
                    if fire {
                        self.pulse(OP_SET, rw, c, next);
                    } else {
                        self.state = next;
                    }
                }
            }
            StdpState::Wait => {
                if self.timer >= r.width {
                    self.state = self.after;
                } else {
                    self.timer += 1;
                }
            }
        }
        for _ in 0..self.steps {
            let lfsr = self.lfsr;
            self.lfsr = (lfsr >> 1) ^ if lfsr & 1 != 0 { LFSR_TAPS } else { 0 };
        }
        if decay {
            self.pre.iter_mut().for_each(|t| *t >>= 1);
            self.post.iter_mut().for_each(|t| *t >>= 1);
        }
        if let Some(i) = load_pre {
            self.pre[i] = self.max;
        }
        if let Some(c) = load_post {
            self.post[c] = self.max;
        }
    }
}

/// The STDP controller of a tile and its own register window.
#[derive(Clone, Debug)]
pub struct StdpLearning {
    pub stdp: StdpModel,
    /// `learn_ctrl`, `learn_cfg`, `learn_count`.
    pub window: LearnWindow<3>,
}

impl StdpLearning {
    /// `Some` for a tile with `[learning] rule = "stdp"`.
    pub fn new(cfg: &DesignConfig) -> Option<Self> {
        let names = ["learn_ctrl", "learn_cfg", "learn_count"];
        let t = &cfg.tile;
        Some(Self {
            window: LearnWindow::new(cfg, LearningRule::Stdp, names)?,
            stdp: StdpModel::new(t.rows, t.cols, cfg.learning.trace_bits),
        })
    }

    /// The `learn_*` registers as the controller sees them.
    pub fn stdp_regs(&self) -> StdpRegs {
        let cfg = self.window.hw(1);
        StdpRegs {
            ctrl: self.window.hw(0),
            period: cfg as u16,
            amp: (cfg >> 16) as u8,
            width: (cfg >> 24) as u8,
        }
    }

    /// One edge of the window and the controller.
    pub fn clock(&mut self, bus: &WbIn, i: &StdpInputs) {
        let r = self.stdp_regs();
        self.window.clock(bus, &[(2, u32::from(self.stdp.count))]);
        self.stdp.clock(&r, i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regs() -> StdpRegs {
        StdpRegs {
            ctrl: 0b1101,
            period: 1000,
            amp: 3,
            width: 1,
        }
    }

    fn run(m: &mut StdpModel, i: StdpInputs, cycles: usize) -> Vec<XbarCmd> {
        let mut out = Vec::new();
        m.clock(&regs(), &i);
        out.push(m.cmd);
        for _ in 1..cycles {
            m.clock(
                &regs(),
                &StdpInputs {
                    seq_idle: true,
                    ..Default::default()
                },
            );
            out.push(m.cmd);
        }
        out.into_iter().filter(|c| c.op != 0).collect()
    }

    #[test]
    fn pre_then_post_potentiates_and_post_then_pre_depresses() {
        let mut m = StdpModel::new(4, 4, 4);
        // Pre event on row 2: no post trace yet, so no depression.
        let pulses = run(
            &mut m,
            StdpInputs {
                pop: Some((2, 1)),
                ..Default::default()
            },
            20,
        );
        assert!(pulses.is_empty(), "{pulses:?}");
        assert_eq!(m.pre[2], 15);
        // Column 1 spikes: the cell (2, 1) is potentiated, only it.
        let pulses = run(
            &mut m,
            StdpInputs {
                push: Some(1),
                ..Default::default()
            },
            40,
        );
        assert_eq!(pulses.len(), 1);
        assert_eq!((pulses[0].op, pulses[0].row, pulses[0].col), (OP_SET, 2, 1));
        assert_eq!(m.post[1], 15);
        // A pre event on row 0 now: (0, 1) is depressed.
        let pulses = run(
            &mut m,
            StdpInputs {
                pop: Some((0, 1)),
                ..Default::default()
            },
            40,
        );
        assert_eq!(pulses.len(), 1);
        assert_eq!(
            (pulses[0].op, pulses[0].row, pulses[0].col),
            (OP_RESET, 0, 1)
        );
        assert_eq!(m.count, 2);
        assert!(!m.busy());
    }

    #[test]
    fn traces_halve_every_decay_tick() {
        let mut m = StdpModel::new(2, 2, 4);
        let r = StdpRegs {
            period: 3,
            ..regs()
        };
        m.pre[0] = 15;
        let mut seen = Vec::new();
        for _ in 0..16 {
            m.clock(&r, &StdpInputs::default());
            seen.push(m.pre[0]);
        }
        assert_eq!(seen.iter().filter(|&&t| t == 7).count(), 4);
        assert_eq!(*seen.last().unwrap(), 0);
    }
}

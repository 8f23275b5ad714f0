//! Model of the PCM-trace controller (`docs/learning_pcm_trace.md`, RTL
//! `memforge_hdl::tile::learn_pcm_trace`): per-row coincidence windows
//! opened by pre events; on a post spike of column c a pass over the rows
//! that partially SETs trace cell (rows + r, c) of every open row; on a
//! reward a pass that READs each trace row, and for each column reading
//! above the threshold SETs (reward > 0) or RESETs (< 0) weight (r, c) and
//! RESETs the trace. The trace devices themselves (and their drift) are
//! the macro's: [`super::trace_macro`].

use super::learn_common::{DecayTimer, LearnWindow};
use super::sequencer::{XbarCmd, OP_READ, OP_RESET, OP_SET};
use crate::regfile::WbIn;
use memforge_spec::learning::LearningRule;
use memforge_spec::learning_pcm_trace::{ctrl, reward, trace_field, READ_TIMEOUT};
use memforge_spec::DesignConfig;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PcmTraceState {
    Idle,
    /// Coincidence pass: the rows of column `col`.
    Coincide,
    /// Waiting `width` cycles after a pulse, then `after`.
    Wait,
    /// READ trace row `rows + row`.
    Read,
    /// Waiting for its answer (at most `READ_TIMEOUT` cycles).
    Answer,
    /// Column `col` of the row just read.
    Apply,
    /// RESET trace (rows + row, col).
    TraceReset,
}

/// The PCM-trace registers as the hardware sees them.
#[derive(Clone, Copy, Debug, Default)]
pub struct PcmTraceRegs {
    pub ctrl: u32,
    pub period: u16,
    pub amp: u8,
    pub width: u8,
    pub window: u8,
    pub threshold: u16,
    pub trace_amp: u8,
    /// `learn_reward` this cycle (a pulse register).
    pub reward: u32,
}

impl PcmTraceRegs {
    /// From the raw `learn_ctrl`, `learn_cfg`, `learn_trace`, `learn_reward`.
    pub fn from_raw(ctrl: u32, cfg: u32, trace: u32, reward: u32) -> Self {
        let f = |(lsb, w): (u32, u32)| (trace >> lsb) & ((1 << w) - 1);
        Self {
            ctrl,
            period: cfg as u16,
            amp: (cfg >> 16) as u8,
            width: (cfg >> 24) as u8,
            window: f(trace_field::WINDOW) as u8,
            threshold: f(trace_field::THRESHOLD) as u16,
            trace_amp: f(trace_field::AMP) as u8,
            reward,
        }
    }
}

/// What the controller sees of the rest of the tile in one cycle.
#[derive(Clone, Copy, Debug, Default)]
pub struct PcmTraceInputs<'a> {
    /// The row and value of the event the sequencer pops, if any.
    pub pop: Option<(u8, u8)>,
    /// The column whose spike the sequencer queues, if any.
    pub push: Option<u8>,
    pub seq_idle: bool,
    pub prog_busy: bool,
    pub adc_valid: bool,
    /// Clamped ADC code per column.
    pub codes: &'a [u16],
}

#[derive(Clone, Debug)]
pub struct PcmTraceModel {
    pub state: PcmTraceState,
    after: PcmTraceState,
    /// Coincidence window per row (decay ticks left).
    pub win: Vec<u8>,
    pub post_pend: Vec<bool>,
    above: Vec<bool>,
    rew_pend: bool,
    rew_neg: bool,
    neg: bool,
    row: u8,
    col: u8,
    timer: u8,
    decay: DecayTimer,
    /// Weight pulses modulo 256 (`learn_count`).
    pub count: u8,
    /// Trace partial SETs, READs, RESETs modulo 256 (`learn_tcount`).
    pub tcount: [u8; 3],
    /// Totals of the same (not wrapped; for reports): weight SETs, weight
    /// RESETs, trace partial SETs, trace READs, trace RESETs.
    pub totals: [u64; 5],
    /// The command issued this cycle (amplitude in it; width added by
    /// [`Self::command`]).
    pub cmd: XbarCmd,
    rows: u8,
}

impl PcmTraceModel {
    pub fn new(rows: u32, cols: u32) -> Self {
        Self {
            state: PcmTraceState::Idle,
            after: PcmTraceState::Idle,
            win: vec![0; rows as usize],
            post_pend: vec![false; cols as usize],
            above: vec![false; cols as usize],
            rew_pend: false,
            rew_neg: false,
            neg: false,
            row: 0,
            col: 0,
            timer: 0,
            decay: DecayTimer::default(),
            count: 0,
            tcount: [0; 3],
            totals: [0; 5],
            cmd: XbarCmd::default(),
            rows: rows as u8,
        }
    }

    /// The command on the `xbar_*` ports (a pulse's width from `learn_cfg`).
    pub fn command(&self, r: &PcmTraceRegs) -> XbarCmd {
        if self.cmd.op == OP_SET || self.cmd.op == OP_RESET {
            XbarCmd {
                width: r.width,
                ..self.cmd
            }
        } else {
            self.cmd
        }
    }

    /// `learn_tcount`.
    pub fn tcount_word(&self) -> u32 {
        u32::from(self.tcount[0]) | u32::from(self.tcount[1]) << 8 | u32::from(self.tcount[2]) << 16
    }

    /// Work captured or a pass in progress: the sequencer waits.
    pub fn busy(&self) -> bool {
        self.state != PcmTraceState::Idle || self.rew_pend || self.post_pend.iter().any(|&p| p)
    }

    /// On the crossbar bus: the programmer waits.
    pub fn active(&self) -> bool {
        self.state != PcmTraceState::Idle
    }

    fn pulse(&mut self, op: u8, row: u8, amp: u8, after: PcmTraceState) {
        self.cmd = XbarCmd {
            op,
            row,
            col: self.col,
            amp,
            ..Default::default()
        };
        self.timer = 0;
        self.after = after;
        self.state = PcmTraceState::Wait;
    }

    /// The next cell of a reward pass: next column, else the next row's
    /// READ, else idle.
    fn advance(&mut self) -> PcmTraceState {
        let (last_row, last_col) = (self.rows - 1, (self.above.len() - 1) as u8);
        if self.col == last_col {
            self.col = 0;
            if self.row == last_row {
                PcmTraceState::Idle
            } else {
                self.row += 1;
                PcmTraceState::Read
            }
        } else {
            self.col += 1;
            PcmTraceState::Apply
        }
    }

    /// One clock edge.
    pub fn clock(&mut self, r: &PcmTraceRegs, i: &PcmTraceInputs) {
        let bit = |b: u32| r.ctrl >> b & 1 != 0;
        let enable = bit(ctrl::ENABLE);
        let (last_row, last_col) = (self.rows - 1, (self.above.len() - 1) as u8);
        self.cmd = XbarCmd::default();

        let decay = self.decay.clock(enable, r.period);

        let any_post = self.post_pend.iter().any(|&p| p);
        let mut done_col = None;
        let mut load_above = false;
        let rows = self.rows;
        let trow = |row: u8| row.wrapping_add(rows);
        match self.state {
            PcmTraceState::Idle => {
                if i.seq_idle && !i.prog_busy {
                    if self.rew_pend {
                        self.row = 0;
                        self.col = 0;
                        self.neg = self.rew_neg;
                        self.rew_pend = false;
                        self.state = PcmTraceState::Read;
                    } else if any_post {
                        self.row = 0;
                        self.col = 0;
                        self.state = PcmTraceState::Coincide;
                    }
                }
            }
            PcmTraceState::Coincide => {
                let c = self.col;
                if !self.post_pend[c as usize] {
                    if c == last_col {
                        self.state = PcmTraceState::Idle;
                    } else {
                        self.col = c + 1;
                    }
                } else {
                    let row = self.row;
                    let fire = bit(ctrl::TRACE) && self.win[row as usize] != 0;
                    let next = if row == last_row {
                        done_col = Some(c);
                        self.row = 0;
                        if c == last_col {
                            PcmTraceState::Idle
                        } else {
                            self.col = c + 1;
                            PcmTraceState::Coincide
                        }
                    } else {
                        self.row = row + 1;
                        PcmTraceState::Coincide
                    };
                    self.state = next;
                    if fire {
                        // The command names the column the pass was at.
                        let col = self.col;
                        self.col = c;
                        self.pulse(OP_SET, trow(row), r.trace_amp, next);
                        self.col = col;
                        self.tcount[0] = self.tcount[0].wrapping_add(1);
                        self.totals[2] += 1;
                    }
                }
            }
            PcmTraceState::Wait => {
                if self.timer >= r.width {
                    self.state = self.after;
                } else {
                    self.timer += 1;
                }
            }
            PcmTraceState::Read => {
                self.cmd = XbarCmd {
                    op: OP_READ,
                    row: trow(self.row),
                    ..Default::default()
                };
                self.timer = 0;
                self.tcount[1] = self.tcount[1].wrapping_add(1);
                self.totals[3] += 1;
                self.state = PcmTraceState::Answer;
            }
            PcmTraceState::Answer => {
                if i.adc_valid {
                    load_above = true;
                    self.col = 0;
                    self.state = PcmTraceState::Apply;
                } else if u32::from(self.timer) == READ_TIMEOUT {
                    if self.row == last_row {
                        self.state = PcmTraceState::Idle;
                    } else {
                        self.row += 1;
                        self.state = PcmTraceState::Read;
                    }
                } else {
                    self.timer += 1;
                }
            }
            PcmTraceState::Apply => {
                if self.above[self.col as usize] {
                    let on = if self.neg {
                        bit(ctrl::LTD)
                    } else {
                        bit(ctrl::LTP)
                    };
                    if on {
                        let op = if self.neg { OP_RESET } else { OP_SET };
                        self.pulse(op, self.row, r.amp, PcmTraceState::TraceReset);
                        self.count = self.count.wrapping_add(1);
                        self.totals[usize::from(self.neg)] += 1;
                    } else {
                        self.state = PcmTraceState::TraceReset;
                    }
                } else {
                    self.state = self.advance();
                }
            }
            PcmTraceState::TraceReset => {
                let (row, col) = (self.row, self.col);
                let after = self.advance();
                let next_col = self.col;
                self.col = col;
                self.pulse(OP_RESET, trow(row), r.amp, after);
                self.col = next_col;
                self.tcount[2] = self.tcount[2].wrapping_add(1);
                self.totals[4] += 1;
            }
        }

        if enable && r.reward >> reward::EVENT & 1 != 0 {
            self.rew_pend = true;
            self.rew_neg = r.reward >> reward::NEGATIVE & 1 != 0;
        }

        let mask = (u32::from(self.rows).next_power_of_two() - 1) as u8;
        for (k, w) in self.win.iter_mut().enumerate() {
            if decay && *w != 0 {
                *w -= 1;
            }
            if let Some((row, value)) = i.pop {
                if enable && value != 0 && (row & mask) as usize == k {
                    *w = r.window;
                }
            }
        }
        for (c, p) in self.post_pend.iter_mut().enumerate() {
            if done_col == Some(c as u8) {
                *p = false;
            }
            if enable && i.push == Some(c as u8) {
                *p = true;
            }
        }
        if load_above {
            for (a, code) in self.above.iter_mut().zip(i.codes) {
                *a = *code > r.threshold;
            }
        }
    }
}

/// The PCM-trace controller of a tile with its register window.
#[derive(Clone, Debug)]
pub struct PcmTraceLearning {
    pub model: PcmTraceModel,
    /// `learn_ctrl`, `learn_cfg`, `learn_trace`, `learn_reward`,
    /// `learn_count`, `learn_tcount`.
    pub window: LearnWindow<6>,
}

impl PcmTraceLearning {
    /// `Some` for a tile with `[learning] rule = "pcm_trace"`.
    pub fn new(cfg: &DesignConfig) -> Option<Self> {
        let names = [
            "learn_ctrl",
            "learn_cfg",
            "learn_trace",
            "learn_reward",
            "learn_count",
            "learn_tcount",
        ];
        Some(Self {
            window: LearnWindow::new(cfg, LearningRule::PcmTrace, names)?,
            model: PcmTraceModel::new(cfg.tile.rows, cfg.tile.cols),
        })
    }

    /// The registers as the controller sees them (pre-edge).
    pub fn hw_regs(&self) -> PcmTraceRegs {
        let w = &self.window;
        PcmTraceRegs::from_raw(w.hw(0), w.hw(1), w.hw(2), w.hw(3))
    }

    /// One edge: the register window (read-only values are the pre-edge
    /// counters), then the controller.
    pub fn clock(&mut self, bus: &WbIn, i: &PcmTraceInputs) {
        let r = self.hw_regs();
        let counters = [
            (4, u32::from(self.model.count)),
            (5, self.model.tcount_word()),
        ];
        self.window.clock(bus, &counters);
        self.model.clock(&r, i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regs() -> PcmTraceRegs {
        PcmTraceRegs {
            ctrl: 0b1111,
            period: 0,
            amp: 5,
            width: 0,
            window: 3,
            threshold: 4,
            trace_amp: 9,
            reward: 0,
        }
    }

    fn idle(codes: &[u16], valid: bool) -> PcmTraceInputs<'_> {
        PcmTraceInputs {
            seq_idle: true,
            adc_valid: valid,
            codes,
            ..Default::default()
        }
    }

    /// Commands of `n` idle cycles; `answer` is given to every READ one
    /// cycle later.
    fn run(m: &mut PcmTraceModel, r: &PcmTraceRegs, n: usize, answer: &[u16]) -> Vec<XbarCmd> {
        let mut out = Vec::new();
        let mut read = false;
        for _ in 0..n {
            m.clock(r, &idle(answer, read));
            read = m.cmd.op == OP_READ;
            if m.cmd.op != 0 {
                out.push(m.command(r));
            }
        }
        out
    }

    #[test]
    fn a_post_spike_inside_a_window_sets_the_trace_of_that_synapse() {
        let mut m = PcmTraceModel::new(4, 3);
        let mut r = regs();
        r.period = 4;
        m.clock(
            &r,
            &PcmTraceInputs {
                pop: Some((2, 1)),
                ..Default::default()
            },
        );
        m.clock(
            &r,
            &PcmTraceInputs {
                push: Some(1),
                ..Default::default()
            },
        );
        let cmds = run(&mut m, &r, 20, &[0; 3]);
        assert_eq!(cmds.len(), 1);
        assert_eq!((cmds[0].op, cmds[0].row, cmds[0].col), (OP_SET, 4 + 2, 1));
        assert_eq!(cmds[0].amp, 9);
        assert_eq!(m.tcount, [1, 0, 0]);
        // The window closes after 3 decay ticks (5 cycles each): a later
        // spike finds no open row.
        run(&mut m, &r, 20, &[0; 3]);
        m.clock(
            &r,
            &PcmTraceInputs {
                push: Some(0),
                ..Default::default()
            },
        );
        assert!(run(&mut m, &r, 20, &[0; 3]).is_empty());
        assert!(!m.busy());
    }

    #[test]
    fn a_negative_reward_resets_the_weights_of_eligible_traces_and_the_traces() {
        let mut m = PcmTraceModel::new(2, 3);
        let mut r = regs();
        r.reward = 0b11;
        m.clock(&r, &idle(&[0; 3], false));
        r.reward = 0;
        // Column 2 reads above the threshold (4) in every trace row.
        let cmds = run(&mut m, &r, 40, &[4, 0, 5]);
        let ops: Vec<_> = cmds.iter().map(|c| (c.op, c.row, c.col)).collect();
        assert_eq!(
            ops,
            vec![
                (OP_READ, 2, 0),
                (OP_RESET, 0, 2),
                (OP_RESET, 2, 2),
                (OP_READ, 3, 0),
                (OP_RESET, 1, 2),
                (OP_RESET, 3, 2),
            ]
        );
        assert_eq!(m.count, 2);
        assert_eq!(m.totals, [0, 2, 0, 2, 2]);
        assert!(!m.busy());
    }
}

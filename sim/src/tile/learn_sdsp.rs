//! Model of the SDSP controller (`docs/learning.md`, RTL
//! `memforge_hdl::tile::learn_sdsp`): a 3-bit calcium variable per column
//! (+1 per spike, saturating; -1 every `ca_leak` decay ticks) and, on each
//! pre event of row r, a pass over the columns, one per cycle, that SETs
//! (r, c) when `Vmem(c) >= theta_m` and `theta_1 <= Ca(c) < theta_3` and
//! RESETs it when `Vmem(c) < theta_m` and `theta_1 <= Ca(c) < theta_2`
//! (ODIN's `sdsp_update.v` conditions). The bus protocol, the pulse timing
//! and the LFSR are the STDP controller's ([`super::learn_stdp`]).

use super::learn_common::{DecayTimer, LearnWindow};
use super::learn_stdp::{StdpInputs, StdpRegs, LFSR_SEED, LFSR_TAPS};
use super::sequencer::{XbarCmd, OP_RESET, OP_SET};
use memforge_spec::learning::{ctrl, LearningRule};
use memforge_spec::learning_sdsp::{ca_field, CA_MAX};
use memforge_spec::DesignConfig;

/// LFSR steps per cycle: the 4-bit draws of consecutive cycles share no bit.
const DRAW_STEPS: u32 = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SdspState {
    Idle,
    /// The pass over the columns for the captured pre event.
    Pass,
    /// Waiting `width` cycles after a pulse.
    Wait,
}

/// The SDSP registers as the hardware sees them.
#[derive(Clone, Copy, Debug, Default)]
pub struct SdspRegs {
    /// `learn_ctrl` and `learn_cfg`, as the STDP controller sees them.
    pub common: StdpRegs,
    pub theta_m: u16,
    pub theta: [u8; 3],
    pub ca_leak: u8,
    pub prob: u8,
}

impl SdspRegs {
    /// From the raw `learn_ctrl`, `learn_cfg`, `learn_vm`, `learn_ca`.
    pub fn from_raw(ctrl: u32, cfg: u32, vm: u32, ca: u32) -> Self {
        let f = |(lsb, w): (u32, u32)| ((ca >> lsb) & ((1 << w) - 1)) as u8;
        Self {
            common: StdpRegs {
                ctrl,
                period: cfg as u16,
                amp: (cfg >> 16) as u8,
                width: (cfg >> 24) as u8,
            },
            theta_m: vm as u16,
            theta: [
                f(ca_field::THETA_1),
                f(ca_field::THETA_2),
                f(ca_field::THETA_3),
            ],
            ca_leak: f(ca_field::LEAK),
            prob: f(ca_field::PROB),
        }
    }
}

#[derive(Clone, Debug)]
pub struct SdspModel {
    pub state: SdspState,
    /// Calcium per column.
    pub ca: Vec<u8>,
    pre_pend: bool,
    pre_row: u8,
    /// The column the pass is at (the RTL's `col`, whose potential the
    /// top reads).
    pub col: u8,
    timer: u8,
    decay: DecayTimer,
    leak_cnt: u8,
    pub lfsr: u16,
    /// Pulses applied modulo 256 (`learn_count`).
    pub count: u8,
    /// The command issued this cycle, amplitude and width 0.
    pub cmd: XbarCmd,
}

impl SdspModel {
    pub fn new(cols: u32) -> Self {
        Self {
            state: SdspState::Idle,
            ca: vec![0; cols as usize],
            pre_pend: false,
            pre_row: 0,
            col: 0,
            timer: 0,
            decay: DecayTimer::default(),
            leak_cnt: 0,
            lfsr: LFSR_SEED,
            count: 0,
            cmd: XbarCmd::default(),
        }
    }

    /// The command on the `xbar_*` ports (amplitude and width from
    /// `learn_cfg` while a command is out).
    pub fn command(&self, r: &SdspRegs) -> XbarCmd {
        if self.cmd.op == 0 {
            return self.cmd;
        }
        XbarCmd {
            amp: r.common.amp,
            width: r.common.width,
            ..self.cmd
        }
    }

    /// A pre event captured or a pass in progress: the sequencer waits.
    pub fn busy(&self) -> bool {
        self.state != SdspState::Idle || self.pre_pend
    }

    /// On the crossbar bus: the programmer waits.
    pub fn active(&self) -> bool {
        self.state != SdspState::Idle
    }

    /// One clock edge; `vmem` is the pre-edge potential of column
    /// [`Self::col`].
    pub fn clock(&mut self, r: &SdspRegs, i: &StdpInputs, vmem: u16) {
        let bit = |b: u32| r.common.ctrl >> b & 1 != 0;
        let (enable, stoch) = (bit(ctrl::ENABLE), bit(ctrl::STOCHASTIC));
        let (ltp, ltd) = (bit(ctrl::LTP), bit(ctrl::LTD));
        let last_col = (self.ca.len() - 1) as u8;
        self.cmd = XbarCmd::default();

        let decay = self.decay.clock(enable, r.common.period);
        let mut ca_tick = false;
        if decay {
            if r.ca_leak == 0 {
                self.leak_cnt = 0;
            } else if (self.leak_cnt + 1) & 31 >= r.ca_leak {
                self.leak_cnt = 0;
                ca_tick = true;
            } else {
                self.leak_cnt += 1;
            }
        }

        let pre_pend = self.pre_pend;
        if enable {
            if let Some((row, value)) = i.pop {
                if value != 0 {
                    self.pre_pend = true;
                    self.pre_row = row;
                }
            }
        }
        match self.state {
            SdspState::Idle => {
                if pre_pend && i.seq_idle && !i.prog_busy {
                    self.col = 0;
                    self.state = SdspState::Pass;
                }
            }
            SdspState::Pass => {
                let c = self.col;
                let ca = self.ca[c as usize];
                let [th1, th2, th3] = r.theta;
                let vm_ge = vmem >= r.theta_m;
                let gate = !stoch || (self.lfsr & 0xf) as u8 <= r.prob;
                let up = ltp && vm_ge && ca >= th1 && ca < th3 && gate;
                let down = ltd && !vm_ge && ca >= th1 && ca < th2 && gate;
                if c == last_col {
                    self.pre_pend = false;
                    self.state = SdspState::Idle;
                } else {
                    self.col = c + 1;
                }
                if up || down {
                    self.cmd = XbarCmd {
                        op: if up { OP_SET } else { OP_RESET },
                        row: self.pre_row,
                        col: c,
                        ..Default::default()
                    };
                    self.timer = 0;
                    self.state = SdspState::Wait;
                    self.count = self.count.wrapping_add(1);
                }
            }
            SdspState::Wait => {
                if self.timer >= r.common.width {
                    self.state = if pre_pend {
                        SdspState::Pass
                    } else {
                        SdspState::Idle
                    };
                } else {
                    self.timer += 1;
                }
            }
        }
        for _ in 0..DRAW_STEPS {
            let l = self.lfsr;
            self.lfsr = (l >> 1) ^ if l & 1 != 0 { LFSR_TAPS } else { 0 };
        }
        let spike = if enable { i.push } else { None };
        for (c, ca) in self.ca.iter_mut().enumerate() {
            let leak = ca_tick && *ca != 0;
            let up = spike == Some(c as u8);
            *ca = match (leak, up) {
                (true, true) => *ca,
                (true, false) => *ca - 1,
                (false, true) => (*ca + 1).min(CA_MAX as u8),
                (false, false) => *ca,
            };
        }
    }
}

/// The SDSP controller of a tile with its register window.
#[derive(Clone, Debug)]
pub struct SdspLearning {
    pub sdsp: SdspModel,
    /// `learn_ctrl`, `learn_cfg`, `learn_count`, `learn_ca`, `learn_vm`.
    pub window: LearnWindow<5>,
}

impl SdspLearning {
    /// `Some` for a tile with `[learning] rule = "sdsp"`.
    pub fn new(cfg: &DesignConfig) -> Option<Self> {
        let names = [
            "learn_ctrl",
            "learn_cfg",
            "learn_count",
            "learn_ca",
            "learn_vm",
        ];
        Some(Self {
            window: LearnWindow::new(cfg, LearningRule::Sdsp, names)?,
            sdsp: SdspModel::new(cfg.tile.cols),
        })
    }

    /// The registers as the controller sees them.
    pub fn sdsp_regs(&self) -> SdspRegs {
        let w = &self.window;
        SdspRegs::from_raw(w.hw(0), w.hw(1), w.hw(4), w.hw(3))
    }

    /// One edge of the window and the controller (`vmem`: the pre-edge
    /// potential of the controller's column).
    pub fn clock(&mut self, bus: &crate::regfile::WbIn, i: &StdpInputs, vmem: u16) {
        let r = self.sdsp_regs();
        self.window.clock(bus, &[(2, u32::from(self.sdsp.count))]);
        self.sdsp.clock(&r, i, vmem);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regs(theta_m: u16, theta: [u8; 3]) -> SdspRegs {
        SdspRegs {
            common: StdpRegs {
                ctrl: 0b1101,
                period: 1000,
                amp: 3,
                width: 1,
            },
            theta_m,
            theta,
            ca_leak: 0,
            prob: 15,
        }
    }

    /// Pulses of one pre event of `row` with the potentials `v`.
    fn pass(m: &mut SdspModel, r: &SdspRegs, row: u8, v: &[u16]) -> Vec<(u8, u8, u8)> {
        let mut out = Vec::new();
        let first = StdpInputs {
            pop: Some((row, 1)),
            ..Default::default()
        };
        m.clock(r, &first, 0);
        for _ in 0..40 {
            let vm = v[m.col as usize];
            m.clock(
                r,
                &StdpInputs {
                    seq_idle: true,
                    ..Default::default()
                },
                vm,
            );
            if m.cmd.op != 0 {
                out.push((m.cmd.op, m.cmd.row, m.cmd.col));
            }
        }
        assert!(!m.busy());
        out
    }

    #[test]
    fn potential_above_theta_m_potentiates_below_depresses() {
        let mut m = SdspModel::new(4);
        let r = regs(10, [0, 7, 7]);
        let p = pass(&mut m, &r, 2, &[20, 5, 10, 0]);
        assert_eq!(
            p,
            vec![
                (OP_SET, 2, 0),
                (OP_RESET, 2, 1),
                (OP_SET, 2, 2),
                (OP_RESET, 2, 3)
            ]
        );
        assert_eq!(m.count, 4);
    }

    #[test]
    fn calcium_windows_gate_the_updates() {
        let mut m = SdspModel::new(3);
        // theta_1 = 1, theta_2 = 2, theta_3 = 3: column 0 has Ca 0 (no
        // update), column 1 Ca 1 (both), column 2 Ca 2 (SET only).
        m.ca = vec![0, 1, 2];
        let r = regs(10, [1, 2, 3]);
        assert_eq!(pass(&mut m, &r, 0, &[0, 0, 0]), vec![(OP_RESET, 0, 1)]);
        assert_eq!(
            pass(&mut m, &r, 1, &[50, 50, 50]),
            vec![(OP_SET, 1, 1), (OP_SET, 1, 2)]
        );
    }

    #[test]
    fn calcium_counts_spikes_saturating_and_leaks() {
        let mut m = SdspModel::new(2);
        let mut r = regs(0, [0, 0, 0]);
        r.common.period = 0;
        r.ca_leak = 0;
        for _ in 0..9 {
            m.clock(
                &r,
                &StdpInputs {
                    push: Some(1),
                    ..Default::default()
                },
                0,
            );
        }
        assert_eq!(m.ca, vec![0, CA_MAX as u8]);
        // A leak every 3 decay ticks (a tick every cycle).
        r.ca_leak = 3;
        for _ in 0..9 {
            m.clock(&r, &StdpInputs::default(), 0);
        }
        assert_eq!(m.ca, vec![0, CA_MAX as u8 - 3]);
    }
}

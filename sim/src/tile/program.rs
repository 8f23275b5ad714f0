//! Model of the write-verify programming controller (see `docs/tile.md`,
//! "Programming").

use super::sequencer::{XbarCmd, OP_READ, OP_RESET, OP_SET, READ_TIMEOUT};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgState {
    Idle,
    WaitSeq,
    Read,
    Verify,
    Pulse,
}

/// The `prog_*` registers as the hardware sees them.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProgRequest {
    pub row: u8,
    pub col: u8,
    pub target: u16,
    pub tolerance: u16,
    pub max_pulses: u8,
    pub amp: u8,
    pub width: u8,
}

#[derive(Clone, Debug)]
pub struct ProgrammerModel {
    pub state: ProgState,
    pub req: ProgRequest,
    pub pulses: u8,
    timer: u32,
    pub done: bool,
    pub failed: bool,
    pub timed_out: bool,
    pub invalid: bool,
    /// Waiting for the late answer of a timed-out verify read.
    draining: bool,
    /// This cycle: a late answer was dropped.
    pub stale: bool,
    pub cmd: XbarCmd,
    rows: u32,
    cols: u32,
    max_code: u16,
}

impl ProgrammerModel {
    pub fn new(rows: u32, cols: u32, adc_bits: u32) -> Self {
        Self {
            state: ProgState::Idle,
            req: ProgRequest::default(),
            pulses: 0,
            timer: 0,
            done: false,
            failed: false,
            timed_out: false,
            invalid: false,
            draining: false,
            stale: false,
            cmd: XbarCmd::default(),
            rows,
            cols,
            max_code: ((1u32 << adc_bits) - 1) as u16,
        }
    }

    pub fn busy(&self) -> bool {
        self.state != ProgState::Idle
    }

    /// The `prog_status` register.
    pub fn status(&self) -> u32 {
        u32::from(self.busy())
            | u32::from(self.done) << 1
            | u32::from(self.failed) << 2
            | u32::from(self.timed_out) << 3
            | u32::from(self.invalid) << 4
            | u32::from(self.pulses) << 8
    }

    fn finish(&mut self, failed: bool) {
        self.done = true;
        self.failed |= failed;
        self.state = ProgState::Idle;
    }

    /// One clock edge. `start`: `cmd[1]`; `regs`: the `prog_*` registers;
    /// `code`/`slot`: the clamped ADC code of the requested column's lane
    /// and the column's slot in it.
    pub fn clock(
        &mut self,
        start: bool,
        regs: &ProgRequest,
        seq_idle: bool,
        adc_valid: bool,
        code: u16,
        slot: u8,
    ) {
        self.cmd = XbarCmd::default();
        self.stale = false;
        match self.state {
            ProgState::Idle => {
                if start {
                    self.req = *regs;
                    self.pulses = 0;
                    self.done = false;
                    self.failed = false;
                    self.timed_out = false;
                    self.invalid = false;
                    if u32::from(regs.row) >= self.rows
                        || u32::from(regs.col) >= self.cols
                        || regs.target > self.max_code
                    {
                        self.invalid = true;
                        self.finish(true);
                    } else {
                        self.state = ProgState::WaitSeq;
                    }
                }
            }
            ProgState::WaitSeq => {
                if seq_idle {
                    self.state = ProgState::Read;
                }
            }
            ProgState::Read => {
                self.cmd = XbarCmd {
                    op: OP_READ,
                    row: self.req.row,
                    sel: slot,
                    ..Default::default()
                };
                self.timer = 0;
                self.draining = false;
                self.state = ProgState::Verify;
            }
            ProgState::Verify => {
                let t = self.timer;
                self.timer += 1;
                if self.draining {
                    if adc_valid || t == READ_TIMEOUT {
                        self.stale = adc_valid;
                        self.draining = false;
                        self.finish(true);
                    }
                } else if adc_valid {
                    let (c, t, tol) = (
                        code as u32,
                        self.req.target as u32,
                        self.req.tolerance as u32,
                    );
                    let low = c + tol < t;
                    let high = c > t + tol;
                    if !low && !high {
                        self.finish(false);
                    } else if self.pulses == self.req.max_pulses {
                        self.finish(true);
                    } else {
                        self.cmd = XbarCmd {
                            op: if low { OP_SET } else { OP_RESET },
                            row: self.req.row,
                            col: self.req.col,
                            sel: 0,
                            amp: self.req.amp,
                            width: self.req.width,
                        };
                        self.pulses += 1;
                        self.timer = 0;
                        self.state = ProgState::Pulse;
                    }
                } else if t == READ_TIMEOUT {
                    self.timed_out = true;
                    self.draining = true;
                    self.timer = 0;
                }
            }
            ProgState::Pulse => {
                if self.timer >= u32::from(self.req.width) {
                    self.state = ProgState::Read;
                } else {
                    self.timer += 1;
                }
            }
        }
    }
}

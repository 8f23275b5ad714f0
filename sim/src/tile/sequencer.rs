//! Model of the row-driver sequencer and leak timer (see `docs/tile.md`,
//! "Sequencer"). `step` decides, from the state before a clock edge and
//! that cycle's inputs, what the sequencer does in the cycle; `clock`
//! applies the edge.

/// A READ on `xbar_op` in cycle n may be answered in cycles n+1 ..= n +
/// READ_TIMEOUT; unanswered, it is abandoned at the end of cycle n +
/// READ_TIMEOUT and an answer in the next READ_TIMEOUT cycles is dropped as
/// stale (never taken as the answer of a later read).
pub use memforge_spec::blocks::tile::READ_TIMEOUT;

/// Operation codes on `xbar_op`.
pub use memforge_spec::blocks::tile::{
    XBAR_OP_READ as OP_READ, XBAR_OP_RESET as OP_RESET, XBAR_OP_SET as OP_SET,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeqState {
    Idle,
    /// Looking at input bit `bit` of the current event.
    Phase,
    /// Issuing the read of ADC slot `slot`.
    Read,
    /// Waiting for the ADCs.
    Wait,
    /// Fire check of ADC slot `slot` (member `slot` of every lane).
    Commit,
    /// Queueing pending spikes, column `scan_col` next.
    Scan,
    /// A leak tick, applied to ADC slot `slot`.
    Leak,
}

/// A crossbar command as it appears on the `xbar_*` ports for one cycle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct XbarCmd {
    pub op: u8,
    pub row: u8,
    pub col: u8,
    pub sel: u8,
    pub amp: u8,
    pub width: u8,
}

impl XbarCmd {
    /// Both command owners drive zeros when idle, so the port is their OR.
    pub fn or(self, o: XbarCmd) -> XbarCmd {
        XbarCmd {
            op: self.op | o.op,
            row: self.row | o.row,
            col: self.col | o.col,
            sel: self.sel | o.sel,
            amp: self.amp | o.amp,
            width: self.width | o.width,
        }
    }
}

/// What the sequencer's environment presents in a cycle.
#[derive(Clone, Copy, Debug, Default)]
pub struct SeqInputs {
    pub enable: bool,
    pub leak_enable: bool,
    pub leak_period: u16,
    /// Head of the input FIFO, if any.
    pub head: Option<(u8, u8)>,
    pub prog_busy: bool,
    pub adc_valid: bool,
    pub any_pending: bool,
    /// A spike is pending at column `scan_col`.
    pub hit: bool,
    pub out_full: bool,
}

/// What the sequencer does in a cycle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeqActions {
    pub pop: bool,
    /// The leak is applied to ADC slot (lane member) `leak`.
    pub leak: Option<u8>,
    /// The ADC codes of slot `slot` are added, shifted by `bit`.
    pub add: Option<(u8, u8)>,
    /// Fire check of ADC slot (lane member) `commit`.
    pub commit: Option<u8>,
    /// Column whose spike is queued (and cleared).
    pub push: Option<u8>,
    pub timeout: bool,
    /// A late answer of an abandoned read was dropped.
    pub stale: bool,
}

#[derive(Clone, Debug)]
pub struct SequencerModel {
    pub state: SeqState,
    row: u8,
    value: u8,
    bit: u8,
    slot: u8,
    timer: u32,
    pub scan_col: u8,
    leak_cnt: u16,
    leak_due: bool,
    /// The last thing taken from IDLE was a leak tick.
    leaked: bool,
    /// Waiting for the late answer of an abandoned read.
    draining: bool,
    /// The command on the `xbar_*` ports this cycle.
    pub cmd: XbarCmd,
    last_bit: u8,
    last_slot: u8,
}

impl SequencerModel {
    pub fn new(input_bits: u32, adc_share: u32) -> Self {
        Self {
            state: SeqState::Idle,
            row: 0,
            value: 0,
            bit: 0,
            slot: 0,
            timer: 0,
            scan_col: 0,
            leak_cnt: 0,
            leak_due: false,
            leaked: false,
            draining: false,
            cmd: XbarCmd::default(),
            last_bit: (input_bits - 1) as u8,
            last_slot: (adc_share - 1) as u8,
        }
    }

    pub fn idle(&self) -> bool {
        self.state == SeqState::Idle
    }

    /// In IDLE: a due leak tick is taken, unless the last thing taken was a
    /// leak tick and an event is ready (events and ticks interleave).
    fn take_leak(&self, i: &SeqInputs) -> bool {
        self.leak_due && !(self.leaked && Self::event_ready(i))
    }

    fn event_ready(i: &SeqInputs) -> bool {
        i.enable && i.head.is_some() && !i.prog_busy
    }

    /// The actions of this cycle (no state change).
    pub fn actions(&self, i: &SeqInputs) -> SeqActions {
        let mut a = SeqActions::default();
        match self.state {
            SeqState::Idle => {
                a.pop = !self.take_leak(i) && Self::event_ready(i);
            }
            SeqState::Leak => a.leak = Some(self.slot),
            SeqState::Wait => {
                if i.adc_valid {
                    if self.draining {
                        a.stale = true;
                    } else {
                        a.add = Some((self.slot, self.bit));
                    }
                } else if self.timer == READ_TIMEOUT && !self.draining {
                    a.timeout = true;
                }
            }
            SeqState::Commit => a.commit = Some(self.slot),
            SeqState::Scan => {
                if i.any_pending && i.hit && !i.out_full {
                    a.push = Some(self.scan_col);
                }
            }
            SeqState::Phase | SeqState::Read => {}
        }
        a
    }

    /// One clock edge.
    pub fn clock(&mut self, i: &SeqInputs) {
        let a = self.actions(i);
        let take_leak = self.take_leak(i);
        // Leak timer.
        if i.leak_enable {
            if self.leak_cnt == i.leak_period {
                self.leak_cnt = 0;
                self.leak_due = true;
            } else {
                self.leak_cnt += 1;
                if self.idle() && take_leak {
                    self.leak_due = false;
                }
            }
        } else {
            self.leak_cnt = 0;
            self.leak_due = false;
        }
        self.cmd = XbarCmd::default();
        match self.state {
            SeqState::Idle => {
                if take_leak {
                    self.state = SeqState::Leak;
                } else if a.pop {
                    self.leaked = false;
                    let (row, value) = i.head.unwrap_or_default();
                    self.row = row;
                    self.value = value;
                    self.bit = 0;
                    self.slot = 0;
                    self.state = SeqState::Phase;
                }
            }
            SeqState::Phase => {
                if self.value >> self.bit & 1 == 1 {
                    self.state = SeqState::Read;
                } else if self.bit == self.last_bit {
                    self.state = SeqState::Commit;
                } else {
                    self.bit += 1;
                }
            }
            SeqState::Read => {
                self.cmd = XbarCmd {
                    op: OP_READ,
                    row: self.row,
                    sel: self.slot,
                    ..Default::default()
                };
                self.timer = 0;
                self.draining = false;
                self.state = SeqState::Wait;
            }
            SeqState::Wait => {
                let due = self.timer == READ_TIMEOUT;
                self.timer = (self.timer + 1) & 0x7f;
                if a.timeout {
                    self.draining = true;
                    self.timer = 0;
                } else if i.adc_valid || due {
                    self.draining = false;
                    if self.slot == self.last_slot {
                        self.slot = 0;
                        if self.bit == self.last_bit {
                            self.state = SeqState::Commit;
                        } else {
                            self.bit += 1;
                            self.state = SeqState::Phase;
                        }
                    } else {
                        self.slot += 1;
                        self.state = SeqState::Read;
                    }
                }
            }
            SeqState::Commit | SeqState::Leak => {
                if self.slot == self.last_slot {
                    self.slot = 0;
                    if self.state == SeqState::Commit {
                        self.scan_col = 0;
                        self.state = SeqState::Scan;
                    } else {
                        self.leaked = true;
                        self.state = SeqState::Idle;
                    }
                } else {
                    self.slot += 1;
                }
            }
            SeqState::Scan => {
                if !i.any_pending {
                    self.state = SeqState::Idle;
                } else if !(i.hit && i.out_full) {
                    self.scan_col = self.scan_col.wrapping_add(1);
                }
            }
        }
    }
}

//! A scripted tile session: the tile's whole environment as one
//! [`Stimulus`], so that a user-level flow (program weights through the
//! register file, configure the neurons, stream spikes, collect output
//! spikes) runs in lock-step co-simulation with every output compared
//! every cycle.
//!
//! Each cycle the session plays, from the outputs after the last edge:
//! - the analog crossbar macro (an [`XbarMacro`], [`IdealXbar`] by default):
//!   clocked with the command the tile presented in the cycle before, its
//!   ADC outputs driven for this cycle;
//! - an AER sink, always ready, recording every output spike with its cycle;
//! - a Wishbone master ([`bus`]) and an AER source ([`aer`]) driven by the
//!   script's operations ([`script`]), one after the other.
//!
//! The session first holds `wb_rst_i` for [`RESET_CYCLES`] cycles and starts
//! the script at cycle [`START_CYCLE`], after the tile's reset synchronizer
//! has released the design. It reports [`Stimulus::finished`] when the
//! script is done or has failed (a request never acknowledged), so the
//! harness stops; its cycle budget is only the guard against a hang.
//!
//! [`IdealXbar`]: crate::tile::IdealXbar

pub mod aer;
pub mod bus;
pub mod log;
pub mod run;
pub mod script;

pub use aer::Spike;
pub use log::{ProgramResult, PulseStats, ReadResult, SessionLog};
pub use run::{run_session, run_session_observed, SessionError, SessionRun};
pub use script::{AerEvent, Op, Script, ScriptError};

use crate::cycle::PortLayout;
use crate::stimulus::Stimulus;
use crate::tile::pins::TilePins;
use crate::tile::sequencer::XbarCmd;
use crate::tile::XbarMacro;
use aer::{AerSink, AerSource};
use bus::{BusEvent, BusMaster, ACK_TIMEOUT};
use memforge_spec::{DesignConfig, RegisterMap};
use script::address;

/// Cycles `wb_rst_i` is held at the start.
pub const RESET_CYCLES: u64 = 4;
/// First cycle of the script (reset released, synchronizer settled).
pub const START_CYCLE: u64 = RESET_CYCLES + 4;
/// `status` bits that mean work is left: input FIFO not empty, output FIFO
/// not empty, sequencer busy, programmer busy, spikes pending.
const BUSY_STATUS: u32 = memforge_spec::blocks::tile::status::BUSY;
/// `prog_status[0]`: the request is busy.
const PROG_BUSY: u32 = 1;
/// `cmd[1]`: start the programming request.
const CMD_PROGRAM: u32 = 2;

/// Addresses of the registers the session's compound operations use.
#[derive(Clone, Debug)]
struct Addrs {
    prog_addr: u32,
    prog_target: u32,
    cmd: u32,
    prog_status: u32,
    status: u32,
}

/// Steps of a write-verify request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ProgPhase {
    Addr,
    Target,
    Start,
    Poll,
}

/// The operation in progress.
#[derive(Clone, Debug)]
enum Running {
    Write,
    Read {
        reg: String,
    },
    Program {
        result: ProgramResult,
        phase: ProgPhase,
        started: u64,
    },
    Send,
    Wait {
        until: u64,
    },
    WaitIdle,
}

pub struct Session<X> {
    pins: TilePins,
    map: RegisterMap,
    addrs: Addrs,
    ops: Vec<Op>,
    next: usize,
    current: Option<Running>,
    bus: BusMaster,
    source: AerSource,
    xbar: X,
    /// The command the tile presented last cycle (the macro's next edge).
    last_cmd: XbarCmd,
    pub log: SessionLog,
}

impl<X: XbarMacro> Session<X> {
    /// A session running `script` on a tile of `cfg` whose ports are laid
    /// out as `layout` (the golden model's), with `xbar` as the macro.
    pub fn new(
        cfg: &DesignConfig,
        layout: &PortLayout,
        script: &Script,
        xbar: X,
    ) -> Result<Self, ScriptError> {
        let map = RegisterMap::for_design(cfg);
        script.check(&map)?;
        let a = |n: &str| address(&map, n);
        let addrs = Addrs {
            prog_addr: a("prog_addr")?,
            prog_target: a("prog_target")?,
            cmd: a("cmd")?,
            prog_status: a("prog_status")?,
            status: a("status")?,
        };
        Ok(Self {
            pins: TilePins::new(layout)?,
            map,
            addrs,
            ops: script.ops.clone(),
            next: 0,
            current: None,
            bus: BusMaster::default(),
            source: AerSource::default(),
            xbar,
            last_cmd: XbarCmd::default(),
            log: SessionLog::default(),
        })
    }

    /// The macro model (e.g. to read the cell levels after programming).
    pub fn xbar(&self) -> &X {
        &self.xbar
    }

    pub fn into_parts(self) -> (SessionLog, X) {
        (self.log, self.xbar)
    }

    /// The operation the script is at (for error messages).
    pub fn current_op(&self) -> Option<String> {
        let i = if self.current.is_some() {
            self.next.checked_sub(1)?
        } else {
            self.next
        };
        self.ops
            .get(i)
            .map(|op| format!("op #{i}: {}", op.describe()))
    }

    fn addr(&self, reg: &str) -> u32 {
        // Checked in `new`; an unknown name cannot reach here.
        address(&self.map, reg).unwrap_or(0)
    }

    /// Starts operation `op` at `cycle`.
    fn begin(&mut self, op: Op, cycle: u64) -> Running {
        match op {
            Op::Write { reg, value } => {
                self.bus.start(true, self.addr(&reg), value);
                Running::Write
            }
            Op::Read { reg } => {
                self.bus.start(false, self.addr(&reg), 0);
                Running::Read { reg }
            }
            Op::Program { row, col, target } => {
                let dat = u32::from(row) | u32::from(col) << 8;
                self.bus.start(true, self.addrs.prog_addr, dat);
                Running::Program {
                    result: ProgramResult {
                        row,
                        col,
                        target,
                        status: 0,
                        cycles: 0,
                    },
                    phase: ProgPhase::Addr,
                    started: cycle,
                }
            }
            Op::Send { events } => {
                self.source.push(&events);
                Running::Send
            }
            Op::Wait { cycles } => Running::Wait {
                until: cycle + cycles,
            },
            Op::WaitIdle => {
                self.bus.start(false, self.addrs.status, 0);
                Running::WaitIdle
            }
        }
    }

    /// Advances `run` by this cycle's bus event; `Some` while it goes on.
    fn step(&mut self, run: Running, ev: BusEvent, cycle: u64) -> Option<Running> {
        let done = match ev {
            BusEvent::Done(v) => Some(v),
            _ => None,
        };
        match run {
            Running::Write => done.is_none().then_some(Running::Write),
            Running::Read { reg } => match done {
                Some(value) => {
                    self.log.reads.push(ReadResult { reg, value, cycle });
                    None
                }
                None => Some(Running::Read { reg }),
            },
            Running::Program {
                mut result,
                phase,
                started,
            } => {
                let Some(value) = done else {
                    return Some(Running::Program {
                        result,
                        phase,
                        started,
                    });
                };
                let phase = match phase {
                    ProgPhase::Addr => {
                        let t = u32::from(result.target);
                        self.bus.start(true, self.addrs.prog_target, t);
                        ProgPhase::Target
                    }
                    ProgPhase::Target => {
                        self.bus.start(true, self.addrs.cmd, CMD_PROGRAM);
                        ProgPhase::Start
                    }
                    ProgPhase::Start => {
                        self.bus.start(false, self.addrs.prog_status, 0);
                        ProgPhase::Poll
                    }
                    ProgPhase::Poll if value & PROG_BUSY != 0 => {
                        self.bus.start(false, self.addrs.prog_status, 0);
                        ProgPhase::Poll
                    }
                    ProgPhase::Poll => {
                        result.status = value;
                        result.cycles = cycle - started;
                        self.log.programs.push(result);
                        return None;
                    }
                };
                Some(Running::Program {
                    result,
                    phase,
                    started,
                })
            }
            // Checked before the source drives this cycle: the last event
            // was taken at an earlier edge, so a following status read
            // already sees it in the input FIFO.
            Running::Send => (!self.source.is_empty()).then_some(Running::Send),
            Running::Wait { until } => (cycle < until).then_some(Running::Wait { until }),
            Running::WaitIdle => match done {
                Some(status) if status & BUSY_STATUS == 0 => None,
                Some(_) => {
                    self.bus.start(false, self.addrs.status, 0);
                    Some(Running::WaitIdle)
                }
                None => Some(Running::WaitIdle),
            },
        }
    }

    /// Runs the script as far as this cycle allows.
    fn advance(&mut self, cycle: u64, mut ev: BusEvent) {
        if ev == BusEvent::Timeout {
            self.log.failure = Some(format!(
                "no Wishbone ack within {ACK_TIMEOUT} cycles (cycle {cycle}, {})",
                self.current_op().unwrap_or_default()
            ));
            return;
        }
        loop {
            let run = match self.current.take() {
                Some(run) => run,
                None => match self.ops.get(self.next).cloned() {
                    Some(op) => {
                        self.next += 1;
                        self.begin(op, cycle)
                    }
                    None => {
                        self.log.finished_at = Some(cycle);
                        return;
                    }
                },
            };
            match self.step(run, ev, cycle) {
                Some(run) => {
                    self.current = Some(run);
                    return;
                }
                None => {
                    self.log.op_end.push(cycle);
                    // The bus event belonged to the finished operation.
                    ev = BusEvent::None;
                }
            }
        }
    }
}

impl<X: XbarMacro> Stimulus for Session<X> {
    fn drive(&mut self, cycle: u64, values: &mut [u64]) {
        let pins = &self.pins;
        // The macro: the edge that ended last cycle, then this cycle's ADCs.
        if cycle > 0 {
            self.xbar.clock(&self.last_cmd);
        }
        pins.adc_valid.set(values, u64::from(self.xbar.adc_valid()));
        for (p, c) in pins.adc_codes.iter().zip(self.xbar.adc_codes()) {
            p.set(values, u64::from(*c));
        }
        self.last_cmd = pins.command(values);

        pins.rst.set(values, u64::from(cycle < RESET_CYCLES));
        if let Some(s) = AerSink.drive(cycle, pins, values) {
            self.log.spikes.push(s);
        }
        let ev = self.bus.observe(&pins.wb, values);
        if cycle >= START_CYCLE && !self.finished() {
            self.advance(cycle, ev);
        }
        self.bus.drive(&self.pins.wb, values);
        self.source.drive(&self.pins, values);
        self.log.events_sent = self.source.sent;
    }

    fn finished(&self) -> bool {
        self.log.finished_at.is_some() || self.log.failure.is_some()
    }

    fn fault(&self) -> Option<String> {
        self.xbar
            .fault()
            .map(|e| format!("the crossbar macro's model failed: {e}"))
    }
}

#[cfg(test)]
mod tests;

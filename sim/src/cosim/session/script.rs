//! What a scripted tile session does: high-level operations in the order
//! software would do them, named by register (resolved against the design's
//! register map before anything runs, so a typo is an error, not a silent
//! write to an unmapped address).

use memforge_spec::RegisterMap;

/// One input event on the AER bus: a row and its value (1 for a spike).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AerEvent {
    pub row: u8,
    pub value: u8,
}

/// A high-level operation of a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// Wishbone write of `value` to register `reg`, waiting for its ack.
    Write { reg: String, value: u32 },
    /// Wishbone read of register `reg`, recorded in the session's log.
    Read { reg: String },
    /// Write-verify of one cell: `prog_addr`, `prog_target`, `cmd[1]`, then
    /// `prog_status` polled until the request is no longer busy.
    Program { row: u8, col: u8, target: u16 },
    /// Offers the events on the AER input, in order, with the valid/ready
    /// handshake; done when the tile has taken the last one.
    Send { events: Vec<AerEvent> },
    /// Does nothing for `cycles` cycles.
    Wait { cycles: u64 },
    /// Polls `status` until the tile is quiet: input FIFO empty, sequencer
    /// and programmer idle, no spike pending, output FIFO drained.
    WaitIdle,
}

impl Op {
    /// One line for logs and errors.
    pub fn describe(&self) -> String {
        match self {
            Op::Write { reg, value } => format!("write {reg} = {value:#x}"),
            Op::Read { reg } => format!("read {reg}"),
            Op::Program { row, col, target } => {
                format!("program cell ({row}, {col}) to level {target}")
            }
            Op::Send { events } => format!("send {} events", events.len()),
            Op::Wait { cycles } => format!("wait {cycles} cycles"),
            Op::WaitIdle => "wait until the tile is idle".into(),
        }
    }
}

/// An ordered list of operations, built fluently.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Script {
    pub ops: Vec<Op>,
}

impl Script {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn write(mut self, reg: &str, value: u32) -> Self {
        self.ops.push(Op::Write {
            reg: reg.into(),
            value,
        });
        self
    }

    pub fn read(mut self, reg: &str) -> Self {
        self.ops.push(Op::Read { reg: reg.into() });
        self
    }

    pub fn program(mut self, row: u8, col: u8, target: u16) -> Self {
        self.ops.push(Op::Program { row, col, target });
        self
    }

    pub fn send(mut self, events: Vec<AerEvent>) -> Self {
        self.ops.push(Op::Send { events });
        self
    }

    pub fn wait(mut self, cycles: u64) -> Self {
        self.ops.push(Op::Wait { cycles });
        self
    }

    pub fn wait_idle(mut self) -> Self {
        self.ops.push(Op::WaitIdle);
        self
    }

    /// Checks every register name against `map`.
    pub fn check(&self, map: &RegisterMap) -> Result<(), ScriptError> {
        for op in &self.ops {
            if let Op::Write { reg, .. } | Op::Read { reg } = op {
                address(map, reg)?;
            }
        }
        Ok(())
    }
}

/// A script or a design the session cannot run.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScriptError {
    #[error("the register map has no register `{0}`")]
    UnknownRegister(String),
    #[error("the session cannot drive this layout: {0}")]
    MissingPort(#[from] crate::cycle::MissingPort),
}

/// The bus address of register `name`.
pub fn address(map: &RegisterMap, name: &str) -> Result<u32, ScriptError> {
    map.get(name)
        .map(|r| map.base_address + r.offset)
        .ok_or_else(|| ScriptError::UnknownRegister(name.into()))
}

//! What a session found out: register reads, the outcome of every
//! write-verify request, the output spikes, and whether the script ran to
//! its end.

use super::aer::Spike;
use serde::Serialize;

/// One register read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReadResult {
    pub reg: String,
    pub value: u32,
    /// Cycle the acknowledge was seen.
    pub cycle: u64,
}

/// One write-verify request, from the final `prog_status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ProgramResult {
    pub row: u8,
    pub col: u8,
    pub target: u16,
    /// `prog_status` when the request was no longer busy.
    pub status: u32,
    /// Cycles from the first register write to the final status read.
    pub cycles: u64,
}

impl ProgramResult {
    /// `prog_status[15:8]`.
    pub fn pulses(&self) -> u32 {
        (self.status >> 8) & 0xff
    }

    pub fn done(&self) -> bool {
        self.status & 2 != 0
    }

    pub fn failed(&self) -> bool {
        self.status & 4 != 0
    }

    pub fn timed_out(&self) -> bool {
        self.status & 8 != 0
    }

    pub fn invalid(&self) -> bool {
        self.status & 16 != 0
    }

    /// Done and verified within tolerance.
    pub fn passed(&self) -> bool {
        self.done() && !self.failed()
    }
}

/// Pulse statistics over a set of requests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PulseStats {
    pub cells: usize,
    pub total: u64,
    pub min: u32,
    pub max: u32,
    pub failed: usize,
}

impl PulseStats {
    pub fn of(results: &[ProgramResult]) -> Self {
        Self {
            cells: results.len(),
            total: results.iter().map(|r| u64::from(r.pulses())).sum(),
            min: results.iter().map(|r| r.pulses()).min().unwrap_or(0),
            max: results.iter().map(|r| r.pulses()).max().unwrap_or(0),
            failed: results.iter().filter(|r| !r.passed()).count(),
        }
    }

    pub fn mean(&self) -> f64 {
        if self.cells == 0 {
            0.0
        } else {
            self.total as f64 / self.cells as f64
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SessionLog {
    pub reads: Vec<ReadResult>,
    pub programs: Vec<ProgramResult>,
    pub spikes: Vec<Spike>,
    /// Events the tile took from the AER source.
    pub events_sent: u64,
    /// Cycle at which each completed operation ended, in script order (a
    /// prefix of the script), so callers can time its phases.
    pub op_end: Vec<u64>,
    /// Why the script stopped early (a bus that never acknowledged).
    pub failure: Option<String>,
    /// Cycle at which the last operation completed, if it did.
    pub finished_at: Option<u64>,
}

impl SessionLog {
    /// The script ran to its end without a failure.
    pub fn completed(&self) -> bool {
        self.finished_at.is_some() && self.failure.is_none()
    }

    /// Operations completed.
    pub fn ops_done(&self) -> usize {
        self.op_end.len()
    }

    /// The last value read from `reg`.
    pub fn last_read(&self, reg: &str) -> Option<u32> {
        self.reads
            .iter()
            .rev()
            .find(|r| r.reg == reg)
            .map(|r| r.value)
    }

    pub fn pulse_stats(&self) -> PulseStats {
        PulseStats::of(&self.programs)
    }
}

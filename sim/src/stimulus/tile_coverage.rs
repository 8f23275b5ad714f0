//! What a tile co-simulation's traffic exercised, counted at the tile's
//! ports: a zero-mismatch run only means something if spikes came out,
//! the macro was read and programmed, the FIFOs backed up and the bus
//! was used. The counters sit behind an `Rc` shared with the caller,
//! because the harness consumes the stimulus; `Cell` keeps the per-cycle
//! increments as cheap as plain fields.

use serde::Serialize;
use std::cell::Cell;
use std::rc::Rc;

macro_rules! coverage {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        /// Live counters, updated by the traffic every cycle.
        #[derive(Debug, Default)]
        pub struct CoverageCells {
            $($(#[$doc])* pub $name: Cell<u64>,)*
        }

        /// A snapshot of the counters.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
        pub struct TileCoverage {
            $($(#[$doc])* pub $name: u64,)*
        }

        impl CoverageCells {
            pub fn snapshot(&self) -> TileCoverage {
                TileCoverage { $($name: self.$name.get(),)* }
            }
        }
    };
}

coverage! {
    /// Cycles driven.
    cycles,
    /// Cycles with `wb_rst_i` asserted.
    reset_cycles,
    /// Resets started after the initial one.
    resets,
    /// AER input events taken (`valid & ready`), in range or not.
    events_in,
    /// Events taken whose row is out of range (counted by `dropped`).
    events_out_of_range,
    /// Cycles an event was offered while `aer_in_ready` was low.
    input_backpressure_cycles,
    /// Spikes taken from `aer_out` (`valid & ready`).
    spikes_out,
    /// Cycles a spike was offered while `aer_out_ready` was low.
    output_backpressure_cycles,
    /// Crossbar READ commands.
    xbar_reads,
    /// Crossbar SET pulses.
    xbar_sets,
    /// Crossbar RESET pulses.
    xbar_resets,
    /// Of the pulses and reads, those to the trace rows of a `rule =
    /// "pcm_trace"` tile (macro rows `rows..2 rows`): partial SETs (and
    /// weight pulses otherwise), READs, RESETs.
    trace_sets,
    trace_reads,
    trace_resets,
    /// Cycles the macro answered a read (`xbar_adc_valid` from the macro).
    adc_answers,
    /// `xbar_adc_valid` strobes with no read behind them.
    spurious_adc_strobes,
    /// Cycles the macro ignored reads (to provoke timeouts).
    deaf_cycles,
    /// Acknowledged Wishbone writes.
    wb_writes,
    /// Acknowledged Wishbone reads.
    wb_reads,
    /// Acknowledged reads that returned non-zero data.
    wb_reads_nonzero,
    /// Acknowledged writes of `cmd` with bit 1 (programming requests).
    prog_requests,
}

/// The counters that only a `rule = "pcm_trace"` tile can move (always 0
/// elsewhere: left out of other tiles' reports and coverage checks).
pub const TRACE_COUNTERS: [&str; 3] = ["trace_sets", "trace_reads", "trace_resets"];

/// Whether `counter` applies to the tile of `cfg`.
pub fn applies(counter: &str, cfg: &memforge_spec::DesignConfig) -> bool {
    cfg.learning.rule == memforge_spec::learning::LearningRule::PcmTrace
        || !TRACE_COUNTERS.contains(&counter)
}

/// The caller's handle on a traffic generator's counters.
pub type CoverageProbe = Rc<CoverageCells>;

/// Adds one to a counter.
#[inline]
pub fn bump(c: &Cell<u64>) {
    c.set(c.get() + 1);
}

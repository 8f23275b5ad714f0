//! The routing crossbar macro played by real devices: every READ solves
//! the crossbar's circuit with the active rows at the read voltage (IR
//! drop, leakage of blocking devices, the config's variability and read
//! noise) and compares each column current with the threshold of the
//! `xbar_vth` code; SET and RESET program a device to its routing or
//! blocking conductance in one write-verify step. Same contract as
//! `crate::routing_xbar::IdealRoutingXbar`.

use super::array::{AnalogError, CrossbarArray};
use super::device::conductance_range;
use super::routing::margins;
use crate::routing_xbar::{AnswerPipe, MacroAction, RoutingCmd, RoutingMacro};
use memforge_spec::analog::AnalogSection;

/// The `xbar_vth` code at which the comparators sit at the worst-case
/// threshold of [`margins`]; code `k` sets `k / VTH_NOMINAL` of it.
pub const VTH_NOMINAL: u8 = 128;

#[derive(Debug)]
pub struct DeviceRoutingXbar {
    lines: usize,
    array: CrossbarArray,
    /// The worst-case threshold (A) at code [`VTH_NOMINAL`].
    nominal_threshold: f64,
    pipe: AnswerPipe,
    /// A solve failed: the message, kept for the report (the READ answers
    /// all-silent; the harness stops the run on it, `RoutingMacro::fault`).
    pub error: Option<String>,
}

impl DeviceRoutingXbar {
    /// `lines x lines` devices of `cfg`, device `k` routing when `routes[k]`.
    pub fn new(
        cfg: &AnalogSection,
        lines: usize,
        routes: &[bool],
        latency: usize,
    ) -> Result<Self, AnalogError> {
        let nominal_threshold = margins(cfg, lines)?.threshold;
        let (lcs, hcs) = conductance_range(cfg);
        let mut array = CrossbarArray::new(cfg, lines, lines)?;
        for (k, &on) in routes.iter().enumerate() {
            array.program_conductance(k / lines, k % lines, if on { hcs } else { lcs })?;
        }
        Ok(Self {
            lines,
            array,
            nominal_threshold,
            pipe: AnswerPipe::new(latency),
            error: None,
        })
    }

    fn read(&mut self, active: u64, vth: u8) -> u64 {
        let rows: Vec<bool> = (0..self.lines).map(|r| active >> r & 1 != 0).collect();
        let threshold = self.nominal_threshold * f64::from(vth) / f64::from(VTH_NOMINAL);
        match self.array.read_columns(&rows) {
            Ok(currents) => currents
                .iter()
                .enumerate()
                .filter(|(_, &i)| i > threshold)
                .fold(0, |m, (c, _)| m | 1 << c),
            Err(e) => {
                self.error.get_or_insert(e.to_string());
                0
            }
        }
    }
}

impl RoutingMacro for DeviceRoutingXbar {
    fn clock(&mut self, cmd: &RoutingCmd) {
        let read = match cmd.action(self.lines) {
            MacroAction::Read(active) => Some(self.read(active, cmd.vth)),
            MacroAction::Program { row, col, route } => {
                let (lcs, hcs) = conductance_range(self.array.config());
                let g = if route { hcs } else { lcs };
                if let Err(e) = self.array.program_conductance(row, col, g) {
                    self.error.get_or_insert(e.to_string());
                }
                None
            }
            MacroAction::Nothing => None,
        };
        self.pipe.clock(read);
    }

    fn answer(&self) -> Option<u64> {
        self.pipe.answer()
    }

    fn fault(&self) -> Option<String> {
        self.error.clone()
    }
}

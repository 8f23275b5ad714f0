//! A faulty crossbar: cells stuck at their level, for the write-verify
//! path that must give up. A stuck cell (a device stuck in one state, an
//! open selector) reads back normally but ignores SET and RESET pulses, so
//! a request to move it never verifies and must end with `prog_status`
//! failed after `prog_max_pulses` pulses rather than loop forever.

use super::sequencer::{XbarCmd, OP_RESET, OP_SET};
use super::xbar::XbarMacro;

/// Wraps a macro model; pulses to the listed cells are dropped.
#[derive(Clone, Debug)]
pub struct StuckCells<X> {
    pub inner: X,
    /// (row, column) of every stuck cell.
    pub stuck: Vec<(u8, u8)>,
    /// Pulses that hit a stuck cell.
    pub ignored_pulses: u64,
}

impl<X> StuckCells<X> {
    pub fn new(inner: X, stuck: Vec<(u8, u8)>) -> Self {
        Self {
            inner,
            stuck,
            ignored_pulses: 0,
        }
    }
}

impl<X: XbarMacro> XbarMacro for StuckCells<X> {
    fn clock(&mut self, cmd: &XbarCmd) {
        let pulse = cmd.op == OP_SET || cmd.op == OP_RESET;
        if pulse && self.stuck.contains(&(cmd.row, cmd.col)) {
            self.ignored_pulses += 1;
            self.inner.clock(&XbarCmd::default());
        } else {
            self.inner.clock(cmd);
        }
    }

    fn adc_valid(&self) -> bool {
        self.inner.adc_valid()
    }

    fn adc_codes(&self) -> &[u16] {
        self.inner.adc_codes()
    }

    fn pause(&mut self, seconds: f64) {
        self.inner.pause(seconds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tile::sequencer::OP_READ;
    use crate::tile::IdealXbar;

    #[test]
    fn stuck_cells_ignore_pulses_and_read_normally() {
        let cfg = memforge_spec::parse_str("[design]\nname = \"t\"\n", "t").unwrap();
        let mut ideal = IdealXbar::new(&cfg, 1);
        ideal.set_level(1, 2, 5);
        let mut x = StuckCells::new(ideal, vec![(1, 2)]);
        let pulse = |op, col| XbarCmd {
            op,
            row: 1,
            col,
            ..Default::default()
        };
        x.clock(&pulse(OP_SET, 2));
        x.clock(&pulse(OP_RESET, 2));
        x.clock(&pulse(OP_SET, 3));
        assert_eq!(x.ignored_pulses, 2);
        assert_eq!(x.inner.level(1, 2), 5);
        assert_eq!(x.inner.level(1, 3), 1);
        x.clock(&XbarCmd {
            op: OP_READ,
            row: 1,
            ..Default::default()
        });
        assert!(x.adc_valid());
        assert_eq!(x.adc_codes()[2], 5);
    }
}

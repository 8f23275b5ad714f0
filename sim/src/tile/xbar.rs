//! The analog crossbar macro as the tile sees it, at the `xbar_*` ports,
//! and an ideal model of it.
//!
//! Contract (see `docs/tile.md`, "Crossbar macro"): a command is present on
//! the `xbar_*` outputs for exactly one cycle (`xbar_op != 0`); the macro
//! samples it at the next clock edge. A READ of row `r` with slot `s` makes
//! every ADC `a` convert column `a * adc_share + s` and, `latency` edges
//! later, present the codes on `xbar_adc_code__<a>` with `xbar_adc_valid`
//! high for one cycle. SET and RESET pulses change the addressed cell.
//!
//! [`IdealXbar`] stores one level per cell in ADC codes (an ideal, noise-free
//! conductance read by an ideal ADC); a SET pulse raises it by one code and
//! a RESET pulse lowers it by one, whatever the amplitude and width codes.
//! Device models with realistic behaviour implement [`XbarMacro`] too:
//! `AnalogXbar` (in `crate::analog`, which builds on this module) plays the macro with the
//! `[analog]` devices. `crate::analog::macro_from_config` picks one from
//! `analog.macro_model`, for harnesses that should follow the config.

use super::pins::TilePins;
use super::sequencer::{XbarCmd, OP_READ, OP_RESET, OP_SET};
use memforge_spec::{Derived, DesignConfig};

/// What the tile's periphery needs from a crossbar macro model.
pub trait XbarMacro {
    /// One clock edge with the command the tile presented in the cycle
    /// before it.
    fn clock(&mut self, cmd: &XbarCmd);
    /// `xbar_adc_valid` in the current cycle.
    fn adc_valid(&self) -> bool;
    /// `xbar_adc_code__<a>` per ADC in the current cycle.
    fn adc_codes(&self) -> &[u16];
    /// The first failure of the macro's model (a circuit solve), if any.
    fn fault(&self) -> Option<String> {
        None
    }
    /// A cell's code as a noise-free read of it alone would give it now
    /// (no read noise, no parasitics, no random draw): how a harness watches
    /// the weights without disturbing the model. `None`: the model cannot
    /// tell.
    fn cell_code(&self, _row: usize, _col: usize) -> Option<u16> {
        None
    }
    /// Loads a cell with `code` without going through the tile (initial
    /// weights; device models program the matching conductance in one
    /// write-verify step, with its programming error).
    fn load_cell(&mut self, _row: usize, _col: usize, _code: u16) -> Result<(), String> {
        Err("this crossbar model cannot load cells directly".into())
    }
    /// `seconds` pass with the tile's clock stopped (a host waiting): a
    /// model with device time lets its devices drift; others ignore it.
    fn pause(&mut self, _seconds: f64) {}
}

/// A boxed macro is a macro, so `Session<Box<dyn XbarMacro>>` and the
/// harnesses accept what `crate::analog::macro_from_config` returns.
impl<T: XbarMacro + ?Sized> XbarMacro for Box<T> {
    fn clock(&mut self, cmd: &XbarCmd) {
        (**self).clock(cmd)
    }
    fn adc_valid(&self) -> bool {
        (**self).adc_valid()
    }
    fn adc_codes(&self) -> &[u16] {
        (**self).adc_codes()
    }
    fn fault(&self) -> Option<String> {
        (**self).fault()
    }
    fn cell_code(&self, row: usize, col: usize) -> Option<u16> {
        (**self).cell_code(row, col)
    }
    fn load_cell(&mut self, row: usize, col: usize, code: u16) -> Result<(), String> {
        (**self).load_cell(row, col, code)
    }
    fn pause(&mut self, seconds: f64) {
        (**self).pause(seconds)
    }
}

#[derive(Clone, Debug)]
pub struct IdealXbar {
    rows: usize,
    cols: usize,
    share: usize,
    adc_max: u16,
    /// Edges from a READ command to the cycle its codes are presented (>= 1).
    latency: usize,
    levels: Vec<u16>,
    /// Reads in flight: (edges left, codes).
    inflight: Vec<(usize, Vec<u16>)>,
    valid: bool,
    codes: Vec<u16>,
}

impl IdealXbar {
    /// All cells at level 0.
    pub fn new(cfg: &DesignConfig, latency: usize) -> Self {
        let d = Derived::of(cfg);
        let t = &cfg.tile;
        Self {
            rows: t.rows as usize,
            cols: t.cols as usize,
            share: t.adc_share as usize,
            adc_max: d.adc_max as u16,
            latency: latency.max(1),
            levels: vec![0; (t.rows * t.cols) as usize],
            inflight: Vec::new(),
            valid: false,
            codes: vec![0; d.adc_count as usize],
        }
    }

    pub fn level(&self, row: usize, col: usize) -> u16 {
        self.levels[row * self.cols + col]
    }

    /// Sets a cell directly (weights loaded without programming).
    pub fn set_level(&mut self, row: usize, col: usize, level: u16) {
        self.levels[row * self.cols + col] = level.min(self.adc_max);
    }

    /// Writes the macro's outputs into the tile's input vector.
    pub fn drive(&self, pins: &TilePins, values: &mut [u64]) {
        pins.adc_valid.set(values, u64::from(self.adc_valid()));
        for (p, c) in pins.adc_codes.iter().zip(self.adc_codes()) {
            p.set(values, u64::from(*c));
        }
    }
}

impl XbarMacro for IdealXbar {
    fn clock(&mut self, cmd: &XbarCmd) {
        self.valid = false;
        for c in self.codes.iter_mut() {
            *c = 0;
        }
        let (row, col) = (cmd.row as usize, cmd.col as usize);
        match cmd.op {
            OP_READ => {
                let codes = (0..self.codes.len())
                    .map(|a| {
                        let c = a * self.share + cmd.sel as usize;
                        if row < self.rows && (cmd.sel as usize) < self.share && c < self.cols {
                            self.level(row, c)
                        } else {
                            0
                        }
                    })
                    .collect();
                self.inflight.push((self.latency, codes));
            }
            OP_SET if row < self.rows && col < self.cols => {
                let l = self.level(row, col);
                self.levels[row * self.cols + col] = (l + 1).min(self.adc_max);
            }
            OP_RESET if row < self.rows && col < self.cols => {
                let l = self.level(row, col);
                self.levels[row * self.cols + col] = l.saturating_sub(1);
            }
            _ => {}
        }
        for f in self.inflight.iter_mut() {
            f.0 -= 1;
        }
        if let Some(pos) = self.inflight.iter().position(|f| f.0 == 0) {
            let (_, codes) = self.inflight.remove(pos);
            self.valid = true;
            self.codes = codes;
        }
    }

    fn adc_valid(&self) -> bool {
        self.valid
    }

    fn adc_codes(&self) -> &[u16] {
        &self.codes
    }

    fn cell_code(&self, row: usize, col: usize) -> Option<u16> {
        (row < self.rows && col < self.cols).then(|| self.level(row, col))
    }

    fn load_cell(&mut self, row: usize, col: usize, code: u16) -> Result<(), String> {
        if row >= self.rows || col >= self.cols {
            return Err(format!(
                "cell ({row}, {col}) outside the {}x{} crossbar",
                self.rows, self.cols
            ));
        }
        self.set_level(row, col, code);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> DesignConfig {
        memforge_spec::parse_str(
            "[design]\nname = \"t\"\n[tile]\nrows = 4\ncols = 5\nadc_share = 2\nadc_bits = 3\n",
            "t",
        )
        .unwrap()
    }

    #[test]
    fn reads_after_latency_and_pulses_move_levels() {
        let mut x = IdealXbar::new(&cfg(), 2);
        x.set_level(1, 4, 5);
        x.set_level(1, 1, 2);
        let read = XbarCmd {
            op: OP_READ,
            row: 1,
            sel: 0,
            ..Default::default()
        };
        x.clock(&read);
        assert!(!x.adc_valid());
        x.clock(&XbarCmd::default());
        assert!(x.adc_valid());
        assert_eq!(x.adc_codes(), &[0, 0, 5]);
        x.clock(&XbarCmd {
            op: OP_READ,
            row: 1,
            sel: 1,
            ..Default::default()
        });
        x.clock(&XbarCmd::default());
        assert_eq!(x.adc_codes(), &[2, 0, 0]);
        for _ in 0..10 {
            x.clock(&XbarCmd {
                op: OP_SET,
                row: 0,
                col: 0,
                ..Default::default()
            });
        }
        assert_eq!(x.level(0, 0), 7);
        x.clock(&XbarCmd {
            op: OP_RESET,
            row: 0,
            col: 0,
            ..Default::default()
        });
        assert_eq!(x.level(0, 0), 6);
    }
}

//! [`CrossbarArray`]: the analog half of a tile, as the co-simulation sees
//! it. It owns one device per cell (any [`Device`] model), a clock for drift,
//! one seeded generator, and a circuit solver whose symbolic factorisation is
//! built once and reused by every read.

use super::device::{self, conductance_range, Device, IvLaw, Polarity, Pulse};
use super::netlist::{Geometry, NetlistError};
use super::rng::{seeded, AnalogRng};
use super::solver::{Drive, LinearSettings, NewtonSettings, SolveError, Solver, StampFault};
use memforge_spec::analog::{AnalogSection, ReadPath};
use memforge_spec::DesignConfig;
use rand::Rng;

/// Errors of the analog model; each carries what was wrong.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum AnalogError {
    #[error(transparent)]
    Netlist(#[from] NetlistError),
    #[error(transparent)]
    Solve(#[from] SolveError),
    #[error("{0}")]
    Input(String),
}

/// Everything one read produces.
#[derive(Clone, Debug, PartialEq)]
pub struct Read {
    /// Current into each column's sense amplifier (A).
    pub column_currents: Vec<f64>,
    /// The ideal product `sum_i I_ij(V_i)` with every parasitic removed (A).
    pub ideal_currents: Vec<f64>,
    /// Per cell (`i * cols + j`): applied row voltage minus the voltage the
    /// device actually sees (V). Zero on the ideal path.
    pub ir_drop: Vec<f64>,
    /// Per cell: voltage of its row-wire node (V).
    pub row_node_volts: Vec<f64>,
    /// Per cell: voltage of its column-wire node (V).
    pub col_node_volts: Vec<f64>,
    /// Newton iterations (0 when linear or ideal).
    pub iterations: u32,
}

/// The analog crossbar of one tile.
#[derive(Debug)]
pub struct CrossbarArray {
    cfg: AnalogSection,
    rows: usize,
    cols: usize,
    devices: Vec<Box<dyn Device>>,
    rng: AnalogRng,
    time_s: f64,
    solver: Solver,
    newton: NewtonSettings,
}

impl CrossbarArray {
    /// A fresh `rows x cols` array of the configured device kind (every
    /// device at its lowest conductance, except VTEAM at `vteam.w_init`).
    pub fn new(cfg: &AnalogSection, rows: usize, cols: usize) -> Result<Self, AnalogError> {
        let mut rng = seeded(cfg.seed);
        let devices = (0..rows * cols)
            .map(|_| device::build(cfg, &mut rng))
            .collect();
        Self::with_devices(cfg, rows, cols, devices, rng)
    }

    /// The array of a design: `[tile]` geometry and `[analog]` models.
    pub fn from_design(design: &DesignConfig) -> Result<Self, AnalogError> {
        Self::new(
            &design.analog,
            design.tile.rows as usize,
            design.tile.cols as usize,
        )
    }

    /// An array of caller-supplied devices (a custom [`Device`] model).
    pub fn with_devices(
        cfg: &AnalogSection,
        rows: usize,
        cols: usize,
        devices: Vec<Box<dyn Device>>,
        rng: AnalogRng,
    ) -> Result<Self, AnalogError> {
        if devices.len() != rows * cols {
            return Err(AnalogError::Input(format!(
                "{} devices for a {rows}x{cols} array",
                devices.len()
            )));
        }
        let geometry = Geometry::from_config(cfg, rows, cols);
        geometry.check()?;
        let solver = Solver::for_geometry(geometry, LinearSettings::from_config(&cfg.solver))?;
        Ok(CrossbarArray {
            cfg: cfg.clone(),
            rows,
            cols,
            devices,
            rng,
            time_s: 0.0,
            solver,
            newton: NewtonSettings::from_config(&cfg.solver),
        })
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn cols(&self) -> usize {
        self.cols
    }

    pub fn config(&self) -> &AnalogSection {
        &self.cfg
    }

    /// The array's clock (s); drift is measured on it.
    pub fn time(&self) -> f64 {
        self.time_s
    }

    /// Advances the clock (negative or non-finite steps are ignored).
    pub fn advance_time(&mut self, seconds: f64) {
        if seconds.is_finite() && seconds > 0.0 {
            self.time_s += seconds;
        }
    }

    fn index(&self, row: usize, col: usize) -> Result<usize, AnalogError> {
        if row < self.rows && col < self.cols {
            Ok(row * self.cols + col)
        } else {
            Err(AnalogError::Input(format!(
                "cell ({row}, {col}) outside the {}x{} array",
                self.rows, self.cols
            )))
        }
    }

    /// The device of a cell.
    pub fn device(&self, row: usize, col: usize) -> Result<&dyn Device, AnalogError> {
        let k = self.index(row, col)?;
        Ok(self.devices[k].as_ref())
    }

    /// All devices, row-major.
    pub fn devices(&self) -> &[Box<dyn Device>] {
        &self.devices
    }

    /// Mutable devices, row-major (the transient integrator writes states).
    pub fn devices_mut(&mut self) -> &mut [Box<dyn Device>] {
        &mut self.devices
    }

    /// Noise-free read conductances now (S), row-major.
    pub fn conductances(&self) -> Vec<f64> {
        self.devices
            .iter()
            .map(|d| d.conductance(self.time_s))
            .collect()
    }

    /// Programs a cell to a conductance (S) in one write-verify step.
    pub fn program_conductance(
        &mut self,
        row: usize,
        col: usize,
        g: f64,
    ) -> Result<(), AnalogError> {
        if !(g.is_finite() && g > 0.0) {
            return Err(AnalogError::Input(format!(
                "conductance {g} S must be positive"
            )));
        }
        let k = self.index(row, col)?;
        self.devices[k].program(g, self.time_s, &mut self.rng);
        Ok(())
    }

    /// Programs a cell to level `level` of `analog.levels`, evenly spaced in
    /// conductance over the device's range.
    pub fn program_level(&mut self, row: usize, col: usize, level: u32) -> Result<(), AnalogError> {
        let levels = self.cfg.levels.max(2);
        if level >= levels {
            return Err(AnalogError::Input(format!(
                "level {level} must be below {levels}"
            )));
        }
        let (lo, hi) = conductance_range(&self.cfg);
        let g = lo + (hi - lo) * f64::from(level) / f64::from(levels - 1);
        self.program_conductance(row, col, g)
    }

    /// Programs every cell to a seeded random level: the weight pattern the
    /// CLI and benches use, reproducible from `analog.seed`.
    pub fn program_random_levels(&mut self) -> Result<(), AnalogError> {
        let levels = self.cfg.levels.max(2);
        for r in 0..self.rows {
            for c in 0..self.cols {
                let level = self.rng.gen_range(0..levels);
                self.program_level(r, c, level)?;
            }
        }
        Ok(())
    }

    /// The physical pulse of the tile's codes: `volts = amplitude_code *
    /// pulse.volts_per_code`, `seconds = width_code * pulse.seconds_per_code`
    /// (defaults: 0.125 V and 25 ns per code).
    pub fn pulse_from_codes(
        &self,
        polarity: Polarity,
        amplitude_code: u32,
        width_code: u32,
    ) -> Pulse {
        Pulse {
            polarity,
            volts: f64::from(amplitude_code) * self.cfg.pulse.volts_per_code,
            seconds: f64::from(width_code) * self.cfg.pulse.seconds_per_code,
        }
    }

    /// Applies one programming pulse to one cell (full amplitude across that
    /// device; neighbours are not disturbed) and advances the clock by its
    /// width.
    pub fn apply_pulse(
        &mut self,
        row: usize,
        col: usize,
        polarity: Polarity,
        amplitude_code: u32,
        width_code: u32,
    ) -> Result<(), AnalogError> {
        let k = self.index(row, col)?;
        let pulse = self.pulse_from_codes(polarity, amplitude_code, width_code);
        self.devices[k].apply_pulse(&pulse, self.time_s, &mut self.rng);
        self.advance_time(pulse.seconds);
        Ok(())
    }

    /// The laws of one read (draws read noise once). Pass them to
    /// [`CrossbarArray::read_with_laws`] and to the SPICE deck writer to
    /// solve exactly the same circuit twice.
    pub fn read_laws(&mut self) -> Vec<IvLaw> {
        let t = self.time_s;
        let rng = &mut self.rng;
        self.devices.iter().map(|d| d.read_law(t, rng)).collect()
    }

    /// Column currents (A) when the `true` rows are driven at
    /// `analog.read_voltage` and the others are unselected.
    pub fn read_columns(&mut self, active_rows: &[bool]) -> Result<Vec<f64>, AnalogError> {
        let volts: Vec<f64> = active_rows
            .iter()
            .map(|&a| if a { self.cfg.read_voltage } else { 0.0 })
            .collect();
        Ok(self.read_voltages(&volts)?.column_currents)
    }

    /// A full read with arbitrary row voltages (a row is selected when its
    /// voltage is non-zero), on the configured read path.
    pub fn read_voltages(&mut self, row_volts: &[f64]) -> Result<Read, AnalogError> {
        let laws = self.read_laws();
        self.read_with_laws(row_volts, &laws, self.cfg.read_path)
    }

    /// A read with given laws and read path.
    pub fn read_with_laws(
        &mut self,
        row_volts: &[f64],
        laws: &[IvLaw],
        path: ReadPath,
    ) -> Result<Read, AnalogError> {
        if row_volts.len() != self.rows {
            return Err(AnalogError::Input(format!(
                "{} row voltages for {} rows",
                row_volts.len(),
                self.rows
            )));
        }
        if let Some(v) = row_volts.iter().find(|v| !v.is_finite()) {
            return Err(AnalogError::Input(format!("row voltage {v} is not finite")));
        }
        let ideal_currents = ideal_product(row_volts, laws, self.cols);
        if path == ReadPath::Ideal {
            let n = self.rows * self.cols;
            let row_node_volts = (0..n).map(|k| row_volts[k / self.cols]).collect();
            return Ok(Read {
                column_currents: ideal_currents.clone(),
                ideal_currents,
                ir_drop: vec![0.0; n],
                row_node_volts,
                col_node_volts: vec![0.0; n],
                iterations: 0,
            });
        }
        let selected: Vec<bool> = row_volts.iter().map(|v| *v != 0.0).collect();
        let drive = Drive {
            row_volts,
            selected: &selected,
        };
        let sol = self.solver.solve(&drive, laws, &self.newton)?;
        let (row_node_volts, col_node_volts) = self.solver.cell_volts(&sol.node_volts, &drive);
        let ir_drop = (0..self.rows * self.cols)
            .map(|k| row_volts[k / self.cols] - (row_node_volts[k] - col_node_volts[k]))
            .collect();
        Ok(Read {
            column_currents: sol.column_currents,
            ideal_currents,
            ir_drop,
            row_node_volts,
            col_node_volts,
            iterations: sol.iterations,
        })
    }

    /// The circuit solver (for KCL checks and the deck writer's netlist).
    pub fn solver(&self) -> &Solver {
        &self.solver
    }

    /// Test-only: make the solver's stamping wrong on purpose.
    #[doc(hidden)]
    pub fn inject_stamp_fault(&mut self, fault: Option<StampFault>) {
        self.solver.inject_stamp_fault(fault);
    }
}

/// `I_j = sum_i I_ij(V_i)`: every device sees its full row voltage.
pub fn ideal_product(row_volts: &[f64], laws: &[IvLaw], cols: usize) -> Vec<f64> {
    let mut out = vec![0.0; cols];
    for (k, law) in laws.iter().enumerate() {
        out[k % cols] += law.current(row_volts[k / cols]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use memforge_spec::analog::DeviceKind;

    #[test]
    fn ideal_path_is_the_matrix_vector_product() {
        let cfg = AnalogSection {
            read_path: ReadPath::Ideal,
            realistic: false,
            ..AnalogSection::default()
        };
        let mut x = CrossbarArray::new(&cfg, 2, 3).unwrap();
        for (k, level) in [0u32, 1, 2, 3, 4, 7].iter().enumerate() {
            x.program_level(k / 3, k % 3, *level).unwrap();
        }
        let g = x.conductances();
        let i = x.read_columns(&[true, false]).unwrap();
        for j in 0..3 {
            assert!((i[j] - 0.2 * g[j]).abs() < 1e-18);
        }
    }

    #[test]
    fn wire_resistance_lowers_currents_and_shows_ir_drop() {
        let cfg = AnalogSection {
            realistic: false,
            ..AnalogSection::default()
        };
        let mut x = CrossbarArray::new(&cfg, 16, 16).unwrap();
        for r in 0..16 {
            for c in 0..16 {
                x.program_level(r, c, 7).unwrap();
            }
        }
        let read = x.read_voltages(&[0.2; 16]).unwrap();
        for j in 0..16 {
            assert!(read.column_currents[j] < read.ideal_currents[j]);
            assert!(read.column_currents[j] > 0.8 * read.ideal_currents[j]);
        }
        assert!(read.ir_drop.iter().all(|d| *d > 0.0));
    }

    #[test]
    fn bad_inputs_are_errors() {
        let mut x = CrossbarArray::new(&AnalogSection::default(), 2, 2).unwrap();
        assert!(x.read_columns(&[true]).is_err());
        assert!(x.read_voltages(&[f64::NAN, 0.0]).is_err());
        assert!(x.apply_pulse(2, 0, Polarity::Set, 8, 4).is_err());
        assert!(x.program_level(0, 0, 8).is_err());
        assert!(x.program_conductance(0, 0, -1.0).is_err());
    }

    #[test]
    fn pulses_move_every_device_kind() {
        for kind in [
            DeviceKind::Linear,
            DeviceKind::RramSinh,
            DeviceKind::Pcm,
            DeviceKind::Vteam,
        ] {
            let cfg = AnalogSection {
                device: kind,
                ..AnalogSection::default()
            };
            let mut x = CrossbarArray::new(&cfg, 1, 1).unwrap();
            let g0 = x.conductances()[0];
            for _ in 0..3 {
                x.apply_pulse(0, 0, Polarity::Set, 12, 8).unwrap();
            }
            let g1 = x.conductances()[0];
            assert!(g1 > g0, "{kind:?}: SET did not raise G ({g0} -> {g1})");
            assert!((x.time() - 3.0 * 8.0 * 25e-9).abs() < 1e-15);
        }
    }

    #[test]
    fn same_seed_gives_the_same_array() {
        let cfg = AnalogSection {
            device: DeviceKind::Pcm,
            ..AnalogSection::default()
        };
        let mut a = CrossbarArray::new(&cfg, 4, 4).unwrap();
        let mut b = CrossbarArray::new(&cfg, 4, 4).unwrap();
        a.program_random_levels().unwrap();
        b.program_random_levels().unwrap();
        assert_eq!(
            a.read_columns(&[true; 4]).unwrap(),
            b.read_columns(&[true; 4]).unwrap()
        );
    }
}

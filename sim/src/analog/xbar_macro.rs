//! [`AnalogXbar`]: the tile's crossbar macro played by device models.
//!
//! The tile's periphery only sees the `xbar_*` port contract
//! ([`XbarMacro`], `docs/tile.md`). [`IdealXbar`](crate::tile::IdealXbar)
//! answers it with exact levels; this model answers it with a
//! [`CrossbarArray`], so write-verify in the co-simulation meets the
//! programming noise, device-to-device variation, read noise, drift and IR
//! drop of the configured `[analog]` devices.
//!
//! - READ of row `r`, slot `s`: only row `r` is driven at
//!   `analog.read_voltage` (the others unselected as configured); the array
//!   is read on `analog.read_path` (circuit solver or ideal product), and
//!   ADC `a` converts the current of column `a * adc_share + s`. Out-of-range
//!   rows, slots or columns convert 0, like `IdealXbar`.
//! - ADC: `code = round(I / I_lsb)` clamped to `0..=adc_max`, with
//!   `I_lsb = I_fs / adc_max`; the full scale `I_fs` is
//!   `analog.adc_full_scale_ua` when set, else the largest device
//!   conductance times `read_voltage` (a lone fully ON cell reads
//!   `adc_max`). Negative currents (none in a passive read) convert 0.
//! - SET/RESET of cell (row, col): [`CrossbarArray::apply_pulse`] with the
//!   tile's amplitude and width codes (`analog.pulse` maps them to volts
//!   and seconds); out-of-range cells are ignored.
//! - Every clock edge advances the array's clock by `flow.clock_period_ns`,
//!   so PCM drift sees the time the tile spends; `pause` advances it by
//!   the seconds a host waited with the clock stopped.
//!
//! `clock` cannot return an error (the trait mirrors a hardware port), so a
//! failed read (the solver did not converge, say) is not answered: the tile
//! then sees a read timeout, its documented failure path, and
//! [`AnalogXbar::error`] keeps the first error for the caller to report.

use super::array::{AnalogError, CrossbarArray};
use super::device::{conductance_range, Polarity};
use crate::tile::sequencer::{XbarCmd, OP_READ, OP_RESET, OP_SET};
use crate::tile::xbar::{IdealXbar, XbarMacro};
use memforge_spec::analog::MacroModel;
use memforge_spec::{Derived, DesignConfig};

/// The crossbar macro as configured devices behind an ADC model.
#[derive(Debug)]
pub struct AnalogXbar {
    array: CrossbarArray,
    share: usize,
    adc_max: u16,
    /// Current of one ADC code (A).
    i_lsb: f64,
    /// Edges from a READ command to the cycle its codes are presented (>= 1).
    latency: usize,
    /// Seconds the array's clock advances per edge.
    clock_s: f64,
    /// Reads in flight: (edges left, codes).
    inflight: Vec<(usize, Vec<u16>)>,
    valid: bool,
    codes: Vec<u16>,
    /// Row selection of a read, kept to avoid an allocation per READ.
    active: Vec<bool>,
    error: Option<AnalogError>,
    reads: u64,
    pulses: u64,
}

impl AnalogXbar {
    /// The macro of a design: `[tile]` geometry and ADCs, `[analog]`
    /// devices, `flow.clock_period_ns` for the device clock. `latency` is
    /// clamped to at least 1 edge, as the port contract requires.
    pub fn from_design(cfg: &DesignConfig, latency: usize) -> Result<Self, AnalogError> {
        Self::with_array(cfg, CrossbarArray::from_design(cfg)?, latency)
    }

    /// The macro around a caller-built array (custom devices, pre-programmed
    /// weights); its geometry must be the design's.
    pub fn with_array(
        cfg: &DesignConfig,
        array: CrossbarArray,
        latency: usize,
    ) -> Result<Self, AnalogError> {
        let t = &cfg.tile;
        if array.rows() != t.rows as usize || array.cols() != t.cols as usize {
            return Err(AnalogError::Input(format!(
                "a {}x{} array for a {}x{} tile",
                array.rows(),
                array.cols(),
                t.rows,
                t.cols
            )));
        }
        let d = Derived::of(cfg);
        let adc_max = u16::try_from(d.adc_max)
            .map_err(|_| AnalogError::Input(format!("adc_max {} exceeds 16 bits", d.adc_max)))?;
        let full_scale = full_scale_amps(cfg);
        if !(full_scale.is_finite() && full_scale > 0.0 && adc_max > 0) {
            return Err(AnalogError::Input(format!(
                "ADC full scale {full_scale} A must be positive"
            )));
        }
        let clock_s = cfg.flow.clock_period_ns * 1e-9;
        Ok(AnalogXbar {
            share: t.adc_share as usize,
            adc_max,
            i_lsb: full_scale / f64::from(adc_max),
            latency: latency.max(1),
            clock_s: if clock_s.is_finite() { clock_s } else { 0.0 },
            inflight: Vec::new(),
            valid: false,
            codes: vec![0; d.adc_count as usize],
            active: vec![false; array.rows()],
            error: None,
            reads: 0,
            pulses: 0,
            array,
        })
    }

    /// The devices behind the macro.
    pub fn array(&self) -> &CrossbarArray {
        &self.array
    }

    /// Mutable access (load weights with `program_level`, advance time).
    pub fn array_mut(&mut self) -> &mut CrossbarArray {
        &mut self.array
    }

    /// Current of one ADC code (A).
    pub fn i_lsb(&self) -> f64 {
        self.i_lsb
    }

    /// The ADC: `round(I / I_lsb)` clamped to `0..=adc_max`.
    pub fn quantize(&self, amps: f64) -> u16 {
        if !amps.is_finite() || amps <= 0.0 {
            return 0;
        }
        let code = (amps / self.i_lsb).round();
        if code >= f64::from(self.adc_max) {
            self.adc_max
        } else {
            code as u16
        }
    }

    /// The code a noise-free ideal read of one cell would give (its
    /// conductance now times `read_voltage`, no parasitics): what a test
    /// compares the write-verify result with.
    pub fn ideal_code(&self, row: usize, col: usize) -> Result<u16, AnalogError> {
        let g = self.array.device(row, col)?.conductance(self.array.time());
        Ok(self.quantize(g * self.array.config().read_voltage))
    }

    /// The first error a READ or pulse met (a READ that failed was not
    /// answered, so the tile saw a timeout).
    pub fn error(&self) -> Option<&AnalogError> {
        self.error.as_ref()
    }

    /// READ commands answered so far.
    pub fn reads(&self) -> u64 {
        self.reads
    }

    /// SET/RESET pulses applied so far.
    pub fn pulses(&self) -> u64 {
        self.pulses
    }

    fn keep(&mut self, e: AnalogError) {
        if self.error.is_none() {
            self.error = Some(e);
        }
    }

    fn read(&mut self, row: usize, sel: usize) -> Result<Vec<u16>, AnalogError> {
        let adcs = self.codes.len();
        if row >= self.array.rows() || sel >= self.share {
            return Ok(vec![0; adcs]);
        }
        self.active.iter_mut().for_each(|a| *a = false);
        self.active[row] = true;
        let amps = self.array.read_columns(&self.active)?;
        Ok((0..adcs)
            .map(|a| {
                amps.get(a * self.share + sel)
                    .map_or(0, |i| self.quantize(*i))
            })
            .collect())
    }
}

/// `analog.adc_full_scale_ua` in A, else the largest device conductance
/// times the read voltage.
fn full_scale_amps(cfg: &DesignConfig) -> f64 {
    let a = &cfg.analog;
    match a.adc_full_scale_ua {
        Some(ua) => ua * 1e-6,
        None => conductance_range(a).1 * a.read_voltage,
    }
}

impl XbarMacro for AnalogXbar {
    fn clock(&mut self, cmd: &XbarCmd) {
        self.valid = false;
        self.codes.iter_mut().for_each(|c| *c = 0);
        let (row, col) = (usize::from(cmd.row), usize::from(cmd.col));
        let in_array = row < self.array.rows() && col < self.array.cols();
        let pulse = match cmd.op {
            OP_READ => {
                match self.read(row, usize::from(cmd.sel)) {
                    Ok(codes) => {
                        self.reads += 1;
                        self.inflight.push((self.latency, codes));
                    }
                    Err(e) => self.keep(e),
                }
                None
            }
            OP_SET if in_array => Some(Polarity::Set),
            OP_RESET if in_array => Some(Polarity::Reset),
            _ => None,
        };
        if let Some(p) = pulse {
            match self
                .array
                .apply_pulse(row, col, p, u32::from(cmd.amp), u32::from(cmd.width))
            {
                Ok(()) => self.pulses += 1,
                Err(e) => self.keep(e),
            }
        }
        self.array.advance_time(self.clock_s);
        for f in self.inflight.iter_mut() {
            f.0 -= 1;
        }
        if let Some(pos) = self.inflight.iter().position(|f| f.0 == 0) {
            let (_, codes) = self.inflight.remove(pos);
            self.valid = true;
            self.codes = codes;
        }
    }

    fn pause(&mut self, seconds: f64) {
        self.array.advance_time(seconds);
    }

    fn adc_valid(&self) -> bool {
        self.valid
    }

    fn adc_codes(&self) -> &[u16] {
        &self.codes
    }

    fn fault(&self) -> Option<String> {
        self.error.as_ref().map(|e| e.to_string())
    }

    fn cell_code(&self, row: usize, col: usize) -> Option<u16> {
        self.ideal_code(row, col).ok()
    }

    /// Programs the conductance that reads `code` (`code * I_lsb /
    /// read_voltage`, at least one tenth of a code: a device conductance
    /// must be positive) in one write-verify step
    /// ([`CrossbarArray::program_conductance`], with the device's
    /// programming error and range).
    fn load_cell(&mut self, row: usize, col: usize, code: u16) -> Result<(), String> {
        let volts = self.array.config().read_voltage;
        let g = (f64::from(code).max(0.1)) * self.i_lsb / volts;
        self.array
            .program_conductance(row, col, g)
            .map_err(|e| e.to_string())
    }
}

/// The crossbar macro model the config asks for: [`IdealXbar`](crate::tile::IdealXbar) for
/// `analog.macro_model = "ideal"` (the default), [`AnalogXbar`] for
/// `"device"`. `latency` (edges from READ to codes, clamped to >= 1) is the
/// harness's choice, not the config's. Errors: the analog array could not be
/// built (a bad netlist or a failed symbolic factorisation).
pub fn macro_from_config(
    cfg: &DesignConfig,
    latency: usize,
) -> Result<Box<dyn XbarMacro>, AnalogError> {
    Ok(match cfg.analog.macro_model {
        MacroModel::Ideal => Box::new(IdealXbar::new(cfg, latency)),
        MacroModel::Device => Box::new(AnalogXbar::from_design(cfg, latency)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cosim::session::{ProgramResult, Script, Session};
    use crate::cycle::CycleModel;
    use crate::stimulus::Stimulus;
    use crate::tile::TileModel;
    use memforge_spec::analog::{DeviceKind, MacroModel, ReadPath};

    /// A 4x4 PCM tile, 6-bit ADCs shared by 2 columns.
    fn cfg(seed: u64, realistic: bool, path: &str) -> DesignConfig {
        memforge_spec::parse_str(
            &format!(
                "[design]\nname = \"t\"\n[tile]\nrows = 4\ncols = 4\nadc_share = 2\n\
                 adc_bits = 6\n[analog]\ndevice = \"pcm\"\nmacro_model = \"device\"\n\
                 read_path = \"{path}\"\nseed = {seed}\nrealistic = {realistic}\n"
            ),
            "t",
        )
        .unwrap()
    }

    fn read(row: u8, sel: u8) -> XbarCmd {
        XbarCmd {
            op: OP_READ,
            row,
            sel,
            ..Default::default()
        }
    }

    fn pulse(op: u8, row: u8, col: u8) -> XbarCmd {
        XbarCmd {
            op,
            row,
            col,
            amp: 8,
            width: 4,
            ..Default::default()
        }
    }

    #[test]
    fn full_scale_maps_the_largest_conductance_to_adc_max() {
        let c = cfg(1, false, "ideal");
        let x = AnalogXbar::from_design(&c, 1).unwrap();
        // PCM: 20 µS at 0.2 V = 4 µA full scale, 63 codes.
        assert!((x.i_lsb() - 4e-6 / 63.0).abs() < 1e-18);
        assert_eq!(x.quantize(4e-6), 63);
        assert_eq!(x.quantize(9e-6), 63);
        assert_eq!(x.quantize(x.i_lsb() * 2.49), 2);
        assert_eq!(x.quantize(-1e-6), 0);
        assert_eq!(x.quantize(f64::NAN), 0);
        let mut c2 = c.clone();
        c2.analog.adc_full_scale_ua = Some(2.0);
        let x2 = AnalogXbar::from_design(&c2, 1).unwrap();
        assert_eq!(x2.quantize(2e-6), 63);
    }

    #[test]
    fn reads_follow_the_port_contract_and_pulses_move_cells() {
        for path in ["ideal", "circuit"] {
            let c = cfg(1, false, path);
            let mut x = AnalogXbar::from_design(&c, 2).unwrap();
            for _ in 0..6 {
                x.clock(&pulse(OP_SET, 1, 3));
            }
            let want = x.ideal_code(1, 3).unwrap();
            assert!(want > 10, "{path}: six SETs gave code {want}");
            x.clock(&read(1, 1));
            assert!(!x.adc_valid());
            x.clock(&XbarCmd::default());
            assert!(x.adc_valid());
            // ADC 1 converts column 1*2+1 = 3; ADC 0 sees a RESET cell.
            assert_eq!(x.adc_codes(), &[0, want], "{path}");
            x.clock(&XbarCmd::default());
            assert!(!x.adc_valid());
            x.clock(&pulse(OP_RESET, 1, 3));
            assert_eq!(x.ideal_code(1, 3).unwrap(), 0);
            // Out of range: ignored, and a read of a missing row converts 0.
            x.clock(&pulse(OP_SET, 9, 0));
            x.clock(&read(9, 0));
            assert_eq!(x.adc_codes(), &[0, 0]);
            assert_eq!((x.pulses(), x.reads()), (7, 2));
            assert!(x.error().is_none());
        }
    }

    #[test]
    fn a_mismatched_array_is_an_error() {
        let c = cfg(1, true, "ideal");
        let array = CrossbarArray::new(&c.analog, 2, 4).unwrap();
        assert!(AnalogXbar::with_array(&c, array, 1).is_err());
    }

    #[test]
    fn the_factory_follows_the_config() {
        let mut c = cfg(1, true, "ideal");
        c.analog.device = DeviceKind::Linear;
        c.analog.macro_model = MacroModel::Ideal;
        let mut ideal = macro_from_config(&c, 1).unwrap();
        ideal.clock(&pulse(OP_SET, 0, 0));
        ideal.clock(&read(0, 0));
        // IdealXbar: one code per pulse.
        assert_eq!(ideal.adc_codes(), &[1, 0]);
        c.analog.macro_model = MacroModel::Device;
        c.analog.read_path = ReadPath::Circuit;
        let mut dev = macro_from_config(&c, 1).unwrap();
        dev.clock(&read(0, 0));
        // Linear devices start at g_min = 4 µS of 147 µS full scale: 2 codes.
        assert_eq!(dev.adc_codes(), &[2, 2]);
    }

    const TARGET: u16 = 20;
    const TOLERANCE: u32 = 2;

    /// Programs every cell of the 4x4 tile to `TARGET` through the register
    /// file of the golden model (`prog_*` registers and `cmd[1]`, polled on
    /// `prog_status`, as `docs/tile.md` describes); returns the requests'
    /// results and the macro.
    fn program_all(c: &DesignConfig) -> (Vec<ProgramResult>, Session<AnalogXbar>) {
        let mut script = Script::new()
            .write("prog_tolerance", TOLERANCE)
            .write("prog_max_pulses", 64);
        for r in 0..4 {
            for col in 0..4 {
                script = script.program(r, col, TARGET);
            }
        }
        let mut model = TileModel::new(c);
        let layout = model.layout().clone();
        let xbar = AnalogXbar::from_design(c, 1).unwrap();
        let mut s = Session::new(c, &layout, &script, xbar).unwrap();
        let mut values = vec![0u64; layout.total_words()];
        model.outputs(&mut values);
        for cycle in 0..400_000 {
            if s.finished() {
                break;
            }
            s.drive(cycle, &mut values);
            model.tick(&values);
            model.outputs(&mut values);
        }
        assert!(s.log.completed(), "{:?}", s.log);
        assert!(s.xbar().error().is_none());
        (s.log.programs.clone(), s)
    }

    fn counts(results: &[ProgramResult]) -> Vec<u32> {
        results.iter().map(|r| r.pulses()).collect()
    }

    #[test]
    fn without_variability_every_cell_needs_the_same_pulses() {
        let (a, _) = program_all(&cfg(1, false, "circuit"));
        let (b, _) = program_all(&cfg(2, false, "circuit"));
        assert!(a.iter().all(|r| r.passed()), "{a:?}");
        let n = counts(&a);
        assert!(n.iter().all(|k| *k == n[0] && *k > 1), "{n:?}");
        assert_eq!(n, counts(&b), "the seed must not matter without noise");
    }

    #[test]
    fn device_noise_spreads_pulse_counts_over_cells_and_seeds() {
        let (a, sa) = program_all(&cfg(1, true, "circuit"));
        let (b, _) = program_all(&cfg(2, true, "circuit"));
        let (na, nb) = (counts(&a), counts(&b));
        let distinct = |n: &[u32]| {
            let mut v = n.to_vec();
            v.sort_unstable();
            v.dedup();
            v.len()
        };
        assert!(distinct(&na) >= 3, "{na:?}");
        assert!(distinct(&nb) >= 3, "{nb:?}");
        assert_ne!(na, nb, "seeds 1 and 2 gave the same pulse counts");
        // Most requests converge, and a cell that passed holds its target
        // within the band, up to read noise (one verify read decided it).
        let passed: Vec<&ProgramResult> = a.iter().filter(|r| r.passed()).collect();
        assert!(passed.len() >= 12, "{a:?}");
        for r in passed {
            let code = sa.xbar().ideal_code(r.row.into(), r.col.into()).unwrap();
            let err = i32::from(code) - i32::from(TARGET);
            assert!(err.unsigned_abs() <= TOLERANCE + 3, "{r:?}: code {code}");
        }
    }
}

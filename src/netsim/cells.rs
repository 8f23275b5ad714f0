//! What a tile adds per spike: the crossbar read as the neuron sees it.
//!
//! - [`Cells::Float`]: the weight's exact offset-encoded value in level
//!   units, `(w / w_max + 1) / 2 * L` (differential: `w / w_max * L` split
//!   as the mapper splits it), no rounding: the float reference;
//! - [`Cells::Ideal`]: the programmed levels (`image.json`'s cells), read
//!   by an ideal ADC: exactly what `IdealXbar` answers;
//! - [`Cells::Analog`]: every cell a device of `sim/src/analog` (device to
//!   device variability, programming error, read noise, PCM drift) written
//!   to its level's conductance by one write-verify step and read per
//!   event through the ADC of `AnalogXbar` (`round(I / I_lsb)`, clamped).

use crate::map::{Encoding, Mapping, Source};
use memforge_sim::analog::device::{build, conductance_range, Device};
use memforge_sim::analog::rng::{seeded, AnalogRng};
use memforge_spec::analog::AnalogSection;

/// A tile's cells.
#[derive(Debug)]
pub enum Cells {
    Float(Vec<f64>),
    Ideal(Vec<u16>),
    Analog(Box<AnalogCells>),
}

/// Devices of one tile and the ADC that reads them.
#[derive(Debug)]
pub struct AnalogCells {
    /// Row-major; `None` for a cell never programmed (reads 0: the
    /// generated macro's unprogrammed cells are at the lowest state, which
    /// the mapper never relies on).
    devices: Vec<Option<Box<dyn Device>>>,
    cols: usize,
    i_lsb: f64,
    volts: f64,
    adc_max: u16,
    /// Seconds since programming at which the array is read (PCM drift).
    pub time_s: f64,
    rng: AnalogRng,
}

impl AnalogCells {
    /// ADC codes of row `r` into `out` (one read: fresh read noise).
    pub fn read_row(&mut self, r: usize, out: &mut [u16]) {
        let row = &self.devices[r * self.cols..(r + 1) * self.cols];
        for (o, d) in out.iter_mut().zip(row) {
            *o = match d {
                None => 0,
                Some(d) => {
                    let amps = d.read_law(self.time_s, &mut self.rng).current(self.volts);
                    if !amps.is_finite() || amps <= 0.0 {
                        0
                    } else {
                        ((amps / self.i_lsb).round() as u64).min(u64::from(self.adc_max)) as u16
                    }
                }
            };
        }
    }
}

/// The float (unrounded) level of weight `w` on column parity `pos`.
fn float_level(w: f64, w_max: f64, max_level: f64, enc: Encoding, pos: bool) -> f64 {
    let x = if w_max > 0.0 { w / w_max } else { 0.0 };
    match enc {
        Encoding::Offset => (x + 1.0) / 2.0 * max_level,
        Encoding::Differential if pos => x.max(0.0) * max_level,
        Encoding::Differential => (-x).max(0.0) * max_level,
    }
}

/// How cells are read.
#[derive(Clone, Debug)]
pub enum CellModel {
    Float,
    Ideal,
    /// Devices of `section` (its `seed` seeds every draw; tile `t` uses
    /// `seed + t`), read `time_s` after programming.
    Analog {
        section: Box<AnalogSection>,
        time_s: f64,
    },
}

impl CellModel {
    /// Tile `t`'s cells; `weights` are the network's (input, recurrent)
    /// rows of a source.
    pub fn cells(&self, m: &Mapping, t: usize, weights: &dyn Fn(Source) -> Vec<f64>) -> Cells {
        let im = &m.tiles[t];
        let (rows, cols) = (im.rows.len(), im.columns.len());
        match self {
            CellModel::Ideal => {
                let mut v = vec![0u16; rows * cols];
                for &(r, c, l) in &im.cells {
                    v[usize::from(r) * cols + usize::from(c)] = l;
                }
                Cells::Ideal(v)
            }
            CellModel::Float => {
                let mut v = vec![0f64; rows * cols];
                let cpn = m.encoding.columns_per_neuron() as usize;
                for (r, src) in im.rows.iter().enumerate() {
                    let Some(src) = src else { continue };
                    let w = weights(*src);
                    for (c, n) in im.columns.iter().enumerate() {
                        if let Some(n) = n {
                            v[r * cols + c] = float_level(
                                w[*n as usize],
                                m.w_max,
                                f64::from(m.max_level),
                                m.encoding,
                                c % cpn == 0,
                            );
                        }
                    }
                }
                Cells::Float(v)
            }
            CellModel::Analog { section, time_s } => {
                let mut rng = seeded(section.seed.wrapping_add(t as u64));
                let (lo, hi) = conductance_range(section);
                let adc_max = m.max_level;
                let volts = section.read_voltage;
                let full = section.adc_full_scale_ua.map_or(hi * volts, |ua| ua * 1e-6);
                let mut devices: Vec<Option<Box<dyn Device>>> =
                    (0..rows * cols).map(|_| None).collect();
                for &(r, c, l) in &im.cells {
                    let mut d = build(section, &mut rng);
                    let g = lo + (hi - lo) * f64::from(l) / f64::from(adc_max.max(1));
                    d.program(g, 0.0, &mut rng);
                    devices[usize::from(r) * cols + usize::from(c)] = Some(d);
                }
                Cells::Analog(Box::new(AnalogCells {
                    devices,
                    cols,
                    i_lsb: full / f64::from(adc_max.max(1)),
                    volts,
                    adc_max,
                    time_s: *time_s,
                    rng,
                }))
            }
        }
    }
}

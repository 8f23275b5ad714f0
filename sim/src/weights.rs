//! Trained weights in, conductance targets out.
//!
//! A weight matrix comes from a NumPy `.npy` file (2-D, rows = crossbar
//! rows = inputs, columns = neurons; any float or integer dtype). It maps
//! linearly onto the levels one cell can hold, which for memforge's tile are
//! ADC codes of a single-row read: `level = round(w / w_max * max_level)`
//! with `w_max` the largest weight. A single device per cell holds no sign,
//! so negative weights are clipped to level 0 and counted.

use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum WeightError {
    #[error("{path}: {message}")]
    Read { path: String, message: String },
    #[error("{path}: expected a 2-D array (rows x columns), found shape {shape:?}")]
    Shape { path: String, shape: Vec<u64> },
    #[error("{path}: unsupported dtype {dtype} (use a float or integer array)")]
    Dtype { path: String, dtype: String },
    #[error("{path}: weight [{row}, {col}] is not a finite number")]
    NotFinite {
        path: String,
        row: usize,
        col: usize,
    },
    #[error("weights are {rows}x{cols} but the tile is {tile_rows}x{tile_cols}")]
    TooLarge {
        rows: usize,
        cols: usize,
        tile_rows: usize,
        tile_cols: usize,
    },
}

/// A dense row-major weight matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightMatrix {
    pub rows: usize,
    pub cols: usize,
    pub values: Vec<f64>,
}

/// Weights quantized to cell levels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Levels {
    pub rows: usize,
    pub cols: usize,
    /// Row-major levels.
    pub levels: Vec<u16>,
    /// Negative weights clipped to 0.
    pub clipped_negative: usize,
}

impl Levels {
    pub fn get(&self, row: usize, col: usize) -> u16 {
        self.levels[row * self.cols + col]
    }
}

impl WeightMatrix {
    pub fn get(&self, row: usize, col: usize) -> f64 {
        self.values[row * self.cols + col]
    }

    /// Checks the matrix fits a tile of `tile_rows` x `tile_cols`.
    pub fn check_fits(&self, tile_rows: usize, tile_cols: usize) -> Result<(), WeightError> {
        if self.rows > tile_rows || self.cols > tile_cols {
            return Err(WeightError::TooLarge {
                rows: self.rows,
                cols: self.cols,
                tile_rows,
                tile_cols,
            });
        }
        Ok(())
    }

    /// Linear quantization onto `0..=max_level` (see the module doc).
    pub fn to_levels(&self, max_level: u16) -> Levels {
        let w_max = self.values.iter().cloned().fold(0.0f64, f64::max);
        let mut clipped_negative = 0;
        let levels = self
            .values
            .iter()
            .map(|&w| {
                if w < 0.0 {
                    clipped_negative += 1;
                    0
                } else if w_max <= 0.0 {
                    0
                } else {
                    (w / w_max * f64::from(max_level)).round() as u16
                }
            })
            .collect();
        Levels {
            rows: self.rows,
            cols: self.cols,
            levels,
            clipped_negative,
        }
    }
}

/// Reads a 2-D `.npy` file.
pub fn load_npy(path: &Path) -> Result<WeightMatrix, WeightError> {
    let name = path.display().to_string();
    let read_err = |e: std::io::Error| WeightError::Read {
        path: name.clone(),
        message: e.to_string(),
    };
    let bytes = std::fs::read(path).map_err(read_err)?;
    let file = npyz::NpyFile::new(&bytes[..]).map_err(read_err)?;
    let shape = file.shape().to_vec();
    if shape.len() != 2 {
        return Err(WeightError::Shape { path: name, shape });
    }
    let (rows, cols) = (shape[0] as usize, shape[1] as usize);
    let fortran = file.order() == npyz::Order::Fortran;
    let dtype = file.dtype();
    let type_str = match &dtype {
        npyz::DType::Plain(t) => t.to_string(),
        other => format!("{other:?}"),
    };
    let kind = type_str.trim_start_matches(['<', '>', '|', '=']);
    let values: Vec<f64> = match kind {
        "f8" => file.into_vec::<f64>().map_err(read_err)?,
        "f4" => file
            .into_vec::<f32>()
            .map_err(read_err)?
            .into_iter()
            .map(f64::from)
            .collect(),
        "i8" => file
            .into_vec::<i64>()
            .map_err(read_err)?
            .into_iter()
            .map(|v| v as f64)
            .collect(),
        "i4" => file
            .into_vec::<i32>()
            .map_err(read_err)?
            .into_iter()
            .map(f64::from)
            .collect(),
        "i2" => file
            .into_vec::<i16>()
            .map_err(read_err)?
            .into_iter()
            .map(f64::from)
            .collect(),
        "i1" => file
            .into_vec::<i8>()
            .map_err(read_err)?
            .into_iter()
            .map(f64::from)
            .collect(),
        "u1" => file
            .into_vec::<u8>()
            .map_err(read_err)?
            .into_iter()
            .map(f64::from)
            .collect(),
        _ => {
            return Err(WeightError::Dtype {
                path: name,
                dtype: type_str,
            })
        }
    };
    let values = if fortran {
        (0..rows * cols)
            .map(|i| values[(i % cols) * rows + i / cols])
            .collect()
    } else {
        values
    };
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(WeightError::NotFinite {
            path: name,
            row: i / cols.max(1),
            col: i % cols.max(1),
        });
    }
    Ok(WeightMatrix { rows, cols, values })
}

/// Writes a 2-D `f64` `.npy` file (used to make example weight files).
pub fn save_npy(path: &Path, m: &WeightMatrix) -> std::io::Result<()> {
    let mut out = Vec::new();
    {
        use npyz::WriterBuilder;
        let mut writer = npyz::WriteOptions::<f64>::new()
            .default_dtype()
            .shape(&[m.rows as u64, m.cols as u64])
            .writer(&mut out)
            .begin_nd()?;
        writer.extend(m.values.iter().copied())?;
        writer.finish()?;
    }
    std::fs::write(path, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_quantizes() {
        let dir = std::env::temp_dir().join(format!("mf-weights-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("w.npy");
        let m = WeightMatrix {
            rows: 2,
            cols: 3,
            values: vec![0.0, 0.5, 1.0, -0.2, 0.25, 0.75],
        };
        save_npy(&path, &m).unwrap();
        let back = load_npy(&path).unwrap();
        assert_eq!(back, m);
        let q = back.to_levels(8);
        assert_eq!(q.levels, vec![0, 4, 8, 0, 2, 6]);
        assert_eq!(q.clipped_negative, 1);
        assert!(back.check_fits(2, 3).is_ok());
        assert!(back.check_fits(1, 3).is_err());
    }

    #[test]
    fn bad_files_are_errors() {
        let dir = std::env::temp_dir().join(format!("mf-weights-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bad.npy");
        std::fs::write(&path, b"not numpy").unwrap();
        assert!(matches!(load_npy(&path), Err(WeightError::Read { .. })));
        assert!(load_npy(&dir.join("missing.npy")).is_err());
    }
}

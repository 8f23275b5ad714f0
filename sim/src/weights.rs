//! Trained weights in, conductance targets out.
//!
//! A weight matrix comes from a NumPy `.npy` file or a `.safetensors` file
//! (2-D, rows = crossbar rows = inputs, columns = neurons; any float, integer
//! or bool dtype, either byte order). It maps linearly onto the levels one
//! cell can hold, which for memforge's tile are ADC codes of a single-row
//! read: `level = round(w / w_max * max_level)` with `w_max` the largest
//! weight. A single device per cell holds no sign, so negative weights are
//! clipped to level 0 and counted.
//!
//! Nothing in a file is trusted: every count is checked against the file's
//! size before anything is allocated, and every problem is an error that
//! names the file and what is wrong with it.

use std::path::Path;

/// The largest weight file read (bytes): a 256x256 tile of f64 is 512 KiB.
pub const MAX_WEIGHT_FILE_BYTES: u64 = 256 << 20;

#[derive(Debug, thiserror::Error)]
pub enum WeightError {
    #[error("{path}: {message}")]
    Read { path: String, message: String },
    #[error("{path}: expected a 2-D array (rows x columns), found shape {shape:?}")]
    Shape { path: String, shape: Vec<u64> },
    #[error("{path}: unsupported dtype {dtype} (use a plain float, integer or bool array)")]
    Dtype { path: String, dtype: String },
    #[error("{path}: holds tensors {names}; choose one with --tensor NAME")]
    WhichTensor { path: String, names: String },
    #[error("{path}: no tensor named {name:?} (it holds {names})")]
    NoTensor {
        path: String,
        name: String,
        names: String,
    },
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

/// Reads a weight file: `.safetensors` (by extension) or `.npy` (by
/// extension or its magic bytes). `tensor` names the tensor of a
/// safetensors file that holds several.
pub fn load_weights(path: &Path, tensor: Option<&str>) -> Result<WeightMatrix, WeightError> {
    let bytes = read_bounded(path)?;
    let safetensors = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("safetensors"));
    if safetensors {
        return parse_safetensors(&bytes, &path.display().to_string(), tensor);
    }
    if tensor.is_some() {
        return Err(WeightError::Read {
            path: path.display().to_string(),
            message: "--tensor applies to .safetensors files only".into(),
        });
    }
    parse_npy(&bytes, &path.display().to_string())
}

/// Reads a 2-D `.npy` file.
pub fn load_npy(path: &Path) -> Result<WeightMatrix, WeightError> {
    let bytes = read_bounded(path)?;
    parse_npy(&bytes, &path.display().to_string())
}

/// Reads a `.safetensors` file; `tensor` is needed when it holds several.
pub fn load_safetensors(path: &Path, tensor: Option<&str>) -> Result<WeightMatrix, WeightError> {
    let bytes = read_bounded(path)?;
    parse_safetensors(&bytes, &path.display().to_string(), tensor)
}

fn read_bounded(path: &Path) -> Result<Vec<u8>, WeightError> {
    use std::io::Read;
    let name = path.display().to_string();
    let read_err = |e: std::io::Error| WeightError::Read {
        path: name.clone(),
        message: format!("cannot read: {e}"),
    };
    let file = std::fs::File::open(path).map_err(read_err)?;
    if file.metadata().map_err(read_err)?.is_dir() {
        return Err(WeightError::Read {
            path: name,
            message: "is a directory, not a weight file".into(),
        });
    }
    let mut bytes = Vec::new();
    file.take(MAX_WEIGHT_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() as u64 > MAX_WEIGHT_FILE_BYTES {
        return Err(WeightError::Read {
            path: name,
            message: format!(
                "larger than {} MiB; a tile's weights are far smaller",
                MAX_WEIGHT_FILE_BYTES >> 20
            ),
        });
    }
    Ok(bytes)
}

/// Element kinds memforge reads.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Bool,
    Int,
    Uint,
    Float,
    BFloat,
}

/// Decodes `count` elements of `size` bytes (`big`-endian or not).
fn decode(data: &[u8], kind: Kind, size: usize, big: bool) -> Option<Vec<f64>> {
    let value = |b: &[u8]| -> Option<f64> {
        let mut buf = [0u8; 8];
        if big {
            for (i, x) in b.iter().rev().enumerate() {
                buf[i] = *x;
            }
        } else {
            buf[..size].copy_from_slice(b);
        }
        let u = u64::from_le_bytes(buf);
        Some(match (kind, size) {
            (Kind::Bool, 1) => (u != 0) as u8 as f64,
            (Kind::Uint, 1 | 2 | 4 | 8) => u as f64,
            (Kind::Int, 1) => f64::from(u as u8 as i8),
            (Kind::Int, 2) => f64::from(u as u16 as i16),
            (Kind::Int, 4) => f64::from(u as u32 as i32),
            (Kind::Int, 8) => u as i64 as f64,
            (Kind::Float, 2) => half::f16::from_bits(u as u16).to_f64(),
            (Kind::BFloat, 2) => half::bf16::from_bits(u as u16).to_f64(),
            (Kind::Float, 4) => f64::from(f32::from_bits(u as u32)),
            (Kind::Float, 8) => f64::from_bits(u),
            _ => return None,
        })
    };
    data.chunks_exact(size).map(value).collect()
}

/// rows x cols, checked: 2-D, and rows * cols * item size bytes present.
fn dims(
    name: &str,
    shape: &[u64],
    item: usize,
    have: usize,
) -> Result<(usize, usize, usize), WeightError> {
    let [rows, cols] = shape else {
        return Err(WeightError::Shape {
            path: name.to_string(),
            shape: shape.to_vec(),
        });
    };
    let count = rows.checked_mul(*cols);
    let need = count.and_then(|c| c.checked_mul(item as u64));
    match (count, need) {
        (Some(count), Some(need)) if need <= have as u64 => {
            Ok((*rows as usize, *cols as usize, count as usize))
        }
        _ => Err(WeightError::Read {
            path: name.to_string(),
            message: format!(
                "truncated or corrupt: the header declares {rows}x{cols} elements of {item} bytes, the file holds {have} bytes of data"
            ),
        }),
    }
}

/// Parses the bytes of a 2-D `.npy` file; `name` is only used in messages.
pub fn parse_npy(bytes: &[u8], name: &str) -> Result<WeightMatrix, WeightError> {
    let bad = |message: String| WeightError::Read {
        path: name.to_string(),
        message,
    };
    if !bytes.starts_with(b"\x93NUMPY") {
        return Err(bad("not a NumPy .npy file (no \\x93NUMPY magic)".into()));
    }
    let mut cursor = std::io::Cursor::new(bytes);
    let header = npyz::NpyHeader::from_reader(&mut cursor).map_err(|e| {
        bad(if e.kind() == std::io::ErrorKind::UnexpectedEof {
            "truncated .npy header".into()
        } else {
            format!("malformed .npy header: {e}")
        })
    })?;
    let data = &bytes[(cursor.position() as usize).min(bytes.len())..];
    let type_str = match header.dtype() {
        npyz::DType::Plain(t) => t.to_string(),
        npyz::DType::Record(fields) => {
            return Err(WeightError::Dtype {
                path: name.to_string(),
                dtype: format!(
                    "structured ({} fields: {})",
                    fields.len(),
                    fields
                        .iter()
                        .map(|f| f.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })
        }
        npyz::DType::Array(..) => {
            return Err(WeightError::Dtype {
                path: name.to_string(),
                dtype: "sub-array".into(),
            })
        }
    };
    let unsupported = || WeightError::Dtype {
        path: name.to_string(),
        dtype: type_str.clone(),
    };
    let mut chars = type_str.chars();
    let big = match chars.next() {
        Some('>') => true,
        Some('<' | '|' | '=') => cfg!(target_endian = "big") && type_str.starts_with('='),
        _ => return Err(unsupported()),
    };
    let kind = match chars.next() {
        Some('b') => Kind::Bool,
        Some('i') => Kind::Int,
        Some('u') => Kind::Uint,
        Some('f') => Kind::Float,
        _ => return Err(unsupported()),
    };
    let size: usize = chars.as_str().parse().map_err(|_| unsupported())?;
    if !matches!(size, 1 | 2 | 4 | 8) || (kind == Kind::Float && size == 1) {
        return Err(unsupported());
    }
    let (rows, cols, count) = dims(name, header.shape(), size, data.len())?;
    let values = decode(&data[..count * size], kind, size, big).ok_or_else(unsupported)?;
    let values = if header.order() == npyz::Order::Fortran {
        // Stored column by column: element (r, c) is at c * rows + r.
        (0..count)
            .map(|i| values[(i % cols) * rows + i / cols])
            .collect()
    } else {
        values
    };
    finish(name, rows, cols, values)
}

/// Parses the bytes of a `.safetensors` file; `name` is only used in messages.
pub fn parse_safetensors(
    bytes: &[u8],
    name: &str,
    tensor: Option<&str>,
) -> Result<WeightMatrix, WeightError> {
    let st = safetensors::SafeTensors::deserialize(bytes).map_err(|e| WeightError::Read {
        path: name.to_string(),
        message: format!("not a readable .safetensors file: {e}"),
    })?;
    let mut names = st.names();
    names.sort();
    let listed = || {
        if names.is_empty() {
            "no tensor".to_string()
        } else {
            names.join(", ")
        }
    };
    let chosen = match (tensor, names.as_slice()) {
        (Some(t), _) => t,
        (None, [one]) => one,
        (None, _) => {
            return Err(WeightError::WhichTensor {
                path: name.to_string(),
                names: listed(),
            })
        }
    };
    let view = st.tensor(chosen).map_err(|_| WeightError::NoTensor {
        path: name.to_string(),
        name: chosen.to_string(),
        names: listed(),
    })?;
    use safetensors::Dtype as D;
    let (kind, size) = match view.dtype() {
        D::BOOL => (Kind::Bool, 1),
        D::U8 => (Kind::Uint, 1),
        D::I8 => (Kind::Int, 1),
        D::U16 => (Kind::Uint, 2),
        D::I16 => (Kind::Int, 2),
        D::F16 => (Kind::Float, 2),
        D::BF16 => (Kind::BFloat, 2),
        D::U32 => (Kind::Uint, 4),
        D::I32 => (Kind::Int, 4),
        D::F32 => (Kind::Float, 4),
        D::U64 => (Kind::Uint, 8),
        D::I64 => (Kind::Int, 8),
        D::F64 => (Kind::Float, 8),
        other => {
            return Err(WeightError::Dtype {
                path: name.to_string(),
                dtype: format!("{other:?} (tensor {chosen:?})"),
            })
        }
    };
    let shape: Vec<u64> = view.shape().iter().map(|&d| d as u64).collect();
    let data = view.data();
    let (rows, cols, count) = dims(name, &shape, size, data.len())?;
    let values = decode(&data[..count * size], kind, size, false).ok_or(WeightError::Dtype {
        path: name.to_string(),
        dtype: format!("{:?}", view.dtype()),
    })?;
    finish(name, rows, cols, values)
}

fn finish(
    name: &str,
    rows: usize,
    cols: usize,
    values: Vec<f64>,
) -> Result<WeightMatrix, WeightError> {
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(WeightError::NotFinite {
            path: name.to_string(),
            row: i / cols.max(1),
            col: i % cols.max(1),
        });
    }
    Ok(WeightMatrix { rows, cols, values })
}

/// Writes a 2-D `f64` `.safetensors` file holding one tensor `tensor`.
pub fn save_safetensors(path: &Path, tensor: &str, m: &WeightMatrix) -> std::io::Result<()> {
    let data: Vec<u8> = m.values.iter().flat_map(|v| v.to_le_bytes()).collect();
    let view =
        safetensors::tensor::TensorView::new(safetensors::Dtype::F64, vec![m.rows, m.cols], &data)
            .map_err(std::io::Error::other)?;
    let bytes = safetensors::serialize([(tensor, view)], None).map_err(std::io::Error::other)?;
    std::fs::write(path, bytes)
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

    fn npy(descr: &str, fortran: bool, shape: &str, data: &[u8]) -> Vec<u8> {
        let descr = if descr.starts_with('[') {
            descr.to_string()
        } else {
            format!("'{descr}'")
        };
        let mut h = format!(
            "{{'descr': {descr}, 'fortran_order': {}, 'shape': {shape}, }}",
            if fortran { "True" } else { "False" }
        );
        while (10 + h.len() + 1) % 64 != 0 {
            h.push(' ');
        }
        h.push('\n');
        let mut b = b"\x93NUMPY\x01\x00".to_vec();
        b.extend((h.len() as u16).to_le_bytes());
        b.extend(h.as_bytes());
        b.extend(data);
        b
    }

    #[test]
    fn unsigned_and_half_dtypes_are_read() {
        let u2: Vec<u8> = [1u16, 2, 3, 4]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let m = parse_npy(&npy("<u2", false, "(2, 2)", &u2), "w.npy").unwrap();
        assert_eq!(m.values, vec![1.0, 2.0, 3.0, 4.0]);
        let u4: Vec<u8> = [7u32, 8].iter().flat_map(|v| v.to_le_bytes()).collect();
        assert_eq!(
            parse_npy(&npy("<u4", false, "(1, 2)", &u4), "w")
                .unwrap()
                .values,
            vec![7.0, 8.0]
        );
        let u8s: Vec<u8> = [9u64].iter().flat_map(|v| v.to_le_bytes()).collect();
        assert_eq!(
            parse_npy(&npy("<u8", false, "(1, 1)", &u8s), "w")
                .unwrap()
                .values,
            vec![9.0]
        );
        let f2: Vec<u8> = [half::f16::from_f64(0.5), half::f16::from_f64(-2.0)]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        assert_eq!(
            parse_npy(&npy("<f2", false, "(1, 2)", &f2), "w")
                .unwrap()
                .values,
            vec![0.5, -2.0]
        );
        let be: Vec<u8> = 1.5f64.to_be_bytes().to_vec();
        assert_eq!(
            parse_npy(&npy(">f8", false, "(1, 1)", &be), "w")
                .unwrap()
                .values,
            vec![1.5]
        );
    }

    #[test]
    fn fortran_order_is_transposed() {
        // [[1, 2, 3], [4, 5, 6]] stored column by column.
        let d: Vec<u8> = [1.0f64, 4.0, 2.0, 5.0, 3.0, 6.0]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let m = parse_npy(&npy("<f8", true, "(2, 3)", &d), "w").unwrap();
        assert_eq!(m.values, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    }

    #[test]
    fn overflowing_counts_and_truncation_are_clear_errors() {
        let huge = npy("<f8", true, "(4294967296, 4294967296)", &[0u8; 16]);
        let e = parse_npy(&huge, "w.npy").unwrap_err().to_string();
        assert!(e.contains("truncated or corrupt"), "{e}");
        let short = npy("<f8", false, "(2, 2)", &[0u8; 20]);
        let e = parse_npy(&short, "w.npy").unwrap_err().to_string();
        assert!(
            e.contains("declares 2x2 elements of 8 bytes, the file holds 20 bytes"),
            "{e}"
        );
        let e = parse_npy(&short[..20], "w.npy").unwrap_err().to_string();
        assert!(e.contains("header"), "{e}");
    }

    #[test]
    fn a_structured_dtype_is_named_not_dumped() {
        let rec = npy("[('a', '<f4'), ('b', '<i4')]", false, "(1, 1)", &[0u8; 8]);
        let e = parse_npy(&rec, "w.npy").unwrap_err().to_string();
        assert!(e.contains("structured (2 fields: a, b)"), "{e}");
        assert!(!e.contains("Record"), "{e}");
    }

    #[test]
    fn safetensors_round_trip_and_tensor_choice() {
        let dir = std::env::temp_dir().join(format!("mf-weights-st-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let m = WeightMatrix {
            rows: 2,
            cols: 2,
            values: vec![0.0, 0.25, 0.5, 1.0],
        };
        let path = dir.join("w.safetensors");
        save_safetensors(&path, "fc1.weight", &m).unwrap();
        assert_eq!(load_weights(&path, None).unwrap(), m);
        assert_eq!(load_weights(&path, Some("fc1.weight")).unwrap(), m);
        let e = load_weights(&path, Some("fc2")).unwrap_err().to_string();
        assert!(
            e.contains("no tensor named \"fc2\" (it holds fc1.weight)"),
            "{e}"
        );

        // Two tensors: one must be chosen.
        let a: Vec<u8> = [1.0f32, 2.0].iter().flat_map(|v| v.to_le_bytes()).collect();
        let b: Vec<u8> = [3i32, 4].iter().flat_map(|v| v.to_le_bytes()).collect();
        use safetensors::tensor::TensorView;
        let bytes = safetensors::serialize(
            [
                (
                    "a",
                    TensorView::new(safetensors::Dtype::F32, vec![1, 2], &a).unwrap(),
                ),
                (
                    "b",
                    TensorView::new(safetensors::Dtype::I32, vec![2, 1], &b).unwrap(),
                ),
            ],
            None,
        )
        .unwrap();
        let two = dir.join("two.safetensors");
        std::fs::write(&two, &bytes).unwrap();
        let e = load_weights(&two, None).unwrap_err().to_string();
        assert!(
            e.contains("holds tensors a, b; choose one with --tensor NAME"),
            "{e}"
        );
        assert_eq!(
            load_weights(&two, Some("b")).unwrap().values,
            vec![3.0, 4.0]
        );
        // Truncated: a clear error, no panic.
        std::fs::write(&two, &bytes[..bytes.len() - 3]).unwrap();
        let e = load_weights(&two, Some("b")).unwrap_err().to_string();
        assert!(e.contains("not a readable .safetensors file"), "{e}");
        let _ = std::fs::remove_dir_all(dir);
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

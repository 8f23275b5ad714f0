//! A trained network as memforge maps it: a recurrent matrix and an
//! optional input matrix, both `W[pre, post]` (rows are the neurons or
//! inputs a spike comes from, columns the neurons it reaches), as the
//! Mosaic code computes `z @ rec_weight` (EIS-Hub/Mosaic `model.py`).
//!
//! Accepted files (every read goes through `memforge_sim::weights`, so
//! NaN/inf, bad dtypes and truncated files are errors naming the file):
//! - a `.safetensors` file with a tensor named `recurrent` or `rec_weight`
//!   (N x N) and optionally `input` or `inp_weight` (inputs x N); a file
//!   holding a single tensor of another name is the recurrent matrix;
//! - a `.npy` file: the recurrent matrix;
//! - a directory with `recurrent.npy` or `rec_weight.npy` and optionally
//!   `input.npy` or `inp_weight.npy`.

use super::MapError;
use memforge_sim::weights::{parse_npy, parse_safetensors, WeightError, WeightMatrix};
use std::path::Path;

/// Tensor/file stems of the recurrent matrix, in the order they are tried.
pub const RECURRENT_NAMES: [&str; 2] = ["recurrent", "rec_weight"];
/// Tensor/file stems of the input matrix.
pub const INPUT_NAMES: [&str; 2] = ["input", "inp_weight"];

/// The weights to map.
#[derive(Clone, Debug, PartialEq)]
pub struct Network {
    /// N x N, `[pre, post]`.
    pub recurrent: WeightMatrix,
    /// inputs x N, `[input, post]`; `None` when the network has no inputs.
    pub input: Option<WeightMatrix>,
}

impl Network {
    /// Checks the shapes: a square recurrent matrix, an input matrix with
    /// one column per neuron.
    pub fn new(recurrent: WeightMatrix, input: Option<WeightMatrix>) -> Result<Self, MapError> {
        if recurrent.rows != recurrent.cols {
            return Err(MapError::Shape(format!(
                "the recurrent matrix is {}x{}; it must be square (N x N, [pre, post])",
                recurrent.rows, recurrent.cols
            )));
        }
        if let Some(inp) = &input {
            if inp.cols != recurrent.cols {
                return Err(MapError::Shape(format!(
                    "the input matrix is {}x{} but the recurrent matrix has {} neurons; it must be inputs x {} ([input, post])",
                    inp.rows, inp.cols, recurrent.cols, recurrent.cols
                )));
            }
        }
        Ok(Network { recurrent, input })
    }

    pub fn neurons(&self) -> usize {
        self.recurrent.rows
    }

    pub fn inputs(&self) -> usize {
        self.input.as_ref().map_or(0, |m| m.rows)
    }

    /// The largest |w| of both matrices (the full-scale weight).
    pub fn w_max(&self) -> f64 {
        let rec = self.recurrent.values.iter();
        let inp = self.input.iter().flat_map(|m| m.values.iter());
        rec.chain(inp).fold(0.0f64, |m, w| m.max(w.abs()))
    }
}

/// Reads a network from a `.safetensors` file, a `.npy` file or a
/// directory of `.npy` files (see the module doc).
pub fn load(path: &Path) -> Result<Network, MapError> {
    let name = path.display().to_string();
    if path.is_dir() {
        let find = |stems: &[&str]| {
            stems
                .iter()
                .map(|s| path.join(format!("{s}.npy")))
                .find(|p| p.is_file())
        };
        let Some(rec) = find(&RECURRENT_NAMES) else {
            return Err(MapError::Network(format!(
                "{name}: a network directory needs recurrent.npy or rec_weight.npy (and optionally input.npy or inp_weight.npy)"
            )));
        };
        let recurrent = parse_npy(&read(&rec)?, &rec.display().to_string())?;
        let input = match find(&INPUT_NAMES) {
            Some(p) => Some(parse_npy(&read(&p)?, &p.display().to_string())?),
            None => None,
        };
        return Network::new(recurrent, input);
    }
    let bytes = read(path)?;
    let safetensors = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("safetensors"));
    if !safetensors {
        return Network::new(parse_npy(&bytes, &name)?, None);
    }
    let named = |names: &[&str]| -> Result<Option<WeightMatrix>, MapError> {
        for n in names {
            match parse_safetensors(&bytes, &name, Some(n)) {
                Ok(m) => return Ok(Some(m)),
                Err(WeightError::NoTensor { .. }) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Ok(None)
    };
    let recurrent = match named(&RECURRENT_NAMES)? {
        Some(m) => m,
        // A single tensor of another name is the recurrent matrix; with
        // several, the error lists them and the names memforge looks for.
        None => parse_safetensors(&bytes, &name, None).map_err(|e| match e {
            WeightError::WhichTensor { path, names } => MapError::Network(format!(
                "{path}: holds tensors {names}; name the recurrent matrix `recurrent` or `rec_weight` (and the input matrix `input` or `inp_weight`)"
            )),
            e => e.into(),
        })?,
    };
    let input = named(&INPUT_NAMES)?;
    Network::new(recurrent, input)
}

fn read(path: &Path) -> Result<Vec<u8>, MapError> {
    let io = |e: std::io::Error| MapError::Network(format!("{}: cannot read: {e}", path.display()));
    let len = std::fs::metadata(path).map_err(io)?.len();
    if len > memforge_sim::weights::MAX_WEIGHT_FILE_BYTES {
        return Err(MapError::Network(format!(
            "{}: larger than {} MiB",
            path.display(),
            memforge_sim::weights::MAX_WEIGHT_FILE_BYTES >> 20
        )));
    }
    std::fs::read(path).map_err(io)
}

//! Read patterns of `memforge analog --read`: which rows are driven, at
//! what voltage, in how many solves. The tile's sequencer reads one row at a
//! time (the others grounded or floating, `analog.unselected_rows`) and
//! recombines multi-bit (PWM) inputs digitally by shift-add; the analog
//! matrix-vector product drives rows at once. Each pattern becomes a list
//! of DC solves on the same cells (one draw of read noise), each compared
//! with its own ngspice deck.

use crate::outcome::UsageError;
use memforge_spec::analog::{DeviceKind, MAX_SINH_ARGUMENT};
use memforge_spec::DesignConfig;
use std::path::Path;
use std::str::FromStr;

/// The most numbers a vector file may hold (a tile has at most 256 rows;
/// the limit keeps a wrong path from being read forever).
const MAX_VECTOR_BYTES: u64 = 1 << 20;

/// What `--read` asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum ReadPattern {
    /// Every row at `analog.read_voltage` (the analog product of an all-ones
    /// input).
    All,
    /// One row at `analog.read_voltage`, the others unselected: the tile's
    /// READ.
    Row(usize),
    /// Row voltages (V), all applied at once; a row at 0 V is unselected.
    Vector(Source),
    /// PWM codes, one per row, read as the tile does: for every set bit
    /// `b` of row `r`'s code one READ of row `r` alone, weighted `2^b`.
    Pwm(Source),
}

/// Numbers given inline (`0.2,0,0.1`) or in a text file (whitespace- or
/// comma-separated).
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    Inline(Vec<f64>),
    File(std::path::PathBuf),
}

impl FromStr for ReadPattern {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let usage = "expected all, row:N, vector:V0,V1,... (volts) or vector:FILE, pwm:C0,C1,... (codes) or pwm:FILE";
        let (kind, arg) = s.split_once(':').unwrap_or((s, ""));
        match (kind, arg) {
            ("all", "") => Ok(ReadPattern::All),
            ("row", n) => n
                .parse()
                .map(ReadPattern::Row)
                .map_err(|_| format!("row:{n}: the row must be a number; {usage}")),
            ("vector", a) if !a.is_empty() => Ok(ReadPattern::Vector(source(a)?)),
            ("pwm", a) if !a.is_empty() => Ok(ReadPattern::Pwm(source(a)?)),
            _ => Err(format!("{s:?}: {usage}")),
        }
    }
}

/// Inline numbers when the argument parses as a list, else a file path.
fn source(a: &str) -> Result<Source, String> {
    match numbers(a, "the inline list") {
        Ok(v) => Ok(Source::Inline(v)),
        Err(_) if !a.contains(',') => Ok(Source::File(a.into())),
        Err(e) => Err(e),
    }
}

fn numbers(text: &str, what: &str) -> Result<Vec<f64>, String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.parse::<f64>()
                .map_err(|_| format!("{what}: {t:?} is not a number"))
        })
        .collect()
}

impl Source {
    fn values(&self) -> anyhow::Result<Vec<f64>> {
        match self {
            Source::Inline(v) => Ok(v.clone()),
            Source::File(path) => read_numbers(path),
        }
    }
}

fn read_numbers(path: &Path) -> anyhow::Result<Vec<f64>> {
    use std::io::Read;
    let file = std::fs::File::open(path)
        .map_err(|e| UsageError(format!("{}: cannot read: {e}", path.display())))?;
    let mut text = String::new();
    file.take(MAX_VECTOR_BYTES)
        .read_to_string(&mut text)
        .map_err(|e| UsageError(format!("{}: cannot read as text: {e}", path.display())))?;
    Ok(numbers(&text, &path.display().to_string()).map_err(UsageError)?)
}

/// One DC solve of a pattern: row voltages, and its weight in the result.
#[derive(Clone, Debug, PartialEq)]
pub struct Solve {
    pub volts: Vec<f64>,
    pub weight: f64,
}

/// A pattern resolved against a design: its solves and a description.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub solves: Vec<Solve>,
    /// Human words: "row 5 at 0.2 V, the others grounded".
    pub words: String,
    /// The pattern for the JSON record.
    pub json: serde_json::Value,
}

impl ReadPattern {
    /// The solves of this pattern on `design`'s tile. Bad input (a row out
    /// of range, a vector of the wrong length, a voltage the device cannot
    /// be read at, a code beyond `tile.input_bits`) is a usage error.
    pub fn plan(&self, design: &DesignConfig) -> anyhow::Result<Plan> {
        let a = &design.analog;
        let rows = design.tile.rows as usize;
        let v_read = a.read_voltage;
        let unselected = match a.unselected_rows {
            memforge_spec::analog::UnselectedRows::Grounded => "grounded",
            memforge_spec::analog::UnselectedRows::Floating => "floating",
        };
        let one_row = |r: usize| {
            let mut v = vec![0.0; rows];
            v[r] = v_read;
            v
        };
        let plan = match self {
            ReadPattern::All => Plan {
                solves: vec![Solve {
                    volts: vec![v_read; rows],
                    weight: 1.0,
                }],
                words: format!("{v_read} V on every row"),
                json: serde_json::json!({"pattern": "all"}),
            },
            ReadPattern::Row(r) => {
                if *r >= rows {
                    return Err(UsageError(format!(
                        "--read row:{r}: the tile has rows 0..={} (tile.rows = {rows})",
                        rows - 1
                    ))
                    .into());
                }
                Plan {
                    solves: vec![Solve {
                        volts: one_row(*r),
                        weight: 1.0,
                    }],
                    words: format!("row {r} at {v_read} V, the others {unselected}"),
                    json: serde_json::json!({"pattern": "row", "row": r}),
                }
            }
            ReadPattern::Vector(src) => {
                let volts = src.values()?;
                check_len("vector", volts.len(), rows)?;
                for (i, v) in volts.iter().enumerate() {
                    if !(v.is_finite() && v.abs() <= 5.0) {
                        return Err(UsageError(format!(
                            "--read vector: row {i} voltage {v} must be finite and within ±5 V"
                        ))
                        .into());
                    }
                }
                check_device_can_read(design, &volts)?;
                let active = volts.iter().filter(|v| **v != 0.0).count();
                Plan {
                    words: format!(
                        "an input vector ({active} of {rows} rows driven, the others {unselected})"
                    ),
                    json: serde_json::json!({"pattern": "vector", "volts": volts}),
                    solves: vec![Solve { volts, weight: 1.0 }],
                }
            }
            ReadPattern::Pwm(src) => {
                let codes = src.values()?;
                check_len("pwm", codes.len(), rows)?;
                let bits = design.tile.input_bits.clamp(1, 16);
                let top = (1u32 << bits) - 1;
                let mut solves = Vec::new();
                let mut ints = Vec::with_capacity(rows);
                for (r, c) in codes.iter().enumerate() {
                    if !(c.fract() == 0.0 && (0.0..=f64::from(top)).contains(c)) {
                        return Err(UsageError(format!(
                            "--read pwm: row {r} code {c} must be an integer in 0..={top} (tile.input_bits = {bits})"
                        ))
                        .into());
                    }
                    let c = *c as u32;
                    ints.push(c);
                    // One READ per set bit, recombined by shift-add: the
                    // bits of one row sum to its code, so one solve of the
                    // row weighted by the code is the same sum.
                    if c > 0 {
                        solves.push(Solve {
                            volts: one_row(r),
                            weight: f64::from(c),
                        });
                    }
                }
                if solves.is_empty() {
                    return Err(UsageError(
                        "--read pwm: every code is 0, so nothing is read".into(),
                    )
                    .into());
                }
                Plan {
                    words: format!(
                        "PWM codes of {bits} bits, one row at a time at {v_read} V (the others {unselected}), shift-added: {} row reads; currents are code-weighted sums",
                        solves.len()
                    ),
                    json: serde_json::json!({"pattern": "pwm", "codes": ints, "input_bits": bits}),
                    solves,
                }
            }
        };
        Ok(plan)
    }
}

fn check_len(what: &str, got: usize, rows: usize) -> anyhow::Result<()> {
    if got == rows {
        Ok(())
    } else {
        Err(UsageError(format!(
            "--read {what}: {got} values for a tile of {rows} rows (tile.rows); give one per row"
        ))
        .into())
    }
}

/// Voltages a device cannot be read at: a sinh cell past the `V/V0` the
/// config validation allows for `read_voltage`, a VTEAM cell past its
/// switching thresholds (the read would move it).
fn check_device_can_read(design: &DesignConfig, volts: &[f64]) -> anyhow::Result<()> {
    let a = &design.analog;
    // Sources are the rows and the 0 V sense nodes; a device sees at most
    // the span between them.
    let hi = volts.iter().copied().fold(0.0f64, f64::max);
    let lo = volts.iter().copied().fold(0.0f64, f64::min);
    let span = hi - lo;
    match a.device {
        DeviceKind::RramSinh if span / a.rram.v0 > MAX_SINH_ARGUMENT => Err(UsageError(format!(
            "--read vector: a device may see {span} V, {:.0} times analog.rram.v0 = {}, above {MAX_SINH_ARGUMENT} (sinh overflows at 710); lower the voltages or raise analog.rram.v0",
            span / a.rram.v0,
            a.rram.v0
        ))
        .into()),
        DeviceKind::Vteam if span >= a.vteam.v_off.min(-a.vteam.v_on) => Err(UsageError(format!(
            "--read vector: a device may see {span} V, beyond the switching thresholds (analog.vteam.v_on = {}, v_off = {}); a read must not move the state",
            a.vteam.v_on, a.vteam.v_off
        ))
        .into()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_parse() {
        assert_eq!("all".parse(), Ok(ReadPattern::All));
        assert_eq!("row:5".parse(), Ok(ReadPattern::Row(5)));
        assert_eq!(
            "vector:0.2,0,0.1".parse(),
            Ok(ReadPattern::Vector(Source::Inline(vec![0.2, 0.0, 0.1])))
        );
        assert_eq!(
            "pwm:in.txt".parse(),
            Ok(ReadPattern::Pwm(Source::File("in.txt".into())))
        );
        for bad in ["row:x", "rows:3", "vector:", "vector:0.2,x", ""] {
            assert!(bad.parse::<ReadPattern>().is_err(), "{bad}");
        }
    }
}

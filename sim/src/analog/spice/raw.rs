//! Reads ngspice raw files (`ngspice -b -r out.raw`), binary or ASCII.
//! Binary is ngspice's default and keeps full double precision, which the
//! 1e-6 accuracy check needs (printed tables round to a few digits).

use std::collections::HashMap;

/// One plot (analysis) of a raw file.
#[derive(Clone, Debug, PartialEq)]
pub struct Plot {
    pub name: String,
    /// Vector names in file order, lower-cased.
    pub names: Vec<String>,
    /// `data[point][var]`.
    pub data: Vec<Vec<f64>>,
}

impl Plot {
    /// The samples of one vector (matched case-insensitively).
    pub fn vector(&self, name: &str) -> Option<Vec<f64>> {
        let k = self
            .names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(name))?;
        Some(self.data.iter().map(|p| p[k]).collect())
    }

    /// All vectors by name.
    pub fn vectors(&self) -> HashMap<String, Vec<f64>> {
        self.names
            .iter()
            .enumerate()
            .map(|(k, n)| (n.clone(), self.data.iter().map(|p| p[k]).collect()))
            .collect()
    }
}

/// Why a raw file could not be read.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("unreadable ngspice raw file: {0}")]
pub struct RawError(pub String);

fn err<T>(msg: impl Into<String>) -> Result<T, RawError> {
    Err(RawError(msg.into()))
}

/// Parses every plot of a raw file.
pub fn parse(bytes: &[u8]) -> Result<Vec<Plot>, RawError> {
    let mut plots = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        if bytes[pos..].iter().all(|b| b.is_ascii_whitespace()) {
            break;
        }
        let (plot, next) = parse_plot(bytes, pos)?;
        plots.push(plot);
        pos = next;
    }
    if plots.is_empty() {
        return err("no plot in file (empty or truncated)");
    }
    Ok(plots)
}

/// Reads one header line starting at `pos`; returns it and the next offset.
fn line(bytes: &[u8], pos: usize) -> Option<(String, usize)> {
    if pos >= bytes.len() {
        return None;
    }
    let end = bytes[pos..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(bytes.len(), |k| pos + k);
    Some((
        String::from_utf8_lossy(&bytes[pos..end])
            .trim_end()
            .to_string(),
        // A last line without its newline ends at the end of the file.
        (end + 1).min(bytes.len()),
    ))
}

fn parse_plot(bytes: &[u8], mut pos: usize) -> Result<(Plot, usize), RawError> {
    let (mut name, mut nvars, mut npoints, mut complex) = (String::new(), None, None, false);
    let mut names = Vec::new();
    loop {
        let Some((l, next)) = line(bytes, pos) else {
            return err("header ends before the data");
        };
        pos = next;
        let (key, value) = l
            .split_once(':')
            .map_or((l.as_str(), ""), |(k, v)| (k, v.trim()));
        match key.trim() {
            "Plotname" => name = value.to_string(),
            "Flags" => complex = value.contains("complex"),
            "No. Variables" => nvars = value.parse::<usize>().ok(),
            "No. Points" => npoints = value.parse::<usize>().ok(),
            "Variables" => {
                let n = nvars.ok_or(RawError("Variables before No. Variables".into()))?;
                for _ in 0..n {
                    let Some((v, next)) = line(bytes, pos) else {
                        return err("truncated variable list");
                    };
                    pos = next;
                    let name = v
                        .split_whitespace()
                        .nth(1)
                        .ok_or(RawError(format!("bad variable line {v:?}")))?;
                    names.push(name.to_ascii_lowercase());
                }
            }
            "Binary" | "Values" => {
                let (n, p) = match (nvars, npoints) {
                    (Some(n), Some(p)) if names.len() == n => (n, p),
                    _ => return err("header lacks variable or point counts"),
                };
                if n == 0 {
                    return err("header declares no variables");
                }
                if complex {
                    return err("complex data is not supported (only .op and .tran)");
                }
                let (data, next) = if key.trim() == "Binary" {
                    binary(bytes, pos, n, p)?
                } else {
                    ascii(bytes, pos, n, p)?
                };
                return Ok((Plot { name, names, data }, next));
            }
            _ => {}
        }
    }
}

fn binary(
    bytes: &[u8],
    pos: usize,
    n: usize,
    p: usize,
) -> Result<(Vec<Vec<f64>>, usize), RawError> {
    // Every count is checked against the bytes really there before
    // anything is allocated for it.
    let have = bytes.len().saturating_sub(pos);
    let need = n.checked_mul(p).and_then(|x| x.checked_mul(8));
    match need {
        Some(need) if need <= have => {}
        _ => {
            return err(format!(
                "binary data truncated: the header declares {p} points of {n} variables, the file holds {have} bytes of data"
            ))
        }
    }
    let mut data = Vec::with_capacity(p);
    let mut at = pos;
    for _ in 0..p {
        let mut point = Vec::with_capacity(n);
        for _ in 0..n {
            let mut b = [0u8; 8];
            b.copy_from_slice(&bytes[at..at + 8]);
            point.push(f64::from_le_bytes(b));
            at += 8;
        }
        data.push(point);
    }
    Ok((data, at))
}

fn ascii(
    bytes: &[u8],
    mut pos: usize,
    n: usize,
    p: usize,
) -> Result<(Vec<Vec<f64>>, usize), RawError> {
    // A point takes at least two bytes per value ("0\n"): more points than
    // that cannot be in the file.
    let have = bytes.len().saturating_sub(pos);
    if p > have / 2 {
        return err(format!(
            "ASCII data truncated: the header declares {p} points, the file holds {have} bytes of data"
        ));
    }
    let mut data = Vec::with_capacity(p);
    for _ in 0..p {
        let mut point = Vec::with_capacity(n);
        while point.len() < n {
            let Some((l, next)) = line(bytes, pos) else {
                return err("ASCII data truncated");
            };
            pos = next;
            let mut fields = l.split_whitespace();
            if point.is_empty() {
                fields.next(); // point index
            }
            for f in fields {
                if point.len() == n {
                    return err(format!("more than {n} values in a point"));
                }
                point.push(
                    f.parse::<f64>()
                        .map_err(|_| RawError(format!("bad number {f:?}")))?,
                );
            }
        }
        data.push(point);
    }
    Ok((data, pos))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(kind: &str) -> Vec<u8> {
        format!(
            "Title: t\nDate: x\nPlotname: Operating Point\nFlags: real\nNo. Variables: 2\nNo. Points: 1\nVariables:\n\t0\ti(vs0)\tcurrent\n\t1\tv(n1)\tvoltage\n{kind}:\n"
        )
        .into_bytes()
    }

    #[test]
    fn binary_round_trips_doubles() {
        let mut b = header("Binary");
        b.extend(1.25e-5f64.to_le_bytes());
        b.extend((0.1f64 + 0.2).to_le_bytes());
        let plots = parse(&b).unwrap();
        assert_eq!(plots[0].vector("I(VS0)"), Some(vec![1.25e-5]));
        assert_eq!(plots[0].vector("v(n1)"), Some(vec![0.1 + 0.2]));
    }

    #[test]
    fn ascii_values_parse() {
        let mut b = header("Values");
        b.extend(b" 0\t1.0e-3\n\t2.5e-1\n\n");
        let plots = parse(&b).unwrap();
        assert_eq!(plots[0].vector("v(n1)"), Some(vec![0.25]));
    }

    #[test]
    fn huge_point_counts_are_bounded_by_the_file() {
        let head = |points: &str, vars: usize, kind: &str| {
            let mut h = format!(
                "Title: t\nPlotname: Operating Point\nFlags: real\nNo. Variables: {vars}\nNo. Points: {points}\nVariables:\n"
            );
            for k in 0..vars {
                h.push_str(&format!("\t{k}\tv(n{k})\tvoltage\n"));
            }
            h.push_str(kind);
            h.push_str(":\n");
            h.into_bytes()
        };
        // Used to abort the process (allocation failure).
        let e = parse(&head("1000000000000000", 2, "Values")).unwrap_err();
        assert!(e.0.contains("truncated"), "{e}");
        // Used to panic on capacity overflow.
        let e = parse(&head("18446744073709551615", 2, "Binary")).unwrap_err();
        assert!(e.0.contains("truncated"), "{e}");
        let e = parse(&head("18446744073709551615", 0, "Binary")).unwrap_err();
        assert!(e.0.contains("no variables"), "{e}");
    }

    #[test]
    fn a_header_without_its_last_newline_is_an_error() {
        let mut b = header("Binary");
        b.pop();
        // Used to underflow a length (a panic with overflow checks, a
        // nonsense byte count without).
        let e = parse(&b).unwrap_err();
        assert!(e.0.contains("holds 0 bytes"), "{e}");
        let mut b = header("Values");
        b.pop();
        assert!(parse(&b).is_err());
    }

    #[test]
    fn truncated_and_empty_files_are_errors() {
        let mut b = header("Binary");
        b.extend([0u8; 9]);
        assert!(parse(&b).unwrap_err().0.contains("truncated"));
        assert!(parse(b"").is_err());
        assert!(parse(b"garbage\n").is_err());
    }
}

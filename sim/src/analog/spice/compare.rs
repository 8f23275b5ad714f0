//! Error metrics between memforge and ngspice results.

use serde::Serialize;

/// Agreement of two vectors of the same quantity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Agreement {
    /// Largest `|ours - reference|`.
    pub max_abs_error: f64,
    /// Largest `|ours - reference| / max(|reference|, floor)`.
    pub max_rel_error: f64,
    /// Index of the worst relative error.
    pub worst: usize,
}

/// Compares `ours` with `reference` element by element. `floor` keeps the
/// relative error of near-zero references meaningful (pass e.g. 1e-12 A for
/// currents, or a fraction of the trajectory's peak).
pub fn agreement(ours: &[f64], reference: &[f64], floor: f64) -> Agreement {
    let mut a = Agreement {
        max_abs_error: 0.0,
        max_rel_error: 0.0,
        worst: 0,
    };
    if ours.len() != reference.len() {
        a.max_abs_error = f64::INFINITY;
        a.max_rel_error = f64::INFINITY;
        return a;
    }
    for (k, (x, r)) in ours.iter().zip(reference).enumerate() {
        let abs = (x - r).abs();
        let rel = abs / r.abs().max(floor);
        // NaN compares false: treat it as the worst possible error.
        if abs.is_nan() || rel.is_nan() {
            return Agreement {
                max_abs_error: f64::INFINITY,
                max_rel_error: f64::INFINITY,
                worst: k,
            };
        }
        a.max_abs_error = a.max_abs_error.max(abs);
        if rel > a.max_rel_error {
            a.max_rel_error = rel;
            a.worst = k;
        }
    }
    a
}

/// Linear interpolation of `(times, values)` at `t` (held at the ends).
pub fn interpolate(times: &[f64], values: &[f64], t: f64) -> f64 {
    match times.iter().position(|&x| x >= t) {
        None => values.last().copied().unwrap_or(f64::NAN),
        Some(0) => values.first().copied().unwrap_or(f64::NAN),
        Some(k) => {
            let (t0, t1) = (times[k - 1], times[k]);
            if t1 == t0 {
                values[k]
            } else {
                values[k - 1] + (values[k] - values[k - 1]) * (t - t0) / (t1 - t0)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_pick_the_worst_element() {
        let a = agreement(&[1.0, 2.0, 3.0], &[1.0, 2.2, 3.0], 1e-12);
        assert!((a.max_abs_error - 0.2).abs() < 1e-12);
        assert!((a.max_rel_error - 0.2 / 2.2).abs() < 1e-12);
        assert_eq!(a.worst, 1);
        assert_eq!(
            agreement(&[1.0], &[1.0, 2.0], 0.0).max_rel_error,
            f64::INFINITY
        );
        assert_eq!(
            agreement(&[f64::NAN], &[1.0], 0.0).max_rel_error,
            f64::INFINITY
        );
    }

    #[test]
    fn interpolation_is_linear_and_held() {
        let t = [0.0, 1.0, 3.0];
        let v = [0.0, 2.0, 4.0];
        assert_eq!(interpolate(&t, &v, 0.5), 1.0);
        assert_eq!(interpolate(&t, &v, 2.0), 3.0);
        assert_eq!(interpolate(&t, &v, 9.0), 4.0);
        assert_eq!(interpolate(&t, &v, -1.0), 0.0);
    }
}

//! Membrane waveforms and spike times, and how far two of them are apart.
//!
//! ngspice writes the time points its own step control chose; memforge
//! samples on a uniform grid. The ngspice trace is interpolated linearly at
//! the grid's times (one forward pass: both are sorted), and spike times are
//! taken from the waveform the same way on both sides (upward crossings of
//! the threshold), so a difference is a difference of the circuits'
//! answers, not of the bookkeeping.

use serde::Serialize;

/// A membrane waveform sampled at `t` (s), with its spike times (s).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Trace {
    pub t: Vec<f64>,
    pub v: Vec<f64>,
    pub spikes: Vec<f64>,
}

/// How far a model's trace is from the reference.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TraceAgreement {
    /// Root-mean-square membrane difference over the samples (V).
    pub rms_v: f64,
    /// Largest membrane difference at a sample (V).
    pub max_abs_v: f64,
    /// Spikes of the model and of the reference.
    pub spikes: usize,
    pub reference_spikes: usize,
    /// Largest |t_model - t_reference| over spikes paired in order (s);
    /// infinite when the counts differ.
    pub max_spike_dt: f64,
}

/// Values of the polyline `(times, values)` at the sorted `at` (held at the
/// ends), in one pass.
pub fn resample(times: &[f64], values: &[f64], at: &[f64]) -> Vec<f64> {
    let mut k = 0;
    at.iter()
        .map(|&t| {
            while k + 1 < times.len() && times[k + 1] < t {
                k += 1;
            }
            if times.is_empty() {
                return f64::NAN;
            }
            if k + 1 >= times.len() || t <= times[0] {
                return if t <= times[0] {
                    values[0]
                } else {
                    values[times.len() - 1]
                };
            }
            let (t0, t1) = (times[k], times[k + 1]);
            if t1 == t0 {
                values[k + 1]
            } else {
                values[k] + (values[k + 1] - values[k]) * (t - t0) / (t1 - t0)
            }
        })
        .collect()
}

/// Times at which the polyline crosses `level` going up (linear
/// interpolation between the two points around each crossing).
pub fn upward_crossings(times: &[f64], values: &[f64], level: f64) -> Vec<f64> {
    let mut out = Vec::new();
    for k in 1..times.len().min(values.len()) {
        let (a, b) = (values[k - 1], values[k]);
        if a < level && b >= level {
            let f = (level - a) / (b - a);
            out.push(times[k - 1] + f * (times[k] - times[k - 1]));
        }
    }
    out
}

/// Times at which a resetting waveform fires: each time it rises to `high`
/// and then falls below `low` within `fall` seconds of its peak (a reset,
/// not a slow inhibition), the time of its highest point in between. A
/// comparator's switch closes at that peak; reading the firing from the
/// reset, not from a crossing of the threshold itself, keeps a simulator
/// that switched a hair below the threshold from losing a spike.
pub fn reset_times(times: &[f64], values: &[f64], high: f64, low: f64, fall: f64) -> Vec<f64> {
    let mut out = Vec::new();
    let mut peak: Option<(f64, f64)> = None;
    for (&t, &v) in times.iter().zip(values) {
        match peak {
            None if v >= high => peak = Some((t, v)),
            Some((_, pv)) if v > pv => peak = Some((t, v)),
            Some((pt, _)) if v < low => {
                if t - pt <= fall {
                    out.push(pt);
                }
                peak = None;
            }
            _ => {}
        }
    }
    out
}

/// Spikes of two runs paired in time order within `tol` (s): the pairs'
/// largest time difference, and the spikes of each run left unpaired.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SpikeMatch {
    pub pairs: usize,
    pub max_dt: f64,
    pub only_ours: Vec<f64>,
    pub only_reference: Vec<f64>,
}

/// Pairs `ours` with `reference` (both sorted) greedily in time order.
pub fn match_spikes(ours: &[f64], reference: &[f64], tol: f64) -> SpikeMatch {
    let mut m = SpikeMatch::default();
    let (mut i, mut j) = (0, 0);
    while i < ours.len() || j < reference.len() {
        match (ours.get(i), reference.get(j)) {
            (Some(a), Some(b)) if (a - b).abs() <= tol => {
                m.pairs += 1;
                m.max_dt = m.max_dt.max((a - b).abs());
                i += 1;
                j += 1;
            }
            (Some(a), Some(b)) if a < b => {
                m.only_ours.push(*a);
                i += 1;
            }
            (Some(a), None) => {
                m.only_ours.push(*a);
                i += 1;
            }
            (_, Some(b)) => {
                m.only_reference.push(*b);
                j += 1;
            }
            (None, None) => break,
        }
    }
    m
}

/// The highest sample of `trace` within `t0..=t1`.
pub fn peak_between(trace: &Trace, t0: f64, t1: f64) -> f64 {
    trace
        .t
        .iter()
        .zip(&trace.v)
        .filter(|(t, _)| (t0..=t1).contains(*t))
        .map(|(_, v)| *v)
        .fold(f64::NEG_INFINITY, f64::max)
}

/// Compares `ours` with `reference` sampled at the same times.
pub fn compare_traces(ours: &Trace, reference: &Trace) -> TraceAgreement {
    let n = ours.v.len().min(reference.v.len());
    let mut sq = 0.0;
    let mut max_abs: f64 = 0.0;
    for k in 0..n {
        let d = (ours.v[k] - reference.v[k]).abs();
        // NaN is the worst difference, not a skipped one.
        let d = if d.is_nan() { f64::INFINITY } else { d };
        sq += d * d;
        max_abs = max_abs.max(d);
    }
    let rms_v = if n == 0 {
        f64::INFINITY
    } else {
        (sq / n as f64).sqrt()
    };
    let max_spike_dt = if ours.spikes.len() == reference.spikes.len() {
        ours.spikes
            .iter()
            .zip(&reference.spikes)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max)
    } else {
        f64::INFINITY
    };
    TraceAgreement {
        rms_v,
        max_abs_v: max_abs,
        spikes: ours.spikes.len(),
        reference_spikes: reference.spikes.len(),
        max_spike_dt,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resampling_is_linear_and_held() {
        let t = [0.0, 1.0, 3.0];
        let v = [0.0, 2.0, 4.0];
        assert_eq!(
            resample(&t, &v, &[-1.0, 0.5, 2.0, 9.0]),
            vec![0.0, 1.0, 3.0, 4.0]
        );
    }

    #[test]
    fn crossings_are_interpolated() {
        let c = upward_crossings(&[0.0, 1.0, 2.0, 3.0], &[0.0, 2.0, 0.0, 2.0], 1.0);
        assert_eq!(c, vec![0.5, 2.5]);
    }

    #[test]
    fn resets_are_found_at_their_peaks() {
        let t = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let v = [0.0, 0.95, 0.99, 0.1, 0.98, 0.97, 0.5];
        assert_eq!(reset_times(&t, &v, 0.9, 0.2, 1.5), vec![2.0]);
        // A slow fall is not a reset.
        let v = [0.0, 0.95, 0.99, 0.5, 0.3, 0.1, 0.0];
        assert!(reset_times(&t, &v, 0.9, 0.2, 1.5).is_empty());
    }

    #[test]
    fn spikes_pair_within_the_tolerance() {
        let m = match_spikes(&[1.0, 2.0, 5.0], &[1.1, 3.0, 5.05], 0.2);
        assert_eq!(m.pairs, 2);
        assert!((m.max_dt - 0.1).abs() < 1e-12);
        assert_eq!(m.only_ours, vec![2.0]);
        assert_eq!(m.only_reference, vec![3.0]);
    }

    #[test]
    fn differing_spike_counts_are_infinitely_apart() {
        let a = Trace {
            t: vec![0.0],
            v: vec![1.0],
            spikes: vec![1.0],
        };
        let b = Trace {
            t: vec![0.0],
            v: vec![1.5],
            spikes: vec![],
        };
        let d = compare_traces(&a, &b);
        assert_eq!(d.max_spike_dt, f64::INFINITY);
        assert_eq!(d.rms_v, 0.5);
    }
}

//! The floating-point reference of the e-prop digits demo (`super::digits`):
//! the same rule on the same task with continuous numbers, to tell the
//! digital run's quantisation effects from the rule's behaviour.
//!
//! - weights `w_ik = G+ - G-` in codes, float, from the same initial
//!   levels, clipped to the devices' range `+-adc_max`;
//! - output `y_k = sum_i p_i w_ik / threshold` (no floor: the tile's
//!   spike-count difference is this value rounded towards each column's
//!   floor);
//! - eligibility `e_i = min(trace_increment p_i, trace_max) h` with `h = 4`
//!   (the non-spiking readout, `h_window = 0xffff`), no decay within a
//!   digit, exactly as the tile's trace after the digit;
//! - learning signal `L_k = clamp(scale (target_k - y_k), -127, 127)`, a
//!   float (the tile's is an integer);
//! - update `dw_ik = L_k e_i / 2^lr_shift / epsilon` codes: the expected
//!   number of `+-epsilon` crossings, i.e. mixed precision without its
//!   residue, its one-pulse-per-pass limit, its saturating accumulator and
//!   the refresh.

use super::digits::{predict, Digits, DigitsTask};
use memforge_spec::DesignConfig;

/// One point of the reference curve.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FloatPoint {
    pub epoch: usize,
    /// Online accuracy during the epoch (None before training).
    pub train_accuracy: Option<f64>,
    pub test_accuracy: f64,
}

/// Runs the reference on the tile of `cfg`: the same epochs, digit order,
/// initial levels and targets as `run_digits_task`.
pub fn run_digits_reference(
    cfg: &DesignConfig,
    task: &DigitsTask,
    train: &Digits,
    test: &Digits,
) -> Result<Vec<FloatPoint>, String> {
    let e = &cfg.learning.eprop;
    if e.h_window < 0x8000 {
        return Err(format!(
            "the float reference models the non-spiking readout (h = 4, `h_window = 65535`); the config has h_window = {}",
            e.h_window
        ));
    }
    let (rows, cols) = (cfg.tile.rows as usize, cfg.tile.cols as usize);
    let classes = cols / 2;
    let adc_max = f64::from((1u32 << cfg.tile.adc_bits) - 1);
    let threshold = f64::from(cfg.neuron.threshold);
    let trace_max = f64::from((1u32 << cfg.learning.trace_bits) - 1);
    let inc = f64::from(e.trace_increment);
    let step = 4.0 / f64::from(1u32 << e.lr_shift) / f64::from(e.epsilon);
    let g = task.initial_levels(rows, cols);
    let mut w: Vec<f64> = (0..rows * classes)
        .map(|ix| {
            let (i, k) = (ix / classes, ix % classes);
            f64::from(g[i * cols + 2 * k]) - f64::from(g[i * cols + 2 * k + 1])
        })
        .collect();
    let output = |w: &[f64], px: &[u32]| -> Vec<f64> {
        (0..classes)
            .map(|k| {
                px.iter()
                    .enumerate()
                    .map(|(i, &p)| f64::from(p) * w[i * classes + k])
                    .sum::<f64>()
                    / threshold
            })
            .collect()
    };
    let evaluate = |w: &[f64]| {
        let right = test
            .pixels
            .iter()
            .zip(&test.labels)
            .filter(|(px, &l)| predict(&output(w, px)[..10]) == l)
            .count();
        right as f64 / test.len().max(1) as f64
    };
    let mut points = vec![FloatPoint {
        epoch: 0,
        train_accuracy: None,
        test_accuracy: evaluate(&w),
    }];
    for epoch in 1..=task.epochs {
        let mut right = 0usize;
        for &n in &task.order(train.len(), epoch) {
            let (px, label) = (&train.pixels[n], train.labels[n] as usize);
            let y = output(&w, px);
            right += usize::from(predict(&y[..10]) as usize == label);
            for (k, &yk) in y.iter().enumerate() {
                let l = task.signal(k == label && k < 10, yk);
                for (i, &p) in px.iter().enumerate() {
                    let el = (inc * f64::from(p)).min(trace_max);
                    let x = &mut w[i * classes + k];
                    *x = (*x + l * el * step).clamp(-adc_max, adc_max);
                }
            }
        }
        points.push(FloatPoint {
            epoch,
            train_accuracy: Some(right as f64 / train.len().max(1) as f64),
            test_accuracy: evaluate(&w),
        });
    }
    Ok(points)
}

/// The margin within which the ideal-device run's final test accuracy
/// must match the reference's: three standard errors of the difference of
/// two accuracies measured on the same `n` test digits, taken as
/// independent (`3 sqrt(2 a (1 - a) / n)` at the reference's accuracy
/// `a`), plus one digit. The two runs differ by quantisation (integer
/// signals, spike-count floors, one pulse per pass), which acts like a
/// different draw of the training noise; the margin is how far two such
/// draws may land apart on this test set.
pub fn agreement_margin(reference_accuracy: f64, n: usize) -> f64 {
    let a = reference_accuracy.clamp(0.0, 1.0);
    let n = n.max(1) as f64;
    3.0 * (2.0 * a * (1.0 - a) / n).sqrt() + 1.0 / n
}

//! e-prop demo: an online-trained single-layer readout of scikit-learn's
//! 8x8 digits on one e-prop tile (`docs/learning_eprop.md`, "The demo").
//!
//! Rows are the 16 pixels of the digit averaged to 4x4 (0..16), pixel `p`
//! sending exactly `p` spikes ([`rate_code`], the encoding of the network
//! simulator's digits task). Neuron `k` (class `k`) is the column pair
//! `2k` (G+) / `2k + 1` (G-). With no leak, subtract reset and a threshold
//! above the largest code, column `c` fires `floor(sum_i p_i G[i][c] /
//! threshold)` times, so the pair's output `y_k = spikes(2k) -
//! spikes(2k + 1)` is the readout `sum_i p_i (G+ - G-)` quantised by the
//! threshold, as the host sees it on the AER output.
//!
//! Per training digit the host (this runner) clears the potentials and
//! traces, plays the digit's events, waits until the tile is quiet
//! (`status`), counts the pairs' spikes, writes the learning signals `L_k
//! = clamp(scale (target_k - y_k))` (`target_k` = `target` spikes for the
//! digit's class, 0 for the others) into `learn_sig0..`, starts an update
//! pass (`learn_cmd`) and waits for it behind a fence (a value-0 input
//! event, which the sequencer takes only once the pass is over and which
//! touches neither a potential nor a trace). The rule then is the delta
//! rule on differential pairs: `h_window = 0xffff` makes `h = 4`, the
//! pre trace is `min(16 p, 255)` (no decay tick within a digit), so the
//! accumulator of synapse `(i, k)` integrates `L_k min(16 p_i, 255) 4 >>
//! lr_shift` and SETs G+ or G- at each `+-epsilon` crossing.
//!
//! Everything goes through the tile's ports (reset, Wishbone, AER in/out
//! and the macro of `[analog] macro_model` played from the tile's own
//! `xbar_*` outputs), so the same run can be made against the golden model
//! and against the Verilated RTL and their curves compared bit for bit.

use super::host::{weight_macro, Host, RESET_CYCLES};
use crate::cycle::PortLayout;
use crate::stimulus::bits::Bits;
use crate::tile::xbar::XbarMacro;
use memforge_spec::learning_eprop::ctrl;
use memforge_spec::DesignConfig;
use std::path::Path;

/// Input `k` of value `p` spikes at the steps `s` where
/// `floor((s + 1) p / steps) > floor(s p / steps)`: exactly `p` spikes,
/// evenly spread (the digits task's encoding, `docs/network_sim.md`).
pub fn rate_code(values: &[u32], steps: u32) -> Vec<Vec<u32>> {
    (0..steps)
        .map(|s| {
            values
                .iter()
                .enumerate()
                .filter(|&(_, &p)| (s + 1) * p / steps > s * p / steps)
                .map(|(k, _)| k as u32)
                .collect()
        })
        .collect()
}

/// Digits and their labels (`examples/digits/*_pixels.npy`, `*_labels.npy`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Digits {
    /// One row of pixels (0..16) per digit.
    pub pixels: Vec<Vec<u32>>,
    pub labels: Vec<u32>,
}

impl Digits {
    /// Loads a pixel and a label file (any integer dtype), checking that
    /// they agree and that every pixel is in 0..=16 and every label in 0..10.
    pub fn load(pixels: &Path, labels: &Path) -> Result<Self, String> {
        let px = crate::weights::load_npy(pixels).map_err(|e| e.to_string())?;
        let lb = crate::weights::load_npy(labels).map_err(|e| e.to_string())?;
        if lb.rows * lb.cols != px.rows {
            return Err(format!(
                "{}: {} labels for the {} digits of {}",
                labels.display(),
                lb.rows * lb.cols,
                px.rows,
                pixels.display()
            ));
        }
        if let Some(v) = px.values.iter().find(|v| !(0.0..=16.0).contains(*v)) {
            return Err(format!("{}: pixel {v} outside 0..=16", pixels.display()));
        }
        if let Some(v) = lb.values.iter().find(|v| !(0.0..10.0).contains(*v)) {
            return Err(format!("{}: label {v} outside 0..=9", labels.display()));
        }
        Ok(Self {
            pixels: px
                .values
                .chunks(px.cols.max(1))
                .map(|r| r.iter().map(|&v| v as u32).collect())
                .collect(),
            labels: lb.values.iter().map(|&v| v as u32).collect(),
        })
    }

    /// The first `n` digits (all if `n` is larger).
    pub fn take(&self, n: usize) -> Self {
        Self {
            pixels: self.pixels.iter().take(n).cloned().collect(),
            labels: self.labels.iter().take(n).copied().collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
}

/// The task's parameters (deterministic given `seed`).
#[derive(Clone, Debug, PartialEq)]
pub struct DigitsTask {
    pub seed: u64,
    pub epochs: usize,
    /// Steps of the rate code (pixel `p` spikes `p` times in `steps`).
    pub steps: u32,
    /// Spike-count target of the digit's class (the others: 0).
    pub target: i32,
    /// `L_k = clamp(scale (target_k - y_k), -127, 127)`.
    pub signal_scale: i32,
    /// Initial level of every cell (ADC code) and the spread around it.
    pub g0: u16,
    pub g_spread: u16,
    /// Mixed precision (`learn_ctrl[1]`); None: the config's reset value.
    pub accumulate: Option<bool>,
}

impl Default for DigitsTask {
    /// 4 epochs, 8 target spikes, `L = 4 (target - y)`, cells at 16 +- 2
    /// codes (G+ and G- alike: weights near 0). Settings from a short
    /// sweep (target 4 / scale 8 and learning-rate shifts 8..10 did
    /// worse; docs/learning_eprop.md).
    fn default() -> Self {
        Self {
            seed: 13,
            epochs: 4,
            steps: 16,
            target: 8,
            signal_scale: 4,
            g0: 16,
            g_spread: 2,
            accumulate: None,
        }
    }
}

impl DigitsTask {
    /// The learning signal of a neuron whose class is (not) the digit's.
    pub fn signal(&self, is_class: bool, y: f64) -> f64 {
        let t = if is_class { self.target } else { 0 };
        (f64::from(self.signal_scale) * (f64::from(t) - y)).clamp(-127.0, 127.0)
    }

    /// Initial cell levels (row-major), drawn from `seed`.
    pub fn initial_levels(&self, rows: usize, cols: usize) -> Vec<u16> {
        let mut rng = Bits::new(self.seed);
        (0..rows * cols)
            .map(|_| {
                let d = rng.range(0, 2 * u64::from(self.g_spread) + 1) as u16;
                (self.g0 + d).saturating_sub(self.g_spread)
            })
            .collect()
    }

    /// The order of the training digits in `epoch` (a shuffle from `seed`).
    pub fn order(&self, n: usize, epoch: usize) -> Vec<usize> {
        let mut rng = Bits::new(self.seed ^ (0x5eed_0000 + epoch as u64));
        let mut ix: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = rng.range(0, i as u64 + 1) as usize;
            ix.swap(i, j);
        }
        ix
    }
}

/// The prediction: the class with the largest output, the lowest on a tie.
pub fn predict<T: PartialOrd + Copy>(y: &[T]) -> u32 {
    let mut best = 0;
    for (k, &v) in y.iter().enumerate() {
        if v > y[best] {
            best = k;
        }
    }
    best as u32
}

/// One point of the learning curve (integer counts, so that two runs can
/// be compared bit for bit).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DigitsPoint {
    pub epoch: usize,
    /// Online accuracy during the epoch (prediction before the update).
    pub train_right: u64,
    pub train_total: u64,
    pub test_right: u64,
    pub test_total: u64,
    /// Pulses on the macro so far.
    pub sets: u64,
    pub resets: u64,
    pub cycles: u64,
}

impl DigitsPoint {
    pub fn train_accuracy(&self) -> f64 {
        self.train_right as f64 / self.train_total.max(1) as f64
    }
    pub fn test_accuracy(&self) -> f64 {
        self.test_right as f64 / self.test_total.max(1) as f64
    }
}

/// The outcome of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DigitsCurve {
    /// Point 0: the test accuracy before training.
    pub points: Vec<DigitsPoint>,
    /// Cell levels (row-major) before and after training.
    pub before: Vec<u16>,
    pub after: Vec<u16>,
    /// `learn_refreshes` at the end (modulo 256, as the register).
    pub refreshes: u32,
}

/// Runs `task` on the tile of `cfg` through `dut` (inputs in, one rising
/// edge, outputs out; the packed vectors of `layout`): `task.epochs` of
/// online training on `train`, the test accuracy on `test` before
/// training and after every epoch.
pub fn run_digits_task(
    cfg: &DesignConfig,
    layout: &PortLayout,
    task: &DigitsTask,
    train: &Digits,
    test: &Digits,
    dut: impl FnMut(&[u64], &mut [u64]),
) -> Result<DigitsCurve, String> {
    let t = &cfg.tile;
    let (rows, cols) = (t.rows as usize, t.cols as usize);
    let classes = cols / 2;
    if cfg.learning.rule != memforge_spec::learning::LearningRule::Eprop {
        return Err("the digits task needs a tile with `[learning] rule = \"eprop\"`".into());
    }
    if classes < 10 {
        return Err(format!(
            "the digits task needs 10 neurons (20 columns); the tile has {cols} columns (use examples/eprop-digits.toml)"
        ));
    }
    if let Some(p) = train
        .pixels
        .iter()
        .chain(&test.pixels)
        .find(|p| p.len() > rows)
    {
        return Err(format!(
            "a digit has {} pixels; the tile has {rows} rows",
            p.len()
        ));
    }
    let lmap = memforge_spec::learning::learning_map(cfg).ok_or("no learning registers")?;
    let reset_of = |n: &str| lmap.get(n).map(|r| r.reset).ok_or(format!("no {n}"));
    let mode = {
        let m = reset_of("learn_ctrl")? | 1 << ctrl::ENABLE;
        match task.accumulate {
            Some(true) => m | 1 << ctrl::ACCUMULATE,
            Some(false) => m & !(1 << ctrl::ACCUMULATE),
            None => m,
        }
    };
    let (cfg_word, rate_word) = (reset_of("learn_cfg")?, reset_of("learn_rate")?);
    // Decay settings during a digit (no tick: period 0xffff, the counter
    // restarted by the clear) and for the clear (a tick every cycle that
    // takes a whole trace: shift 0).
    let (keep_cfg, clear_cfg) = (cfg_word | 0xffff, cfg_word & !0xffff);
    let clear_rate = rate_word & !0xf;

    let mut xbar = weight_macro(cfg, 1)?;
    for (i, &g) in task.initial_levels(rows, cols).iter().enumerate() {
        xbar.load_cell(i / cols, i % cols, g)
            .map_err(|e| format!("loading the initial levels: {e}"))?;
    }
    let levels = |x: &dyn XbarMacro| -> Vec<u16> {
        (0..rows * cols)
            .map(|i| x.cell_code(i / cols, i % cols).unwrap_or(0))
            .collect()
    };
    let mut h = Host::new(cfg, layout, dut, xbar)?;
    let mut curve = DigitsCurve {
        before: levels(&*h.xbar),
        ..Default::default()
    };
    h.idle(RESET_CYCLES + 2)?;
    // Inference on, leak timer off; the leak (a whole potential per tick,
    // every cycle) is switched on only to clear the potentials.
    h.write("ctrl", 1)?;
    h.write("leak", 0xffff)?;
    h.write("leak_period", 0)?;
    h.write("learn_cfg", keep_cfg)?;
    h.write("learn_ctrl", mode)?;

    // One digit: clear, play, wait, the pairs' outputs.
    let digit = |h: &mut Host<_, _>, pixels: &[u32]| -> Result<Vec<i64>, String> {
        h.write("ctrl", 3)?;
        h.idle(4)?;
        h.write("ctrl", 1)?;
        h.write("learn_ctrl", mode & !(1 << ctrl::ENABLE))?;
        h.write("learn_cfg", clear_cfg)?;
        h.write("learn_rate", clear_rate)?;
        h.write("learn_ctrl", mode)?;
        h.idle(2)?;
        h.write("learn_ctrl", mode & !(1 << ctrl::ENABLE))?;
        h.write("learn_cfg", keep_cfg)?;
        h.write("learn_rate", rate_word)?;
        h.write("learn_ctrl", mode)?;
        h.spikes.iter_mut().for_each(|s| *s = 0);
        for step in rate_code(pixels, task.steps) {
            for row in step {
                h.event(row as u8, 1)?;
            }
        }
        h.quiet()?;
        Ok((0..classes)
            .map(|k| h.spikes[2 * k] as i64 - h.spikes[2 * k + 1] as i64)
            .collect())
    };
    let evaluate = |h: &mut Host<_, _>| -> Result<u64, String> {
        let mut right = 0;
        for (px, &label) in test.pixels.iter().zip(&test.labels) {
            let y = digit(h, px)?;
            right += u64::from(predict(&y[..10]) == label);
        }
        Ok(right)
    };

    let point = |h: &Host<_, _>, epoch, train: (u64, u64), test_right| DigitsPoint {
        epoch,
        train_right: train.0,
        train_total: train.1,
        test_right,
        test_total: test.len() as u64,
        sets: h.sets,
        resets: h.resets,
        cycles: h.cycle,
    };
    let right = evaluate(&mut h)?;
    curve.points.push(point(&h, 0, (0, 0), right));
    let sig_words = classes.div_ceil(4);
    for epoch in 1..=task.epochs {
        let mut right = 0u64;
        for &i in &task.order(train.len(), epoch) {
            let label = train.labels[i] as usize;
            let y = digit(&mut h, &train.pixels[i])?;
            right += u64::from(predict(&y[..10]) as usize == label);
            let sig: Vec<u8> = y
                .iter()
                .enumerate()
                .map(|(k, &y)| task.signal(k == label && k < 10, y as f64) as i8 as u8)
                .collect();
            for w in 0..sig_words {
                let word = (0..4).fold(0u32, |acc, b| {
                    acc | u32::from(sig.get(4 * w + b).copied().unwrap_or(0)) << (8 * b)
                });
                h.write(&format!("learn_sig{w}"), word)?;
            }
            h.write("learn_cmd", 1)?;
            h.idle(2)?;
            // The fence: taken once the pass is over.
            h.event(0, 0)?;
            h.quiet()?;
        }
        let test_right = evaluate(&mut h)?;
        curve
            .points
            .push(point(&h, epoch, (right, train.len() as u64), test_right));
    }
    curve.refreshes = h.read("learn_refreshes")?;
    if let Some(fault) = h.xbar.fault() {
        return Err(format!("the crossbar macro failed: {fault}"));
    }
    curve.after = levels(&*h.xbar);
    Ok(curve)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::CycleModel;
    use crate::tile::learn_eprop::EpropState;
    use crate::tile::sequencer::SeqState;
    use crate::tile::TileModel;

    fn cfg() -> DesignConfig {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/eprop-digits.toml");
        memforge_spec::load_file(Path::new(path)).unwrap()
    }

    #[test]
    fn rate_code_sends_p_spikes_and_ties_predict_the_lowest_class() {
        let code = rate_code(&[0, 3, 16], 16);
        let count = |k| code.iter().flatten().filter(|&&r| r == k).count();
        assert_eq!((count(0), count(1), count(2)), (0, 3, 16));
        assert_eq!(predict(&[1, 3, 3, 2]), 1);
        let t = DigitsTask::default();
        let mut o = t.order(50, 1);
        assert_ne!(o, (0..50).collect::<Vec<_>>());
        o.sort();
        assert_eq!(o, (0..50).collect::<Vec<_>>());
    }

    /// The host's clear works: every update pass sees the traces of its
    /// own digit only (`min(16 p, 255)` per row, nothing left from the
    /// digit before), and all potentials are 0 when a digit starts.
    #[test]
    fn each_pass_sees_only_its_own_digits_traces() {
        let cfg = cfg();
        let train = Digits {
            pixels: vec![
                (0..16).map(|i| i % 17).collect(),
                (0..16).map(|i| 16 - i).collect(),
                vec![16; 16],
            ],
            labels: vec![3, 7, 1],
        };
        let test = train.take(1);
        let task = DigitsTask {
            epochs: 1,
            ..DigitsTask::default()
        };
        let mut m = TileModel::new(&cfg);
        let layout = m.layout().clone();
        let mut seen = Vec::new();
        let (mut prev, mut starts, mut dirty) = (EpropState::Idle, 0, 0);
        run_digits_task(&cfg, &layout, &task, &train, &test, |v, out| {
            let e = &m.eprop().unwrap().model;
            if prev == EpropState::Idle && e.state == EpropState::Pass {
                seen.push(e.trace.clone());
            }
            prev = e.state;
            // A digit's first event: the sequencer takes an event while
            // every trace is 0 (only after a clear).
            let fresh = m.seq.idle() && e.trace.iter().all(|&t| t == 0);
            m.tick(v);
            m.outputs(out);
            if fresh && m.seq.state == SeqState::Phase {
                starts += 1;
                dirty += usize::from(m.neurons.iter().any(|n| n.v != 0));
            }
        })
        .unwrap();
        let want: Vec<Vec<u8>> = task
            .order(3, 1)
            .iter()
            .map(|&i| {
                train.pixels[i]
                    .iter()
                    .map(|&p| (16 * p).min(255) as u8)
                    .collect()
            })
            .collect();
        assert_eq!(seen, want);
        // 1 test digit before and after the epoch, 3 training digits.
        assert_eq!((starts, dirty), (5, 0));
    }
}

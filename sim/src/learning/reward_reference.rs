//! The floating-point reference of the PCM-trace delayed-reward demo
//! (`super::reward`): the same rule on the same task with continuous
//! numbers and physical time, written from the rule's description
//! (`docs/learning_pcm_trace.md`) rather than from the tile model, to
//! tell the tile's quantisation and timing from the rule's behaviour.
//!
//! - weights: floats in ADC codes from the same initial levels; a SET
//!   adds one code, a RESET removes one (the ideal macro's pulse), clipped
//!   to `0..=adc_max`;
//! - the cue: its rows' events alternate; after each event every column's
//!   potential grows by its weight; the first event after which a column
//!   reaches the neuron threshold ends the cue; the columns that reached
//!   it fired (`floor(V / threshold)` spikes each, subtract reset);
//! - the action: the same rule as the tile's host ([`super::reward::choose`]
//!   with the same per-trial tie-break draw);
//! - traces: conductances in µS; each spike of column `c` is one partial
//!   SET of `(r, c)` for every cue row `r` that had an event so far (the
//!   coincidence windows outlast a cue's steps), the
//!   mean step `0.892 - 0.084 G` µS on the drifted conductance; drift
//!   `G_p ((t - t_p) / t0)^-nu` from the last SET (ratio floored at 1);
//!   a RESET is `g_reset` exactly;
//! - time: every trial lasts `trial_s` seconds of device time (nominal,
//!   the tile's trials take 5-40 s at 0.01 s per cycle), the SETs happen
//!   at its start, the reward at its end plus the delay;
//! - eligibility: the drifted conductance at the reward above the
//!   threshold's conductance `(threshold + 0.5) g_max / adc_max` (where
//!   the ADC's rounding crosses the code; no ADC, no read noise).

use super::reward::{choose, tie_draw, RewardTask};
use memforge_spec::DesignConfig;

/// One point of the reference curve.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RewardFloatPoint {
    pub block: usize,
    pub right: u64,
    pub total: u64,
}

impl RewardFloatPoint {
    pub fn accuracy(&self) -> f64 {
        self.right as f64 / self.total.max(1) as f64
    }
}

/// Nominal device seconds per trial (before the delay).
pub const TRIAL_S: f64 = 10.0;

/// One trace device (µS, s).
#[derive(Clone, Copy, Debug)]
struct Trace {
    g_p: f64,
    t_p: f64,
}

/// Runs the reference on the tile of `cfg`: the same cues, targets,
/// initial levels and tie-breaks as `run_reward_task`.
pub fn run_reward_reference(
    cfg: &DesignConfig,
    task: &RewardTask,
) -> Result<Vec<RewardFloatPoint>, String> {
    task.check(cfg)?;
    let (rows, cols) = (cfg.tile.rows as usize, cfg.tile.cols as usize);
    let adc_max = f64::from((1u32 << cfg.tile.adc_bits) - 1);
    let pcm = &cfg.analog.pcm;
    let g_th = (f64::from(cfg.learning.pcm_trace.threshold) + 0.5) * pcm.g_max_us / adc_max;
    let theta = f64::from(cfg.neuron.threshold);
    let drifted = |tr: &Trace, t: f64| {
        let ratio = ((t - tr.t_p) / pcm.drift_t0_s).max(1.0);
        tr.g_p * ratio.powf(-pcm.drift_nu)
    };
    let cues = task.cues(rows);
    let targets = task.targets(cues, cols);
    let mut w: Vec<f64> = task
        .initial_levels(rows, cols)
        .iter()
        .map(|&g| f64::from(g))
        .collect();
    let fresh = Trace {
        g_p: pcm.g_reset_us,
        t_p: 0.0,
    };
    let mut traces = vec![fresh; rows * cols];
    let mut points = Vec::new();
    let mut block = RewardFloatPoint::default();
    let mut t = 0.0;
    for (trial, &cue) in task.cue_order(cues).iter().enumerate() {
        let cue_rows: Vec<usize> = (cue * task.cue_rows..(cue + 1) * task.cue_rows).collect();
        let mut v = vec![0.0; cols];
        let mut spikes = vec![0u64; cols];
        // Rows that had an event this trial (their windows stay open for
        // the whole cue: a step takes far less than the window).
        let mut open = Vec::new();
        'cue: for _ in 0..task.cue_steps {
            for &r in &cue_rows {
                if !open.contains(&r) {
                    open.push(r);
                }
                for c in 0..cols {
                    v[c] += w[r * cols + c];
                }
                if v.iter().any(|&x| x >= theta) {
                    for c in 0..cols {
                        spikes[c] = (v[c] / theta).floor() as u64;
                        for &r in &open {
                            let tr = &mut traces[r * cols + c];
                            for _ in 0..spikes[c] {
                                let g = drifted(tr, t);
                                *tr = Trace {
                                    g_p: (g + 0.892 - 0.084 * g)
                                        .clamp(g.min(pcm.g_reset_us), pcm.g_max_us),
                                    t_p: t,
                                };
                            }
                        }
                    }
                    break 'cue;
                }
            }
        }
        let action = choose(&spikes, tie_draw(task.seed, trial));
        let right = action == targets[cue];
        let t_reward = t + TRIAL_S + task.delay_s;
        let positive = right != task.inverted;
        for (i, tr) in traces.iter_mut().enumerate() {
            if drifted(tr, t_reward) > g_th {
                let x = &mut w[i];
                *x = if positive { *x + 1.0 } else { *x - 1.0 }.clamp(0.0, adc_max);
                *tr = Trace {
                    g_p: pcm.g_reset_us,
                    t_p: t_reward,
                };
            }
        }
        t = t_reward;
        let b = task.block_of(trial);
        block.block = b + 1;
        block.right += u64::from(right);
        block.total += 1;
        if trial + 1 == task.trials || task.block_of(trial + 1) != b {
            points.push(block);
            block = RewardFloatPoint::default();
        }
    }
    Ok(points)
}

/// Accuracy over the last `blocks` points.
pub fn final_float_accuracy(points: &[RewardFloatPoint], blocks: usize) -> (u64, u64) {
    points[points.len().saturating_sub(blocks)..]
        .iter()
        .fold((0, 0), |(r, t), p| (r + p.right, t + p.total))
}

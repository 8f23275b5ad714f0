//! PCM-trace demo: a contextual bandit with a delayed reward on one
//! `rule = "pcm_trace"` tile (`docs/learning_pcm_trace.md`, "The demo").
//!
//! Cue `k` is the input rows `cue_rows k .. cue_rows (k + 1)`, action `a`
//! is column `a`; each cue has a fixed target action drawn from the seed
//! (chance: one over the columns). A trial:
//!
//! 1. the host clears the potentials (a leak burst), plays the cue (each
//!    of its rows spikes once per step, `cue_steps` steps) and waits until
//!    the tile is quiet; the action is the column with the most output
//!    spikes, a tie (no spike at all included) broken by a draw from the
//!    trial's seed: the bandit's exploration;
//! 2. while the cue plays, each output spike of a column partially SETs
//!    the trace devices of that column on the cue's (open) rows: the
//!    eligibility of the pairs (cue row, column that fired);
//! 3. the tile idles `settle` cycles (windows close, coincidence passes
//!    end), then the host waits `delay_s` seconds with the tile's clock
//!    stopped: the traces (and device weights) drift (device time,
//!    [`TraceBank::pause`], `XbarMacro::pause`), nothing else happens;
//! 4. the host writes `learn_reward`: positive if the action was the cue's
//!    target, negative otherwise, and waits for the pass behind a fence (a
//!    value-0 input event, taken only once the pass is over): the traces
//!    that still read above the threshold SET (reward > 0) or RESET (< 0)
//!    their weights and are RESET.
//!
//! Learning is reinforcement by the reward's sign and elimination of
//! wrong actions (their eligible weights RESET until another column
//! fires most); when the delay is far beyond the traces' lifetime (their
//! drift takes them below the threshold) no weight changes and the policy
//! stays the initial one.
//!
//! Everything goes through the tile's ports ([`super::host::Host`]), so
//! the same run can be made against the golden model and the Verilated
//! RTL, and their curves compared bit for bit.
//!
//! [`TraceBank::pause`]: crate::tile::trace_macro::TraceBank::pause

use super::host::{trace_macro, Host, RESET_CYCLES};
use crate::cycle::PortLayout;
use crate::stimulus::bits::Bits;
use crate::tile::trace_macro::{TraceBank, TraceRows};
use crate::tile::xbar::XbarMacro;
use memforge_spec::learning::LearningRule;
use memforge_spec::learning_pcm_trace::{ctrl, reward};
use memforge_spec::DesignConfig;

/// The task's parameters (deterministic given `seed`).
#[derive(Clone, Debug, PartialEq)]
pub struct RewardTask {
    pub seed: u64,
    pub trials: usize,
    /// Points of the learning curve (trials are split evenly into blocks).
    pub blocks: usize,
    /// Input rows per cue (cues: `rows / cue_rows`).
    pub cue_rows: usize,
    /// Steps of the cue: each of its rows spikes once per step.
    pub cue_steps: u32,
    /// Cycles the tile idles after the cue (closes the coincidence
    /// windows: at least `window x (decay period + 1)`).
    pub settle: u64,
    /// The reward's delay: device seconds with the tile's clock stopped.
    pub delay_s: f64,
    /// Initial weight level (ADC code) of every cell and the spread around it.
    pub g0: u16,
    pub g_spread: u16,
    /// The reward's sign inverted (a mutant of the host: no learning).
    pub inverted: bool,
}

impl Default for RewardTask {
    /// 800 trials in 20 blocks, 2 rows per cue, at most 128 steps, a 10 s
    /// delay (below the drift's `t0`: the traces keep their value), weights
    /// at 24 +- 8 codes (docs/learning_pcm_trace.md, "The demo").
    fn default() -> Self {
        Self {
            seed: 13,
            trials: 800,
            blocks: 20,
            cue_rows: 2,
            cue_steps: 128,
            settle: 320,
            delay_s: 10.0,
            g0: 24,
            g_spread: 8,
            inverted: false,
        }
    }
}

impl RewardTask {
    /// The number of cues on a tile of `rows` rows.
    pub fn cues(&self, rows: usize) -> usize {
        rows / self.cue_rows.max(1)
    }

    /// The target action of each cue (a fixed random map from `seed`).
    pub fn targets(&self, cues: usize, actions: usize) -> Vec<usize> {
        let mut rng = Bits::new(self.seed ^ 0x7a26_e700);
        (0..cues)
            .map(|_| rng.range(0, actions as u64) as usize)
            .collect()
    }

    /// The cue of every trial (uniform draws from `seed`).
    pub fn cue_order(&self, cues: usize) -> Vec<usize> {
        let mut rng = Bits::new(self.seed ^ 0xc0e5_0000);
        (0..self.trials)
            .map(|_| rng.range(0, cues as u64) as usize)
            .collect()
    }

    /// Initial weight levels (row-major), drawn from `seed`.
    pub fn initial_levels(&self, rows: usize, cols: usize) -> Vec<u16> {
        let mut rng = Bits::new(self.seed ^ 0x1e7e_1500);
        (0..rows * cols)
            .map(|_| {
                let d = rng.range(0, 2 * u64::from(self.g_spread) + 1) as u16;
                (self.g0 + d).saturating_sub(self.g_spread)
            })
            .collect()
    }

    /// Trials of block `b` (the last block takes the remainder).
    pub fn block_of(&self, trial: usize) -> usize {
        let per = (self.trials / self.blocks.max(1)).max(1);
        (trial / per).min(self.blocks.max(1) - 1)
    }

    /// Checks the task against the tile of `cfg`.
    pub fn check(&self, cfg: &DesignConfig) -> Result<(), String> {
        if cfg.learning.rule != LearningRule::PcmTrace {
            return Err(
                "the delayed-reward task needs a tile with `[learning] rule = \"pcm_trace\"`"
                    .into(),
            );
        }
        let (rows, cols) = (cfg.tile.rows as usize, cfg.tile.cols as usize);
        if self.cue_rows == 0 || self.cues(rows) < 2 {
            return Err(format!(
                "the delayed-reward task needs at least 2 cues of {} rows; the tile has {rows} rows",
                self.cue_rows
            ));
        }
        if cols < 2 {
            return Err(format!(
                "the delayed-reward task needs at least 2 actions (columns); the tile has {cols}"
            ));
        }
        if self.trials == 0 || self.blocks == 0 || self.blocks > self.trials {
            return Err(format!(
                "{} trials in {} blocks: need 1 <= blocks <= trials",
                self.trials, self.blocks
            ));
        }
        if self.cue_steps == 0 {
            return Err("the cue needs at least 1 step".into());
        }
        if !(self.delay_s.is_finite() && self.delay_s >= 0.0) {
            return Err(format!(
                "delay {} s: must be a finite number >= 0",
                self.delay_s
            ));
        }
        Ok(())
    }
}

/// The action for per-column spike counts: the most spikes; a tie among
/// `n` columns (all of them when none fired) is broken by `draw % n`.
pub fn choose<T: PartialOrd + Copy>(counts: &[T], draw: u64) -> usize {
    let mut best = counts[0];
    for &c in counts {
        if c > best {
            best = c;
        }
    }
    let tied: Vec<usize> = (0..counts.len()).filter(|&i| counts[i] == best).collect();
    tied[(draw % tied.len() as u64) as usize]
}

/// The tie-break draw of trial `trial`.
pub fn tie_draw(seed: u64, trial: usize) -> u64 {
    Bits::new(seed ^ 0x71e0_0000 ^ trial as u64).word()
}

/// One point of the learning curve (integer counts, so that two runs can
/// be compared bit for bit).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RewardPoint {
    pub block: usize,
    /// Rewarded (right) trials and trials of the block.
    pub right: u64,
    pub total: u64,
    /// Operations so far: weight SETs and RESETs, trace partial SETs,
    /// trace READs and trace RESETs (commands the macro saw).
    pub weight_sets: u64,
    pub weight_resets: u64,
    pub trace_sets: u64,
    pub trace_reads: u64,
    pub trace_resets: u64,
    pub cycles: u64,
}

impl RewardPoint {
    pub fn accuracy(&self) -> f64 {
        self.right as f64 / self.total.max(1) as f64
    }
}

/// The outcome of a run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RewardCurve {
    pub points: Vec<RewardPoint>,
    /// Weight levels (ADC codes, row-major) before and after.
    pub before: Vec<u16>,
    pub after: Vec<u16>,
    /// Trace conductances (µS, noise-free, row-major) as the first and
    /// the last reward found them.
    pub traces_first: Vec<f64>,
    pub traces_last: Vec<f64>,
    /// Per trial: the action and whether it was rewarded.
    pub actions: Vec<(usize, bool)>,
}

impl RewardCurve {
    /// Accuracy over the last `blocks` blocks.
    pub fn final_accuracy(&self, blocks: usize) -> (u64, u64) {
        let n = self.points.len();
        self.points[n.saturating_sub(blocks)..]
            .iter()
            .fold((0, 0), |(r, t), p| (r + p.right, t + p.total))
    }
}

fn traces_us(t: &TraceBank, rows: usize, cols: usize) -> Vec<f64> {
    (0..rows * cols)
        .map(|i| t.conductance_us(i / cols, i % cols))
        .collect()
}

/// Runs `task` on the tile of `cfg` through `dut` (inputs in, one rising
/// edge, outputs out; the packed vectors of `layout`), the macro being
/// the weight macro of `[analog]` with the PCM trace rows behind it.
pub fn run_reward_task(
    cfg: &DesignConfig,
    layout: &PortLayout,
    task: &RewardTask,
    dut: impl FnMut(&[u64], &mut [u64]),
) -> Result<RewardCurve, String> {
    task.check(cfg)?;
    let (rows, cols) = (cfg.tile.rows as usize, cfg.tile.cols as usize);
    let cues = task.cues(rows);
    let targets = task.targets(cues, cols);
    let mut xbar = trace_macro(cfg, 1, task.seed)?;
    for (i, &g) in task.initial_levels(rows, cols).iter().enumerate() {
        xbar.load_cell(i / cols, i % cols, g)
            .map_err(|e| format!("loading the initial levels: {e}"))?;
    }
    let levels = |x: &TraceRows<Box<dyn XbarMacro>>| -> Vec<u16> {
        (0..rows * cols)
            .map(|i| x.cell_code(i / cols, i % cols).unwrap_or(0))
            .collect()
    };
    let mut curve = RewardCurve {
        before: levels(&xbar),
        ..Default::default()
    };
    let mut h = Host::new(cfg, layout, dut, xbar)?;
    let lmap = memforge_spec::learning::learning_map(cfg).ok_or("no learning registers")?;
    let mode = lmap
        .get("learn_ctrl")
        .map(|r| r.reset)
        .ok_or("no learn_ctrl")?
        | 1 << ctrl::ENABLE
        | 1 << ctrl::TRACE
        | 1 << ctrl::LTP
        | 1 << ctrl::LTD;
    h.idle(RESET_CYCLES + 2)?;
    // Inference on, leak timer off; the leak (a whole potential per tick,
    // every cycle) is switched on only to clear the potentials.
    h.write("ctrl", 1)?;
    h.write("leak", 0xffff)?;
    h.write("leak_period", 0)?;
    h.write("learn_ctrl", mode)?;

    let mut block = RewardPoint::default();
    for (trial, &cue) in task.cue_order(cues).iter().enumerate() {
        // Clear the potentials.
        h.write("ctrl", 3)?;
        h.idle(4)?;
        h.write("ctrl", 1)?;
        h.spikes.iter_mut().for_each(|s| *s = 0);
        let cue_rows = cue * task.cue_rows..(cue + 1) * task.cue_rows;
        // The cue plays until a column fires (a race to threshold: the
        // first to fire is the decision) or for `cue_steps` steps.
        for _ in 0..task.cue_steps {
            for r in cue_rows.clone() {
                h.event(r as u8, 1)?;
                h.quiet()?;
                if h.spikes.iter().any(|&s| s > 0) {
                    break;
                }
            }
            if h.spikes.iter().any(|&s| s > 0) {
                break;
            }
        }
        let action = choose(&h.spikes, tie_draw(task.seed, trial));
        let right = action == targets[cue];
        h.idle(task.settle)?;
        h.xbar.pause(task.delay_s);
        if trial == 0 {
            curve.traces_first = traces_us(&h.xbar.traces, rows, cols);
        }
        if trial + 1 == task.trials {
            curve.traces_last = traces_us(&h.xbar.traces, rows, cols);
        }
        let negative = right == task.inverted;
        let word = 1 << reward::EVENT | u32::from(negative) << reward::NEGATIVE;
        h.write("learn_reward", word)?;
        h.idle(2)?;
        // The fence: taken once the pass is over.
        h.event(0, 0)?;
        h.quiet()?;
        curve.actions.push((action, right));
        let b = task.block_of(trial);
        block.block = b + 1;
        block.right += u64::from(right);
        block.total += 1;
        if trial + 1 == task.trials || task.block_of(trial + 1) != b {
            let [ts, tr, tx] = h.trace_ops;
            curve.points.push(RewardPoint {
                weight_sets: h.sets - ts,
                weight_resets: h.resets - tx,
                trace_sets: ts,
                trace_reads: tr,
                trace_resets: tx,
                cycles: h.cycle,
                ..block
            });
            block = RewardPoint::default();
        }
    }
    if let Some(fault) = h.xbar.fault() {
        return Err(format!("the crossbar macro failed: {fault}"));
    }
    curve.after = levels(&h.xbar);
    Ok(curve)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::CycleModel;
    use crate::tile::TileModel;
    use std::path::Path;

    fn cfg() -> DesignConfig {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/pcm-trace-reward.toml"
        );
        memforge_spec::load_file(Path::new(path)).unwrap()
    }

    #[test]
    fn ties_are_broken_by_the_draw() {
        assert_eq!(choose(&[1, 3, 3, 0], 0), 1);
        assert_eq!(choose(&[1, 3, 3, 0], 1), 2);
        assert_eq!(choose(&[0, 0, 0, 0], 7), 3);
        assert_eq!(choose(&[0, 5, 0, 0], 7), 1);
    }

    /// The race makes only the deciding column eligible: at the first
    /// reward exactly the cells (cue rows, action) hold a trace (one mean
    /// SET step, 0.98 µS on ideal devices), and with the short delay every
    /// coincidence is consumed by its reward (trace SETs = trace RESETs).
    #[test]
    fn only_the_decision_is_eligible_and_every_trace_is_consumed() {
        let cfg = cfg();
        let task = RewardTask {
            trials: 40,
            blocks: 2,
            ..RewardTask::default()
        };
        let mut m = TileModel::new(&cfg);
        let layout = m.layout().clone();
        let c = run_reward_task(&cfg, &layout, &task, |v, o| {
            m.tick(v);
            m.outputs(o);
        })
        .unwrap();
        let cols = cfg.tile.cols as usize;
        let cue = task.cue_order(task.cues(cfg.tile.rows as usize))[0];
        let action = c.actions[0].0;
        for (i, &g) in c.traces_first.iter().enumerate() {
            let hot = i / cols / 2 == cue && i % cols == action;
            let want = if hot { 0.1 + 0.892 - 0.084 * 0.1 } else { 0.1 };
            assert!((g - want).abs() < 1e-9, "cell {i}: {g} µS, want {want}");
        }
        let p = c.points.last().unwrap();
        assert_eq!(p.trace_sets, p.trace_resets);
        assert_eq!(p.trace_reads, 40 * 16);
        assert_eq!(c.actions.len(), 40);
    }
}

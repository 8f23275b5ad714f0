//! Floating-point references of the tile's learning rules (pair-based
//! STDP, SDSP: [`super::float_rules`]) on the pattern-in-noise task
//! ([`super::pattern`]), to judge each digital rule against the rule it
//! stands for.
//!
//! The same plan (initial levels, event times, pattern windows: the same
//! seed and draws as the digital run) is played event by event with
//! continuous weights and continuous time:
//! - a neuron adds the weights of a row's events, leaks continuously at
//!   the tile's rate (`leak` per `leak_period + 1` cycles, floored at 0),
//!   fires at the threshold (reset to zero or by subtraction);
//! - then the rule updates the weights with the expected value of its
//!   pulses, one ADC code per pulse as the ideal macro, clamped to
//!   `0..=adc_max` (the rule's own order of passes, see its type);
//! - an event waits while the one before it is served (the sequencer's
//!   event and the controller's passes, as the rule says).
//!
//! Everything the two runs share comes from the config and the task, so a
//! digital rule that drifted (a wrong decay, say) leaves the margin.

use super::float_rules::{float_rule, Event};
use super::pattern::{plan, PatternPoint, PatternTask};
use memforge_spec::regmap::LEAK_PERIOD_RESET;
use memforge_spec::{DesignConfig, NeuronReset};

/// One point of the reference's learning curve (the fields of
/// [`PatternPoint`]'s ratios, in floating point).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RefPoint {
    pub window: usize,
    pub pattern_mean: f64,
    pub noise_mean: f64,
    pub hit_rate: f64,
    pub false_alarm_rate: f64,
}

impl RefPoint {
    /// Pattern rows' mean level minus the noise rows'.
    pub fn gap(&self) -> f64 {
        self.pattern_mean - self.noise_mean
    }
    pub fn selectivity(&self) -> f64 {
        self.hit_rate - self.false_alarm_rate
    }
}

impl From<&PatternPoint> for RefPoint {
    fn from(p: &PatternPoint) -> Self {
        RefPoint {
            window: p.window,
            pattern_mean: p.pattern_mean(),
            noise_mean: p.noise_mean(),
            hit_rate: p.hit_rate(),
            false_alarm_rate: p.false_alarm_rate(),
        }
    }
}

/// Runs the float rule of `cfg`'s `[learning] rule` on `task` (the tile
/// of `cfg`, pulses stochastic or not): one point per epoch, point 0
/// before training. `None`: the rule has no float reference.
pub fn run_reference(
    cfg: &DesignConfig,
    task: &PatternTask,
    stochastic: bool,
) -> Option<Vec<RefPoint>> {
    let mut rule = float_rule(cfg, stochastic)?;
    let t = &cfg.tile;
    let (rows, cols) = (t.rows as usize, t.cols as usize);
    let n = &cfg.neuron;
    let leak_rate = f64::from(n.leak) / (f64::from(LEAK_PERIOD_RESET) + 1.0);
    let threshold = f64::from(n.threshold);
    let plan = plan(task, rows, cols);
    let mut w: Vec<f64> = plan.levels.iter().map(|&g| f64::from(g)).collect();
    let mut v = vec![0.0f64; cols];
    let is_pattern = |r: usize| task.pattern.iter().any(|&p| p as usize == r);
    let point = |w: &[f64], window: usize| {
        let (mut ps, mut pn, mut ns, mut nn) = (0.0, 0.0, 0.0, 0.0);
        for (i, g) in w.iter().enumerate() {
            if is_pattern(i / cols) {
                ps += g;
                pn += 1.0;
            } else {
                ns += g;
                nn += 1.0;
            }
        }
        RefPoint {
            window,
            pattern_mean: ps / f64::max(pn, 1.0),
            noise_mean: ns / f64::max(nn, 1.0),
            ..Default::default()
        }
    };
    let mut points = vec![point(&w, 0)];
    let mut hit = vec![false; task.windows];
    let (mut now, mut free_at) = (0.0f64, 0.0f64);
    let mut next = 0usize;
    let mut epoch = (0u64, 0u64, 0u64, 0u64);
    for win in 0..task.windows {
        let end = (plan.start + (win as u64 + 1) * task.window) as f64;
        while next < plan.events.len() {
            let (at, row) = plan.events[next];
            let at = (at as f64).max(free_at);
            if at >= end {
                break;
            }
            next += 1;
            let r = row as usize;
            for x in v.iter_mut() {
                *x = (*x - leak_rate * (at - now)).max(0.0);
            }
            now = at;
            let mut fired = Vec::new();
            for c in 0..cols {
                v[c] += w[r * cols + c];
                if v[c] >= threshold {
                    v[c] = match n.reset {
                        NeuronReset::Zero => 0.0,
                        NeuronReset::Subtract => v[c] - threshold,
                    };
                    fired.push(c);
                }
            }
            let busy = rule.event(
                &Event {
                    at,
                    row: r,
                    v: &v,
                    fired: &fired,
                },
                &mut w,
            );
            if fired.first() == Some(&0) {
                let k = ((at as u64).saturating_sub(plan.start) / task.window) as usize;
                if k < task.windows {
                    hit[k] = true;
                }
            }
            free_at = at + busy;
        }
        if plan.has_pattern[win] {
            epoch.0 += 1;
            epoch.1 += u64::from(hit[win]);
        } else {
            epoch.2 += 1;
            epoch.3 += u64::from(hit[win]);
        }
        if (win + 1).is_multiple_of(task.epoch) || win + 1 == task.windows {
            points.push(RefPoint {
                hit_rate: epoch.1 as f64 / f64::max(epoch.0 as f64, 1.0),
                false_alarm_rate: epoch.3 as f64 / f64::max(epoch.2 as f64, 1.0),
                ..point(&w, win + 1)
            });
            epoch = (0, 0, 0, 0);
        }
    }
    Some(points)
}

/// The digital rule against the reference over several seeds of a task:
/// the level gap and the selectivity averaged over the last third of the
/// epochs, per seed, then over the seeds. One seed is a chaotic run (a
/// spike more or less changes what follows), so the comparison is made
/// on the mean over seeds, within a margin computed from their spread.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SeedAgreement {
    pub seeds: Vec<u64>,
    /// Per seed: late level gap (codes) and selectivity, digital and
    /// reference.
    pub digital: Vec<(f64, f64)>,
    pub reference: Vec<(f64, f64)>,
    /// Mean over the seeds of digital minus reference (gap, selectivity).
    pub diff: (f64, f64),
    /// The margins of `diff` (see [`seed_agreement`]).
    pub margin: (f64, f64),
}

impl SeedAgreement {
    pub fn within(&self) -> bool {
        self.diff.0.abs() <= self.margin.0 && self.diff.1.abs() <= self.margin.1
    }

    /// Mean of a column of per-seed values.
    pub fn mean(v: &[(f64, f64)]) -> (f64, f64) {
        let n = v.len().max(1) as f64;
        (
            v.iter().map(|x| x.0).sum::<f64>() / n,
            v.iter().map(|x| x.1).sum::<f64>() / n,
        )
    }
}

/// Late (last third of the epochs) mean level gap and selectivity of a
/// curve given as reference points.
fn late(points: &[RefPoint]) -> (f64, f64) {
    let n = points.len();
    let from = (n - n.saturating_sub(1) / 3).clamp(1, n.max(1));
    let tail = &points[from.min(n)..];
    let k = tail.len().max(1) as f64;
    (
        tail.iter().map(RefPoint::gap).sum::<f64>() / k,
        tail.iter().map(RefPoint::selectivity).sum::<f64>() / k,
    )
}

/// Systematic allowance of the late level gap: what the reference leaves
/// out (the staircase trace, the sequencer's exact timing) may cost
/// `GAP_REL` of the reference's gap plus `GAP_ABS` codes; of the late
/// selectivity, `SEL_ABS`.
pub const GAP_REL: f64 = 0.10;
pub const GAP_ABS: f64 = 0.5;
pub const SEL_ABS: f64 = 0.05;

/// Runs `digital` (the tile's curve for a task) and the reference on
/// `seeds`, and compares their late gap and selectivity. The margin of
/// each mean difference is its systematic allowance plus three standard
/// errors of the paired per-seed differences (their sample standard
/// deviation over sqrt(seeds)). `None`: the rule has no float reference.
pub fn seed_agreement(
    cfg: &DesignConfig,
    task: &PatternTask,
    seeds: &[u64],
    mut digital: impl FnMut(&PatternTask) -> Vec<PatternPoint>,
) -> Option<SeedAgreement> {
    let stochastic = task.stochastic(cfg);
    let mut a = SeedAgreement {
        seeds: seeds.to_vec(),
        ..Default::default()
    };
    for &seed in seeds {
        let t = PatternTask {
            seed,
            ..task.clone()
        };
        let d: Vec<RefPoint> = digital(&t).iter().map(RefPoint::from).collect();
        a.digital.push(late(&d));
        a.reference.push(late(&run_reference(cfg, &t, stochastic)?));
    }
    let diffs: Vec<(f64, f64)> = a
        .digital
        .iter()
        .zip(&a.reference)
        .map(|(d, r)| (d.0 - r.0, d.1 - r.1))
        .collect();
    a.diff = SeedAgreement::mean(&diffs);
    let n = diffs.len() as f64;
    let se = |f: &dyn Fn(&(f64, f64)) -> f64, m: f64| {
        if n < 2.0 {
            return 0.0;
        }
        let var = diffs.iter().map(|x| (f(x) - m).powi(2)).sum::<f64>() / (n - 1.0);
        (var / n).sqrt()
    };
    let ref_gap = SeedAgreement::mean(&a.reference).0;
    a.margin = (
        GAP_ABS + GAP_REL * ref_gap.abs() + 3.0 * se(&|x| x.0, a.diff.0),
        SEL_ABS + 3.0 * se(&|x| x.1, a.diff.1),
    );
    Some(a)
}

//! Issue #13: the digital STDP and SDSP rules against floating-point
//! references of the same rules (`memforge_sim::learning::reference` and
//! `float_rules`: STDP's exponential traces with tau from `decay_period`,
//! SDSP's continuous calcium; weight changes as the expected value of the
//! pulses, continuous weights) on the pattern-in-noise task. Over six
//! seeds, the late level gap and selectivity of the golden model must be
//! within the computed margin of the reference's (STDP with stochastic
//! pulses: the selectivity only, the gap is an open finding, see
//! docs/learning.md); and a digital rule that drifted (STDP: decay period
//! 4x too long; SDSP: theta_m doubled; the reference keeping the
//! configured one) must leave it.

use crate::common::learning::{example, model_curve};

use memforge_sim::learning::{seed_agreement, PatternTask, SeedAgreement};
use memforge_spec::DesignConfig;

const SEEDS: [u64; 6] = [13, 14, 15, 16, 17, 18];

fn compare(reference: &DesignConfig, digital: &DesignConfig, task: &PatternTask) -> SeedAgreement {
    let a = seed_agreement(reference, task, &SEEDS, |t| model_curve(digital, t).points)
        .expect("the rule has a float reference");
    println!(
        "digital {:?}\nreference {:?}\ndiff {:?} margin {:?}",
        SeedAgreement::mean(&a.digital),
        SeedAgreement::mean(&a.reference),
        a.diff,
        a.margin
    );
    a
}

/// The golden model of `file`'s tile against its float reference, with
/// deterministic and stochastic pulses. The level gap of stochastic STDP
/// grows more slowly than its reference's (docs/learning.md, an open
/// finding): `stochastic_gap` false checks only its selectivity.
fn agrees_with_its_reference(file: &str, stochastic_gap: bool) {
    let cfg = example(file);
    let task = PatternTask::default_for(cfg.tile.rows);
    let det = compare(&cfg, &cfg, &task);
    assert!(det.within(), "{file}, deterministic: {det:?}");
    // The learning happened (the comparison is not of two flat curves).
    assert!(SeedAgreement::mean(&det.reference).0 > 5.0);
    let stoch = PatternTask {
        learn_ctrl: Some(0b1111),
        ..task
    };
    let a = compare(&cfg, &cfg, &stoch);
    if stochastic_gap {
        assert!(a.within(), "{file}, stochastic: {a:?}");
    } else {
        assert!(a.diff.1.abs() <= a.margin.1, "{file}, stochastic: {a:?}");
    }
    assert!(SeedAgreement::mean(&a.reference).0 > 5.0);
}

#[test]
fn the_digital_stdp_rule_agrees_with_its_float_reference() {
    agrees_with_its_reference("stdp-8x8.toml", false);
}

#[test]
fn the_digital_sdsp_rule_agrees_with_its_float_reference() {
    agrees_with_its_reference("sdsp-8x8.toml", true);
}

#[test]
fn a_drifted_decay_leaves_the_margin() {
    let cfg = example("stdp-8x8.toml");
    let mut drifted = cfg.clone();
    drifted.learning.decay_period = 4 * (cfg.learning.decay_period + 1) - 1;
    let task = PatternTask::default_for(cfg.tile.rows);
    let a = compare(&cfg, &drifted, &task);
    assert!(!a.within(), "a 4x decay period went unnoticed: {a:?}");
}

#[test]
fn a_drifted_sdsp_threshold_leaves_the_margin() {
    let cfg = example("sdsp-8x8.toml");
    let mut drifted = cfg.clone();
    drifted.learning.sdsp.theta_m = 2 * cfg.learning.sdsp.theta_m;
    let task = PatternTask::default_for(cfg.tile.rows);
    let a = compare(&cfg, &drifted, &task);
    assert!(!a.within(), "a doubled theta_m went unnoticed: {a:?}");
}

#[test]
fn e_prop_has_no_pattern_reference() {
    // The pattern task's references are STDP's and SDSP's; asking for
    // another rule's is a None, not a silently wrong curve.
    let cfg = example("eprop-8x8.toml");
    let task = PatternTask::default_for(cfg.tile.rows);
    assert!(memforge_sim::learning::run_reference(&cfg, &task, false).is_none());
}

//! Why the RTL agreement compares a second-layer tile's spikes per step as
//! a multiset (`docs/network_sim.md`): the routers deliver a step's spikes
//! to such a tile in their own arrival order, not the simulator's row
//! order. With subtract reset, no leak, no refractory time and a threshold
//! at least one read (every level <= threshold, so a commit fires a neuron
//! at most once and leaves it below the threshold), a neuron's spikes over
//! a step are `floor((v0 + total) / threshold)` and its potential after it
//! `(v0 + total) mod threshold` whatever the order of the step's events.
//! Checked here on the cycle-accurate tile golden model, not on the
//! simulator: the same events in permuted orders give the same multiset of
//! spikes, and the same potentials (a second step, identical in every
//! order, then fires the same). With zero reset, which drops the residue,
//! the order does change the spikes: the check can fail.

use super::netsim::golden;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

fn tile(reset: &str) -> memforge_spec::DesignConfig {
    memforge_spec::parse_str(
        &format!(
            "[design]\nname = \"t\"\n[tile]\nrows = 8\ncols = 8\nadc_bits = 6\nout_fifo_depth = 2\n[neuron]\nreset = \"{reset}\"\n"
        ),
        "t",
    )
    .unwrap()
}

fn sorted(mut v: Vec<u16>) -> Vec<u16> {
    v.sort_unstable();
    v
}

/// Spikes (sorted) of `step` in `order` followed by the row-order step
/// `probe`: the second part sees the potentials the first part left.
fn spikes_of(
    cfg: &memforge_spec::DesignConfig,
    levels: &[u16],
    th: u16,
    step: &[u16],
    probe: &[u16],
) -> (Vec<u16>, Vec<u16>) {
    let first = golden(cfg, levels, th, step);
    let events: Vec<u16> = step.iter().chain(probe).copied().collect();
    let both = golden(cfg, levels, th, &events);
    // The first step's spikes are a prefix of the run over both steps.
    assert_eq!(both[..first.len()], first[..]);
    (sorted(first.clone()), sorted(both[first.len()..].to_vec()))
}

#[test]
fn arrival_order_within_a_step_does_not_change_its_spikes() {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
    let (sub, zero) = (tile("subtract"), tile("zero"));
    let mut fired = 0;
    let mut zero_differs = 0;
    for case in 0..12 {
        let levels: Vec<u16> = (0..64).map(|_| rng.gen_range(0..=63)).collect();
        // At least one read (63), as the digits task's 64.
        let th = if case == 0 {
            64
        } else {
            rng.gen_range(63..200)
        };
        let step: Vec<u16> = (0..rng.gen_range(8..24))
            .map(|_| rng.gen_range(0..8))
            .collect();
        let probe: Vec<u16> = (0..8).collect();
        let want = spikes_of(&sub, &levels, th, &step, &probe);
        let want_zero = spikes_of(&zero, &levels, th, &step, &probe);
        for _ in 0..3 {
            let mut order = step.clone();
            order.shuffle(&mut rng);
            let got = spikes_of(&sub, &levels, th, &order, &probe);
            assert_eq!(
                got, want,
                "case {case}: threshold {th}, events {step:?} vs {order:?}"
            );
            zero_differs += usize::from(spikes_of(&zero, &levels, th, &order, &probe) != want_zero);
        }
        fired += want.0.len() + want.1.len();
    }
    assert!(fired > 100, "the cases should fire ({fired} spikes)");
    assert!(
        zero_differs > 0,
        "with zero reset some permutation should change the spikes"
    );
}

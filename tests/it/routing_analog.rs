//! The Mosaic routing tile's crossbar, analog side: the worst cases agree
//! with ngspice on decks from the same netlist, the sensed on/off ratio of
//! a 1T1R column agrees with Chen et al. (2023)'s formula (both computed
//! independently: one by the circuit solver, one in closed form), and the
//! comparator decisions follow the boolean routing mask when a threshold
//! separates the worst cases, and fail when none does.

use memforge_sim::analog::routing::{
    chen_sensed_ratio, column_sensed_ratio, margins, monte_carlo, Traffic,
};
use memforge_spec::analog::{AnalogSection, CellAccess, DeviceKind};
use memforge_spec::blocks::routing_tile::{self, RoutingTileConfig};
use std::path::Path;
use std::process::Command;

fn example() -> RoutingTileConfig {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/routing-tile-2.toml");
    memforge_spec::load::load_with(&path, routing_tile::validate).unwrap()
}

#[test]
fn worst_cases_agree_with_ngspice() {
    let out = Command::new(env!("CARGO_BIN_EXE_memforge"))
        .args([
            "routing",
            "examples/routing-tile-2.toml",
            "--compare-spice",
            "--json",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cases = json["spice"].as_array().unwrap();
    assert_eq!(cases.len(), 2);
    for c in cases {
        let ours: Vec<f64> = serde_json::from_value(c["memforge"].clone()).unwrap();
        let spice: Vec<f64> = serde_json::from_value(c["ngspice"].clone()).unwrap();
        assert_eq!(ours.len(), 10);
        for (a, b) in ours.iter().zip(&spice) {
            assert!((a - b).abs() <= 1e-6 * b.abs().max(1e-12), "{c}");
        }
    }
    // The routed case really routes and the blocked one really leaks.
    let m = &json["margins"];
    assert!(m["i_on_min"].as_f64().unwrap() > 20e-6, "{m}");
    assert!(m["i_off_max"].as_f64().unwrap() > 1e-6, "{m}");
}

#[test]
fn a_1t1r_column_agrees_with_chen_et_al() {
    let mut a = example().analog;
    for (n, r_wire) in [(5, 2.5), (40, 2.5), (80, 10.0), (160, 25.0)] {
        a.parasitics.r_wire_col = r_wire;
        let (measured, formula, r_series) = column_sensed_ratio(&a, n).unwrap();
        // The formula leaves out the leakage of the other rows' switches
        // (`r_access_off`): 1.4e-5 at 160 rows; a wire the solver dropped
        // or doubled would move the ratio by percents.
        assert!(
            (measured - formula).abs() <= 1e-4 * formula,
            "n {n}, wire {r_wire}: solver {measured}, formula {formula}"
        );
        // The wire really counts: the sensed ratio is below the device's.
        assert!(r_series > 800.0 && measured < a.g_max_us / a.g_min_us);
    }
    // The closed form itself: no series resistance keeps the device ratio,
    // a series resistance equal to R_on halves the excess over one.
    assert!((chen_sensed_ratio(37.0, 1e4, 0.0) - 37.0).abs() < 1e-12);
    assert!((chen_sensed_ratio(37.0, 1e4, 1e4) - 19.0).abs() < 1e-12);
}

#[test]
fn a_passive_column_leaks_through_its_sneak_paths() {
    // 0T1R: the grounded rows' devices pull current off the column, which
    // the formula leaves out; the solver must see it.
    let mut a = example().analog;
    a.access = CellAccess::ZeroT1r;
    let off = |(m, f, _): (f64, f64, f64)| (m - f).abs() / f;
    let passive = off(column_sensed_ratio(&a, 40).unwrap());
    let switched = off(column_sensed_ratio(&example().analog, 40).unwrap());
    assert!(
        passive > 10.0 * switched && passive > 1e-5,
        "0T1R {passive:e}, 1T1R {switched:e}"
    );
}

#[test]
fn margins_shrink_with_size_and_wire() {
    let a = example().analog;
    let small = margins(&a, 10).unwrap();
    let large = margins(&a, 40).unwrap();
    assert!(large.i_off_max > 3.0 * small.i_off_max, "leakage adds up");
    assert!(large.i_on_min < small.i_on_min, "IR drop grows");
    let mut thin = a.clone();
    thin.parasitics.r_wire_row *= 10.0;
    thin.parasitics.r_wire_col *= 10.0;
    assert!(margins(&thin, 40).unwrap().i_on_min < large.i_on_min);
}

fn nominal(a: &AnalogSection) -> AnalogSection {
    let mut a = a.clone();
    a.realistic = false;
    a
}

#[test]
fn a_separating_threshold_routes_every_pattern_right() {
    // Ideal devices, a margin above one: every random pattern lies between
    // the worst cases, so every comparator decision matches the mask.
    let a = nominal(&example().analog);
    let m = margins(&a, 10).unwrap();
    assert!(m.margin > 1.0);
    for traffic in [
        Traffic::default(),
        Traffic {
            route_density: 0.5,
            activity: 0.9,
        },
    ] {
        let mc = monte_carlo(&a, 10, m.threshold, traffic, 30, 5).unwrap();
        assert_eq!(mc.false_fires + mc.missed, 0, "{mc:?}");
    }
    // The same patterns against a threshold well above the worst routed
    // current miss routes: the check does look at the decisions.
    let mc = monte_carlo(&a, 10, m.i_on_min * 1.5, Traffic::default(), 30, 5).unwrap();
    assert!(mc.missed > 0, "{mc:?}");
}

#[test]
fn a_low_on_off_ratio_routes_wrongly() {
    let mut a = nominal(&example().analog);
    a.device = DeviceKind::Linear;
    a.g_min_us = a.g_max_us / 4.0;
    let m = margins(&a, 20).unwrap();
    assert!(m.margin < 1.0, "{m:?}");
    let busy = Traffic {
        route_density: 0.1,
        activity: 0.8,
    };
    let mc = monte_carlo(&a, 20, m.threshold, busy, 20, 3).unwrap();
    assert!(mc.rate() > 0.01, "{mc:?}");
}

#[test]
fn a_bad_routing_config_names_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("r.toml");
    std::fs::write(
        &cfg,
        "[design]\nname = \"r\"\nblock = \"routing_tile\"\n[routing]\nchannels = 0\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_memforge"))
        .args(["routing", cfg.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("routing.channels"), "{err}");
}

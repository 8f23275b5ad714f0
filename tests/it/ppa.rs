//! `memforge ppa` on the 8x8 tile: the energy breakdown is consistent with
//! the run it reports, and on the same netlist OpenSTA's power grows with
//! the input activity (the measured one scaled down and up).
//! Fails (never skips) without Verilator, Yosys or OpenSTA.

use crate::flows_support::{liberty, memforge};
use memforge::flows::power::{self, Activity};
use std::path::Path;

#[test]
fn ppa_reports_a_consistent_breakdown_and_power_follows_activity() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("design");
    let lib = liberty();
    let r = memforge(
        &[
            "--json",
            "ppa",
            "examples/tile-8x8.toml",
            "--cycles",
            "6000",
            "--liberty",
            lib.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let j = r.json();
    let e = &j["energy"];
    let f = |v: &serde_json::Value| v.as_f64().unwrap();
    // Synaptic operations: every answered READ digitises all 8 columns.
    let answers = j["coverage"]["adc_answers"].as_u64().unwrap();
    assert!(answers > 50, "{j}");
    assert_eq!(e["synaptic_ops"].as_u64().unwrap(), answers * 8);
    // Digital energy is the reported power over the run's cycles.
    let dig = f(&j["power_w"]["total"]["total_w"]) * 6000.0 * f(&j["period_ns"]) * 1e-9;
    assert!((f(&e["digital_j"]) - dig).abs() < 1e-9 * dig, "{e}");
    let parts =
        f(&e["digital_pj_per_sop"]) + f(&e["crossbar_pj_per_sop"]) + f(&e["adc_pj_per_sop"]);
    assert!((parts - f(&j["energy_pj_per_sop"])).abs() < 1e-9 * parts);
    assert!(f(&e["crossbar_pj_per_sop"]) > 0.0 && f(&e["adc_pj_per_sop"]) > 0.0);

    // The same netlist at the measured activity x0, x1, x4.
    let acts: Vec<(String, f64, f64)> = j["input_activity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["port"].as_str().unwrap().to_string(),
                f(&a["activity"]),
                f(&a["duty"]),
            )
        })
        .collect();
    assert!(
        acts.iter().any(|a| a.1 > 0.0),
        "the workload toggles inputs"
    );
    let netlist = out.join("build/synth/netlist.v");
    let sdc = std::fs::read_dir(out.join("constraints"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "sdc"))
        .unwrap();
    let at = |scale: f64, dir: &str| {
        let work = tmp.path().join(dir);
        std::fs::create_dir_all(&work).unwrap();
        let a: Vec<Activity> = acts
            .iter()
            .map(|(p, act, duty)| Activity {
                port: p.clone(),
                activity: act * scale,
                duty: *duty,
            })
            .collect();
        power::analyze(&lib, &netlist, "tile8x8", &sdc, &a, Path::new(&work))
            .unwrap()
            .total
    };
    let (idle, measured, busy) = (at(0.0, "x0"), at(1.0, "x1"), at(4.0, "x4"));
    assert!(
        idle.switching_w < measured.switching_w && measured.switching_w < busy.switching_w,
        "{idle:?} {measured:?} {busy:?}"
    );
    assert!(idle.total_w < measured.total_w && measured.total_w < busy.total_w);
    // The command's own figure is the x1 one.
    assert!((measured.total_w - f(&j["power_w"]["total"]["total_w"])).abs() < 1e-9);
}

#[test]
fn ppa_refuses_a_block_without_a_crossbar() {
    let r = memforge(&["ppa", "examples/aer-router.toml"], &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("aer_router"), "{}", r.stderr);
}

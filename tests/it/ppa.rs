//! `memforge ppa` on the 8x8 tile: on the demo workload the synaptic
//! operations are the input events the session sent times the columns, the
//! energy breakdown is consistent with the run it reports, programming is
//! accounted separately, and on the same netlist OpenSTA's power grows
//! with the input activity (the measured one scaled down and up); on the
//! verification traffic the operations are the macro's answers times the
//! columns. Fails (never skips) without Verilator, Yosys or OpenSTA.

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
    assert_eq!(j["workload"], "demo");
    // Synaptic operations of the inference: every input event the session
    // sent is one row READ digitising all 8 columns (the session's count,
    // against the macro answers counted on the ports).
    let sent = j["run"]["events_sent"].as_u64().unwrap();
    assert!(sent > 50, "{j}");
    assert_eq!(j["run"]["adc_answers"].as_u64().unwrap(), sent, "{j}");
    assert_eq!(e["synaptic_ops"].as_u64().unwrap(), sent * 8);
    assert!(j["run"]["output_spikes"].as_u64().unwrap() > 0, "{j}");
    // Digital energy is the reported power over the inference's cycles.
    let cycles = j["cycles"].as_u64().unwrap();
    assert_eq!(
        cycles,
        j["run"]["phases_cycles"]["inference"].as_u64().unwrap()
    );
    let dig = f(&j["power_w"]["total"]["total_w"]) * cycles as f64 * f(&j["period_ns"]) * 1e-9;
    assert!((f(&e["digital_j"]) - dig).abs() < 1e-9 * dig, "{e}");
    let parts =
        f(&e["digital_pj_per_sop"]) + f(&e["crossbar_pj_per_sop"]) + f(&e["adc_pj_per_sop"]);
    assert!((parts - f(&j["energy_pj_per_sop"])).abs() < 1e-9 * parts);
    assert!(f(&e["crossbar_pj_per_sop"]) > 0.0 && f(&e["adc_pj_per_sop"]) > 0.0);
    assert!((f(&j["energy_per_inference_j"]) - f(&e["total_j"])).abs() < 1e-18);
    // Programming: its own phase, every cell, pulses and digital energy.
    let p = &j["programming"];
    assert_eq!(p["cells"].as_u64().unwrap(), 64, "{p}");
    assert!(p["pulses"].as_u64().unwrap() >= 64, "{p}");
    let prog_s = j["run"]["phases_cycles"]["programming"].as_u64().unwrap() as f64
        * f(&j["period_ns"])
        * 1e-9;
    assert!((f(&p["seconds"]) - prog_s).abs() < 1e-15, "{p}");
    assert!((f(&p["digital_j"]) - f(&p["digital_w"]) * prog_s).abs() < 1e-18);
    assert!((f(&p["total_j"]) - f(&p["digital_j"]) - f(&p["pulses_j"])).abs() < 1e-18);

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

/// The traffic workload alone (the command adds only the synthesis and
/// the power run that the demo test above covers).
#[test]
fn the_traffic_workload_counts_the_macro_answers_on_the_ports() {
    let path = crate::common::root().join("examples/tile-8x8.toml");
    let cfg = memforge_spec::load::load_file(&path).unwrap();
    let m = memforge::cmd::ppa::workload::traffic(&path, &cfg, 3000, 1).unwrap();
    assert_eq!(m.window.cycles(), 3000);
    assert!(m.programming.is_none());
    // The stimulus's own counts of macro answers and of the spurious
    // strobes it injects, against the cycles the observer saw
    // xbar_adc_valid high on the tile's input; only answers are operations.
    let answers = m.details["adc_answers"].as_u64().unwrap();
    let spurious = m.details["spurious_adc_strobes"].as_u64().unwrap();
    assert!(answers > 20, "{}", m.details);
    assert_eq!(
        m.window.ones(&m.layout, "xbar_adc_valid"),
        Some(answers + spurious)
    );
    assert_eq!(m.conversions, answers * 8);
    assert!(m
        .window
        .activities(&m.layout)
        .iter()
        .any(|a| a.activity > 0.0));
}

#[test]
fn ppa_refuses_a_block_without_a_crossbar_and_cycles_for_the_demo() {
    let r = memforge(&["ppa", "examples/aer-router.toml"], &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("aer_router"), "{}", r.stderr);
    let r = memforge(&["ppa", "examples/tile-8x8.toml", "--cycles", "100"], &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--workload traffic"), "{}", r.stderr);
}

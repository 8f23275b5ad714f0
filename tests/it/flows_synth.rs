//! `memforge synth` on the 8x8 example: real Yosys and OpenSTA runs (these
//! tests fail, not skip, when the tools are missing), and every kind of bad
//! input giving a clear error with the right exit code.

use crate::flows_support::{generate_8x8, liberty, memforge, shared_8x8};

#[test]
fn synth_reports_area_cells_flops_slack_and_fmax() {
    let dir = shared_8x8().to_str().unwrap();
    let lib = liberty();
    let run = memforge(
        &[
            "--json",
            "synth",
            dir,
            "--liberty",
            lib.to_str().unwrap(),
            "--by-module",
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let j = run.json();
    // The area by module (hierarchical synthesis): the modules' totals add
    // up to its total, which is close to the flat area (no optimisation
    // across module boundaries: a little larger).
    let by = &j["area_by_module"];
    let modules = by["modules"].as_array().unwrap();
    assert!(modules.len() > 5, "{by}");
    let sum: f64 = modules
        .iter()
        .map(|m| m["total_um2"].as_f64().unwrap())
        .sum();
    let hier = by["total_um2"].as_f64().unwrap();
    assert!((sum - hier).abs() < 1e-6 * hier, "{by}");
    let flat = j["area_um2"].as_f64().unwrap();
    assert!(hier > 0.9 * flat && hier < 1.5 * flat, "{hier} vs {flat}");
    assert!(j["area_um2"].as_f64().unwrap() > 1000.0, "{j}");
    assert!(j["flops"].as_u64().unwrap() > 50, "{j}");
    // fmax is the register-to-register figure: never below what the worst
    // path of all (I/O included) allows at the constrained period.
    let (fmax, period) = (
        j["fmax_mhz"].as_f64().unwrap(),
        j["period_ns"].as_f64().unwrap(),
    );
    let worst = j["worst_slack_ns"].as_f64().unwrap();
    assert!(
        fmax > 1.0 && fmax >= 1000.0 / (period - worst) - 1e-6,
        "{j}"
    );
    assert!(j["wns_ns"].as_f64().unwrap() <= 0.0, "{j}");
    assert!(j["sta_warnings"].as_array().unwrap().is_empty(), "{j}");
    let cells = j["cells"].as_object().unwrap();
    assert!(
        cells.keys().all(|c| c.starts_with("sky130_fd_sc_hd__")),
        "{cells:?}"
    );
    assert!(
        !cells.keys().any(|c| c.contains("lpflow")),
        "dont_use cell mapped: {cells:?}"
    );
    let total: u64 = cells.values().map(|n| n.as_u64().unwrap()).sum();
    assert_eq!(total, j["cell_count"].as_u64().unwrap());
}

#[test]
fn a_missing_liberty_file_is_a_usage_error() {
    let run = memforge(
        &[
            "synth",
            shared_8x8().to_str().unwrap(),
            "--liberty",
            "/nonexistent/x.lib",
        ],
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("/nonexistent/x.lib"), "{}", run.stderr);
}

#[test]
fn a_pdk_root_without_sky130_is_a_usage_error() {
    let empty = tempfile::tempdir().unwrap();
    let run = memforge(
        &[
            "synth",
            shared_8x8().to_str().unwrap(),
            "--pdk-root",
            empty.path().to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("has no sky130 HD library"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_yosys_says_how_to_install_it() {
    let run = memforge(
        &["synth", shared_8x8().to_str().unwrap()],
        &[("MEMFORGE_YOSYS", "/nonexistent/yosys")],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("/nonexistent/yosys") && run.stderr.contains("apt-get install"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_design_that_fails_synthesis_names_the_error_and_the_log() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = generate_8x8(tmp.path());
    let top = dir.join("rtl/tile8x8.v");
    let text = std::fs::read_to_string(&top).unwrap();
    std::fs::write(
        &top,
        text.replacen(
            "endmodule",
            "  undeclared_module u_bad (.x(wb_clk_i));\nendmodule",
            1,
        ),
    )
    .unwrap();
    let run = memforge(
        &[
            "synth",
            dir.to_str().unwrap(),
            "--liberty",
            liberty().to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("yosys failed synthesizing tile8x8"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("undeclared_module"), "{}", run.stderr);
    assert!(run.stderr.contains("yosys.log"), "{}", run.stderr);
}

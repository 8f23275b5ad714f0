//! `memforge fpga` on the 8x8 example: Yosys synth_ice40, nextpnr-ice40 and
//! icepack for real (failing, not skipping, when they are missing).

use crate::flows_support::{memforge, shared_8x8};
use memforge::tools::{find, Tool};

#[test]
fn fpga_reports_luts_flops_and_fmax_with_the_generated_pins() {
    let run = memforge(&["--json", "fpga", shared_8x8().to_str().unwrap()], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let j = run.json();
    assert!(j["luts"].as_u64().unwrap() > 50, "{j}");
    assert!(j["flops"].as_u64().unwrap() > 50, "{j}");
    assert!(j["fmax_mhz"].as_f64().unwrap() > 10.0, "{j}");
    assert!(
        j["logic_cells"].as_u64().unwrap() <= j["logic_cells_available"].as_u64().unwrap(),
        "{j}"
    );
    assert!(
        j["pcf"].as_str().unwrap().ends_with("fpga/tile8x8.pcf"),
        "{j}"
    );
    // The 8x8 tile has more I/O bits than the HX8K package: it runs wrapped.
    if let Some(w) = j["wrapper"].as_str() {
        assert!(w.ends_with("fpga/tile8x8_fpga.v"), "{j}");
        assert!(
            j["wrapper_flops"].as_u64().unwrap() < j["flops"].as_u64().unwrap(),
            "{j}"
        );
    }
    assert!(
        std::path::Path::new(j["bitstream"].as_str().unwrap()).is_file(),
        "{j}"
    );
}

#[test]
fn a_missing_nextpnr_says_how_to_install_it() {
    // A PATH with Yosys and icepack but no nextpnr-ice40.
    let bin = tempfile::tempdir().unwrap();
    for tool in [Tool::Yosys, Tool::Icepack] {
        let found = find(tool).expect("Yosys and icepack are required for this test");
        std::os::unix::fs::symlink(&found.path, bin.path().join(tool.program())).unwrap();
    }
    let path = bin.path().to_str().unwrap();
    let run = memforge(&["fpga", shared_8x8().to_str().unwrap()], &[("PATH", path)]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("nextpnr-ice40 was not found on PATH"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("apt-get install -y nextpnr-ice40"),
        "{}",
        run.stderr
    );
}

//! The memristive integrate-and-fire layer (issue 14): memforge's transient
//! of an RRAM synapse crossbar driving volatile threshold-switching neurons
//! against ngspice on a deck written from the same config. Spike times are
//! compared neuron by neuron (within 1 % of an input step) and membranes
//! sample by sample, both computed here from an actual ngspice run.

use memforge::cmd::seed::mif::{compare, spike_tolerance};
use memforge_spec::seed::mif::{self, MifConfig, MifSection};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

fn small() -> MifSection {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/seed/mif.toml");
    let cfg: MifConfig = memforge_spec::load::load_with(&path, mif::validate).unwrap();
    MifSection {
        inputs: 8,
        neurons: 2,
        steps: 25,
        g_max_us: 40.0,
        ..cfg.mif
    }
}

#[test]
fn spikes_and_membranes_agree_with_ngspice() {
    let p = small();
    let r = compare(&p, Duration::from_secs(120), None).unwrap();
    let tol = spike_tolerance(&p);
    let mut total = 0;
    for (j, n) in r.neurons.iter().enumerate() {
        assert!(n.ngspice_spikes >= 2, "neuron {j} must fire: {n:?}");
        assert_eq!(n.spikes, n.ngspice_spikes, "neuron {j}: {n:?}");
        assert_eq!(n.paired, n.spikes, "neuron {j}: {n:?}");
        assert!(n.max_dt_s <= tol, "neuron {j}: {n:?}");
        assert!(n.rms_v < 5e-3, "neuron {j}: {n:?}");
        total += n.spikes;
    }
    assert!(total >= 4);
}

#[test]
fn a_wrong_device_law_is_caught() {
    // The same layer with the ngspice reference built from a device that
    // switches at a different threshold: the spikes must no longer agree.
    let p = small();
    let mut shifted = p.clone();
    shifted.ts_v_on = p.ts_v_on * 0.8;
    let ours = memforge_sim::analog::seed::mif::simulate(
        &p,
        &memforge_sim::analog::seed::mif::MifLayer::from_config(&p),
        false,
    );
    let r = compare(&shifted, Duration::from_secs(120), None).unwrap();
    let differs = ours.iter().zip(&r.ngspice).any(|(a, b)| {
        let m = memforge_sim::analog::seed::match_spikes(&a.spikes, &b.spikes, spike_tolerance(&p));
        m.pairs != a.spikes.len() || m.pairs != b.spikes.len()
    });
    assert!(differs, "a 20 % threshold shift went unnoticed");
}

#[test]
fn a_bad_config_names_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, "[mif]\nts_v_hold = 0.7\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_memforge"))
        .args(["seed", "mif"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("mif.ts_v_hold = 0.7"), "{err}");
}

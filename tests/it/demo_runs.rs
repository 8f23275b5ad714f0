//! The README's first command ends in `memforge demo`: it must pass, and its
//! JSON must say what it did.

use std::process::Command;

#[test]
fn demo_passes_and_reports_its_steps() {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_memforge"))
        .args(["--json", "demo", "--out"])
        .arg(tmp.path().join("demo"))
        .output()
        .expect("runs memforge");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "demo failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("demo --json prints JSON");
    assert_eq!(json["ok"], true);
    let steps = json["steps"].as_array().expect("steps");
    assert!(steps.len() >= 4, "{steps:?}");
    assert!(tmp.path().join("demo/manifest.json").is_file());
}

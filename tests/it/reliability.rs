//! Issue 11: nothing unchecked is trusted. Each test drives the real binary
//! the way a user does (real files, real tools, a real SIGKILL) and names
//! the item of the issue it pins down.

use crate::common;

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The binary under test; `MEMFORGE_TEST_BIN` points these tests at another
/// build (how each was seen to fail on the code before the fix).
fn bin() -> String {
    std::env::var("MEMFORGE_TEST_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_memforge").into())
}

fn memforge(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(bin())
        .args(args)
        .envs(env.iter().copied())
        .current_dir(common::root())
        .stdin(Stdio::null())
        .output()
        .expect("runs memforge")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn no_panic(o: &Output) {
    let e = stderr(o);
    assert_ne!(o.status.code(), Some(101), "panicked: {e}");
    assert!(!e.contains("panicked"), "panicked: {e}");
}

fn example(name: &str) -> String {
    common::root()
        .join("examples")
        .join(name)
        .display()
        .to_string()
}

fn generate(config: &str, out: &Path) -> Output {
    memforge(&["generate", config, "--out", out.to_str().unwrap()], &[])
}

fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn pid_alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|s| !s.contains(") Z ") && !s.contains(") X "))
}

/// A second config: the 8x8 example with another neuron threshold (same
/// name, different bytes), so a replacement is visible.
fn variant(dir: &Path) -> String {
    let text = std::fs::read_to_string(example("tile-8x8.toml")).unwrap();
    let mut out = String::new();
    let mut done = false;
    for line in text.lines() {
        if !done && line.trim_start().starts_with("threshold") {
            out.push_str("threshold = 77\n");
            done = true;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    if !done {
        out.push_str("[neuron]\nthreshold = 77\n");
    }
    let path = dir.join("variant.toml");
    std::fs::write(&path, out).unwrap();
    path.display().to_string()
}

fn manifest(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("manifest.json")).unwrap_or_default()
}

/// Leftover staging folders beside `out`.
fn leftovers(out: &Path) -> Vec<String> {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|f| f.starts_with(&format!(".{name}.memforge-")))
        .collect()
}

// ---- item 1: reserved words -------------------------------------------------

#[test]
fn item1_reserved_words_are_refused_as_design_names() {
    let tmp = tempfile::tempdir().unwrap();
    for word in [
        "event",
        "table",
        "config",
        "specparam",
        "program",
        "assert",
        "bool",
    ] {
        let cfg = tmp.path().join(format!("{word}.toml"));
        std::fs::write(&cfg, format!("[design]\nname = \"{word}\"\n")).unwrap();
        let out = tmp.path().join(word);
        let o = generate(cfg.to_str().unwrap(), &out);
        assert_eq!(o.status.code(), Some(2), "{word}: {}", stderr(&o));
        assert!(stderr(&o).contains("design.name"), "{}", stderr(&o));
        assert!(!out.exists());
    }
}

// ---- item 3: data loss ------------------------------------------------------

#[test]
fn item3_a_foreign_manifest_is_not_memforge_s_and_nothing_is_deleted() {
    let tmp = tempfile::tempdir().unwrap();
    let ext = tmp.path().join("ext");
    std::fs::create_dir(&ext).unwrap();
    std::fs::write(ext.join("manifest.json"), "{\"name\":\"x\"}").unwrap();
    std::fs::write(ext.join("work.txt"), "keep\n").unwrap();
    let o = generate(&example("tile-8x8.toml"), &ext);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not a memforge output"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(ext.join("work.txt")).unwrap(),
        "keep\n"
    );
    assert_eq!(manifest(&ext), "{\"name\":\"x\"}");
}

#[test]
fn item3_regenerating_keeps_every_file_memforge_did_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert!(generate(&example("tile-8x8.toml"), &out).status.success());
    std::fs::write(out.join("work.txt"), "keep\n").unwrap();
    std::fs::create_dir_all(out.join("macro/views")).unwrap();
    std::fs::write(out.join("macro/views/xbar.lef"), "LEF\n").unwrap();
    std::fs::create_dir_all(out.join("build/synth")).unwrap();
    std::fs::write(out.join("build/synth/yosys.log"), "old log\n").unwrap();
    let o = generate(&variant(tmp.path()), &out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(out.join("work.txt")).unwrap(),
        "keep\n"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("macro/views/xbar.lef")).unwrap(),
        "LEF\n"
    );
    assert!(manifest(&out).contains("\"threshold\": 77"));
    // build/ is memforge's own scratch (flow logs), stale after regeneration.
    assert!(!out.join("build").exists());
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

#[test]
fn item3_a_user_file_where_a_generated_file_goes_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert!(generate(&example("tile-8x8.toml"), &out).status.success());
    // Drop the manifest's record of one file: memforge no longer owns it.
    let text = manifest(&out).replace("\"tile8x8.f\"", "\"tile8x8.f.renamed\"");
    std::fs::write(out.join("manifest.json"), text).unwrap();
    std::fs::write(out.join("tile8x8.f"), "mine\n").unwrap();
    let o = generate(&example("tile-8x8.toml"), &out);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("tile8x8.f"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(out.join("tile8x8.f")).unwrap(),
        "mine\n"
    );
}

// ---- item 4: an atomic switch, tested with a real kill ---------------------

/// Runs `generate config --out out` with `MEMFORGE_FAILPOINT=points`, waits
/// until it stops at the failpoint and kills it with SIGKILL.
fn generate_killed_at(config: &str, out: &Path, points: &str) {
    let mut child = Command::new(bin())
        .args(["generate", config, "--out", out.to_str().unwrap()])
        .env("MEMFORGE_FAILPOINT", points)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let stopped = lines.any(|l| l.is_ok_and(|l| l.contains("stopped at failpoint")));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(stopped, "memforge never reached failpoint {points}");
}

fn with_user_file(out: &Path) {
    assert!(generate(&example("tile-8x8.toml"), out).status.success());
    std::fs::write(out.join("work.txt"), "keep\n").unwrap();
}

fn check_whole(out: &Path, threshold_77: bool) {
    let m = manifest(out);
    assert!(
        m.contains("\"generator\": \"memforge\""),
        "no output at {}",
        out.display()
    );
    assert_eq!(m.contains("\"threshold\": 77"), threshold_77);
    for f in common::files_below(out) {
        if f != "manifest.json" && f != "work.txt" {
            assert!(
                m.contains(&format!("\"{f}\"")),
                "{f} is not in the manifest"
            );
        }
    }
    let listed = m.matches("\"rtl/").count();
    let present = common::files_below(out)
        .iter()
        .filter(|f| f.starts_with("rtl/"))
        .count();
    assert_eq!(listed, present, "a partial output");
    assert_eq!(
        std::fs::read_to_string(out.join("work.txt")).unwrap(),
        "keep\n"
    );
}

#[test]
fn item4_a_kill_before_the_swap_leaves_the_previous_output_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    with_user_file(&out);
    let v = variant(tmp.path());
    generate_killed_at(&v, &out, "before-swap");
    check_whole(&out, false);
    assert_eq!(leftovers(&out).len(), 1, "the killed run's staging folder");
    // The next run cleans up after the killed one.
    assert!(generate(&v, &out).status.success());
    check_whole(&out, true);
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

#[test]
fn item4_a_kill_after_the_swap_leaves_the_new_output_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    with_user_file(&out);
    let v = variant(tmp.path());
    generate_killed_at(&v, &out, "after-swap");
    check_whole(&out, true);
    assert!(generate(&example("tile-8x8.toml"), &out).status.success());
    check_whole(&out, false);
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

#[test]
fn item4_a_kill_between_the_fallback_renames_is_repaired_next_run() {
    // Where RENAME_EXCHANGE is missing, two renames; killed between them,
    // `out` is gone for a moment: the next run puts the previous output back
    // (user files included) before replacing it.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    with_user_file(&out);
    let v = variant(tmp.path());
    generate_killed_at(&v, &out, "no-exchange,between-renames");
    assert!(!out.exists());
    assert_eq!(leftovers(&out).len(), 2);
    let o = generate(&v, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    check_whole(&out, true);
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

// ---- item 5: a huge timeout -------------------------------------------------

#[test]
fn item5_the_largest_spice_timeout_is_no_limit() {
    let o = memforge(
        &[
            "analog",
            &example("tile-8x8.toml"),
            "--compare-spice",
            "--spice-timeout",
            "18446744073709551615",
        ],
        &[],
    );
    no_panic(&o);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

// ---- item 6: bogus tools ------------------------------------------------------

fn design(tmp: &Path) -> PathBuf {
    let out = tmp.join("d");
    assert!(generate(&example("tile-8x8.toml"), &out).status.success());
    out
}

#[test]
fn item6_a_program_that_is_not_verilator_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let d = design(tmp.path());
    let o = memforge(
        &["lint", d.to_str().unwrap()],
        &[("MEMFORGE_VERILATOR", "/bin/true")],
    );
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("is not verilator"), "{}", stderr(&o));
}

#[test]
fn item6_a_lint_tool_that_leaves_no_evidence_fails_the_gate() {
    let tmp = tempfile::tempdir().unwrap();
    let d = design(tmp.path());
    // Answers --version like Verilator, then does nothing and exits 0.
    let fake = script(
        tmp.path(),
        "verilator",
        "[ \"$1\" = --version ] && echo 'Verilator 5.006 2023-01-22 rev'\nexit 0",
    );
    let o = memforge(
        &["--json", "lint", d.to_str().unwrap()],
        &[("MEMFORGE_VERILATOR", fake.to_str().unwrap())],
    );
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("did not really run"), "{out}");
}

#[test]
fn item6_a_hanging_version_check_is_stopped() {
    let tmp = tempfile::tempdir().unwrap();
    let d = design(tmp.path());
    let hang = script(tmp.path(), "verilator", "sleep 300");
    let start = Instant::now();
    let o = memforge(
        &["lint", d.to_str().unwrap()],
        &[
            ("MEMFORGE_VERILATOR", hang.to_str().unwrap()),
            ("MEMFORGE_TOOL_TIMEOUT", "2"),
        ],
    );
    assert!(start.elapsed() < Duration::from_secs(60));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("did not answer"), "{}", stderr(&o));
}

// ---- item 8: the spice timeout reaches ngspice's children --------------------

#[test]
fn item8_the_spice_timeout_kills_the_whole_process_group() {
    let tmp = tempfile::tempdir().unwrap();
    let pidfile = tmp.path().join("child.pid");
    // A wrapper: the real banner, then a child that outlives any timeout.
    let wrapper = script(
        tmp.path(),
        "ngspice",
        &format!(
            "if [ \"$1\" = --version ]; then exec ngspice --version; fi\nsleep 300 &\necho $! > {}\nwait",
            pidfile.display()
        ),
    );
    let start = Instant::now();
    let o = memforge(
        &[
            "analog",
            &example("tile-8x8.toml"),
            "--compare-spice",
            "--spice-timeout",
            "2",
        ],
        &[("MEMFORGE_NGSPICE", wrapper.to_str().unwrap())],
    );
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "waited {:?}",
        start.elapsed()
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("did not finish within 2 s"),
        "{}",
        stderr(&o)
    );
    let pid: i32 = std::fs::read_to_string(&pidfile)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    assert!(!pid_alive(pid), "ngspice's child {pid} was left running");
}

// ---- item 9: exit codes for bad input ----------------------------------------

#[test]
fn item9_transient_on_a_non_vteam_device_is_bad_input() {
    let o = memforge(&["analog", &example("tile-8x8.toml"), "--transient"], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("vteam"), "{}", stderr(&o));
}

#[test]
fn item9_an_out_that_cannot_be_a_design_folder_is_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let other = tmp.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("notes.txt"), "x").unwrap();
    for out in [file.as_path(), Path::new("/dev/null"), other.as_path()] {
        let o = generate(&example("tile-8x8.toml"), out);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{}: {}",
            out.display(),
            stderr(&o)
        );
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}

#[test]
fn item9_out_dot_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    let o = Command::new(bin())
        .args(["generate", &example("tile-8x8.toml"), "--out", "."])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("is the current folder"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("busy"), "{}", stderr(&o));
}

// ---- item 10: weights from the user --------------------------------------------

fn save_weights(dir: &Path) -> PathBuf {
    let m = memforge_sim::weights::WeightMatrix {
        rows: 4,
        cols: 4,
        values: (0..16).map(|i| f64::from(i) / 15.0).collect(),
    };
    let path = dir.join("w.safetensors");
    memforge_sim::weights::save_safetensors(&path, "fc1.weight", &m).unwrap();
    path
}

#[test]
fn item10_analog_programs_user_weights_from_safetensors() {
    let tmp = tempfile::tempdir().unwrap();
    let w = save_weights(tmp.path());
    let o = memforge(
        &[
            "--json",
            "analog",
            &example("tile-8x8.toml"),
            "--weights",
            w.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["weights"], w.to_str().unwrap());
    // Columns 4..8 hold level 0 only: less current than the weighted ones.
    let i: Vec<f64> = json["column_currents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(i[3] > i[0] && i[0] >= i[7], "{i:?}");
}

#[test]
fn item10_demo_refuses_bad_weights_before_any_slow_step() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("w.npy");
    std::fs::write(&bad, b"\x93NUMPY\x01\x00\x76\x00{'descr': '<f8'").unwrap();
    let start = Instant::now();
    let o = memforge(
        &[
            "demo",
            "--out",
            tmp.path().join("demo").to_str().unwrap(),
            "--weights",
            bad.to_str().unwrap(),
        ],
        &[],
    );
    assert!(start.elapsed() < Duration::from_secs(20));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("w.npy"), "{}", stderr(&o));
    assert!(!tmp.path().join("demo").exists());
    let big = tmp.path().join("big.safetensors");
    memforge_sim::weights::save_safetensors(
        &big,
        "w",
        &memforge_sim::weights::WeightMatrix {
            rows: 9,
            cols: 8,
            values: vec![0.5; 72],
        },
    )
    .unwrap();
    let o = memforge(&["demo", "--weights", big.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("9x8"), "{}", stderr(&o));
}

#[test]
fn item10_demo_runs_on_user_weights() {
    let tmp = tempfile::tempdir().unwrap();
    let w = save_weights(tmp.path());
    let o = memforge(
        &[
            "--json",
            "demo",
            "--out",
            tmp.path().join("demo").to_str().unwrap(),
            "--weights",
            w.to_str().unwrap(),
            "--tensor",
            "fc1.weight",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("Load the given weights"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("(tensor fc1.weight): 4x4 weights"),
        "{}",
        stderr(&o)
    );
}

// ---- item 11: the smaller ones ------------------------------------------------

#[test]
fn item11_a_config_without_end_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let start = Instant::now();
    let o = generate("/dev/zero", &tmp.path().join("x"));
    assert!(start.elapsed() < Duration::from_secs(20));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a design file"), "{}", stderr(&o));
}

#[test]
fn item11_an_io_error_says_its_cause_once() {
    let tmp = tempfile::tempdir().unwrap();
    let o = generate("/nonexistent/x.toml", &tmp.path().join("x"));
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).matches("No such file").count(),
        1,
        "{}",
        stderr(&o)
    );
    // A write error, whose type also carries its source.
    let ro = tmp.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    let o = generate(&example("tile-8x8.toml"), &ro.join("sub/out"));
    if o.status.code() == Some(1) {
        assert_eq!(
            stderr(&o).matches("ermission denied").count(),
            1,
            "{}",
            stderr(&o)
        );
    } // else running as root: no permission error to see
}

#[test]
fn item11_huge_floats_in_errors_are_short() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("f.toml");
    std::fs::write(
        &cfg,
        "[design]\nname = \"f\"\n[flow]\nclock_period_ns = 1e308\n",
    )
    .unwrap();
    let o = generate(cfg.to_str().unwrap(), &tmp.path().join("x"));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("= 1e308:"), "{}", stderr(&o));
    assert!(stderr(&o).len() < 300, "{}", stderr(&o));
}

#[test]
fn item11_fpga_refuses_a_corrupt_manifest_like_synth_and_flow() {
    let tmp = tempfile::tempdir().unwrap();
    let d = design(tmp.path());
    std::fs::write(d.join("manifest.json"), "{ not json").unwrap();
    for cmd in ["fpga", "synth", "flow"] {
        let mut args = vec![cmd];
        if cmd == "flow" {
            args.push("openlane");
        }
        args.push(d.to_str().unwrap());
        let o = memforge(&args, &[]);
        assert_eq!(o.status.code(), Some(2), "{cmd}: {}", stderr(&o));
    }
}

#[test]
fn item11_a_symlinked_out_stays_a_symlink() {
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path().join("real");
    let link = tmp.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap_or(());
    std::fs::create_dir(&real).unwrap();
    for _ in 0..2 {
        let o = generate(&example("tile-8x8.toml"), &link);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert!(real.join("manifest.json").is_file());
    }
}

#[test]
fn item11_synth_checks_for_sta_before_running_yosys() {
    let tmp = tempfile::tempdir().unwrap();
    let d = design(tmp.path());
    let lib = common::root().join("../shared/pdk/sky130_fd_sc_hd__tt_025C_1v80.lib");
    let start = Instant::now();
    let o = memforge(
        &[
            "synth",
            d.to_str().unwrap(),
            "--liberty",
            lib.to_str().unwrap(),
        ],
        &[("MEMFORGE_STA", "/nonexistent/sta")],
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("/nonexistent/sta"), "{}", stderr(&o));
    assert!(
        start.elapsed() < Duration::from_secs(15),
        "{:?}",
        start.elapsed()
    );
    assert!(!d.join("build/synth/yosys.log").exists());
}

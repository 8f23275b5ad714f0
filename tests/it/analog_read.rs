//! `memforge analog --read`: the tile's own read patterns (one row, an
//! input vector, PWM codes read row by row), each compared with ngspice on
//! decks written from the same netlist, for grounded and floating
//! unselected rows, 0T1R and 1T1R. They need ngspice and FAIL without it.

use serde_json::Value;
use std::process::Command;

const ROWS: usize = 12;

/// Runs `memforge analog --compare-spice --json --read PATTERN` on a 12x12
/// tile with the given access and unselected rows; returns the JSON.
fn analog(access: &str, unselected: &str, pattern: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("t.toml");
    std::fs::write(
        &cfg,
        format!(
            "[design]\nname = \"t\"\n[tile]\nrows = {ROWS}\ncols = 10\ninput_encoding = \"pwm\"\ninput_bits = 4\n\
             [analog]\naccess = \"{access}\"\nunselected_rows = \"{unselected}\"\n"
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_memforge"))
        .args(["analog", cfg.to_str().unwrap(), "--compare-spice", "--json"])
        .args(["--read", pattern])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{access} {unselected} {pattern}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn currents(json: &Value, key: &str) -> Vec<f64> {
    json[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect()
}

/// memforge agrees with ngspice within the linear tolerance, and the
/// pattern is what was asked for.
fn agrees(json: &Value, pattern: &str) {
    let err = json["max_rel_error"].as_f64().unwrap();
    assert!(err <= 1e-6, "{pattern}: max rel error {err:e}");
    assert_eq!(json["read"]["pattern"], pattern, "{json}");
}

fn vector() -> String {
    // Mixed voltages, two rows unselected (0 V).
    (0..ROWS)
        .map(|i| match i % 4 {
            0 => "0".to_string(),
            k => format!("{}", 0.05 * k as f64),
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn one_row(access: &str, unselected: &str) {
    let row = analog(access, unselected, "row:5");
    agrees(&row, "row");
    // Only row 5 is driven: the ideal product is row 5's cells alone, so it
    // is far below the all-rows read.
    let all = analog(access, unselected, "all");
    agrees(&all, "all");
    let (r, a) = (
        currents(&row, "column_currents"),
        currents(&all, "column_currents"),
    );
    for j in 0..r.len() {
        assert!(
            r[j] > 0.0 && r[j] < 0.5 * a[j],
            "column {j}: {} vs {}",
            r[j],
            a[j]
        );
    }
}

fn input_vector(access: &str, unselected: &str) {
    let v = analog(access, unselected, &format!("vector:{}", vector()));
    agrees(&v, "vector");
    // Every row at the read voltage is the all-rows read, exactly.
    let same = analog(
        access,
        unselected,
        &format!("vector:{}", ["0.2"; ROWS].join(",")),
    );
    let all = analog(access, unselected, "all");
    assert_eq!(
        currents(&same, "column_currents"),
        currents(&all, "column_currents")
    );
}

fn pwm_codes(access: &str, unselected: &str) {
    let codes = "0,3,0,0,15,0,0,1,0,0,0,0";
    let p = analog(access, unselected, &format!("pwm:{codes}"));
    agrees(&p, "pwm");
    // Shift-add of row reads: code-weighted sum of the single-row reads.
    let mut want = vec![0.0; 10];
    for (row, code) in [(1, 3.0), (4, 15.0), (7, 1.0)] {
        let r = analog(access, unselected, &format!("row:{row}"));
        for (w, c) in want.iter_mut().zip(currents(&r, "column_currents")) {
            *w += code * c;
        }
    }
    for (g, w) in currents(&p, "column_currents").iter().zip(&want) {
        assert!((g - w).abs() <= 1e-12 * w.abs(), "{g:e} vs {w:e}");
    }
}

macro_rules! cases {
    ($($name:ident: $f:ident($access:literal, $unselected:literal);)*) => {
        $(#[test] fn $name() { $f($access, $unselected); })*
    };
}

cases! {
    row_read_0t1r_grounded: one_row("0t1r", "grounded");
    row_read_0t1r_floating: one_row("0t1r", "floating");
    row_read_1t1r_grounded: one_row("1t1r", "grounded");
    row_read_1t1r_floating: one_row("1t1r", "floating");
    vector_read_0t1r_grounded: input_vector("0t1r", "grounded");
    vector_read_0t1r_floating: input_vector("0t1r", "floating");
    vector_read_1t1r_grounded: input_vector("1t1r", "grounded");
    vector_read_1t1r_floating: input_vector("1t1r", "floating");
    pwm_read_0t1r_grounded: pwm_codes("0t1r", "grounded");
    pwm_read_0t1r_floating: pwm_codes("0t1r", "floating");
    pwm_read_1t1r_grounded: pwm_codes("1t1r", "grounded");
    pwm_read_1t1r_floating: pwm_codes("1t1r", "floating");
}

#[test]
fn bad_patterns_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("t.toml");
    std::fs::write(
        &cfg,
        "[design]\nname = \"t\"\n[tile]\nrows = 4\ncols = 4\n[analog]\ndevice = \"rram_sinh\"\n[analog.rram]\nv0 = 1e-3\n",
    )
    .unwrap();
    for (pattern, words) in [
        ("row:4", "rows 0..=3"),
        ("vector:0.2,0.2", "2 values for a tile of 4 rows"),
        ("vector:0.2,0.2,0.2,300", "within ±5 V"),
        ("vector:0.2,0.2,0.2,0.2,x", "is not a number"),
        (
            "vector:/nonexistent/v.txt",
            "/nonexistent/v.txt: cannot read",
        ),
        ("pwm:0,1,2,9", "must be an integer in 0..=1"),
        ("vector:0.2,0.2,0.2,4", "analog.rram.v0"),
        ("rows:1", "expected all, row:N"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_memforge"))
            .args(["analog", cfg.to_str().unwrap(), "--read", pattern])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{pattern}: {err}");
        assert!(err.contains(words), "{pattern}: {err}");
        assert!(!err.contains("panicked"), "{pattern}: {err}");
    }
}

#[test]
fn a_vector_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("t.toml");
    std::fs::write(&cfg, "[design]\nname = \"t\"\n[tile]\nrows = 4\ncols = 4\n").unwrap();
    let vec = dir.path().join("v.txt");
    std::fs::write(&vec, "0.2 0\n0.1, 0.05\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_memforge"))
        .args(["analog", cfg.to_str().unwrap(), "--json", "--read"])
        .arg(format!("vector:{}", vec.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["read"]["volts"],
        serde_json::json!([0.2, 0.0, 0.1, 0.05])
    );
}

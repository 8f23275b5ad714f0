//! Fuzzing (proptest) of everything memforge reads from outside: the design
//! config at and beyond the schema's boundaries, command lines, ngspice raw
//! files, and `.npy` / `.safetensors` weight files. The property is always
//! the same: a clear error or a result, never a panic, an abort or a hang.
//!
//! CI runs a bounded number of cases; a longer run (docs/getting-started.md):
//!
//! ```sh
//! MEMFORGE_FUZZ_CASES=100000 cargo test --release --test it fuzz_inputs::
//! ```

use crate::common;

use proptest::prelude::*;
use std::process::{Command, Stdio};

/// Cases per property: `MEMFORGE_FUZZ_CASES`, else `default` (CI).
fn cases(default: u32) -> u32 {
    std::env::var("MEMFORGE_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn config(default: u32) -> ProptestConfig {
    ProptestConfig {
        cases: cases(default),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---- ngspice raw files ---------------------------------------------------------

fn count() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u64..4).prop_map(|v| v.to_string()),
        any::<u64>().prop_map(|v| v.to_string()),
        Just("1000000000000000".to_string()),
        Just("18446744073709551615".to_string()),
        Just("-1".to_string()),
        Just("".to_string()),
    ]
}

fn raw_file() -> impl Strategy<Value = Vec<u8>> {
    let structured = (
        count(),
        count(),
        0usize..4,
        prop_oneof![Just("Binary"), Just("Values")],
        prop::collection::vec(any::<u8>(), 0..96),
        any::<bool>(),
    )
        .prop_map(|(nvars, npoints, listed, kind, data, newline)| {
            let mut h = format!(
                "Title: t\nPlotname: Operating Point\nFlags: real\nNo. Variables: {nvars}\nNo. Points: {npoints}\nVariables:\n"
            );
            for k in 0..listed {
                h.push_str(&format!("\t{k}\tv(n{k})\tvoltage\n"));
            }
            h.push_str(kind);
            h.push(':');
            if newline {
                h.push('\n');
            }
            let mut b = h.into_bytes();
            b.extend(data);
            b
        });
    prop_oneof![structured, prop::collection::vec(any::<u8>(), 0..256)]
}

proptest! {
    #![proptest_config(config(2000))]
    #[test]
    fn raw_reader_never_panics(bytes in raw_file(), cut in any::<prop::sample::Index>()) {
        let _ = memforge_sim::analog::spice::parse(&bytes);
        let end = cut.index(bytes.len() + 1);
        let _ = memforge_sim::analog::spice::parse(&bytes[..end]);
    }
}

// ---- .npy and .safetensors ---------------------------------------------------

fn npy(descr: &str, fortran: bool, shape: &str, data: &[u8]) -> Vec<u8> {
    let mut h = format!(
        "{{'descr': {descr}, 'fortran_order': {}, 'shape': {shape}, }}",
        if fortran { "True" } else { "False" }
    );
    while (10 + h.len() + 1) % 64 != 0 {
        h.push(' ');
    }
    h.push('\n');
    let mut b = b"\x93NUMPY\x01\x00".to_vec();
    b.extend((h.len() as u16).to_le_bytes());
    b.extend(h.as_bytes());
    b.extend(data);
    b
}

fn npy_file() -> impl Strategy<Value = Vec<u8>> {
    let descr = prop::sample::select(vec![
        "'<f8'",
        "'>f8'",
        "'<f4'",
        "'<f2'",
        "'<i8'",
        "'<i4'",
        "'>i2'",
        "'|i1'",
        "'|u1'",
        "'<u2'",
        "'<u4'",
        "'<u8'",
        "'|b1'",
        "'<c16'",
        "'|S3'",
        "'<U2'",
        "'|O'",
        "'<m8[s]'",
        "[('a', '<f4'), ('b', '<i4')]",
        "'<f16'",
        "'<i3'",
    ]);
    let dim = prop_oneof![
        (0u64..5).prop_map(|v| v.to_string()),
        any::<u64>().prop_map(|v| v.to_string()),
        Just("4294967296".to_string()),
    ];
    let shape = prop_oneof![
        (dim.clone(), dim.clone()).prop_map(|(a, b)| format!("({a}, {b})")),
        dim.clone().prop_map(|a| format!("({a},)")),
        Just("()".to_string()),
        (dim.clone(), dim.clone(), dim).prop_map(|(a, b, c)| format!("({a}, {b}, {c})")),
    ];
    let structured = (
        descr,
        any::<bool>(),
        shape,
        prop::collection::vec(any::<u8>(), 0..200),
    )
        .prop_map(|(d, f, s, data)| npy(d, f, &s, &data));
    prop_oneof![
        4 => structured,
        1 => prop::collection::vec(any::<u8>(), 0..200),
    ]
}

fn safetensors_file() -> impl Strategy<Value = Vec<u8>> {
    let dtype = prop::sample::select(vec![
        safetensors::Dtype::F64,
        safetensors::Dtype::F32,
        safetensors::Dtype::F16,
        safetensors::Dtype::BF16,
        safetensors::Dtype::I64,
        safetensors::Dtype::U16,
        safetensors::Dtype::U8,
        safetensors::Dtype::BOOL,
    ]);
    (
        dtype,
        0usize..5,
        0usize..5,
        prop::collection::vec(any::<u8>(), 0..256),
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
    )
        .prop_map(|(dtype, rows, cols, mut data, flips)| {
            let need = rows * cols * dtype.bitsize() / 8;
            data.resize(need, 0x3c);
            let view =
                safetensors::tensor::TensorView::new(dtype, vec![rows, cols], &data).unwrap();
            let mut bytes = safetensors::serialize([("w", view)], None).unwrap();
            for (at, b) in flips {
                let i = at.index(bytes.len());
                bytes[i] = b;
            }
            bytes
        })
}

proptest! {
    #![proptest_config(config(2000))]
    #[test]
    fn npy_loader_never_panics(bytes in npy_file(), cut in any::<prop::sample::Index>()) {
        if let Ok(m) = memforge_sim::weights::parse_npy(&bytes, "f.npy") {
            prop_assert_eq!(m.values.len(), m.rows * m.cols);
        }
        let end = cut.index(bytes.len() + 1);
        let _ = memforge_sim::weights::parse_npy(&bytes[..end], "f.npy");
    }

    #[test]
    fn safetensors_loader_never_panics(bytes in safetensors_file(), cut in any::<prop::sample::Index>()) {
        if let Ok(m) = memforge_sim::weights::parse_safetensors(&bytes, "f.safetensors", None) {
            prop_assert_eq!(m.values.len(), m.rows * m.cols);
        }
        let end = cut.index(bytes.len() + 1);
        let _ = memforge_sim::weights::parse_safetensors(&bytes[..end], "f.safetensors", Some("w"));
    }
}

// ---- the config schema at its boundaries ---------------------------------------

/// Values at, just inside and just outside every documented range, plus
/// the kinds TOML allows that a range check can miss (nan, inf, huge).
fn boundary_value() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "0",
        "1",
        "2",
        "3",
        "7",
        "8",
        "9",
        "12",
        "13",
        "16",
        "31",
        "32",
        "45",
        "46",
        "95",
        "96",
        "128",
        "255",
        "256",
        "257",
        "1000",
        "65535",
        "65536",
        "4294967295",
        "4294967296",
        "-1",
        "0.0",
        "0.5",
        "0.4999",
        "1e308",
        "-1e308",
        "1e-30",
        "nan",
        "inf",
        "-inf",
        "\"\"",
        "\"pwm\"",
        "\"spike\"",
        "\"sync\"",
        "\"async\"",
        "\"fpga\"",
        "\"asic\"",
        "\"vteam\"",
        "\"rram\"",
        "\"pcm\"",
        "\"linear\"",
        "true",
        "[0, 0, 1, 1]",
        "[1e308, 0, 1e308, 1]",
    ])
    .prop_map(str::to_string)
}

const FIELDS: &[&str] = &[
    "tile.rows",
    "tile.cols",
    "tile.input_encoding",
    "tile.input_bits",
    "tile.adc_bits",
    "tile.adc_share",
    "tile.in_fifo_depth",
    "tile.out_fifo_depth",
    "neuron.threshold",
    "neuron.leak",
    "neuron.refractory",
    "program.max_pulses",
    "program.tolerance",
    "program.pulse_width",
    "program.pulse_amplitude",
    "flow.clock_period_ns",
    "flow.io_delay_pct",
    "flow.clock_uncertainty_ns",
    "flow.core_util_pct",
    "flow.die_area_um",
    "design.target",
    "design.reset",
    "bus.base_address",
    "analog.device",
    "analog.read_voltage",
    "analog.g_min_us",
    "analog.g_max_us",
    "analog.levels",
];

fn design_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("p".to_string()),
        "[a-z][a-z0-9_]{0,8}",
        prop::sample::select(
            memforge_spec::reserved::VERILOG_2005
                .iter()
                .chain(memforge_spec::reserved::SYSTEMVERILOG)
                .chain(memforge_spec::reserved::CPP)
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
        ),
        "[_A-Z0-9][a-z_]{0,3}",
        Just("a".repeat(41)),
    ]
}

proptest! {
    #![proptest_config(config(200))]
    /// Every mix of boundary values either is refused with a one-line-per-
    /// problem error, or validates and generates; a valid name is never a
    /// reserved word.
    #[test]
    fn config_boundaries_generate_or_are_refused(
        name in design_name(),
        picks in prop::collection::vec((0..FIELDS.len(), boundary_value()), 0..6),
    ) {
        let mut sections: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
        sections.entry("design").or_default().push(format!("name = \"{name}\""));
        for (i, v) in &picks {
            let (section, key) = FIELDS[*i].split_once('.').unwrap();
            let entries = sections.entry(section).or_default();
            if !entries.iter().any(|e| e.starts_with(&format!("{key} ="))) {
                entries.push(format!("{key} = {v}"));
            }
        }
        let toml: String = sections
            .iter()
            .map(|(s, e)| format!("[{s}]\n{}\n", e.join("\n")))
            .collect();
        match memforge_spec::parse_str(&toml, "p.toml") {
            Ok(cfg) => {
                prop_assert!(memforge_spec::reserved::reserved_by(&cfg.design.name).is_none());
                let big = cfg.tile.rows * cfg.tile.cols > 64 * 64;
                if !big || cases(200) <= 200 {
                    let generated = std::panic::catch_unwind(|| {
                        memforge::cmd::generate::generate_files(&cfg).is_ok()
                    });
                    prop_assert!(matches!(generated, Ok(true)), "valid config failed to generate:\n{toml}");
                }
            }
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(!msg.is_empty());
                prop_assert!(msg.lines().all(|l| l.len() < 400), "long line: {msg}");
            }
        }
    }
}

// ---- command lines ---------------------------------------------------------------

fn arg() -> impl Strategy<Value = String> {
    let ex = |f: &str| {
        common::root()
            .join("examples")
            .join(f)
            .display()
            .to_string()
    };
    prop::sample::select(vec![
        "generate".to_string(),
        "lint".into(),
        "regmap".into(),
        "analog".into(),
        "fpga".into(),
        "synth".into(),
        "flow".into(),
        "openlane".into(),
        "cosim".into(),
        "--out".into(),
        "--json".into(),
        "--transient".into(),
        "--spice-timeout".into(),
        "--weights".into(),
        "--tensor".into(),
        "--cycles".into(),
        "--liberty".into(),
        "0".into(),
        "18446744073709551615".into(),
        "-1".into(),
        "".into(),
        ".".into(),
        "/".into(),
        "/dev/null".into(),
        "/dev/zero".into(),
        "/nonexistent".into(),
        ex("tile-8x8.toml"),
        ex("analog-vteam-4x4.toml"),
        ex("weights-8x8.npy"),
        "OUT".into(),
        "OUT/sub".into(),
    ])
}

proptest! {
    #![proptest_config(config(48))]
    /// Any command line made of memforge's own words, run as a process:
    /// exit 0, 1 or 2 with a message, never a panic (101) or a signal.
    #[test]
    fn command_lines_never_panic(
        command in prop::sample::select(vec![
            "generate", "lint", "regmap", "analog", "fpga", "synth", "flow", "cosim", "demo",
            "doctor", "bench", "--json",
        ]),
        rest in prop::collection::vec(arg(), 0..6),
    ) {
        let args: Vec<String> = std::iter::once(command.to_string()).chain(rest).collect();
        // Commands that would run long real work (synthesis, co-simulation,
        // a large ngspice run) on a valid design are left to their own tests.
        let heavy = ["cosim", "synth", "fpga", "flow", "demo", "bench"];
        let uses_design = args.iter().any(|a| a == "OUT" || a.ends_with(".toml"));
        prop_assume!(!(heavy.iter().any(|h| args.contains(&h.to_string())) && uses_design));
        let tmp = tempfile::tempdir().unwrap();
        let args: Vec<String> = args
            .iter()
            .map(|a| a.replace("OUT", &tmp.path().join("out").display().to_string()))
            .collect();
        let out = Command::new(env!("CARGO_BIN_EXE_memforge"))
            .args(&args)
            .current_dir(tmp.path())
            .env("MEMFORGE_TOOL_TIMEOUT", "60")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        prop_assert!(matches!(out.status.code(), Some(0..=2)), "{args:?}: {:?}\n{stderr}", out.status);
        prop_assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

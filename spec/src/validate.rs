//! Semantic checks of a parsed design. Collects every problem rather than
//! stopping at the first, so a user fixes a file in one pass.

use crate::config::{DesignConfig, FlowSection, InputEncoding, XbarMacro};
use crate::error::{show_f64, Problem, Shown};
use crate::regmap::RegisterMap;

struct Checker<'a> {
    problems: &'a mut Vec<Problem>,
}

impl Checker<'_> {
    fn range(&mut self, path: &str, value: u64, lo: u64, hi: u64) {
        if value < lo || value > hi {
            self.fail(path, value, format!("must be {lo}..={hi}"));
        }
    }
    fn fail(&mut self, path: &str, value: impl Shown, rule: impl Into<String>) {
        self.problems.push(Problem {
            path: path.to_string(),
            value: value.shown(),
            rule: rule.into(),
        });
    }
}

/// The problems of a `[design]` section on its own (its name), for block
/// families whose configs share the section.
pub fn validate_design_section(design: &crate::config::DesignSection) -> Vec<Problem> {
    let mut problems = Vec::new();
    check_name(
        &mut Checker {
            problems: &mut problems,
        },
        &design.name,
    );
    problems
}

/// The problems of a `[flow]` section on its own.
pub fn validate_flow_section(flow: &crate::config::FlowSection) -> Vec<Problem> {
    let mut problems = Vec::new();
    check_flow(
        &mut Checker {
            problems: &mut problems,
        },
        flow,
    );
    problems
}

/// `path = value` must be in `lo..=hi` (for block families' own checks).
pub fn check_range(problems: &mut Vec<Problem>, path: &str, value: u64, lo: u64, hi: u64) {
    Checker { problems }.range(path, value, lo, hi);
}

/// Every problem of `cfg`; empty when the design is valid.
pub fn validate(cfg: &DesignConfig) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut c = Checker {
        problems: &mut problems,
    };
    check_name(&mut c, &cfg.design.name);

    let t = &cfg.tile;
    c.range("tile.rows", t.rows.into(), 1, 256);
    c.range("tile.cols", t.cols.into(), 1, 256);
    match t.input_encoding {
        InputEncoding::Spike if t.input_bits != 1 => c.fail(
            "tile.input_bits",
            t.input_bits,
            "must be 1 when input_encoding = \"spike\"",
        ),
        InputEncoding::Pwm => c.range("tile.input_bits", t.input_bits.into(), 2, 8),
        _ => {}
    }
    c.range("tile.adc_bits", t.adc_bits.into(), 1, 12);
    c.range(
        "tile.adc_share",
        t.adc_share.into(),
        1,
        t.cols.clamp(1, 256).into(),
    );
    for (path, depth) in [
        ("tile.in_fifo_depth", t.in_fifo_depth),
        ("tile.out_fifo_depth", t.out_fifo_depth),
    ] {
        if !(2..=256).contains(&depth) || !depth.is_power_of_two() {
            c.fail(path, depth, "must be a power of two in 2..=256");
        }
    }

    let n = &cfg.neuron;
    c.range("neuron.threshold", n.threshold.into(), 1, 65535);
    c.range("neuron.leak", n.leak.into(), 0, 65535);
    c.range("neuron.refractory", n.refractory.into(), 0, 255);

    let p = &cfg.program;
    c.range("program.max_pulses", p.max_pulses.into(), 1, 255);
    let max_code = (1u64 << t.adc_bits.clamp(1, 12)) - 1;
    c.range("program.tolerance", p.tolerance.into(), 0, max_code);
    c.range("program.pulse_width", p.pulse_width.into(), 1, 255);
    c.range("program.pulse_amplitude", p.pulse_amplitude.into(), 0, 255);

    check_flow(&mut c, &cfg.flow);
    crate::analog::validate_analog(&cfg.analog, c.problems);
    crate::learning::validate_learning(cfg, c.problems);
    // The pad map is resolved against the tile's port contract, which needs
    // a valid tile (its widths come from the geometry).
    crate::seed::tile::validate_kind(cfg, c.problems);
    if c.problems.is_empty() && cfg.neuron.kind.is_lif() {
        crate::caravel::validate_caravel(cfg, c.problems);
    }

    if problems.is_empty() {
        let map = if cfg.neuron.kind.is_lif() {
            RegisterMap::for_design(cfg)
        } else {
            crate::seed::tile::register_map(cfg)
        };
        let window = map.window_bytes();
        if !cfg.bus.base_address.is_multiple_of(window) {
            problems.push(Problem {
                path: "bus.base_address".into(),
                value: format!("0x{:08x}", cfg.bus.base_address),
                rule: format!("must be aligned to the register window (0x{window:x} bytes)"),
            });
        }
    }
    problems
}

/// Flow intent: numbers the SDC and the OpenLane configs are written from.
fn check_flow(c: &mut Checker, f: &FlowSection) {
    let mut real = |path: &str, v: f64, lo: f64, hi: f64, unit: &str| {
        if !(v.is_finite() && v >= lo && v <= hi) {
            let (lo, hi) = (show_f64(lo), show_f64(hi));
            c.fail(path, v, format!("must be {lo}..={hi} ({unit})"));
        }
    };
    real("flow.clock_period_ns", f.clock_period_ns, 0.5, 1000.0, "ns");
    // Inputs and outputs each take this share, so 50 % leaves nothing for the tile.
    real(
        "flow.io_delay_pct",
        f.io_delay_pct,
        0.0,
        45.0,
        "% of the clock period",
    );
    real(
        "flow.input_transition_ns",
        f.input_transition_ns,
        0.0,
        5.0,
        "ns",
    );
    real("flow.output_load_ff", f.output_load_ff, 0.0, 1000.0, "fF");
    real(
        "flow.clock_uncertainty_ns",
        f.clock_uncertainty_ns,
        0.0,
        f.clock_period_ns / 2.0,
        "ns, at most half the period",
    );
    real("flow.core_util_pct", f.core_util_pct, 1.0, 95.0, "%");
    if let Some([x0, y0, x1, y1]) = f.die_area_um {
        let finite = [x0, y0, x1, y1].iter().all(|v| v.is_finite() && *v >= 0.0);
        if !finite || x1 <= x0 || y1 <= y0 {
            c.fail(
                "flow.die_area_um",
                format!(
                    "[{}, {}, {}, {}]",
                    show_f64(x0),
                    show_f64(y0),
                    show_f64(x1),
                    show_f64(y1)
                ),
                "must be [x0, y0, x1, y1] with 0 <= x0 < x1 and 0 <= y0 < y1 (µm)",
            );
        }
    }
    if let Some(m) = &f.xbar_macro {
        check_macro(c, m);
    }
}

fn check_macro(c: &mut Checker, m: &XbarMacro) {
    let ident = |s: &str| {
        !s.is_empty()
            && s.chars().enumerate().all(|(i, ch)| {
                ch == '_' || ch.is_ascii_alphabetic() || (i > 0 && ch.is_ascii_digit())
            })
    };
    if !ident(&m.module) {
        c.fail(
            "flow.xbar_macro.module",
            format!("{:?}", m.module),
            "must be a Verilog identifier",
        );
    }
    for (path, file) in [
        ("flow.xbar_macro.lef", &m.lef),
        ("flow.xbar_macro.gds", &m.gds),
    ] {
        if file.trim().is_empty() {
            c.fail(
                path,
                format!("{file:?}"),
                "must name the file the macro's hardener supplies",
            );
        }
    }
    match (&m.instance, m.location_um) {
        (Some(name), Some(_)) if !ident(name) => c.fail(
            "flow.xbar_macro.instance",
            format!("{name:?}"),
            "must be a Verilog identifier",
        ),
        (Some(_), None) | (None, Some(_)) => c.fail(
            "flow.xbar_macro.location_um",
            format!("{:?}", m.location_um),
            "instance and location_um must be given together",
        ),
        _ => {}
    }
    if !["N", "S", "FN", "FS"].contains(&m.orientation.as_str()) {
        c.fail(
            "flow.xbar_macro.orientation",
            format!("{:?}", m.orientation),
            "must be N, S, FN or FS",
        );
    }
}

fn check_name(c: &mut Checker, name: &str) {
    let valid_chars = name
        .chars()
        .enumerate()
        .all(|(i, ch)| ch.is_ascii_lowercase() || (i > 0 && (ch == '_' || ch.is_ascii_digit())));
    let shown = format!("{name:?}");
    if name.is_empty() || name.len() > 40 || !valid_chars {
        c.fail(
            "design.name",
            shown,
            "must be 1..=40 characters of a-z, 0-9 and _, starting with a letter",
        );
    } else if name.contains("__") || name.ends_with('_') {
        c.fail(
            "design.name",
            shown,
            "must not contain \"__\" or end with \"_\" (reserved for generated names)",
        );
    } else if let Some(what) = crate::reserved::reserved_by(name) {
        c.fail("design.name", shown, format!("must not be {what}"));
    }
}

#[cfg(test)]
mod tests {
    use crate::parse_str;

    fn problems_of(toml: &str) -> Vec<String> {
        match parse_str(toml, "t") {
            Ok(_) => vec![],
            Err(e) => e.problems().iter().map(|p| p.path.clone()).collect(),
        }
    }

    #[test]
    fn reports_every_problem_at_once() {
        let p = problems_of(
            "[design]\nname = \"9x\"\n[tile]\nrows = 0\ncols = 999\nadc_bits = 0\nin_fifo_depth = 3\n",
        );
        for field in [
            "design.name",
            "tile.rows",
            "tile.cols",
            "tile.adc_bits",
            "tile.in_fifo_depth",
        ] {
            assert!(p.contains(&field.to_string()), "{field} missing from {p:?}");
        }
    }

    #[test]
    fn names_are_checked() {
        assert!(problems_of("[design]\nname = \"module\"\n").contains(&"design.name".into()));
        assert!(problems_of("[design]\nname = \"a__b\"\n").contains(&"design.name".into()));
        assert!(problems_of("[design]\nname = \"Tile\"\n").contains(&"design.name".into()));
        assert!(problems_of("[design]\nname = \"tile_8x8\"\n").is_empty());
    }

    #[test]
    fn reserved_words_of_every_downstream_tool_are_refused() {
        // Each of these generated RTL that failed Verilator or Icarus.
        for word in [
            "event",
            "table",
            "config",
            "specparam",
            "program",
            "assert",
            "static",
            "union",
            "bool",
            "uwire",
            "always_ff",
            "chandle",
            "nullptr",
            "namespace",
            "errno",
            "top",
        ] {
            let p = problems_of(&format!("[design]\nname = \"{word}\"\n"));
            assert_eq!(p, vec!["design.name".to_string()], "{word}");
        }
        for words in [
            crate::reserved::VERILOG_2005,
            crate::reserved::SYSTEMVERILOG,
            crate::reserved::CPP,
        ] {
            for word in words {
                let p = problems_of(&format!("[design]\nname = \"{word}\"\n"));
                assert_eq!(p, vec!["design.name".to_string()], "{word}");
            }
        }
        // C++ reserves names that start with an underscore.
        assert!(!problems_of("[design]\nname = \"_tile\"\n").is_empty());
    }

    #[test]
    fn spike_inputs_are_one_bit() {
        let p = problems_of("[design]\nname = \"t\"\n[tile]\ninput_bits = 4\n");
        assert_eq!(p, vec!["tile.input_bits".to_string()]);
        let ok = problems_of(
            "[design]\nname = \"t\"\n[tile]\ninput_encoding = \"pwm\"\ninput_bits = 4\n",
        );
        assert!(ok.is_empty());
    }

    #[test]
    fn flow_intent_is_checked() {
        let p = problems_of(
            "[design]\nname = \"t\"\n[flow]\nio_delay_pct = 60\ncore_util_pct = 0\ndie_area_um = [0, 0, 0, 10]\n",
        );
        assert_eq!(
            p,
            vec![
                "flow.io_delay_pct",
                "flow.core_util_pct",
                "flow.die_area_um"
            ]
        );
        let ok = problems_of("[design]\nname = \"t\"\n[flow]\nclock_period_ns = 20\ndie_area_um = [0, 0, 200, 150]\n");
        assert!(ok.is_empty(), "{ok:?}");
    }

    #[test]
    fn macro_instance_needs_a_location() {
        let base = "[design]\nname = \"t\"\n[flow.xbar_macro]\nmodule = \"xbar\"\nlef = \"m.lef\"\ngds = \"m.gds\"\n";
        assert!(problems_of(base).is_empty());
        let p = problems_of(&format!("{base}instance = \"u_xbar\"\n"));
        assert_eq!(p, vec!["flow.xbar_macro.location_um".to_string()]);
        let p = problems_of(&format!("{base}orientation = \"E\"\n"));
        assert_eq!(p, vec!["flow.xbar_macro.orientation".to_string()]);
    }

    #[test]
    fn huge_and_tiny_floats_print_short() {
        let err = crate::parse_str(
            "[design]\nname = \"t\"\n[flow]\nclock_period_ns = 1e308\noutput_load_ff = -1e-30\n",
            "x.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("flow.clock_period_ns = 1e308: must be 0.5..=1000"),
            "{err}"
        );
        assert!(err.contains("flow.output_load_ff = -1e-30:"), "{err}");
        assert!(err.len() < 400, "{err}");
    }

    #[test]
    fn base_address_must_be_window_aligned() {
        let p = problems_of("[design]\nname = \"t\"\n[bus]\nbase_address = 0x30000004\n");
        assert_eq!(p, vec!["bus.base_address".to_string()]);
    }
}

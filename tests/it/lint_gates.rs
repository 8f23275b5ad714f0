//! Every module emitted for every example passes Verilator -Wall with zero
//! warnings, Icarus Verilog -g2005 and Yosys `check -assert`. A missing tool
//! fails these tests: it is never a skip.

use crate::common;

use memforge::cmd::generate::generate_files;
use memforge::lint::{lint_all, DesignDir};
use memforge_hdl::emit::write_design;

fn lint_config(cfg: &memforge_spec::DesignConfig) {
    let (_, files) = generate_files(cfg).unwrap();
    lint_files(&cfg.design.name, &files);
}

fn lint_files(name: &str, files: &[(String, String)]) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join(name);
    write_design(&out, files).unwrap();
    let design = DesignDir::open(&out).unwrap();
    for result in lint_all(&design).expect("lint tools must be installed (./dev setup)") {
        assert!(
            result.passed,
            "{} on {} (top {}):\n{}",
            result.tool,
            name,
            result.top,
            result.messages.join("\n")
        );
    }
}

/// Every other example of every block family, through the registry
/// (`half` 0 or 1: two tests, so that the test threads share them out).
fn lint_examples(half: usize) {
    for path in common::examples().into_iter().skip(half).step_by(2) {
        let design = memforge::blocks::load(&path, None).unwrap();
        let (_, files) = memforge::blocks::generate_files(design.as_ref()).unwrap();
        lint_files(&design.top(), &files);
    }
}

#[test]
fn examples_pass_all_lint_gates_even() {
    lint_examples(0);
}

#[test]
fn examples_pass_all_lint_gates_odd() {
    lint_examples(1);
}

#[test]
fn fpga_target_and_sync_reset_pass_lint_gates() {
    let mut cfg = memforge_spec::load_file(&common::root().join("examples/tile-8x8.toml")).unwrap();
    cfg.design.target = memforge_spec::Target::Fpga;
    cfg.design.reset = memforge_spec::ResetStyle::Sync;
    cfg.design.name = "fpga_tile".into();
    lint_config(&cfg);
}

/// A config at the edges of what the validator accepts.
fn edge(
    rows: u32,
    cols: u32,
    share: u32,
    adc_bits: u32,
    pwm_bits: Option<u32>,
) -> memforge_spec::DesignConfig {
    let mut cfg = memforge_spec::parse_str("[design]\nname = \"corner\"\n", "corner").unwrap();
    cfg.tile.rows = rows;
    cfg.tile.cols = cols;
    cfg.tile.adc_share = share;
    cfg.tile.adc_bits = adc_bits;
    cfg.program.tolerance = cfg.program.tolerance.min((1 << adc_bits) - 1);
    if let Some(bits) = pwm_bits {
        cfg.tile.input_encoding = memforge_spec::InputEncoding::Pwm;
        cfg.tile.input_bits = bits;
    }
    assert!(
        memforge_spec::validate::validate(&cfg).is_empty(),
        "{rows}x{cols}"
    );
    cfg
}

#[test]
fn the_largest_tile_passes_all_lint_gates() {
    // rows = cols = 256 (the documented maximum) used to fail Verilator
    // CMPCONST in the programmer and AER-in blocks.
    lint_config(&edge(256, 256, 256, 12, Some(8)));
}

// The edges are three tests so that the test threads share them out.
#[test]
fn the_thin_edges_of_the_config_space_pass_all_lint_gates() {
    for cfg in [
        edge(1, 1, 1, 1, None),
        edge(2, 2, 2, 1, Some(2)),
        edge(256, 1, 1, 12, None),
        edge(1, 256, 256, 1, Some(8)),
    ] {
        lint_config(&cfg);
    }
}

#[test]
fn the_wide_edges_of_the_config_space_pass_all_lint_gates() {
    for cfg in [
        edge(255, 255, 255, 12, Some(8)),
        edge(256, 255, 5, 12, None),
    ] {
        lint_config(&cfg);
    }
}

#[test]
fn the_deepest_fifo_on_the_largest_tile_passes_all_lint_gates() {
    let mut deep = edge(256, 256, 1, 12, None);
    deep.tile.in_fifo_depth = 256;
    deep.tile.out_fifo_depth = 2;
    deep.design.reset = memforge_spec::ResetStyle::Sync;
    lint_config(&deep);
}

mod config_space {
    use super::*;
    use proptest::prelude::*;

    fn valid_config() -> impl Strategy<Value = memforge_spec::DesignConfig> {
        // Boundaries (1, 2, 255, 256) as often as the rest of the range.
        let dim = || prop_oneof![Just(1u32), Just(2), Just(255), Just(256), 1u32..=256];
        (
            dim(),
            dim(),
            any::<bool>(),
            prop_oneof![Just(12u32), 1u32..=12],
            any::<bool>(),
            prop_oneof![Just(8u32), 1u32..=8],
            0u32..6,
        )
            .prop_flat_map(|(rows, cols, pwm, adc_bits, sync, input_bits, fifo)| {
                (
                    Just((rows, cols, pwm, adc_bits, sync, input_bits, fifo)),
                    prop_oneof![Just(cols), Just(1u32), 1u32..=cols],
                )
            })
            .prop_map(
                |((rows, cols, pwm, adc_bits, sync, input_bits, fifo), share)| {
                    let mut cfg =
                        memforge_spec::parse_str("[design]\nname = \"prop\"\n", "prop").unwrap();
                    cfg.tile.rows = rows;
                    cfg.tile.cols = cols;
                    cfg.tile.adc_bits = adc_bits;
                    cfg.tile.adc_share = share;
                    cfg.tile.in_fifo_depth = 2 << fifo;
                    cfg.tile.out_fifo_depth = 2 << (5 - fifo);
                    if pwm {
                        cfg.tile.input_encoding = memforge_spec::InputEncoding::Pwm;
                        cfg.tile.input_bits = input_bits.max(2);
                    }
                    cfg.program.tolerance = cfg.program.tolerance.min((1 << adc_bits) - 1);
                    if sync {
                        cfg.design.reset = memforge_spec::ResetStyle::Sync;
                    }
                    // Clock gating on every other FIFO split (its own bool
                    // would need a ninth tuple member for nothing).
                    cfg.flow.clock_gating = fifo % 2 == 1;
                    cfg
                },
            )
    }

    proptest! {
        // Each case runs three external linters; a handful covers the space
        // without slowing CI (shapes, encodings, reset styles, clock gating
        // vary together).
        #![proptest_config(ProptestConfig { cases: 6, failure_persistence: None, ..ProptestConfig::default() })]
        #[test]
        fn every_valid_config_emits_lint_clean_verilog(cfg in valid_config()) {
            prop_assert!(memforge_spec::validate::validate(&cfg).is_empty());
            lint_config(&cfg);
        }
    }
}

/// The event-driven gate refuses the patterns that livelocked Icarus: a
/// signal assigned twice in one `always @(*)` evaluation and read by another
/// process, and a clock or reset forwarded through an `always` block. The
/// fixture is the input block memforge emitted before the fix (verbatim).
#[test]
fn event_driven_gate_refuses_double_assignment_and_always_clocks() {
    let old = include_str!("fixtures/event_hazards_aer_in.v");
    let found = memforge::lint::event_driven_source(old);
    for signal in ["fifo__push", "count__d", "fifo__clock", "fifo__rst_n"] {
        assert!(
            found.iter().any(|m| m.contains(&format!("`{signal}`"))),
            "{signal} not flagged: {found:#?}"
        );
    }
    let hand_written = "module bad(clk, a, y);
    input wire clk;
    input wire a;
    output reg y;
    always @(*) begin
        y = 1'b0;
        if (a) y = 1'b1;
    end
endmodule
";
    let found = memforge::lint::event_driven_source(hand_written);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("`y`") && found[0].contains("assigned 2 times"));
    let fixed = "module good(clk, a, y);
    input wire clk;
    input wire a;
    output reg y;
    reg y_c;
    always @(*) begin
        y_c = 1'b0;
        if (a) y_c = 1'b1;
        y = y_c;
    end
endmodule
";
    assert_eq!(
        memforge::lint::event_driven_source(fixed),
        Vec::<String>::new()
    );
}

/// Issue 10, item 3: the reset synchroniser's inputs (`~arst`, the constant
/// 1 shifted in) are continuous assignments, not an `always @(*)` that an
/// event-driven simulator only runs when `wb_rst_i` changes (leaving
/// `rst_n` at x through a power-on reset); and no clock or reset of any
/// module is assigned in an `always` block.
#[test]
fn reset_synchroniser_and_clocks_are_wires() {
    for reset in [
        memforge_spec::ResetStyle::Sync,
        memforge_spec::ResetStyle::Async,
    ] {
        let mut cfg =
            memforge_spec::load_file(&common::root().join("examples/tile-8x8.toml")).unwrap();
        cfg.design.reset = reset;
        let (_, files) = generate_files(&cfg).unwrap();
        let rst = files
            .iter()
            .find(|(path, _)| path.ends_with("_rst.v"))
            .map(|(_, text)| text.as_str())
            .unwrap();
        assert!(!rst.contains("always @(*)"), "{rst}");
        for line in [
            "assign s1__rst_n = ~arst;",
            "assign s1__d = 1'b1;",
            "assign rst_n = s2__q;",
        ] {
            assert!(rst.contains(line), "{line} missing:\n{rst}");
        }
        for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".v")) {
            let in_block = text
                .lines()
                .filter(|l| l.contains("__clock = ") && !l.trim_start().starts_with("assign "))
                .count();
            assert_eq!(in_block, 0, "{path} forwards a clock in a block");
            let hazards = memforge::lint::event_driven_source(text);
            assert!(hazards.is_empty(), "{path}: {hazards:#?}");
        }
    }
}

//! The analog crossbar macro's boundary: a blackbox stub `<design>_xbar`
//! (ports only, for flows that place the hard macro next to the periphery)
//! and a behavioral Verilog model of it with ideal conductances, for users
//! who simulate the periphery with a macro (not in the synthesized
//! filelist). Both are written from the same config as the periphery, so
//! their ports always match its `xbar_*` ports.
//!
//! Macro contract (see `docs/tile.md`): a command is on `xbar_op` for one
//! cycle; READ (1) of row `xbar_row` converts, on every ADC `a`, column
//! `a * adc_share + xbar_sel` and presents the codes with `adc_valid` one
//! cycle later; SET (2) / RESET (3) pulse cell (`xbar_row`, `xbar_col`)
//! with `xbar_amp`/`xbar_width`. The ideal model moves a cell's level by
//! one ADC code per pulse, like `memforge_sim::tile::IdealXbar`.

use memforge_spec::{Derived, DesignConfig};

/// Relative path of the blackbox stub in a design directory.
pub fn stub_path(design: &str) -> String {
    format!("macro/{design}_xbar.v")
}

/// Relative path of the behavioral model in a design directory.
pub fn model_path(design: &str) -> String {
    format!("sim/{design}_xbar_model.v")
}

fn port_list(cfg: &DesignConfig) -> (Vec<String>, Vec<String>) {
    let adcs = Derived::of(cfg).adc_count;
    let mut names: Vec<String> = [
        "clk",
        "rst_n",
        "xbar_op",
        "xbar_row",
        "xbar_col",
        "xbar_sel",
        "xbar_amp",
        "xbar_width",
        "xbar_adc_valid",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut decls = vec![
        "    input  wire        clk;".to_string(),
        "    input  wire        rst_n;".to_string(),
        "    input  wire [1:0]  xbar_op;".to_string(),
        "    input  wire [7:0]  xbar_row;".to_string(),
        "    input  wire [7:0]  xbar_col;".to_string(),
        "    input  wire [7:0]  xbar_sel;".to_string(),
        "    /* verilator lint_off UNUSEDSIGNAL */ // the ideal model ignores amplitude and width"
            .to_string(),
        "    input  wire [7:0]  xbar_amp;".to_string(),
        "    input  wire [7:0]  xbar_width;".to_string(),
        "    /* verilator lint_on UNUSEDSIGNAL */".to_string(),
        "    output reg         xbar_adc_valid;".to_string(),
    ];
    for a in 0..adcs {
        names.push(format!("xbar_adc_code__{a}"));
        decls.push(format!("    output reg  [11:0] xbar_adc_code__{a};"));
    }
    (names, decls)
}

/// Rows behind the macro port: the weight rows, and with `[learning] rule
/// = "pcm_trace"` as many trace rows after them (trace of (r, c) at
/// (rows + r, c), `memforge_spec::learning_pcm_trace`).
pub fn macro_rows(cfg: &DesignConfig) -> u32 {
    if cfg.learning.rule == memforge_spec::learning::LearningRule::PcmTrace {
        2 * cfg.tile.rows
    } else {
        cfg.tile.rows
    }
}

/// The blackbox stub: ports only.
pub fn stub(cfg: &DesignConfig) -> String {
    let d = &cfg.design.name;
    let t = &cfg.tile;
    let (names, decls) = port_list(cfg);
    format!(
        "// Analog {r}x{c} crossbar macro of design `{d}`: a hard macro memforge does\n// not generate. Ports only; the periphery `{d}` drives it through its\n// xbar_* ports. ADC codes are {b} bits, zero-extended to 12.\n// A blackbox has no body: its inputs are unread and its outputs undriven\n// by definition, which Verilator -Wall is told for this module only (the\n// Caravel wrapper lints with it).\n(* blackbox *)\nmodule {d}_xbar({ports});\n    /* verilator lint_off UNUSEDSIGNAL */\n    /* verilator lint_off UNDRIVEN */\n{decls}\n    /* verilator lint_on UNDRIVEN */\n    /* verilator lint_on UNUSEDSIGNAL */\nendmodule // {d}_xbar\n",
        r = macro_rows(cfg),
        c = t.cols,
        b = t.adc_bits,
        ports = names.join(", "),
        decls = decls
            .iter()
            .filter(|l| !l.contains("lint_"))
            .map(|l| l.replace("output reg ", "output wire"))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// Behavioral model with ideal conductance levels (simulation only).
pub fn behavioral_model(cfg: &DesignConfig) -> String {
    let d = &cfg.design.name;
    let t = &cfg.tile;
    let der = Derived::of(cfg);
    let (names, decls) = port_list(cfg);
    let mut reads = String::new();
    for a in 0..der.adc_count {
        let base = a * t.adc_share;
        reads.push_str(&format!(
            "            if (xbar_sel < {k} && {base} + xbar_sel < {c} && xbar_row < {r})\n                xbar_adc_code__{a} <= {{{pad}'d0, level[xbar_row * {c} + {base} + xbar_sel]}};\n            else\n                xbar_adc_code__{a} <= 12'd0;\n",
            k = t.adc_share,
            c = t.cols,
            r = macro_rows(cfg),
            pad = 12 - t.adc_bits,
        ));
    }
    let clears: String = (0..der.adc_count)
        .map(|a| format!("        xbar_adc_code__{a} <= 12'd0;\n"))
        .collect();
    format!(
        "// Behavioral model of the {r}x{c} crossbar macro of design `{d}`, for\n// simulation only (not synthesizable intent, not in the filelist). Ideal\n// conductances: one level per cell in ADC codes (0..{max}), read back\n// exactly; a SET pulse raises a level by one code, a RESET pulse lowers\n// it by one (amplitude and width are ignored). READ results appear one\n// cycle after the command, with xbar_adc_valid high for one cycle.\n// Matches memforge_sim::tile::IdealXbar with latency 1.\nmodule {d}_xbar_model({ports});\n{decls}\n    reg [{msb}:0] level [0:{cells}];\n    // Cells start at level 0 (a simulation model: an initial block is fine;\n    // the levels are device state, which a reset does not erase).\n    integer i;\n    initial for (i = 0; i <= {cells}; i = i + 1) level[i] = {bits}'d0;\n    always @(posedge clk or negedge rst_n) begin\n        if (!rst_n) begin\n            xbar_adc_valid <= 1'b0;\n{clears}        end else begin\n            xbar_adc_valid <= (xbar_op == 2'd1);\n            if (xbar_op == 2'd1) begin\n{reads}            end\n            if (xbar_op == 2'd2 && xbar_row < {r} && xbar_col < {c} && level[xbar_row * {c} + xbar_col] != {bits}'d{max})\n                level[xbar_row * {c} + xbar_col] <= level[xbar_row * {c} + xbar_col] + {bits}'d1;\n            if (xbar_op == 2'd3 && xbar_row < {r} && xbar_col < {c} && level[xbar_row * {c} + xbar_col] != {bits}'d0)\n                level[xbar_row * {c} + xbar_col] <= level[xbar_row * {c} + xbar_col] - {bits}'d1;\n        end\n    end\nendmodule // {d}_xbar_model\n",
        r = macro_rows(cfg),
        c = t.cols,
        max = der.adc_max,
        msb = t.adc_bits - 1,
        bits = t.adc_bits,
        cells = macro_rows(cfg) * t.cols - 1,
        ports = names.join(", "),
        decls = decls.join("\n"),
    )
}

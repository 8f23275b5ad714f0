//! `memforge demo`: the main job on the built-in example, step by step.
//!
//! Each step prints what it did and what it found, so a newcomer sees the
//! whole flow: config -> RTL -> lint gates -> register map -> weights
//! programmed through the register file -> spikes in and out, co-simulated
//! RTL against the golden model (see [`inference`]).

pub(crate) mod inference;
mod predict;
mod train;
mod variability;

use crate::cmd::generate::generate_files;
use crate::lint::{lint_all, DesignDir};
use crate::outcome::{CheckFailed, Report};
use anyhow::{Context, Result};
use memforge_hdl::emit::write_design;
use serde_json::json;
use std::path::PathBuf;
use std::time::Instant;

/// The built-in example: the small 8x8 tile of examples/tile-8x8.toml.
pub const BUILTIN_EXAMPLE: &str = include_str!("../../examples/tile-8x8.toml");

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where the demo writes the generated design.
    #[arg(long, default_value = "target/memforge-demo")]
    pub out: PathBuf,
    /// Trained weights to program instead of the built-in example: a 2-D
    /// `.npy` or `.safetensors` array (rows = inputs, columns = neurons, at
    /// most the tile's 8x8; any float, integer or bool dtype).
    #[arg(long, value_name = "FILE")]
    pub weights: Option<PathBuf>,
    /// The tensor to use from a `.safetensors` file holding several.
    #[arg(long, value_name = "NAME", requires = "weights")]
    pub tensor: Option<String>,
}

struct Steps {
    log: Vec<serde_json::Value>,
    n: usize,
}

impl Steps {
    fn step(&mut self, title: &str, detail: String, data: serde_json::Value) {
        self.n += 1;
        let line = format!("[{}] {title}\n{}", self.n, indent(&detail));
        eprint!("{line}");
        self.log
            .push(json!({"step": self.n, "title": title, "detail": detail, "data": data}));
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}

pub fn run(args: &Args) -> Result<Report> {
    let mut s = Steps {
        log: Vec::new(),
        n: 0,
    };
    let cfg = memforge_spec::parse_str(BUILTIN_EXAMPLE, "built-in tile-8x8.toml")?;
    // Bad weights are refused before any slow step.
    let user = match &args.weights {
        Some(path) => Some(inference::user_weights(&cfg, path, args.tensor.as_deref())?),
        None => None,
    };
    let t = &cfg.tile;
    s.step(
        "Load the built-in design config",
        format!(
            "design `{}`: {} rows x {} columns, {:?} inputs, {}-bit ADCs (1 per {} columns), {:?} reset, {:?} target",
            cfg.design.name, t.rows, t.cols, t.input_encoding, t.adc_bits, t.adc_share,
            cfg.design.reset, cfg.design.target
        ),
        json!({"design": cfg.design.name}),
    );

    let started = Instant::now();
    let (emitted, files) = generate_files(&cfg)?;
    write_design(&args.out, &files).with_context(|| format!("writing {}", args.out.display()))?;
    s.step(
        "Generate Verilog from the rust-hdl blocks",
        format!(
            "{} modules ({}), {} files in {} ({:.2} s); no `$` in any name, no `initial` block",
            emitted.modules.len(),
            emitted
                .modules
                .iter()
                .map(|m| m.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            files.len(),
            args.out.display(),
            started.elapsed().as_secs_f64()
        ),
        json!({"out": args.out, "modules": emitted.modules.len()}),
    );

    let design = DesignDir::open(&args.out)?;
    let results = lint_all(&design)?;
    let verdicts: Vec<String> = results
        .iter()
        .map(|r| {
            format!(
                "{} ({}): {}",
                r.tool,
                r.top,
                if r.passed { "clean" } else { "FAILED" }
            )
        })
        .collect();
    s.step(
        "Lint gates: Verilator -Wall, Icarus -g2005, Yosys check -assert",
        verdicts.join("\n"),
        json!(results),
    );
    if results.iter().any(|r| !r.passed) {
        return Err(CheckFailed {
            summary: "the demo design failed a lint gate".into(),
            details: json!({"steps": s.log}),
        }
        .into());
    }

    let map = memforge_spec::RegisterMap::for_design(&cfg);
    s.step(
        "Register map (one description drives RTL, model and docs)",
        map.registers
            .iter()
            .map(|r| {
                format!(
                    "0x{:08x} {:<15} {:?} {} bits",
                    map.base_address + r.offset,
                    r.name,
                    r.access,
                    r.width
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
        json!(map),
    );

    let lib = inference::run(&mut s, &cfg, &emitted, &args.out, user.as_ref())?;
    variability::run(&mut s, &cfg, &lib)?;

    // The steps went to stderr as they happened; stdout gets the conclusion.
    Ok(Report {
        human: format!(
            "demo passed: weights programmed, spikes as predicted, RTL = model on every cycle; inspect {} or run `memforge lint {}`\n",
            args.out.display(),
            args.out.display()
        ),
        json: json!({"ok": true, "steps": s.log}),
    })
}

//! `memforge bench qor`: the tile of an example config regenerated at
//! several sizes, synthesized to sky130 (area, flip-flops, fmax) and, for
//! the smallest, implemented on an iCE40; the table goes into docs/flows.md
//! between its `qor` markers so the docs always show measured figures.

use crate::cmd::{fpga, generate, synth};
use crate::flows::design_dir::DesignDir;
use crate::flows::{asic, constraints, ice40, liberty};
use crate::outcome::UsageError;
use crate::tools::{self, Tool};
use anyhow::{Context, Result};
use memforge_spec::DesignConfig;
use serde_json::{json, Value};
use std::fmt::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Design config whose tile is resized (only rows, columns and name change).
    #[arg(long, default_value = "examples/tile-8x8.toml")]
    pub config: PathBuf,
    /// Square tile sizes (rows = columns) to measure.
    #[arg(long, value_delimiter = ',', default_value = "8,32,64")]
    pub sizes: Vec<u32>,
    /// Markdown file whose `<!-- qor:begin -->`..`<!-- qor:end -->` block is replaced.
    #[arg(long, default_value = "docs/flows.md")]
    pub docs: PathBuf,
    /// Print the tables only; leave the docs alone.
    #[arg(long)]
    pub no_docs: bool,
    /// Liberty file (default: sky130 HD tt from the PDK root or beside the checkout).
    #[arg(long, conflicts_with = "pdk_root")]
    pub liberty: Option<PathBuf>,
    /// PDK root holding sky130A (default: $PDK_ROOT).
    #[arg(long)]
    pub pdk_root: Option<PathBuf>,
}

const BEGIN: &str = "<!-- qor:begin -->";
const END: &str = "<!-- qor:end -->";

pub fn run(args: &Args) -> Result<crate::outcome::Report> {
    let base = memforge_spec::load_file(&args.config)?;
    crate::blocks::seed_tile::require_lif(&base, "memforge bench qor")?;
    let lib = liberty::locate(args.liberty.as_deref(), args.pdk_root.as_deref())?.ok_or_else(|| {
        UsageError("bench qor needs the sky130 liberty: pass --liberty FILE or --pdk-root DIR, or set PDK_ROOT".into())
    })?;
    if args.sizes.is_empty() {
        return Err(UsageError("--sizes lists no size".into()).into());
    }
    let scratch = tempfile::tempdir().context("creating a scratch directory")?;
    let mut asic_rows = Vec::new();
    let mut fpga_row = None;
    let smallest = *args.sizes.iter().min().unwrap_or(&8);
    for &n in &args.sizes {
        let cfg = resized(&base, n)?;
        let design = generate_into(&cfg, &scratch.path().join(&cfg.design.name))?;
        let qor = asic::run(&design, Some(&lib), Default::default(), false)?;
        asic_rows.push((n, synth::to_json(&qor)));
        if n == smallest {
            let target = 1000.0 / cfg.flow.clock_period_ns;
            let r = ice40::implement(&design, Some(target), &design.build_dir("fpga")?)?;
            fpga_row = Some((n, fpga::to_json(&design.name, &r)));
        }
    }
    let table = tables(args, &base, &asic_rows, fpga_row.as_ref())?;
    if !args.no_docs {
        splice(&args.docs, &table)?;
    }
    let json = json!({
        "ok": true,
        "asic": asic_rows.iter().map(|(n, v)| json!({"size": n, "qor": v})).collect::<Vec<_>>(),
        "ice40": fpga_row.map(|(n, v)| json!({"size": n, "qor": v})),
        "docs": if args.no_docs { None } else { Some(&args.docs) },
    });
    Ok(crate::outcome::Report { human: table, json })
}

/// `base` with an `n` x `n` crossbar, named after its size.
fn resized(base: &DesignConfig, n: u32) -> Result<DesignConfig> {
    let mut cfg = base.clone();
    cfg.tile.rows = n;
    cfg.tile.cols = n;
    cfg.design.name = format!("tile{n}x{n}");
    if let Some(p) = memforge_spec::validate::validate(&cfg).first() {
        return Err(UsageError(format!("{n}x{n}: {} = {}: {}", p.path, p.value, p.rule)).into());
    }
    Ok(cfg)
}

/// Writes the design directory of `cfg` into `dir` as `generate` would,
/// with the constraint files.
fn generate_into(cfg: &DesignConfig, dir: &Path) -> Result<DesignDir> {
    let (_, mut files) = generate::generate_files(cfg)?;
    // Until `generate` renders the constraints itself, add them here.
    for (rel, text) in constraints::render(
        &cfg.design.name,
        &cfg.flow,
        &memforge_spec::blocks::tile::contract(cfg),
    )? {
        if !files.iter().any(|(p, _)| *p == rel) {
            files.push((rel, text));
        }
    }
    for (rel, text) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    DesignDir::open(dir)
}

fn num(v: &Value, digits: usize) -> String {
    v.as_f64().map_or("n/a".into(), |x| format!("{x:.digits$}"))
}

fn tables(
    args: &Args,
    base: &DesignConfig,
    asic: &[(u32, Value)],
    fpga: Option<&(u32, Value)>,
) -> Result<String> {
    let version = |t: Tool| tools::find(t).map(|f| f.version).unwrap_or_default();
    let mut s = String::new();
    let sizes: Vec<String> = args.sizes.iter().map(u32::to_string).collect();
    writeln!(
        s,
        "Measured by `memforge bench qor --config {} --sizes {}` ({}; OpenSTA {}; {}).\n",
        args.config.display(),
        sizes.join(","),
        version(Tool::Yosys),
        version(Tool::OpenSta),
        version(Tool::NextpnrIce40)
    )?;
    writeln!(
        s,
        "sky130_fd_sc_hd, tt 25 C 1.80 V, clock {} ns, I/O delays {} % of the period; area is standard-cell area after synthesis (no placement, no clock tree); fmax is register to register, including setup and {} ns clock uncertainty. The reset recovery slack is that of the reset synchroniser's single unbuffered net to every flip-flop, which place and route buffers; it is left out of slack and fmax.\n",
        base.flow.clock_period_ns, base.flow.io_delay_pct, base.flow.clock_uncertainty_ns
    )?;
    writeln!(s, "| tile | cells | area (µm²) | area per neuron column (µm²) | flip-flops | worst setup slack (ns) | fmax (MHz) | reset recovery slack (ns) |")?;
    writeln!(s, "|---|---:|---:|---:|---:|---:|---:|---:|")?;
    for (n, q) in asic {
        let per_col = q["area_um2"].as_f64().map(|a| json!(a / f64::from(*n)));
        writeln!(
            s,
            "| {n}x{n} | {} | {} | {} | {} | {} | {} | {} |",
            q["cell_count"],
            num(&q["area_um2"], 0),
            num(&per_col.unwrap_or(Value::Null), 0),
            q["flops"],
            num(&q["worst_slack_ns"], 3),
            num(&q["fmax_mhz"], 1),
            num(&q["reset_recovery_slack_ns"], 3)
        )?;
    }
    if let Some((n, f)) = fpga {
        writeln!(s, "\n{} (nextpnr seed 1, pins from the generated PCF when the design fits the package):\n", f["device"].as_str().unwrap_or("iCE40"))?;
        writeln!(s, "| tile | LUTs | flip-flops | logic cells | fmax (MHz) |")?;
        writeln!(s, "|---|---:|---:|---:|---:|")?;
        let wrapped = f["wrapper_flops"].as_u64().unwrap_or(0);
        let flops = f["flops"].as_u64().unwrap_or(0);
        writeln!(
            s,
            "| {n}x{n} | {} | {} | {} of {} | {} |",
            f["luts"],
            flops - wrapped,
            f["logic_cells"],
            f["logic_cells_available"],
            num(&f["fmax_mhz"], 1)
        )?;
    }
    if fpga.is_some_and(|(_, f)| f["wrapper_flops"].as_u64().unwrap_or(0) > 0) {
        writeln!(s, "\nThe tile has more I/O bits than the package has pins, so it ran inside the generated wrapper `fpga/<design>_fpga.v` (crossbar-macro interface behind a scan chain); flip-flops exclude the wrapper's, LUTs include its XOR tree.")?;
    }
    Ok(s)
}

/// Replaces the block between the markers of `docs` with `table`.
fn splice(docs: &Path, table: &str) -> Result<()> {
    let text = std::fs::read_to_string(docs)
        .map_err(|e| UsageError(format!("cannot read {}: {e}", docs.display())))?;
    let (Some(b), Some(e)) = (text.find(BEGIN), text.find(END)) else {
        return Err(UsageError(format!(
            "{} has no {BEGIN} ... {END} block to fill",
            docs.display()
        ))
        .into());
    };
    let new = format!("{}{BEGIN}\n{table}{}", &text[..b], &text[e..]);
    std::fs::write(docs, new).with_context(|| format!("writing {}", docs.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_replaces_only_the_marked_block() {
        let dir = tempfile::tempdir().unwrap();
        let doc = dir.path().join("flows.md");
        std::fs::write(
            &doc,
            format!("# Flows\nbefore\n{BEGIN}\nold table\n{END}\nafter\n"),
        )
        .unwrap();
        splice(&doc, "| new |\n").unwrap();
        let text = std::fs::read_to_string(&doc).unwrap();
        assert_eq!(
            text,
            format!("# Flows\nbefore\n{BEGIN}\n| new |\n{END}\nafter\n")
        );
        std::fs::write(&doc, "no markers").unwrap();
        assert!(splice(&doc, "x").is_err());
    }
}

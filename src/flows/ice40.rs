//! The FPGA hand-off: Yosys `synth_ice40`, nextpnr-ice40 place-and-route on
//! the iCE40-HX8K and icepack, with LUT, flip-flop and fmax figures.

use super::design_dir::DesignDir;
use super::{constraints, ice40_pins, run, yosys};
use crate::tools::{self, Tool};
use anyhow::{Context, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Serialize)]
pub struct FpgaResult {
    pub device: String,
    pub luts: u64,
    pub flops: u64,
    /// Logic cells placed, and available on the device.
    pub logic_cells: u64,
    pub logic_cells_available: u64,
    /// Achieved fmax of the design's clock after routing.
    pub fmax_mhz: Option<f64>,
    /// The pin file used, or `None` if nextpnr placed the I/O itself.
    pub pcf: Option<PathBuf>,
    /// The wrapper that took the macro interface off the pins, if one was
    /// needed, and the flip-flops it adds to `flops`.
    pub wrapper: Option<PathBuf>,
    pub wrapper_flops: u64,
    pub bitstream: PathBuf,
    pub logs: Vec<PathBuf>,
}

/// Runs the whole FPGA flow in `work`, aiming at `target_mhz` if given.
pub fn implement(design: &DesignDir, target_mhz: Option<f64>, work: &Path) -> Result<FpgaResult> {
    if yosys::uses_icg_cell(design) {
        return Err(crate::outcome::UsageError(format!(
            "design `{}` has sky130 clock gates (`[flow] clock_gating` on an ASIC target); generate it with `target = \"fpga\"` for the FPGA flow (enable flip-flops instead)",
            design.name
        ))
        .into());
    }
    let (yosys_tool, nextpnr, icepack) = (
        tools::find(Tool::Yosys)?,
        tools::find(Tool::NextpnrIce40)?,
        tools::find(Tool::Icepack)?,
    );
    let wrapper = Some(
        design
            .root
            .join(constraints::fpga_wrapper_path(&design.name)),
    )
    .filter(|p| p.is_file());
    let wrapper_flops = match &wrapper {
        Some(w) => wrapper_flops(w)?,
        None => 0,
    };
    let name = match wrapper {
        Some(_) => format!("{}_fpga", design.name),
        None => design.name.clone(),
    };
    let mut script = String::new();
    for file in design.rtl.iter().chain(&wrapper) {
        script += &format!("read_verilog \"{}\"\n", file.display());
    }
    script += &format!(
        "synth_ice40 -top {name} -json {name}.json\ntee -q -o stat_ice40.json stat -json\n"
    );
    std::fs::write(work.join("synth_ice40.ys"), script).context("writing the Yosys script")?;
    let ylog = work.join("yosys_ice40.log");
    let args = ["-q", "-s", "synth_ice40.ys"].map(String::from);
    run::logged(
        &yosys_tool,
        &args,
        work,
        &ylog,
        &format!("synthesizing {name} for iCE40"),
    )?;
    let stat_text =
        std::fs::read_to_string(work.join("stat_ice40.json")).context("reading stat_ice40.json")?;
    let cells = yosys::cells_by_type(&serde_json::from_str(&stat_text)?);
    let luts = cells.get("SB_LUT4").copied().unwrap_or(0);
    let flops = cells
        .iter()
        .filter(|(t, _)| t.starts_with("SB_DFF"))
        .map(|(_, n)| n)
        .sum();

    let pcf = design.pcf();
    let mut args: Vec<String> = vec![
        format!("--{}", ice40_pins::DEVICE),
        "--package".into(),
        ice40_pins::PACKAGE.into(),
        "--json".into(),
        format!("{name}.json"),
        "--asc".into(),
        format!("{name}.asc"),
        "--report".into(),
        "nextpnr_report.json".into(),
        // Fixed seed: the same design gives the same figures.
        "--seed".into(),
        "1".into(),
        // Report the fmax reached rather than fail when it misses the target.
        "--timing-allow-fail".into(),
    ];
    if let Some(p) = &pcf {
        args.extend(["--pcf".into(), p.display().to_string()]);
    }
    if let Some(f) = target_mhz {
        args.extend(["--freq".into(), format!("{f:.2}")]);
    }
    let plog = work.join("nextpnr.log");
    run::logged(
        &nextpnr,
        &args,
        work,
        &plog,
        &format!("placing and routing {name} on iCE40-HX8K"),
    )?;
    let report_text = std::fs::read_to_string(work.join("nextpnr_report.json"))
        .context("reading nextpnr_report.json")?;
    let report: serde_json::Value = serde_json::from_str(&report_text)?;
    let lc = &report["utilization"]["ICESTORM_LC"];
    let fmax_mhz = report["fmax"].as_object().and_then(|m| {
        m.values()
            .filter_map(|c| c["achieved"].as_f64())
            .reduce(f64::min)
    });

    let bitstream = work.join(format!("{name}.bin"));
    let klog = work.join("icepack.log");
    let args = [format!("{name}.asc"), format!("{name}.bin")];
    run::logged(
        &icepack,
        &args,
        work,
        &klog,
        &format!("packing the {name} bitstream"),
    )?;
    Ok(FpgaResult {
        device: format!(
            "iCE40-{} {}",
            ice40_pins::DEVICE.to_uppercase(),
            ice40_pins::PACKAGE
        ),
        luts,
        flops,
        logic_cells: lc["used"].as_u64().unwrap_or(0),
        logic_cells_available: lc["available"].as_u64().unwrap_or(0),
        fmax_mhz,
        pcf,
        wrapper,
        wrapper_flops,
        bitstream,
        logs: vec![ylog, plog, klog],
    })
}

/// The flip-flop count a wrapper declares in its header.
fn wrapper_flops(wrapper: &Path) -> Result<u64> {
    let text = std::fs::read_to_string(wrapper)
        .with_context(|| format!("reading {}", wrapper.display()))?;
    text.lines()
        .find_map(|l| {
            l.strip_prefix("// memforge-wrapper-flops: ")?
                .trim()
                .parse()
                .ok()
        })
        .with_context(|| format!("{} has no memforge-wrapper-flops line", wrapper.display()))
}

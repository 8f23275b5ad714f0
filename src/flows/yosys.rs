//! ASIC synthesis with Yosys: the design mapped to sky130 cells (or to
//! Yosys's generic gates when no liberty is available), and the statistics
//! the QoR tables are made of.

use super::design_dir::DesignDir;
use super::run;
use crate::tools::{self, Tool};
use anyhow::{Context, Result};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What synthesis produced.
#[derive(Clone, Debug, Serialize)]
pub struct Synthesis {
    pub netlist: PathBuf,
    pub log: PathBuf,
    /// Standard-cell area from the liberty; `None` for generic cells.
    pub area_um2: Option<f64>,
    /// Cell count by cell type after mapping.
    pub cells: BTreeMap<String, u64>,
    pub cell_count: u64,
    /// Flip-flops, counted before mapping (one per stored bit, whatever
    /// cell a library packs it into).
    pub flops: u64,
}

/// The libraries of a sky130 synthesis run.
#[derive(Clone, Copy, Debug)]
pub struct Libs<'a> {
    /// What ABC and dfflibmap may map to (dont_use cells removed).
    pub map: &'a Path,
    /// The full library: tie cells and areas come from it.
    pub full: &'a Path,
}

/// Synthesizes `design` in `work`, mapping to sky130 cells when `libs` is
/// given and to Yosys's generic gates otherwise.
pub fn synthesize(design: &DesignDir, libs: Option<Libs>, work: &Path) -> Result<Synthesis> {
    let yosys = tools::find(Tool::Yosys)?;
    let script = work.join("synth.ys");
    std::fs::write(&script, script_text(design, libs))
        .with_context(|| format!("writing {}", script.display()))?;
    let log = work.join("yosys.log");
    let job = format!("synthesizing {}", design.name);
    run::logged(
        &yosys,
        &["-q".into(), "-s".into(), "synth.ys".into()],
        work,
        &log,
        &job,
    )?;
    let read = |name: &str| -> Result<serde_json::Value> {
        let path = work.join(name);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
    };
    let before = cells_by_type(&read("stat_generic.json")?);
    let cells = cells_by_type(&read("stat.json")?);
    let area_um2 = match libs {
        Some(_) => Some(
            chip_area(&std::fs::read_to_string(work.join("stat.txt"))?)
                .context("Yosys printed no chip area")?,
        ),
        None => None,
    };
    Ok(Synthesis {
        netlist: work.join("netlist.v"),
        log,
        area_um2,
        cell_count: cells.values().sum(),
        flops: flop_count(&before),
        cells,
    })
}

/// What OpenLane does before writing a netlist for OpenROAD/OpenSTA: only
/// port-level wires, one bit per net, constants from tie cells and a buffer
/// on every feed-through. OpenSTA's Verilog reader refuses what Yosys
/// otherwise writes (concatenations on the left of `assign`).
const NETLIST_CLEANUP: &str = "opt_clean -purge\nsetundef -zero\nsplitnets\nopt_clean -purge\n\
hilomap -singleton -hicell sky130_fd_sc_hd__conb_1 HI -locell sky130_fd_sc_hd__conb_1 LO\n\
insbuf -buf sky130_fd_sc_hd__buf_2 A X\nopt_clean -purge\n";

fn script_text(design: &DesignDir, libs: Option<Libs>) -> String {
    let mut s = String::new();
    for file in &design.rtl {
        s += &format!("read_verilog \"{}\"\n", file.display());
    }
    let top = &design.name;
    s += &format!("hierarchy -check -top {top}\nsynth -top {top} -flatten\n");
    s += "tee -q -o stat_generic.json stat -json\n";
    if let Some(libs) = libs {
        let (map, full) = (libs.map.display(), libs.full.display());
        s += &format!("dfflibmap -liberty \"{map}\"\nabc -liberty \"{map}\"\n");
        s += NETLIST_CLEANUP;
        s += &format!("tee -q -o stat.json stat -json -liberty \"{full}\"\n");
        s += &format!("tee -q -o stat.txt stat -liberty \"{full}\"\n");
    } else {
        s += "tee -q -o stat.json stat -json\n";
    }
    s + "write_verilog -noattr -noexpr -nohex -nodec netlist.v\n"
}

/// `num_cells_by_type` of the design in a `stat -json` report.
pub fn cells_by_type(stat: &serde_json::Value) -> BTreeMap<String, u64> {
    stat["design"]["num_cells_by_type"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0)))
                .collect()
        })
        .unwrap_or_default()
}

/// Storage bits among Yosys's internal gate types (`$_DFF_P_`, `$_DFFE_PN0P_`,
/// `$_SDFF_...`, `$_ALDFF_...`, `$_DFFSR_...`).
pub fn flop_count(generic: &BTreeMap<String, u64>) -> u64 {
    generic
        .iter()
        .filter(|(t, _)| t.contains("DFF"))
        .map(|(_, n)| n)
        .sum()
}

/// The `Chip area for module ...: N` figure of `stat -liberty`.
pub fn chip_area(stat_text: &str) -> Option<f64> {
    stat_text
        .lines()
        .rev()
        .filter(|l| l.contains("Chip area"))
        .filter_map(|l| l.rsplit(':').next()?.trim().parse().ok())
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_are_read_from_yosys_reports() {
        let stat = serde_json::json!({"design": {"num_cells_by_type": {"$_DFF_PN0_": 10, "$_DFFE_PN0P_": 40, "$_AND_": 7}}});
        let cells = cells_by_type(&stat);
        assert_eq!(flop_count(&cells), 50);
        assert_eq!(cells["$_AND_"], 7);
        let text = "   Chip area for module '\\tile': 1803.478400\n";
        assert_eq!(chip_area(text), Some(1803.4784));
        assert_eq!(chip_area("no area"), None);
    }
}

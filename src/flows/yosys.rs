//! ASIC synthesis with Yosys: the design mapped to sky130 cells (or to
//! Yosys's generic gates when no liberty is available), and the statistics
//! the QoR tables are made of.
//!
//! The sky130 mapping is timing-driven the way OpenLane's Yosys script
//! (`scripts/yosys/synth.tcl`) does it: ABC gets the clock period as its
//! delay target (`abc -D`), a constraint file with the driving cell and the
//! output load, and one of OpenLane's strategy scripts ending in its
//! "fine tune" of buffering (maximum fanout and transition) and gate sizing.
//! `docs/flows.md` says where it differs from OpenLane.

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
    /// Where the area goes, from a second synthesis that keeps the module
    /// hierarchy (same script), when asked for (`Libs::by_module`); `None`
    /// otherwise and for generic cells. Its total is a
    /// little larger than `area_um2`: no optimisation across module
    /// boundaries (constants do not propagate into a submodule).
    pub breakdown: Option<Breakdown>,
}

/// Per-module area of the hierarchical synthesis.
#[derive(Clone, Debug, Serialize)]
pub struct Breakdown {
    /// Sum of `total_um2` over the modules.
    pub total_um2: f64,
    /// Largest `total_um2` first.
    pub modules: Vec<ModuleArea>,
}

/// One module of the hierarchy.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ModuleArea {
    pub module: String,
    /// Instances in the whole design (a neuron inside each of 8 lanes of 4
    /// neurons counts 32).
    pub instances: u64,
    /// Area of the module's own cells, one instance, submodules excluded.
    pub own_um2: f64,
    /// Area of one instance including its submodules.
    pub with_submodules_um2: f64,
    /// `own_um2 * instances`: these add up to the design's total.
    pub total_um2: f64,
}

/// ABC strategy, after OpenLane's `SYNTH_STRATEGY`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Strategy {
    /// OpenLane's "AREA 0" (its default): area-oriented mapping (`amap`,
    /// then `&nf`), then timing-driven buffering and sizing.
    #[default]
    Area,
    /// OpenLane's "DELAY 0": delay-oriented mapping (`map -p`, then `&nf`),
    /// then the same buffering and sizing; faster and larger.
    Delay,
}

/// Largest fanout ABC leaves unbuffered (OpenLane's `MAX_FANOUT_CONSTRAINT`
/// default for sky130).
pub const MAX_FANOUT: u32 = 10;
/// Largest transition ABC's buffering aims at, ps (OpenLane's sky130
/// `MAX_TRANSITION_CONSTRAINT`, 0.75 ns).
pub const MAX_TRANSITION_PS: u32 = 750;
/// Cell assumed to drive every input of the mapped logic, flip-flop outputs
/// included (OpenLane's sky130 `SYNTH_DRIVING_CELL`).
pub const DRIVING_CELL: &str = "sky130_fd_sc_hd__inv_2";

/// The libraries and timing target of a sky130 synthesis run.
#[derive(Clone, Copy, Debug)]
pub struct Libs<'a> {
    /// What ABC and dfflibmap may map to (dont_use cells removed).
    pub map: &'a Path,
    /// The full library: tie cells and areas come from it.
    pub full: &'a Path,
    /// ABC's delay target: the design's clock period, ps.
    pub period_ps: f64,
    /// Load on every output of the mapped logic, pF (the SDC's output load).
    pub load_pf: f64,
    pub strategy: Strategy,
    /// Also synthesize with the hierarchy kept, for the area by module.
    /// Off by default: ABC maps every module on its own and reads the
    /// liberty once per module, which makes that pass about twice as long
    /// as the flat one (8x8 tile: 13 s flat, 42 s with it).
    pub by_module: bool,
}

/// Synthesizes `design` in `work`, mapping to sky130 cells when `libs` is
/// given and to Yosys's generic gates otherwise.
pub fn synthesize(design: &DesignDir, libs: Option<Libs>, work: &Path) -> Result<Synthesis> {
    let yosys = tools::find(Tool::Yosys)?;
    if let Some(libs) = libs {
        let write = |name: &str, text: String| -> Result<()> {
            let path = work.join(name);
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
        };
        write("abc.constr", abc_constr(libs.load_pf))?;
        write("abc.script", abc_script(libs.strategy, libs.period_ps))?;
    }
    if libs.is_none() && uses_icg_cell(design) {
        let stub = work.join("cells_stub.v");
        std::fs::write(&stub, memforge_hdl::emit::icg::cell_stub())
            .with_context(|| format!("writing {}", stub.display()))?;
    }
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
    let read_text = |name: &str| -> Result<String> {
        let path = work.join(name);
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
    };
    let read = |name: &str| -> Result<serde_json::Value> {
        serde_json::from_str(&read_text(name)?)
            .with_context(|| format!("parsing {}", work.join(name).display()))
    };
    let before = cells_by_type(&read("stat_generic.json")?);
    let cells = cells_by_type(&read("stat.json")?);
    let (area_um2, breakdown) = match libs {
        Some(l) => (
            Some(chip_area(&read_text("stat.txt")?).context("Yosys printed no chip area")?),
            match l.by_module {
                true => Some(
                    breakdown(&read_text("stat_hier.txt")?, &design.name)
                        .context("Yosys printed no per-module area (stat_hier.txt)")?,
                ),
                false => None,
            },
        ),
        None => (None, None),
    };
    Ok(Synthesis {
        netlist: work.join("netlist.v"),
        log,
        area_um2,
        cell_count: cells.values().sum(),
        flops: flop_count(&before),
        cells,
        breakdown,
    })
}

/// What OpenLane does before writing a netlist for OpenROAD/OpenSTA: only
/// port-level wires, one bit per net, constants from tie cells and a buffer
/// on every feed-through. OpenSTA's Verilog reader refuses what Yosys
/// otherwise writes (concatenations on the left of `assign`).
const NETLIST_CLEANUP: &str = "opt_clean -purge\nsetundef -zero\nsplitnets\nopt_clean -purge\n\
hilomap -singleton -hicell sky130_fd_sc_hd__conb_1 HI -locell sky130_fd_sc_hd__conb_1 LO\n\
insbuf -buf sky130_fd_sc_hd__buf_2 A X\nopt_clean -purge\n";

/// ABC's constraint file (`abc -constr`): what drives the inputs of the
/// logic it maps and what loads its outputs, so that buffering and sizing
/// see real slews instead of ideal drivers.
pub fn abc_constr(load_pf: f64) -> String {
    format!("set_driving_cell {DRIVING_CELL}\nset_load {load_pf}\n")
}

/// OpenLane's `resyn2` (AIG rewriting, with its default `drw`/`drf`).
const RESYN2: &str =
    "balance; drw -l; drf -l; balance; drw -l; drw -l -z; balance; drf -l -z; drw -l -z; balance";

/// The ABC script of `strategy` with a `period_ps` delay target. These are
/// OpenLane's scripts with three changes: the delay target is written in
/// (Yosys substitutes `{D}` only in its own scripts, not in a script file);
/// `buffer` gets `-p`, so the outputs of flip-flops, which are primary
/// inputs of the combinational logic ABC sees, are buffered too (without it
/// a state flip-flop drives a few hundred gates unbuffered); and the
/// sequential commands (`retime`, `scleanup`) are left out, because Yosys
/// hands ABC combinational logic only, where they do nothing but print an
/// error.
pub fn abc_script(strategy: Strategy, period_ps: f64) -> String {
    let d = format!("-D {}", period_ps.round());
    let choice2 = format!(
        "fraig_store; balance; fraig_store; {RESYN2}; fraig_store; {RESYN2}; fraig_store; {RESYN2}; fraig_store; fraig_restore"
    );
    let map = match strategy {
        Strategy::Area => format!("{choice2}\namap -m -Q 0.1 -F 20 -A 20 -C 5000"),
        Strategy::Delay => "map -p -B 0.2 -A 0.9 -M 0".to_string(),
    };
    format!(
        "fx; mfs; strash; drf -l\n{RESYN2}\n{map}\n&get -n; &st; &dch; &nf; &put\n\
         buffer -p -N {MAX_FANOUT} -S {MAX_TRANSITION_PS}\nupsize {d}\ndnsize {d}\nstime -p\nprint_stats -m\n"
    )
}

fn script_text(design: &DesignDir, libs: Option<Libs>) -> String {
    let mut s = String::new();
    // A clock-gated design instantiates the sky130 clock gate cell
    // (`memforge_hdl::emit::icg`): its liberty view, or a blackbox when
    // mapping to generic gates.
    if uses_icg_cell(design) {
        s += &match libs {
            Some(l) => format!("read_liberty -lib \"{}\"\n", l.full.display()),
            None => "read_verilog -lib cells_stub.v\n".to_string(),
        };
    }
    for file in &design.rtl {
        s += &format!("read_verilog \"{}\"\n", file.display());
    }
    let top = &design.name;
    s += &format!("hierarchy -check -top {top}\n");
    let Some(libs) = libs else {
        s += &format!("synth -top {top} -flatten\n");
        s += "tee -q -o stat_generic.json stat -json\n";
        s += "tee -q -o stat.json stat -json\n";
        return s + "write_verilog -noattr -noexpr -nohex -nodec netlist.v\n";
    };
    let (map, full) = (libs.map.display(), libs.full.display());
    let abc = format!(
        "dfflibmap -liberty \"{map}\"\nabc -D {} -constr abc.constr -liberty \"{map}\" -script abc.script\n",
        libs.period_ps.round()
    );
    s += "design -save rtl\n";
    // The flat run: the netlist that is timed.
    s += &format!("synth -top {top} -flatten\n");
    s += "tee -q -o stat_generic.json stat -json\n";
    s += &abc;
    s += NETLIST_CLEANUP;
    s += &format!("tee -q -o stat.json stat -json -liberty \"{full}\"\n");
    s += &format!("tee -q -o stat.txt stat -liberty \"{full}\"\n");
    s += "write_verilog -noattr -noexpr -nohex -nodec netlist.v\n";
    if !libs.by_module {
        return s;
    }
    // The hierarchical run: only for the per-module area.
    s += "design -load rtl\n";
    s += &format!("synth -top {top}\n");
    s += &abc;
    s += "opt_clean -purge\n";
    s + &format!("tee -q -o stat_hier.txt stat -top {top} -liberty \"{full}\"\n")
}

/// Whether any RTL file of `design` instantiates the clock gate cell.
pub fn uses_icg_cell(design: &DesignDir) -> bool {
    design.rtl.iter().any(|p| {
        std::fs::read_to_string(p).is_ok_and(|t| t.contains(memforge_hdl::emit::icg::CELL))
    })
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

/// Per-module area from `stat -top TOP -liberty` of a hierarchical netlist:
/// each `=== module ===` section lists its cells (submodules among them,
/// whose area `stat` calls unknown) and its own `Chip area`. `None` when the
/// report has no section for `top`.
pub fn breakdown(stat_text: &str, top: &str) -> Option<Breakdown> {
    // module -> (own area, [(submodule, count)])
    let mut own: BTreeMap<String, f64> = BTreeMap::new();
    let mut cells: BTreeMap<String, Vec<(String, u64)>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in stat_text.lines() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix("=== ").and_then(|r| r.strip_suffix(" ===")) {
            current = (name != "design hierarchy").then(|| name.to_string());
            continue;
        }
        let Some(m) = &current else { continue };
        if t.starts_with("Chip area for module") {
            let area = t.rsplit(':').next()?.trim().parse().ok()?;
            own.insert(m.clone(), area);
        } else if let [cell, n] = t.split_whitespace().collect::<Vec<_>>()[..] {
            if let Ok(n) = n.parse::<u64>() {
                cells
                    .entry(m.clone())
                    .or_default()
                    .push((cell.to_string(), n));
            }
        }
    }
    own.get(top)?;
    // Instances of every module reachable from `top`, and the area of one
    // instance with its submodules (the hierarchy is a DAG: recursion ends).
    fn with_subs(
        m: &str,
        own: &BTreeMap<String, f64>,
        cells: &BTreeMap<String, Vec<(String, u64)>>,
    ) -> f64 {
        own.get(m).copied().unwrap_or(0.0)
            + cells.get(m).map_or(0.0, |cs| {
                cs.iter()
                    .filter(|(c, _)| own.contains_key(c))
                    .map(|(c, n)| *n as f64 * with_subs(c, own, cells))
                    .sum()
            })
    }
    let mut instances: BTreeMap<String, u64> = BTreeMap::new();
    let mut stack = vec![(top.to_string(), 1u64)];
    while let Some((m, n)) = stack.pop() {
        *instances.entry(m.clone()).or_default() += n;
        for (c, k) in cells.get(&m).into_iter().flatten() {
            if own.contains_key(c) {
                stack.push((c.clone(), n * k));
            }
        }
    }
    let mut modules: Vec<ModuleArea> = instances
        .into_iter()
        .map(|(module, instances)| {
            let own_um2 = own[&module];
            ModuleArea {
                with_submodules_um2: with_subs(&module, &own, &cells),
                total_um2: own_um2 * instances as f64,
                module,
                instances,
                own_um2,
            }
        })
        .collect();
    modules.sort_by(|a, b| b.total_um2.total_cmp(&a.total_um2));
    Some(Breakdown {
        total_um2: modules.iter().map(|m| m.total_um2).sum(),
        modules,
    })
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

    #[test]
    fn the_breakdown_multiplies_instances_down_the_hierarchy() {
        let text = "=== t ===\n   Number of cells: 3\n     t_lane   2\n     sky130_fd_sc_hd__inv_1  1\n   Chip area for module '\\t': 10.0\n\
                    === t_lane ===\n     t_neuron   4\n   Chip area for module '\\t_lane': 5.0\n\
                    === t_neuron ===\n     sky130_fd_sc_hd__dfrtp_1  2\n   Chip area for module '\\t_neuron': 50.0\n\
                    === t_unused ===\n   Chip area for module '\\t_unused': 7.0\n\
                    === design hierarchy ===\n   t  1\n     t_lane  2\n";
        let b = breakdown(text, "t").unwrap();
        let names: Vec<_> = b.modules.iter().map(|m| m.module.as_str()).collect();
        assert_eq!(names, ["t_neuron", "t", "t_lane"]);
        assert_eq!(b.modules[0].instances, 8);
        assert_eq!(b.modules[0].total_um2, 400.0);
        assert_eq!(b.modules[2].with_submodules_um2, 205.0);
        assert_eq!(b.modules[1].with_submodules_um2, 420.0);
        assert_eq!(b.total_um2, 420.0);
        assert!(breakdown(text, "other").is_none());
    }

    #[test]
    fn the_abc_script_is_timing_driven_and_buffers_flip_flop_outputs() {
        let s = abc_script(Strategy::Area, 10000.0);
        assert!(s.contains("amap") && s.contains("&nf"), "{s}");
        assert!(s.contains("buffer -p -N 10 -S 750"), "{s}");
        assert!(
            s.contains("upsize -D 10000") && s.contains("dnsize -D 10000"),
            "{s}"
        );
        assert!(!s.contains("{D}") && !s.contains("retime") && !s.contains("scleanup"));
        assert!(abc_script(Strategy::Delay, 8000.0).contains("map -p -B 0.2"));
        assert_eq!(
            abc_constr(0.033442),
            "set_driving_cell sky130_fd_sc_hd__inv_2\nset_load 0.033442\n"
        );
    }
}

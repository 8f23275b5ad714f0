//! The ASIC quality-of-results run: liberty preparation, Yosys synthesis and
//! OpenSTA timing, in the order a user would do them by hand.

use super::design_dir::DesignDir;
use super::liberty::{self, Liberty};
use super::sta::{self, Timing};
use super::yosys::{self, Strategy, Synthesis};
use anyhow::Result;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct AsicQor {
    pub design: String,
    pub liberty: Option<String>,
    pub synthesis: Synthesis,
    /// `None` when there was no liberty to time against.
    pub timing: Option<Timing>,
    /// Dont_use cells removed from the library before mapping.
    pub dont_use_removed: usize,
    /// ABC strategy of the sky130 mapping.
    pub strategy: Strategy,
}

/// Synthesizes `design` (to sky130 cells when `lib` is given) and times it
/// with the design's own SDC. The mapping aims at the design's clock period
/// and output load (its `[flow]` section). Work files go to
/// `<design>/build/synth/`. `by_module`: also the area by module (a second,
/// hierarchical synthesis; see [`yosys::Libs::by_module`]).
pub fn run(
    design: &DesignDir,
    lib: Option<&Liberty>,
    strategy: Strategy,
    by_module: bool,
) -> Result<AsicQor> {
    let work = design.build_dir("synth")?;
    let Some(lib) = lib else {
        return Ok(AsicQor {
            design: design.name.clone(),
            liberty: None,
            synthesis: yosys::synthesize(design, None, &work)?,
            timing: None,
            dont_use_removed: 0,
            strategy,
        });
    };
    // Fail on a missing SDC or a missing tool before spending time on
    // synthesis.
    let sdc = design.sdc()?;
    crate::tools::find(crate::tools::Tool::Yosys)?;
    crate::tools::find(crate::tools::Tool::OpenSta)?;
    let trimmed = work.join("sky130_fd_sc_hd__tt_025C_1v80.synth.lib");
    let dont_use_removed = liberty::without_dont_use(&lib.path, &trimmed)?;
    let flow = design.manifest()?.0.flow();
    let libs = yosys::Libs {
        map: &trimmed,
        full: &lib.path,
        period_ps: flow.clock_period_ns * 1000.0,
        load_pf: flow.output_load_ff / 1000.0,
        strategy,
        by_module,
    };
    let synthesis = yosys::synthesize(design, Some(libs), &work)?;
    let timing = sta::analyze(&lib.path, &synthesis.netlist, &design.name, &sdc, &work)?;
    Ok(AsicQor {
        design: design.name.clone(),
        liberty: Some(format!("{} ({})", lib.path.display(), lib.found_by)),
        synthesis,
        timing: Some(timing),
        dont_use_removed,
        strategy,
    })
}

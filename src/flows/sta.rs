//! Static timing with OpenSTA on a mapped netlist: setup slack at the
//! constrained period, the register-to-register fmax, and the recovery
//! slack of the asynchronous resets reported apart.

use super::run;
use crate::tools::{self, Tool};
use anyhow::{Context, Result};
use serde::Serialize;
use std::path::Path;

/// Timing of one netlist under its SDC.
#[derive(Clone, Debug, Serialize)]
pub struct Timing {
    /// Period of the first clock, ns.
    pub period_ns: f64,
    /// Smallest setup slack over every path of the clock (I/O included).
    pub worst_slack_ns: f64,
    /// Worst negative slack: `worst_slack_ns` if negative, else 0.
    pub wns_ns: f64,
    /// `1 / (period - slack)` of the worst register-to-register setup path
    /// (I/O paths are left out: their budget is a share of whatever period
    /// is set). Includes setup time and clock uncertainty.
    pub fmax_mhz: Option<f64>,
    /// Worst recovery slack of the asynchronous resets. Reported apart:
    /// after synthesis the reset synchroniser drives every flip-flop through
    /// one unbuffered net, which place-and-route buffers.
    pub reset_recovery_slack_ns: Option<f64>,
    /// OpenSTA's warnings (an SDC naming a missing port shows up here).
    pub warnings: Vec<String>,
}

/// The OpenSTA script; `MEMFORGE_*` markers separate the reports. Setup
/// paths are those of the (first) clock's path group; recovery checks of
/// asynchronous resets are OpenSTA's `**async_default**` group. Register
/// to register includes the paths from registers to the enables (`GATE`)
/// of clock gates (`[flow] clock_gating`): their setup check is a
/// register's as far as fmax goes, and `all_registers -data_pins` misses
/// them.
pub fn script(liberty: &Path, netlist: &Path, top: &str, sdc: &Path) -> String {
    let checks = "report_checks -path_delay max -digits 3";
    format!(
        "read_liberty \"{lib}\"\nread_verilog \"{net}\"\nlink_design {top}\nread_sdc \"{sdc}\"\n\
         foreach c [all_clocks] {{ puts \"MEMFORGE_CLOCK [get_name $c] [get_property $c period]\" }}\n\
         set clk [get_name [lindex [all_clocks] 0]]\n\
         puts \"MEMFORGE_SECTION setup\"\n{checks} -path_group $clk\n\
         puts \"MEMFORGE_SECTION reg2reg\"\n\
         if {{[llength [all_registers]] > 0}} {{\n  {checks} -path_group $clk -from [all_registers -clock_pins] -to [all_registers -data_pins]\n}}\n\
         set gates [get_pins -quiet -hierarchical */GATE]\n\
         if {{[llength $gates] > 0 && [llength [all_registers]] > 0}} {{\n  {checks} -path_group $clk -from [all_registers -clock_pins] -to $gates\n}}\n\
         puts \"MEMFORGE_SECTION recovery\"\n\
         catch {{ {checks} -path_group **async_default** }}\n\
         puts \"MEMFORGE_SECTION end\"\n",
        lib = liberty.display(),
        net = netlist.display(),
        sdc = sdc.display()
    )
}

/// Runs OpenSTA in `work` and reads its reports.
pub fn analyze(
    liberty: &Path,
    netlist: &Path,
    top: &str,
    sdc: &Path,
    work: &Path,
) -> Result<Timing> {
    let sta = tools::find(Tool::OpenSta)?;
    let tcl = work.join("sta.tcl");
    std::fs::write(&tcl, script(liberty, netlist, top, sdc))
        .with_context(|| format!("writing {}", tcl.display()))?;
    let log = work.join("sta.log");
    let job = format!("timing {top}");
    let args = ["-no_init", "-no_splash", "-exit", "sta.tcl"].map(String::from);
    let out = run::logged(&sta, &args, work, &log, &job)?;
    // OpenSTA reports Tcl errors but may still exit 0.
    if out.lines().any(|l| l.trim_start().starts_with("Error"))
        || !out.contains("MEMFORGE_SECTION end")
    {
        return Err(run::failed(&sta, &job, &out, &log));
    }
    parse(&out).with_context(|| format!("reading OpenSTA's report {}", log.display()))
}

/// Reads the output of [`script`].
pub fn parse(out: &str) -> Result<Timing> {
    let period_ns: f64 = out
        .lines()
        .find_map(|l| l.strip_prefix("MEMFORGE_CLOCK "))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .context("the SDC defines no clock")?;
    let worst = |name: &str| -> Option<f64> {
        let start = format!("MEMFORGE_SECTION {name}");
        out.split(&start)
            .nth(1)?
            .split("MEMFORGE_SECTION")
            .next()?
            .lines()
            .filter(|l| l.contains("slack ("))
            .filter_map(|l| l.split_whitespace().next()?.parse().ok())
            .reduce(f64::min)
    };
    let worst_slack_ns = worst("setup").context("OpenSTA reported no constrained path")?;
    let warnings = out
        .lines()
        .filter(|l| l.trim_start().starts_with("Warning"))
        .map(|l| l.trim().to_string())
        .collect();
    Ok(Timing {
        period_ns,
        worst_slack_ns,
        wns_ns: worst_slack_ns.min(0.0),
        fmax_mhz: worst("reg2reg").map(|s| 1000.0 / (period_ns - s)),
        reset_recovery_slack_ns: worst("recovery"),
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slacks_and_fmax_are_read_from_the_sections() {
        let out = "MEMFORGE_CLOCK wb_clk_i 10.000000\nMEMFORGE_SECTION setup\n  8.203   slack (MET)\n  3.252   slack (MET)\n\
                   MEMFORGE_SECTION reg2reg\n  3.252   slack (MET)\nMEMFORGE_SECTION recovery\n -15.076 slack (VIOLATED)\nMEMFORGE_SECTION end\n";
        let t = parse(out).unwrap();
        assert_eq!(
            (t.period_ns, t.worst_slack_ns, t.wns_ns),
            (10.0, 3.252, 0.0)
        );
        assert!((t.fmax_mhz.unwrap() - 1000.0 / 6.748).abs() < 1e-9);
        assert_eq!(t.reset_recovery_slack_ns, Some(-15.076));
        let late = parse("MEMFORGE_CLOCK c 5\nMEMFORGE_SECTION setup\n -1.5 slack (VIOLATED)\nMEMFORGE_SECTION reg2reg\nMEMFORGE_SECTION recovery\nMEMFORGE_SECTION end\nWarning: x\n").unwrap();
        assert_eq!(
            (late.wns_ns, late.fmax_mhz, late.warnings.len()),
            (-1.5, None, 1)
        );
        assert_eq!(late.reset_recovery_slack_ns, None);
    }
}

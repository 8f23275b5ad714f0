//! Static timing with OpenSTA on a mapped netlist: worst slack at the
//! constrained period and the register-to-register fmax.

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
    /// Smallest slack over every constrained path (setup and recovery).
    pub worst_slack_ns: f64,
    /// Worst negative slack: `worst_slack_ns` if negative, else 0.
    pub wns_ns: f64,
    /// `1 / (period - slack)` of the worst register-to-register path (I/O
    /// paths are left out: their budget is a share of whatever period is
    /// set). Includes setup time and clock uncertainty.
    pub fmax_mhz: Option<f64>,
    /// OpenSTA's warnings (an SDC naming a missing port shows up here).
    pub warnings: Vec<String>,
}

/// The OpenSTA script; `MEMFORGE_*` markers separate the reports.
pub fn script(liberty: &Path, netlist: &Path, top: &str, sdc: &Path) -> String {
    format!(
        "read_liberty \"{}\"\nread_verilog \"{}\"\nlink_design {top}\nread_sdc \"{}\"\n\
         foreach c [all_clocks] {{ puts \"MEMFORGE_CLOCK [get_name $c] [get_property $c period]\" }}\n\
         puts \"MEMFORGE_SECTION all\"\nreport_checks -path_delay max -digits 3\n\
         puts \"MEMFORGE_SECTION reg2reg\"\n\
         if {{[llength [all_registers]] > 0}} {{\n  report_checks -path_delay max -digits 3 -from [all_registers -clock_pins] -to [all_registers -data_pins]\n}}\n\
         puts \"MEMFORGE_SECTION end\"\n",
        liberty.display(),
        netlist.display(),
        sdc.display()
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
    let section = |name: &str| -> Vec<f64> {
        let start = format!("MEMFORGE_SECTION {name}");
        out.split(&start)
            .nth(1)
            .map(|rest| rest.split("MEMFORGE_SECTION").next().unwrap_or(""))
            .unwrap_or("")
            .lines()
            .filter(|l| l.contains("slack ("))
            .filter_map(|l| l.split_whitespace().next()?.parse().ok())
            .collect()
    };
    let min = |v: Vec<f64>| v.into_iter().reduce(f64::min);
    let worst_slack_ns = min(section("all")).context("OpenSTA reported no constrained path")?;
    let fmax_mhz = min(section("reg2reg")).map(|s| 1000.0 / (period_ns - s));
    let warnings = out
        .lines()
        .filter(|l| l.trim_start().starts_with("Warning"))
        .map(|l| l.trim().to_string())
        .collect();
    Ok(Timing {
        period_ns,
        worst_slack_ns,
        wns_ns: worst_slack_ns.min(0.0),
        fmax_mhz,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slacks_and_fmax_are_read_from_the_sections() {
        let out = "MEMFORGE_CLOCK wb_clk_i 10.000000\nMEMFORGE_SECTION all\n  8.203   slack (MET)\n  3.252   slack (MET)\n\
                   MEMFORGE_SECTION reg2reg\n  3.252   slack (MET)\nMEMFORGE_SECTION end\n";
        let t = parse(out).unwrap();
        assert_eq!(
            (t.period_ns, t.worst_slack_ns, t.wns_ns),
            (10.0, 3.252, 0.0)
        );
        assert!((t.fmax_mhz.unwrap() - 1000.0 / 6.748).abs() < 1e-9);
        let late = parse("MEMFORGE_CLOCK c 5\nMEMFORGE_SECTION all\n -1.5 slack (VIOLATED)\nMEMFORGE_SECTION end\nWarning: x\n").unwrap();
        assert_eq!(
            (late.wns_ns, late.fmax_mhz, late.warnings.len()),
            (-1.5, None, 1)
        );
    }
}

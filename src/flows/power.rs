//! Digital power with OpenSTA `report_power` on a mapped netlist, at the
//! liberty's corner, under switching activities set per input port
//! (`set_power_activity -input_ports`; OpenSTA propagates them through the
//! logic). The clock's own activity comes from the SDC.

use super::run;
use crate::tools::{self, Tool};
use anyhow::{Context, Result};
use serde::Serialize;
use std::fmt::Write;
use std::path::Path;

/// Activity of one input port (bus ports: every bit the same).
#[derive(Clone, Debug)]
pub struct Activity {
    pub port: String,
    /// Transitions per clock cycle.
    pub activity: f64,
    /// Fraction of time high.
    pub duty: f64,
}

/// Power of one group of `report_power`, watts.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq)]
pub struct GroupPower {
    pub internal_w: f64,
    pub switching_w: f64,
    pub leakage_w: f64,
    pub total_w: f64,
}

/// `report_power`'s table.
#[derive(Clone, Debug, Serialize)]
pub struct Power {
    pub sequential: GroupPower,
    pub combinational: GroupPower,
    pub total: GroupPower,
}

/// The OpenSTA script: the netlist under its SDC, one activity per port.
pub fn script(liberty: &Path, netlist: &Path, top: &str, sdc: &Path, act: &[Activity]) -> String {
    let mut s = format!(
        "read_liberty \"{}\"\nread_verilog \"{}\"\nlink_design {top}\nread_sdc \"{}\"\n",
        liberty.display(),
        netlist.display(),
        sdc.display()
    );
    for a in act {
        // A bus is matched bit by bit; a port the netlist lacks (constant,
        // removed) matches nothing and is skipped, not an error.
        let _ = writeln!(
            s,
            "set p [concat [get_ports -quiet {{{p}}}] [get_ports -quiet {{{p}[*]}}]]\nif {{[llength $p] > 0}} {{ set_power_activity -input_ports $p -activity {a:.6} -duty {d:.6} }}",
            p = a.port,
            a = a.activity,
            d = a.duty.clamp(0.0, 1.0)
        );
    }
    s.push_str("puts \"MEMFORGE_POWER\"\nreport_power -digits 6\nputs \"MEMFORGE_END\"\n");
    s
}

/// Runs OpenSTA in `work` and reads the power table.
pub fn analyze(
    liberty: &Path,
    netlist: &Path,
    top: &str,
    sdc: &Path,
    act: &[Activity],
    work: &Path,
) -> Result<Power> {
    let sta = tools::find(Tool::OpenSta)?;
    let tcl = work.join("power.tcl");
    std::fs::write(&tcl, script(liberty, netlist, top, sdc, act))
        .with_context(|| format!("writing {}", tcl.display()))?;
    let log = work.join("power.log");
    let job = format!("power {top}");
    let args = ["-no_init", "-no_splash", "-exit", "power.tcl"].map(String::from);
    let out = run::logged(&sta, &args, work, &log, &job)?;
    if out.lines().any(|l| l.trim_start().starts_with("Error")) || !out.contains("MEMFORGE_END") {
        return Err(run::failed(&sta, &job, &out, &log));
    }
    parse(&out).with_context(|| format!("reading OpenSTA's power report {}", log.display()))
}

/// Reads `report_power`'s rows (internal, switching, leakage, total W).
pub fn parse(out: &str) -> Result<Power> {
    let table = out
        .split("MEMFORGE_POWER")
        .nth(1)
        .context("no power report")?;
    let row = |name: &str| -> Result<GroupPower> {
        let line = table
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .with_context(|| format!("no `{name}` row in report_power"))?;
        let v: Vec<f64> = line
            .split_whitespace()
            .skip(1)
            .take(4)
            .map(str::parse)
            .collect::<Result<_, _>>()
            .with_context(|| format!("unreadable `{name}` row: {line}"))?;
        anyhow::ensure!(v.len() == 4, "short `{name}` row: {line}");
        Ok(GroupPower {
            internal_w: v[0],
            switching_w: v[1],
            leakage_w: v[2],
            total_w: v[3],
        })
    };
    Ok(Power {
        sequential: row("Sequential")?,
        combinational: row("Combinational")?,
        total: row("Total")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_power_table_is_read_by_row() {
        let out = "MEMFORGE_POWER\nGroup                  Internal  Switching    Leakage      Total\n                          Power      Power      Power      Power\n----\nSequential             4.09e-03   1.25e-04   4.95e-09   4.22e-03  81.6%\nCombinational          7.19e-04   2.31e-04   4.16e-09   9.50e-04  18.4%\nMacro 0 0 0 0 0%\n----\nTotal                  4.81e-03   3.57e-04   9.11e-09   5.17e-03 100.0%\n                          93.1%       6.9%       0.0%\nMEMFORGE_END\n";
        let p = parse(out).unwrap();
        assert_eq!(p.total.total_w, 5.17e-3);
        assert_eq!(p.sequential.internal_w, 4.09e-3);
        assert_eq!(p.combinational.switching_w, 2.31e-4);
        assert!(parse("MEMFORGE_POWER\nnothing\n").is_err());
    }
}

//! `memforge routing CONFIG`: the analog check of a Mosaic routing tile's
//! crossbar. Worst-case comparator margins (IR drop, leakage of blocking
//! devices), agreement with ngspice on the same decks, agreement with
//! Chen et al. (2023)'s sensed-ratio formula, and the routing error rate by
//! Monte Carlo over device variability; `--sweep` adds the error-rate table
//! over crossbar size, on/off ratio and wire resistance, `--plot` its SVG.

mod plot;
mod spice;
mod sweep;

use crate::cmd::analog::spelling;
use crate::outcome::Report;
use anyhow::Result;
use memforge_sim::analog::routing::{
    column_sensed_ratio, monte_carlo, worst_cases, Margins, Traffic,
};
use memforge_spec::blocks::routing_tile::{self, RoutingTileConfig};
use serde_json::{json, Value};
use std::fmt::Write;
use std::path::PathBuf;
use std::time::Duration;

/// Largest accepted relative difference between memforge's sensed on/off
/// ratio and Chen et al.'s formula in a 1T1R column (their setting: the
/// formula leaves out the sneak currents through the other cells' access
/// switches, which 1T1R keeps small).
pub const CHEN_TOLERANCE: f64 = 1e-3;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Routing-tile config (TOML): `[routing] channels` gives the crossbar
    /// (5 x channels lines), `[analog]` its devices and parasitics.
    pub config: PathBuf,
    /// Solve both worst cases in ngspice too and compare column currents.
    #[arg(long)]
    pub compare_spice: bool,
    /// Seconds ngspice may run before it is stopped.
    #[arg(long, default_value_t = 600)]
    pub spice_timeout: u64,
    /// Monte Carlo trials (random routing pattern, spikes and devices each).
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub trials: u32,
    /// Also print the error-rate table over crossbar size, on/off ratio and
    /// wire resistance.
    #[arg(long)]
    pub sweep: bool,
    /// Write the sweep's error rate vs crossbar size as an SVG plot here
    /// (implies --sweep).
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
}

pub fn run(args: &Args) -> Result<Report> {
    let cfg: RoutingTileConfig =
        memforge_spec::load::load_with(&args.config, routing_tile::validate)?;
    let a = &cfg.analog;
    let lines = cfg.routing.lines();
    let traffic = Traffic::default();
    let worst = worst_cases(a, lines)?;
    let m = worst.margins();
    let (measured, formula, r_series) = column_sensed_ratio(a, lines)?;
    let chen_error = (measured - formula).abs() / formula;
    let mc = monte_carlo(a, lines, m.threshold, traffic, args.trials as usize, a.seed)?;

    let mut human = String::new();
    let mut failures = Vec::new();
    let _ = writeln!(
        human,
        "routing crossbar: {lines}x{lines} ({} channels x N, E, S, W, local), {} devices {}..{} µS, {} access, read {} V, wires {} / {} Ω per cell",
        cfg.routing.channels, spelling(&a.device), a.g_min_us, a.g_max_us, spelling(&a.access), a.read_voltage,
        a.parasitics.r_wire_row, a.parasitics.r_wire_col
    );
    describe_margins(&m, &mut human);
    let _ = writeln!(
        human,
        "  Chen et al. sensed on/off ratio, one column of {lines} cells, far device, R_series {r_series:.1} Ω: memforge {measured:.4}, formula {formula:.4}, relative difference {chen_error:.2e}"
    );
    if a.access == memforge_spec::analog::CellAccess::OneT1r && chen_error > CHEN_TOLERANCE {
        failures.push(format!(
            "sensed ratio differs from Chen et al.'s formula by {chen_error:.2e}, above {CHEN_TOLERANCE:.0e}"
        ));
    }
    let _ = writeln!(
        human,
        "  Monte Carlo ({} trials, route density {}, activity {}, d2d sigma {}, c2c sigma {}): {} false fires, {} missed of {} decisions, error rate {:.2e}",
        mc.trials, traffic.route_density, traffic.activity, a.variability.d2d_sigma,
        a.variability.c2c_sigma, mc.false_fires, mc.missed, mc.decisions, mc.rate()
    );
    let mut json = json!({
        "lines": lines,
        "channels": cfg.routing.channels,
        "margins": margins_json(&m),
        "chen": {"measured": measured, "formula": formula, "r_series": r_series,
                 "relative_difference": chen_error, "tolerance": CHEN_TOLERANCE},
        "monte_carlo": {"trials": mc.trials, "decisions": mc.decisions,
                        "false_fires": mc.false_fires, "missed": mc.missed, "rate": mc.rate(),
                        "route_density": traffic.route_density, "activity": traffic.activity},
    });
    if args.compare_spice {
        let timeout = Duration::from_secs(args.spice_timeout);
        let checks = spice::compare(&worst, timeout)?;
        json["spice"] = spice::describe(&checks, &mut human, &mut failures);
    }
    if args.sweep || args.plot.is_some() {
        let table = sweep::run(a, args.trials as usize, traffic)?;
        sweep::describe(&table, &mut human);
        json["sweep"] = json!(table);
        if let Some(path) = &args.plot {
            plot::error_rate(&table, a, path)?;
            let _ = writeln!(human, "  plot: {}", path.display());
            json["plot"] = json!(path);
        }
    }
    Report::verdict(human, json, &failures)
}

fn describe_margins(m: &Margins, human: &mut String) {
    let _ = writeln!(
        human,
        "  worst routed column (one active row, far corner): {:.4} µA; worst blocked column (every row active, all blocking): {:.4} µA",
        m.i_on_min * 1e6,
        m.i_off_max * 1e6
    );
    let _ = writeln!(
        human,
        "  sensed ratio {:.3}, comparator threshold {:.4} µA, margin x{:.3} each side{}",
        m.sensed_ratio,
        m.threshold * 1e6,
        m.margin,
        if m.margin > 1.0 {
            ""
        } else {
            " (NO threshold separates the worst cases)"
        }
    );
}

fn margins_json(m: &Margins) -> Value {
    json!({"i_on_min": m.i_on_min, "i_off_max": m.i_off_max, "sensed_ratio": m.sensed_ratio,
           "threshold": m.threshold, "margin": m.margin})
}

//! The routing error-rate table: crossbar size x on/off ratio x wire
//! resistance, each point with its own worst-case threshold (a designer
//! sets the comparator for the crossbar at hand) and a Monte Carlo run.

use anyhow::Result;
use memforge_sim::analog::routing::{margins, monte_carlo, Traffic};
use memforge_spec::analog::AnalogSection;
use serde::Serialize;
use std::fmt::Write;

/// Crossbar sizes of the table: 1, 2, 4, 8 and 16 channels per direction.
pub const LINES: [usize; 5] = [5, 10, 20, 40, 80];
/// On/off ratios of the table besides the config's own.
pub const ON_OFF: [f64; 2] = [10.0, 100.0];
/// Wire resistance of the table's second column, as a multiple of the
/// config's (a thinner or longer wire).
pub const WIRE_FACTOR: f64 = 10.0;

#[derive(Clone, Debug, Serialize)]
pub struct Point {
    pub lines: usize,
    pub on_off: f64,
    /// Row and column wire resistance per cell (Ω).
    pub r_wire: f64,
    pub sensed_ratio: f64,
    pub margin: f64,
    pub decisions: usize,
    pub false_fires: usize,
    pub missed: usize,
    pub error_rate: f64,
}

/// Every point of the table, in (on/off, wire, size) order.
pub fn run(a: &AnalogSection, trials: usize, traffic: Traffic) -> Result<Vec<Point>> {
    let own = a.g_max_us / a.g_min_us;
    let mut ratios: Vec<f64> = ON_OFF.iter().copied().chain([own]).collect();
    ratios.sort_by(f64::total_cmp);
    ratios.dedup_by(|x, y| (*x - *y).abs() < 1e-9);
    let wire = a.parasitics.r_wire_row.max(a.parasitics.r_wire_col);
    let mut out = Vec::new();
    for &on_off in &ratios {
        for r_wire in [wire, wire * WIRE_FACTOR] {
            for lines in LINES {
                let mut c = a.clone();
                c.g_min_us = c.g_max_us / on_off;
                c.parasitics.r_wire_row = r_wire;
                c.parasitics.r_wire_col = r_wire;
                let m = margins(&c, lines)?;
                let mc = monte_carlo(&c, lines, m.threshold, traffic, trials, c.seed)?;
                out.push(Point {
                    lines,
                    on_off,
                    r_wire,
                    sensed_ratio: m.sensed_ratio,
                    margin: m.margin,
                    decisions: mc.decisions,
                    false_fires: mc.false_fires,
                    missed: mc.missed,
                    error_rate: mc.rate(),
                });
            }
        }
    }
    Ok(out)
}

/// The table as Markdown (the form docs/routing.md quotes).
pub fn describe(points: &[Point], human: &mut String) {
    let _ = writeln!(
        human,
        "\n| lines | on/off | wire Ω | sensed ratio | margin | false fires | missed | error rate |"
    );
    let _ = writeln!(human, "|---:|---:|---:|---:|---:|---:|---:|---:|");
    for p in points {
        let _ = writeln!(
            human,
            "| {} | {:.1} | {} | {:.3} | {:.3} | {} | {} | {:.2e} |",
            p.lines,
            p.on_off,
            p.r_wire,
            p.sensed_ratio,
            p.margin,
            p.false_fires,
            p.missed,
            p.error_rate
        );
    }
}

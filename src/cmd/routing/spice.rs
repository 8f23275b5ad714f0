//! The routing crossbar's worst cases solved by ngspice on decks written
//! from the same netlist and device laws, compared column by column.

use crate::cmd::analog::check::{LINEAR_TOLERANCE, NONLINEAR_TOLERANCE};
use crate::spice::run_deck;
use anyhow::{Context, Result};
use memforge_sim::analog::routing::{RoutingRead, WorstCases};
use memforge_sim::analog::spice::{agreement, column_vector, op_deck, Agreement, DeckOptions};
use serde_json::{json, Value};
use std::fmt::Write;
use std::time::Duration;

pub struct SpiceCase {
    pub name: &'static str,
    pub ours: Vec<f64>,
    pub spice: Vec<f64>,
    pub agreement: Agreement,
    pub tolerance: f64,
    pub spice_seconds: f64,
}

/// Both worst cases, as memforge solved them, in ngspice.
pub fn compare(worst: &WorstCases, timeout: Duration) -> Result<Vec<SpiceCase>> {
    [
        ("worst routed", &worst.routed),
        ("worst blocked", &worst.blocked),
    ]
    .into_iter()
    .map(|(name, read)| case(name, read, timeout))
    .collect()
}

fn case(name: &'static str, read: &RoutingRead, timeout: Duration) -> Result<SpiceCase> {
    let net = read.array.solver().netlist();
    let deck = op_deck(net, &read.row_volts, &read.laws, &DeckOptions::default());
    let run =
        run_deck(&deck, timeout).with_context(|| format!("ngspice run of the {name} case"))?;
    let plot = run.plot()?;
    let spice = (0..read.currents.len())
        .map(|j| {
            plot.vector(&column_vector(j))
                .and_then(|v| v.first().copied())
        })
        .collect::<Option<Vec<f64>>>()
        .context("ngspice result lacks a column current")?;
    let tolerance = if read.laws.iter().all(|l| l.is_linear()) {
        LINEAR_TOLERANCE
    } else {
        NONLINEAR_TOLERANCE
    };
    Ok(SpiceCase {
        name,
        agreement: agreement(&read.currents, &spice, 1e-15),
        ours: read.currents.clone(),
        spice,
        tolerance,
        spice_seconds: run.wall_seconds,
    })
}

/// Human lines and JSON; a case above its tolerance is a failure.
pub fn describe(cases: &[SpiceCase], human: &mut String, failures: &mut Vec<String>) -> Value {
    let mut out = Vec::new();
    for c in cases {
        let pass = c.agreement.max_rel_error <= c.tolerance;
        let _ = writeln!(
            human,
            "  ngspice, {} case: max rel error {:.3e} over {} columns (tolerance {:.0e}): {}",
            c.name,
            c.agreement.max_rel_error,
            c.ours.len(),
            c.tolerance,
            if pass { "PASS" } else { "FAIL" }
        );
        if !pass {
            failures.push(format!(
                "{} case: column {} differs from ngspice by {:.3e} (relative), above {:.0e}",
                c.name, c.agreement.worst, c.agreement.max_rel_error, c.tolerance
            ));
        }
        out.push(
            json!({"case": c.name, "memforge": c.ours, "ngspice": c.spice,
            "max_rel_error": c.agreement.max_rel_error, "tolerance": c.tolerance,
            "ngspice_seconds": c.spice_seconds}),
        );
    }
    json!(out)
}

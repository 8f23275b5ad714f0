//! The sweep's Pareto plot (plotters, SVG): area on x against each other
//! objective, one panel each; every finished point grey, the Pareto front
//! red and joined in area order.

use super::pareto::{value, Objective};
use super::point::PointResult;
use anyhow::{anyhow, Context, Result};
use plotters::prelude::*;
use std::path::Path;

/// Writes the plot of `results` (finished, passing points) with the points
/// at `front` marked, to `path`.
pub fn pareto(
    results: &[&PointResult],
    front: &[usize],
    objectives: &[Objective],
    path: &Path,
) -> Result<()> {
    draw(results, front, objectives, path)
        .map_err(|e| anyhow!("{e}"))
        .with_context(|| format!("writing the plot {}", path.display()))
}

fn label(metric: &str) -> &str {
    match metric {
        "area_um2" => "area (um^2)",
        "fmax_mhz" => "fmax (MHz)",
        "energy_pj_per_sop" => "energy (pJ/SOP)",
        other => other,
    }
}

fn span(values: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let pad = 0.08 * (hi - lo).max(hi.abs() * 0.05).max(1e-9);
    (lo - pad)..(hi + pad)
}

fn draw(
    results: &[&PointResult],
    front: &[usize],
    objectives: &[Objective],
    path: &Path,
) -> Result<(), Box<dyn std::error::Error>> {
    let panels = objectives.len().saturating_sub(1).max(1);
    let root = SVGBackend::new(path, (560 * panels as u32, 460)).into_drawing_area();
    root.fill(&WHITE)?;
    let x_metric = objectives.first().map_or("area_um2", |o| o.metric);
    let areas = root.split_evenly((1, panels));
    for (panel, y) in areas.iter().zip(objectives.iter().skip(1)) {
        let pts: Vec<(f64, f64)> = results
            .iter()
            .map(|r| {
                (
                    value(r, x_metric).unwrap_or(0.0),
                    value(r, y.metric).unwrap_or(0.0),
                )
            })
            .collect();
        let mut chart = ChartBuilder::on(panel)
            .caption(
                format!("{} vs {}", label(y.metric), label(x_metric)),
                ("sans-serif", 17),
            )
            .margin(14)
            .x_label_area_size(42)
            .y_label_area_size(60)
            .build_cartesian_2d(span(pts.iter().map(|p| p.0)), span(pts.iter().map(|p| p.1)))?;
        chart
            .configure_mesh()
            .x_desc(label(x_metric))
            .y_desc(label(y.metric))
            .draw()?;
        chart
            .draw_series(
                pts.iter()
                    .map(|&p| Circle::new(p, 4, BLACK.mix(0.35).filled())),
            )?
            .label("sweep point")
            .legend(|(x, y)| Circle::new((x + 8, y), 4, BLACK.mix(0.35).filled()));
        let mut on_front: Vec<(f64, f64)> = front.iter().map(|&i| pts[i]).collect();
        on_front.sort_by(|a, b| a.0.total_cmp(&b.0));
        chart.draw_series(LineSeries::new(on_front.clone(), RED.stroke_width(1)))?;
        chart
            .draw_series(on_front.iter().map(|&p| Circle::new(p, 5, RED.filled())))?
            .label("Pareto front")
            .legend(|(x, y)| Circle::new((x + 8, y), 5, RED.filled()));
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .position(SeriesLabelPosition::LowerRight)
            .draw()?;
    }
    root.present()?;
    Ok(())
}

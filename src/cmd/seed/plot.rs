//! Membrane traces as an SVG (plotters): the ngspice reference and each
//! model, over a window of the run, with the comparator threshold.

use anyhow::{anyhow, Context, Result};
use memforge_sim::analog::seed::Trace;
use plotters::prelude::*;
use std::path::Path;

/// One line of the plot.
pub struct Series<'a> {
    pub label: String,
    pub trace: &'a Trace,
}

/// Writes `series` over `0..t_end` seconds to `path`, with a grey line at
/// `threshold`.
pub fn membrane(
    title: &str,
    series: &[Series],
    threshold: f64,
    t_end: f64,
    path: &Path,
) -> Result<()> {
    draw(title, series, threshold, t_end, path)
        .map_err(|e| anyhow!("{e}"))
        .with_context(|| format!("writing the plot {}", path.display()))
}

fn draw(
    title: &str,
    series: &[Series],
    threshold: f64,
    t_end: f64,
    path: &Path,
) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::new(path, (900, 480)).into_drawing_area();
    root.fill(&WHITE)?;
    let in_window = |s: &Series| -> Vec<(f64, f64)> {
        s.trace
            .t
            .iter()
            .zip(&s.trace.v)
            .filter(|(t, _)| **t <= t_end)
            .map(|(t, v)| (t * 1e9, *v))
            .collect()
    };
    let lines: Vec<Vec<(f64, f64)>> = series.iter().map(in_window).collect();
    let (lo, hi) = lines
        .iter()
        .flatten()
        .fold((threshold, threshold), |(lo, hi), p| {
            (lo.min(p.1), hi.max(p.1))
        });
    let pad = 0.05 * (hi - lo).max(1e-3);
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(0.0..t_end * 1e9, (lo - pad)..(hi + pad))?;
    chart
        .configure_mesh()
        .x_desc("time (ns)")
        .y_desc("membrane (V)")
        .draw()?;
    chart
        .draw_series(LineSeries::new(
            vec![(0.0, threshold), (t_end * 1e9, threshold)],
            BLACK.mix(0.4).stroke_width(1),
        ))?
        .label("threshold")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], BLACK.mix(0.4)));
    for (i, (s, data)) in series.iter().zip(lines).enumerate() {
        let color = Palette99::pick(i).to_rgba();
        let width = if i == 0 { 3 } else { 1 };
        chart
            .draw_series(LineSeries::new(data, color.stroke_width(width)))?
            .label(s.label.clone())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(width))
            });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(())
}

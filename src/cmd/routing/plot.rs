//! The sweep's error rate vs crossbar size as an SVG (plotters), one line
//! per on/off ratio and wire resistance.

use super::sweep::Point;
use anyhow::{anyhow, Context, Result};
use memforge_spec::analog::AnalogSection;
use plotters::prelude::*;
use std::path::Path;

/// Writes the plot to `path` (SVG).
pub fn error_rate(points: &[Point], a: &AnalogSection, path: &Path) -> Result<()> {
    draw(points, a, path)
        .map_err(|e| anyhow!("{e}"))
        .with_context(|| format!("writing the plot {}", path.display()))
}

fn draw(
    points: &[Point],
    a: &AnalogSection,
    path: &Path,
) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::new(path, (760, 480)).into_drawing_area();
    root.fill(&WHITE)?;
    let max_lines = points.iter().map(|p| p.lines).max().unwrap_or(80) as f64;
    let top = points
        .iter()
        .map(|p| p.error_rate * 100.0)
        .fold(1.0f64, f64::max)
        * 1.1;
    let title = format!(
        "Routing error rate ({} devices, {}, read {} V, d2d sigma {})",
        crate::cmd::analog::spelling(&a.device),
        crate::cmd::analog::spelling(&a.access),
        a.read_voltage,
        a.variability.d2d_sigma
    );
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d((4.0f64..max_lines * 1.2).log_scale(), 0.0f64..top)?;
    chart
        .configure_mesh()
        .x_desc("crossbar lines (5 x channels)")
        .y_desc("wrong comparator decisions (%)")
        .draw()?;
    let mut series: Vec<(f64, f64)> = points.iter().map(|p| (p.on_off, p.r_wire)).collect();
    series.dedup();
    for (i, (on_off, r_wire)) in series.iter().enumerate() {
        let color = Palette99::pick(i).to_rgba();
        let data: Vec<(f64, f64)> = points
            .iter()
            .filter(|p| p.on_off == *on_off && p.r_wire == *r_wire)
            .map(|p| (p.lines as f64, p.error_rate * 100.0))
            .collect();
        chart
            .draw_series(LineSeries::new(data.clone(), color.stroke_width(2)))?
            .label(format!("on/off {on_off:.0}, wire {r_wire} Ω"))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2))
            });
        chart.draw_series(data.into_iter().map(|p| Circle::new(p, 3, color.filled())))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(())
}

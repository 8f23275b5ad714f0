//! The STDP demo's plots (plotters, SVG): the learning curve (mean level
//! of the pattern and noise rows, and column 0's hit and false-alarm
//! rates, per epoch) and the histogram of the cell levels before and
//! after training.

use anyhow::Result;
use memforge_sim::learning::{PatternCurve, PatternTask};
use memforge_spec::DesignConfig;
use plotters::prelude::*;
use std::path::Path;

use super::chart::{written, Plot};

/// Writes the learning curve to `path`.
pub fn curve(c: &PatternCurve, path: &Path) -> Result<()> {
    written(draw_curve(c, path), path)
}

/// Writes the level histogram (before and after: pattern vs noise rows)
/// to `path`.
pub fn histogram(
    c: &PatternCurve,
    cfg: &DesignConfig,
    task: &PatternTask,
    path: &Path,
) -> Result<()> {
    let cols = cfg.tile.cols as usize;
    let pattern_row = |i: usize| task.pattern.contains(&((i / cols) as u8));
    super::level_histogram::write(
        &c.before,
        &c.after,
        1usize << cfg.tile.adc_bits,
        &super::level_histogram::Groups {
            first: &pattern_row,
            labels: ["pattern rows", "noise rows"],
        },
        path,
    )
}

fn draw_curve(c: &PatternCurve, path: &Path) -> Plot {
    let root = SVGBackend::new(path, (760, 640)).into_drawing_area();
    root.fill(&WHITE)?;
    let (top, bottom) = root.split_vertically(320);
    let last = c.points.last().map_or(1, |p| p.window).max(1) as f64;
    let gmax = c
        .points
        .iter()
        .map(|p| p.pattern_mean().max(p.noise_mean()))
        .fold(1.0f64, f64::max)
        * 1.15;
    let mut chart = ChartBuilder::on(&top)
        .caption(
            "STDP: mean cell level of the pattern and noise rows",
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(52)
        .build_cartesian_2d(0.0..last, 0.0..gmax)?;
    chart
        .configure_mesh()
        .x_desc("training windows")
        .y_desc("level (ADC codes)")
        .draw()?;
    let series = |f: fn(&memforge_sim::learning::PatternPoint) -> f64| {
        c.points
            .iter()
            .map(move |p| (p.window as f64, f(p)))
            .collect::<Vec<_>>()
    };
    chart
        .draw_series(LineSeries::new(
            series(|p| p.pattern_mean()),
            RED.stroke_width(2),
        ))?
        .label("pattern rows")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED));
    chart
        .draw_series(LineSeries::new(
            series(|p| p.noise_mean()),
            BLUE.stroke_width(2),
        ))?
        .label("noise rows")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLUE));
    chart.configure_series_labels().border_style(BLACK).draw()?;

    let mut chart = ChartBuilder::on(&bottom)
        .caption(
            "column 0: windows with a spike (per epoch)",
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(52)
        .build_cartesian_2d(0.0..last, 0.0..1.05)?;
    chart
        .configure_mesh()
        .x_desc("training windows")
        .y_desc("fraction of windows")
        .draw()?;
    let epochs = |f: fn(&memforge_sim::learning::PatternPoint) -> f64| {
        c.points
            .iter()
            .skip(1)
            .map(move |p| (p.window as f64, f(p)))
            .collect::<Vec<_>>()
    };
    chart
        .draw_series(LineSeries::new(
            epochs(|p| p.hit_rate()),
            RED.stroke_width(2),
        ))?
        .label("pattern windows (hits)")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED));
    chart
        .draw_series(LineSeries::new(
            epochs(|p| p.false_alarm_rate()),
            BLUE.stroke_width(2),
        ))?
        .label("noise-only windows (false alarms)")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLUE));
    chart.configure_series_labels().border_style(BLACK).draw()?;
    root.present()?;
    Ok(())
}

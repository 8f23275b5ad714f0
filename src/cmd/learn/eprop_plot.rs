//! The e-prop demo's plots (plotters, SVG): train and test accuracy per
//! epoch (with the float reference's test accuracy when there is one) and
//! the histogram of the cell levels (G+ and G- columns) before and after
//! training.

use anyhow::Result;
use memforge_sim::learning::{DigitsCurve, FloatPoint};
use memforge_spec::DesignConfig;
use plotters::prelude::*;
use std::path::Path;

use super::chart::{written, Plot};

/// Writes the learning curve to `path`.
pub fn curve(c: &DigitsCurve, reference: Option<&[FloatPoint]>, path: &Path) -> Result<()> {
    written(draw_curve(c, reference, path), path)
}

/// Writes the level histogram (before and after: G+ vs G- columns) to
/// `path`.
pub fn histogram(c: &DigitsCurve, cfg: &DesignConfig, path: &Path) -> Result<()> {
    let cols = cfg.tile.cols as usize;
    let plus = |i: usize| (i % cols).is_multiple_of(2);
    super::level_histogram::write(
        &c.before,
        &c.after,
        1usize << cfg.tile.adc_bits,
        &super::level_histogram::Groups {
            first: &plus,
            labels: ["G+ (even columns)", "G- (odd columns)"],
        },
        path,
    )
}

fn draw_curve(c: &DigitsCurve, reference: Option<&[FloatPoint]>, path: &Path) -> Plot {
    let root = SVGBackend::new(path, (760, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let last = c.points.last().map_or(1, |p| p.epoch).max(1) as f64;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "e-prop digits readout: accuracy per epoch",
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(52)
        .build_cartesian_2d(0.0..last, 0.0..1.05)?;
    chart
        .configure_mesh()
        .x_desc("epoch")
        .y_desc("accuracy")
        .draw()?;
    let test: Vec<(f64, f64)> = c
        .points
        .iter()
        .map(|p| (p.epoch as f64, p.test_accuracy()))
        .collect();
    let train: Vec<(f64, f64)> = c
        .points
        .iter()
        .skip(1)
        .map(|p| (p.epoch as f64, p.train_accuracy()))
        .collect();
    chart
        .draw_series(LineSeries::new(test, RED.stroke_width(2)))?
        .label("test (tile)")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED));
    chart
        .draw_series(LineSeries::new(train, BLUE.stroke_width(2)))?
        .label("train, online (tile)")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLUE));
    if let Some(r) = reference {
        let f: Vec<(f64, f64)> = r
            .iter()
            .map(|p| (p.epoch as f64, p.test_accuracy))
            .collect();
        chart
            .draw_series(LineSeries::new(f, BLACK.stroke_width(1)))?
            .label("test (float reference)")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK));
    }
    super::chart::chance_and_legend(
        &mut chart,
        (0.0, last),
        0.1,
        SeriesLabelPosition::LowerRight,
    )?;
    root.present()?;
    Ok(())
}

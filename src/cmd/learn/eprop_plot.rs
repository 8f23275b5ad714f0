//! The e-prop demo's plots (plotters, SVG): train and test accuracy per
//! epoch (with the float reference's test accuracy when there is one) and
//! the histogram of the cell levels (G+ and G- columns) before and after
//! training.

use anyhow::{anyhow, Context, Result};
use memforge_sim::learning::{DigitsCurve, FloatPoint};
use memforge_spec::DesignConfig;
use plotters::prelude::*;
use std::path::Path;

type Plot = Result<(), Box<dyn std::error::Error>>;

/// Writes the learning curve to `path`.
pub fn curve(c: &DigitsCurve, reference: Option<&[FloatPoint]>, path: &Path) -> Result<()> {
    draw_curve(c, reference, path)
        .map_err(|e| anyhow!("{e}"))
        .with_context(|| format!("writing the plot {}", path.display()))
}

/// Writes the level histogram (before and after) to `path`.
pub fn histogram(c: &DigitsCurve, cfg: &DesignConfig, path: &Path) -> Result<()> {
    draw_histogram(c, cfg, path)
        .map_err(|e| anyhow!("{e}"))
        .with_context(|| format!("writing the plot {}", path.display()))
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
    chart
        .draw_series(LineSeries::new(
            vec![(0.0, 0.1), (last, 0.1)],
            BLACK.mix(0.3),
        ))?
        .label("chance")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.mix(0.3)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(())
}

fn draw_histogram(c: &DigitsCurve, cfg: &DesignConfig, path: &Path) -> Plot {
    let root = SVGBackend::new(path, (760, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let cols = cfg.tile.cols as usize;
    let levels = 1usize << cfg.tile.adc_bits;
    let count = |v: &[u16], plus: bool| {
        let mut h = vec![0u32; levels];
        for (i, &g) in v.iter().enumerate() {
            if (i % cols).is_multiple_of(2) == plus {
                h[usize::from(g).min(levels - 1)] += 1;
            }
        }
        h
    };
    let hs = [
        (count(&c.before, true), count(&c.before, false), "before"),
        (count(&c.after, true), count(&c.after, false), "after"),
    ];
    let ymax = hs
        .iter()
        .flat_map(|(a, b, _)| a.iter().chain(b.iter()))
        .copied()
        .max()
        .unwrap_or(1)
        .max(1);
    let areas = root.split_evenly((1, 2));
    for (area, (plus, minus, when)) in areas.iter().zip(&hs) {
        let mut chart = ChartBuilder::on(area)
            .caption(format!("cell levels {when} training"), ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(44)
            .build_cartesian_2d(0u32..levels as u32, 0u32..ymax + 1)?;
        chart
            .configure_mesh()
            .x_desc("level (ADC code)")
            .y_desc("cells")
            .draw()?;
        chart
            .draw_series(plus.iter().enumerate().map(|(g, &n)| {
                Rectangle::new([(g as u32, 0), (g as u32 + 1, n)], RED.mix(0.6).filled())
            }))?
            .label("G+ (even columns)")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], RED.mix(0.6).filled()));
        chart
            .draw_series(minus.iter().enumerate().map(|(g, &n)| {
                Rectangle::new([(g as u32, 0), (g as u32 + 1, n)], BLUE.mix(0.4).filled())
            }))?
            .label("G- (odd columns)")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], BLUE.mix(0.4).filled()));
        chart.configure_series_labels().border_style(BLACK).draw()?;
    }
    root.present()?;
    Ok(())
}

//! The STDP demo's plots (plotters, SVG): the learning curve (mean level
//! of the pattern and noise rows, and column 0's hit and false-alarm
//! rates, per epoch) and the histogram of the cell levels before and
//! after training.

use anyhow::{anyhow, Context, Result};
use memforge_sim::learning::{PatternCurve, PatternTask};
use memforge_spec::DesignConfig;
use plotters::prelude::*;
use std::path::Path;

type Plot = Result<(), Box<dyn std::error::Error>>;

/// Writes the learning curve to `path`.
pub fn curve(c: &PatternCurve, path: &Path) -> Result<()> {
    draw_curve(c, path)
        .map_err(|e| anyhow!("{e}"))
        .with_context(|| format!("writing the plot {}", path.display()))
}

/// Writes the level histogram (before and after) to `path`.
pub fn histogram(
    c: &PatternCurve,
    cfg: &DesignConfig,
    task: &PatternTask,
    path: &Path,
) -> Result<()> {
    draw_histogram(c, cfg, task, path)
        .map_err(|e| anyhow!("{e}"))
        .with_context(|| format!("writing the plot {}", path.display()))
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

fn draw_histogram(c: &PatternCurve, cfg: &DesignConfig, task: &PatternTask, path: &Path) -> Plot {
    let root = SVGBackend::new(path, (760, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let cols = cfg.tile.cols as usize;
    let levels = 1usize << cfg.tile.adc_bits;
    let count = |v: &[u16], pattern: bool| {
        let mut h = vec![0u32; levels];
        for (i, &g) in v.iter().enumerate() {
            let row = (i / cols) as u8;
            if task.pattern.contains(&row) == pattern {
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
    for (area, (pat, noise, when)) in areas.iter().zip(&hs) {
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
            .draw_series(pat.iter().enumerate().map(|(g, &n)| {
                Rectangle::new([(g as u32, 0), (g as u32 + 1, n)], RED.mix(0.6).filled())
            }))?
            .label("pattern rows")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], RED.mix(0.6).filled()));
        chart
            .draw_series(noise.iter().enumerate().map(|(g, &n)| {
                Rectangle::new([(g as u32, 0), (g as u32 + 1, n)], BLUE.mix(0.4).filled())
            }))?
            .label("noise rows")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], BLUE.mix(0.4).filled()));
        chart.configure_series_labels().border_style(BLACK).draw()?;
    }
    root.present()?;
    Ok(())
}

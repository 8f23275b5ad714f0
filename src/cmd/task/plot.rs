//! The task's plots (plotters, SVG): a spike raster of one presentation,
//! the routing usage of the Mosaic grid as a heat map, and accuracy
//! against device variability.

use anyhow::{anyhow, Context, Result};
use plotters::prelude::*;
use std::path::Path;

type Plot = Result<(), Box<dyn std::error::Error>>;

fn wrap(path: &Path, r: Plot) -> Result<()> {
    r.map_err(|e| anyhow!("{e}"))
        .with_context(|| format!("writing the plot {}", path.display()))
}

/// (step, neuron) spikes; `inputs`: (step, input) drawn below the neurons.
pub fn raster(
    title: &str,
    spikes: &[(u32, u32)],
    inputs: &[(u32, u32)],
    neurons: u32,
    steps: u32,
    path: &Path,
) -> Result<()> {
    wrap(
        path,
        draw_raster(title, spikes, inputs, neurons, steps, path),
    )
}

fn draw_raster(
    title: &str,
    spikes: &[(u32, u32)],
    inputs: &[(u32, u32)],
    neurons: u32,
    steps: u32,
    path: &Path,
) -> Plot {
    let n_in = inputs.iter().map(|x| x.1 + 1).max().unwrap_or(0);
    let root = SVGBackend::new(path, (900, 560)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(
            -0.5..f64::from(steps) + 0.5,
            -(f64::from(n_in)) - 1.0..f64::from(neurons),
        )?;
    chart
        .configure_mesh()
        .x_desc("step")
        .y_desc("inputs (below 0), neurons")
        .draw()?;
    chart.draw_series(inputs.iter().map(|&(s, k)| {
        Circle::new(
            (f64::from(s), -(f64::from(k)) - 1.0),
            2,
            BLUE.mix(0.5).filled(),
        )
    }))?;
    chart.draw_series(
        spikes
            .iter()
            .map(|&(s, n)| Circle::new((f64::from(s), f64::from(n)), 3, RED.filled())),
    )?;
    root.present()?;
    Ok(())
}

/// `usage[i][j]`: spikes through grid cell (i, j); tiles (odd, odd) grey.
pub fn heat(title: &str, usage: &[Vec<u64>], path: &Path) -> Result<()> {
    wrap(path, draw_heat(title, usage, path))
}

fn draw_heat(title: &str, usage: &[Vec<u64>], path: &Path) -> Plot {
    let rows = usage.len();
    let cols = usage.first().map_or(0, Vec::len);
    let max = usage.iter().flatten().copied().max().unwrap_or(0).max(1) as f64;
    let root = SVGBackend::new(path, (120 * cols as u32 + 120, 120 * rows as u32 + 80))
        .into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 16))
        .margin(12)
        .x_label_area_size(30)
        .y_label_area_size(30)
        .build_cartesian_2d(0..cols as i32, rows as i32..0)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("grid column j")
        .y_desc("grid row i")
        .draw()?;
    for (i, row) in usage.iter().enumerate() {
        for (j, &u) in row.iter().enumerate() {
            let (i, j) = (i as i32, j as i32);
            let tile = i % 2 == 1 && j % 2 == 1;
            let color = if tile {
                RGBColor(200, 200, 200)
            } else {
                let x = u as f64 / max;
                RGBColor(255, (255.0 * (1.0 - x)) as u8, (255.0 * (1.0 - x)) as u8)
            };
            chart.draw_series(std::iter::once(Rectangle::new(
                [(j, i), (j + 1, i + 1)],
                color.filled(),
            )))?;
            let label = if tile {
                "tile".to_string()
            } else {
                u.to_string()
            };
            chart.draw_series(std::iter::once(Text::new(
                label,
                (j, i),
                ("sans-serif", 14).into_font(),
            )))?;
        }
    }
    root.present()?;
    Ok(())
}

/// Accuracy (%) against sigma, one line per series, a dashed ideal line.
pub fn sweep(series: &[(String, Vec<(f64, f64)>)], ideal: f64, path: &Path) -> Result<()> {
    wrap(path, draw_sweep(series, ideal, path))
}

fn draw_sweep(series: &[(String, Vec<(f64, f64)>)], ideal: f64, path: &Path) -> Plot {
    let xmax = series
        .iter()
        .flat_map(|s| s.1.iter().map(|p| p.0))
        .fold(0.1f64, f64::max);
    let root = SVGBackend::new(path, (760, 480)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption("accuracy vs device variability", ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(52)
        .build_cartesian_2d(0.0..xmax * 1.05, 0.0..100.0)?;
    chart
        .configure_mesh()
        .x_desc("sigma (device-to-device and programming, log-normal / relative)")
        .y_desc("test accuracy (%)")
        .draw()?;
    chart
        .draw_series(LineSeries::new(
            vec![(0.0, ideal), (xmax * 1.05, ideal)],
            BLACK.mix(0.4),
        ))?
        .label("ideal devices")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], BLACK.mix(0.4)));
    for (k, (name, pts)) in series.iter().enumerate() {
        let c = Palette99::pick(k).to_rgba();
        chart
            .draw_series(LineSeries::new(pts.clone(), c.stroke_width(2)))?
            .label(name.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], c));
        chart.draw_series(pts.iter().map(|&p| Circle::new(p, 3, c.filled())))?;
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(())
}

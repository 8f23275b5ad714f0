//! The cell-level histogram both learning demos write (plotters, SVG):
//! two panels, before and after training, each with two groups of cells
//! (pattern vs noise rows, G+ vs G- columns) in red and blue.

use anyhow::{anyhow, Context, Result};
use plotters::prelude::*;
use std::path::Path;

/// Two groups of cells: the cells (row-major index) for which `first`
/// holds, labelled `labels[0]`, and the others, `labels[1]`.
pub struct Groups<'a> {
    pub first: &'a dyn Fn(usize) -> bool,
    pub labels: [&'a str; 2],
}

/// Writes the histogram of `before` and `after` (ADC codes, `levels`
/// codes wide) to `path`.
pub fn write(
    before: &[u16],
    after: &[u16],
    levels: usize,
    groups: &Groups,
    path: &Path,
) -> Result<()> {
    draw(before, after, levels, groups, path)
        .map_err(|e| anyhow!("{e}"))
        .with_context(|| format!("writing the plot {}", path.display()))
}

fn draw(
    before: &[u16],
    after: &[u16],
    levels: usize,
    groups: &Groups,
    path: &Path,
) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::new(path, (760, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let count = |v: &[u16], first: bool| {
        let mut h = vec![0u32; levels];
        for (i, &g) in v.iter().enumerate() {
            if (groups.first)(i) == first {
                h[usize::from(g).min(levels - 1)] += 1;
            }
        }
        h
    };
    let hs = [
        (count(before, true), count(before, false), "before"),
        (count(after, true), count(after, false), "after"),
    ];
    let ymax = hs
        .iter()
        .flat_map(|(a, b, _)| a.iter().chain(b.iter()))
        .copied()
        .max()
        .unwrap_or(1)
        .max(1);
    let areas = root.split_evenly((1, 2));
    for (area, (first, second, when)) in areas.iter().zip(&hs) {
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
        for (h, color, label) in [
            (first, RED.mix(0.6), groups.labels[0]),
            (second, BLUE.mix(0.4), groups.labels[1]),
        ] {
            chart
                .draw_series(h.iter().enumerate().map(|(g, &n)| {
                    Rectangle::new([(g as u32, 0), (g as u32 + 1, n)], color.filled())
                }))?
                .label(label)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.filled())
                });
        }
        chart.configure_series_labels().border_style(BLACK).draw()?;
    }
    root.present()?;
    Ok(())
}

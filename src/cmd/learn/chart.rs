//! What the learning demos' accuracy charts share: the error type of a
//! plotters drawing, its context in the command's error, and the chance
//! line with the legend that close every accuracy chart.

use anyhow::{anyhow, Context, Result};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use std::path::Path;

/// A plotters drawing's outcome.
pub type Plot = Result<(), Box<dyn std::error::Error>>;

/// The drawing's error, naming the file it was writing.
pub fn written(r: Plot, path: &Path) -> Result<()> {
    r.map_err(|e| anyhow!("{e}"))
        .with_context(|| format!("writing the plot {}", path.display()))
}

/// The chance level as a faint line over `x` and the series' legend at
/// `legend`: the last things drawn on an accuracy chart (linear or log
/// x axis).
pub fn chance_and_legend<'a, DB, X>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, RangedCoordf64>>,
    x: (f64, f64),
    chance: f64,
    legend: SeriesLabelPosition,
) -> Plot
where
    DB: DrawingBackend + 'a,
    DB::ErrorType: 'static,
    X: Ranged<ValueType = f64>,
{
    chart
        .draw_series(LineSeries::new(
            vec![(x.0, chance), (x.1, chance)],
            BLACK.mix(0.3),
        ))?
        .label("chance")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.mix(0.3)));
    chart
        .configure_series_labels()
        .position(legend)
        .border_style(BLACK)
        .draw()?;
    Ok(())
}

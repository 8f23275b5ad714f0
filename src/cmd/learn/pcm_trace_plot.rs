//! The PCM-trace demo's plots (plotters, SVG): accuracy per block (the
//! run, its float reference, the long-delay control, chance), the weight
//! and the trace histograms (target-action cells vs the others) and the
//! final accuracy against the reward's delay.

use super::pcm_trace::DelayRun;
use anyhow::Result;
use memforge_sim::learning::{RewardCurve, RewardTask};
use memforge_spec::DesignConfig;
use plotters::prelude::*;
use std::path::Path;

use super::chart::{written, Plot};

/// Writes the learning curve to `path`.
pub fn curve(main: &DelayRun, long: &DelayRun, chance: f64, path: &Path) -> Result<()> {
    written(draw_curve(main, long, chance, path), path)
}

/// Whether row-major cell `i` is its cue's target action.
fn target_cell<'a>(cfg: &DesignConfig, task: &'a RewardTask) -> impl Fn(usize) -> bool + 'a {
    let (rows, cols) = (cfg.tile.rows as usize, cfg.tile.cols as usize);
    let targets = task.targets(task.cues(rows), cols);
    let cue_rows = task.cue_rows.max(1);
    move |i: usize| targets.get(i / cols / cue_rows) == Some(&(i % cols))
}

/// Weight levels before and after (target-action cells vs the others).
pub fn weights(c: &RewardCurve, cfg: &DesignConfig, task: &RewardTask, path: &Path) -> Result<()> {
    let first = target_cell(cfg, task);
    super::level_histogram::write(
        &c.before,
        &c.after,
        1usize << cfg.tile.adc_bits,
        &super::level_histogram::Groups {
            first: &first,
            labels: ["weights of the target actions", "other weights"],
        },
        path,
    )
}

/// Trace conductances at the first and the last reward, as ADC codes of
/// the trace read (target-action cells vs the others).
pub fn traces(c: &RewardCurve, cfg: &DesignConfig, task: &RewardTask, path: &Path) -> Result<()> {
    let adc_max = f64::from((1u32 << cfg.tile.adc_bits) - 1);
    let g_max = cfg.analog.pcm.g_max_us;
    let code = |v: &[f64]| -> Vec<u16> {
        v.iter()
            .map(|g| (g / g_max * adc_max).round().clamp(0.0, adc_max) as u16)
            .collect()
    };
    let first = target_cell(cfg, task);
    super::level_histogram::write(
        &code(&c.traces_first),
        &code(&c.traces_last),
        1usize << cfg.tile.adc_bits,
        &super::level_histogram::Groups {
            first: &first,
            labels: [
                "traces of the target actions (first / last reward)",
                "other traces",
            ],
        },
        path,
    )
}

/// Final accuracy against the delay (model, float reference, chance).
pub fn sweep(points: &[(f64, f64, f64)], chance: f64, path: &Path) -> Result<()> {
    written(draw_sweep(points, chance, path), path)
}

fn draw_curve(main: &DelayRun, long: &DelayRun, chance: f64, path: &Path) -> Plot {
    let root = SVGBackend::new(path, (760, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let last = main.curve.points.len().max(1) as f64;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "PCM-trace delayed-reward bandit: accuracy per block",
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(52)
        .build_cartesian_2d(1.0..last, 0.0..1.05)?;
    chart
        .configure_mesh()
        .x_desc("block of trials")
        .y_desc("rewarded fraction")
        .draw()?;
    let series = |v: Vec<f64>| -> Vec<(f64, f64)> {
        v.into_iter()
            .enumerate()
            .map(|(i, a)| (i as f64 + 1.0, a))
            .collect()
    };
    let acc = |c: &RewardCurve| c.points.iter().map(|p| p.accuracy()).collect::<Vec<_>>();
    chart
        .draw_series(LineSeries::new(
            series(acc(&main.curve)),
            RED.stroke_width(2),
        ))?
        .label(format!("tile, delay {} s", main.delay_s))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED));
    chart
        .draw_series(LineSeries::new(
            series(main.reference.clone()),
            BLACK.stroke_width(1),
        ))?
        .label("float reference, same delay")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK));
    chart
        .draw_series(LineSeries::new(
            series(acc(&long.curve)),
            BLUE.stroke_width(2),
        ))?
        .label(format!("tile, delay {} s (control)", long.delay_s))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLUE));
    super::chart::chance_and_legend(
        &mut chart,
        (1.0, last),
        chance,
        SeriesLabelPosition::LowerRight,
    )?;
    root.present()?;
    Ok(())
}

fn draw_sweep(points: &[(f64, f64, f64)], chance: f64, path: &Path) -> Plot {
    let root = SVGBackend::new(path, (760, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let lo = points
        .iter()
        .map(|p| p.0)
        .fold(f64::INFINITY, f64::min)
        .max(0.1);
    let hi = points.iter().map(|p| p.0).fold(1.0f64, f64::max);
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "PCM-trace: final accuracy against the reward's delay",
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(52)
        .build_cartesian_2d((lo..hi).log_scale(), 0.0..1.05)?;
    chart
        .configure_mesh()
        .x_desc("delay (device seconds)")
        .y_desc("final accuracy")
        .draw()?;
    let at = |f: fn(&(f64, f64, f64)) -> f64| -> Vec<(f64, f64)> {
        points.iter().map(|p| (p.0.max(lo), f(p))).collect()
    };
    chart
        .draw_series(LineSeries::new(at(|p| p.1), RED.stroke_width(2)))?
        .label("tile (golden model)")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED));
    chart.draw_series(
        at(|p| p.1)
            .into_iter()
            .map(|p| Circle::new(p, 3, RED.filled())),
    )?;
    chart
        .draw_series(LineSeries::new(at(|p| p.2), BLACK.stroke_width(1)))?
        .label("float reference")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK));
    super::chart::chance_and_legend(
        &mut chart,
        (lo, hi),
        chance,
        SeriesLabelPosition::UpperRight,
    )?;
    root.present()?;
    Ok(())
}

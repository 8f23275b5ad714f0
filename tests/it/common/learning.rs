//! What the learning tests share: example configs and the golden model's
//! run of the pattern task.

use memforge_sim::cycle::CycleModel;
use memforge_sim::learning::{run_pattern_task, PatternCurve, PatternTask};
use memforge_sim::tile::TileModel;
use memforge_spec::DesignConfig;

/// `examples/FILE`, loaded.
pub fn example(file: &str) -> DesignConfig {
    memforge_spec::load_file(&super::root().join("examples").join(file)).unwrap()
}

/// The golden model's run of `task` on the tile of `cfg`.
pub fn model_curve(cfg: &DesignConfig, task: &PatternTask) -> PatternCurve {
    let mut model = TileModel::new(cfg);
    let layout = model.layout().clone();
    run_pattern_task(cfg, &layout, task, |v, out| {
        model.tick(v);
        model.outputs(out);
    })
    .unwrap()
}

/// The curve on stdout (seen with `--nocapture` or when a test fails).
pub fn print_curve(curve: &PatternCurve) {
    for p in &curve.points {
        println!(
            "window {:4}: pattern rows {:6.2}, noise rows {:6.2}, hits {:.2}, false alarms {:.2}",
            p.window,
            p.pattern_mean(),
            p.noise_mean(),
            p.hit_rate(),
            p.false_alarm_rate()
        );
    }
    println!("SET {}, RESET {}", curve.sets, curve.resets);
}

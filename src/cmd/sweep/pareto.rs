//! The Pareto front of a sweep: the points no other point beats on every
//! objective at once (smaller area, higher fmax, and lower energy per
//! synaptic operation when the points measured it).

use super::point::PointResult;

/// One objective: a metric and whether larger is better.
#[derive(Clone, Copy, Debug)]
pub struct Objective {
    pub metric: &'static str,
    pub maximize: bool,
}

/// The objectives the sweep's results table carries, in plot order.
pub const OBJECTIVES: [Objective; 3] = [
    Objective {
        metric: "area_um2",
        maximize: false,
    },
    Objective {
        metric: "fmax_mhz",
        maximize: true,
    },
    Objective {
        metric: "energy_pj_per_sop",
        maximize: false,
    },
];

/// The objectives every finished point has a value for.
pub fn present(results: &[&PointResult]) -> Vec<Objective> {
    OBJECTIVES
        .into_iter()
        .filter(|o| !results.is_empty() && results.iter().all(|r| value(r, o.metric).is_some()))
        .collect()
}

pub fn value(r: &PointResult, metric: &str) -> Option<f64> {
    r.metrics.get(metric).and_then(serde_json::Value::as_f64)
}

/// Indices (into `results`) of the non-dominated points.
pub fn front(results: &[&PointResult], objectives: &[Objective]) -> Vec<usize> {
    let score = |r: &PointResult| -> Vec<f64> {
        objectives
            .iter()
            .map(|o| {
                let v = value(r, o.metric).unwrap_or(f64::NAN);
                if o.maximize {
                    -v
                } else {
                    v
                }
            })
            .collect()
    };
    let scores: Vec<Vec<f64>> = results.iter().map(|r| score(r)).collect();
    let dominates = |a: &[f64], b: &[f64]| {
        a.iter().zip(b).all(|(x, y)| x <= y) && a.iter().zip(b).any(|(x, y)| x < y)
    };
    (0..scores.len())
        .filter(|&i| !scores.iter().any(|s| dominates(s, &scores[i])))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn point(area: f64, fmax: f64) -> PointResult {
        let mut metrics = BTreeMap::new();
        metrics.insert("area_um2".into(), area.into());
        metrics.insert("fmax_mhz".into(), fmax.into());
        PointResult {
            id: String::new(),
            index: 0,
            params: BTreeMap::new(),
            seed: 0,
            ok: true,
            failed: None,
            error: None,
            metrics,
            seconds: BTreeMap::new(),
        }
    }

    #[test]
    fn the_front_keeps_exactly_the_undominated_points() {
        let pts = [
            point(100.0, 50.0),  // front: smallest
            point(200.0, 100.0), // front
            point(250.0, 90.0),  // dominated by the second
            point(300.0, 150.0), // front: fastest
            point(300.0, 120.0), // dominated by the fourth (equal area)
        ];
        let refs: Vec<&PointResult> = pts.iter().collect();
        let objectives = present(&refs);
        assert_eq!(objectives.len(), 2, "no energy measured, so two objectives");
        assert_eq!(front(&refs, &objectives), vec![0, 1, 3]);
    }
}

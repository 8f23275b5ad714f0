//! Presentations on several threads: every presentation starts from rest
//! and owns nothing of the others, so the samples split into contiguous
//! chunks, one simulator per thread, and the outcomes come back in sample
//! order, equal to one simulator's run over all of them.
//!
//! Only for deterministic cells (ideal and float): analog cells draw read
//! noise from one generator in sample order, which a split would reorder,
//! so [`run_samples`] refuses them.

use super::sim::{NetSim, Outcome};
use anyhow::{bail, Result};

/// Runs every `inputs[i]` (as [`NetSim::run`] with `drain`, no raster),
/// one thread per simulator of `sims` (equal simulators of one mapping,
/// reused across calls), outcomes in sample order.
pub fn run_samples(
    sims: &mut [NetSim],
    inputs: &[Vec<Vec<u32>>],
    drain: usize,
) -> Result<Vec<Outcome>> {
    if sims.is_empty() {
        bail!("no simulator to run the samples on");
    }
    if sims.iter().any(NetSim::has_analog_cells) {
        bail!("analog cells draw read noise in sample order: run them on one thread");
    }
    let chunk = inputs.len().div_ceil(sims.len()).max(1);
    std::thread::scope(|scope| {
        let jobs: Vec<_> = sims
            .iter_mut()
            .zip(inputs.chunks(chunk))
            .map(|(sim, part)| {
                scope.spawn(move || {
                    part.iter()
                        .map(|x| sim.run(x, drain, false))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(inputs.len());
        for j in jobs {
            match j.join() {
                Ok(part) => out.extend(part),
                Err(_) => bail!("a simulator thread panicked"),
            }
        }
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netsim::task::Task;
    use crate::netsim::CellModel;
    use std::path::Path;

    fn digits() -> Task {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        Task::load(&root.join("examples/digits/task.toml")).unwrap()
    }

    #[test]
    fn threads_give_the_outcomes_of_one_simulator_in_order() {
        let task = digits();
        let n = 60;
        let inputs: Vec<_> = (0..n).map(|i| task.spikes(i)).collect();
        let mut one = task.simulator(&CellModel::Ideal).unwrap();
        let want: Vec<Outcome> = inputs
            .iter()
            .map(|x| one.run(x, task.drain(), false))
            .collect();
        assert!(want.iter().any(|o| o.counts.iter().any(|&c| c > 0)));
        for threads in [1, 2, 3, 7] {
            let mut sims: Vec<_> = (0..threads)
                .map(|_| task.simulator(&CellModel::Ideal).unwrap())
                .collect();
            // Twice: the simulators are reused from rest.
            for _ in 0..2 {
                let got = run_samples(&mut sims, &inputs, task.drain()).unwrap();
                assert_eq!(got, want, "{threads} threads");
            }
        }
    }

    #[test]
    fn analog_cells_are_refused() {
        let task = digits();
        let section = Box::new(memforge_spec::analog::AnalogSection::default());
        let model = CellModel::Analog {
            section,
            time_s: 1.0,
        };
        let inputs = vec![task.spikes(0)];
        let mut sims = vec![task.simulator(&model).unwrap()];
        let err = run_samples(&mut sims, &inputs, task.drain()).unwrap_err();
        assert!(err.to_string().contains("one thread"), "{err}");
    }
}

//! Configs of the seed papers' neuron circuits (issue 14): the
//! charge-domain IMC column of Sakemi et al. (PNN, [`pnn`]) and the memristive
//! integrate-and-fire layer after MEMprop ([`mif`]). Each is its own
//! config file (`memforge seed <circuit> CONFIG`) and, as `[neuron.mif]` /
//! `[neuron.pnn]` with `[neuron] kind`, the analog macro of a tile variant
//! ([`tile`]).

pub mod mif;
pub mod pnn;
pub mod tile;

use crate::error::{Problem, Shown};

/// Pushes a problem unless `lo <= value <= hi` (and finite).
pub(crate) fn check_f64(problems: &mut Vec<Problem>, path: &str, value: f64, lo: f64, hi: f64) {
    if !(value.is_finite() && (lo..=hi).contains(&value)) {
        problems.push(Problem {
            path: path.into(),
            value: value.shown(),
            rule: format!("must be in {}..={}", lo.shown(), hi.shown()),
        });
    }
}

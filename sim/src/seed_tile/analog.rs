//! The analog macro of a variant tile, played by the co-simulation with
//! the seed circuits' Rust models: each clock cycle the macro advances its
//! circuit by one clock period with the row pulses (and, PNN, the reset
//! switches) the periphery drives during that cycle, and presents each
//! column's comparator bit for the edge that ends the cycle.
//!
//! - MIF: the layer of `crate::analog::seed::mif` (conductances drawn from
//!   `[neuron.mif]`'s seed as `memforge seed mif` draws them), every
//!   neuron a [`MifStepper`]; a pulsed row drives `v_in` through its
//!   synapses, an idle row floats. Comparator: load voltage >=
//!   `spike_level`. The threshold switch resets the neuron itself.
//! - PNN: one column of `crate::analog::seed::pnn` per tile column (column
//!   `j`'s conductances from seed `seed + j`), the bottom-up model solved
//!   exactly over each cycle; the reset switch is the periphery's
//!   `xbar_reset__<j>` (closed: `r_reset_ohm` to `v_reset`, open:
//!   `r_off_ohm`) instead of the stand-alone model's hysteresis.
//!   Comparator: membrane >= `v_th`.

use crate::analog::seed::mif::{MifLayer, MifStepper};
use crate::analog::seed::pnn::PnnColumn;
use memforge_spec::seed::mif::MifSection;
use memforge_spec::seed::pnn::PnnSection;
use memforge_spec::{DesignConfig, NeuronKind};

/// The MIF layer, cycle by cycle.
#[derive(Clone, Debug)]
pub struct MifMacro {
    p: MifSection,
    /// `g[i * cols + j]` (S).
    g: Vec<f64>,
    neurons: Vec<MifStepper>,
}

/// The PNN columns, cycle by cycle.
#[derive(Clone, Debug)]
pub struct PnnMacro {
    p: PnnSection,
    cols: Vec<PnnColumn>,
    v: Vec<f64>,
}

/// A variant tile's analog macro.
#[derive(Clone, Debug)]
pub enum SeedMacro {
    Mif(MifMacro),
    Pnn(PnnMacro),
}

impl SeedMacro {
    /// The macro of a variant config (`None` for the LIF tile or a config
    /// without its circuit section, which validation refuses).
    pub fn new(cfg: &DesignConfig) -> Option<Self> {
        let n = &cfg.neuron;
        match n.kind {
            NeuronKind::Lif => None,
            NeuronKind::Mif => {
                let p = n.mif.clone()?;
                let g = MifLayer::from_config(&p).g;
                let neurons = (0..p.neurons).map(|_| MifStepper::new(&p)).collect();
                Some(SeedMacro::Mif(MifMacro { p, g, neurons }))
            }
            NeuronKind::Pnn => {
                let p = n.pnn.clone()?;
                let cols = (0..cfg.tile.cols)
                    .map(|j| {
                        PnnColumn::from_config(&PnnSection {
                            seed: p.seed.wrapping_add(u64::from(j)),
                            steps: 1,
                            ..p.clone()
                        })
                    })
                    .collect();
                let v = vec![p.e_leak; cfg.tile.cols as usize];
                Some(SeedMacro::Pnn(PnnMacro { p, cols, v }))
            }
        }
    }

    /// Advances `dt` seconds with rows `pulsed` on and (PNN) the reset
    /// switches `reset` closed.
    pub fn advance(&mut self, dt: f64, pulsed: &[bool], reset: &[bool]) {
        match self {
            SeedMacro::Mif(m) => {
                let cols = m.neurons.len();
                for (j, n) in m.neurons.iter_mut().enumerate() {
                    let g_in: f64 = pulsed
                        .iter()
                        .enumerate()
                        .filter(|(_, on)| **on)
                        .map(|(i, _)| m.g[i * cols + j])
                        .sum();
                    n.advance(dt, g_in, m.p.v_in);
                }
            }
            SeedMacro::Pnn(m) => {
                let p = &m.p;
                let c = p.c_mem_ff * 1e-15;
                let g_l = p.g_leak_ns * 1e-9;
                for (j, (col, v)) in m.cols.iter().zip(m.v.iter_mut()).enumerate() {
                    let g_sw = if reset.get(j).copied().unwrap_or(false) {
                        1.0 / p.r_reset_ohm
                    } else {
                        1.0 / p.r_off_ohm
                    };
                    let (mut g, mut i) = (g_l + g_sw, g_l * p.e_leak + g_sw * p.v_reset);
                    for (k, on) in pulsed.iter().enumerate() {
                        if *on {
                            let (ge, gi) = (col.g_exc[k], col.g_inh[k]);
                            g += ge + gi;
                            i += ge * p.e_exc + gi * p.e_inh;
                        }
                    }
                    let v_inf = i / g;
                    *v = v_inf + (*v - v_inf) * (-dt * g / c).exp();
                }
            }
        }
    }

    /// Column `j`'s comparator bit now.
    pub fn comparator(&self, j: usize) -> bool {
        match self {
            SeedMacro::Mif(m) => m.neurons[j].output() >= m.p.spike_level,
            SeedMacro::Pnn(m) => m.v[j] >= m.p.v_th,
        }
    }

    /// Column `j`'s membrane voltage (V).
    pub fn membrane(&self, j: usize) -> f64 {
        match self {
            SeedMacro::Mif(m) => m.neurons[j].membrane(),
            SeedMacro::Pnn(m) => m.v[j],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(kind: &str) -> DesignConfig {
        let text = format!(
            "[design]\nname = \"t\"\n[tile]\nrows = 16\ncols = 4\n[neuron]\nkind = \"{kind}\"\n[neuron.{kind}]\n{}",
            if kind == "mif" {
                "inputs = 16\nneurons = 4\n"
            } else {
                // No inhibition: every row on charges toward E+.
                "inputs = 16\ng_inh_max_us = 0.0\n"
            }
        );
        memforge_spec::parse_str(&text, "t.toml").unwrap()
    }

    /// Driven with every row on, each macro's neurons reach their
    /// comparators; the PNN membrane then falls back below `v_th` once
    /// its reset switch closes.
    #[test]
    fn driven_columns_fire_and_the_pnn_reset_pulls_down() {
        let rows = vec![true; 16];
        let mut m = SeedMacro::new(&cfg("mif")).unwrap();
        let fired = (0..2000).any(|_| {
            m.advance(10e-9, &rows, &[]);
            m.comparator(0)
        });
        assert!(fired);
        let mut m = SeedMacro::new(&cfg("pnn")).unwrap();
        let open = vec![false; 4];
        let fired = (0..200).any(|_| {
            m.advance(10e-9, &rows, &open);
            m.comparator(0)
        });
        assert!(fired, "{}", m.membrane(0));
        m.advance(10e-9, &rows, &[true; 4]);
        assert!(!m.comparator(0), "{}", m.membrane(0));
    }
}

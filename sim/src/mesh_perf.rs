//! Network figures of the AER mesh from its golden model (cycle-exact with
//! the RTL: `memforge cosim --block aer_mesh` shows they agree every
//! cycle): zero-load latency per source-destination pair next to the
//! analytic XY figure, and saturation throughput under uniform random
//! traffic. Used by `memforge bench mesh`.

use crate::aer_mesh::{AerMeshModel, MeshPins};
use crate::cycle::CycleModel;
use crate::stimulus::bits::{field_below, Bits};
use memforge_spec::blocks::aer_mesh::AerMeshConfig;
use std::collections::VecDeque;

/// Cycles from the edge a packet is taken at its source's local port to
/// the edge it is delivered at its destination's, in an empty mesh with
/// ready receivers: two edges per router on the path (into its FIFO, then
/// into its output register) for `hops + 1` routers, the first of them the
/// edge that takes it: `2 * (hops + 1) - 1` edges to the last output
/// register, plus the edge its receiver takes it at: `2 * hops + 2`.
pub fn analytic_zero_load(hops: u64) -> u64 {
    2 * hops + 2
}

/// Zero-load latency over every source-destination pair.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct ZeroLoad {
    pub pairs: u64,
    pub mean_cycles: f64,
    pub max_cycles: u64,
    /// The mean of [`analytic_zero_load`] over the same pairs.
    pub analytic_mean_cycles: f64,
    /// Pairs whose measured latency differs from the analytic one.
    pub pairs_off_analytic: u64,
}

/// Saturation: every local port offers a packet every cycle.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Saturation {
    pub cycles: u64,
    /// Packets delivered per node per cycle after warm-up.
    pub accepted_per_node_per_cycle: f64,
    /// The XY bisection bound for uniform traffic on this mesh:
    /// `min(1, 4 / max(cols, rows))` packets per node per cycle.
    pub bound_per_node_per_cycle: f64,
}

struct Driver {
    model: AerMeshModel,
    pins: MeshPins,
    v: Vec<u64>,
}

impl Driver {
    fn new(cfg: &AerMeshConfig) -> Self {
        let model = AerMeshModel::new(cfg);
        let n = (cfg.mesh.cols * cfg.mesh.rows) as usize;
        let pins = MeshPins::new(model.layout(), n).expect("the mesh's own layout");
        let mut v = vec![0; model.layout().total_words()];
        pins.rst_n.set(&mut v, 0);
        let mut d = Self { model, pins, v };
        d.step();
        d.pins.rst_n.set(&mut d.v, 1);
        for o in &d.pins.outputs {
            o.ready.set(&mut d.v, 1);
        }
        d
    }

    /// One edge; returns (taken per source, delivered per destination).
    fn step(&mut self) -> (Vec<bool>, Vec<bool>) {
        self.model.outputs(&mut self.v);
        let v = &self.v;
        let taken = self
            .pins
            .inputs
            .iter()
            .map(|l| l.valid.is_high(v) && l.ready.is_high(v))
            .collect();
        let delivered = self
            .pins
            .outputs
            .iter()
            .map(|l| l.valid.is_high(v) && l.ready.is_high(v))
            .collect();
        self.model.tick(&self.v);
        (taken, delivered)
    }

    fn offer(&mut self, src: usize, packet: Option<u64>) {
        let l = self.pins.inputs[src];
        l.valid.set(&mut self.v, u64::from(packet.is_some()));
        l.addr.set(&mut self.v, packet.unwrap_or(0));
    }
}

/// One packet at a time from every source to every destination.
pub fn zero_load(cfg: &AerMeshConfig) -> ZeroLoad {
    let p = &cfg.mesh;
    let (cols, n) = (p.cols as usize, (p.cols * p.rows) as usize);
    let pk = p.layout();
    let mut d = Driver::new(cfg);
    let mut z = ZeroLoad::default();
    let (mut sum, mut analytic) = (0u64, 0u64);
    for src in 0..n {
        for dst in 0..n {
            let packet = pk.pack((dst % cols) as u64, (dst / cols) as u64, 0, src as u64);
            d.offer(src, Some(packet));
            let mut t = 0u64;
            loop {
                let (taken, _) = d.step();
                if taken[src] {
                    break;
                }
            }
            d.offer(src, None);
            loop {
                t += 1;
                let (_, delivered) = d.step();
                if delivered[dst] || t > 10_000 {
                    break;
                }
            }
            let hops = (src % cols).abs_diff(dst % cols) + (src / cols).abs_diff(dst / cols);
            let want = analytic_zero_load(hops as u64);
            z.pairs += 1;
            z.max_cycles = z.max_cycles.max(t);
            z.pairs_off_analytic += u64::from(t != want);
            sum += t;
            analytic += want;
        }
    }
    z.mean_cycles = sum as f64 / z.pairs as f64;
    z.analytic_mean_cycles = analytic as f64 / z.pairs as f64;
    z
}

/// Every local port offers a uniformly addressed packet every cycle (its
/// source queue never empties); throughput counted after `warmup` cycles.
pub fn saturation(cfg: &AerMeshConfig, warmup: u64, cycles: u64, seed: u64) -> Saturation {
    let p = &cfg.mesh;
    let (cols, n) = (p.cols as usize, (p.cols * p.rows) as usize);
    let pk = p.layout();
    let mut d = Driver::new(cfg);
    let mut rng = Bits::new(seed);
    let mut next: Vec<VecDeque<u64>> = vec![VecDeque::new(); n];
    let mut delivered_after = 0u64;
    for cycle in 0..warmup + cycles {
        for (src, q) in next.iter_mut().enumerate() {
            if q.is_empty() {
                let dst = field_below(rng.word(), 16, n as u64) as usize;
                q.push_back(pk.pack((dst % cols) as u64, (dst / cols) as u64, 0, src as u64));
            }
            let head = q.front().copied();
            d.offer(src, head);
        }
        let (taken, delivered) = d.step();
        for (src, t) in taken.iter().enumerate() {
            if *t {
                next[src].pop_front();
            }
        }
        if cycle >= warmup {
            delivered_after += delivered.iter().filter(|x| **x).count() as u64;
        }
    }
    Saturation {
        cycles,
        accepted_per_node_per_cycle: delivered_after as f64 / (n as f64 * cycles as f64),
        bound_per_node_per_cycle: (4.0 / f64::from(p.cols.max(p.rows))).min(1.0),
    }
}

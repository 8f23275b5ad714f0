//! Switching activity of the design's input ports, measured in a real
//! co-simulation run: the block's own stimulus (the demo workload) drives
//! the Verilated RTL in lock step with the golden model, and an observer
//! counts every input bit's toggles and high cycles. OpenSTA then
//! propagates these port activities through the netlist
//! (`set_power_activity -input_ports`); OpenSTA 2.0.17 reads no VCD or SAIF.

use memforge_sim::cycle::PortLayout;
use memforge_sim::stimulus::Stimulus;
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;

/// One input port's activity over the run.
#[derive(Clone, Debug, Serialize)]
pub struct PortActivity {
    pub port: String,
    pub width: u32,
    /// Mean transitions per bit per clock cycle (OpenSTA's `-activity`).
    pub activity: f64,
    /// Mean fraction of cycles a bit is 1 (OpenSTA's `-duty`).
    pub duty: f64,
}

/// Toggle and high-cycle counts per input port over some cycles.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    cycles: u64,
    /// (port index in the layout, toggles, ones) for every input port.
    counts: Vec<(usize, u64, u64)>,
}

impl Counts {
    /// Per-port activities, leaving out `clock` (OpenSTA knows it from the
    /// SDC) and ports that are not inputs.
    pub fn activities(&self, layout: &PortLayout) -> Vec<PortActivity> {
        let cycles = self.cycles.max(1) as f64;
        self.counts
            .iter()
            .map(|&(i, toggles, ones)| {
                let p = &layout.ports[i];
                let bits = cycles * f64::from(p.width.max(1));
                PortActivity {
                    port: p.name.clone(),
                    width: p.width,
                    activity: toggles as f64 / bits,
                    duty: ones as f64 / bits,
                }
            })
            .collect()
    }

    pub fn cycles(&self) -> u64 {
        self.cycles
    }

    /// Cycles in which input `port` was high (its set bits summed over the
    /// cycles; for a one-bit strobe, the cycles it was asserted).
    pub fn ones(&self, layout: &PortLayout, port: &str) -> Option<u64> {
        self.counts
            .iter()
            .find(|(i, _, _)| layout.ports[*i].name == port)
            .map(|&(_, _, ones)| ones)
    }

    fn add(&mut self, other: &Counts) {
        self.cycles += other.cycles;
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            a.1 += b.1;
            a.2 += b.2;
        }
    }
}

/// The counts of a run, per phase of its script.
#[derive(Clone, Debug, Default)]
pub struct Toggles {
    phases: Vec<Counts>,
    previous: Vec<u64>,
    /// Op counts at which the next phase begins (see [`Toggling::new`]).
    boundaries: Vec<u64>,
}

impl Toggles {
    /// The whole run.
    pub fn total(&self) -> Counts {
        let mut t = self.phases.first().cloned().unwrap_or_default();
        for p in self.phases.iter().skip(1) {
            t.add(p);
        }
        t
    }

    /// Phase `i` (0 before the first boundary).
    pub fn phase(&self, i: usize) -> Counts {
        self.phases.get(i).cloned().unwrap_or_default()
    }
}

/// A stimulus that counts its own input toggles.
pub struct Toggling {
    inner: Box<dyn Stimulus>,
    ranges: Vec<(usize, std::ops::Range<usize>)>,
    toggles: Rc<RefCell<Toggles>>,
}

impl Toggling {
    /// Counts into `toggles`, split into phases at `boundaries`: phase `k`
    /// holds the cycles in which the stimulus had completed at least
    /// `boundaries[k - 1]` but fewer than `boundaries[k]` operations of
    /// its script ([`Stimulus::progress`]); no boundaries, one phase.
    pub fn new(
        inner: Box<dyn Stimulus>,
        layout: &PortLayout,
        toggles: Rc<RefCell<Toggles>>,
        boundaries: &[u64],
    ) -> Self {
        let ranges: Vec<(usize, std::ops::Range<usize>)> = (0..layout.ports.len())
            .filter(|&i| layout.ports[i].input)
            .map(|i| (i, layout.range(i)))
            .collect();
        let empty = Counts {
            cycles: 0,
            counts: ranges.iter().map(|(i, _)| (*i, 0, 0)).collect(),
        };
        *toggles.borrow_mut() = Toggles {
            phases: vec![empty; boundaries.len() + 1],
            previous: vec![0; layout.total_words()],
            boundaries: boundaries.to_vec(),
        };
        Toggling {
            inner,
            ranges,
            toggles,
        }
    }
}

impl Stimulus for Toggling {
    fn drive(&mut self, cycle: u64, values: &mut [u64]) {
        self.inner.drive(cycle, values);
        let done = self.inner.progress();
        let mut t = self.toggles.borrow_mut();
        let Toggles {
            phases,
            previous,
            boundaries,
        } = &mut *t;
        let first = cycle == 0;
        let phase = &mut phases[boundaries.iter().filter(|&&b| done >= b).count()];
        for ((_, range), (_, toggles, ones)) in self.ranges.iter().zip(phase.counts.iter_mut()) {
            for w in range.clone() {
                if !first {
                    *toggles += u64::from((values[w] ^ previous[w]).count_ones());
                }
                *ones += u64::from(values[w].count_ones());
                previous[w] = values[w];
            }
        }
        phase.cycles += 1;
    }

    fn finished(&self) -> bool {
        self.inner.finished()
    }

    fn fault(&self) -> Option<String> {
        self.inner.fault()
    }

    fn progress(&self) -> u64 {
        self.inner.progress()
    }
}

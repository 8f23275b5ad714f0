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

/// Toggle and high-cycle counts per input port.
#[derive(Clone, Debug, Default)]
pub struct Toggles {
    cycles: u64,
    /// (port index in the layout, toggles, ones) for every input port.
    counts: Vec<(usize, u64, u64)>,
    previous: Vec<u64>,
}

impl Toggles {
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
}

/// A stimulus that counts its own input toggles.
pub struct Toggling {
    inner: Box<dyn Stimulus>,
    ranges: Vec<(usize, std::ops::Range<usize>)>,
    toggles: Rc<RefCell<Toggles>>,
}

impl Toggling {
    pub fn new(
        inner: Box<dyn Stimulus>,
        layout: &PortLayout,
        toggles: Rc<RefCell<Toggles>>,
    ) -> Self {
        let ranges: Vec<(usize, std::ops::Range<usize>)> = (0..layout.ports.len())
            .filter(|&i| layout.ports[i].input)
            .map(|i| (i, layout.range(i)))
            .collect();
        {
            let mut t = toggles.borrow_mut();
            *t = Toggles {
                cycles: 0,
                counts: ranges.iter().map(|(i, _)| (*i, 0, 0)).collect(),
                previous: vec![0; layout.total_words()],
            };
        }
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
        let mut t = self.toggles.borrow_mut();
        let Toggles {
            cycles,
            counts,
            previous,
        } = &mut *t;
        for ((_, range), (_, toggles, ones)) in self.ranges.iter().zip(counts.iter_mut()) {
            for w in range.clone() {
                if *cycles > 0 {
                    *toggles += u64::from((values[w] ^ previous[w]).count_ones());
                }
                *ones += u64::from(values[w].count_ones());
                previous[w] = values[w];
            }
        }
        *cycles += 1;
    }

    fn finished(&self) -> bool {
        self.inner.finished()
    }

    fn fault(&self) -> Option<String> {
        self.inner.fault()
    }
}

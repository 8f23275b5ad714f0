//! STDP demo: a repeated input pattern hidden in Poisson noise.
//!
//! Time is cut into windows of `window` cycles. In every window each row
//! fires with probability `noise` at a random cycle (noise); in half of the
//! windows (drawn at random) the pattern rows also fire, one after the
//! other, at a random moment. Every cell starts near `g0` (an ideal macro:
//! one ADC code per SET/RESET pulse). A neuron sums the codes of the rows
//! that fire, so at first the pattern and the noise make it fire about as
//! often per input event; STDP potentiates the rows whose events precede a
//! spike, and the pattern rows always do. After training the pattern rows
//! have the higher conductance and the neurons answer the pattern windows
//! more often than the noise-only ones.
//!
//! The task drives the tile's ports only (reset, one Wishbone write of
//! `ctrl`, AER in, AER out always ready, the macro of `[analog]
//! macro_model` (an [`IdealXbar`] by default, device models with
//! `"device"`, see `crate::analog::macro_from_config`) playing the macro
//! from the tile's own `xbar_*` outputs), so the same run can be made
//! against the golden model and against the RTL.

use crate::analog::macro_from_config;
use crate::cosim::session::bus::{BusEvent, BusMaster};
use crate::cycle::PortLayout;
use crate::stimulus::bits::Bits;
use crate::tile::pins::TilePins;
#[cfg(doc)]
use crate::tile::xbar::IdealXbar;
use crate::tile::xbar::XbarMacro;
use memforge_spec::{DesignConfig, RegisterMap};

/// The task's parameters (all deterministic given `seed`).
#[derive(Clone, Debug, PartialEq)]
pub struct PatternTask {
    pub seed: u64,
    /// Training windows (the learning curve has one point per `epoch`).
    pub windows: usize,
    pub epoch: usize,
    /// Cycles per window.
    pub window: u64,
    /// Rows of the pattern.
    pub pattern: Vec<u8>,
    /// Cycles between two consecutive pattern events.
    pub spacing: u64,
    /// Probability (per 256) that a row fires in a window (noise).
    pub noise_per256: u64,
    /// Initial cell level (ADC code) and the spread around it.
    pub g0: u16,
    pub g_spread: u16,
    /// A value written into `learn_ctrl` after reset (None: the
    /// register's reset value from the config), e.g. `0b1111` for
    /// stochastic pulses on a tile generated with deterministic ones.
    pub learn_ctrl: Option<u32>,
}

impl PatternTask {
    /// Whether the task's pulses are stochastic on the tile of `cfg`.
    pub fn stochastic(&self, cfg: &DesignConfig) -> bool {
        self.learn_ctrl.map_or(cfg.learning.stochastic, |c| {
            c >> memforge_spec::learning::ctrl::STOCHASTIC & 1 != 0
        })
    }
}

impl PatternTask {
    /// The demo's default task for a tile of `rows` rows: the first half
    /// of the rows is the pattern; each row fires in ~9 % of the windows
    /// as noise; cells start at 10 +- 4 codes, so that the pattern alone
    /// (4 rows x 10 = 40 codes on the 8x8 tile) stays below the threshold
    /// of 64 before training. (Settings from a small sweep over noise and
    /// initial level; with more noise the false alarms grow with the
    /// weights, see docs/learning.md.)
    pub fn default_for(rows: u32) -> Self {
        let n = (rows / 2).max(1);
        Self {
            seed: 13,
            windows: 600,
            epoch: 50,
            window: 400,
            pattern: (0..n as u8).collect(),
            spacing: 6,
            noise_per256: 24,
            g0: 10,
            g_spread: 4,
            learn_ctrl: None,
        }
    }
}

/// One point of the learning curve (integer sums, so that two runs can be
/// compared bit for bit; the ratios are methods).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PatternPoint {
    /// Windows so far.
    pub window: usize,
    /// Sum of the levels of the pattern rows' cells, and their count.
    pub pattern_sum: u64,
    pub pattern_cells: u64,
    pub noise_sum: u64,
    pub noise_cells: u64,
    /// In this epoch: pattern windows, those with a spike of column 0,
    /// noise-only windows, those with a spike of column 0.
    pub pattern_windows: u64,
    pub pattern_hits: u64,
    pub noise_windows: u64,
    pub noise_hits: u64,
    /// SET and RESET pulses so far on the pattern rows' cells and on the
    /// noise rows' (the spread of stochastic pulses, see
    /// `super::reference::agreement`).
    pub pattern_pulses: u64,
    pub noise_pulses: u64,
}

impl PatternPoint {
    pub fn pattern_mean(&self) -> f64 {
        self.pattern_sum as f64 / self.pattern_cells.max(1) as f64
    }
    pub fn noise_mean(&self) -> f64 {
        self.noise_sum as f64 / self.noise_cells.max(1) as f64
    }
    pub fn hit_rate(&self) -> f64 {
        self.pattern_hits as f64 / self.pattern_windows.max(1) as f64
    }
    pub fn false_alarm_rate(&self) -> f64 {
        self.noise_hits as f64 / self.noise_windows.max(1) as f64
    }
}

/// The outcome of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PatternCurve {
    /// Point 0 is the state before training.
    pub points: Vec<PatternPoint>,
    /// Cell levels (row-major) before and after training.
    pub before: Vec<u16>,
    pub after: Vec<u16>,
    /// SET and RESET pulses the macro received.
    pub sets: u64,
    pub resets: u64,
    pub cycles: u64,
}

/// Cycles of reset at the start.
const RESET_CYCLES: u64 = 3;

/// What a run of a task plays: drawn from `task.seed` in one order, so
/// that the digital runs and the float reference
/// (`super::reference`) see the same initial levels and events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Initial cell levels (row-major).
    pub levels: Vec<u16>,
    /// Cycle of window 0's start.
    pub start: u64,
    /// (cycle, row) of every input event, in time order.
    pub events: Vec<(u64, u8)>,
    /// Per window: whether it has the pattern.
    pub has_pattern: Vec<bool>,
}

/// The plan of `task` on a `rows` x `cols` tile.
pub fn plan(task: &PatternTask, rows: usize, cols: usize) -> Plan {
    let mut rng = Bits::new(task.seed);
    let mut levels = vec![0u16; rows * cols];
    for g in levels.iter_mut() {
        let d = rng.range(0, 2 * u64::from(task.g_spread) + 1) as u16;
        *g = (task.g0 + d).saturating_sub(task.g_spread);
    }
    let start = 16u64;
    let mut events: Vec<(u64, u8)> = Vec::new();
    let mut has_pattern = Vec::with_capacity(task.windows);
    let span = task.spacing * task.pattern.len() as u64;
    for w in 0..task.windows {
        let base = start + w as u64 * task.window;
        for r in 0..rows {
            if rng.range(0, 256) < task.noise_per256 {
                events.push((base + rng.range(0, task.window), r as u8));
            }
        }
        let pat = rng.range(0, 2) == 1;
        has_pattern.push(pat);
        if pat {
            let at = base + rng.range(0, task.window.saturating_sub(span).max(1));
            for (k, &r) in task.pattern.iter().enumerate() {
                events.push((at + k as u64 * task.spacing, r));
            }
        }
    }
    events.sort_by_key(|&(c, r)| (c, r));
    Plan {
        levels,
        start,
        events,
        has_pattern,
    }
}

/// Runs `task` on the tile of `cfg` through `dut` (inputs in, one rising
/// edge, outputs out; the packed vectors of `layout`).
pub fn run_pattern_task(
    cfg: &DesignConfig,
    layout: &PortLayout,
    task: &PatternTask,
    mut dut: impl FnMut(&[u64], &mut [u64]),
) -> Result<PatternCurve, String> {
    let t = &cfg.tile;
    let (rows, cols) = (t.rows as usize, t.cols as usize);
    let pins = TilePins::new(layout).map_err(|e| e.to_string())?;
    let map = RegisterMap::for_design(cfg);
    let ctrl = map.offset_of("ctrl").map_err(|e| e.to_string())?;
    let Plan {
        levels: initial,
        start,
        events,
        has_pattern,
    } = plan(task, rows, cols);
    // The macro the config asks for (`[analog] macro_model`): every run
    // builds its own from the same config and seed, so the golden model's
    // run and the RTL's see the same device draws.
    let mut xbar = macro_from_config(cfg, 1).map_err(|e| format!("the crossbar macro: {e}"))?;
    for (i, &g) in initial.iter().enumerate() {
        xbar.load_cell(i / cols, i % cols, g)
            .map_err(|e| format!("loading the initial levels: {e}"))?;
    }
    // Levels as noise-free reads of each cell (no random draw, so watching
    // them does not change the run).
    let level = |x: &dyn XbarMacro, r: usize, c: usize| x.cell_code(r, c).unwrap_or(0);
    let levels = |x: &dyn XbarMacro| -> Vec<u16> {
        (0..rows * cols)
            .map(|i| level(x, i / cols, i % cols))
            .collect()
    };
    let is_pattern = |r: usize| task.pattern.iter().any(|&p| p as usize == r);
    let point = |x: &dyn XbarMacro, window: usize| {
        let mut p = PatternPoint {
            window,
            ..Default::default()
        };
        for r in 0..rows {
            for c in 0..cols {
                let g = u64::from(level(x, r, c));
                if is_pattern(r) {
                    p.pattern_sum += g;
                    p.pattern_cells += 1;
                } else {
                    p.noise_sum += g;
                    p.noise_cells += 1;
                }
            }
        }
        p
    };

    let mut curve = PatternCurve {
        before: levels(&*xbar),
        ..Default::default()
    };
    curve.points.push(point(&*xbar, 0));
    let mut v = vec![0u64; layout.total_words()];
    let mut out = vec![0u64; layout.total_words()];
    let mut bus = BusMaster::default();
    let mut next_event = 0usize;
    let mut hit = vec![false; task.windows];
    let mut epoch = PatternPoint::default();
    let mut pulses = (0u64, 0u64);
    let end = start + task.windows as u64 * task.window;
    for cycle in 0..end {
        // Inputs of this cycle (outputs after the last edge are in `out`).
        v.copy_from_slice(&out);
        pins.rst.set(&mut v, u64::from(cycle < RESET_CYCLES));
        if cycle == RESET_CYCLES + 4 {
            // Inference and the leak timer on.
            bus.start(true, map.base_address + ctrl, 3);
        }
        if let (Some(value), true) = (task.learn_ctrl, cycle == RESET_CYCLES + 12) {
            if !bus.idle() {
                return Err("the ctrl write was still in flight at the learn_ctrl write".into());
            }
            let lmap = memforge_spec::learning::learning_map(cfg)
                .ok_or("the tile has no learning registers")?;
            let off = lmap.offset_of("learn_ctrl").map_err(|e| e.to_string())?;
            bus.start(true, lmap.base_address + off, value);
        }
        if let BusEvent::Timeout = bus.observe(&pins.wb, &out) {
            return Err("the tile did not acknowledge a register write".into());
        }
        bus.drive(&pins.wb, &mut v);
        // An event offered at an edge where ready is taken.
        let offered = next_event < events.len() && events[next_event].0 <= cycle;
        pins.in_valid.set(&mut v, u64::from(offered));
        pins.in_addr.set(
            &mut v,
            u64::from(if offered { events[next_event].1 } else { 0 }),
        );
        pins.in_value.set(&mut v, u64::from(offered));
        pins.out_ready.set(&mut v, 1);
        // A spike offered now is taken at this edge.
        if pins.out_valid.get(&v) != 0 && pins.out_addr.get(&v) == 0 && cycle >= start {
            let w = ((cycle - start) / task.window) as usize;
            if w < task.windows {
                hit[w] = true;
            }
        }
        pins.adc_valid.set(&mut v, u64::from(xbar.adc_valid()));
        for (p, c) in pins.adc_codes.iter().zip(xbar.adc_codes()) {
            p.set(&mut v, u64::from(*c));
        }
        let cmd = pins.command(&v);
        match cmd.op {
            2 => curve.sets += 1,
            3 => curve.resets += 1,
            _ => {}
        }
        if cmd.op >= 2 && (cmd.row as usize) < rows {
            if is_pattern(cmd.row as usize) {
                pulses.0 += 1;
            } else {
                pulses.1 += 1;
            }
        }
        xbar.clock(&cmd);
        let ready = pins.in_ready.get(&v) != 0;
        dut(&v, &mut out);
        if offered && ready {
            next_event += 1;
        }
        // End of a window: its statistics; end of an epoch: a point.
        if cycle >= start && (cycle + 1 - start).is_multiple_of(task.window) {
            let w = ((cycle + 1 - start) / task.window) as usize - 1;
            if has_pattern[w] {
                epoch.pattern_windows += 1;
                epoch.pattern_hits += u64::from(hit[w]);
            } else {
                epoch.noise_windows += 1;
                epoch.noise_hits += u64::from(hit[w]);
            }
            if (w + 1).is_multiple_of(task.epoch) || w + 1 == task.windows {
                let p = point(&*xbar, w + 1);
                curve.points.push(PatternPoint {
                    pattern_windows: epoch.pattern_windows,
                    pattern_hits: epoch.pattern_hits,
                    noise_windows: epoch.noise_windows,
                    noise_hits: epoch.noise_hits,
                    pattern_pulses: pulses.0,
                    noise_pulses: pulses.1,
                    ..p
                });
                epoch = PatternPoint::default();
            }
        }
    }
    if let Some(fault) = xbar.fault() {
        return Err(format!("the crossbar macro failed: {fault}"));
    }
    curve.after = levels(&*xbar);
    curve.cycles = end;
    Ok(curve)
}

#[cfg(test)]
mod tests {
    use crate::cycle::CycleModel;
    use crate::tile::learn_stdp::StdpState;
    use crate::tile::pins::TilePins;
    use crate::tile::xbar::{IdealXbar, XbarMacro};
    use crate::tile::TileModel;
    use memforge_spec::RegisterMap;

    /// Three events on the 8x8 STDP tile: rows 2 and 5 make column 3 fire
    /// (SET (2,3) and (5,3): causal), then row 1 comes after the spike
    /// (RESET (1,3): anti-causal). The sequencer never takes an event while
    /// the controller is busy, and the controller never drives the bus
    /// while the sequencer is not idle. Prints the cycle table of
    /// docs/learning.md (`--nocapture`).
    #[test]
    fn stdp_arbitration_and_pulses_on_the_tile_model() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/stdp-8x8.toml");
        let mut cfg = memforge_spec::load_file(std::path::Path::new(path)).unwrap();
        cfg.program.pulse_width = 1;
        let mut m = TileModel::new(&cfg);
        let layout = m.layout().clone();
        let pins = TilePins::new(&layout).unwrap();
        let mut x = IdealXbar::new(&cfg, 1);
        for r in 0..8 {
            x.set_level(r, 3, 40);
        }
        let ctrl = RegisterMap::for_design(&cfg).offset_of("ctrl").unwrap();
        let mut v = vec![0u64; layout.total_words()];
        let mut out = v.clone();
        let events = [(10u64, 2u64), (11, 5), (12, 1)];
        let mut next = 0;
        let mut pulses = Vec::new();
        for cycle in 0..160u64 {
            v.copy_from_slice(&out);
            pins.rst.set(&mut v, u64::from(cycle < 3));
            let bus = (5..7).contains(&cycle);
            pins.wb.stb.set(&mut v, u64::from(bus));
            pins.wb.cyc.set(&mut v, u64::from(bus));
            pins.wb.we.set(&mut v, 1);
            pins.wb.sel.set(&mut v, 0xf);
            pins.wb.adr.set(&mut v, u64::from(0x3000_0000 + ctrl));
            pins.wb.dat_i.set(&mut v, 1);
            let offered = next < events.len() && events[next].0 <= cycle;
            pins.in_valid.set(&mut v, u64::from(offered));
            pins.in_addr
                .set(&mut v, if offered { events[next].1 } else { 0 });
            pins.in_value.set(&mut v, 1);
            pins.out_ready.set(&mut v, 1);
            x.drive(&pins, &mut v);
            let cmd = pins.command(&v);
            x.clock(&cmd);
            let l = &m.stdp().unwrap().stdp;
            let (busy, state) = (l.busy(), l.state);
            assert!(state == StdpState::Idle || m.seq.idle(), "cycle {cycle}");
            if cmd.op >= 2 {
                pulses.push((cmd.op, cmd.row, cmd.col));
            }
            if (10..110).contains(&cycle) {
                println!(
                    "{cycle:4} seq {:?} learn {:?} busy {} op {} row {} col {} in_ready {}",
                    m.seq.state,
                    state,
                    u8::from(busy),
                    cmd.op,
                    cmd.row,
                    cmd.col,
                    pins.in_ready.get(&v)
                );
            }
            let took = offered && pins.in_ready.get(&v) != 0;
            let seq_was_idle = m.seq.idle();
            m.tick(&v);
            m.outputs(&mut out);
            if took {
                next += 1;
            }
            let popped = seq_was_idle && !m.seq.idle() && took;
            assert!(
                !(popped && busy),
                "an event was taken while learning was busy"
            );
        }
        assert_eq!(pulses, vec![(2, 2, 3), (2, 5, 3), (3, 1, 3)]);
    }
}

//! Transient analysis of a crossbar of dynamic devices (pulse trains).
//!
//! The crossbar itself has no capacitance, so the circuit is algebraic and
//! only device states evolve: `dw/dt = f(v_dev(t, w), w)`, where `v_dev`
//! comes from a DC solve of the network with each VTEAM at `R(w)`. We
//! integrate that ODE with the embedded Bogacki-Shampine 3(2) Runge-Kutta
//! pair (the method behind MATLAB's `ode23`): each stage is one circuit
//! solve on the reused symbolic factorisation; the local error estimate
//! (3rd minus 2nd order) is kept below `solver.transient_tol` on the state
//! (absolute, since `w` is normalised to [0, 1]) by the usual step-size
//! rule `h *= clamp(0.9 (tol/err)^(1/3), 0.2, 5)`; steps never exceed
//! `solver.max_step_s` and land exactly on every PWL corner and output time
//! so that source edges are never stepped over.
//!
//! In a transient every row's 1T1R access switch is on (the SPICE deck does
//! the same), and static devices keep the law they had at the start.

use super::array::{AnalogError, CrossbarArray};
use super::device::IvLaw;
use super::solver::{Drive, NewtonSettings, Solver};

/// A piecewise-linear voltage source: `(time s, volts)` corners, held
/// constant before the first and after the last.
#[derive(Clone, Debug, PartialEq)]
pub struct Pwl {
    pub points: Vec<(f64, f64)>,
}

impl Pwl {
    /// Value at `t`.
    pub fn at(&self, t: f64) -> f64 {
        let p = &self.points;
        match p.iter().position(|&(tp, _)| tp > t) {
            None => p.last().map_or(0.0, |x| x.1),
            Some(0) => p[0].1,
            Some(k) => {
                let ((t0, v0), (t1, v1)) = (p[k - 1], p[k]);
                v0 + (v1 - v0) * (t - t0) / (t1 - t0)
            }
        }
    }

    /// `count` trapezoidal pulses of `volts`, each `width` s wide at the top
    /// with `edge` s ramps, one every `period` s, starting at `delay`.
    pub fn pulse_train(
        volts: f64,
        width: f64,
        edge: f64,
        period: f64,
        count: usize,
        delay: f64,
    ) -> Pwl {
        let mut points = vec![(0.0, 0.0)];
        for k in 0..count {
            let t = delay + k as f64 * period;
            points.push((t, 0.0));
            points.push((t + edge, volts));
            points.push((t + edge + width, volts));
            points.push((t + 2.0 * edge + width, 0.0));
        }
        points.dedup_by(|a, b| a.0 == b.0);
        Pwl { points }
    }

    /// Appends `other` (whose times are absolute and later).
    pub fn then(mut self, other: &Pwl) -> Pwl {
        let last = self.points.last().map_or(f64::NEG_INFINITY, |p| p.0);
        self.points
            .extend(other.points.iter().filter(|p| p.0 > last));
        self
    }

    /// Checks that the times increase strictly and all values are finite.
    pub fn validate(&self) -> Result<(), AnalogError> {
        let ok = !self.points.is_empty()
            && self
                .points
                .iter()
                .all(|p| p.0.is_finite() && p.1.is_finite())
            && self.points.windows(2).all(|w| w[1].0 > w[0].0);
        if ok {
            Ok(())
        } else {
            Err(AnalogError::Input(
                "PWL source needs strictly increasing finite times".into(),
            ))
        }
    }
}

/// Sampled trajectories of a transient run.
#[derive(Clone, Debug, PartialEq)]
pub struct Trajectory {
    pub times: Vec<f64>,
    /// `states[k][cell]`: VTEAM state of each cell (NaN for static cells).
    pub states: Vec<Vec<f64>>,
    /// `currents[k][col]`: current into each column's sense node (A).
    pub currents: Vec<Vec<f64>>,
    /// Accepted and rejected integration steps.
    pub steps: usize,
    pub rejected: usize,
}

/// What to simulate: one source per row, until `t_stop`, sampled every
/// `t_sample`.
#[derive(Clone, Debug, PartialEq)]
pub struct TransientSpec {
    pub rows: Vec<Pwl>,
    pub t_stop: f64,
    pub t_sample: f64,
}

struct Stage<'a> {
    solver: &'a mut Solver,
    base: Vec<IvLaw>,
    dynamic: Vec<(usize, super::device::Vteam)>,
    /// Netlist element of each dynamic cell.
    elements: Vec<Option<super::netlist::Element>>,
    selected: Vec<bool>,
    newton: NewtonSettings,
}

impl Stage<'_> {
    fn laws(&self, w: &[f64]) -> Vec<IvLaw> {
        let mut laws = self.base.clone();
        for ((cell, model), wk) in self.dynamic.iter().zip(w) {
            laws[*cell] = IvLaw::Linear {
                g: 1.0 / model.resistance(*wk),
            };
        }
        laws
    }

    /// State derivatives and column currents at `(t, w)`.
    fn eval(
        &mut self,
        spec: &TransientSpec,
        t: f64,
        w: &[f64],
    ) -> Result<(Vec<f64>, Vec<f64>), AnalogError> {
        let volts: Vec<f64> = spec.rows.iter().map(|p| p.at(t)).collect();
        let laws = self.laws(w);
        let drive = Drive {
            row_volts: &volts,
            selected: &self.selected,
        };
        let sol = self.solver.solve(&drive, &laws, &self.newton)?;
        let mut dw = Vec::with_capacity(w.len());
        for (((_, model), wk), e) in self.dynamic.iter().zip(w).zip(&self.elements) {
            let vd = e.map_or(0.0, |e| {
                Solver::volts(e.a, &sol.node_volts, &drive)
                    - Solver::volts(e.b, &sol.node_volts, &drive)
            });
            dw.push(model.rate(vd, *wk));
        }
        Ok((dw, sol.column_currents))
    }
}

/// Runs a transient on a copy of the array's circuit (the array's device
/// states are updated to their final values).
pub fn run(array: &mut CrossbarArray, spec: &TransientSpec) -> Result<Trajectory, AnalogError> {
    if spec.rows.len() != array.rows() {
        return Err(AnalogError::Input(format!(
            "{} sources for {} rows",
            spec.rows.len(),
            array.rows()
        )));
    }
    for p in &spec.rows {
        p.validate()?;
    }
    if !(spec.t_stop > 0.0 && spec.t_sample > 0.0 && spec.t_stop / spec.t_sample < 1e7) {
        return Err(AnalogError::Input(
            "t_stop and t_sample must be positive (at most 1e7 samples)".into(),
        ));
    }
    let cfg = array.config().clone();
    let base = array.read_laws();
    let dynamic: Vec<(usize, super::device::Vteam)> = array
        .devices()
        .iter()
        .enumerate()
        .filter_map(|(k, d)| d.as_vteam().map(|v| (k, v.clone())))
        .collect();
    let mut w: Vec<f64> = dynamic.iter().map(|(_, v)| v.w).collect();
    let geo = super::netlist::Geometry::from_config(&cfg, array.rows(), array.cols());
    let mut solver = Solver::with_settings(
        super::netlist::Netlist::build(&geo)?,
        super::solver::LinearSettings::from_config(&cfg.solver),
    )?;
    let mut cell_element = vec![None; array.rows() * array.cols()];
    for e in &solver.netlist().elements {
        if let super::netlist::Kind::Cell { cell } = e.kind {
            cell_element[cell] = Some(*e);
        }
    }
    let elements = dynamic
        .iter()
        .map(|(cell, _)| cell_element[*cell])
        .collect();
    let mut stage = Stage {
        elements,
        solver: &mut solver,
        base,
        dynamic,
        selected: vec![true; array.rows()],
        newton: NewtonSettings::from_config(&cfg.solver),
    };

    // Breakpoints: every PWL corner and every sample time.
    let n_samples = (spec.t_stop / spec.t_sample).round() as usize;
    let samples: Vec<f64> = (0..=n_samples).map(|k| k as f64 * spec.t_sample).collect();
    let mut breaks: Vec<f64> = samples.clone();
    breaks.extend(spec.rows.iter().flat_map(|p| p.points.iter().map(|x| x.0)));
    breaks.retain(|t| *t > 0.0 && *t <= spec.t_stop * (1.0 + 1e-12));
    breaks.sort_by(f64::total_cmp);
    breaks.dedup_by(|a, b| (*a - *b).abs() <= 1e-15 * b.abs().max(1e-30));

    let tol = cfg.solver.transient_tol;
    let h_max = cfg.solver.max_step_s;
    let mut traj = Trajectory {
        times: Vec::new(),
        states: Vec::new(),
        currents: Vec::new(),
        steps: 0,
        rejected: 0,
    };
    let n_cells = array.rows() * array.cols();
    let record = |traj: &mut Trajectory, t: f64, w: &[f64], cur: Vec<f64>, stage: &Stage| {
        let mut states = vec![f64::NAN; n_cells];
        for ((cell, _), wk) in stage.dynamic.iter().zip(w) {
            states[*cell] = *wk;
        }
        traj.times.push(t);
        traj.states.push(states);
        traj.currents.push(cur);
    };

    let mut t = 0.0;
    let (mut k1, cur0) = stage.eval(spec, t, &w)?;
    record(&mut traj, t, &w, cur0, &stage);
    let mut next_sample = 1;
    let mut h = h_max.min(spec.t_sample);
    for &tb in &breaks {
        while t < tb * (1.0 - 1e-13) {
            let h_try = h.min(tb - t);
            let (k2, _) = stage.eval(spec, t + 0.5 * h_try, &axpy(&w, 0.5 * h_try, &k1))?;
            let (k3, _) = stage.eval(spec, t + 0.75 * h_try, &axpy(&w, 0.75 * h_try, &k2))?;
            let y3: Vec<f64> = (0..w.len())
                .map(|i| w[i] + h_try * (2.0 / 9.0 * k1[i] + 1.0 / 3.0 * k2[i] + 4.0 / 9.0 * k3[i]))
                .collect();
            let (k4, cur) = stage.eval(spec, t + h_try, &y3)?;
            let err = (0..w.len())
                .map(|i| {
                    (h_try
                        * (-5.0 / 72.0 * k1[i] + 1.0 / 12.0 * k2[i] + 1.0 / 9.0 * k3[i]
                            - 1.0 / 8.0 * k4[i]))
                        .abs()
                })
                .fold(0.0f64, f64::max);
            let factor = if err == 0.0 {
                5.0
            } else {
                (0.9 * (tol / err).cbrt()).clamp(0.2, 5.0)
            };
            if err <= tol || h_try <= 1e-18 {
                t = if h_try == tb - t { tb } else { t + h_try };
                w = y3;
                k1 = k4;
                traj.steps += 1;
                h = (h_try * factor).min(h_max);
                if next_sample < samples.len()
                    && (t - samples[next_sample]).abs() <= 1e-12 * spec.t_sample.max(t)
                {
                    record(&mut traj, t, &w, cur, &stage);
                    next_sample += 1;
                }
            } else {
                traj.rejected += 1;
                h = h_try * factor;
            }
            if traj.steps + traj.rejected > 50_000_000 {
                return Err(AnalogError::Input(
                    "transient needs more than 5e7 steps".into(),
                ));
            }
        }
    }
    for ((cell, _), wk) in stage.dynamic.iter().zip(&w) {
        if let Some(v) = array.devices_mut()[*cell].as_vteam_mut() {
            v.w = *wk;
        }
    }
    array.advance_time(spec.t_stop);
    Ok(traj)
}

fn axpy(y: &[f64], h: f64, k: &[f64]) -> Vec<f64> {
    y.iter().zip(k).map(|(a, b)| a + h * b).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use memforge_spec::analog::{AnalogSection, DeviceKind};

    #[test]
    fn pwl_interpolates_and_holds() {
        let p = Pwl::pulse_train(1.0, 10e-9, 2e-9, 40e-9, 2, 5e-9);
        assert_eq!(p.at(0.0), 0.0);
        assert!((p.at(6e-9) - 0.5).abs() < 1e-12);
        assert_eq!(p.at(10e-9), 1.0);
        assert_eq!(p.at(1.0), 0.0);
        assert!(p.validate().is_ok());
        assert!(Pwl {
            points: vec![(1.0, 0.0), (0.5, 1.0)]
        }
        .validate()
        .is_err());
    }

    #[test]
    fn single_device_transient_matches_the_device_integrator() {
        // With no parasitics the device sees the source exactly, so the
        // transient must agree with the constant-voltage RK4 of the model.
        let mut cfg = AnalogSection {
            device: DeviceKind::Vteam,
            ..AnalogSection::default()
        };
        cfg.parasitics.r_wire_row = 0.0;
        cfg.parasitics.r_wire_col = 0.0;
        cfg.parasitics.r_driver = 0.0;
        cfg.parasitics.r_sense = 0.0;
        let mut x = CrossbarArray::new(&cfg, 1, 1).unwrap();
        let src = Pwl {
            points: vec![(0.0, 1.0), (1.0, 1.0)],
        };
        let spec = TransientSpec {
            rows: vec![src],
            t_stop: 200e-9,
            t_sample: 10e-9,
        };
        let traj = run(&mut x, &spec).unwrap();
        let mut reference = crate::analog::device::Vteam::new(&cfg.vteam, cfg.vteam.w_init);
        reference.integrate_constant(1.0, 200e-9);
        let last = traj.states.last().unwrap()[0];
        assert!(
            (last - reference.w).abs() < 1e-6,
            "{last} vs {}",
            reference.w
        );
        assert_eq!(traj.times.len(), 21);
        let i = traj.currents.last().unwrap()[0];
        assert!((i - 1.0 / x.devices()[0].as_vteam().unwrap().resistance(last)).abs() < 1e-12);
    }
}

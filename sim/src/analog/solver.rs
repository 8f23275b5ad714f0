//! Nodal analysis of a crossbar netlist.
//!
//! Every element is a two-terminal conductance between unknown nodes and
//! ideal sources, so the system `G v = b` is symmetric, and positive
//! definite because every unknown reaches a source through positive
//! conductances. Each solve linearises every element once (conductance and
//! companion current per element, `stamp`), then hands the conductances to
//! one of two faer-backed linear solvers that assemble `G` in their own
//! layout:
//!
//! - [`LinePcg`](super::line_pcg): conjugate gradient preconditioned by the
//!   wire lines (the default: linear work per iteration, tens of
//!   iterations);
//! - [`Cholesky`](super::cholesky): sparse `LL^T` with a nested-dissection
//!   symbolic factorisation computed once per topology (the fallback, and
//!   the choice for arrays the lines precondition badly).
//!
//! When no node is merged (every parasitic a real resistance), the same CG
//! runs in [`GridPcg`](super::grid_pcg) instead, which knows the crossbar's
//! shape: no element list, no ordering, a few vectors per cell (the
//! netlist is then built only when asked for, e.g. by the deck writer).
//!
//! Nonlinear devices (sinh) are solved by Newton's method on the same
//! pattern: each iteration stamps the companion model `g_d = dI/dV` and
//! `I_eq = I(V0) - g_d V0`. `dI/dV > 0` keeps the Jacobian positive
//! definite, so both solvers remain valid; CG starts from the previous
//! iterate.

use super::cholesky::Cholesky;
use super::device::IvLaw;
use super::grid_pcg::{GridConductances, GridOutcome, GridPcg};
use super::line_pcg::{LinePcg, PcgOutcome};
use super::netlist::{Element, Geometry, Kind, Netlist, Term};
use super::pattern::Ends;
use memforge_spec::analog::{LinearSolver, SolverSection};
use std::cell::OnceCell;

/// Errors of a solve; none of them panics.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SolveError {
    #[error("expected {expected} {what}, got {got}")]
    Shape {
        what: &'static str,
        expected: usize,
        got: usize,
    },
    #[error("sparse factorisation failed: {0}")]
    Factor(String),
    #[error("Newton did not converge in {iterations} iterations (last step {last_step:.3e} V)")]
    NoConvergence { iterations: u32, last_step: f64 },
    #[error(
        "conjugate gradient did not converge in {iterations} iterations (relative residual \
         {rel_residual:.3e}); raise analog.solver.pcg_max_iter or use \
         analog.solver.linear = \"auto\" or \"cholesky\""
    )]
    PcgNoConvergence {
        iterations: usize,
        rel_residual: f64,
    },
    #[error("the solution is not finite (check device parameters)")]
    NotFinite,
}

/// A deliberately wrong stamp, to prove that the ngspice comparison catches
/// solver bugs. Hidden from the docs: never use it outside tests.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StampFault {
    /// Leave out the off-diagonal entries of wire segments (the matrix stays
    /// positive definite, so only the comparison can notice).
    DropWireCoupling,
}

/// How the rows are driven in one solve.
#[derive(Clone, Copy, Debug)]
pub struct Drive<'a> {
    /// Source voltage of each row (V).
    pub row_volts: &'a [f64],
    /// Whether each row is selected (1T1R access on; floating rows driven).
    pub selected: &'a [bool],
}

/// Newton settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NewtonSettings {
    pub vtol: f64,
    pub reltol: f64,
    pub max_iter: u32,
}

impl Default for NewtonSettings {
    fn default() -> Self {
        NewtonSettings::from_config(&SolverSection::default())
    }
}

impl NewtonSettings {
    /// Whether Newton's step from the old to the new voltages (pairs
    /// `(new, old)`, every node) is within tolerance; past the iteration
    /// limit, the error. One test for both solver paths.
    fn converged<'a>(
        &self,
        pairs: impl Iterator<Item = (&'a f64, &'a f64)>,
        iterations: u32,
    ) -> Result<bool, SolveError> {
        let (mut step, mut scale) = (0.0f64, 0.0f64);
        for (a, b) in pairs {
            step = step.max((a - b).abs());
            scale = scale.max(a.abs());
        }
        if step <= self.vtol + self.reltol * scale {
            Ok(true)
        } else if iterations >= self.max_iter {
            Err(SolveError::NoConvergence {
                iterations,
                last_step: step,
            })
        } else {
            Ok(false)
        }
    }

    /// The Newton settings of an `[analog.solver]` section.
    pub fn from_config(s: &SolverSection) -> Self {
        NewtonSettings {
            vtol: s.newton_vtol,
            reltol: s.newton_reltol,
            max_iter: s.newton_max_iter,
        }
    }
}

/// Which linear solver to use, and CG's iteration limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinearSettings {
    pub solver: LinearSolver,
    pub pcg_max_iter: usize,
}

impl Default for LinearSettings {
    fn default() -> Self {
        LinearSettings::from_config(&SolverSection::default())
    }
}

impl LinearSettings {
    /// The linear-solver settings of an `[analog.solver]` section.
    pub fn from_config(s: &SolverSection) -> Self {
        LinearSettings {
            solver: s.linear,
            pcg_max_iter: s.pcg_max_iter as usize,
        }
    }
}

/// The linear solver that produced a solution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SolvedBy {
    /// No unknowns (every node merged into a source).
    Nothing,
    /// Line-preconditioned conjugate gradient.
    Pcg,
    /// Sparse Cholesky.
    Cholesky,
}

impl SolvedBy {
    pub fn name(self) -> &'static str {
        match self {
            SolvedBy::Nothing => "none",
            SolvedBy::Pcg => "pcg",
            SolvedBy::Cholesky => "cholesky",
        }
    }
}

/// The result of one DC solve.
#[derive(Clone, Debug, PartialEq)]
pub struct Solution {
    /// Unknown node voltages (V), indexed like [`Term::Free`].
    pub node_volts: Vec<f64>,
    /// Current into each column's virtual ground (A).
    pub column_currents: Vec<f64>,
    /// Newton iterations (0 for a linear circuit).
    pub iterations: u32,
    /// The linear solver of the last linear solve.
    pub solved_by: SolvedBy,
    /// Conjugate-gradient iterations over all linear solves (including
    /// ones that did not converge before a fallback to Cholesky).
    pub pcg_iterations: usize,
}

/// `G x = rhs` of one read, element by element ([`Solver::linear_system`]).
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct LinearSystem {
    pub ends: Vec<Ends>,
    pub g: Vec<f64>,
    pub is_device: Vec<bool>,
    pub rhs: Vec<f64>,
}

/// Which linear solver answered a `solve`, and its CG iterations.
struct LinearStats {
    by: SolvedBy,
    pcg_iterations: usize,
}

/// A reusable solver for one netlist topology.
pub struct Solver {
    geometry: Geometry,
    /// Built on first use in the grid path (the deck writer, the transient,
    /// KCL checks, a fallback to Cholesky); always built otherwise.
    net: OnceCell<Netlist>,
    n_free: usize,
    settings: LinearSettings,
    /// The crossbar-shaped CG, when no node is merged and the settings
    /// allow CG.
    grid: Option<GridPcg>,
    /// Unknowns each element joins (`None`: a source terminal); empty
    /// until the element-wise path is first used.
    ends: Vec<Ends>,
    /// Per element, from the last `stamp`: conductance and companion current.
    g: Vec<f64>,
    rhs: Vec<f64>,
    pcg: Option<LinePcg>,
    /// Built on first use (always with `linear = "cholesky"`, on a CG
    /// failure with `"auto"`).
    cholesky: Option<Cholesky>,
    /// With `"auto"`: CG failed on this array once, so Cholesky serves
    /// every later solve.
    pcg_gave_up: bool,
    fault: Option<StampFault>,
}

impl std::fmt::Debug for Solver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Solver")
            .field("unknowns", &self.n_free)
            .field("settings", &self.settings)
            .field("grid", &self.grid)
            .field("pcg", &self.pcg)
            .field("cholesky", &self.cholesky)
            .finish()
    }
}

impl Solver {
    /// A solver with the default settings (`linear = "auto"`).
    pub fn new(net: Netlist) -> Result<Solver, SolveError> {
        Solver::with_settings(net, LinearSettings::default())
    }

    /// Builds what the chosen linear solver needs for this topology: the
    /// patterns and the lines' symbolic factorisation for CG, or the
    /// nested-dissection symbolic factorisation for Cholesky.
    pub fn with_settings(net: Netlist, settings: LinearSettings) -> Result<Solver, SolveError> {
        if Self::grid_suits(&net.geometry, settings) {
            let solver = Self::grid_solver(net.geometry.clone(), settings);
            let _ = solver.net.set(net);
            return Ok(solver);
        }
        Self::element_solver(net, settings)
    }

    /// A solver for the crossbar of `geometry`, without building its
    /// netlist when the crossbar-shaped CG serves it (the lean path for
    /// large arrays).
    pub fn for_geometry(
        geometry: Geometry,
        settings: LinearSettings,
    ) -> Result<Solver, SolveError> {
        geometry
            .check()
            .map_err(|e| SolveError::Factor(e.to_string()))?;
        if Self::grid_suits(&geometry, settings) {
            return Ok(Self::grid_solver(geometry, settings));
        }
        let net = Netlist::build(&geometry).map_err(|e| SolveError::Factor(e.to_string()))?;
        Self::element_solver(net, settings)
    }

    fn grid_suits(geometry: &Geometry, settings: LinearSettings) -> bool {
        geometry.is_regular() && settings.solver != LinearSolver::Cholesky
    }

    fn grid_solver(geometry: Geometry, settings: LinearSettings) -> Solver {
        let per_cell = if geometry.access.is_some() { 3 } else { 2 };
        Solver {
            n_free: per_cell * geometry.rows * geometry.cols,
            grid: Some(GridPcg::new(
                geometry.rows,
                geometry.cols,
                settings.pcg_max_iter,
            )),
            geometry,
            net: OnceCell::new(),
            settings,
            ends: Vec::new(),
            g: Vec::new(),
            rhs: Vec::new(),
            pcg: None,
            cholesky: None,
            pcg_gave_up: false,
            fault: None,
        }
    }

    fn element_solver(net: Netlist, settings: LinearSettings) -> Result<Solver, SolveError> {
        let n = net.n_free;
        let free = |t: Term| match t {
            Term::Free(k) => Some(k),
            _ => None,
        };
        let ends: Vec<_> = net
            .elements
            .iter()
            .map(|e| (free(e.a), free(e.b)))
            .collect();
        let (pcg, cholesky) = match (n, settings.solver) {
            (0, _) => (None, None),
            (_, LinearSolver::Cholesky) => (None, Some(Cholesky::new(&net, &ends)?)),
            (_, LinearSolver::Auto | LinearSolver::Pcg) => {
                let is_device: Vec<bool> = net
                    .elements
                    .iter()
                    .map(|e| matches!(e.kind, Kind::Cell { .. }))
                    .collect();
                let pcg = LinePcg::new(n, &ends, &is_device, settings.pcg_max_iter)?;
                (Some(pcg), None)
            }
        };
        Ok(Solver {
            g: vec![0.0; ends.len()],
            rhs: vec![0.0; n],
            ends,
            geometry: net.geometry.clone(),
            n_free: n,
            net: OnceCell::from(net),
            settings,
            grid: None,
            pcg,
            cholesky,
            pcg_gave_up: false,
            fault: None,
        })
    }

    /// The netlist this solver was built for (built now if the grid path
    /// has not needed it).
    pub fn netlist(&self) -> &Netlist {
        built(&self.net, &self.geometry)
    }

    /// The number of unknown node voltages.
    pub fn unknowns(&self) -> usize {
        self.n_free
    }

    /// The crossbar's geometry.
    pub fn geometry(&self) -> &Geometry {
        &self.geometry
    }

    /// Prepares the element-wise path (ends, stamps) the first time the
    /// grid path hands over to it.
    fn element_wise(&mut self) {
        let net = built(&self.net, &self.geometry);
        if self.ends.len() == net.elements.len() {
            return;
        }
        let free = |t: Term| match t {
            Term::Free(k) => Some(k),
            _ => None,
        };
        self.ends = net
            .elements
            .iter()
            .map(|e| (free(e.a), free(e.b)))
            .collect();
        self.g = vec![0.0; self.ends.len()];
        self.rhs = vec![0.0; net.n_free];
    }

    /// Non-zeros of the factor the solver keeps: the full Cholesky factor
    /// once Cholesky has been used, else the wire lines' factor of the CG
    /// preconditioner (a measure of the solver's memory).
    pub fn factor_nnz(&self) -> usize {
        match (&self.cholesky, &self.pcg, &self.grid) {
            (Some(c), _, _) => c.factor_nnz(),
            (None, Some(p), _) => p.factor_nnz(),
            (None, None, Some(g)) => g.stored(),
            (None, None, None) => 0,
        }
    }

    /// Test-only: make the stamping code deliberately wrong.
    #[doc(hidden)]
    pub fn inject_stamp_fault(&mut self, fault: Option<StampFault>) {
        self.fault = fault;
    }

    /// Conductance of a non-device element in this drive (S).
    fn fixed_conductance(&self, kind: Kind, drive: &Drive) -> f64 {
        let g = &self.geometry;
        match kind {
            Kind::Wire { r } => 1.0 / r,
            Kind::Driver { row } => match g.floating {
                Some(r_float) if !drive.selected[row] => 1.0 / r_float,
                _ => 1.0 / g.r_driver,
            },
            Kind::Sense { .. } => 1.0 / g.r_sense,
            Kind::Access { row } => {
                let (on, off) = g.access.unwrap_or((1.0, 1.0));
                if drive.selected[row] {
                    1.0 / on
                } else {
                    1.0 / off
                }
            }
            Kind::Cell { .. } => 0.0,
        }
    }

    fn term_volts(t: Term, v: &[f64], drive: &Drive) -> f64 {
        match t {
            // `get`: a mismatched vector gives NaN (caught as not finite),
            // never a panic.
            Term::Free(k) => v.get(k).copied().unwrap_or(f64::NAN),
            Term::Driver(i) => drive.row_volts.get(i).copied().unwrap_or(f64::NAN),
            Term::Sense(_) => 0.0,
        }
    }

    /// Current from `a` to `b` of element `e` at node voltages `v` (A).
    fn element_current(&self, e: &Element, v: &[f64], drive: &Drive, laws: &[IvLaw]) -> f64 {
        let vd = Self::term_volts(e.a, v, drive) - Self::term_volts(e.b, v, drive);
        match e.kind {
            Kind::Cell { cell } => laws[cell].current(vd),
            kind => self.fixed_conductance(kind, drive) * vd,
        }
    }

    /// Linearises every element at `v` (companion models for nonlinear
    /// devices) into `g`, and their companion currents and the source
    /// terms into `rhs`.
    fn stamp(&mut self, v: &[f64], drive: &Drive, laws: &[IvLaw]) {
        self.rhs.iter_mut().for_each(|x| *x = 0.0);
        let net = built(&self.net, &self.geometry);
        for (k, e) in net.elements.iter().enumerate() {
            let (g, ieq) = match e.kind {
                Kind::Cell { cell } => {
                    let law = &laws[cell];
                    if law.is_linear() {
                        (law.slope(0.0), 0.0)
                    } else {
                        let vd = Self::term_volts(e.a, v, drive) - Self::term_volts(e.b, v, drive);
                        let gd = law.slope(vd);
                        (gd, law.current(vd) - gd * vd)
                    }
                }
                kind => (self.fixed_conductance(kind, drive), 0.0),
            };
            self.g[k] = g;
            // KCL, currents leaving a node positive: a sees +g(va - vb) + ieq.
            if let Term::Free(a) = e.a {
                self.rhs[a] -= ieq;
                if !matches!(e.b, Term::Free(_)) {
                    self.rhs[a] += g * Self::term_volts(e.b, v, drive);
                }
            }
            if let Term::Free(b) = e.b {
                self.rhs[b] += ieq;
                if !matches!(e.a, Term::Free(_)) {
                    self.rhs[b] += g * Self::term_volts(e.a, v, drive);
                }
            }
        }
    }

    /// Solves `G x = rhs` for the last stamp with the configured linear
    /// solver; `guess` seeds CG. Records the solver and adds the CG
    /// iterations to `stats`.
    fn linear_solve(
        &mut self,
        guess: Option<&[f64]>,
        stats: &mut LinearStats,
    ) -> Result<Vec<f64>, SolveError> {
        if self.n_free == 0 {
            stats.by = SolvedBy::Nothing;
            return Ok(Vec::new());
        }
        let fault = self.fault;
        let net = built(&self.net, &self.geometry);
        let elements = &net.elements;
        let keep_off = |k: usize| {
            !(fault == Some(StampFault::DropWireCoupling)
                && matches!(elements[k].kind, Kind::Wire { .. }))
        };
        let x = match (&mut self.pcg, self.pcg_gave_up) {
            (Some(pcg), false) => match pcg.solve(&self.g, keep_off, &self.rhs, guess) {
                Ok(PcgOutcome::Converged { x, iterations }) => {
                    stats.pcg_iterations += iterations;
                    stats.by = SolvedBy::Pcg;
                    Some(x)
                }
                Ok(PcgOutcome::NotConverged {
                    iterations,
                    rel_residual,
                }) => {
                    stats.pcg_iterations += iterations;
                    if self.settings.solver == LinearSolver::Pcg {
                        return Err(SolveError::PcgNoConvergence {
                            iterations,
                            rel_residual,
                        });
                    }
                    self.pcg_gave_up = true;
                    None
                }
                Err(e) if self.settings.solver == LinearSolver::Pcg => return Err(e),
                Err(_) => {
                    self.pcg_gave_up = true;
                    None
                }
            },
            _ => None,
        };
        let x = match x {
            Some(x) => x,
            None => {
                let cholesky = match &mut self.cholesky {
                    Some(c) => c,
                    slot @ None => slot.insert(Cholesky::new(net, &self.ends)?),
                };
                stats.by = SolvedBy::Cholesky;
                cholesky.solve(&self.g, keep_off, &self.rhs)?
            }
        };
        if x.iter().all(|v| v.is_finite()) {
            Ok(x)
        } else {
            Err(SolveError::NotFinite)
        }
    }

    /// Solves the DC operating point for `drive` with one law per cell.
    pub fn solve(
        &mut self,
        drive: &Drive,
        laws: &[IvLaw],
        newton: &NewtonSettings,
    ) -> Result<Solution, SolveError> {
        let geo = &self.geometry;
        let cells = geo.rows * geo.cols;
        for (what, expected, got) in [
            ("row voltages", geo.rows, drive.row_volts.len()),
            ("row selections", geo.rows, drive.selected.len()),
            ("device laws", cells, laws.len()),
        ] {
            if expected != got {
                return Err(SolveError::Shape {
                    what,
                    expected,
                    got,
                });
            }
        }
        let mut stats = LinearStats {
            by: SolvedBy::Nothing,
            pcg_iterations: 0,
        };
        if self.grid.is_some() && self.fault.is_none() && !self.pcg_gave_up {
            match self.solve_grid(drive, laws, newton) {
                Ok(sol) => return Ok(sol),
                Err(e) if self.settings.solver == LinearSolver::Pcg => return Err(e),
                Err(SolveError::PcgNoConvergence { iterations, .. }) => {
                    stats.pcg_iterations += iterations;
                    self.pcg_gave_up = true;
                }
                Err(SolveError::Factor(_)) => self.pcg_gave_up = true,
                Err(e) => return Err(e),
            }
        }
        self.element_wise();
        let nonlinear = laws.iter().any(|l| !l.is_linear());
        let mut iterations = 0;
        let zero = vec![0.0; self.n_free];
        let v = if !nonlinear {
            self.stamp(&zero, drive, laws);
            self.linear_solve(None, &mut stats)?
        } else {
            // Start from the small-signal (V = 0) conductances.
            let small: Vec<IvLaw> = laws
                .iter()
                .map(|l| IvLaw::Linear { g: l.slope(0.0) })
                .collect();
            self.stamp(&zero, drive, &small);
            let mut v = self.linear_solve(None, &mut stats)?;
            loop {
                iterations += 1;
                self.stamp(&v, drive, laws);
                let next = self.linear_solve(Some(&v), &mut stats)?;
                let done = newton.converged(next.iter().zip(&v), iterations)?;
                v = next;
                if done {
                    break;
                }
            }
            v
        };
        let column_currents = self.column_currents(&v, drive, laws);
        Ok(Solution {
            node_volts: v,
            column_currents,
            iterations,
            solved_by: stats.by,
            pcg_iterations: stats.pcg_iterations,
        })
    }

    /// The fixed conductances of `drive` for the grid path.
    fn grid_conductances(&self, drive: &Drive) -> GridConductances {
        let geo = &self.geometry;
        GridConductances {
            row_wire: 1.0 / geo.r_wire_row,
            col_wire: 1.0 / geo.r_wire_col,
            sense: 1.0 / geo.r_sense,
            driver: drive
                .selected
                .iter()
                .map(|&on| match geo.floating {
                    Some(r_float) if !on => 1.0 / r_float,
                    _ => 1.0 / geo.r_driver,
                })
                .collect(),
            access: geo.access.map(|(on, off)| {
                drive
                    .selected
                    .iter()
                    .map(|&s| if s { 1.0 / on } else { 1.0 / off })
                    .collect()
            }),
        }
    }

    /// The DC solve on the grid path: the same Newton iteration as the
    /// element-wise path (small-signal start, companion models, the same
    /// step test over every node), each linear solve by [`GridPcg`].
    fn solve_grid(
        &mut self,
        drive: &Drive,
        laws: &[IvLaw],
        newton: &NewtonSettings,
    ) -> Result<Solution, SolveError> {
        let fixed = self.grid_conductances(drive);
        let geo = self.geometry.clone();
        let grid = self.grid.as_mut().expect("grid path has its solver");
        let mut pcg_iterations = 0;
        let mut run = |grid: &mut GridPcg, warm: bool| -> Result<(), SolveError> {
            match grid.solve(drive.row_volts, &fixed, warm)? {
                GridOutcome::Converged { iterations } => {
                    pcg_iterations += iterations;
                    Ok(())
                }
                GridOutcome::NotConverged { iterations } => Err(SolveError::PcgNoConvergence {
                    iterations: pcg_iterations + iterations,
                    rel_residual: grid.rel_residual(),
                }),
            }
        };
        // The small-signal (V = 0) conductances: the whole solve for ohmic
        // cells, Newton's start otherwise.
        grid.set_cells_with(|k| laws[k].slope(0.0), &fixed);
        run(grid, false)?;
        let nonlinear = laws.iter().any(|l| !l.is_linear());
        let mid = |grid: &GridPcg, g: &[f64], ieq: &[f64]| match &fixed.access {
            Some(a) => grid.mid_volts(g, ieq, a),
            None => Vec::new(),
        };
        let mut g: Vec<f64> = if fixed.access.is_some() || nonlinear {
            laws.iter().map(|l| l.slope(0.0)).collect()
        } else {
            Vec::new()
        };
        let mut ieq: Vec<f64> = Vec::new();
        let mut mid_v = mid(grid, &g, &ieq);
        let mut iterations = 0;
        if nonlinear {
            ieq = vec![0.0; g.len()];
            loop {
                iterations += 1;
                // Companion models at the device voltages of this iterate.
                for (k, law) in laws.iter().enumerate() {
                    let top = if mid_v.is_empty() {
                        grid.row_v[k]
                    } else {
                        mid_v[k]
                    };
                    let vd = top - grid.col_v[k];
                    let gd = law.slope(vd);
                    g[k] = gd;
                    ieq[k] = law.current(vd) - gd * vd;
                }
                let (old_r, old_c) = (grid.row_v.clone(), grid.col_v.clone());
                grid.set_cells(&g, &ieq, &fixed);
                run(grid, true)?;
                let next_mid = mid(grid, &g, &ieq);
                let steps = (grid.row_v.iter().zip(&old_r))
                    .chain(grid.col_v.iter().zip(&old_c))
                    .chain(next_mid.iter().zip(&mid_v));
                let done = newton.converged(steps, iterations)?;
                mid_v = next_mid;
                if done {
                    break;
                }
            }
        }
        let node_volts = grid_node_volts(&geo, &grid.row_v, &grid.col_v, &mid_v);
        if node_volts.iter().any(|v| !v.is_finite()) {
            return Err(SolveError::NotFinite);
        }
        let last = (geo.rows - 1) * geo.cols;
        let column_currents = grid.col_v[last..].iter().map(|v| fixed.sense * v).collect();
        Ok(Solution {
            node_volts,
            column_currents,
            iterations,
            solved_by: SolvedBy::Pcg,
            pcg_iterations,
        })
    }

    /// The linear system of one read at zero voltage bias (for ohmic
    /// cells, the system itself): per element the unknowns it joins, its
    /// conductance and whether it is a device; the right-hand side. For an
    /// outside reference implementation of the same method (the bench's
    /// scipy leg).
    #[doc(hidden)]
    pub fn linear_system(&mut self, drive: &Drive, laws: &[IvLaw]) -> LinearSystem {
        self.element_wise();
        let zero = vec![0.0; self.n_free];
        self.stamp(&zero, drive, laws);
        LinearSystem {
            ends: self.ends.clone(),
            g: self.g.clone(),
            is_device: self
                .netlist()
                .elements
                .iter()
                .map(|e| matches!(e.kind, Kind::Cell { .. }))
                .collect(),
            rhs: self.rhs.clone(),
        }
    }

    /// Current into each column's virtual ground at node voltages `v`.
    /// NaN for every column when the shapes do not match the netlist.
    pub fn column_currents(&self, v: &[f64], drive: &Drive, laws: &[IvLaw]) -> Vec<f64> {
        let mut out = vec![0.0; self.geometry.cols];
        if !self.shapes_match(v, drive, laws) {
            return vec![f64::NAN; out.len()];
        }
        for e in &self.netlist().elements {
            if let Term::Sense(j) = e.b {
                out[j] += self.element_current(e, v, drive, laws);
            }
            if let Term::Sense(j) = e.a {
                out[j] -= self.element_current(e, v, drive, laws);
            }
        }
        out
    }

    /// Largest KCL imbalance over the unknown nodes (A), for checks.
    /// Infinite when the shapes do not match the netlist.
    pub fn kcl_residual(&self, v: &[f64], drive: &Drive, laws: &[IvLaw]) -> f64 {
        if !self.shapes_match(v, drive, laws) {
            return f64::INFINITY;
        }
        let mut sum = vec![0.0; self.n_free];
        for e in &self.netlist().elements {
            let i = self.element_current(e, v, drive, laws);
            if let Term::Free(a) = e.a {
                sum[a] -= i;
            }
            if let Term::Free(b) = e.b {
                sum[b] += i;
            }
        }
        sum.iter().fold(0.0f64, |m, x| m.max(x.abs()))
    }

    fn shapes_match(&self, v: &[f64], drive: &Drive, laws: &[IvLaw]) -> bool {
        let g = &self.geometry;
        v.len() == self.n_free
            && drive.row_volts.len() == g.rows
            && drive.selected.len() == g.rows
            && laws.len() == g.rows * g.cols
    }

    /// Row-node and column-node voltage of every cell (`i * cols + j`) in
    /// a solution (V), without building the netlist when the numbering is
    /// the regular one.
    pub fn cell_volts(&self, v: &[f64], drive: &Drive) -> (Vec<f64>, Vec<f64>) {
        let geo = &self.geometry;
        if geo.is_regular() {
            let at = |k: usize| v.get(k).copied().unwrap_or(f64::NAN);
            let cells = (0..geo.rows).flat_map(|i| (0..geo.cols).map(move |j| (i, j)));
            cells
                .map(|(i, j)| {
                    let (r, c, _) = geo.regular_node(i, j);
                    (at(r), at(c))
                })
                .unzip()
        } else {
            let net = self.netlist();
            let of = |t: &Term| Self::term_volts(*t, v, drive);
            (
                net.row_node.iter().map(of).collect(),
                net.col_node.iter().map(of).collect(),
            )
        }
    }

    /// Voltage of a node in a solution (V).
    pub fn volts(t: Term, v: &[f64], drive: &Drive) -> f64 {
        Self::term_volts(t, v, drive)
    }
}

/// The netlist of `geometry`, built on first use. The geometry was
/// checked when the solver was made, so the build cannot fail.
fn built<'a>(net: &'a OnceCell<Netlist>, geometry: &Geometry) -> &'a Netlist {
    net.get_or_init(|| Netlist::build(geometry).expect("geometry checked by the solver"))
}

/// The grid path's node voltages in the netlist's numbering
/// ([`Geometry::regular_node`]).
fn grid_node_volts(geo: &Geometry, row_v: &[f64], col_v: &[f64], mid_v: &[f64]) -> Vec<f64> {
    let per_cell = if mid_v.is_empty() { 2 } else { 3 };
    let mut out = vec![0.0; per_cell * row_v.len()];
    for i in 0..geo.rows {
        for j in 0..geo.cols {
            let k = i * geo.cols + j;
            let (r, c, m) = geo.regular_node(i, j);
            out[r] = row_v[k];
            out[c] = col_v[k];
            if let (Some(m), Some(v)) = (m, mid_v.get(k)) {
                out[m] = *v;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn laws(n: usize, g: f64) -> Vec<IvLaw> {
        vec![IvLaw::Linear { g }; n]
    }

    #[test]
    fn single_cell_is_a_voltage_divider() {
        let mut geo = Geometry::ideal(1, 1);
        geo.r_driver = 1000.0;
        geo.r_sense = 1000.0;
        let mut s = Solver::new(Netlist::build(&geo).unwrap()).unwrap();
        let drive = Drive {
            row_volts: &[1.0],
            selected: &[true],
        };
        let sol = s
            .solve(&drive, &laws(1, 1e-3), &NewtonSettings::default())
            .unwrap();
        assert!((sol.column_currents[0] - 1.0 / 3000.0).abs() < 1e-15);
    }

    #[test]
    fn nonlinear_single_cell_satisfies_its_equation() {
        let mut geo = Geometry::ideal(1, 1);
        geo.r_sense = 5000.0;
        let mut s = Solver::new(Netlist::build(&geo).unwrap()).unwrap();
        let law = IvLaw::Sinh { a: 2e-5, v0: 0.25 };
        let drive = Drive {
            row_volts: &[0.5],
            selected: &[true],
        };
        let sol = s.solve(&drive, &[law], &NewtonSettings::default()).unwrap();
        let i = sol.column_currents[0];
        // i flows through the device (0.5 - i R) and the sense resistor.
        assert!((law.current(0.5 - i * 5000.0) - i).abs() < 1e-15);
        assert!(sol.iterations > 1);
    }

    #[test]
    fn shape_errors_are_reported() {
        let mut s = Solver::new(Netlist::build(&Geometry::ideal(2, 2)).unwrap()).unwrap();
        let drive = Drive {
            row_volts: &[1.0],
            selected: &[true, true],
        };
        let err = s
            .solve(&drive, &laws(4, 1e-5), &NewtonSettings::default())
            .unwrap_err();
        assert_eq!(
            err,
            SolveError::Shape {
                what: "row voltages",
                expected: 2,
                got: 1
            }
        );
    }

    #[test]
    fn newton_limit_is_an_error() {
        let mut geo = Geometry::ideal(2, 2);
        geo.r_wire_row = 10.0;
        geo.r_sense = 10.0;
        let mut s = Solver::new(Netlist::build(&geo).unwrap()).unwrap();
        let law = IvLaw::Sinh { a: 1e-5, v0: 0.1 };
        let drive = Drive {
            row_volts: &[0.5, 0.5],
            selected: &[true, true],
        };
        let tight = NewtonSettings {
            vtol: 0.0,
            reltol: 0.0,
            max_iter: 1,
        };
        assert!(matches!(
            s.solve(&drive, &[law; 4], &tight),
            Err(SolveError::NoConvergence { .. })
        ));
    }

    /// A 6x6 crossbar with wires, whose lines CG cannot solve in one step.
    fn coupled(settings: LinearSettings) -> (Solver, Vec<IvLaw>) {
        let mut geo = Geometry::ideal(6, 6);
        geo.r_wire_row = 2.5;
        geo.r_wire_col = 2.5;
        geo.r_driver = 10.0;
        geo.r_sense = 10.0;
        let s = Solver::with_settings(Netlist::build(&geo).unwrap(), settings).unwrap();
        (s, laws(36, 1e-4))
    }

    #[test]
    fn auto_falls_back_to_cholesky_and_stays_there() {
        let drive = Drive {
            row_volts: &[0.2; 6],
            selected: &[true; 6],
        };
        let newton = NewtonSettings::default();
        let (mut exact, laws) = coupled(LinearSettings {
            solver: LinearSolver::Cholesky,
            pcg_max_iter: 1,
        });
        let want = exact.solve(&drive, &laws, &newton).unwrap();
        assert_eq!(want.solved_by, SolvedBy::Cholesky);
        let (mut auto, _) = coupled(LinearSettings {
            solver: LinearSolver::Auto,
            pcg_max_iter: 1,
        });
        let got = auto.solve(&drive, &laws, &newton).unwrap();
        assert_eq!(got.solved_by, SolvedBy::Cholesky);
        assert_eq!(got.pcg_iterations, 1);
        assert_eq!(got.column_currents, want.column_currents);
        // The next solve does not try CG again.
        let again = auto.solve(&drive, &laws, &newton).unwrap();
        assert_eq!(
            (again.solved_by, again.pcg_iterations),
            (SolvedBy::Cholesky, 0)
        );
        // With room to converge, CG solves it and agrees.
        let (mut pcg, _) = coupled(LinearSettings::default());
        let by_pcg = pcg.solve(&drive, &laws, &newton).unwrap();
        assert_eq!(by_pcg.solved_by, SolvedBy::Pcg);
        assert!(by_pcg.pcg_iterations > 1);
        for (a, b) in by_pcg.column_currents.iter().zip(&want.column_currents) {
            assert!((a - b).abs() <= 1e-10 * b.abs(), "{a} vs {b}");
        }
    }

    #[test]
    fn strict_pcg_reports_non_convergence() {
        let (mut s, laws) = coupled(LinearSettings {
            solver: LinearSolver::Pcg,
            pcg_max_iter: 1,
        });
        let drive = Drive {
            row_volts: &[0.2; 6],
            selected: &[true; 6],
        };
        let err = s
            .solve(&drive, &laws, &NewtonSettings::default())
            .unwrap_err();
        assert!(matches!(
            err,
            SolveError::PcgNoConvergence { iterations: 1, .. }
        ));
        assert!(err.to_string().contains("pcg_max_iter"), "{err}");
    }
}

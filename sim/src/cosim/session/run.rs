//! A session run through the lock-step harness: Verilated RTL against
//! [`TileModel`], the session as the stimulus of both.
//!
//! The harness owns its stimulus (and builds it again for a mismatch VCD
//! replay), but the caller wants the session back afterwards: the log and
//! the macro's final cell levels. So the stimulus handed to the harness is
//! a shared handle, and the last session built is unwrapped after the run.

use super::script::{Script, ScriptError};
use super::{Session, SessionLog};
use crate::cosim::{self, CosimError, CosimOptions, CosimReport};
use crate::cycle::CycleModel;
use crate::stimulus::Stimulus;
use crate::tile::{TileModel, XbarMacro};
use crate::verilator::VerilatedLibrary;
use memforge_spec::DesignConfig;
use std::cell::RefCell;
use std::rc::Rc;

/// The harness's handle on a session the caller also holds.
struct Shared<X>(Rc<RefCell<Session<X>>>);

impl<X: XbarMacro> Stimulus for Shared<X> {
    fn drive(&mut self, cycle: u64, values: &mut [u64]) {
        self.0.borrow_mut().drive(cycle, values)
    }

    fn finished(&self) -> bool {
        self.0.borrow().finished()
    }

    fn fault(&self) -> Option<String> {
        self.0.borrow().fault()
    }

    fn progress(&self) -> u64 {
        self.0.borrow().log.ops_done() as u64
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Script(#[from] ScriptError),
    #[error(transparent)]
    Cosim(#[from] CosimError),
    #[error("the session was still shared after the run (a harness bug)")]
    Shared,
}

/// A finished run: the harness's verdict and the session.
pub struct SessionRun<X> {
    pub report: CosimReport,
    pub session: Session<X>,
}

impl<X> SessionRun<X> {
    pub fn log(&self) -> &SessionLog {
        &self.session.log
    }

    /// Why the run does not count: a mismatch, a failed or unfinished
    /// script; `None` when RTL and model agreed on every cycle of a
    /// complete script.
    pub fn problem(&self) -> Option<String> {
        if let Some(m) = &self.report.mismatch {
            return Some(format!("RTL and model differ: {m}"));
        }
        let log = &self.session.log;
        if let Some(f) = &log.failure {
            return Some(f.clone());
        }
        if log.finished_at.is_none() {
            return Some(format!(
                "the script did not finish within {} cycles ({} of {} operations done)",
                self.report.cycles,
                log.ops_done(),
                self.session.ops.len()
            ));
        }
        None
    }
}

/// Runs `script` on the tile of `cfg` (Verilated in `lib`) in lock step
/// with [`TileModel`], the macro built by `make_xbar` (called again for a
/// VCD replay, so it must be deterministic). `opts.cycles` bounds the run.
pub fn run_session<X, F>(
    lib: &VerilatedLibrary,
    cfg: &DesignConfig,
    script: &Script,
    make_xbar: F,
    opts: &CosimOptions,
) -> Result<SessionRun<X>, SessionError>
where
    X: XbarMacro + 'static,
    F: FnMut() -> X,
{
    run_session_observed(lib, cfg, script, make_xbar, opts, &|s| s)
}

/// [`run_session`] with the session seen through `wrap` by the harness: an
/// observer of the stimulus (an activity counter) that passes it on.
pub fn run_session_observed<X, F>(
    lib: &VerilatedLibrary,
    cfg: &DesignConfig,
    script: &Script,
    mut make_xbar: F,
    opts: &CosimOptions,
    wrap: &dyn Fn(Box<dyn Stimulus>) -> Box<dyn Stimulus>,
) -> Result<SessionRun<X>, SessionError>
where
    X: XbarMacro + 'static,
    F: FnMut() -> X,
{
    let layout = TileModel::new(cfg).layout().clone();
    // Checked once here so that the factory below cannot fail.
    Session::new(cfg, &layout, script, make_xbar())?;
    let mut last: Option<Rc<RefCell<Session<X>>>> = None;
    let report = cosim::run(
        lib,
        |_seed| {
            let model = TileModel::new(cfg);
            let session =
                Session::new(cfg, &layout, script, make_xbar()).expect("checked before the run");
            let shared = Rc::new(RefCell::new(session));
            last = Some(shared.clone());
            (model, wrap(Box::new(Shared(shared))))
        },
        opts,
    )?;
    let shared = last.ok_or(SessionError::Shared)?;
    let session = Rc::try_unwrap(shared)
        .map_err(|_| SessionError::Shared)?
        .into_inner();
    Ok(SessionRun { report, session })
}

//! A live Verilated model driven from Rust. Port storage addresses are
//! resolved once at creation, so setting, getting and evaluating are a few
//! loads and stores and one indirect call: no lookups, no allocation.

use super::design::RtlDesign;
use super::error::VerilatorError;
use super::library::Api;
use super::storage::{Slot, Storage};
use crate::cycle::PortSpec;
use libloading::Library;
use std::ffi::{c_void, CString};
use std::path::Path;
use std::ptr::NonNull;
use std::sync::Arc;

/// One instance of a Verilated design. Not `Send`: Verilator ties a model to
/// the thread that evaluates it.
pub struct VerilatedModel {
    handle: NonNull<c_void>,
    api: Api,
    slots: Vec<Slot>,
    ports: Vec<PortSpec>,
    top: String,
    tracing: bool,
    trace_open: bool,
    /// Keeps the code of `api` mapped for as long as the model lives.
    _lib: Arc<Library>,
}

impl VerilatedModel {
    pub(crate) fn new(
        lib: Arc<Library>,
        api: Api,
        design: &RtlDesign,
        tracing: bool,
    ) -> Result<Self, VerilatorError> {
        // SAFETY: `create` returns a fresh handle or null.
        let raw = unsafe { (api.create)(i32::from(tracing)) };
        let handle = NonNull::new(raw).ok_or_else(|| VerilatorError::Create {
            top: design.top.clone(),
        })?;
        let mut model = Self {
            handle,
            api,
            slots: Vec::with_capacity(design.ports.len()),
            ports: design.ports.clone(),
            top: design.top.clone(),
            tracing,
            trace_open: false,
            _lib: lib,
        };
        for (i, p) in design.ports.iter().enumerate() {
            // SAFETY: `i` is below the port count checked at load time.
            let ptr = unsafe { (api.port)(handle.as_ptr(), i as u32) } as *mut u8;
            if ptr.is_null() {
                // `model` is dropped here, destroying the handle.
                return Err(VerilatorError::Port {
                    top: design.top.clone(),
                    port: p.name.clone(),
                    why: "the shim returned no storage".into(),
                });
            }
            model.slots.push(Slot {
                ptr,
                storage: Storage::for_width(p.width),
                width: p.width,
            });
        }
        Ok(model)
    }

    pub fn top(&self) -> &str {
        &self.top
    }

    pub fn ports(&self) -> &[PortSpec] {
        &self.ports
    }

    /// Index of port `name`, for the per-cycle calls below.
    pub fn port_index(&self, name: &str) -> Option<usize> {
        self.ports.iter().position(|p| p.name == name)
    }

    /// Sets port `index` (an input) to the low 64 bits of `value`, masked to
    /// its width; the upper words of a wider port become 0.
    ///
    /// Panics if `index` is not a port index (a caller bug, like slice
    /// indexing).
    #[inline]
    pub fn set(&mut self, index: usize, value: u64) {
        // SAFETY: slots point into the live model owned by `self`.
        unsafe { self.slots[index].write(value) }
    }

    /// Sets port `index` from little-endian 64-bit words (for any width).
    #[inline]
    pub fn set_words(&mut self, index: usize, words: &[u64]) {
        // SAFETY: as in `set`.
        unsafe { self.slots[index].write_words(words) }
    }

    /// The low 64 bits of port `index`.
    #[inline]
    pub fn get(&self, index: usize) -> u64 {
        // SAFETY: as in `set`.
        unsafe { self.slots[index].read() }
    }

    /// Port `index` as little-endian 64-bit words (`out` past the port's
    /// width is zeroed).
    #[inline]
    pub fn get_words(&self, index: usize, out: &mut [u64]) {
        // SAFETY: as in `set`.
        unsafe { self.slots[index].read_words(out) }
    }

    /// Evaluates the model with the current inputs (and dumps a VCD sample
    /// if a trace is open).
    #[inline]
    pub fn eval(&mut self) {
        // SAFETY: the handle is live until drop.
        unsafe { (self.api.eval)(self.handle.as_ptr()) }
    }

    /// One full clock cycle on 1-bit port `clock`: low + eval, high + eval.
    /// Inputs set before the call are seen by the rising edge, and outputs
    /// read after it are those right after the edge.
    #[inline]
    pub fn cycle(&mut self, clock: usize) {
        self.set(clock, 0);
        self.eval();
        self.set(clock, 1);
        self.eval();
    }

    /// Starts writing a VCD of every signal to `path` (one sample per
    /// `eval`; see the shim for the time scale). The model must have been
    /// created with tracing on.
    pub fn open_vcd(&mut self, path: &Path) -> Result<(), VerilatorError> {
        let trace = |why: String| VerilatorError::Trace {
            top: self.top.clone(),
            why,
        };
        if !self.tracing {
            return Err(trace("the model was created without tracing".into()));
        }
        if self.trace_open {
            return Err(trace("a trace is already open".into()));
        }
        let c_path = CString::new(path.as_os_str().as_encoded_bytes())
            .map_err(|_| trace(format!("{} contains a NUL byte", path.display())))?;
        // SAFETY: live handle, NUL-terminated path that outlives the call.
        let rc = unsafe { (self.api.trace_open)(self.handle.as_ptr(), c_path.as_ptr()) };
        if rc != 0 {
            return Err(trace(format!("cannot open {} (code {rc})", path.display())));
        }
        self.trace_open = true;
        Ok(())
    }

    /// Flushes and closes the VCD, if one is open.
    pub fn close_vcd(&mut self) {
        if self.trace_open {
            // SAFETY: live handle.
            unsafe { (self.api.trace_close)(self.handle.as_ptr()) };
            self.trace_open = false;
        }
    }
}

impl Drop for VerilatedModel {
    fn drop(&mut self) {
        // SAFETY: the handle came from `create` and is destroyed once; the
        // library is still loaded (`_lib` drops after this).
        unsafe { (self.api.destroy)(self.handle.as_ptr()) }
    }
}

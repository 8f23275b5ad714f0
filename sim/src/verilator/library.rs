//! A built shim library loaded with `dlopen`, its ABI checked against the
//! design's port list before any model is created from it.

use super::compile::{build_cached, BuildOptions, Harness};
use super::design::RtlDesign;
use super::error::VerilatorError;
use super::model::VerilatedModel;
use super::shim::{self, ABI_VERSION};
use crate::cycle::PortSpec;
use libloading::Library;
use std::ffi::{c_char, c_int, c_void};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The shim's functions, copied out of the library (which is kept alive by
/// every model through an `Arc`).
#[derive(Clone, Copy)]
pub(crate) struct Api {
    pub create: unsafe extern "C" fn(c_int) -> *mut c_void,
    pub destroy: unsafe extern "C" fn(*mut c_void),
    pub port: unsafe extern "C" fn(*mut c_void, u32) -> *mut c_void,
    pub eval: unsafe extern "C" fn(*mut c_void),
    pub trace_open: unsafe extern "C" fn(*mut c_void, *const c_char) -> c_int,
    pub trace_close: unsafe extern "C" fn(*mut c_void),
}

/// A Verilated design ready to instantiate.
pub struct VerilatedLibrary {
    lib: Arc<Library>,
    api: Api,
    design: RtlDesign,
    path: PathBuf,
    trace: bool,
    cached: bool,
}

impl std::fmt::Debug for VerilatedLibrary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerilatedLibrary")
            .field("top", &self.design.top)
            .field("path", &self.path)
            .field("trace", &self.trace)
            .finish()
    }
}

impl VerilatedLibrary {
    /// Verilates `design` with the shim (or takes it from the cache) and
    /// loads it.
    pub fn build(design: &RtlDesign, opts: &BuildOptions) -> Result<Self, VerilatorError> {
        let source = shim::shim_source(design, opts.trace);
        let artifact = build_cached(
            design,
            opts,
            &Harness {
                kind: "lib",
                source_name: "memforge_shim.cpp",
                source: &source,
                output: "libmemforge_shim.so",
                shared: true,
            },
        )?;
        let mut lib = Self::load(&artifact.output, design.clone(), opts.trace)?;
        lib.cached = artifact.cached;
        Ok(lib)
    }

    /// Loads a shim library built for `design` and checks that it is one.
    pub fn load(path: &Path, design: RtlDesign, trace: bool) -> Result<Self, VerilatorError> {
        let load = |source| VerilatorError::Load {
            path: path.to_path_buf(),
            source,
        };
        let abi = |why: String| VerilatorError::Abi {
            path: path.to_path_buf(),
            why,
        };
        // SAFETY: loading runs the library's static constructors; the shim
        // and Verilator's runtime only initialize their own globals.
        let lib = unsafe { Library::new(path) }.map_err(load)?;
        // SAFETY: the symbol types are those the shim defines (ABI_VERSION).
        let api = unsafe {
            let version: unsafe extern "C" fn() -> u32 =
                *lib.get(b"mf_abi_version\0").map_err(load)?;
            if version() != ABI_VERSION {
                return Err(abi(format!(
                    "ABI version {} (expected {ABI_VERSION})",
                    version()
                )));
            }
            let count: unsafe extern "C" fn() -> u32 =
                *lib.get(b"mf_port_count\0").map_err(load)?;
            if count() as usize != design.ports.len() {
                return Err(abi(format!(
                    "{} ports (the design has {})",
                    count(),
                    design.ports.len()
                )));
            }
            let width: unsafe extern "C" fn(u32) -> u32 =
                *lib.get(b"mf_port_width\0").map_err(load)?;
            for (i, p) in design.ports.iter().enumerate() {
                let w = width(i as u32);
                if w != p.width {
                    return Err(abi(format!(
                        "port `{}` is {w} bits (expected {})",
                        p.name, p.width
                    )));
                }
            }
            Api {
                create: *lib.get(b"mf_create\0").map_err(load)?,
                destroy: *lib.get(b"mf_destroy\0").map_err(load)?,
                port: *lib.get(b"mf_port\0").map_err(load)?,
                eval: *lib.get(b"mf_eval\0").map_err(load)?,
                trace_open: *lib.get(b"mf_trace_open\0").map_err(load)?,
                trace_close: *lib.get(b"mf_trace_close\0").map_err(load)?,
            }
        };
        Ok(Self {
            lib: Arc::new(lib),
            api,
            design,
            path: path.to_path_buf(),
            trace,
            cached: false,
        })
    }

    pub fn design(&self) -> &RtlDesign {
        &self.design
    }

    /// Every top-level port, the clock included, in declaration order.
    pub fn ports(&self) -> &[PortSpec] {
        &self.design.ports
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether VCD tracing was compiled in.
    pub fn supports_trace(&self) -> bool {
        self.trace
    }

    /// Whether [`VerilatedLibrary::build`] found it in the cache.
    pub fn was_cached(&self) -> bool {
        self.cached
    }

    /// A fresh model with every register at Verilator's initial value (0).
    /// `tracing` must be true to open a VCD later (Verilator has to know
    /// before the model is constructed); it is refused when tracing was not
    /// compiled in.
    pub fn instantiate(&self, tracing: bool) -> Result<VerilatedModel, VerilatorError> {
        if tracing && !self.trace {
            return Err(VerilatorError::Trace {
                top: self.design.top.clone(),
                why: "the model was built without tracing (build with `trace: true`)".into(),
            });
        }
        VerilatedModel::new(self.lib.clone(), self.api, &self.design, tracing)
    }
}

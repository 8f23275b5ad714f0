//! Everything that can go wrong between a design directory and a running
//! Verilated model. Each variant says what to do about it; none of these
//! paths panics.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum VerilatorError {
    #[error(
        "cannot run verilator at {path}: {source}; install it with `sudo apt-get install -y verilator` or point MEMFORGE_VERILATOR at the executable"
    )]
    NotFound {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("design `{top}`: {why}")]
    Design { top: String, why: String },
    #[error("port `{port}` of `{top}`: {why}")]
    Port {
        top: String,
        port: String,
        why: String,
    },
    #[error("building the Verilated model of `{top}` failed ({status}); full log in {log}; last lines:\n{tail}")]
    Build {
        top: String,
        status: String,
        log: PathBuf,
        tail: String,
    },
    #[error("loading {path}: {source}")]
    Load {
        path: PathBuf,
        #[source]
        source: libloading::Error,
    },
    #[error("{path} is not a memforge shim of the expected shape: {why}; delete the cache directory and rebuild")]
    Abi { path: PathBuf, why: String },
    #[error("the model of `{top}` could not be created (out of memory?)")]
    Create { top: String },
    #[error("the C++ benchmark testbench {exe}: {why}")]
    Bench { exe: PathBuf, why: String },
    #[error("VCD tracing of `{top}`: {why}")]
    Trace { top: String, why: String },
}

impl VerilatorError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| VerilatorError::Io { path, source }
    }
}

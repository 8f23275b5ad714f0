//! The device under test of a lock-step run: anything that takes a block's
//! inputs, is clocked once, and shows its outputs. The harness
//! ([`super::harness`]) knows only this trait; the Verilated RTL
//! ([`VerilatedDut`]) is one implementation and rust-hdl's own simulator
//! (in the CLI crate, which depends on rust-hdl) is another, so every block
//! is checked against its golden model through one loop.

use super::binding::Binding;
use crate::verilator::{VerilatedModel, VerilatorError};
use std::path::Path;

/// A device under test failed to step (not a mismatch: a broken run).
#[derive(Debug, thiserror::Error)]
pub enum DutError {
    #[error(transparent)]
    Verilator(#[from] VerilatorError),
    #[error("{0}")]
    Failed(String),
    #[error("this device under test cannot write a VCD")]
    NoTrace,
}

pub trait Dut {
    /// Applies the input ports of `values`, clocks one rising edge, and
    /// writes the output ports after that edge into `actual`. Both vectors
    /// are packed in the golden model's layout; only output words of
    /// `actual` are written.
    fn cycle(&mut self, values: &[u64], actual: &mut [u64]) -> Result<(), DutError>;

    /// Starts tracing every signal into a VCD at `path`.
    fn open_trace(&mut self, _path: &Path) -> Result<(), DutError> {
        Err(DutError::NoTrace)
    }

    /// Ends the trace (if any), flushing it.
    fn close_trace(&mut self) {}
}

/// The Verilated RTL as a device under test: the model's packed values
/// copied to and from the RTL's ports through a [`Binding`].
pub struct VerilatedDut {
    pub rtl: VerilatedModel,
    pub binding: Binding,
}

impl Dut for VerilatedDut {
    #[inline]
    fn cycle(&mut self, values: &[u64], actual: &mut [u64]) -> Result<(), DutError> {
        let (rtl, b) = (&mut self.rtl, &self.binding);
        for l in &b.inputs {
            if l.words == 1 {
                rtl.set(l.rtl, values[l.start]);
            } else {
                rtl.set_words(l.rtl, &values[l.start..l.start + l.words]);
            }
        }
        rtl.cycle(b.clock);
        for l in &b.outputs {
            if l.words == 1 {
                actual[l.start] = rtl.get(l.rtl);
            } else {
                rtl.get_words(l.rtl, &mut actual[l.start..l.start + l.words]);
            }
        }
        Ok(())
    }

    fn open_trace(&mut self, path: &Path) -> Result<(), DutError> {
        Ok(self.rtl.open_vcd(path)?)
    }

    fn close_trace(&mut self) {
        self.rtl.close_vcd();
    }
}

impl<D: Dut + ?Sized> Dut for Box<D> {
    fn cycle(&mut self, values: &[u64], actual: &mut [u64]) -> Result<(), DutError> {
        (**self).cycle(values, actual)
    }

    fn open_trace(&mut self, path: &Path) -> Result<(), DutError> {
        (**self).open_trace(path)
    }

    fn close_trace(&mut self) {
        (**self).close_trace()
    }
}

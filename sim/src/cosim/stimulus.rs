//! Where the inputs of a co-simulation come from.

/// Produces each cycle's inputs. Implementations are deterministic given
/// their seed, which is what makes a reported mismatch reproducible (and
/// what the VCD replay relies on).
pub trait Stimulus {
    /// Writes the input ports of cycle `cycle` into `values` (packed as the
    /// model's [`crate::cycle::PortLayout`]). On entry the output ports of
    /// `values` hold the outputs after the previous rising edge (the model's
    /// initial outputs at cycle 0), so a reactive stimulus, such as a bus
    /// master waiting for its acknowledge or the analog macro answering the
    /// tile, can depend on them. Input words not written keep last cycle's
    /// values.
    fn drive(&mut self, cycle: u64, values: &mut [u64]);
}

impl<S: Stimulus + ?Sized> Stimulus for Box<S> {
    fn drive(&mut self, cycle: u64, values: &mut [u64]) {
        (**self).drive(cycle, values)
    }
}

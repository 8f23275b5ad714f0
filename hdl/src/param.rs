//! Generation-time values stored inside rust-hdl blocks.
//!
//! `#[derive(LogicBlock)]` requires every field to be a block. `Param<T>` is a
//! block with no hardware: it lets a block keep the configuration it was
//! built from (counts, reset values, styles) and use it in `#[hdl_gen]` loop
//! bounds such as `for i in 0..self.count.0`.

use rust_hdl::prelude::*;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Param<T>(pub T);

impl<T> Logic for Param<T> {
    fn update(&mut self) {}
    fn connect(&mut self) {}
}

impl<T> Block for Param<T> {
    fn connect_all(&mut self) {}
    fn update_all(&mut self) {}
    fn has_changed(&self) -> bool {
        false
    }
    fn accept(&self, _name: &str, _probe: &mut dyn Probe) {}
}

//! Pin groups every family shares, resolved once from a layout: the
//! Caravel Wishbone slave (`wbs_*`) and a valid/ready event link. The
//! golden models, the stimuli and the bus models all use these sets.

use crate::cycle::{MissingPort, Pin, PortLayout};

#[derive(Clone, Copy, Debug)]
pub struct WishbonePins {
    pub stb: Pin,
    pub cyc: Pin,
    pub we: Pin,
    pub sel: Pin,
    pub dat_i: Pin,
    pub adr: Pin,
    pub ack: Pin,
    pub dat_o: Pin,
}

impl WishbonePins {
    pub fn new(layout: &PortLayout) -> Result<Self, MissingPort> {
        let p = |n: &str| layout.pin(n);
        Ok(Self {
            stb: p("wbs_stb_i")?,
            cyc: p("wbs_cyc_i")?,
            we: p("wbs_we_i")?,
            sel: p("wbs_sel_i")?,
            dat_i: p("wbs_dat_i")?,
            adr: p("wbs_adr_i")?,
            ack: p("wbs_ack_o")?,
            dat_o: p("wbs_dat_o")?,
        })
    }

    /// The master's request inputs as the slave sees them.
    pub fn request(&self, v: &[u64]) -> crate::regfile::WbIn {
        crate::regfile::WbIn {
            stb: self.stb.is_high(v),
            cyc: self.cyc.is_high(v),
            we: self.we.is_high(v),
            sel: self.sel.get(v) as u8,
            dat: self.dat_i.get(v) as u32,
            adr: self.adr.get(v) as u32,
        }
    }
}

/// The three pins of one link.
#[derive(Clone, Copy, Debug)]
pub struct LinkPins {
    pub valid: Pin,
    pub addr: Pin,
    pub ready: Pin,
}

impl LinkPins {
    /// The link whose ports are called `valid`, `addr` and `ready`.
    pub fn new(
        layout: &PortLayout,
        valid: &str,
        addr: &str,
        ready: &str,
    ) -> Result<Self, MissingPort> {
        Ok(Self {
            valid: layout.pin(valid)?,
            addr: layout.pin(addr)?,
            ready: layout.pin(ready)?,
        })
    }
}

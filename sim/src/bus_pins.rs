//! The Caravel Wishbone slave's pins (`wbs_*`), resolved once from a
//! layout. Every block with a register file has them; the bus models, the
//! random traffic and the golden models all use this one set.

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

//! The tile's pins, resolved once from a layout built from the tile's port
//! contract (`memforge_spec::blocks::tile`). The golden model, the random
//! traffic and the scripted sessions all use this one set, so the per-cycle
//! work is plain loads and stores and a missing port is one typed error.

use crate::cycle::{MissingPort, Pin, PortLayout};
use crate::pins::WishbonePins;
use crate::tile::sequencer::XbarCmd;
use memforge_spec::blocks::tile::{adc_code_port, RESET};

#[derive(Clone, Debug)]
pub struct TilePins {
    pub rst: Pin,
    pub wb: WishbonePins,
    pub in_addr: Pin,
    pub in_value: Pin,
    pub in_valid: Pin,
    pub in_ready: Pin,
    pub out_addr: Pin,
    pub out_valid: Pin,
    pub out_ready: Pin,
    pub op: Pin,
    pub row: Pin,
    pub col: Pin,
    pub xsel: Pin,
    pub amp: Pin,
    pub width: Pin,
    pub adc_valid: Pin,
    /// `xbar_adc_code__<a>`, in ADC order (as many as the layout has).
    pub adc_codes: Vec<Pin>,
}

impl TilePins {
    /// Resolves the tile's pins in `layout`.
    pub fn new(layout: &PortLayout) -> Result<Self, MissingPort> {
        let p = |n: &str| layout.pin(n);
        let adcs = (0u32..)
            .take_while(|&a| layout.index_of(&adc_code_port(a)).is_some())
            .count() as u32;
        if adcs == 0 {
            layout.pin(&adc_code_port(0))?;
        }
        Ok(Self {
            rst: p(RESET)?,
            wb: WishbonePins::new(layout)?,
            in_addr: p("aer_in_addr")?,
            in_value: p("aer_in_value")?,
            in_valid: p("aer_in_valid")?,
            in_ready: p("aer_in_ready")?,
            out_addr: p("aer_out_addr")?,
            out_valid: p("aer_out_valid")?,
            out_ready: p("aer_out_ready")?,
            op: p("xbar_op")?,
            row: p("xbar_row")?,
            col: p("xbar_col")?,
            xsel: p("xbar_sel")?,
            amp: p("xbar_amp")?,
            width: p("xbar_width")?,
            adc_valid: p("xbar_adc_valid")?,
            adc_codes: (0..adcs)
                .map(|a| p(&adc_code_port(a)))
                .collect::<Result<_, _>>()?,
        })
    }

    /// The crossbar command on the tile's outputs in `values`.
    pub fn command(&self, values: &[u64]) -> XbarCmd {
        let g = |p: Pin| p.get(values) as u8;
        XbarCmd {
            op: g(self.op),
            row: g(self.row),
            col: g(self.col),
            sel: g(self.xsel),
            amp: g(self.amp),
            width: g(self.width),
        }
    }

    /// Writes `cmd` onto the tile's crossbar outputs in `values`.
    pub fn set_command(&self, values: &mut [u64], cmd: &XbarCmd) {
        self.op.set(values, u64::from(cmd.op));
        self.row.set(values, u64::from(cmd.row));
        self.col.set(values, u64::from(cmd.col));
        self.xsel.set(values, u64::from(cmd.sel));
        self.amp.set(values, u64::from(cmd.amp));
        self.width.set(values, u64::from(cmd.width));
    }
}

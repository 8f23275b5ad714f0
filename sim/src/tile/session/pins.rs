//! The tile's ports as fixed word positions in the packed value vector,
//! resolved once by name so that the per-cycle work of a session is plain
//! loads and stores (the harness loop allocates nothing; neither should the
//! stimulus).

use super::script::ScriptError;
use crate::cycle::PortLayout;
use crate::tile::sequencer::XbarCmd;

/// One port: its word and width mask (every tile port is <= 32 bits).
#[derive(Clone, Copy, Debug)]
pub struct Pin {
    word: usize,
    mask: u64,
}

impl Pin {
    fn find(layout: &PortLayout, name: &str) -> Result<Self, ScriptError> {
        let i = layout
            .index_of(name)
            .ok_or_else(|| ScriptError::MissingPort(name.into()))?;
        let width = layout.ports[i].width;
        Ok(Pin {
            word: layout.range(i).start,
            mask: if width >= 64 {
                u64::MAX
            } else {
                (1 << width) - 1
            },
        })
    }

    pub fn get(self, values: &[u64]) -> u64 {
        values[self.word]
    }

    pub fn set(self, values: &mut [u64], value: u64) {
        values[self.word] = value & self.mask;
    }
}

/// Every tile port a session touches.
#[derive(Clone, Debug)]
pub struct TilePins {
    pub rst: Pin,
    pub stb: Pin,
    pub cyc: Pin,
    pub we: Pin,
    pub sel: Pin,
    pub dat_i: Pin,
    pub adr: Pin,
    pub ack: Pin,
    pub dat_o: Pin,
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
    /// `xbar_adc_code__<a>`, in ADC order.
    pub adc_codes: Vec<Pin>,
}

impl TilePins {
    /// Resolves the ports of a tile with `adcs` ADCs in `layout`.
    pub fn new(layout: &PortLayout, adcs: usize) -> Result<Self, ScriptError> {
        let p = |n: &str| Pin::find(layout, n);
        Ok(Self {
            rst: p("wb_rst_i")?,
            stb: p("wbs_stb_i")?,
            cyc: p("wbs_cyc_i")?,
            we: p("wbs_we_i")?,
            sel: p("wbs_sel_i")?,
            dat_i: p("wbs_dat_i")?,
            adr: p("wbs_adr_i")?,
            ack: p("wbs_ack_o")?,
            dat_o: p("wbs_dat_o")?,
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
                .map(|a| p(&format!("xbar_adc_code__{a}")))
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
}

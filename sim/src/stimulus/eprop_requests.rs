//! The random master's requests for an e-prop tile's learning registers
//! (`[learning] rule = "eprop"`): update passes started often, learning
//! signals of both signs, and every parameter register written with
//! values that keep the rule busy (small epsilon, short pulse waits, a
//! saturation level the cells reach), so that the lock-step run has
//! learning pulses, read-backs and refreshes, not just a controller that
//! idles. Used by `super::tile_master` for a quarter of its requests.

use super::bits::field_below;
use memforge_spec::{RegisterMap, UnknownRegister};

#[derive(Clone, Debug)]
pub struct EpropRequests {
    ctrl: u32,
    cmd: u32,
    sig: [u32; 4],
    cfg: u32,
    rate: u32,
    eps: u32,
    h: u32,
    refresh: u32,
    /// Largest ADC code of the tile.
    adc_max: u64,
}

impl EpropRequests {
    pub fn new(map: &RegisterMap, adc_max: u64) -> Result<Self, UnknownRegister> {
        let off = |n: &str| map.offset_of(n);
        Ok(Self {
            ctrl: off("learn_ctrl")?,
            cmd: off("learn_cmd")?,
            sig: [
                off("learn_sig0")?,
                off("learn_sig1")?,
                off("learn_sig2")?,
                off("learn_sig3")?,
            ],
            cfg: off("learn_cfg")?,
            rate: off("learn_rate")?,
            eps: off("learn_eps")?,
            h: off("learn_h")?,
            refresh: off("learn_refresh")?,
            adc_max,
        })
    }

    /// A write (offset, data) from the random word `v`.
    pub fn request(&self, v: u64) -> (u32, u64) {
        let pick = |at: u32, n: u64| field_below(v >> at, 16, n);
        match pick(0, 16) {
            0..=4 => (self.cmd, 1),
            5..=8 => (self.sig[pick(16, 4) as usize], v >> 32 & 0xffff_ffff),
            // Mostly everything on; sometimes the sign baseline or no refresh.
            9 | 10 => (
                self.ctrl,
                if pick(16, 4) == 0 { pick(32, 8) } else { 0b111 },
            ),
            // Decay period 0..63, amplitude, pulse width 0..3.
            11 => (
                self.cfg,
                pick(16, 64) | pick(32, 256) << 16 | pick(48, 4) << 24,
            ),
            // Any decay shift, learning-rate shift and increment.
            12 => (self.rate, v >> 16 & 0xffff),
            13 => (self.eps, 1 + pick(16, 64)),
            14 => (self.h, pick(16, 2 * self.adc_max + 2)),
            _ => (
                self.refresh,
                (self.adc_max / 2 + pick(16, self.adc_max / 2 + 1))
                    | pick(32, 4) << 12
                    | pick(48, 24) << 16,
            ),
        }
    }
}

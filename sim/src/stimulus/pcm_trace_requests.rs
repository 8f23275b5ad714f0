//! The random master's requests for a PCM-trace tile's learning registers
//! (`[learning] rule = "pcm_trace"`): rewards of both signs written often,
//! and the parameters written with values that keep the rule busy (short
//! decay periods and pulse waits, windows that catch spikes, thresholds
//! a few partial SETs exceed), so that the lock-step run has coincidence
//! pulses, trace reads, weight updates and trace RESETs, not a controller
//! that idles. Used by `super::tile_master` for a quarter of its requests.

use super::bits::field_below;
use memforge_spec::{RegisterMap, UnknownRegister};

#[derive(Clone, Debug)]
pub struct PcmTraceRequests {
    ctrl: u32,
    cfg: u32,
    trace: u32,
    reward: u32,
    /// Largest ADC code of the tile.
    adc_max: u64,
}

impl PcmTraceRequests {
    pub fn new(map: &RegisterMap, adc_max: u64) -> Result<Self, UnknownRegister> {
        let off = |n: &str| map.offset_of(n);
        Ok(Self {
            ctrl: off("learn_ctrl")?,
            cfg: off("learn_cfg")?,
            trace: off("learn_trace")?,
            reward: off("learn_reward")?,
            adc_max,
        })
    }

    /// A write (offset, data) from the random word `v`.
    pub fn request(&self, v: u64) -> (u32, u64) {
        let pick = |at: u32, n: u64| field_below(v >> at, 16, n);
        match pick(0, 16) {
            // A reward event of either sign (sometimes a write without [0]).
            0..=5 => (self.reward, u64::from(pick(16, 8) != 0) | pick(32, 2) << 1),
            // Mostly everything on; sometimes a random mix.
            6 | 7 => (
                self.ctrl,
                if pick(16, 4) == 0 {
                    pick(32, 16)
                } else {
                    0b1111
                },
            ),
            // Decay period 0..63, amplitude, pulse width 0..3.
            8..=10 => (
                self.cfg,
                pick(16, 64) | pick(32, 256) << 16 | pick(48, 4) << 24,
            ),
            // Window 0..15 ticks, threshold in the lower quarter of the
            // codes, any partial-SET amplitude.
            _ => (
                self.trace,
                pick(16, 16) | pick(32, self.adc_max / 4 + 1) << 8 | pick(48, 256) << 20,
            ),
        }
    }
}

//! `[learning.pcm_trace]`: the PCM-trace three-factor rule (`[learning]
//! rule = "pcm_trace"`, rule 4 of issue #13, after Demirag et al.,
//! arXiv 2102.07260; `docs/learning_pcm_trace.md`).
//!
//! The eligibility trace of synapse (r, c) is a second PCM device, one per
//! synapse as in the paper, behind the same macro port as the weights: the
//! trace array answers at macro rows `rows .. 2 rows` (trace of (r, c) =
//! macro cell (rows + r, c)), so it is read, SET and RESET with the weight
//! array's bus protocol and ADCs. A pre event of row r opens a coincidence
//! window of `window` decay ticks; a post spike of column c inside it
//! partially SETs trace (r, c); the device's drift decays it; a reward
//! (`learn_reward`) reads every trace row and, where a trace reads above
//! `threshold`, SETs (reward > 0) or RESETs (reward < 0) the weight and
//! RESETs the trace.

use crate::error::Problem;
use crate::regmap::{Access, Register};
use crate::DesignConfig;
use serde::{Deserialize, Serialize};

/// Cycles a trace READ may take before the row is skipped (as the e-prop
/// controller's check reads).
pub const READ_TIMEOUT: u32 = 64;

/// `learn_ctrl` bits of the PCM-trace controller.
pub mod ctrl {
    /// Capture pre events (open windows), count decay ticks, take post
    /// spikes and rewards.
    pub const ENABLE: u32 = 0;
    /// Coincidences partially SET their trace device.
    pub const TRACE: u32 = 1;
    /// A positive reward SETs the weights of traces above the threshold.
    pub const LTP: u32 = 2;
    /// A negative reward RESETs them.
    pub const LTD: u32 = 3;
}

/// `learn_trace` fields: (lsb, width).
pub mod trace_field {
    pub const WINDOW: (u32, u32) = (0, 8);
    pub const THRESHOLD: (u32, u32) = (8, 12);
    pub const AMP: (u32, u32) = (20, 8);
}

/// `learn_reward` bits: a write with [0] set is a reward event, [1] its
/// sign (1: negative).
pub mod reward {
    pub const EVENT: u32 = 0;
    pub const NEGATIVE: u32 = 1;
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PcmTraceSection {
    /// Reset value of `learn_trace[7:0]`: a pre event opens a coincidence
    /// window of this many decay ticks (`learn_cfg[15:0] + 1` cycles each)
    /// for its row; 0 closes every window.
    pub window: u32,
    /// Reset value of `learn_trace[19:8]`: a trace reading above this ADC
    /// code is eligible.
    pub threshold: u32,
    /// Reset value of `learn_trace[27:20]`: amplitude code of the partial
    /// SET a coincidence applies to its trace device.
    pub trace_amplitude: u32,
    /// The harness's trace-macro model only (no hardware): device seconds
    /// per clock cycle. 1e-8 is real time at 100 MHz, where PCM drift
    /// (from `t0` = `analog.pcm.drift_t0_s` on) is invisible within a
    /// simulation; a larger value compresses time so that a run of 1e6
    /// cycles spans the drift's seconds to minutes.
    pub seconds_per_cycle: f64,
}

impl Default for PcmTraceSection {
    fn default() -> Self {
        Self {
            window: 4,
            threshold: 8,
            trace_amplitude: 8,
            seconds_per_cycle: 1e-8,
        }
    }
}

impl PcmTraceSection {
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// Reset value of `learn_trace`.
    pub fn trace_word(&self) -> u32 {
        use trace_field::*;
        let f = |v: u32, (lsb, w): (u32, u32)| (v & ((1 << w) - 1)) << lsb;
        f(self.window, WINDOW) | f(self.threshold, THRESHOLD) | f(self.trace_amplitude, AMP)
    }
}

/// The problems of `cfg.learning.pcm_trace` (checked when the rule is
/// PCM-trace).
pub fn validate_pcm_trace(cfg: &DesignConfig, problems: &mut Vec<Problem>) {
    use crate::validate::check_range;
    let s = &cfg.learning.pcm_trace;
    let t = &cfg.tile;
    check_range(
        problems,
        "learning.pcm_trace.window",
        s.window.into(),
        0,
        255,
    );
    let adc_max = (1u64 << t.adc_bits.min(12)) - 1;
    check_range(
        problems,
        "learning.pcm_trace.threshold",
        s.threshold.into(),
        0,
        adc_max,
    );
    check_range(
        problems,
        "learning.pcm_trace.trace_amplitude",
        s.trace_amplitude.into(),
        1,
        255,
    );
    if !(s.seconds_per_cycle.is_finite() && s.seconds_per_cycle > 0.0 && s.seconds_per_cycle <= 1e3)
    {
        problems.push(Problem {
            path: "learning.pcm_trace.seconds_per_cycle".into(),
            value: s.seconds_per_cycle.to_string(),
            rule: "must be a number in (0, 1000] (device seconds per clock cycle)".into(),
        });
    }
    if t.adc_share != 1 {
        problems.push(Problem {
            path: "tile.adc_share".into(),
            value: t.adc_share.to_string(),
            rule: "must be 1 with rule = \"pcm_trace\" (one READ gives every trace of a row)"
                .into(),
        });
    }
    if 2 * t.rows > 256 {
        problems.push(Problem {
            path: "tile.rows".into(),
            value: t.rows.to_string(),
            rule: "must be at most 128 with rule = \"pcm_trace\" (the trace rows rows..2 rows share the 8-bit macro row address)".into(),
        });
    }
}

/// The PCM-trace registers, right after the tile's window `w`. The
/// random master of the tile traffic writes any word up to 0x10 past the
/// window, so `learn_trace` and `learn_reward` come right after the common
/// three.
pub fn pcm_trace_registers(cfg: &DesignConfig, w: u32) -> Vec<Register> {
    let l = &cfg.learning;
    let p = &cfg.program;
    let ctrl_reset =
        u32::from(l.enable) << ctrl::ENABLE | 1 << ctrl::TRACE | 1 << ctrl::LTP | 1 << ctrl::LTD;
    vec![
        Register::new("learn_ctrl", w, Access::Rw, 4, ctrl_reset,
            "PCM-trace: [0] enable (pre events open coincidence windows, decay ticks, post spikes and rewards are taken), [1] coincidences partially SET their trace device, [2] a positive reward SETs eligible weights, [3] a negative reward RESETs them."),
        Register::new("learn_cfg", w + 0x04, Access::Rw, 32,
            (l.decay_period & 0xffff) | (p.pulse_amplitude & 0xff) << 16 | (p.pulse_width & 0xff) << 24,
            "PCM-trace: a decay tick (every open window shrinks by one) every [15:0]+1 cycles while learn_ctrl[0]; weight SET/RESET and trace RESET pulse amplitude code [23:16], width code [31:24] (cycles the controller waits after any pulse)."),
        Register::new("learn_count", w + 0x08, Access::Ro, 8, 0,
            "PCM-trace: weight SET/RESET pulses applied since reset, modulo 256."),
        Register::new("learn_trace", w + 0x0c, Access::Rw, 28, l.pcm_trace.trace_word(),
            "PCM-trace: [7:0] coincidence window (decay ticks a pre event keeps its row open), [19:8] eligibility threshold (a trace reading above this ADC code is eligible), [27:20] amplitude code of a trace's partial SET."),
        Register::new("learn_reward", w + 0x10, Access::Pulse, 2, 0,
            "PCM-trace third factor: write [0] = 1 for a reward event, [1] its sign (0: positive, SET eligible weights; 1: negative, RESET them); one pass reads every trace row (taken when the sequencer is idle; a reward during a pass runs another after it); reads as 0."),
        Register::new("learn_tcount", w + 0x14, Access::Ro, 24, 0,
            "PCM-trace trace-device operations since reset, each modulo 256: [7:0] partial SETs (coincidences), [15:8] trace-row READs, [23:16] trace RESETs."),
    ]
}

#[cfg(test)]
mod tests {
    use crate::parse_str;

    /// A 4x4 tile's config with `extra`: its error text ("" when it loads).
    fn problems(extra: &str) -> String {
        crate::learning::tests::problems(&format!("[tile]\nrows = 4\ncols = 4\n{extra}"))
    }

    #[test]
    fn bad_pcm_trace_settings_name_the_setting() {
        let base = "[learning]\nrule = \"pcm_trace\"\n";
        assert_eq!(problems(base), "");
        let p = |s: &str| problems(&format!("{base}[learning.pcm_trace]\n{s}\n"));
        assert!(p("window = 256").contains("learning.pcm_trace.window"));
        assert!(p("threshold = 64").contains("learning.pcm_trace.threshold"));
        assert!(p("trace_amplitude = 0").contains("learning.pcm_trace.trace_amplitude"));
        assert!(p("seconds_per_cycle = 0.0").contains("learning.pcm_trace.seconds_per_cycle"));
        assert!(p("windw = 1").contains("windw"));
        assert!(problems(&format!("adc_share = 2\n{base}")).contains("adc_share"));
    }

    #[test]
    fn the_map_follows_the_tile_window_with_its_reset_values() {
        let cfg = parse_str(
            "[design]\nname = \"t\"\n[tile]\nrows = 4\ncols = 4\n[learning]\nrule = \"pcm_trace\"\n[learning.pcm_trace]\nwindow = 9\nthreshold = 20\ntrace_amplitude = 3\n",
            "t",
        )
        .unwrap();
        let map = crate::learning::learning_map(&cfg).unwrap();
        let w = crate::RegisterMap::for_design(&cfg).window_bytes();
        assert_eq!(map.offset_of("learn_ctrl").unwrap(), w);
        assert_eq!(map.offset_of("learn_reward").unwrap(), w + 0x10);
        assert_eq!(map.get("learn_trace").unwrap().reset, 9 | 20 << 8 | 3 << 20);
        assert_eq!(map.get("learn_ctrl").unwrap().reset, 0b1111);
    }
}

//! `[learning.eprop]`: the e-prop-style three-factor rule with
//! mixed-precision accumulation on differential pairs (issue #13, rule 3;
//! `docs/learning_eprop.md`).
//!
//! Neuron `k` of an e-prop tile is the column pair `2k` (G+) / `2k + 1`
//! (G-): its weight from row `i` is `G+[i][2k] - G-[i][2k+1]`. The
//! controller keeps a filtered pre trace per row, a signed accumulator of
//! `acc_bits` per synapse (row x pair), reads the learning signal of each
//! neuron from the register file and turns accumulator crossings of
//! `+-epsilon` into SET pulses on G+ or G-. These are the parameters (reset
//! values of its registers); the rule and the registers are in the doc.

use crate::error::Problem;
use crate::regmap::{Access, Register};
use crate::DesignConfig;
use serde::{Deserialize, Serialize};

/// Learning-signal registers `learn_sig0..3`: four signed bytes each, so a
/// tile has at most 16 neurons (32 columns).
pub const SIG_WORDS: u32 = 4;
/// Largest number of neurons (column pairs) of an e-prop tile.
pub const MAX_PAIRS: u32 = 4 * SIG_WORDS;
/// Cycles a check READ may take (as `READ_TIMEOUT` of the tile).
pub const READ_TIMEOUT: u32 = 64;

/// `learn_ctrl` bits of the e-prop controller.
pub mod ctrl {
    /// Capture input events into the pre traces and decay them.
    pub const ENABLE: u32 = 0;
    /// Mixed precision: integrate into the accumulators (0: the sign-update
    /// baseline, one pulse per non-zero update, no accumulator).
    pub const ACCUMULATE: u32 = 1;
    /// After a pulse, read the pair back and refresh it when saturated.
    pub const REFRESH: u32 = 2;
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EpropParams {
    /// Bits of each synapse's signed accumulator (2..=16).
    pub acc_bits: u32,
    /// Reset value of `learn_eps`: the accumulator threshold.
    pub epsilon: u32,
    /// Reset value of `learn_ctrl[1]` (mixed precision on).
    pub accumulate: bool,
    /// Reset value of `learn_ctrl[2]` (refresh on).
    pub refresh: bool,
    /// A pair is saturated when one of its devices reads `>=` this ADC code.
    pub refresh_high: u32,
    /// Accept band (ADC codes) of the refresh's re-programming.
    pub refresh_tolerance: u32,
    /// Pulses a refresh may spend.
    pub refresh_max_pulses: u32,
    /// Added to a row's pre trace per input event (saturating).
    pub trace_increment: u32,
    /// Per decay tick a trace loses `trace >> decay_shift` (at least 1).
    pub decay_shift: u32,
    /// The update `L * e` is divided by `2^lr_shift` (the learning rate).
    pub lr_shift: u32,
    /// Pseudo-derivative window W: `h = #{j in 1..=4 : |v - thr| < j W}`.
    pub h_window: u32,
}

impl Default for EpropParams {
    fn default() -> Self {
        Self {
            acc_bits: 8,
            epsilon: 32,
            accumulate: true,
            refresh: true,
            refresh_high: 48,
            refresh_tolerance: 1,
            refresh_max_pulses: 64,
            trace_increment: 64,
            decay_shift: 3,
            lr_shift: 6,
            h_window: 16,
        }
    }
}

impl EpropParams {
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// `learn_rate`: decay shift [3:0], lr shift [7:4], trace increment [15:8].
    pub fn rate_word(&self) -> u32 {
        (self.decay_shift & 0xf) | (self.lr_shift & 0xf) << 4 | (self.trace_increment & 0xff) << 8
    }

    /// `learn_refresh`: high [11:0], tolerance [15:12], max pulses [23:16].
    pub fn refresh_word(&self) -> u32 {
        (self.refresh_high & 0xfff)
            | (self.refresh_tolerance & 0xf) << 12
            | (self.refresh_max_pulses & 0xff) << 16
    }
}

/// The problems of `cfg.learning.eprop` (checked when the rule is e-prop).
pub fn validate_eprop(cfg: &DesignConfig, problems: &mut Vec<Problem>) {
    use crate::validate::check_range;
    let e = &cfg.learning.eprop;
    let t = &cfg.tile;
    check_range(
        problems,
        "learning.eprop.acc_bits",
        e.acc_bits.into(),
        2,
        16,
    );
    let half = 1u64 << (e.acc_bits.clamp(2, 16) - 1);
    check_range(
        problems,
        "learning.eprop.epsilon",
        e.epsilon.into(),
        1,
        half - 1,
    );
    let adc_max = (1u64 << t.adc_bits.min(12)) - 1;
    check_range(
        problems,
        "learning.eprop.refresh_high",
        e.refresh_high.into(),
        1,
        adc_max,
    );
    check_range(
        problems,
        "learning.eprop.refresh_tolerance",
        e.refresh_tolerance.into(),
        0,
        15,
    );
    check_range(
        problems,
        "learning.eprop.refresh_max_pulses",
        e.refresh_max_pulses.into(),
        0,
        255,
    );
    check_range(
        problems,
        "learning.eprop.trace_increment",
        e.trace_increment.into(),
        1,
        255,
    );
    check_range(
        problems,
        "learning.eprop.decay_shift",
        e.decay_shift.into(),
        0,
        15,
    );
    check_range(
        problems,
        "learning.eprop.lr_shift",
        e.lr_shift.into(),
        0,
        15,
    );
    check_range(
        problems,
        "learning.eprop.h_window",
        e.h_window.into(),
        0,
        65535,
    );
    if !t.cols.is_multiple_of(2) || t.cols / 2 > MAX_PAIRS {
        problems.push(Problem {
            path: "tile.cols".into(),
            value: t.cols.to_string(),
            rule: format!(
                "an e-prop tile has column pairs (G+, G-): cols must be even and at most {}",
                2 * MAX_PAIRS
            ),
        });
    }
    if t.adc_share != 1 {
        problems.push(Problem {
            path: "tile.adc_share".into(),
            value: t.adc_share.to_string(),
            rule: "must be 1 with rule = \"eprop\" (one READ gives both devices of every pair)"
                .into(),
        });
    }
}

/// The e-prop registers, right after the tile's window `w`.
pub fn eprop_registers(cfg: &DesignConfig, w: u32) -> Vec<Register> {
    let l = &cfg.learning;
    let e = &l.eprop;
    let p = &cfg.program;
    let ctrl_reset = u32::from(l.enable) << ctrl::ENABLE
        | u32::from(e.accumulate) << ctrl::ACCUMULATE
        | u32::from(e.refresh) << ctrl::REFRESH;
    let mut regs = vec![
        Register::new("learn_ctrl", w, Access::Rw, 3, ctrl_reset,
            "e-prop: [0] enable (input events load the pre traces, the traces decay), [1] mixed precision (accumulate lr*L*e per synapse, a SET per epsilon crossing; 0: the sign-update baseline, a SET per non-zero update), [2] refresh (after a pulse, read the pair back; a saturated pair is re-programmed to its difference)."),
        Register::new("learn_cmd", w + 0x04, Access::Pulse, 1, 0,
            "e-prop: write 1 to [0] to run one update pass over every synapse (taken when the sequencer is idle; a request during a pass runs another after it); reads as 0."),
    ];
    const SIGS: [(&str, &str); SIG_WORDS as usize] = [
        ("learn_sig0", "e-prop learning signals (third factor), signed 8-bit: neuron 0 in [7:0], 1 in [15:8], 2 in [23:16], 3 in [31:24] (neuron k = columns 2k (G+), 2k+1 (G-))."),
        ("learn_sig1", "e-prop learning signals, signed 8-bit: neurons 4..7, one byte each from [7:0]."),
        ("learn_sig2", "e-prop learning signals, signed 8-bit: neurons 8..11, one byte each from [7:0]."),
        ("learn_sig3", "e-prop learning signals, signed 8-bit: neurons 12..15, one byte each from [7:0]."),
    ];
    for (i, (name, doc)) in SIGS.into_iter().enumerate() {
        regs.push(Register::new(
            name,
            w + 0x08 + 4 * i as u32,
            Access::Rw,
            32,
            0,
            doc,
        ));
    }
    let o = w + 0x08 + 4 * SIG_WORDS;
    regs.extend([
        Register::new("learn_cfg", o, Access::Rw, 32,
            (l.decay_period & 0xffff) | (p.pulse_amplitude & 0xff) << 16 | (p.pulse_width & 0xff) << 24,
            "e-prop: a trace decay tick every [15:0]+1 cycles while learn_ctrl[0]; SET/RESET pulse amplitude code [23:16] and width code [31:24] (cycles the controller waits after a pulse)."),
        Register::new("learn_rate", o + 0x04, Access::Rw, 16, e.rate_word(),
            "e-prop: [3:0] decay shift (a tick subtracts max(trace >> s, 1) from a non-zero trace), [7:4] learning-rate shift (update = L*e >> s, magnitude), [15:8] trace increment per input event (saturating)."),
        Register::new("learn_eps", o + 0x08, Access::Rw, 16, e.epsilon,
            "e-prop: accumulator threshold epsilon (a crossing of +epsilon SETs G+, of -epsilon SETs G-; epsilon is subtracted)."),
        Register::new("learn_h", o + 0x0c, Access::Rw, 16, e.h_window,
            "e-prop: pseudo-derivative window W: h = number of j in 1..4 with |v+ - v- - threshold| < j*W (0..4)."),
        Register::new("learn_refresh", o + 0x10, Access::Rw, 24, e.refresh_word(),
            "e-prop refresh: [11:0] saturation level (a device reading >= it), [15:12] tolerance, [23:16] pulse budget of one refresh."),
        Register::new("learn_count", o + 0x14, Access::Ro, 8, 0,
            "e-prop: SET/RESET pulses applied since reset (updates and refreshes), modulo 256."),
        Register::new("learn_refreshes", o + 0x18, Access::Ro, 8, 0,
            "e-prop: refreshes started since reset, modulo 256."),
    ]);
    regs
}

#[cfg(test)]
mod tests {
    use crate::parse_str;

    /// A 4x4 tile's config with `extra`: its error text ("" when it loads).
    fn problems(extra: &str) -> String {
        crate::learning::tests::problems(&format!("[tile]\nrows = 4\ncols = 4\n{extra}"))
    }

    #[test]
    fn bad_eprop_settings_name_the_setting() {
        let base = "[learning]\nrule = \"eprop\"\n";
        assert_eq!(problems(base), "");
        assert!(
            problems(&format!("{base}[learning.eprop]\nacc_bits = 17\n"))
                .contains("learning.eprop.acc_bits")
        );
        assert!(
            problems(&format!("{base}[learning.eprop]\nepsilon = 128\n"))
                .contains("learning.eprop.epsilon")
        );
        assert!(
            problems(&format!("{base}[learning.eprop]\nrefresh_high = 4096\n"))
                .contains("learning.eprop.refresh_high")
        );
        assert!(problems(&format!("{base}[learning.eprop]\nlr = 1\n")).contains("lr"));
        assert!(problems(&format!("adc_share = 2\n{base}")).contains("adc_share"));
    }

    #[test]
    fn the_map_follows_the_tile_window() {
        let cfg = parse_str(
            "[design]\nname = \"t\"\n[tile]\nrows = 4\ncols = 4\n[learning]\nrule = \"eprop\"\n",
            "t",
        )
        .unwrap();
        let map = crate::learning::learning_map(&cfg).unwrap();
        let w = crate::RegisterMap::for_design(&cfg).window_bytes();
        assert_eq!(map.offset_of("learn_ctrl").unwrap(), w);
        assert_eq!(map.offset_of("learn_sig3").unwrap(), w + 0x14);
        assert!(map.window_bytes() <= 2 * w);
    }
}

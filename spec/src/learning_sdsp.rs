//! `[learning.sdsp]`: the parameters of the SDSP rule (`[learning] rule =
//! "sdsp"`, rule 1 of issue #13, after ODIN's `sdsp_update.v` and
//! `lif_calcium.v`), and the two registers it adds to the learning window.
//!
//! A 3-bit calcium variable per neuron (column) counts its recent spikes
//! (+1 per spike, saturating at 7; -1 every `ca_leak` decay ticks). On a
//! pre-synaptic event of row r, cell (r, c) is potentiated (SET) when
//! `Vmem(c) >= theta_m` and `theta_1 <= Ca(c) < theta_3`, depressed
//! (RESET) when `Vmem(c) < theta_m` and `theta_1 <= Ca(c) < theta_2`.
//! Kept in its own section and file so that the other rules' settings and
//! this one's do not share a struct.

use crate::error::Problem;
use crate::regmap::{Access, Register};
use serde::{Deserialize, Serialize};

/// Bits of the calcium variable (ODIN's: 3).
pub const CA_BITS: u32 = 3;
/// The largest calcium value.
pub const CA_MAX: u32 = (1 << CA_BITS) - 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SdspSection {
    /// Reset value of `learn_vm`: the membrane-potential threshold
    /// (potentials are 16-bit unsigned, in ADC codes).
    pub theta_m: u32,
    /// Reset values of `learn_ca`'s calcium thresholds (0..=7).
    pub theta_1: u32,
    pub theta_2: u32,
    pub theta_3: u32,
    /// Reset value of `learn_ca[13:9]`: calcium leaks by one every
    /// `ca_leak` decay ticks (`learn_cfg[15:0]`); 0: no leak.
    pub ca_leak: u32,
    /// Reset value of `learn_ca[17:14]`: with stochastic pulses
    /// (`learn_ctrl[1]`) a pulse is applied with probability
    /// `(prob + 1) / 16` (a 4-bit LFSR draw `<= prob`).
    pub prob: u32,
}

impl Default for SdspSection {
    fn default() -> Self {
        Self {
            theta_m: 32,
            theta_1: 0,
            theta_2: 4,
            theta_3: 7,
            ca_leak: 4,
            prob: 7,
        }
    }
}

/// `learn_ca` fields: (lsb, width).
pub mod ca_field {
    pub const THETA_1: (u32, u32) = (0, 3);
    pub const THETA_2: (u32, u32) = (3, 3);
    pub const THETA_3: (u32, u32) = (6, 3);
    pub const LEAK: (u32, u32) = (9, 5);
    pub const PROB: (u32, u32) = (14, 4);
}

impl SdspSection {
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// Reset value of `learn_ca`.
    pub fn ca_reset(&self) -> u32 {
        use ca_field::*;
        let f = |v: u32, (lsb, w): (u32, u32)| (v & ((1 << w) - 1)) << lsb;
        f(self.theta_1, THETA_1)
            | f(self.theta_2, THETA_2)
            | f(self.theta_3, THETA_3)
            | f(self.ca_leak, LEAK)
            | f(self.prob, PROB)
    }

    /// The problems of the section (`learning.sdsp.*`).
    pub fn validate(&self, problems: &mut Vec<Problem>) {
        let r = |p: &mut Vec<Problem>, name: &str, v: u32, hi: u64| {
            crate::validate::check_range(p, &format!("learning.sdsp.{name}"), v.into(), 0, hi)
        };
        r(problems, "theta_m", self.theta_m, 0xffff);
        r(problems, "theta_1", self.theta_1, CA_MAX.into());
        r(problems, "theta_2", self.theta_2, CA_MAX.into());
        r(problems, "theta_3", self.theta_3, CA_MAX.into());
        r(problems, "ca_leak", self.ca_leak, 31);
        r(problems, "prob", self.prob, 15);
    }
}

/// What the common registers mean with the SDSP rule (their STDP
/// descriptions name traces): `(name, doc)`.
pub const COMMON_DOCS: [(&str, &str); 2] = [
    ("learn_ctrl", "SDSP: [0] enable (capture pre events, count post spikes into the calcium, decay ticks), [1] stochastic pulses (probability (learn_ca[17:14]+1)/16 from a 16-bit LFSR), [2] potentiation (SET) enable, [3] depression (RESET) enable."),
    ("learn_cfg", "SDSP: a decay tick every [15:0]+1 cycles while learn_ctrl[0] (the calcium leaks every learn_ca[13:9] ticks); learning SET/RESET pulse amplitude code [23:16] and width code [31:24] (cycles the controller waits after a pulse)."),
];

/// The SDSP registers, after the common `learn_ctrl`, `learn_cfg`,
/// `learn_count` (at `base` = the window's offset of `learn_ctrl`).
/// `learn_ca` comes first: the tile traffic's random master writes any
/// word up to 0x10 bytes past the tile's window, so the co-simulation
/// randomizes the calcium windows, leak and probability too.
pub fn sdsp_registers(s: &SdspSection, base: u32) -> Vec<Register> {
    vec![
        Register::new("learn_ca", base + 0x0c, Access::Rw, 18, s.ca_reset(),
            "SDSP calcium: [2:0] theta_1, [5:3] theta_2, [8:6] theta_3 (SET when theta_1 <= Ca < theta_3, RESET when theta_1 <= Ca < theta_2), [13:9] leak (Ca -1 every this many decay ticks, 0: none), [17:14] stochastic pulse probability (value+1)/16."),
        Register::new("learn_vm", base + 0x10, Access::Rw, 16, s.theta_m & 0xffff,
            "SDSP: membrane-potential threshold theta_m: on a pre event, a column with Vmem >= theta_m is potentiated (SET), one below it depressed (RESET), subject to the calcium window (learn_ca)."),
    ]
}

#[cfg(test)]
mod tests {
    use crate::learning::tests::problems;
    use crate::parse_str;

    #[test]
    fn bad_sdsp_settings_name_the_setting() {
        let sdsp = "[learning]\nrule = \"sdsp\"\n[learning.sdsp]\n";
        assert!(problems(&format!("{sdsp}theta_2 = 8\n")).contains("learning.sdsp.theta_2"));
        assert!(problems(&format!("{sdsp}ca_leak = 32\n")).contains("learning.sdsp.ca_leak"));
        assert!(problems(&format!("{sdsp}theta_m = 70000\n")).contains("learning.sdsp.theta_m"));
        assert!(problems(&format!("{sdsp}thetam = 1\n")).contains("thetam"));
        assert_eq!(problems(&format!("{sdsp}theta_m = 100\n")), "");
    }

    #[test]
    fn sdsp_registers_follow_the_common_ones_with_their_reset_values() {
        let cfg = parse_str(
            "[design]\nname = \"t\"\n[learning]\nrule = \"sdsp\"\n[learning.sdsp]\ntheta_m = 300\ntheta_1 = 1\ntheta_2 = 2\ntheta_3 = 5\nca_leak = 9\nprob = 3\n",
            "t",
        )
        .unwrap();
        let map = crate::learning::learning_map(&cfg).unwrap();
        let names: Vec<_> = map.registers.iter().map(|r| (r.name, r.offset)).collect();
        assert_eq!(
            names,
            vec![
                ("learn_ctrl", 0x80),
                ("learn_cfg", 0x84),
                ("learn_count", 0x88),
                ("learn_ca", 0x8c),
                ("learn_vm", 0x90)
            ]
        );
        assert_eq!(map.get("learn_vm").unwrap().reset, 300);
        assert_eq!(
            map.get("learn_ca").unwrap().reset,
            1 | 2 << 3 | 5 << 6 | 9 << 9 | 3 << 14
        );
        assert!(map.get("learn_ctrl").unwrap().doc.starts_with("SDSP"));
    }
}

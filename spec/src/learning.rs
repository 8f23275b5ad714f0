//! `[learning]`: the on-chip learning-rule controller of a tile (issue #13).
//!
//! `rule = "none"` (the default) generates the inference-only tile, byte
//! for byte what it was before the section existed. `rule = "stdp"` adds a
//! pair-based STDP controller (see `docs/learning.md`) and a second register
//! bank whose registers sit right after the tile's window: keeping them out
//! of the tile's own map is what leaves that map, its window and the default
//! RTL untouched. The second map has the tile's base address (its window
//! covers the tile's, whose addresses it reads as 0), because the register
//! slots decode the word index from the address bits above the base.

use crate::error::Problem;
use crate::regmap::{Access, Register, RegisterMap};
use crate::DesignConfig;
use serde::{Deserialize, Serialize};

/// Which learning rule the tile is generated with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LearningRule {
    /// Inference only.
    #[default]
    None,
    /// Pair-based STDP: digital pre traces per row, post traces per column.
    Stdp,
    /// SDSP (ODIN): calcium per column, membrane-potential-gated updates
    /// on pre events (`crate::learning_sdsp`).
    Sdsp,
    /// e-prop-style three-factor rule with mixed-precision accumulation on
    /// differential pairs (`crate::learning_eprop`).
    Eprop,
    /// PCM-trace: the eligibility trace of each synapse in a second PCM
    /// device whose drift decays it (`crate::learning_pcm_trace`).
    #[serde(rename = "pcm_trace")]
    PcmTrace,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LearningSection {
    pub rule: LearningRule,
    /// Bits of each pre (row) and post (column) trace. A spike loads the
    /// trace with all ones; a decay tick halves it (shift right), so a
    /// trace lasts `trace_bits` decay ticks.
    pub trace_bits: u32,
    /// Reset value of `learn_cfg[15:0]`: a decay tick every
    /// `decay_period + 1` cycles.
    pub decay_period: u32,
    /// Reset value of `learn_ctrl[0]` (learning on out of reset).
    pub enable: bool,
    /// Reset value of `learn_ctrl[1]`: a pulse is applied with probability
    /// trace / 2^trace_bits (an LFSR draw) instead of whenever the trace
    /// is non-zero.
    pub stochastic: bool,
    /// `rule = "sdsp"`'s parameters (`[learning.sdsp]`; left out of a
    /// serialized config when default, so other rules' manifests do not
    /// change).
    #[serde(skip_serializing_if = "crate::learning_sdsp::SdspSection::is_default")]
    pub sdsp: crate::learning_sdsp::SdspSection,
    /// `[learning.eprop]`: the e-prop rule's parameters.
    #[serde(skip_serializing_if = "crate::learning_eprop::EpropParams::is_default")]
    pub eprop: crate::learning_eprop::EpropParams,
    /// `[learning.pcm_trace]`: the PCM-trace rule's parameters.
    #[serde(skip_serializing_if = "crate::learning_pcm_trace::PcmTraceSection::is_default")]
    pub pcm_trace: crate::learning_pcm_trace::PcmTraceSection,
}

impl Default for LearningSection {
    fn default() -> Self {
        Self {
            rule: LearningRule::None,
            trace_bits: 4,
            decay_period: 63,
            enable: true,
            stochastic: false,
            sdsp: Default::default(),
            eprop: Default::default(),
            pcm_trace: Default::default(),
        }
    }
}

impl LearningSection {
    /// True for the default section (then it is left out of a serialized
    /// config, so manifests of inference-only designs do not change).
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// True when the tile has a learning controller.
    pub fn active(&self) -> bool {
        self.rule != LearningRule::None
    }

    /// The largest trace value (all ones).
    pub fn trace_max(&self) -> u32 {
        (1u32 << self.trace_bits.clamp(1, 8)) - 1
    }
}

/// The problems of `cfg.learning`.
pub fn validate_learning(cfg: &DesignConfig, problems: &mut Vec<Problem>) {
    let l = &cfg.learning;
    crate::validate::check_range(problems, "learning.trace_bits", l.trace_bits.into(), 1, 8);
    crate::validate::check_range(
        problems,
        "learning.decay_period",
        l.decay_period.into(),
        0,
        65535,
    );
    l.sdsp.validate(problems);
    if l.rule == LearningRule::Eprop {
        crate::learning_eprop::validate_eprop(cfg, problems);
    }
    if l.rule == LearningRule::PcmTrace {
        crate::learning_pcm_trace::validate_pcm_trace(cfg, problems);
    }
    if let Some(map) = learning_map(cfg) {
        let window = map.window_bytes();
        if !cfg.bus.base_address.is_multiple_of(window) {
            problems.push(Problem {
                path: "bus.base_address".into(),
                value: format!("0x{:08x}", cfg.bus.base_address),
                rule: format!(
                    "must be aligned to the register window with the learning registers (0x{window:x} bytes)"
                ),
            });
        }
    }
}

/// `learn_ctrl` bits.
pub mod ctrl {
    pub const ENABLE: u32 = 0;
    pub const STOCHASTIC: u32 = 1;
    /// Potentiation (SET on a post spike) enabled.
    pub const LTP: u32 = 2;
    /// Depression (RESET on a pre event) enabled.
    pub const LTD: u32 = 3;
}

/// The learning registers of `cfg`, if it has a learning rule, at offsets
/// right after the tile's register window (same base address).
pub fn learning_map(cfg: &DesignConfig) -> Option<RegisterMap> {
    let l = &cfg.learning;
    if !l.active() {
        return None;
    }
    let tile = RegisterMap::for_design(cfg);
    let w = tile.window_bytes();
    let registers = match l.rule {
        LearningRule::Eprop => crate::learning_eprop::eprop_registers(cfg, w),
        LearningRule::PcmTrace => crate::learning_pcm_trace::pcm_trace_registers(cfg, w),
        _ => stdp_registers(cfg, w),
    };
    Some(RegisterMap {
        base_address: tile.base_address,
        registers,
    })
}

/// The STDP window at byte offset `w` (SDSP: the same three registers
/// with SDSP's descriptions, then its own).
fn stdp_registers(cfg: &DesignConfig, w: u32) -> Vec<Register> {
    let l = &cfg.learning;
    let p = &cfg.program;
    let ctrl_reset = u32::from(l.enable) << ctrl::ENABLE
        | u32::from(l.stochastic) << ctrl::STOCHASTIC
        | 1 << ctrl::LTP
        | 1 << ctrl::LTD;
    let mut registers = vec![
        Register::new("learn_ctrl", w, Access::Rw, 4, ctrl_reset,
            "STDP: [0] enable (capture pre events and post spikes, decay the traces), [1] stochastic pulses (probability trace/2^trace_bits from a 16-bit LFSR), [2] potentiation (SET) enable, [3] depression (RESET) enable."),
        Register::new("learn_cfg", w + 0x04, Access::Rw, 32,
            (l.decay_period & 0xffff) | (p.pulse_amplitude & 0xff) << 16 | (p.pulse_width & 0xff) << 24,
            "STDP: a trace decay tick (every trace shifts right by one) every [15:0]+1 cycles while learn_ctrl[0]; learning SET/RESET pulse amplitude code [23:16] and width code [31:24] (cycles the controller waits after a pulse)."),
        Register::new("learn_count", w + 0x08, Access::Ro, 8, 0,
            "Learning pulses applied since reset (SET and RESET), modulo 256: sample it at least every 256 pulses and take differences."),
    ];
    if l.rule == LearningRule::Sdsp {
        for r in registers.iter_mut() {
            if let Some((_, doc)) = crate::learning_sdsp::COMMON_DOCS
                .iter()
                .find(|d| d.0 == r.name)
            {
                r.doc = doc;
            }
        }
        registers.extend(crate::learning_sdsp::sdsp_registers(&l.sdsp, w));
    }
    registers
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::parse_str;

    /// The error text of the config `[design] name = "t"` + `extra` ("" when
    /// it loads): the learning sections' tests share it.
    pub(crate) fn problems(extra: &str) -> String {
        match parse_str(&format!("[design]\nname = \"t\"\n{extra}"), "t") {
            Ok(_) => String::new(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn bad_learning_settings_name_the_setting() {
        assert!(problems("[learning]\nrule = \"stdp\"\ntrace_bits = 9\n")
            .contains("learning.trace_bits"));
        assert!(
            problems("[learning]\nrule = \"stdp\"\ndecay_period = 70000\n")
                .contains("learning.decay_period")
        );
        assert!(problems("[learning]\nrule = \"stpd\"\n").contains("stpd"));
        assert!(problems("[learning]\nrate = 1\n").contains("rate"));
        assert!(
            problems("[bus]\nbase_address = 0x30000080\n[learning]\nrule = \"stdp\"\n")
                .contains("bus.base_address")
        );
        assert_eq!(problems("[learning]\nrule = \"stdp\"\n"), "");
    }

    #[test]
    fn the_default_section_is_left_out_of_a_serialized_config() {
        let cfg = parse_str("[design]\nname = \"t\"\n", "t").unwrap();
        assert!(!serde_json::to_string(&cfg).unwrap().contains("learning"));
        assert!(super::learning_map(&cfg).is_none());
        let cfg = parse_str("[design]\nname = \"t\"\n[learning]\nrule = \"stdp\"\n", "t").unwrap();
        let map = super::learning_map(&cfg).unwrap();
        let tile = crate::RegisterMap::for_design(&cfg);
        assert!(map
            .registers
            .iter()
            .all(|r| r.offset >= tile.window_bytes()));
    }
}

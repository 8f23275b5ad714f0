//! The register bank of a tile: the Wishbone front end, one slot per register
//! of the map, and the registered read data.
//!
//! Hardware-side ports carry exactly each register's implemented width. The
//! list below is in register-map order (see `spec/src/regmap.rs`); the
//! constructor checks it against the map, so a register added to the map
//! and not here (or the other way round) is a generation error naming it.

use rust_hdl::prelude::*;

crate::register_bank! {
    /// The tile's Wishbone register bank.
    pub struct RegBank {
        id: const,
        geometry: const,
        ctrl: rw 2,
        threshold: rw 16,
        leak: rw 16,
        refractory: rw 8,
        scratch: store 32,
        status: ro 9,
        dropped: ro 16,
        cmd: pulse 2,
        leak_period: rw 16,
        prog_addr: rw 16,
        prog_target: rw 12,
        prog_tolerance: rw 12,
        prog_max_pulses: rw 8,
        prog_pulse: rw 16,
        prog_status: ro 16,
    }
}

crate::register_bank! {
    /// The learning controller's own register window (`[learning] rule !=
    /// "none"`, `memforge_spec::learning::learning_map`), right after the
    /// tile's window.
    pub struct LearnBank {
        learn_ctrl: rw 4,
        learn_cfg: rw 32,
        learn_count: ro 8,
    }
}

crate::register_bank! {
    /// The SDSP controller's register window (`[learning] rule = "sdsp"`):
    /// the STDP window's registers, then the SDSP thresholds.
    pub struct SdspBank {
        learn_ctrl: rw 4,
        learn_cfg: rw 32,
        learn_count: ro 8,
        learn_ca: rw 18,
        learn_vm: rw 16,
    }
}

crate::register_bank! {
    /// The PCM-trace controller's register window (`[learning] rule =
    /// "pcm_trace"`, `memforge_spec::learning::learning_map`).
    pub struct PcmTraceBank {
        learn_ctrl: rw 4,
        learn_cfg: rw 32,
        learn_count: ro 8,
        learn_trace: rw 28,
        learn_reward: pulse 2,
        learn_tcount: ro 24,
    }
}

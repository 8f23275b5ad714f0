//! The e-prop controller's register window (`[learning] rule = "eprop"`,
//! `memforge_spec::learning::learning_map`), right after the tile's
//! window like the STDP controller's.

use rust_hdl::prelude::*;

crate::register_bank! {
    /// The e-prop learning registers.
    pub struct EpropBank {
        learn_ctrl: rw 3,
        learn_cmd: pulse 1,
        learn_sig0: rw 32,
        learn_sig1: rw 32,
        learn_sig2: rw 32,
        learn_sig3: rw 32,
        learn_cfg: rw 32,
        learn_rate: rw 16,
        learn_eps: rw 16,
        learn_h: rw 16,
        learn_refresh: rw 24,
        learn_count: ro 8,
        learn_refreshes: ro 8,
    }
}

//! Learning demos (issue #13): tasks whose answer is known, run on a tile
//! with a learning rule, through any implementation of its ports (the
//! golden model or the Verilated RTL), so that their learning curves can
//! be compared bit for bit.

pub mod digits;
pub mod digits_reference;
pub mod float_rules;
pub mod host;
pub mod pattern;
pub mod reference;
pub mod reward;
pub mod reward_reference;

pub use digits::{rate_code, run_digits_task, Digits, DigitsCurve, DigitsPoint, DigitsTask};
pub use digits_reference::{agreement_margin, run_digits_reference, FloatPoint};
pub use pattern::{plan, run_pattern_task, PatternCurve, PatternPoint, PatternTask, Plan};
pub use reference::{run_reference, seed_agreement, RefPoint, SeedAgreement};
pub use reward::{run_reward_task, RewardCurve, RewardPoint, RewardTask};
pub use reward_reference::{run_reward_reference, RewardFloatPoint};

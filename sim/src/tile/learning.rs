//! Which learning controller a tile's golden model has (`[learning]
//! rule`), behind one interface: the tile asks it whether it holds the
//! sequencer (`busy`) or the crossbar bus (`active`), clocks it with what
//! every rule may need, and ORs its command and its register window's
//! answer into its own, as the RTL's `design.rs` does with one controller.

use super::learn_eprop::{EpropInputs, EpropLearning};
use super::learn_pcm_trace::{PcmTraceInputs, PcmTraceLearning};
use super::learn_sdsp::SdspLearning;
use super::learn_stdp::{StdpInputs, StdpLearning};
use super::neuron::LifModel;
use super::sequencer::XbarCmd;
use crate::regfile::WbIn;
use memforge_spec::DesignConfig;

/// The learning controller of a tile with its register window.
#[derive(Clone, Debug)]
pub enum TileLearning {
    Stdp(StdpLearning),
    Sdsp(SdspLearning),
    Eprop(EpropLearning),
    PcmTrace(PcmTraceLearning),
}

/// What the tile shows its learning controller on an edge (pre-edge
/// values); each rule takes the part it uses.
pub struct LearnInputs<'a> {
    /// The row and value of the input event the sequencer pops, if any.
    pub pop: Option<(u8, u8)>,
    /// The column whose spike the sequencer queues, if any.
    pub push: Option<u8>,
    pub seq_idle: bool,
    pub prog_busy: bool,
    pub adc_valid: bool,
    /// Clamped ADC code per lane.
    pub codes: &'a [u16],
    /// The column neurons (potentials for SDSP and e-prop).
    pub neurons: &'a [LifModel],
    /// The tile's `threshold` register (e-prop's pseudo-derivative).
    pub threshold: u16,
}

impl TileLearning {
    /// The controller of `cfg`'s `[learning] rule`; `None` without one.
    pub fn new(cfg: &DesignConfig) -> Option<Self> {
        StdpLearning::new(cfg)
            .map(Self::Stdp)
            .or_else(|| SdspLearning::new(cfg).map(Self::Sdsp))
            .or_else(|| EpropLearning::new(cfg).map(Self::Eprop))
            .or_else(|| PcmTraceLearning::new(cfg).map(Self::PcmTrace))
    }

    /// Work captured or in progress: the sequencer takes no new event.
    pub fn busy(&self) -> bool {
        match self {
            Self::Stdp(l) => l.stdp.busy(),
            Self::Sdsp(l) => l.sdsp.busy(),
            Self::Eprop(l) => l.model.busy(),
            Self::PcmTrace(l) => l.model.busy(),
        }
    }

    /// On the crossbar bus: the programmer starts nothing.
    pub fn active(&self) -> bool {
        match self {
            Self::Stdp(l) => l.stdp.active(),
            Self::Sdsp(l) => l.sdsp.active(),
            Self::Eprop(l) => l.model.active(),
            Self::PcmTrace(l) => l.model.active(),
        }
    }

    pub fn stdp(&self) -> Option<&StdpLearning> {
        match self {
            Self::Stdp(l) => Some(l),
            _ => None,
        }
    }

    pub fn sdsp(&self) -> Option<&SdspLearning> {
        match self {
            Self::Sdsp(l) => Some(l),
            _ => None,
        }
    }

    pub fn eprop(&self) -> Option<&EpropLearning> {
        match self {
            Self::Eprop(l) => Some(l),
            _ => None,
        }
    }

    pub fn pcm_trace(&self) -> Option<&PcmTraceLearning> {
        match self {
            Self::PcmTrace(l) => Some(l),
            _ => None,
        }
    }

    /// One edge of the controller and its register window.
    pub fn clock(&mut self, bus: &WbIn, i: &LearnInputs) {
        let stdp_inputs = StdpInputs {
            pop: i.pop,
            push: i.push,
            seq_idle: i.seq_idle,
            prog_busy: i.prog_busy,
        };
        match self {
            Self::Stdp(l) => l.clock(bus, &stdp_inputs),
            Self::Sdsp(l) => {
                // The potential of the column the pass is at.
                let vmem = i.neurons.get(l.sdsp.col as usize).map_or(0, |n| n.v);
                l.clock(bus, &stdp_inputs, vmem);
            }
            Self::Eprop(e) => {
                let r = e.hw();
                let mut v = std::mem::take(&mut e.v);
                for (v, n) in v.iter_mut().zip(i.neurons) {
                    *v = n.v;
                }
                e.clock(
                    bus,
                    &r,
                    &EpropInputs {
                        pop: i.pop,
                        seq_idle: i.seq_idle,
                        prog_busy: i.prog_busy,
                        adc_valid: i.adc_valid,
                        codes: i.codes,
                        v: &v,
                        threshold: i.threshold,
                    },
                );
                e.v = v;
            }
            Self::PcmTrace(p) => p.clock(
                bus,
                &PcmTraceInputs {
                    pop: i.pop,
                    push: i.push,
                    seq_idle: i.seq_idle,
                    prog_busy: i.prog_busy,
                    adc_valid: i.adc_valid,
                    codes: i.codes,
                },
            ),
        }
    }

    /// The command the controller drives on the `xbar_*` ports now.
    pub fn command(&self) -> XbarCmd {
        match self {
            Self::Stdp(l) => l.stdp.command(&l.stdp_regs()),
            Self::Sdsp(l) => l.sdsp.command(&l.sdsp_regs()),
            Self::Eprop(e) => e.model.command(&e.hw()),
            Self::PcmTrace(p) => p.model.command(&p.hw_regs()),
        }
    }

    /// The window's Wishbone answer (`ack`, read data), ORed with the
    /// tile's: every window acknowledges, the one not addressed reads 0.
    pub fn bus_answer(&self) -> (bool, u32) {
        match self {
            Self::Stdp(l) => (l.window.ack(), l.window.rdata()),
            Self::Sdsp(l) => (l.window.ack(), l.window.rdata()),
            Self::Eprop(e) => (e.window.ack(), e.window.rdata()),
            Self::PcmTrace(p) => (p.window.ack(), p.window.rdata()),
        }
    }
}

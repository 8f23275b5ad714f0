//! e-prop controller with mixed-precision accumulation on differential
//! pairs (`[learning] rule = "eprop"`, see `docs/learning_eprop.md`;
//! golden model `memforge_sim::tile::learn_eprop`, which states the rule).
//!
//! Neuron `k` is the column pair `2k` (G+) / `2k + 1` (G-). Per row a pre
//! trace, per synapse (row, pair) a signed accumulator, both reset-less
//! flip-flops cleared by the tile's `init`. An update pass (`learn_cmd`)
//! visits one synapse per cycle while the sequencer is idle: eligibility =
//! trace x pseudo-derivative (0..4 from `v+ - v- - threshold`), update =
//! `sign(L) (|L| e >> lr)` with `L` the neuron's learning-signal byte.
//! Mixed precision adds it to the saturating accumulator and a crossing of
//! `+-epsilon` is one SET pulse on G+ (G-), epsilon subtracted; the sign
//! baseline pulses on the update's sign. With refresh on, the pair is read
//! back after the pulse and, when a device reads at or above the
//! saturation level, moved one verified pulse at a time to its difference
//! on one device. Like the STDP controller it holds the sequencer (`busy`)
//! and the programmer (`active`) off the crossbar bus while it works.
//!
//! The pass is a three-stage pipeline (docs/learning_eprop.md,
//! "Pipeline"): 1. issue (trace x h, |L|, sign), 2. the product, the
//! learning-rate shift and the accumulator read (a mux tree), 3. the
//! saturating add, the epsilon compares, the write and the pulse. The
//! stages advance only in the pass state, so a pulse and its read-back
//! freeze the synapses behind it.

use crate::param::Param;
use crate::reg::{Reg, RegStyle};
use memforge_spec::blocks::tile;
use memforge_spec::learning_eprop::{ctrl, READ_TIMEOUT, SIG_WORDS};
use rust_hdl::prelude::*;

// States (as `memforge_sim::tile::learn_eprop::EpropState::code`): 0 idle,
// 1 pass, 2 wait after a pulse, 3 check READ, 4 answer, 5 drain.

#[derive(Clone, Debug, LogicBlock)]
pub struct LearnEprop {
    pub clock: Signal<In, Clock>,
    pub rst_n: Signal<In, Bit>,
    /// The tile's init flag: clears the reset-less traces and accumulators.
    pub init: Signal<In, Bit>,
    pub ctrl: Signal<In, Bits<3>>,
    /// `learn_cmd`: bit 0 starts a pass.
    pub start: Signal<In, Bits<1>>,
    /// `learn_sig0..3`: a signed byte per neuron.
    pub sig0: Signal<In, Bits<32>>,
    pub sig1: Signal<In, Bits<32>>,
    pub sig2: Signal<In, Bits<32>>,
    pub sig3: Signal<In, Bits<32>>,
    /// `learn_cfg`: decay period [15:0], amplitude [23:16], width [31:24].
    pub cfg: Signal<In, Bits<32>>,
    /// `learn_rate`: decay shift [3:0], lr shift [7:4], increment [15:8].
    pub rate: Signal<In, Bits<16>>,
    pub eps: Signal<In, Bits<16>>,
    pub hwin: Signal<In, Bits<16>>,
    /// `learn_refresh`: level [11:0], tolerance [15:12], budget [23:16].
    pub refresh: Signal<In, Bits<24>>,
    pub threshold: Signal<In, Bits<16>>,
    pub pop: Signal<In, Bit>,
    pub pop_row: Signal<In, Bits<8>>,
    pub pop_value: Signal<In, Bits<8>>,
    pub seq_idle: Signal<In, Bit>,
    pub prog_busy: Signal<In, Bit>,
    pub adc_valid: Signal<In, Bit>,
    /// The potentials of the pass's pair (columns `kp`, `km`) and the
    /// clamped codes of the pulsed pair (`pkp`, `pkm`): the top selects
    /// them from the lanes (rust-hdl paths take one index, so the
    /// controller cannot reach into the lanes itself).
    pub vp: Signal<In, Bits<16>>,
    pub vm: Signal<In, Bits<16>>,
    pub gp: Signal<In, Bits<12>>,
    pub gm: Signal<In, Bits<12>>,
    pub kp: Signal<Out, Bits<8>>,
    pub km: Signal<Out, Bits<8>>,
    pub pkp: Signal<Out, Bits<8>>,
    pub pkm: Signal<Out, Bits<8>>,
    pub busy: Signal<Out, Bit>,
    pub active: Signal<Out, Bit>,
    pub count: Signal<Out, Bits<8>>,
    pub refreshes: Signal<Out, Bits<8>>,
    pub xbar_op: Signal<Out, Bits<2>>,
    pub xbar_row: Signal<Out, Bits<8>>,
    pub xbar_col: Signal<Out, Bits<8>>,
    pub xbar_amp: Signal<Out, Bits<8>>,
    pub xbar_width: Signal<Out, Bits<8>>,
    trace: Vec<Reg<Bits<8>>>,
    /// 16 bits (the largest `acc_bits`); the bits at and above `acc_bits`
    /// are always 0 (masked), so synthesis drops their flip-flops.
    acc: Vec<Reg<Bits<16>>>,
    /// The accumulator read: a balanced binary mux tree over the synapse
    /// index bits (a flat `if syn == s` chain is a `rows x pairs`-deep
    /// priority chain that Yosys/ABC choke on at 32x32). Leaves
    /// `0..leaves` (the accumulators, then zeros up to a power of two);
    /// node `leaves + m` selects between `2m` and `2m + 1` on bit
    /// `tree_bit[m]` of the index; the root is the last node.
    tree: Vec<Signal<Local, Bits<16>>>,
    tree_bit: Vec<Constant<Bits<4>>>,
    row_id: Vec<Constant<Bits<8>>>,
    syn_id: Vec<Constant<Bits<16>>>,
    word_id: Vec<Constant<Bits<2>>>,
    state: Reg<Bits<3>>,
    after: Reg<Bits<3>>,
    pass_pend: Reg<Bit>,
    row: Reg<Bits<8>>,
    k: Reg<Bits<8>>,
    syn: Reg<Bits<16>>,
    fin: Reg<Bit>,
    // The pass pipeline: stage 1 (trace x h, |L|, sign) and stage 2 (the
    // signed update) of the synapses issued one and two cycles before;
    // `v1`/`v2` say they hold one. They advance only in the pass state.
    v1: Reg<Bit>,
    te1: Reg<Bits<10>>,
    lmag1: Reg<Bits<8>>,
    lneg1: Reg<Bit>,
    syn1: Reg<Bits<16>>,
    row1: Reg<Bits<8>>,
    k1: Reg<Bits<8>>,
    v2: Reg<Bit>,
    p2: Reg<Bits<20>>,
    /// The stage-2 synapse's accumulator, read in stage 2 (the mux tree
    /// on `syn1`) so that stage 3 is only the add and the compares.
    a2: Reg<Bits<16>>,
    syn2: Reg<Bits<16>>,
    row2: Reg<Bits<8>>,
    k2: Reg<Bits<8>>,
    prow: Reg<Bits<8>>,
    pk: Reg<Bits<8>>,
    refreshing: Reg<Bit>,
    tplus: Reg<Bits<12>>,
    tminus: Reg<Bits<12>>,
    ref_pulses: Reg<Bits<8>>,
    timer: Reg<Bits<8>>,
    decay_cnt: Reg<Bits<16>>,
    cnt: Reg<Bits<8>>,
    rcnt: Reg<Bits<8>>,
    op_r: Reg<Bits<2>>,
    row_r: Reg<Bits<8>>,
    col_r: Reg<Bits<8>>,
    op_set: Constant<Bits<2>>,
    op_reset: Constant<Bits<2>>,
    op_read: Constant<Bits<2>>,
    last_row: Constant<Bits<8>>,
    last_k: Constant<Bits<8>>,
    row_mask: Constant<Bits<8>>,
    trace_max: Constant<Bits<9>>,
    acc_mask: Constant<Bits<20>>,
    acc_mask16: Constant<Bits<16>>,
    acc_max: Constant<Bits<20>>,
    acc_min: Constant<Bits<20>>,
    acc_sign: Constant<Bits<5>>,
    timeout: Constant<Bits<8>>,
    b_enable: Constant<Bits<2>>,
    b_acc: Constant<Bits<2>>,
    b_refresh: Constant<Bits<2>>,
    rows: Param<usize>,
    synapses: Param<usize>,
    leaves: Param<usize>,
    leaves_end: Param<usize>,
    tree_nodes: Param<usize>,
    // Per-cycle values.
    enable: Signal<Local, Bit>,
    acc_on: Signal<Local, Bit>,
    refresh_on: Signal<Local, Bit>,
    decay: Signal<Local, Bit>,
    dshift: Signal<Local, Bits<4>>,
    tr_sel: Signal<Local, Bits<8>>,
    lword: Signal<Local, Bits<32>>,
    khi: Signal<Local, Bits<2>>,
    klo: Signal<Local, Bits<2>>,
    tolraw: Signal<Local, Bits<4>>,
    incraw: Signal<Local, Bits<8>>,
    lsig: Signal<Local, Bits<8>>,
    lneg: Signal<Local, Bit>,
    lmag: Signal<Local, Bits<8>>,
    x: Signal<Local, Bits<18>>,
    dabs: Signal<Local, Bits<18>>,
    w1: Signal<Local, Bits<18>>,
    w2: Signal<Local, Bits<18>>,
    w3: Signal<Local, Bits<18>>,
    w4: Signal<Local, Bits<18>>,
    hb1: Signal<Local, Bit>,
    hb2: Signal<Local, Bit>,
    hb3: Signal<Local, Bit>,
    hb4: Signal<Local, Bit>,
    h: Signal<Local, Bits<3>>,
    te: Signal<Local, Bits<10>>,
    te17: Signal<Local, Bits<17>>,
    pp0: Signal<Local, Bits<17>>,
    pp1: Signal<Local, Bits<17>>,
    pp2: Signal<Local, Bits<17>>,
    pp3: Signal<Local, Bits<17>>,
    pp4: Signal<Local, Bits<17>>,
    pp5: Signal<Local, Bits<17>>,
    pp6: Signal<Local, Bits<17>>,
    pp7: Signal<Local, Bits<17>>,
    q01: Signal<Local, Bits<17>>,
    q23: Signal<Local, Bits<17>>,
    q45: Signal<Local, Bits<17>>,
    q67: Signal<Local, Bits<17>>,
    q03: Signal<Local, Bits<17>>,
    q47: Signal<Local, Bits<17>>,
    mag: Signal<Local, Bits<17>>,
    k2p: Signal<Local, Bits<8>>,
    k2m: Signal<Local, Bits<8>>,
    pm: Signal<Local, Bits<20>>,
    p: Signal<Local, Bits<20>>,
    acc_root: Signal<Local, Bits<16>>,
    acc_sel: Signal<Local, Bits<20>>,
    acc_m: Signal<Local, Bits<20>>,
    acc_ext: Signal<Local, Bits<20>>,
    s2m: Signal<Local, Bits<16>>,
    s: Signal<Local, Bits<20>>,
    eps20: Signal<Local, Bits<20>>,
    t: Signal<Local, Bits<20>>,
    /// The accumulator's new value, low 16 bits (modular: its masked low
    /// `acc_bits` are what is stored).
    s2: Signal<Local, Bits<16>>,
    plus: Signal<Local, Bit>,
    minus: Signal<Local, Bit>,
    wr_acc: Signal<Local, Bit>,
    next: Signal<Local, Bits<3>>,
    high: Signal<Local, Bits<12>>,
    tol: Signal<Local, Bits<13>>,
    tp: Signal<Local, Bits<13>>,
    tm: Signal<Local, Bits<13>>,
    gp13: Signal<Local, Bits<13>>,
    gm13: Signal<Local, Bits<13>>,
    rp: Signal<Local, Bits<8>>,
    resume: Signal<Local, Bits<3>>,
    fire: Signal<Local, Bit>,
    fire_op: Signal<Local, Bits<2>>,
    fire_row: Signal<Local, Bits<8>>,
    fire_col: Signal<Local, Bits<8>>,
    fire_after: Signal<Local, Bits<3>>,
    go: Signal<Local, Bit>,
    load: Signal<Local, Bit>,
    tdec: Signal<Local, Bits<8>>,
    tnew: Signal<Local, Bits<8>>,
    tsum: Signal<Local, Bits<9>>,
}

impl LearnEprop {
    pub fn new(rows: u32, cols: u32, trace_bits: u32, acc_bits: u32, style: RegStyle) -> Self {
        let pairs = cols / 2;
        let c8 = |v: u32| Constant::new(u64::from(v).to_bits());
        let c2 = |v: u32| Constant::new(u64::from(v).to_bits());
        let c20 = |v: u64| Constant::new((v & 0xfffff).to_bits());
        let r8 = || Reg::new(Bits::<8>::default(), style);
        let half = 1u64 << (acc_bits - 1);
        let leaves = (rows * pairs).next_power_of_two().max(2);
        // Inner node m (0-based, bottom-up): level = how many halvings of
        // `leaves` lie below its index; it selects on that level's bit.
        let tree_bit = (0..leaves - 1)
            .map(|m| {
                let (mut level, mut start, mut width) = (0u32, 0u32, leaves / 2);
                while m >= start + width {
                    start += width;
                    width /= 2;
                    level += 1;
                }
                Constant::new(u64::from(level).to_bits())
            })
            .collect();
        Self {
            clock: Default::default(),
            rst_n: Default::default(),
            init: Default::default(),
            ctrl: Default::default(),
            start: Default::default(),
            sig0: Default::default(),
            sig1: Default::default(),
            sig2: Default::default(),
            sig3: Default::default(),
            cfg: Default::default(),
            rate: Default::default(),
            eps: Default::default(),
            hwin: Default::default(),
            refresh: Default::default(),
            threshold: Default::default(),
            pop: Default::default(),
            pop_row: Default::default(),
            pop_value: Default::default(),
            seq_idle: Default::default(),
            prog_busy: Default::default(),
            adc_valid: Default::default(),
            vp: Default::default(),
            vm: Default::default(),
            gp: Default::default(),
            gm: Default::default(),
            kp: Default::default(),
            km: Default::default(),
            pkp: Default::default(),
            pkm: Default::default(),
            busy: Default::default(),
            active: Default::default(),
            count: Default::default(),
            refreshes: Default::default(),
            xbar_op: Default::default(),
            xbar_row: Default::default(),
            xbar_col: Default::default(),
            xbar_amp: Default::default(),
            xbar_width: Default::default(),
            trace: (0..rows)
                .map(|_| Reg::new_data(Bits::default(), style))
                .collect(),
            acc: (0..rows * pairs)
                .map(|_| Reg::new_data(Bits::default(), style))
                .collect(),
            row_id: (0..rows).map(c8).collect(),
            syn_id: (0..rows * pairs)
                .map(|s| Constant::new(u64::from(s).to_bits()))
                .collect(),
            word_id: (0..SIG_WORDS).map(c2).collect(),
            state: Reg::new(0u64.to_bits(), style),
            after: Reg::new(0u64.to_bits(), style),
            pass_pend: Reg::new(false, style),
            row: r8(),
            k: r8(),
            syn: Reg::new(0u64.to_bits(), style),
            fin: Reg::new(false, style),
            v1: Reg::new(false, style),
            te1: Reg::new(0u64.to_bits(), style),
            lmag1: r8(),
            lneg1: Reg::new(false, style),
            syn1: Reg::new(0u64.to_bits(), style),
            row1: r8(),
            k1: r8(),
            v2: Reg::new(false, style),
            p2: Reg::new(0u64.to_bits(), style),
            a2: Reg::new(0u64.to_bits(), style),
            syn2: Reg::new(0u64.to_bits(), style),
            row2: r8(),
            k2: r8(),
            prow: r8(),
            pk: r8(),
            refreshing: Reg::new(false, style),
            tplus: Reg::new(0u64.to_bits(), style),
            tminus: Reg::new(0u64.to_bits(), style),
            ref_pulses: r8(),
            timer: r8(),
            decay_cnt: Reg::new(0u64.to_bits(), style),
            cnt: r8(),
            rcnt: r8(),
            op_r: Reg::new(0u64.to_bits(), style),
            row_r: r8(),
            col_r: r8(),
            op_set: Constant::new(u64::from(tile::XBAR_OP_SET).to_bits()),
            op_reset: Constant::new(u64::from(tile::XBAR_OP_RESET).to_bits()),
            op_read: Constant::new(u64::from(tile::XBAR_OP_READ).to_bits()),
            last_row: c8(rows - 1),
            last_k: c8(pairs - 1),
            row_mask: c8(rows.next_power_of_two() - 1),
            trace_max: Constant::new(((1u64 << trace_bits) - 1).to_bits()),
            acc_mask: c20((1u64 << acc_bits) - 1),
            acc_mask16: Constant::new(((1u64 << acc_bits) - 1).to_bits()),
            acc_max: c20(half - 1),
            acc_min: c20(half.wrapping_neg()),
            acc_sign: Constant::new(u64::from(acc_bits - 1).to_bits()),
            timeout: c8(READ_TIMEOUT),
            b_enable: c2(ctrl::ENABLE),
            b_acc: c2(ctrl::ACCUMULATE),
            b_refresh: c2(ctrl::REFRESH),
            rows: Param(rows as usize),
            synapses: Param((rows * pairs) as usize),
            leaves: Param(leaves as usize),
            leaves_end: Param(leaves as usize + 1),
            tree_nodes: Param(leaves as usize - 1),
            tree: (0..2 * leaves - 1).map(|_| Default::default()).collect(),
            tree_bit,
            enable: Default::default(),
            acc_on: Default::default(),
            refresh_on: Default::default(),
            decay: Default::default(),
            dshift: Default::default(),
            tr_sel: Default::default(),
            lword: Default::default(),
            khi: Default::default(),
            klo: Default::default(),
            tolraw: Default::default(),
            incraw: Default::default(),
            lsig: Default::default(),
            lneg: Default::default(),
            lmag: Default::default(),
            x: Default::default(),
            dabs: Default::default(),
            w1: Default::default(),
            w2: Default::default(),
            w3: Default::default(),
            w4: Default::default(),
            hb1: Default::default(),
            hb2: Default::default(),
            hb3: Default::default(),
            hb4: Default::default(),
            h: Default::default(),
            te: Default::default(),
            te17: Default::default(),
            pp0: Default::default(),
            pp1: Default::default(),
            pp2: Default::default(),
            pp3: Default::default(),
            pp4: Default::default(),
            pp5: Default::default(),
            pp6: Default::default(),
            pp7: Default::default(),
            q01: Default::default(),
            q23: Default::default(),
            q45: Default::default(),
            q67: Default::default(),
            q03: Default::default(),
            q47: Default::default(),
            mag: Default::default(),
            k2p: Default::default(),
            k2m: Default::default(),
            pm: Default::default(),
            p: Default::default(),
            acc_root: Default::default(),
            acc_sel: Default::default(),
            acc_m: Default::default(),
            acc_ext: Default::default(),
            s2m: Default::default(),
            s: Default::default(),
            eps20: Default::default(),
            t: Default::default(),
            s2: Default::default(),
            plus: Default::default(),
            minus: Default::default(),
            wr_acc: Default::default(),
            next: Default::default(),
            high: Default::default(),
            tol: Default::default(),
            tp: Default::default(),
            tm: Default::default(),
            gp13: Default::default(),
            gm13: Default::default(),
            rp: Default::default(),
            resume: Default::default(),
            fire: Default::default(),
            fire_op: Default::default(),
            fire_row: Default::default(),
            fire_col: Default::default(),
            fire_after: Default::default(),
            go: Default::default(),
            load: Default::default(),
            tdec: Default::default(),
            tnew: Default::default(),
            tsum: Default::default(),
        }
    }
}

impl Logic for LearnEprop {
    #[hdl_gen]
    fn update(&mut self) {
        // First, so that they are continuous assignments (the top selects
        // the pair's potentials and codes with them).
        self.kp.next = self.k.q.val() << bits::<4>(1);
        self.km.next = (self.k.q.val() << bits::<4>(1)) | bits::<8>(1);
        self.pkp.next = self.pk.q.val() << bits::<4>(1);
        self.pkm.next = (self.pk.q.val() << bits::<4>(1)) | bits::<8>(1);
        self.k2p.next = self.k2.q.val() << bits::<4>(1);
        self.k2m.next = (self.k2.q.val() << bits::<4>(1)) | bits::<8>(1);
        self.state.clock.next = self.clock.val();
        self.state.rst_n.next = self.rst_n.val();
        self.state.d.next = self.state.q.val();
        self.after.clock.next = self.clock.val();
        self.after.rst_n.next = self.rst_n.val();
        self.after.d.next = self.after.q.val();
        self.pass_pend.clock.next = self.clock.val();
        self.pass_pend.rst_n.next = self.rst_n.val();
        self.pass_pend.d.next = self.pass_pend.q.val();
        self.row.clock.next = self.clock.val();
        self.row.rst_n.next = self.rst_n.val();
        self.row.d.next = self.row.q.val();
        self.k.clock.next = self.clock.val();
        self.k.rst_n.next = self.rst_n.val();
        self.k.d.next = self.k.q.val();
        self.syn.clock.next = self.clock.val();
        self.syn.rst_n.next = self.rst_n.val();
        self.syn.d.next = self.syn.q.val();
        self.fin.clock.next = self.clock.val();
        self.fin.rst_n.next = self.rst_n.val();
        self.fin.d.next = self.fin.q.val();
        self.v1.clock.next = self.clock.val();
        self.v1.rst_n.next = self.rst_n.val();
        self.v1.d.next = self.v1.q.val();
        self.te1.clock.next = self.clock.val();
        self.te1.rst_n.next = self.rst_n.val();
        self.te1.d.next = self.te1.q.val();
        self.lmag1.clock.next = self.clock.val();
        self.lmag1.rst_n.next = self.rst_n.val();
        self.lmag1.d.next = self.lmag1.q.val();
        self.lneg1.clock.next = self.clock.val();
        self.lneg1.rst_n.next = self.rst_n.val();
        self.lneg1.d.next = self.lneg1.q.val();
        self.syn1.clock.next = self.clock.val();
        self.syn1.rst_n.next = self.rst_n.val();
        self.syn1.d.next = self.syn1.q.val();
        self.row1.clock.next = self.clock.val();
        self.row1.rst_n.next = self.rst_n.val();
        self.row1.d.next = self.row1.q.val();
        self.k1.clock.next = self.clock.val();
        self.k1.rst_n.next = self.rst_n.val();
        self.k1.d.next = self.k1.q.val();
        self.v2.clock.next = self.clock.val();
        self.v2.rst_n.next = self.rst_n.val();
        self.v2.d.next = self.v2.q.val();
        self.a2.clock.next = self.clock.val();
        self.a2.rst_n.next = self.rst_n.val();
        self.a2.d.next = self.a2.q.val();
        self.p2.clock.next = self.clock.val();
        self.p2.rst_n.next = self.rst_n.val();
        self.p2.d.next = self.p2.q.val();
        self.syn2.clock.next = self.clock.val();
        self.syn2.rst_n.next = self.rst_n.val();
        self.syn2.d.next = self.syn2.q.val();
        self.row2.clock.next = self.clock.val();
        self.row2.rst_n.next = self.rst_n.val();
        self.row2.d.next = self.row2.q.val();
        self.k2.clock.next = self.clock.val();
        self.k2.rst_n.next = self.rst_n.val();
        self.k2.d.next = self.k2.q.val();
        self.prow.clock.next = self.clock.val();
        self.prow.rst_n.next = self.rst_n.val();
        self.prow.d.next = self.prow.q.val();
        self.pk.clock.next = self.clock.val();
        self.pk.rst_n.next = self.rst_n.val();
        self.pk.d.next = self.pk.q.val();
        self.refreshing.clock.next = self.clock.val();
        self.refreshing.rst_n.next = self.rst_n.val();
        self.refreshing.d.next = self.refreshing.q.val();
        self.tplus.clock.next = self.clock.val();
        self.tplus.rst_n.next = self.rst_n.val();
        self.tplus.d.next = self.tplus.q.val();
        self.tminus.clock.next = self.clock.val();
        self.tminus.rst_n.next = self.rst_n.val();
        self.tminus.d.next = self.tminus.q.val();
        self.ref_pulses.clock.next = self.clock.val();
        self.ref_pulses.rst_n.next = self.rst_n.val();
        self.ref_pulses.d.next = self.ref_pulses.q.val();
        self.timer.clock.next = self.clock.val();
        self.timer.rst_n.next = self.rst_n.val();
        self.timer.d.next = self.timer.q.val();
        self.decay_cnt.clock.next = self.clock.val();
        self.decay_cnt.rst_n.next = self.rst_n.val();
        self.decay_cnt.d.next = self.decay_cnt.q.val();
        self.cnt.clock.next = self.clock.val();
        self.cnt.rst_n.next = self.rst_n.val();
        self.cnt.d.next = self.cnt.q.val();
        self.rcnt.clock.next = self.clock.val();
        self.rcnt.rst_n.next = self.rst_n.val();
        self.rcnt.d.next = self.rcnt.q.val();
        self.op_r.clock.next = self.clock.val();
        self.op_r.rst_n.next = self.rst_n.val();
        self.row_r.clock.next = self.clock.val();
        self.row_r.rst_n.next = self.rst_n.val();
        self.col_r.clock.next = self.clock.val();
        self.col_r.rst_n.next = self.rst_n.val();
        // Crossbar commands last one cycle; a pulse's amplitude and width
        // come straight from `learn_cfg` while it is on the bus.
        self.op_r.d.next = bits::<2>(0);
        self.row_r.d.next = bits::<8>(0);
        self.col_r.d.next = bits::<8>(0);
        self.xbar_op.next = self.op_r.q.val();
        self.xbar_row.next = self.row_r.q.val();
        self.xbar_col.next = self.col_r.q.val();
        self.xbar_amp.next = bits::<8>(0);
        self.xbar_width.next = bits::<8>(0);
        if self.op_r.q.val().get_bit(1) {
            self.xbar_amp.next = self.cfg.val().get_bits::<8>(16);
            self.xbar_width.next = self.cfg.val().get_bits::<8>(24);
        }
        self.count.next = self.cnt.q.val();
        self.refreshes.next = self.rcnt.q.val();
        self.busy.next = (self.state.q.val() != bits::<3>(0)) | self.pass_pend.q.val();
        self.active.next = self.state.q.val() != bits::<3>(0);

        self.enable.next = self.ctrl.val().get_bit(self.b_enable.val().index());
        self.acc_on.next = self.ctrl.val().get_bit(self.b_acc.val().index());
        self.refresh_on.next = self.ctrl.val().get_bit(self.b_refresh.val().index());

        // Decay timer.
        self.decay.next = false;
        if self.enable.val() {
            if self.decay_cnt.q.val() == self.cfg.val().get_bits::<16>(0) {
                self.decay_cnt.d.next = bits::<16>(0);
                self.decay.next = true;
            } else {
                self.decay_cnt.d.next = self.decay_cnt.q.val() + bits::<16>(1);
            }
        } else {
            self.decay_cnt.d.next = bits::<16>(0);
        }
        self.load.next =
            self.enable.val() & self.pop.val() & (self.pop_value.val() != bits::<8>(0));

        // The synapse of the pass: its trace, its neuron's potentials and
        // learning signal, its accumulator.
        self.tr_sel.next = bits::<8>(0);
        for i in 0..self.rows.0 {
            if self.row.q.val() == self.row_id[i].val() {
                self.tr_sel.next = self.trace[i].q.val();
            }
        }
        self.khi.next = self.k.q.val().get_bits::<2>(2);
        self.klo.next = self.k.q.val().get_bits::<2>(0);
        self.lword.next = bits::<32>(0);
        if self.khi.val() == self.word_id[0].val() {
            self.lword.next = self.sig0.val();
        }
        if self.khi.val() == self.word_id[1].val() {
            self.lword.next = self.sig1.val();
        }
        if self.khi.val() == self.word_id[2].val() {
            self.lword.next = self.sig2.val();
        }
        if self.khi.val() == self.word_id[3].val() {
            self.lword.next = self.sig3.val();
        }
        self.lsig.next = self.lword.val().get_bits::<8>(0);
        if self.klo.val() == self.word_id[1].val() {
            self.lsig.next = self.lword.val().get_bits::<8>(8);
        }
        if self.klo.val() == self.word_id[2].val() {
            self.lsig.next = self.lword.val().get_bits::<8>(16);
        }
        if self.klo.val() == self.word_id[3].val() {
            self.lsig.next = self.lword.val().get_bits::<8>(24);
        }
        self.lneg.next = self.lsig.val().get_bit(7);
        if self.lneg.val() {
            self.lmag.next = bits::<8>(0) - self.lsig.val();
        } else {
            self.lmag.next = self.lsig.val();
        }
        for s in 0..self.leaves.0 {
            self.tree[s].next = bits::<16>(0);
        }
        for s in 0..self.synapses.0 {
            self.tree[s].next = self.acc[s].q.val();
        }
        // `o` is the constant `leaves` (a one-iteration loop: rust-hdl
        // evaluates index arithmetic on loop variables only).
        for o in self.leaves.0..self.leaves_end.0 {
            for m in 0..self.tree_nodes.0 {
                if self.syn1.q.val().get_bit(self.tree_bit[m].val().index()) {
                    self.tree[o + m].next = self.tree[2 * m + 1].val();
                } else {
                    self.tree[o + m].next = self.tree[2 * m].val();
                }
            }
            self.acc_root.next = self.tree[2 * o - 2].val();
        }
        self.acc_sel.next = bit_cast::<20, 16>(self.a2.q.val());

        // Pseudo-derivative: h = #{j in 1..4 : |v+ - v- - thr| < j W}.
        self.x.next = bit_cast::<18, 16>(self.vp.val())
            - bit_cast::<18, 16>(self.vm.val())
            - bit_cast::<18, 16>(self.threshold.val());
        if self.x.val().get_bit(17) {
            self.dabs.next = bits::<18>(0) - self.x.val();
        } else {
            self.dabs.next = self.x.val();
        }
        self.w1.next = bit_cast::<18, 16>(self.hwin.val());
        self.w2.next = self.w1.val() << bits::<5>(1);
        self.w3.next = self.w1.val() + self.w2.val();
        self.w4.next = self.w1.val() << bits::<5>(2);
        self.hb1.next = self.dabs.val() < self.w1.val();
        self.hb2.next = self.dabs.val() < self.w2.val();
        self.hb3.next = self.dabs.val() < self.w3.val();
        self.hb4.next = self.dabs.val() < self.w4.val();
        self.h.next = bit_cast::<3, 1>(self.hb1.val().into())
            + bit_cast::<3, 1>(self.hb2.val().into())
            + bit_cast::<3, 1>(self.hb3.val().into())
            + bit_cast::<3, 1>(self.hb4.val().into());

        // Eligibility trace x h (0..4), times |L| by shift and add, then the
        // learning-rate shift and the sign.
        // Stage 1 (the synapse issued this cycle): trace x h, 10 bits.
        self.te.next = bits::<10>(0);
        if self.h.val() == bits::<3>(1) {
            self.te.next = bit_cast::<10, 8>(self.tr_sel.val());
        }
        if self.h.val() == bits::<3>(2) {
            self.te.next = bit_cast::<10, 8>(self.tr_sel.val()) << bits::<4>(1);
        }
        if self.h.val() == bits::<3>(3) {
            self.te.next = bit_cast::<10, 8>(self.tr_sel.val())
                + (bit_cast::<10, 8>(self.tr_sel.val()) << bits::<4>(1));
        }
        if self.h.val() == bits::<3>(4) {
            self.te.next = bit_cast::<10, 8>(self.tr_sel.val()) << bits::<4>(2);
        }
        // Stage 2 (the synapse issued a cycle ago): |L| x (trace x h) as a
        // balanced adder tree of the eight shifted partial products, the
        // learning-rate shift and the sign.
        self.te17.next = bit_cast::<17, 10>(self.te1.q.val());
        self.pp0.next = bits::<17>(0);
        self.pp1.next = bits::<17>(0);
        self.pp2.next = bits::<17>(0);
        self.pp3.next = bits::<17>(0);
        self.pp4.next = bits::<17>(0);
        self.pp5.next = bits::<17>(0);
        self.pp6.next = bits::<17>(0);
        self.pp7.next = bits::<17>(0);
        if self.lmag1.q.val().get_bit(0) {
            self.pp0.next = self.te17.val();
        }
        if self.lmag1.q.val().get_bit(1) {
            self.pp1.next = self.te17.val() << bits::<5>(1);
        }
        if self.lmag1.q.val().get_bit(2) {
            self.pp2.next = self.te17.val() << bits::<5>(2);
        }
        if self.lmag1.q.val().get_bit(3) {
            self.pp3.next = self.te17.val() << bits::<5>(3);
        }
        if self.lmag1.q.val().get_bit(4) {
            self.pp4.next = self.te17.val() << bits::<5>(4);
        }
        if self.lmag1.q.val().get_bit(5) {
            self.pp5.next = self.te17.val() << bits::<5>(5);
        }
        if self.lmag1.q.val().get_bit(6) {
            self.pp6.next = self.te17.val() << bits::<5>(6);
        }
        if self.lmag1.q.val().get_bit(7) {
            self.pp7.next = self.te17.val() << bits::<5>(7);
        }
        self.q01.next = self.pp0.val() + self.pp1.val();
        self.q23.next = self.pp2.val() + self.pp3.val();
        self.q45.next = self.pp4.val() + self.pp5.val();
        self.q67.next = self.pp6.val() + self.pp7.val();
        self.q03.next = self.q01.val() + self.q23.val();
        self.q47.next = self.q45.val() + self.q67.val();
        self.mag.next = self.q03.val() + self.q47.val();
        self.pm.next = bit_cast::<20, 17>(self.mag.val()) >> self.rate.val().get_bits::<4>(4);
        if self.lneg1.q.val() {
            self.p.next = bits::<20>(0) - self.pm.val();
        } else {
            self.p.next = self.pm.val();
        }

        // Stage 3 (the synapse issued two cycles ago), mixed precision:
        // saturating add, then the epsilon crossings.
        self.acc_m.next = self.acc_sel.val() & self.acc_mask.val();
        if self.acc_m.val().get_bit(self.acc_sign.val().index()) {
            self.acc_ext.next = self.acc_m.val() | !self.acc_mask.val();
        } else {
            self.acc_ext.next = self.acc_m.val();
        }
        self.s.next = self.acc_ext.val() + self.p2.q.val();
        if !self.s.val().get_bit(19) & (self.s.val() > self.acc_max.val()) {
            self.s.next = self.acc_max.val();
        }
        if self.s.val().get_bit(19) & (self.s.val() < self.acc_min.val()) {
            self.s.next = self.acc_min.val();
        }
        self.eps20.next = bit_cast::<20, 16>(self.eps.val());
        self.t.next = self.s.val() + self.eps20.val();
        self.s2.next = self.s.val().get_bits::<16>(0);
        self.plus.next = false;
        self.minus.next = false;
        if self.acc_on.val() {
            if !self.s.val().get_bit(19) & (self.s.val() >= self.eps20.val()) {
                self.plus.next = true;
                self.s2.next = self.s.val().get_bits::<16>(0) - self.eps.val();
            } else if self.t.val().get_bit(19) | (self.t.val() == bits::<20>(0)) {
                self.minus.next = true;
                self.s2.next = self.t.val().get_bits::<16>(0);
            }
        } else {
            self.plus.next = (self.p2.q.val() != bits::<20>(0)) & !self.p2.q.val().get_bit(19);
            self.minus.next = self.p2.q.val().get_bit(19);
        }

        // Refresh decision on the pair's codes (targets: the registers, or
        // the first read's difference when the refresh starts now).
        self.high.next = self.refresh.val().get_bits::<12>(0);
        self.tolraw.next = self.refresh.val().get_bits::<4>(12);
        self.tol.next = bit_cast::<13, 4>(self.tolraw.val());
        self.gp13.next = bit_cast::<13, 12>(self.gp.val());
        self.gm13.next = bit_cast::<13, 12>(self.gm.val());
        if self.refreshing.q.val() {
            self.tp.next = bit_cast::<13, 12>(self.tplus.q.val());
            self.tm.next = bit_cast::<13, 12>(self.tminus.q.val());
            self.rp.next = self.ref_pulses.q.val();
        } else {
            self.tp.next = bits::<13>(0);
            self.tm.next = bits::<13>(0);
            if self.gp.val() > self.gm.val() {
                self.tp.next = self.gp13.val() - self.gm13.val();
            }
            if self.gm.val() > self.gp.val() {
                self.tm.next = self.gm13.val() - self.gp13.val();
            }
            self.rp.next = bits::<8>(0);
        }
        if self.fin.q.val() & !self.v1.q.val() & !self.v2.q.val() {
            self.resume.next = bits::<3>(0);
        } else {
            self.resume.next = bits::<3>(1);
        }

        // The state machine.
        self.fire.next = false;
        self.fire_op.next = self.op_set.val();
        self.fire_row.next = self.prow.q.val();
        self.fire_col.next = self.pkp.val();
        self.fire_after.next = bits::<3>(3);
        self.wr_acc.next = false;
        self.next.next = bits::<3>(1);
        self.go.next = self.start.val() != bits::<1>(0);
        if self.go.val() {
            self.pass_pend.d.next = true;
        }
        if self.state.q.val() == bits::<3>(0) {
            if self.pass_pend.q.val() & self.seq_idle.val() & !self.prog_busy.val() {
                self.row.d.next = bits::<8>(0);
                self.k.d.next = bits::<8>(0);
                self.syn.d.next = bits::<16>(0);
                self.fin.d.next = false;
                self.v1.d.next = false;
                self.v2.d.next = false;
                self.pass_pend.d.next = self.go.val();
                self.state.d.next = bits::<3>(1);
            }
        } else if self.state.q.val() == bits::<3>(1) {
            // Issue the next synapse into stage 1 (until all are issued),
            // advance stage 1 to 2, and finish the one in stage 3.
            self.v1.d.next = !self.fin.q.val();
            self.te1.d.next = self.te.val();
            self.lmag1.d.next = self.lmag.val();
            self.lneg1.d.next = self.lneg.val();
            self.syn1.d.next = self.syn.q.val();
            self.row1.d.next = self.row.q.val();
            self.k1.d.next = self.k.q.val();
            self.v2.d.next = self.v1.q.val();
            self.p2.d.next = self.p.val();
            self.a2.d.next = self.acc_root.val();
            self.syn2.d.next = self.syn1.q.val();
            self.row2.d.next = self.row1.q.val();
            self.k2.d.next = self.k1.q.val();
            if !self.fin.q.val() {
                self.syn.d.next = self.syn.q.val() + bits::<16>(1);
                if self.k.q.val() == self.last_k.val() {
                    self.k.d.next = bits::<8>(0);
                    if self.row.q.val() == self.last_row.val() {
                        self.row.d.next = bits::<8>(0);
                        self.fin.d.next = true;
                    } else {
                        self.row.d.next = (self.row.q.val() + bits::<8>(1)) & self.row_mask.val();
                    }
                } else {
                    self.k.d.next = self.k.q.val() + bits::<8>(1);
                }
            }
            if self.fin.q.val() & !self.v1.q.val() {
                self.next.next = bits::<3>(0);
            }
            self.wr_acc.next = self.acc_on.val() & self.v2.q.val();
            self.state.d.next = self.next.val();
            if self.v2.q.val() & (self.plus.val() | self.minus.val()) {
                self.fire.next = true;
                self.prow.d.next = self.row2.q.val();
                self.pk.d.next = self.k2.q.val();
                self.fire_row.next = self.row2.q.val();
                if self.plus.val() {
                    self.fire_col.next = self.k2p.val();
                } else {
                    self.fire_col.next = self.k2m.val();
                }
                if !self.refresh_on.val() {
                    self.fire_after.next = self.next.val();
                }
            }
        } else if self.state.q.val() == bits::<3>(2) {
            if self.timer.q.val() >= self.cfg.val().get_bits::<8>(24) {
                self.state.d.next = self.after.q.val();
            } else {
                self.timer.d.next = self.timer.q.val() + bits::<8>(1);
            }
        } else if self.state.q.val() == bits::<3>(3) {
            self.op_r.d.next = self.op_read.val();
            self.row_r.d.next = self.prow.q.val();
            self.timer.d.next = bits::<8>(0);
            self.state.d.next = bits::<3>(4);
        } else if self.state.q.val() == bits::<3>(4) {
            if self.adc_valid.val() {
                if self.refreshing.q.val()
                    | (self.gp.val() >= self.high.val())
                    | (self.gm.val() >= self.high.val())
                {
                    if !self.refreshing.q.val() {
                        self.rcnt.d.next = self.rcnt.q.val() + bits::<8>(1);
                        self.tplus.d.next = self.tp.val().get_bits::<12>(0);
                        self.tminus.d.next = self.tm.val().get_bits::<12>(0);
                    }
                    self.refreshing.d.next = true;
                    self.fire.next = true;
                    if self.rp.val() == self.refresh.val().get_bits::<8>(16) {
                        self.fire.next = false;
                    } else if self.gp13.val() > self.tp.val() + self.tol.val() {
                        self.fire_op.next = self.op_reset.val();
                    } else if self.gp13.val() + self.tol.val() < self.tp.val() {
                        self.fire_op.next = self.op_set.val();
                    } else if self.gm13.val() > self.tm.val() + self.tol.val() {
                        self.fire_op.next = self.op_reset.val();
                        self.fire_col.next = self.pkm.val();
                    } else if self.gm13.val() + self.tol.val() < self.tm.val() {
                        self.fire_op.next = self.op_set.val();
                        self.fire_col.next = self.pkm.val();
                    } else {
                        self.fire.next = false;
                    }
                    if self.fire.val() {
                        self.ref_pulses.d.next = self.rp.val() + bits::<8>(1);
                    } else {
                        self.refreshing.d.next = false;
                        self.state.d.next = self.resume.val();
                    }
                } else {
                    self.state.d.next = self.resume.val();
                }
            } else if self.timer.q.val() == self.timeout.val() {
                self.timer.d.next = bits::<8>(0);
                self.state.d.next = bits::<3>(5);
            } else {
                self.timer.d.next = self.timer.q.val() + bits::<8>(1);
            }
        } else if self.timer.q.val() == self.timeout.val() {
            self.refreshing.d.next = false;
            self.state.d.next = self.resume.val();
        } else {
            self.timer.d.next = self.timer.q.val() + bits::<8>(1);
        }
        if self.fire.val() {
            self.op_r.d.next = self.fire_op.val();
            self.row_r.d.next = self.fire_row.val();
            self.col_r.d.next = self.fire_col.val();
            self.cnt.d.next = self.cnt.q.val() + bits::<8>(1);
            self.timer.d.next = bits::<8>(0);
            self.after.d.next = self.fire_after.val();
            self.state.d.next = bits::<3>(2);
        }

        // Accumulator and trace writes.
        self.s2m.next = self.s2.val() & self.acc_mask16.val();
        for s in 0..self.synapses.0 {
            self.acc[s].clock.next = self.clock.val();
            self.acc[s].rst_n.next = self.rst_n.val();
            self.acc[s].d.next = self.acc[s].q.val();
            if self.wr_acc.val() & (self.syn2.q.val() == self.syn_id[s].val()) {
                self.acc[s].d.next = self.s2m.val();
            }
            if self.init.val() {
                self.acc[s].d.next = bits::<16>(0);
            }
        }
        self.dshift.next = self.rate.val().get_bits::<4>(0);
        self.incraw.next = self.rate.val().get_bits::<8>(8);
        for i in 0..self.rows.0 {
            self.trace[i].clock.next = self.clock.val();
            self.trace[i].rst_n.next = self.rst_n.val();
            self.tdec.next = self.trace[i].q.val() >> self.dshift.val();
            if (self.tdec.val() == bits::<8>(0)) & (self.trace[i].q.val() != bits::<8>(0)) {
                self.tdec.next = bits::<8>(1);
            }
            self.tnew.next = self.trace[i].q.val();
            if self.decay.val() {
                self.tnew.next = self.trace[i].q.val() - self.tdec.val();
            }
            self.trace[i].d.next = self.tnew.val();
            self.tsum.next =
                bit_cast::<9, 8>(self.tnew.val()) + bit_cast::<9, 8>(self.incraw.val());
            if self.load.val()
                & ((self.pop_row.val() & self.row_mask.val()) == self.row_id[i].val())
            {
                if self.tsum.val() > self.trace_max.val() {
                    self.trace[i].d.next = self.trace_max.val().get_bits::<8>(0);
                } else {
                    self.trace[i].d.next = self.tsum.val().get_bits::<8>(0);
                }
            }
            if self.init.val() {
                self.trace[i].d.next = bits::<8>(0);
            }
        }
    }
}

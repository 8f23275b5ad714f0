//! The top of a generated design, built from its config.

use crate::emit::{self, EmitError, Emitted};
use crate::reg::RegStyle;
use crate::regfile::{ClaimError, RegBank};
use crate::rst_sync::RstSync;
use memforge_spec::{DesignConfig, RegisterMap, Target};
use rust_hdl::prelude::*;

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("register map and register bank disagree: {0}")]
    RegisterMap(#[from] ClaimError),
    #[error(transparent)]
    Emit(#[from] EmitError),
}

/// The design's top module. Clock and reset use Caravel's names
/// (`wb_clk_i`, active-high `wb_rst_i`), synchronized to `rst_n` inside.
#[derive(Clone, Debug, LogicBlock)]
pub struct TileTop {
    pub wb_clk_i: Signal<In, Clock>,
    pub wb_rst_i: Signal<In, Bit>,
    pub wbs_stb_i: Signal<In, Bit>,
    pub wbs_cyc_i: Signal<In, Bit>,
    pub wbs_we_i: Signal<In, Bit>,
    pub wbs_sel_i: Signal<In, Bits<4>>,
    pub wbs_dat_i: Signal<In, Bits<32>>,
    pub wbs_adr_i: Signal<In, Bits<32>>,
    pub wbs_ack_o: Signal<Out, Bit>,
    pub wbs_dat_o: Signal<Out, Bits<32>>,
    pub cfg_ctrl: Signal<Out, Bits<8>>,
    pub cfg_threshold: Signal<Out, Bits<16>>,
    pub cfg_leak: Signal<Out, Bits<16>>,
    pub cfg_refractory: Signal<Out, Bits<8>>,
    pub cfg_cmd: Signal<Out, Bits<8>>,
    pub st_status: Signal<In, Bits<8>>,
    pub st_dropped: Signal<In, Bits<16>>,
    rst: RstSync,
    regs: RegBank,
}

/// The register style every flip-flop of `cfg` uses.
pub fn reg_style(cfg: &DesignConfig) -> RegStyle {
    RegStyle {
        reset: cfg.design.reset,
        target: cfg.design.target,
    }
}

/// Builds the rust-hdl top of `cfg` (connected, ready to simulate or emit).
pub fn build(cfg: &DesignConfig) -> Result<TileTop, GenerateError> {
    let style = reg_style(cfg);
    let map = RegisterMap::for_design(cfg);
    let mut top = TileTop {
        wb_clk_i: Default::default(),
        wb_rst_i: Default::default(),
        wbs_stb_i: Default::default(),
        wbs_cyc_i: Default::default(),
        wbs_we_i: Default::default(),
        wbs_sel_i: Default::default(),
        wbs_dat_i: Default::default(),
        wbs_adr_i: Default::default(),
        wbs_ack_o: Default::default(),
        wbs_dat_o: Default::default(),
        cfg_ctrl: Default::default(),
        cfg_threshold: Default::default(),
        cfg_leak: Default::default(),
        cfg_refractory: Default::default(),
        cfg_cmd: Default::default(),
        st_status: Default::default(),
        st_dropped: Default::default(),
        rst: RstSync::new(style),
        regs: RegBank::new(&map, style)?,
    };
    top.connect_all();
    Ok(top)
}

impl Logic for TileTop {
    #[hdl_gen]
    fn update(&mut self) {
        self.rst.clock.next = self.wb_clk_i.val();
        self.rst.arst.next = self.wb_rst_i.val();
        self.regs.clock.next = self.wb_clk_i.val();
        self.regs.rst_n.next = self.rst.rst_n.val();
        self.regs.wbs_stb_i.next = self.wbs_stb_i.val();
        self.regs.wbs_cyc_i.next = self.wbs_cyc_i.val();
        self.regs.wbs_we_i.next = self.wbs_we_i.val();
        self.regs.wbs_sel_i.next = self.wbs_sel_i.val();
        self.regs.wbs_dat_i.next = self.wbs_dat_i.val();
        self.regs.wbs_adr_i.next = self.wbs_adr_i.val();
        self.wbs_ack_o.next = self.regs.wbs_ack_o.val();
        self.wbs_dat_o.next = self.regs.wbs_dat_o.val();
        self.cfg_ctrl.next = self.regs.ctrl.val();
        self.cfg_threshold.next = self.regs.threshold.val();
        self.cfg_leak.next = self.regs.leak.val();
        self.cfg_refractory.next = self.regs.refractory.val();
        self.cfg_cmd.next = self.regs.cmd.val();
        self.regs.status.next = self.st_status.val();
        self.regs.dropped.next = self.st_dropped.val();
    }
}

/// Builds and emits the Verilog of `cfg`.
pub fn generate(cfg: &DesignConfig) -> Result<Emitted, GenerateError> {
    let top = build(cfg)?;
    Ok(emit::emit(&top, &cfg.design.name, cfg.design.target == Target::Fpga)?)
}

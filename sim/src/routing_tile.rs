//! Golden model of the Mosaic routing tile's periphery, written from
//! `docs/routing.md` ("The periphery"): spike capture, routing READs,
//! answers owed and given up, output pulses and their counters, the
//! register file and the tile's write-verify programmer (whose model is
//! reused as the RTL reuses the block). Its traffic and the macro it
//! talks to: `crate::stimulus::routing_traffic`.

use crate::cycle::{CycleModel, MissingPort, Pin, PortLayout};
use crate::pins::WishbonePins;
use crate::regfile::RegFileModel;
use crate::tile::program::{ProgRequest, ProgrammerModel};
use crate::tile::sequencer::{XbarCmd, OP_READ, READ_TIMEOUT};
use memforge_spec::blocks::routing_tile::{
    contract, line_port, register_map, status, RoutingTileConfig, DIRECTIONS, RESET,
};

/// The routing tile's pins.
#[derive(Clone, Debug)]
pub struct RoutingPins {
    pub rst_n: Pin,
    pub wb: WishbonePins,
    /// `in_n`, `in_e`, `in_s`, `in_w`, `in_l`.
    pub inputs: Vec<Pin>,
    /// `out_n` .. `out_l`.
    pub outputs: Vec<Pin>,
    pub op: Pin,
    pub lines: Pin,
    pub row: Pin,
    pub col: Pin,
    pub sel: Pin,
    pub amp: Pin,
    pub width: Pin,
    pub vth: Pin,
    pub cmp: Pin,
    pub valid: Pin,
}

impl RoutingPins {
    pub fn new(layout: &PortLayout) -> Result<Self, MissingPort> {
        let p = |n: &str| layout.pin(n);
        let side = |s: &str| -> Result<Vec<Pin>, MissingPort> {
            DIRECTIONS.iter().map(|d| p(&line_port(s, d))).collect()
        };
        Ok(Self {
            rst_n: p(RESET)?,
            wb: WishbonePins::new(layout)?,
            inputs: side("in")?,
            outputs: side("out")?,
            op: p("xbar_op")?,
            lines: p("xbar_lines")?,
            row: p("xbar_row")?,
            col: p("xbar_col")?,
            sel: p("xbar_sel")?,
            amp: p("xbar_amp")?,
            width: p("xbar_width")?,
            vth: p("xbar_vth")?,
            cmp: p("xbar_cmp")?,
            valid: p("xbar_valid")?,
        })
    }
}

/// Register indices the model reads every cycle.
#[derive(Clone, Debug)]
struct Ix {
    ctrl: usize,
    vth: usize,
    cmd: usize,
    prog_addr: usize,
    prog_target: usize,
    prog_tolerance: usize,
    prog_max_pulses: usize,
    prog_pulse: usize,
    status: usize,
    dropped: usize,
    prog_status: usize,
    /// `count_n` .. `count_l`.
    counts: Vec<usize>,
}

/// The routing tile at its ports, cycle-accurate.
#[derive(Clone, Debug)]
pub struct RoutingTileModel {
    layout: PortLayout,
    pins: RoutingPins,
    channels: u32,
    mask: u64,
    ix: Ix,
    regs: RegFileModel,
    prog: ProgrammerModel,
    lines: u64,
    outs: u64,
    pending: u8,
    silence: u8,
    timeout: bool,
    stale: bool,
    dropped: u16,
    counts: [u16; 5],
}

impl RoutingTileModel {
    /// The routing tile of `cfg` in its reset state.
    pub fn new(cfg: &RoutingTileConfig) -> Self {
        let layout = PortLayout::from_contract(&contract(&cfg.routing));
        let pins = RoutingPins::new(&layout).expect("the layout is the routing tile's contract");
        let regs = RegFileModel::new(&register_map(cfg));
        let ix = |n: &str| {
            regs.index(n)
                .expect("the routing tile's register map has it")
        };
        let ix = Ix {
            ctrl: ix("ctrl"),
            vth: ix("vth"),
            cmd: ix("cmd"),
            prog_addr: ix("prog_addr"),
            prog_target: ix("prog_target"),
            prog_tolerance: ix("prog_tolerance"),
            prog_max_pulses: ix("prog_max_pulses"),
            prog_pulse: ix("prog_pulse"),
            status: ix("status"),
            dropped: ix("dropped"),
            prog_status: ix("prog_status"),
            counts: DIRECTIONS
                .iter()
                .map(|d| ix(&format!("count_{d}")))
                .collect(),
        };
        let lines = cfg.routing.lines() as u32;
        let mut m = Self {
            layout,
            pins,
            channels: cfg.routing.channels,
            mask: (1u64 << lines) - 1,
            ix,
            regs,
            prog: ProgrammerModel::new(lines, lines, 1),
            lines: 0,
            outs: 0,
            pending: 0,
            silence: 0,
            timeout: false,
            stale: false,
            dropped: 0,
            counts: [0; 5],
        };
        m.reset();
        m
    }

    fn reset(&mut self) {
        self.regs.reset();
        let lines = self.mask.count_ones();
        self.prog = ProgrammerModel::new(lines, lines, 1);
        self.lines = 0;
        self.outs = 0;
        self.pending = 0;
        self.silence = 0;
        self.timeout = false;
        self.stale = false;
        self.dropped = 0;
        self.counts = [0; 5];
    }

    /// Direction `d`'s slice of a line vector.
    fn slice(&self, v: u64, d: usize) -> u64 {
        (v >> (d as u32 * self.channels)) & ((1 << self.channels) - 1)
    }

    fn route_busy(&self) -> bool {
        self.lines != 0 || self.pending != 0
    }

    /// The `status` register now.
    fn status(&self) -> u32 {
        u32::from(self.route_busy()) << status::ROUTE_BUSY
            | u32::from(self.prog.busy()) << status::PROG_BUSY
            | u32::from(self.timeout) << status::TIMEOUT
            | u32::from(self.stale) << status::STALE
    }

    /// The macro command on the `xbar_*` outputs now: a routing READ, else
    /// the programmer's.
    fn command(&self) -> (XbarCmd, u64) {
        let p = self.prog.cmd;
        if self.lines != 0 {
            let read = XbarCmd { op: OP_READ, ..p };
            (read, self.lines)
        } else if p.op == OP_READ {
            let one = 1u64.checked_shl(u32::from(p.row)).unwrap_or(0) & self.mask;
            (p, one)
        } else {
            (p, 0)
        }
    }
}

impl CycleModel for RoutingTileModel {
    fn layout(&self) -> &PortLayout {
        &self.layout
    }

    fn tick(&mut self, v: &[u64]) {
        let pins = &self.pins;
        if !pins.rst_n.is_high(v) {
            self.reset();
            return;
        }
        // Pre-edge values.
        let hw = |i: usize| self.regs.value(i);
        let (ctrl, cmd) = (hw(self.ix.ctrl), hw(self.ix.cmd));
        let pa = hw(self.ix.prog_addr);
        let pulse = hw(self.ix.prog_pulse);
        let req = ProgRequest {
            row: pa as u8,
            col: (pa >> 8) as u8,
            target: hw(self.ix.prog_target) as u16,
            tolerance: hw(self.ix.prog_tolerance) as u16,
            max_pulses: hw(self.ix.prog_max_pulses) as u8,
            amp: pulse as u8,
            width: (pulse >> 8) as u8,
        };
        let prog_busy = self.prog.busy();
        let route_en = ctrl & 1 != 0 && !prog_busy;
        let arriving = pins
            .inputs
            .iter()
            .enumerate()
            .fold(0u64, |a, (d, p)| a | p.get(v) << (d as u32 * self.channels));
        let route_read = self.lines != 0;
        let valid = pins.valid.is_high(v);
        let cmp = pins.cmp.get(v) & self.mask;
        let owed = self.pending != 0;
        let answered = valid && owed;
        let route_busy = self.route_busy();
        let code = u16::from(cmp.checked_shr(u32::from(self.prog.req.col)).unwrap_or(0) & 1 != 0);
        let stray = valid && !owed && !prog_busy;
        let outs = self.outs;

        // Registers (read-only values are the pre-edge hardware state).
        let ro = (
            self.status(),
            u32::from(self.dropped),
            self.prog.status(),
            self.counts,
        );
        let ix = &self.ix;
        let bus = pins.wb.request(v);
        self.regs.clock_indexed(&bus, |i| {
            if i == ix.status {
                ro.0
            } else if i == ix.dropped {
                ro.1
            } else if i == ix.prog_status {
                ro.2
            } else {
                ix.counts
                    .iter()
                    .position(|&c| c == i)
                    .map_or(0, |d| u32::from(ro.3[d]))
            }
        });

        // Next state.
        self.lines = if route_en { arriving } else { 0 };
        self.outs = if answered { cmp } else { 0 };
        let mut pending = self.pending;
        if route_read && !answered {
            pending = pending.wrapping_add(1);
        }
        if !route_read && answered {
            pending = pending.wrapping_sub(1);
        }
        let mut silence = if owed && !valid {
            self.silence.wrapping_add(1)
        } else {
            0
        };
        if u32::from(self.silence) == READ_TIMEOUT {
            pending = u8::from(route_read);
            silence = 0;
            self.timeout = true;
        }
        self.pending = pending;
        self.silence = silence;
        if arriving != 0 && !route_en {
            self.dropped = self.dropped.wrapping_add(1);
        }
        for d in 0..DIRECTIONS.len() {
            if self.slice(outs, d) != 0 {
                self.counts[d] = self.counts[d].wrapping_add(1);
            }
        }
        self.prog
            .clock(cmd & 2 != 0, &req, !route_busy, valid && !owed, code, 0);
        self.stale = self.stale || self.prog.stale || stray;
        if cmd & 1 != 0 {
            self.timeout = false;
            self.stale = false;
            self.dropped = 0;
            self.counts = [0; 5];
        }
    }

    fn outputs(&self, v: &mut [u64]) {
        let pins = &self.pins;
        pins.wb.ack.set(v, u64::from(self.regs.ack()));
        pins.wb.dat_o.set(v, u64::from(self.regs.rdata()));
        for (d, p) in pins.outputs.iter().enumerate() {
            p.set(v, self.slice(self.outs, d));
        }
        let (cmd, lines) = self.command();
        pins.op.set(v, u64::from(cmd.op));
        pins.lines.set(v, lines);
        pins.row.set(v, u64::from(cmd.row));
        pins.col.set(v, u64::from(cmd.col));
        pins.sel.set(v, u64::from(cmd.sel));
        pins.amp.set(v, u64::from(cmd.amp));
        pins.width.set(v, u64::from(cmd.width));
        pins.vth.set(v, u64::from(self.regs.value(self.ix.vth)));
    }
}

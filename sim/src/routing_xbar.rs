//! The routing crossbar macro as a routing tile sees it, at its `xbar_*`
//! ports, and an ideal model of it.
//!
//! Contract (`docs/routing.md`, "The macro"): a command is present for one
//! cycle and sampled at the next edge. A READ pulses the rows set in
//! `xbar_lines`; `latency` edges later the macro presents every column's
//! comparator on `xbar_cmp` with `xbar_valid` high for one cycle, in READ
//! order. SET makes device (`xbar_row`, `xbar_col`) route (high
//! conductance), RESET makes it block.
//!
//! [`IdealRoutingXbar`] keeps one boolean per device: a column fires when
//! an active row routes to it (the boolean mask of the Mosaic paper).
//! `crate::analog::routing_macro::DeviceRoutingXbar` plays the same
//! contract with the `[analog]` devices, IR drop and comparators.

use crate::tile::sequencer::{OP_READ, OP_RESET, OP_SET};
use std::collections::VecDeque;

/// One cycle's command on the `xbar_*` outputs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RoutingCmd {
    pub op: u8,
    pub lines: u64,
    pub row: u8,
    pub col: u8,
    pub amp: u8,
    pub width: u8,
    pub vth: u8,
}

/// What a command asks of a `lines x lines` macro.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MacroAction {
    /// Pulse these rows and answer with the comparators.
    Read(u64),
    /// Make device (`row`, `col`) route (SET) or block (RESET).
    Program { row: usize, col: usize, route: bool },
    /// Idle, or a SET/RESET outside the array (ignored).
    Nothing,
}

impl RoutingCmd {
    /// The action of this command on a macro of `lines` lines: the one
    /// decoding every macro model shares.
    pub fn action(&self, lines: usize) -> MacroAction {
        let (row, col) = (self.row as usize, self.col as usize);
        match self.op {
            OP_READ => MacroAction::Read(self.lines),
            OP_SET | OP_RESET if row < lines && col < lines => MacroAction::Program {
                row,
                col,
                route: self.op == OP_SET,
            },
            _ => MacroAction::Nothing,
        }
    }
}

/// What a routing tile needs from a crossbar macro model.
pub trait RoutingMacro {
    /// One clock edge with the command presented in the cycle before it.
    fn clock(&mut self, cmd: &RoutingCmd);
    /// This cycle's answer (`xbar_valid` and `xbar_cmp`), if any.
    fn answer(&self) -> Option<u64>;
    /// The first failure of the macro's model (a circuit solve), if any.
    fn fault(&self) -> Option<String> {
        None
    }
}

/// Answers READs in order after a fixed number of edges.
#[derive(Clone, Debug)]
pub struct AnswerPipe {
    latency: usize,
    inflight: VecDeque<(usize, u64)>,
    answer: Option<u64>,
}

impl AnswerPipe {
    /// A pipe of `latency` (>= 1) edges.
    pub fn new(latency: usize) -> Self {
        Self {
            latency: latency.max(1),
            inflight: VecDeque::new(),
            answer: None,
        }
    }

    /// One edge: ages the answers in flight and takes `read`'s, if any.
    pub fn clock(&mut self, read: Option<u64>) {
        for e in &mut self.inflight {
            e.0 -= 1;
        }
        if let Some(cmp) = read {
            self.inflight.push_back((self.latency - 1, cmp));
        }
        self.answer = match self.inflight.front() {
            Some(&(0, cmp)) => {
                self.inflight.pop_front();
                Some(cmp)
            }
            _ => None,
        };
    }

    pub fn answer(&self) -> Option<u64> {
        self.answer
    }
}

/// The ideal routing crossbar: booleans and a fixed latency.
#[derive(Clone, Debug)]
pub struct IdealRoutingXbar {
    lines: usize,
    routes: Vec<bool>,
    pipe: AnswerPipe,
}

impl IdealRoutingXbar {
    /// `lines x lines` devices, `routes[r * lines + c]` routing.
    pub fn new(lines: usize, routes: Vec<bool>, latency: usize) -> Self {
        assert_eq!(routes.len(), lines * lines, "one route flag per device");
        Self {
            lines,
            routes,
            pipe: AnswerPipe::new(latency),
        }
    }

    /// Comparator outputs for the active rows `lines`.
    pub fn mask(&self, active: u64) -> u64 {
        (0..self.lines)
            .filter(|&c| {
                (0..self.lines).any(|r| active >> r & 1 != 0 && self.routes[r * self.lines + c])
            })
            .fold(0, |m, c| m | 1 << c)
    }
}

impl RoutingMacro for IdealRoutingXbar {
    fn clock(&mut self, cmd: &RoutingCmd) {
        let read = match cmd.action(self.lines) {
            MacroAction::Read(active) => Some(self.mask(active)),
            MacroAction::Program { row, col, route } => {
                self.routes[row * self.lines + col] = route;
                None
            }
            MacroAction::Nothing => None,
        };
        self.pipe.clock(read);
    }

    fn answer(&self) -> Option<u64> {
        self.pipe.answer()
    }
}

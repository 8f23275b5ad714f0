//! The neuron tile's port contract, derived from its config.

use crate::derived::{Derived, AER_ADDR_BITS};
use crate::ports::{Dir, PortContract, Role};
use crate::DesignConfig;

/// The tile's clock (Caravel's Wishbone clock).
pub const CLOCK: &str = "wb_clk_i";
/// The tile's active-high reset request (Caravel's name).
pub const RESET: &str = "wb_rst_i";
/// Width of each ADC code port.
pub const ADC_CODE_BITS: u32 = 12;
/// Crossbar commands on `xbar_op` (the macro contract, docs/tile.md); 0 is
/// no command.
pub const XBAR_OP_READ: u8 = 1;
pub const XBAR_OP_SET: u8 = 2;
pub const XBAR_OP_RESET: u8 = 3;
/// Cycles a READ waits for `xbar_adc_valid`, counted from the cycle the
/// READ is on `xbar_op` (an answer in cycles n+1 ..= n+READ_TIMEOUT is
/// taken); late answers in the next READ_TIMEOUT cycles are dropped.
pub const READ_TIMEOUT: u32 = 64;

/// Bit positions of the `status` register (docs/registers.md), one list for
/// the RTL, the golden model and the software-side session.
pub mod status {
    /// The input FIFO holds an event.
    pub const IN_NONEMPTY: u32 = 0;
    /// The input FIFO is full (`aer_in_ready` low).
    pub const IN_FULL: u32 = 1;
    /// The output FIFO holds a spike.
    pub const OUT_NONEMPTY: u32 = 2;
    /// The output FIFO is full.
    pub const OUT_FULL: u32 = 3;
    /// The sequencer is busy with an event, a leak or a scan.
    pub const SEQ_BUSY: u32 = 4;
    /// A programming request is running.
    pub const PROG_BUSY: u32 = 5;
    /// Some neuron has a spike pending.
    pub const PENDING: u32 = 6;
    /// Sticky: an inference READ timed out (cleared by `cmd[0]`).
    pub const TIMEOUT: u32 = 7;
    /// Sticky: a late macro answer was dropped (cleared by `cmd[0]`).
    pub const STALE: u32 = 8;
    /// The bits that mean work is left in the tile.
    pub const BUSY: u32 =
        1 << IN_NONEMPTY | 1 << OUT_NONEMPTY | 1 << SEQ_BUSY | 1 << PROG_BUSY | 1 << PENDING;
}

/// Width of the crossbar command's address and pulse fields.
pub const XBAR_FIELD_BITS: u32 = 8;

/// The name of ADC `a`'s code port.
pub fn adc_code_port(a: u32) -> String {
    format!("xbar_adc_code__{a}")
}

/// The top-level ports of the tile of `cfg`, in RTL order.
pub fn contract(cfg: &DesignConfig) -> PortContract {
    let a = AER_ADDR_BITS;
    let f = XBAR_FIELD_BITS;
    let mut c = PortContract::new()
        .port(CLOCK, Dir::In, 1, Role::Clock, "clock; inputs are sampled at its rising edge")
        .port(
            RESET,
            Dir::In,
            1,
            Role::ResetRequest,
            "active-high reset request; synchronized: the design leaves reset 2 edges after it falls; asserted at once (async style) or, sync style, at the second edge that samples it high (the synchronizer clears at the first, the design at the second)",
        )
        .wishbone_slave()
        .port("aer_in_addr", Dir::In, a, Role::AerIn, "row address of an input event")
        .port(
            "aer_in_value",
            Dir::In,
            8,
            Role::AerIn,
            "input value, clamped to `2^input_bits - 1` (1 for spikes: tie to 1; a spike event with value 0 carries no input)",
        )
        .port("aer_in_valid", Dir::In, 1, Role::AerIn, "an event is offered")
        .port(
            "aer_in_ready",
            Dir::Out,
            1,
            Role::AerIn,
            "the input FIFO is not full; the event is taken at an edge where `valid & ready`",
        )
        .port("aer_out_addr", Dir::Out, a, Role::AerOut, "column (neuron) address of an output spike")
        .port("aer_out_valid", Dir::Out, 1, Role::AerOut, "a spike is offered (output FIFO not empty)")
        .port(
            "aer_out_ready",
            Dir::In,
            1,
            Role::AerOut,
            "the receiver takes the spike at an edge where `valid & ready`",
        )
        .port(
            "xbar_op",
            Dir::Out,
            2,
            Role::Macro,
            "crossbar command, non-zero for exactly one cycle: 1 READ, 2 SET, 3 RESET",
        )
        .port("xbar_row", Dir::Out, f, Role::Macro, "row of the command")
        .port("xbar_col", Dir::Out, f, Role::Macro, "column of a SET/RESET (0 for READ)")
        .port(
            "xbar_sel",
            Dir::Out,
            f,
            Role::Macro,
            "ADC multiplexer slot of a READ: ADC `a` converts column `a*adc_share + sel`",
        )
        .port("xbar_amp", Dir::Out, f, Role::Macro, "pulse amplitude code of a SET/RESET")
        .port("xbar_width", Dir::Out, f, Role::Macro, "pulse width code of a SET/RESET")
        .port(
            "xbar_adc_valid",
            Dir::In,
            1,
            Role::Macro,
            "the ADC codes of the last READ are valid this cycle (one cycle)",
        );
    for i in 0..Derived::of(cfg).adc_count {
        c = c.port(
            &adc_code_port(i),
            Dir::In,
            ADC_CODE_BITS,
            Role::Macro,
            &format!("code of ADC {i}; codes above `2^adc_bits - 1` are clamped"),
        );
    }
    c
}

//! The array's Wishbone address decoder, written as Verilog text from the
//! layout (`memforge_spec::blocks::array`): slot `s` (tile, router, or
//! the decoder's own info slot) answers at `base_address + s * stride`.
//!
//! - A request inside a sub-block's slot strobes that block alone, with
//!   the address `SUB_BASE | offset` (every block is generated at
//!   `SUB_BASE`); the block acknowledges one cycle later as it does on its
//!   own bus, and its read data is picked by the slot registered at the
//!   request.
//! - Every other address (the info slot, the slots past it, anything
//!   outside the array's span) is answered by the decoder one cycle later:
//!   the info slot's words on a read, zero elsewhere; writes are ignored.
//!   So the bus never hangs, whatever the address.

use memforge_spec::blocks::array::{ArrayConfig, INFO_ID, SUB_BASE};
use memforge_spec::derived::index_bits;
use memforge_spec::ResetStyle;
use std::fmt::Write;

/// The decoder's module name for the array `design`.
pub fn module_name(design: &str) -> String {
    format!("{design}_wb")
}

/// Sub-blocks on the bus (tiles, then routers).
pub fn slaves(cfg: &ArrayConfig) -> u32 {
    cfg.blocks()
}

/// The decoder module's text.
pub fn module(cfg: &ArrayConfig) -> String {
    let name = module_name(&cfg.design.name);
    let n = slaves(cfg);
    let k = index_bits(cfg.slots());
    let sb = cfg.stride().trailing_zeros();
    let span = cfg.span();
    let mask = !(span - 1) as u32;
    let info = cfg.info_bridge_words();
    let pad_slaves = (1u32 << k) - n;
    let iw = sb + k - 2;
    // Bits of an info word's index (its words padded to a power of two).
    let l = index_bits(cfg.info_words());
    let info_port = if info > 0 { ",info" } else { "" };
    let mut v = String::new();
    let _ = writeln!(
        v,
        "module {name}(clock,rst_n,wbs_stb_i,wbs_cyc_i,wbs_adr_i,wbs_ack_o,wbs_dat_o,s_stb,s_adr,s_ack,s_dat{info_port});\n"
    );
    v.push_str("    input wire clock;\n    input wire rst_n;\n    input wire wbs_stb_i;\n    input wire wbs_cyc_i;\n    input wire [31:0] wbs_adr_i;\n    output wire wbs_ack_o;\n    output wire [31:0] wbs_dat_o;\n");
    let _ = writeln!(v, "    output wire [{}:0] s_stb;", n - 1);
    v.push_str("    output wire [31:0] s_adr;\n");
    let _ = writeln!(v, "    input wire [{}:0] s_ack;", n - 1);
    let _ = writeln!(v, "    input wire [{}:0] s_dat;", n * 32 - 1);
    if info > 0 {
        let _ = writeln!(v, "    input wire [{}:0] info;", info * 32 - 1);
    }
    let _ = write!(
        v,
        r#"
    // {slots} slots of {stride:#x} bytes from {base:#010x} (span {span:#x}):
    // slots 0..{last} are the tiles and routers, slots {n}.. this decoder's.
    reg own_ack;
    reg [31:0] own_dat;
    reg [{km1}:0] sel_q;
    wire in_span = (wbs_adr_i & 32'h{mask:08x}) == 32'h{base:08x};
    wire [{km1}:0] slot = wbs_adr_i[{slot_hi}:{sb}];
    wire mapped = in_span && (slot < {k}'d{n});
    wire is_info = in_span && (slot >= {k}'d{n});
    wire own = wbs_stb_i & wbs_cyc_i & ~mapped & ~own_ack;

    assign s_stb = {{{{{nm1}{{1'b0}}}}, wbs_stb_i & mapped}} << slot;
    assign s_adr = {{{sub_hi}'h{sub:x}, wbs_adr_i[{sbm1}:0]}};

    // Read data of every slave, padded to a power of two, picked by the
    // slot of the request being acknowledged (the master holds it).
    wire [{dat_hi}:0] dat_all = {{{pad_bits}'d0, s_dat}};
    wire [31:0] picked = dat_all[{{sel_q, 5'd0}} +: 32];
    // The info region (slots {n}..): id, geometry, stride, then per-tile
    // words; its word index counts from the region's first byte.
    wire [{iwm1}:0] iword = wbs_adr_i[{slot_hi}:2] - {iw}'d{info_base};
    wire [{info_hi}:0] info_all = {{{info_cat}}};
    wire [31:0] info_word = (iword < {iw}'d{words}) ? info_all[{{iword[{lm1}:0], 5'd0}} +: 32] : 32'h0;

    assign wbs_ack_o = own_ack | (|s_ack);
    assign wbs_dat_o = own_ack ? own_dat : ((|s_ack) ? picked : 32'h0);
"#,
        slots = cfg.slots(),
        stride = cfg.stride(),
        base = cfg.array.base_address,
        last = n - 1,
        km1 = k - 1,
        slot_hi = sb + k - 1,
        sbm1 = sb - 1,
        nm1 = n - 1,
        sub_hi = 32 - sb,
        sub = SUB_BASE >> sb,
        dat_hi = (1u32 << k) * 32 - 1,
        pad_bits = pad_slaves * 32,
        iwm1 = iw - 1,
        info_base = n * cfg.stride() / 4,
        info_hi = (1u32 << l) * 32 - 1,
        info_cat = info_cat(cfg, l),
        words = cfg.info_words(),
        lm1 = l - 1,
    );
    let (edge, reset) = match cfg.design.reset {
        ResetStyle::Async => ("posedge clock or negedge rst_n", "!rst_n"),
        ResetStyle::Sync => ("posedge clock", "!rst_n"),
    };
    let _ = write!(
        v,
        r#"
    always @({edge}) begin
        if ({reset}) begin
            own_ack <= 1'b0;
            own_dat <= 32'h0;
            sel_q <= {k}'d0;
        end else begin
            own_ack <= own;
            own_dat <= (own && is_info) ? info_word : 32'h0;
            sel_q <= slot;
        end
    end

endmodule // {name}
"#
    );
    v
}

/// The info region's words as one vector, word 0 lowest: the id, the
/// geometry, the stride, then the per-tile words (`info` port), padded
/// with zeros to `2^l` words.
fn info_cat(cfg: &ArrayConfig, l: u32) -> String {
    let pad = (1u32 << l) - cfg.info_words();
    let mut parts = Vec::new();
    if pad > 0 {
        parts.push(format!("{}'d0", pad * 32));
    }
    if cfg.info_bridge_words() > 0 {
        parts.push("info".to_string());
    }
    parts.push(format!("32'h{:08x}", cfg.stride()));
    parts.push(format!("32'h{:08x}", cfg.geometry_word()));
    parts.push(format!("32'h{INFO_ID:08x}"));
    parts.join(", ")
}

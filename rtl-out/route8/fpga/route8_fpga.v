// iCE40 wrapper of route8, written by memforge for `memforge fpga`.
// The tile has more I/O bits than the iCE40-HX8K (ct256) has pins, and
// its crossbar-macro interface (xbar_*) would have no pins on an FPGA anyway:
// the macro's 41 input bits are loaded through a shift register from
// xbar_scan_in, and its 90 output bits are XOR-reduced into a flip-flop
// driving xbar_scan_out, so no tile logic is optimised away. The wrapper adds
// 42 flip-flops and an XOR tree to the FPGA figures.
// memforge-wrapper-flops: 42
module route8_fpga (
    input wire clock,
    input wire rst_n,
    input wire wbs_stb_i,
    input wire wbs_cyc_i,
    input wire wbs_we_i,
    input wire [3:0] wbs_sel_i,
    input wire [31:0] wbs_dat_i,
    input wire [31:0] wbs_adr_i,
    output wire wbs_ack_o,
    output wire [31:0] wbs_dat_o,
    input wire [7:0] in_n,
    input wire [7:0] in_e,
    input wire [7:0] in_s,
    input wire [7:0] in_w,
    input wire [7:0] in_l,
    output wire [7:0] out_n,
    output wire [7:0] out_e,
    output wire [7:0] out_s,
    output wire [7:0] out_w,
    output wire [7:0] out_l,
    input wire xbar_scan_in,
    output wire xbar_scan_out
);
    wire [39:0] xbar_cmp;
    wire xbar_valid;
    wire [1:0] xbar_op;
    wire [39:0] xbar_lines;
    wire [7:0] xbar_row;
    wire [7:0] xbar_col;
    wire [7:0] xbar_sel;
    wire [7:0] xbar_amp;
    wire [7:0] xbar_width;
    wire [7:0] xbar_vth;
    reg [40:0] xbar_chain;
    always @(posedge clock) xbar_chain <= {xbar_chain[39:0], xbar_scan_in};
    assign xbar_cmp = xbar_chain[39:0];
    assign xbar_valid = xbar_chain[40:40];
    reg xbar_scan_q;
    always @(posedge clock) xbar_scan_q <= ^{xbar_op, xbar_lines, xbar_row, xbar_col, xbar_sel, xbar_amp, xbar_width, xbar_vth};
    assign xbar_scan_out = xbar_scan_q;
    route8 u_tile (
        .clock(clock),
        .rst_n(rst_n),
        .wbs_stb_i(wbs_stb_i),
        .wbs_cyc_i(wbs_cyc_i),
        .wbs_we_i(wbs_we_i),
        .wbs_sel_i(wbs_sel_i),
        .wbs_dat_i(wbs_dat_i),
        .wbs_adr_i(wbs_adr_i),
        .wbs_ack_o(wbs_ack_o),
        .wbs_dat_o(wbs_dat_o),
        .in_n(in_n),
        .in_e(in_e),
        .in_s(in_s),
        .in_w(in_w),
        .in_l(in_l),
        .out_n(out_n),
        .out_e(out_e),
        .out_s(out_s),
        .out_w(out_w),
        .out_l(out_l),
        .xbar_op(xbar_op),
        .xbar_lines(xbar_lines),
        .xbar_row(xbar_row),
        .xbar_col(xbar_col),
        .xbar_sel(xbar_sel),
        .xbar_amp(xbar_amp),
        .xbar_width(xbar_width),
        .xbar_vth(xbar_vth),
        .xbar_cmp(xbar_cmp),
        .xbar_valid(xbar_valid)
    );
endmodule

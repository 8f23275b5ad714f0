// iCE40 wrapper of pcmtrace32x32, written by memforge for `memforge fpga`.
// The tile has more I/O bits than the iCE40-HX8K (ct256) has pins, and
// its crossbar-macro interface (xbar_*) would have no pins on an FPGA anyway:
// the macro's 385 input bits are loaded through a shift register from
// xbar_scan_in, and its 42 output bits are XOR-reduced into a flip-flop
// driving xbar_scan_out, so no tile logic is optimised away. The wrapper adds
// 386 flip-flops and an XOR tree to the FPGA figures.
// memforge-wrapper-flops: 386
module pcmtrace32x32_fpga (
    input wire wb_clk_i,
    input wire wb_rst_i,
    input wire wbs_stb_i,
    input wire wbs_cyc_i,
    input wire wbs_we_i,
    input wire [3:0] wbs_sel_i,
    input wire [31:0] wbs_dat_i,
    input wire [31:0] wbs_adr_i,
    output wire wbs_ack_o,
    output wire [31:0] wbs_dat_o,
    input wire [7:0] aer_in_addr,
    input wire [7:0] aer_in_value,
    input wire aer_in_valid,
    output wire aer_in_ready,
    output wire [7:0] aer_out_addr,
    output wire aer_out_valid,
    input wire aer_out_ready,
    input wire xbar_scan_in,
    output wire xbar_scan_out
);
    wire xbar_adc_valid;
    wire [11:0] xbar_adc_code__0;
    wire [11:0] xbar_adc_code__1;
    wire [11:0] xbar_adc_code__2;
    wire [11:0] xbar_adc_code__3;
    wire [11:0] xbar_adc_code__4;
    wire [11:0] xbar_adc_code__5;
    wire [11:0] xbar_adc_code__6;
    wire [11:0] xbar_adc_code__7;
    wire [11:0] xbar_adc_code__8;
    wire [11:0] xbar_adc_code__9;
    wire [11:0] xbar_adc_code__10;
    wire [11:0] xbar_adc_code__11;
    wire [11:0] xbar_adc_code__12;
    wire [11:0] xbar_adc_code__13;
    wire [11:0] xbar_adc_code__14;
    wire [11:0] xbar_adc_code__15;
    wire [11:0] xbar_adc_code__16;
    wire [11:0] xbar_adc_code__17;
    wire [11:0] xbar_adc_code__18;
    wire [11:0] xbar_adc_code__19;
    wire [11:0] xbar_adc_code__20;
    wire [11:0] xbar_adc_code__21;
    wire [11:0] xbar_adc_code__22;
    wire [11:0] xbar_adc_code__23;
    wire [11:0] xbar_adc_code__24;
    wire [11:0] xbar_adc_code__25;
    wire [11:0] xbar_adc_code__26;
    wire [11:0] xbar_adc_code__27;
    wire [11:0] xbar_adc_code__28;
    wire [11:0] xbar_adc_code__29;
    wire [11:0] xbar_adc_code__30;
    wire [11:0] xbar_adc_code__31;
    wire [1:0] xbar_op;
    wire [7:0] xbar_row;
    wire [7:0] xbar_col;
    wire [7:0] xbar_sel;
    wire [7:0] xbar_amp;
    wire [7:0] xbar_width;
    reg [384:0] xbar_chain;
    always @(posedge wb_clk_i) xbar_chain <= {xbar_chain[383:0], xbar_scan_in};
    assign xbar_adc_valid = xbar_chain[0:0];
    assign xbar_adc_code__0 = xbar_chain[12:1];
    assign xbar_adc_code__1 = xbar_chain[24:13];
    assign xbar_adc_code__2 = xbar_chain[36:25];
    assign xbar_adc_code__3 = xbar_chain[48:37];
    assign xbar_adc_code__4 = xbar_chain[60:49];
    assign xbar_adc_code__5 = xbar_chain[72:61];
    assign xbar_adc_code__6 = xbar_chain[84:73];
    assign xbar_adc_code__7 = xbar_chain[96:85];
    assign xbar_adc_code__8 = xbar_chain[108:97];
    assign xbar_adc_code__9 = xbar_chain[120:109];
    assign xbar_adc_code__10 = xbar_chain[132:121];
    assign xbar_adc_code__11 = xbar_chain[144:133];
    assign xbar_adc_code__12 = xbar_chain[156:145];
    assign xbar_adc_code__13 = xbar_chain[168:157];
    assign xbar_adc_code__14 = xbar_chain[180:169];
    assign xbar_adc_code__15 = xbar_chain[192:181];
    assign xbar_adc_code__16 = xbar_chain[204:193];
    assign xbar_adc_code__17 = xbar_chain[216:205];
    assign xbar_adc_code__18 = xbar_chain[228:217];
    assign xbar_adc_code__19 = xbar_chain[240:229];
    assign xbar_adc_code__20 = xbar_chain[252:241];
    assign xbar_adc_code__21 = xbar_chain[264:253];
    assign xbar_adc_code__22 = xbar_chain[276:265];
    assign xbar_adc_code__23 = xbar_chain[288:277];
    assign xbar_adc_code__24 = xbar_chain[300:289];
    assign xbar_adc_code__25 = xbar_chain[312:301];
    assign xbar_adc_code__26 = xbar_chain[324:313];
    assign xbar_adc_code__27 = xbar_chain[336:325];
    assign xbar_adc_code__28 = xbar_chain[348:337];
    assign xbar_adc_code__29 = xbar_chain[360:349];
    assign xbar_adc_code__30 = xbar_chain[372:361];
    assign xbar_adc_code__31 = xbar_chain[384:373];
    reg xbar_scan_q;
    always @(posedge wb_clk_i) xbar_scan_q <= ^{xbar_op, xbar_row, xbar_col, xbar_sel, xbar_amp, xbar_width};
    assign xbar_scan_out = xbar_scan_q;
    pcmtrace32x32 u_tile (
        .wb_clk_i(wb_clk_i),
        .wb_rst_i(wb_rst_i),
        .wbs_stb_i(wbs_stb_i),
        .wbs_cyc_i(wbs_cyc_i),
        .wbs_we_i(wbs_we_i),
        .wbs_sel_i(wbs_sel_i),
        .wbs_dat_i(wbs_dat_i),
        .wbs_adr_i(wbs_adr_i),
        .wbs_ack_o(wbs_ack_o),
        .wbs_dat_o(wbs_dat_o),
        .aer_in_addr(aer_in_addr),
        .aer_in_value(aer_in_value),
        .aer_in_valid(aer_in_valid),
        .aer_in_ready(aer_in_ready),
        .aer_out_addr(aer_out_addr),
        .aer_out_valid(aer_out_valid),
        .aer_out_ready(aer_out_ready),
        .xbar_op(xbar_op),
        .xbar_row(xbar_row),
        .xbar_col(xbar_col),
        .xbar_sel(xbar_sel),
        .xbar_amp(xbar_amp),
        .xbar_width(xbar_width),
        .xbar_adc_valid(xbar_adc_valid),
        .xbar_adc_code__0(xbar_adc_code__0),
        .xbar_adc_code__1(xbar_adc_code__1),
        .xbar_adc_code__2(xbar_adc_code__2),
        .xbar_adc_code__3(xbar_adc_code__3),
        .xbar_adc_code__4(xbar_adc_code__4),
        .xbar_adc_code__5(xbar_adc_code__5),
        .xbar_adc_code__6(xbar_adc_code__6),
        .xbar_adc_code__7(xbar_adc_code__7),
        .xbar_adc_code__8(xbar_adc_code__8),
        .xbar_adc_code__9(xbar_adc_code__9),
        .xbar_adc_code__10(xbar_adc_code__10),
        .xbar_adc_code__11(xbar_adc_code__11),
        .xbar_adc_code__12(xbar_adc_code__12),
        .xbar_adc_code__13(xbar_adc_code__13),
        .xbar_adc_code__14(xbar_adc_code__14),
        .xbar_adc_code__15(xbar_adc_code__15),
        .xbar_adc_code__16(xbar_adc_code__16),
        .xbar_adc_code__17(xbar_adc_code__17),
        .xbar_adc_code__18(xbar_adc_code__18),
        .xbar_adc_code__19(xbar_adc_code__19),
        .xbar_adc_code__20(xbar_adc_code__20),
        .xbar_adc_code__21(xbar_adc_code__21),
        .xbar_adc_code__22(xbar_adc_code__22),
        .xbar_adc_code__23(xbar_adc_code__23),
        .xbar_adc_code__24(xbar_adc_code__24),
        .xbar_adc_code__25(xbar_adc_code__25),
        .xbar_adc_code__26(xbar_adc_code__26),
        .xbar_adc_code__27(xbar_adc_code__27),
        .xbar_adc_code__28(xbar_adc_code__28),
        .xbar_adc_code__29(xbar_adc_code__29),
        .xbar_adc_code__30(xbar_adc_code__30),
        .xbar_adc_code__31(xbar_adc_code__31)
    );
endmodule

// iCE40 wrapper of pcmreward16x4_pcm, written by memforge for `memforge fpga`.
// The tile has more I/O bits than the iCE40-HX8K (ct256) has pins, and
// its crossbar-macro interface (xbar_*) would have no pins on an FPGA anyway:
// the macro's 49 input bits are loaded through a shift register from
// xbar_scan_in, and its 42 output bits are XOR-reduced into a flip-flop
// driving xbar_scan_out, so no tile logic is optimised away. The wrapper adds
// 50 flip-flops and an XOR tree to the FPGA figures.
// memforge-wrapper-flops: 50
module pcmreward16x4_pcm_fpga (
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
    wire [1:0] xbar_op;
    wire [7:0] xbar_row;
    wire [7:0] xbar_col;
    wire [7:0] xbar_sel;
    wire [7:0] xbar_amp;
    wire [7:0] xbar_width;
    reg [48:0] xbar_chain;
    always @(posedge wb_clk_i) xbar_chain <= {xbar_chain[47:0], xbar_scan_in};
    assign xbar_adc_valid = xbar_chain[0:0];
    assign xbar_adc_code__0 = xbar_chain[12:1];
    assign xbar_adc_code__1 = xbar_chain[24:13];
    assign xbar_adc_code__2 = xbar_chain[36:25];
    assign xbar_adc_code__3 = xbar_chain[48:37];
    reg xbar_scan_q;
    always @(posedge wb_clk_i) xbar_scan_q <= ^{xbar_op, xbar_row, xbar_col, xbar_sel, xbar_amp, xbar_width};
    assign xbar_scan_out = xbar_scan_q;
    pcmreward16x4_pcm u_tile (
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
        .xbar_adc_code__3(xbar_adc_code__3)
    );
endmodule

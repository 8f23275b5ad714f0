// iCE40 wrapper of array_mosaic2x2, written by memforge for `memforge fpga`.
// The tile has more I/O bits than the iCE40-HX8K (ct256) has pins, and
// its crossbar-macro interface (xbar_*) would have no pins on an FPGA anyway:
// the macro's 619 input bits are loaded through a shift register from
// xbar_scan_in, and its 1428 output bits are XOR-reduced into a flip-flop
// driving xbar_scan_out, so no tile logic is optimised away. The wrapper adds
// 620 flip-flops and an XOR tree to the FPGA figures.
// memforge-wrapper-flops: 620
module array_mosaic2x2_fpga (
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
    input wire [9:0] north_in,
    output wire [9:0] north_out,
    input wire [9:0] south_in,
    output wire [9:0] south_out,
    input wire [9:0] west_in,
    output wire [9:0] west_out,
    input wire [9:0] east_in,
    output wire [9:0] east_out,
    input wire xbar_scan_in,
    output wire xbar_scan_out
);
    wire nt_0_0_xbar_adc_valid;
    wire [11:0] nt_0_0_xbar_adc_code__0;
    wire [11:0] nt_0_0_xbar_adc_code__1;
    wire [11:0] nt_0_0_xbar_adc_code__2;
    wire [11:0] nt_0_0_xbar_adc_code__3;
    wire [11:0] nt_0_0_xbar_adc_code__4;
    wire [11:0] nt_0_0_xbar_adc_code__5;
    wire [11:0] nt_0_0_xbar_adc_code__6;
    wire [11:0] nt_0_0_xbar_adc_code__7;
    wire nt_0_1_xbar_adc_valid;
    wire [11:0] nt_0_1_xbar_adc_code__0;
    wire [11:0] nt_0_1_xbar_adc_code__1;
    wire [11:0] nt_0_1_xbar_adc_code__2;
    wire [11:0] nt_0_1_xbar_adc_code__3;
    wire [11:0] nt_0_1_xbar_adc_code__4;
    wire [11:0] nt_0_1_xbar_adc_code__5;
    wire [11:0] nt_0_1_xbar_adc_code__6;
    wire [11:0] nt_0_1_xbar_adc_code__7;
    wire nt_1_0_xbar_adc_valid;
    wire [11:0] nt_1_0_xbar_adc_code__0;
    wire [11:0] nt_1_0_xbar_adc_code__1;
    wire [11:0] nt_1_0_xbar_adc_code__2;
    wire [11:0] nt_1_0_xbar_adc_code__3;
    wire [11:0] nt_1_0_xbar_adc_code__4;
    wire [11:0] nt_1_0_xbar_adc_code__5;
    wire [11:0] nt_1_0_xbar_adc_code__6;
    wire [11:0] nt_1_0_xbar_adc_code__7;
    wire nt_1_1_xbar_adc_valid;
    wire [11:0] nt_1_1_xbar_adc_code__0;
    wire [11:0] nt_1_1_xbar_adc_code__1;
    wire [11:0] nt_1_1_xbar_adc_code__2;
    wire [11:0] nt_1_1_xbar_adc_code__3;
    wire [11:0] nt_1_1_xbar_adc_code__4;
    wire [11:0] nt_1_1_xbar_adc_code__5;
    wire [11:0] nt_1_1_xbar_adc_code__6;
    wire [11:0] nt_1_1_xbar_adc_code__7;
    wire [9:0] rt_0_0_xbar_cmp;
    wire rt_0_0_xbar_valid;
    wire [9:0] rt_0_1_xbar_cmp;
    wire rt_0_1_xbar_valid;
    wire [9:0] rt_0_2_xbar_cmp;
    wire rt_0_2_xbar_valid;
    wire [9:0] rt_0_3_xbar_cmp;
    wire rt_0_3_xbar_valid;
    wire [9:0] rt_0_4_xbar_cmp;
    wire rt_0_4_xbar_valid;
    wire [9:0] rt_1_0_xbar_cmp;
    wire rt_1_0_xbar_valid;
    wire [9:0] rt_1_2_xbar_cmp;
    wire rt_1_2_xbar_valid;
    wire [9:0] rt_1_4_xbar_cmp;
    wire rt_1_4_xbar_valid;
    wire [9:0] rt_2_0_xbar_cmp;
    wire rt_2_0_xbar_valid;
    wire [9:0] rt_2_1_xbar_cmp;
    wire rt_2_1_xbar_valid;
    wire [9:0] rt_2_2_xbar_cmp;
    wire rt_2_2_xbar_valid;
    wire [9:0] rt_2_3_xbar_cmp;
    wire rt_2_3_xbar_valid;
    wire [9:0] rt_2_4_xbar_cmp;
    wire rt_2_4_xbar_valid;
    wire [9:0] rt_3_0_xbar_cmp;
    wire rt_3_0_xbar_valid;
    wire [9:0] rt_3_2_xbar_cmp;
    wire rt_3_2_xbar_valid;
    wire [9:0] rt_3_4_xbar_cmp;
    wire rt_3_4_xbar_valid;
    wire [9:0] rt_4_0_xbar_cmp;
    wire rt_4_0_xbar_valid;
    wire [9:0] rt_4_1_xbar_cmp;
    wire rt_4_1_xbar_valid;
    wire [9:0] rt_4_2_xbar_cmp;
    wire rt_4_2_xbar_valid;
    wire [9:0] rt_4_3_xbar_cmp;
    wire rt_4_3_xbar_valid;
    wire [9:0] rt_4_4_xbar_cmp;
    wire rt_4_4_xbar_valid;
    wire [1:0] nt_0_0_xbar_op;
    wire [7:0] nt_0_0_xbar_row;
    wire [7:0] nt_0_0_xbar_col;
    wire [7:0] nt_0_0_xbar_sel;
    wire [7:0] nt_0_0_xbar_amp;
    wire [7:0] nt_0_0_xbar_width;
    wire [1:0] nt_0_1_xbar_op;
    wire [7:0] nt_0_1_xbar_row;
    wire [7:0] nt_0_1_xbar_col;
    wire [7:0] nt_0_1_xbar_sel;
    wire [7:0] nt_0_1_xbar_amp;
    wire [7:0] nt_0_1_xbar_width;
    wire [1:0] nt_1_0_xbar_op;
    wire [7:0] nt_1_0_xbar_row;
    wire [7:0] nt_1_0_xbar_col;
    wire [7:0] nt_1_0_xbar_sel;
    wire [7:0] nt_1_0_xbar_amp;
    wire [7:0] nt_1_0_xbar_width;
    wire [1:0] nt_1_1_xbar_op;
    wire [7:0] nt_1_1_xbar_row;
    wire [7:0] nt_1_1_xbar_col;
    wire [7:0] nt_1_1_xbar_sel;
    wire [7:0] nt_1_1_xbar_amp;
    wire [7:0] nt_1_1_xbar_width;
    wire [1:0] rt_0_0_xbar_op;
    wire [9:0] rt_0_0_xbar_lines;
    wire [7:0] rt_0_0_xbar_row;
    wire [7:0] rt_0_0_xbar_col;
    wire [7:0] rt_0_0_xbar_sel;
    wire [7:0] rt_0_0_xbar_amp;
    wire [7:0] rt_0_0_xbar_width;
    wire [7:0] rt_0_0_xbar_vth;
    wire [1:0] rt_0_1_xbar_op;
    wire [9:0] rt_0_1_xbar_lines;
    wire [7:0] rt_0_1_xbar_row;
    wire [7:0] rt_0_1_xbar_col;
    wire [7:0] rt_0_1_xbar_sel;
    wire [7:0] rt_0_1_xbar_amp;
    wire [7:0] rt_0_1_xbar_width;
    wire [7:0] rt_0_1_xbar_vth;
    wire [1:0] rt_0_2_xbar_op;
    wire [9:0] rt_0_2_xbar_lines;
    wire [7:0] rt_0_2_xbar_row;
    wire [7:0] rt_0_2_xbar_col;
    wire [7:0] rt_0_2_xbar_sel;
    wire [7:0] rt_0_2_xbar_amp;
    wire [7:0] rt_0_2_xbar_width;
    wire [7:0] rt_0_2_xbar_vth;
    wire [1:0] rt_0_3_xbar_op;
    wire [9:0] rt_0_3_xbar_lines;
    wire [7:0] rt_0_3_xbar_row;
    wire [7:0] rt_0_3_xbar_col;
    wire [7:0] rt_0_3_xbar_sel;
    wire [7:0] rt_0_3_xbar_amp;
    wire [7:0] rt_0_3_xbar_width;
    wire [7:0] rt_0_3_xbar_vth;
    wire [1:0] rt_0_4_xbar_op;
    wire [9:0] rt_0_4_xbar_lines;
    wire [7:0] rt_0_4_xbar_row;
    wire [7:0] rt_0_4_xbar_col;
    wire [7:0] rt_0_4_xbar_sel;
    wire [7:0] rt_0_4_xbar_amp;
    wire [7:0] rt_0_4_xbar_width;
    wire [7:0] rt_0_4_xbar_vth;
    wire [1:0] rt_1_0_xbar_op;
    wire [9:0] rt_1_0_xbar_lines;
    wire [7:0] rt_1_0_xbar_row;
    wire [7:0] rt_1_0_xbar_col;
    wire [7:0] rt_1_0_xbar_sel;
    wire [7:0] rt_1_0_xbar_amp;
    wire [7:0] rt_1_0_xbar_width;
    wire [7:0] rt_1_0_xbar_vth;
    wire [1:0] rt_1_2_xbar_op;
    wire [9:0] rt_1_2_xbar_lines;
    wire [7:0] rt_1_2_xbar_row;
    wire [7:0] rt_1_2_xbar_col;
    wire [7:0] rt_1_2_xbar_sel;
    wire [7:0] rt_1_2_xbar_amp;
    wire [7:0] rt_1_2_xbar_width;
    wire [7:0] rt_1_2_xbar_vth;
    wire [1:0] rt_1_4_xbar_op;
    wire [9:0] rt_1_4_xbar_lines;
    wire [7:0] rt_1_4_xbar_row;
    wire [7:0] rt_1_4_xbar_col;
    wire [7:0] rt_1_4_xbar_sel;
    wire [7:0] rt_1_4_xbar_amp;
    wire [7:0] rt_1_4_xbar_width;
    wire [7:0] rt_1_4_xbar_vth;
    wire [1:0] rt_2_0_xbar_op;
    wire [9:0] rt_2_0_xbar_lines;
    wire [7:0] rt_2_0_xbar_row;
    wire [7:0] rt_2_0_xbar_col;
    wire [7:0] rt_2_0_xbar_sel;
    wire [7:0] rt_2_0_xbar_amp;
    wire [7:0] rt_2_0_xbar_width;
    wire [7:0] rt_2_0_xbar_vth;
    wire [1:0] rt_2_1_xbar_op;
    wire [9:0] rt_2_1_xbar_lines;
    wire [7:0] rt_2_1_xbar_row;
    wire [7:0] rt_2_1_xbar_col;
    wire [7:0] rt_2_1_xbar_sel;
    wire [7:0] rt_2_1_xbar_amp;
    wire [7:0] rt_2_1_xbar_width;
    wire [7:0] rt_2_1_xbar_vth;
    wire [1:0] rt_2_2_xbar_op;
    wire [9:0] rt_2_2_xbar_lines;
    wire [7:0] rt_2_2_xbar_row;
    wire [7:0] rt_2_2_xbar_col;
    wire [7:0] rt_2_2_xbar_sel;
    wire [7:0] rt_2_2_xbar_amp;
    wire [7:0] rt_2_2_xbar_width;
    wire [7:0] rt_2_2_xbar_vth;
    wire [1:0] rt_2_3_xbar_op;
    wire [9:0] rt_2_3_xbar_lines;
    wire [7:0] rt_2_3_xbar_row;
    wire [7:0] rt_2_3_xbar_col;
    wire [7:0] rt_2_3_xbar_sel;
    wire [7:0] rt_2_3_xbar_amp;
    wire [7:0] rt_2_3_xbar_width;
    wire [7:0] rt_2_3_xbar_vth;
    wire [1:0] rt_2_4_xbar_op;
    wire [9:0] rt_2_4_xbar_lines;
    wire [7:0] rt_2_4_xbar_row;
    wire [7:0] rt_2_4_xbar_col;
    wire [7:0] rt_2_4_xbar_sel;
    wire [7:0] rt_2_4_xbar_amp;
    wire [7:0] rt_2_4_xbar_width;
    wire [7:0] rt_2_4_xbar_vth;
    wire [1:0] rt_3_0_xbar_op;
    wire [9:0] rt_3_0_xbar_lines;
    wire [7:0] rt_3_0_xbar_row;
    wire [7:0] rt_3_0_xbar_col;
    wire [7:0] rt_3_0_xbar_sel;
    wire [7:0] rt_3_0_xbar_amp;
    wire [7:0] rt_3_0_xbar_width;
    wire [7:0] rt_3_0_xbar_vth;
    wire [1:0] rt_3_2_xbar_op;
    wire [9:0] rt_3_2_xbar_lines;
    wire [7:0] rt_3_2_xbar_row;
    wire [7:0] rt_3_2_xbar_col;
    wire [7:0] rt_3_2_xbar_sel;
    wire [7:0] rt_3_2_xbar_amp;
    wire [7:0] rt_3_2_xbar_width;
    wire [7:0] rt_3_2_xbar_vth;
    wire [1:0] rt_3_4_xbar_op;
    wire [9:0] rt_3_4_xbar_lines;
    wire [7:0] rt_3_4_xbar_row;
    wire [7:0] rt_3_4_xbar_col;
    wire [7:0] rt_3_4_xbar_sel;
    wire [7:0] rt_3_4_xbar_amp;
    wire [7:0] rt_3_4_xbar_width;
    wire [7:0] rt_3_4_xbar_vth;
    wire [1:0] rt_4_0_xbar_op;
    wire [9:0] rt_4_0_xbar_lines;
    wire [7:0] rt_4_0_xbar_row;
    wire [7:0] rt_4_0_xbar_col;
    wire [7:0] rt_4_0_xbar_sel;
    wire [7:0] rt_4_0_xbar_amp;
    wire [7:0] rt_4_0_xbar_width;
    wire [7:0] rt_4_0_xbar_vth;
    wire [1:0] rt_4_1_xbar_op;
    wire [9:0] rt_4_1_xbar_lines;
    wire [7:0] rt_4_1_xbar_row;
    wire [7:0] rt_4_1_xbar_col;
    wire [7:0] rt_4_1_xbar_sel;
    wire [7:0] rt_4_1_xbar_amp;
    wire [7:0] rt_4_1_xbar_width;
    wire [7:0] rt_4_1_xbar_vth;
    wire [1:0] rt_4_2_xbar_op;
    wire [9:0] rt_4_2_xbar_lines;
    wire [7:0] rt_4_2_xbar_row;
    wire [7:0] rt_4_2_xbar_col;
    wire [7:0] rt_4_2_xbar_sel;
    wire [7:0] rt_4_2_xbar_amp;
    wire [7:0] rt_4_2_xbar_width;
    wire [7:0] rt_4_2_xbar_vth;
    wire [1:0] rt_4_3_xbar_op;
    wire [9:0] rt_4_3_xbar_lines;
    wire [7:0] rt_4_3_xbar_row;
    wire [7:0] rt_4_3_xbar_col;
    wire [7:0] rt_4_3_xbar_sel;
    wire [7:0] rt_4_3_xbar_amp;
    wire [7:0] rt_4_3_xbar_width;
    wire [7:0] rt_4_3_xbar_vth;
    wire [1:0] rt_4_4_xbar_op;
    wire [9:0] rt_4_4_xbar_lines;
    wire [7:0] rt_4_4_xbar_row;
    wire [7:0] rt_4_4_xbar_col;
    wire [7:0] rt_4_4_xbar_sel;
    wire [7:0] rt_4_4_xbar_amp;
    wire [7:0] rt_4_4_xbar_width;
    wire [7:0] rt_4_4_xbar_vth;
    reg [618:0] xbar_chain;
    always @(posedge wb_clk_i) xbar_chain <= {xbar_chain[617:0], xbar_scan_in};
    assign nt_0_0_xbar_adc_valid = xbar_chain[0:0];
    assign nt_0_0_xbar_adc_code__0 = xbar_chain[12:1];
    assign nt_0_0_xbar_adc_code__1 = xbar_chain[24:13];
    assign nt_0_0_xbar_adc_code__2 = xbar_chain[36:25];
    assign nt_0_0_xbar_adc_code__3 = xbar_chain[48:37];
    assign nt_0_0_xbar_adc_code__4 = xbar_chain[60:49];
    assign nt_0_0_xbar_adc_code__5 = xbar_chain[72:61];
    assign nt_0_0_xbar_adc_code__6 = xbar_chain[84:73];
    assign nt_0_0_xbar_adc_code__7 = xbar_chain[96:85];
    assign nt_0_1_xbar_adc_valid = xbar_chain[97:97];
    assign nt_0_1_xbar_adc_code__0 = xbar_chain[109:98];
    assign nt_0_1_xbar_adc_code__1 = xbar_chain[121:110];
    assign nt_0_1_xbar_adc_code__2 = xbar_chain[133:122];
    assign nt_0_1_xbar_adc_code__3 = xbar_chain[145:134];
    assign nt_0_1_xbar_adc_code__4 = xbar_chain[157:146];
    assign nt_0_1_xbar_adc_code__5 = xbar_chain[169:158];
    assign nt_0_1_xbar_adc_code__6 = xbar_chain[181:170];
    assign nt_0_1_xbar_adc_code__7 = xbar_chain[193:182];
    assign nt_1_0_xbar_adc_valid = xbar_chain[194:194];
    assign nt_1_0_xbar_adc_code__0 = xbar_chain[206:195];
    assign nt_1_0_xbar_adc_code__1 = xbar_chain[218:207];
    assign nt_1_0_xbar_adc_code__2 = xbar_chain[230:219];
    assign nt_1_0_xbar_adc_code__3 = xbar_chain[242:231];
    assign nt_1_0_xbar_adc_code__4 = xbar_chain[254:243];
    assign nt_1_0_xbar_adc_code__5 = xbar_chain[266:255];
    assign nt_1_0_xbar_adc_code__6 = xbar_chain[278:267];
    assign nt_1_0_xbar_adc_code__7 = xbar_chain[290:279];
    assign nt_1_1_xbar_adc_valid = xbar_chain[291:291];
    assign nt_1_1_xbar_adc_code__0 = xbar_chain[303:292];
    assign nt_1_1_xbar_adc_code__1 = xbar_chain[315:304];
    assign nt_1_1_xbar_adc_code__2 = xbar_chain[327:316];
    assign nt_1_1_xbar_adc_code__3 = xbar_chain[339:328];
    assign nt_1_1_xbar_adc_code__4 = xbar_chain[351:340];
    assign nt_1_1_xbar_adc_code__5 = xbar_chain[363:352];
    assign nt_1_1_xbar_adc_code__6 = xbar_chain[375:364];
    assign nt_1_1_xbar_adc_code__7 = xbar_chain[387:376];
    assign rt_0_0_xbar_cmp = xbar_chain[397:388];
    assign rt_0_0_xbar_valid = xbar_chain[398:398];
    assign rt_0_1_xbar_cmp = xbar_chain[408:399];
    assign rt_0_1_xbar_valid = xbar_chain[409:409];
    assign rt_0_2_xbar_cmp = xbar_chain[419:410];
    assign rt_0_2_xbar_valid = xbar_chain[420:420];
    assign rt_0_3_xbar_cmp = xbar_chain[430:421];
    assign rt_0_3_xbar_valid = xbar_chain[431:431];
    assign rt_0_4_xbar_cmp = xbar_chain[441:432];
    assign rt_0_4_xbar_valid = xbar_chain[442:442];
    assign rt_1_0_xbar_cmp = xbar_chain[452:443];
    assign rt_1_0_xbar_valid = xbar_chain[453:453];
    assign rt_1_2_xbar_cmp = xbar_chain[463:454];
    assign rt_1_2_xbar_valid = xbar_chain[464:464];
    assign rt_1_4_xbar_cmp = xbar_chain[474:465];
    assign rt_1_4_xbar_valid = xbar_chain[475:475];
    assign rt_2_0_xbar_cmp = xbar_chain[485:476];
    assign rt_2_0_xbar_valid = xbar_chain[486:486];
    assign rt_2_1_xbar_cmp = xbar_chain[496:487];
    assign rt_2_1_xbar_valid = xbar_chain[497:497];
    assign rt_2_2_xbar_cmp = xbar_chain[507:498];
    assign rt_2_2_xbar_valid = xbar_chain[508:508];
    assign rt_2_3_xbar_cmp = xbar_chain[518:509];
    assign rt_2_3_xbar_valid = xbar_chain[519:519];
    assign rt_2_4_xbar_cmp = xbar_chain[529:520];
    assign rt_2_4_xbar_valid = xbar_chain[530:530];
    assign rt_3_0_xbar_cmp = xbar_chain[540:531];
    assign rt_3_0_xbar_valid = xbar_chain[541:541];
    assign rt_3_2_xbar_cmp = xbar_chain[551:542];
    assign rt_3_2_xbar_valid = xbar_chain[552:552];
    assign rt_3_4_xbar_cmp = xbar_chain[562:553];
    assign rt_3_4_xbar_valid = xbar_chain[563:563];
    assign rt_4_0_xbar_cmp = xbar_chain[573:564];
    assign rt_4_0_xbar_valid = xbar_chain[574:574];
    assign rt_4_1_xbar_cmp = xbar_chain[584:575];
    assign rt_4_1_xbar_valid = xbar_chain[585:585];
    assign rt_4_2_xbar_cmp = xbar_chain[595:586];
    assign rt_4_2_xbar_valid = xbar_chain[596:596];
    assign rt_4_3_xbar_cmp = xbar_chain[606:597];
    assign rt_4_3_xbar_valid = xbar_chain[607:607];
    assign rt_4_4_xbar_cmp = xbar_chain[617:608];
    assign rt_4_4_xbar_valid = xbar_chain[618:618];
    reg xbar_scan_q;
    always @(posedge wb_clk_i) xbar_scan_q <= ^{nt_0_0_xbar_op, nt_0_0_xbar_row, nt_0_0_xbar_col, nt_0_0_xbar_sel, nt_0_0_xbar_amp, nt_0_0_xbar_width, nt_0_1_xbar_op, nt_0_1_xbar_row, nt_0_1_xbar_col, nt_0_1_xbar_sel, nt_0_1_xbar_amp, nt_0_1_xbar_width, nt_1_0_xbar_op, nt_1_0_xbar_row, nt_1_0_xbar_col, nt_1_0_xbar_sel, nt_1_0_xbar_amp, nt_1_0_xbar_width, nt_1_1_xbar_op, nt_1_1_xbar_row, nt_1_1_xbar_col, nt_1_1_xbar_sel, nt_1_1_xbar_amp, nt_1_1_xbar_width, rt_0_0_xbar_op, rt_0_0_xbar_lines, rt_0_0_xbar_row, rt_0_0_xbar_col, rt_0_0_xbar_sel, rt_0_0_xbar_amp, rt_0_0_xbar_width, rt_0_0_xbar_vth, rt_0_1_xbar_op, rt_0_1_xbar_lines, rt_0_1_xbar_row, rt_0_1_xbar_col, rt_0_1_xbar_sel, rt_0_1_xbar_amp, rt_0_1_xbar_width, rt_0_1_xbar_vth, rt_0_2_xbar_op, rt_0_2_xbar_lines, rt_0_2_xbar_row, rt_0_2_xbar_col, rt_0_2_xbar_sel, rt_0_2_xbar_amp, rt_0_2_xbar_width, rt_0_2_xbar_vth, rt_0_3_xbar_op, rt_0_3_xbar_lines, rt_0_3_xbar_row, rt_0_3_xbar_col, rt_0_3_xbar_sel, rt_0_3_xbar_amp, rt_0_3_xbar_width, rt_0_3_xbar_vth, rt_0_4_xbar_op, rt_0_4_xbar_lines, rt_0_4_xbar_row, rt_0_4_xbar_col, rt_0_4_xbar_sel, rt_0_4_xbar_amp, rt_0_4_xbar_width, rt_0_4_xbar_vth, rt_1_0_xbar_op, rt_1_0_xbar_lines, rt_1_0_xbar_row, rt_1_0_xbar_col, rt_1_0_xbar_sel, rt_1_0_xbar_amp, rt_1_0_xbar_width, rt_1_0_xbar_vth, rt_1_2_xbar_op, rt_1_2_xbar_lines, rt_1_2_xbar_row, rt_1_2_xbar_col, rt_1_2_xbar_sel, rt_1_2_xbar_amp, rt_1_2_xbar_width, rt_1_2_xbar_vth, rt_1_4_xbar_op, rt_1_4_xbar_lines, rt_1_4_xbar_row, rt_1_4_xbar_col, rt_1_4_xbar_sel, rt_1_4_xbar_amp, rt_1_4_xbar_width, rt_1_4_xbar_vth, rt_2_0_xbar_op, rt_2_0_xbar_lines, rt_2_0_xbar_row, rt_2_0_xbar_col, rt_2_0_xbar_sel, rt_2_0_xbar_amp, rt_2_0_xbar_width, rt_2_0_xbar_vth, rt_2_1_xbar_op, rt_2_1_xbar_lines, rt_2_1_xbar_row, rt_2_1_xbar_col, rt_2_1_xbar_sel, rt_2_1_xbar_amp, rt_2_1_xbar_width, rt_2_1_xbar_vth, rt_2_2_xbar_op, rt_2_2_xbar_lines, rt_2_2_xbar_row, rt_2_2_xbar_col, rt_2_2_xbar_sel, rt_2_2_xbar_amp, rt_2_2_xbar_width, rt_2_2_xbar_vth, rt_2_3_xbar_op, rt_2_3_xbar_lines, rt_2_3_xbar_row, rt_2_3_xbar_col, rt_2_3_xbar_sel, rt_2_3_xbar_amp, rt_2_3_xbar_width, rt_2_3_xbar_vth, rt_2_4_xbar_op, rt_2_4_xbar_lines, rt_2_4_xbar_row, rt_2_4_xbar_col, rt_2_4_xbar_sel, rt_2_4_xbar_amp, rt_2_4_xbar_width, rt_2_4_xbar_vth, rt_3_0_xbar_op, rt_3_0_xbar_lines, rt_3_0_xbar_row, rt_3_0_xbar_col, rt_3_0_xbar_sel, rt_3_0_xbar_amp, rt_3_0_xbar_width, rt_3_0_xbar_vth, rt_3_2_xbar_op, rt_3_2_xbar_lines, rt_3_2_xbar_row, rt_3_2_xbar_col, rt_3_2_xbar_sel, rt_3_2_xbar_amp, rt_3_2_xbar_width, rt_3_2_xbar_vth, rt_3_4_xbar_op, rt_3_4_xbar_lines, rt_3_4_xbar_row, rt_3_4_xbar_col, rt_3_4_xbar_sel, rt_3_4_xbar_amp, rt_3_4_xbar_width, rt_3_4_xbar_vth, rt_4_0_xbar_op, rt_4_0_xbar_lines, rt_4_0_xbar_row, rt_4_0_xbar_col, rt_4_0_xbar_sel, rt_4_0_xbar_amp, rt_4_0_xbar_width, rt_4_0_xbar_vth, rt_4_1_xbar_op, rt_4_1_xbar_lines, rt_4_1_xbar_row, rt_4_1_xbar_col, rt_4_1_xbar_sel, rt_4_1_xbar_amp, rt_4_1_xbar_width, rt_4_1_xbar_vth, rt_4_2_xbar_op, rt_4_2_xbar_lines, rt_4_2_xbar_row, rt_4_2_xbar_col, rt_4_2_xbar_sel, rt_4_2_xbar_amp, rt_4_2_xbar_width, rt_4_2_xbar_vth, rt_4_3_xbar_op, rt_4_3_xbar_lines, rt_4_3_xbar_row, rt_4_3_xbar_col, rt_4_3_xbar_sel, rt_4_3_xbar_amp, rt_4_3_xbar_width, rt_4_3_xbar_vth, rt_4_4_xbar_op, rt_4_4_xbar_lines, rt_4_4_xbar_row, rt_4_4_xbar_col, rt_4_4_xbar_sel, rt_4_4_xbar_amp, rt_4_4_xbar_width, rt_4_4_xbar_vth};
    assign xbar_scan_out = xbar_scan_q;
    array_mosaic2x2 u_tile (
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
        .north_in(north_in),
        .north_out(north_out),
        .south_in(south_in),
        .south_out(south_out),
        .west_in(west_in),
        .west_out(west_out),
        .east_in(east_in),
        .east_out(east_out),
        .nt_0_0_xbar_op(nt_0_0_xbar_op),
        .nt_0_0_xbar_row(nt_0_0_xbar_row),
        .nt_0_0_xbar_col(nt_0_0_xbar_col),
        .nt_0_0_xbar_sel(nt_0_0_xbar_sel),
        .nt_0_0_xbar_amp(nt_0_0_xbar_amp),
        .nt_0_0_xbar_width(nt_0_0_xbar_width),
        .nt_0_0_xbar_adc_valid(nt_0_0_xbar_adc_valid),
        .nt_0_0_xbar_adc_code__0(nt_0_0_xbar_adc_code__0),
        .nt_0_0_xbar_adc_code__1(nt_0_0_xbar_adc_code__1),
        .nt_0_0_xbar_adc_code__2(nt_0_0_xbar_adc_code__2),
        .nt_0_0_xbar_adc_code__3(nt_0_0_xbar_adc_code__3),
        .nt_0_0_xbar_adc_code__4(nt_0_0_xbar_adc_code__4),
        .nt_0_0_xbar_adc_code__5(nt_0_0_xbar_adc_code__5),
        .nt_0_0_xbar_adc_code__6(nt_0_0_xbar_adc_code__6),
        .nt_0_0_xbar_adc_code__7(nt_0_0_xbar_adc_code__7),
        .nt_0_1_xbar_op(nt_0_1_xbar_op),
        .nt_0_1_xbar_row(nt_0_1_xbar_row),
        .nt_0_1_xbar_col(nt_0_1_xbar_col),
        .nt_0_1_xbar_sel(nt_0_1_xbar_sel),
        .nt_0_1_xbar_amp(nt_0_1_xbar_amp),
        .nt_0_1_xbar_width(nt_0_1_xbar_width),
        .nt_0_1_xbar_adc_valid(nt_0_1_xbar_adc_valid),
        .nt_0_1_xbar_adc_code__0(nt_0_1_xbar_adc_code__0),
        .nt_0_1_xbar_adc_code__1(nt_0_1_xbar_adc_code__1),
        .nt_0_1_xbar_adc_code__2(nt_0_1_xbar_adc_code__2),
        .nt_0_1_xbar_adc_code__3(nt_0_1_xbar_adc_code__3),
        .nt_0_1_xbar_adc_code__4(nt_0_1_xbar_adc_code__4),
        .nt_0_1_xbar_adc_code__5(nt_0_1_xbar_adc_code__5),
        .nt_0_1_xbar_adc_code__6(nt_0_1_xbar_adc_code__6),
        .nt_0_1_xbar_adc_code__7(nt_0_1_xbar_adc_code__7),
        .nt_1_0_xbar_op(nt_1_0_xbar_op),
        .nt_1_0_xbar_row(nt_1_0_xbar_row),
        .nt_1_0_xbar_col(nt_1_0_xbar_col),
        .nt_1_0_xbar_sel(nt_1_0_xbar_sel),
        .nt_1_0_xbar_amp(nt_1_0_xbar_amp),
        .nt_1_0_xbar_width(nt_1_0_xbar_width),
        .nt_1_0_xbar_adc_valid(nt_1_0_xbar_adc_valid),
        .nt_1_0_xbar_adc_code__0(nt_1_0_xbar_adc_code__0),
        .nt_1_0_xbar_adc_code__1(nt_1_0_xbar_adc_code__1),
        .nt_1_0_xbar_adc_code__2(nt_1_0_xbar_adc_code__2),
        .nt_1_0_xbar_adc_code__3(nt_1_0_xbar_adc_code__3),
        .nt_1_0_xbar_adc_code__4(nt_1_0_xbar_adc_code__4),
        .nt_1_0_xbar_adc_code__5(nt_1_0_xbar_adc_code__5),
        .nt_1_0_xbar_adc_code__6(nt_1_0_xbar_adc_code__6),
        .nt_1_0_xbar_adc_code__7(nt_1_0_xbar_adc_code__7),
        .nt_1_1_xbar_op(nt_1_1_xbar_op),
        .nt_1_1_xbar_row(nt_1_1_xbar_row),
        .nt_1_1_xbar_col(nt_1_1_xbar_col),
        .nt_1_1_xbar_sel(nt_1_1_xbar_sel),
        .nt_1_1_xbar_amp(nt_1_1_xbar_amp),
        .nt_1_1_xbar_width(nt_1_1_xbar_width),
        .nt_1_1_xbar_adc_valid(nt_1_1_xbar_adc_valid),
        .nt_1_1_xbar_adc_code__0(nt_1_1_xbar_adc_code__0),
        .nt_1_1_xbar_adc_code__1(nt_1_1_xbar_adc_code__1),
        .nt_1_1_xbar_adc_code__2(nt_1_1_xbar_adc_code__2),
        .nt_1_1_xbar_adc_code__3(nt_1_1_xbar_adc_code__3),
        .nt_1_1_xbar_adc_code__4(nt_1_1_xbar_adc_code__4),
        .nt_1_1_xbar_adc_code__5(nt_1_1_xbar_adc_code__5),
        .nt_1_1_xbar_adc_code__6(nt_1_1_xbar_adc_code__6),
        .nt_1_1_xbar_adc_code__7(nt_1_1_xbar_adc_code__7),
        .rt_0_0_xbar_op(rt_0_0_xbar_op),
        .rt_0_0_xbar_lines(rt_0_0_xbar_lines),
        .rt_0_0_xbar_row(rt_0_0_xbar_row),
        .rt_0_0_xbar_col(rt_0_0_xbar_col),
        .rt_0_0_xbar_sel(rt_0_0_xbar_sel),
        .rt_0_0_xbar_amp(rt_0_0_xbar_amp),
        .rt_0_0_xbar_width(rt_0_0_xbar_width),
        .rt_0_0_xbar_vth(rt_0_0_xbar_vth),
        .rt_0_0_xbar_cmp(rt_0_0_xbar_cmp),
        .rt_0_0_xbar_valid(rt_0_0_xbar_valid),
        .rt_0_1_xbar_op(rt_0_1_xbar_op),
        .rt_0_1_xbar_lines(rt_0_1_xbar_lines),
        .rt_0_1_xbar_row(rt_0_1_xbar_row),
        .rt_0_1_xbar_col(rt_0_1_xbar_col),
        .rt_0_1_xbar_sel(rt_0_1_xbar_sel),
        .rt_0_1_xbar_amp(rt_0_1_xbar_amp),
        .rt_0_1_xbar_width(rt_0_1_xbar_width),
        .rt_0_1_xbar_vth(rt_0_1_xbar_vth),
        .rt_0_1_xbar_cmp(rt_0_1_xbar_cmp),
        .rt_0_1_xbar_valid(rt_0_1_xbar_valid),
        .rt_0_2_xbar_op(rt_0_2_xbar_op),
        .rt_0_2_xbar_lines(rt_0_2_xbar_lines),
        .rt_0_2_xbar_row(rt_0_2_xbar_row),
        .rt_0_2_xbar_col(rt_0_2_xbar_col),
        .rt_0_2_xbar_sel(rt_0_2_xbar_sel),
        .rt_0_2_xbar_amp(rt_0_2_xbar_amp),
        .rt_0_2_xbar_width(rt_0_2_xbar_width),
        .rt_0_2_xbar_vth(rt_0_2_xbar_vth),
        .rt_0_2_xbar_cmp(rt_0_2_xbar_cmp),
        .rt_0_2_xbar_valid(rt_0_2_xbar_valid),
        .rt_0_3_xbar_op(rt_0_3_xbar_op),
        .rt_0_3_xbar_lines(rt_0_3_xbar_lines),
        .rt_0_3_xbar_row(rt_0_3_xbar_row),
        .rt_0_3_xbar_col(rt_0_3_xbar_col),
        .rt_0_3_xbar_sel(rt_0_3_xbar_sel),
        .rt_0_3_xbar_amp(rt_0_3_xbar_amp),
        .rt_0_3_xbar_width(rt_0_3_xbar_width),
        .rt_0_3_xbar_vth(rt_0_3_xbar_vth),
        .rt_0_3_xbar_cmp(rt_0_3_xbar_cmp),
        .rt_0_3_xbar_valid(rt_0_3_xbar_valid),
        .rt_0_4_xbar_op(rt_0_4_xbar_op),
        .rt_0_4_xbar_lines(rt_0_4_xbar_lines),
        .rt_0_4_xbar_row(rt_0_4_xbar_row),
        .rt_0_4_xbar_col(rt_0_4_xbar_col),
        .rt_0_4_xbar_sel(rt_0_4_xbar_sel),
        .rt_0_4_xbar_amp(rt_0_4_xbar_amp),
        .rt_0_4_xbar_width(rt_0_4_xbar_width),
        .rt_0_4_xbar_vth(rt_0_4_xbar_vth),
        .rt_0_4_xbar_cmp(rt_0_4_xbar_cmp),
        .rt_0_4_xbar_valid(rt_0_4_xbar_valid),
        .rt_1_0_xbar_op(rt_1_0_xbar_op),
        .rt_1_0_xbar_lines(rt_1_0_xbar_lines),
        .rt_1_0_xbar_row(rt_1_0_xbar_row),
        .rt_1_0_xbar_col(rt_1_0_xbar_col),
        .rt_1_0_xbar_sel(rt_1_0_xbar_sel),
        .rt_1_0_xbar_amp(rt_1_0_xbar_amp),
        .rt_1_0_xbar_width(rt_1_0_xbar_width),
        .rt_1_0_xbar_vth(rt_1_0_xbar_vth),
        .rt_1_0_xbar_cmp(rt_1_0_xbar_cmp),
        .rt_1_0_xbar_valid(rt_1_0_xbar_valid),
        .rt_1_2_xbar_op(rt_1_2_xbar_op),
        .rt_1_2_xbar_lines(rt_1_2_xbar_lines),
        .rt_1_2_xbar_row(rt_1_2_xbar_row),
        .rt_1_2_xbar_col(rt_1_2_xbar_col),
        .rt_1_2_xbar_sel(rt_1_2_xbar_sel),
        .rt_1_2_xbar_amp(rt_1_2_xbar_amp),
        .rt_1_2_xbar_width(rt_1_2_xbar_width),
        .rt_1_2_xbar_vth(rt_1_2_xbar_vth),
        .rt_1_2_xbar_cmp(rt_1_2_xbar_cmp),
        .rt_1_2_xbar_valid(rt_1_2_xbar_valid),
        .rt_1_4_xbar_op(rt_1_4_xbar_op),
        .rt_1_4_xbar_lines(rt_1_4_xbar_lines),
        .rt_1_4_xbar_row(rt_1_4_xbar_row),
        .rt_1_4_xbar_col(rt_1_4_xbar_col),
        .rt_1_4_xbar_sel(rt_1_4_xbar_sel),
        .rt_1_4_xbar_amp(rt_1_4_xbar_amp),
        .rt_1_4_xbar_width(rt_1_4_xbar_width),
        .rt_1_4_xbar_vth(rt_1_4_xbar_vth),
        .rt_1_4_xbar_cmp(rt_1_4_xbar_cmp),
        .rt_1_4_xbar_valid(rt_1_4_xbar_valid),
        .rt_2_0_xbar_op(rt_2_0_xbar_op),
        .rt_2_0_xbar_lines(rt_2_0_xbar_lines),
        .rt_2_0_xbar_row(rt_2_0_xbar_row),
        .rt_2_0_xbar_col(rt_2_0_xbar_col),
        .rt_2_0_xbar_sel(rt_2_0_xbar_sel),
        .rt_2_0_xbar_amp(rt_2_0_xbar_amp),
        .rt_2_0_xbar_width(rt_2_0_xbar_width),
        .rt_2_0_xbar_vth(rt_2_0_xbar_vth),
        .rt_2_0_xbar_cmp(rt_2_0_xbar_cmp),
        .rt_2_0_xbar_valid(rt_2_0_xbar_valid),
        .rt_2_1_xbar_op(rt_2_1_xbar_op),
        .rt_2_1_xbar_lines(rt_2_1_xbar_lines),
        .rt_2_1_xbar_row(rt_2_1_xbar_row),
        .rt_2_1_xbar_col(rt_2_1_xbar_col),
        .rt_2_1_xbar_sel(rt_2_1_xbar_sel),
        .rt_2_1_xbar_amp(rt_2_1_xbar_amp),
        .rt_2_1_xbar_width(rt_2_1_xbar_width),
        .rt_2_1_xbar_vth(rt_2_1_xbar_vth),
        .rt_2_1_xbar_cmp(rt_2_1_xbar_cmp),
        .rt_2_1_xbar_valid(rt_2_1_xbar_valid),
        .rt_2_2_xbar_op(rt_2_2_xbar_op),
        .rt_2_2_xbar_lines(rt_2_2_xbar_lines),
        .rt_2_2_xbar_row(rt_2_2_xbar_row),
        .rt_2_2_xbar_col(rt_2_2_xbar_col),
        .rt_2_2_xbar_sel(rt_2_2_xbar_sel),
        .rt_2_2_xbar_amp(rt_2_2_xbar_amp),
        .rt_2_2_xbar_width(rt_2_2_xbar_width),
        .rt_2_2_xbar_vth(rt_2_2_xbar_vth),
        .rt_2_2_xbar_cmp(rt_2_2_xbar_cmp),
        .rt_2_2_xbar_valid(rt_2_2_xbar_valid),
        .rt_2_3_xbar_op(rt_2_3_xbar_op),
        .rt_2_3_xbar_lines(rt_2_3_xbar_lines),
        .rt_2_3_xbar_row(rt_2_3_xbar_row),
        .rt_2_3_xbar_col(rt_2_3_xbar_col),
        .rt_2_3_xbar_sel(rt_2_3_xbar_sel),
        .rt_2_3_xbar_amp(rt_2_3_xbar_amp),
        .rt_2_3_xbar_width(rt_2_3_xbar_width),
        .rt_2_3_xbar_vth(rt_2_3_xbar_vth),
        .rt_2_3_xbar_cmp(rt_2_3_xbar_cmp),
        .rt_2_3_xbar_valid(rt_2_3_xbar_valid),
        .rt_2_4_xbar_op(rt_2_4_xbar_op),
        .rt_2_4_xbar_lines(rt_2_4_xbar_lines),
        .rt_2_4_xbar_row(rt_2_4_xbar_row),
        .rt_2_4_xbar_col(rt_2_4_xbar_col),
        .rt_2_4_xbar_sel(rt_2_4_xbar_sel),
        .rt_2_4_xbar_amp(rt_2_4_xbar_amp),
        .rt_2_4_xbar_width(rt_2_4_xbar_width),
        .rt_2_4_xbar_vth(rt_2_4_xbar_vth),
        .rt_2_4_xbar_cmp(rt_2_4_xbar_cmp),
        .rt_2_4_xbar_valid(rt_2_4_xbar_valid),
        .rt_3_0_xbar_op(rt_3_0_xbar_op),
        .rt_3_0_xbar_lines(rt_3_0_xbar_lines),
        .rt_3_0_xbar_row(rt_3_0_xbar_row),
        .rt_3_0_xbar_col(rt_3_0_xbar_col),
        .rt_3_0_xbar_sel(rt_3_0_xbar_sel),
        .rt_3_0_xbar_amp(rt_3_0_xbar_amp),
        .rt_3_0_xbar_width(rt_3_0_xbar_width),
        .rt_3_0_xbar_vth(rt_3_0_xbar_vth),
        .rt_3_0_xbar_cmp(rt_3_0_xbar_cmp),
        .rt_3_0_xbar_valid(rt_3_0_xbar_valid),
        .rt_3_2_xbar_op(rt_3_2_xbar_op),
        .rt_3_2_xbar_lines(rt_3_2_xbar_lines),
        .rt_3_2_xbar_row(rt_3_2_xbar_row),
        .rt_3_2_xbar_col(rt_3_2_xbar_col),
        .rt_3_2_xbar_sel(rt_3_2_xbar_sel),
        .rt_3_2_xbar_amp(rt_3_2_xbar_amp),
        .rt_3_2_xbar_width(rt_3_2_xbar_width),
        .rt_3_2_xbar_vth(rt_3_2_xbar_vth),
        .rt_3_2_xbar_cmp(rt_3_2_xbar_cmp),
        .rt_3_2_xbar_valid(rt_3_2_xbar_valid),
        .rt_3_4_xbar_op(rt_3_4_xbar_op),
        .rt_3_4_xbar_lines(rt_3_4_xbar_lines),
        .rt_3_4_xbar_row(rt_3_4_xbar_row),
        .rt_3_4_xbar_col(rt_3_4_xbar_col),
        .rt_3_4_xbar_sel(rt_3_4_xbar_sel),
        .rt_3_4_xbar_amp(rt_3_4_xbar_amp),
        .rt_3_4_xbar_width(rt_3_4_xbar_width),
        .rt_3_4_xbar_vth(rt_3_4_xbar_vth),
        .rt_3_4_xbar_cmp(rt_3_4_xbar_cmp),
        .rt_3_4_xbar_valid(rt_3_4_xbar_valid),
        .rt_4_0_xbar_op(rt_4_0_xbar_op),
        .rt_4_0_xbar_lines(rt_4_0_xbar_lines),
        .rt_4_0_xbar_row(rt_4_0_xbar_row),
        .rt_4_0_xbar_col(rt_4_0_xbar_col),
        .rt_4_0_xbar_sel(rt_4_0_xbar_sel),
        .rt_4_0_xbar_amp(rt_4_0_xbar_amp),
        .rt_4_0_xbar_width(rt_4_0_xbar_width),
        .rt_4_0_xbar_vth(rt_4_0_xbar_vth),
        .rt_4_0_xbar_cmp(rt_4_0_xbar_cmp),
        .rt_4_0_xbar_valid(rt_4_0_xbar_valid),
        .rt_4_1_xbar_op(rt_4_1_xbar_op),
        .rt_4_1_xbar_lines(rt_4_1_xbar_lines),
        .rt_4_1_xbar_row(rt_4_1_xbar_row),
        .rt_4_1_xbar_col(rt_4_1_xbar_col),
        .rt_4_1_xbar_sel(rt_4_1_xbar_sel),
        .rt_4_1_xbar_amp(rt_4_1_xbar_amp),
        .rt_4_1_xbar_width(rt_4_1_xbar_width),
        .rt_4_1_xbar_vth(rt_4_1_xbar_vth),
        .rt_4_1_xbar_cmp(rt_4_1_xbar_cmp),
        .rt_4_1_xbar_valid(rt_4_1_xbar_valid),
        .rt_4_2_xbar_op(rt_4_2_xbar_op),
        .rt_4_2_xbar_lines(rt_4_2_xbar_lines),
        .rt_4_2_xbar_row(rt_4_2_xbar_row),
        .rt_4_2_xbar_col(rt_4_2_xbar_col),
        .rt_4_2_xbar_sel(rt_4_2_xbar_sel),
        .rt_4_2_xbar_amp(rt_4_2_xbar_amp),
        .rt_4_2_xbar_width(rt_4_2_xbar_width),
        .rt_4_2_xbar_vth(rt_4_2_xbar_vth),
        .rt_4_2_xbar_cmp(rt_4_2_xbar_cmp),
        .rt_4_2_xbar_valid(rt_4_2_xbar_valid),
        .rt_4_3_xbar_op(rt_4_3_xbar_op),
        .rt_4_3_xbar_lines(rt_4_3_xbar_lines),
        .rt_4_3_xbar_row(rt_4_3_xbar_row),
        .rt_4_3_xbar_col(rt_4_3_xbar_col),
        .rt_4_3_xbar_sel(rt_4_3_xbar_sel),
        .rt_4_3_xbar_amp(rt_4_3_xbar_amp),
        .rt_4_3_xbar_width(rt_4_3_xbar_width),
        .rt_4_3_xbar_vth(rt_4_3_xbar_vth),
        .rt_4_3_xbar_cmp(rt_4_3_xbar_cmp),
        .rt_4_3_xbar_valid(rt_4_3_xbar_valid),
        .rt_4_4_xbar_op(rt_4_4_xbar_op),
        .rt_4_4_xbar_lines(rt_4_4_xbar_lines),
        .rt_4_4_xbar_row(rt_4_4_xbar_row),
        .rt_4_4_xbar_col(rt_4_4_xbar_col),
        .rt_4_4_xbar_sel(rt_4_4_xbar_sel),
        .rt_4_4_xbar_amp(rt_4_4_xbar_amp),
        .rt_4_4_xbar_width(rt_4_4_xbar_width),
        .rt_4_4_xbar_vth(rt_4_4_xbar_vth),
        .rt_4_4_xbar_cmp(rt_4_4_xbar_cmp),
        .rt_4_4_xbar_valid(rt_4_4_xbar_valid)
    );
endmodule

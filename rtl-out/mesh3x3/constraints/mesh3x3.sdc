# Timing constraints of mesh3x3, written by memforge from the design's
# [flow] section: regenerate rather than edit.
# Units are the liberty's: ns and pF.

# The clock (clock).
create_clock -name clock -period 10.000 [get_ports clock]
set_clock_uncertainty 0.250 [get_clocks clock]
set_clock_transition 0.150 [get_clocks clock]

# Inputs arrive 20 % of the period after the clock edge
# (the logic outside the block uses that share of the cycle).
set_input_delay 2.000 -clock [get_clocks clock] [get_ports {rst_n wbs_stb_i wbs_cyc_i wbs_we_i wbs_sel_i[*] wbs_dat_i[*] wbs_adr_i[*] in_data__0[*] in_data__1[*] in_data__2[*] in_data__3[*] in_data__4[*] in_data__5[*] in_data__6[*] in_data__7[*] in_data__8[*] in_valid__0 in_valid__1 in_valid__2 in_valid__3 in_valid__4 in_valid__5 in_valid__6 in_valid__7 in_valid__8 out_ready__0 out_ready__1 out_ready__2 out_ready__3 out_ready__4 out_ready__5 out_ready__6 out_ready__7 out_ready__8}]
set_input_transition 0.150 [get_ports {rst_n wbs_stb_i wbs_cyc_i wbs_we_i wbs_sel_i[*] wbs_dat_i[*] wbs_adr_i[*] in_data__0[*] in_data__1[*] in_data__2[*] in_data__3[*] in_data__4[*] in_data__5[*] in_data__6[*] in_data__7[*] in_data__8[*] in_valid__0 in_valid__1 in_valid__2 in_valid__3 in_valid__4 in_valid__5 in_valid__6 in_valid__7 in_valid__8 out_ready__0 out_ready__1 out_ready__2 out_ready__3 out_ready__4 out_ready__5 out_ready__6 out_ready__7 out_ready__8}]

# Outputs must be valid 20 % of the period before the next edge.
set_output_delay 2.000 -clock [get_clocks clock] [get_ports {wbs_ack_o wbs_dat_o[*] in_ready__0 in_ready__1 in_ready__2 in_ready__3 in_ready__4 in_ready__5 in_ready__6 in_ready__7 in_ready__8 out_data__0[*] out_data__1[*] out_data__2[*] out_data__3[*] out_data__4[*] out_data__5[*] out_data__6[*] out_data__7[*] out_data__8[*] out_valid__0 out_valid__1 out_valid__2 out_valid__3 out_valid__4 out_valid__5 out_valid__6 out_valid__7 out_valid__8}]
set_load 0.033442 [get_ports {wbs_ack_o wbs_dat_o[*] in_ready__0 in_ready__1 in_ready__2 in_ready__3 in_ready__4 in_ready__5 in_ready__6 in_ready__7 in_ready__8 out_data__0[*] out_data__1[*] out_data__2[*] out_data__3[*] out_data__4[*] out_data__5[*] out_data__6[*] out_data__7[*] out_data__8[*] out_valid__0 out_valid__1 out_valid__2 out_valid__3 out_valid__4 out_valid__5 out_valid__6 out_valid__7 out_valid__8}]


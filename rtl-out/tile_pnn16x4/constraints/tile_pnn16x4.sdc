# Timing constraints of tile_pnn16x4, written by memforge from the design's
# [flow] section: regenerate rather than edit.
# Units are the liberty's: ns and pF.

# The clock (wb_clk_i).
create_clock -name wb_clk_i -period 10.000 [get_ports wb_clk_i]
set_clock_uncertainty 0.250 [get_clocks wb_clk_i]
set_clock_transition 0.150 [get_clocks wb_clk_i]

# Inputs arrive 20 % of the period after the clock edge
# (the logic outside the block uses that share of the cycle).
set_input_delay 2.000 -clock [get_clocks wb_clk_i] [get_ports {wb_rst_i wbs_stb_i wbs_cyc_i wbs_we_i wbs_sel_i[*] wbs_dat_i[*] wbs_adr_i[*] aer_in_addr[*] aer_in_valid aer_out_ready xbar_spike__0 xbar_spike__1 xbar_spike__2 xbar_spike__3}]
set_input_transition 0.150 [get_ports {wb_rst_i wbs_stb_i wbs_cyc_i wbs_we_i wbs_sel_i[*] wbs_dat_i[*] wbs_adr_i[*] aer_in_addr[*] aer_in_valid aer_out_ready xbar_spike__0 xbar_spike__1 xbar_spike__2 xbar_spike__3}]

# Outputs must be valid 20 % of the period before the next edge.
set_output_delay 2.000 -clock [get_clocks wb_clk_i] [get_ports {wbs_ack_o wbs_dat_o[*] aer_in_ready aer_out_addr[*] aer_out_valid xbar_pulse__0 xbar_pulse__1 xbar_pulse__2 xbar_pulse__3 xbar_pulse__4 xbar_pulse__5 xbar_pulse__6 xbar_pulse__7 xbar_pulse__8 xbar_pulse__9 xbar_pulse__10 xbar_pulse__11 xbar_pulse__12 xbar_pulse__13 xbar_pulse__14 xbar_pulse__15 xbar_reset__0 xbar_reset__1 xbar_reset__2 xbar_reset__3}]
set_load 0.033442 [get_ports {wbs_ack_o wbs_dat_o[*] aer_in_ready aer_out_addr[*] aer_out_valid xbar_pulse__0 xbar_pulse__1 xbar_pulse__2 xbar_pulse__3 xbar_pulse__4 xbar_pulse__5 xbar_pulse__6 xbar_pulse__7 xbar_pulse__8 xbar_pulse__9 xbar_pulse__10 xbar_pulse__11 xbar_pulse__12 xbar_pulse__13 xbar_pulse__14 xbar_pulse__15 xbar_reset__0 xbar_reset__1 xbar_reset__2 xbar_reset__3}]

# wb_rst_i is asynchronous: it only enters a reset synchroniser.
set_false_path -from [get_ports wb_rst_i]


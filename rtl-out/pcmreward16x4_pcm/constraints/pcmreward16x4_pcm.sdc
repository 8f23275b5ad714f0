# Timing constraints of pcmreward16x4_pcm, written by memforge from the design's
# [flow] section: regenerate rather than edit.
# Units are the liberty's: ns and pF.

# The clock (wb_clk_i).
create_clock -name wb_clk_i -period 10.000 [get_ports wb_clk_i]
set_clock_uncertainty 0.250 [get_clocks wb_clk_i]
set_clock_transition 0.150 [get_clocks wb_clk_i]

# Inputs arrive 20 % of the period after the clock edge
# (the logic outside the block uses that share of the cycle).
set_input_delay 2.000 -clock [get_clocks wb_clk_i] [get_ports {wb_rst_i wbs_stb_i wbs_cyc_i wbs_we_i wbs_sel_i[*] wbs_dat_i[*] wbs_adr_i[*] aer_in_addr[*] aer_in_value[*] aer_in_valid aer_out_ready xbar_adc_valid xbar_adc_code__0[*] xbar_adc_code__1[*] xbar_adc_code__2[*] xbar_adc_code__3[*]}]
set_input_transition 0.150 [get_ports {wb_rst_i wbs_stb_i wbs_cyc_i wbs_we_i wbs_sel_i[*] wbs_dat_i[*] wbs_adr_i[*] aer_in_addr[*] aer_in_value[*] aer_in_valid aer_out_ready xbar_adc_valid xbar_adc_code__0[*] xbar_adc_code__1[*] xbar_adc_code__2[*] xbar_adc_code__3[*]}]

# Outputs must be valid 20 % of the period before the next edge.
set_output_delay 2.000 -clock [get_clocks wb_clk_i] [get_ports {wbs_ack_o wbs_dat_o[*] aer_in_ready aer_out_addr[*] aer_out_valid xbar_op[*] xbar_row[*] xbar_col[*] xbar_sel[*] xbar_amp[*] xbar_width[*]}]
set_load 0.033442 [get_ports {wbs_ack_o wbs_dat_o[*] aer_in_ready aer_out_addr[*] aer_out_valid xbar_op[*] xbar_row[*] xbar_col[*] xbar_sel[*] xbar_amp[*] xbar_width[*]}]

# wb_rst_i is asynchronous: it only enters a reset synchroniser.
set_false_path -from [get_ports wb_rst_i]


# Timing constraints of router3x3, written by memforge from the design's
# [flow] section: regenerate rather than edit.
# Units are the liberty's: ns and pF.

# The clock (clock).
create_clock -name clock -period 10.000 [get_ports clock]
set_clock_uncertainty 0.250 [get_clocks clock]
set_clock_transition 0.150 [get_clocks clock]

# Inputs arrive 20 % of the period after the clock edge
# (the logic outside the block uses that share of the cycle).
set_input_delay 2.000 -clock [get_clocks clock] [get_ports {rst_n wbs_stb_i wbs_cyc_i wbs_we_i wbs_sel_i[*] wbs_dat_i[*] wbs_adr_i[*] north_in_data[*] north_in_valid north_out_ready east_in_data[*] east_in_valid east_out_ready south_in_data[*] south_in_valid south_out_ready west_in_data[*] west_in_valid west_out_ready local_in_data[*] local_in_valid local_out_ready}]
set_input_transition 0.150 [get_ports {rst_n wbs_stb_i wbs_cyc_i wbs_we_i wbs_sel_i[*] wbs_dat_i[*] wbs_adr_i[*] north_in_data[*] north_in_valid north_out_ready east_in_data[*] east_in_valid east_out_ready south_in_data[*] south_in_valid south_out_ready west_in_data[*] west_in_valid west_out_ready local_in_data[*] local_in_valid local_out_ready}]

# Outputs must be valid 20 % of the period before the next edge.
set_output_delay 2.000 -clock [get_clocks clock] [get_ports {wbs_ack_o wbs_dat_o[*] north_in_ready north_out_data[*] north_out_valid east_in_ready east_out_data[*] east_out_valid south_in_ready south_out_data[*] south_out_valid west_in_ready west_out_data[*] west_out_valid local_in_ready local_out_data[*] local_out_valid}]
set_load 0.033442 [get_ports {wbs_ack_o wbs_dat_o[*] north_in_ready north_out_data[*] north_out_valid east_in_ready east_out_data[*] east_out_valid south_in_ready south_out_data[*] south_out_valid west_in_ready west_out_data[*] west_out_valid local_in_ready local_out_data[*] local_out_valid}]


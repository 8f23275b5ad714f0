# Timing constraints of route2, written by memforge from the design's
# [flow] section: regenerate rather than edit.
# Units are the liberty's: ns and pF.

# The clock (clock).
create_clock -name clock -period 10.000 [get_ports clock]
set_clock_uncertainty 0.250 [get_clocks clock]
set_clock_transition 0.150 [get_clocks clock]

# Inputs arrive 20 % of the period after the clock edge
# (the logic outside the block uses that share of the cycle).
set_input_delay 2.000 -clock [get_clocks clock] [get_ports {rst_n wbs_stb_i wbs_cyc_i wbs_we_i wbs_sel_i[*] wbs_dat_i[*] wbs_adr_i[*] in_n[*] in_e[*] in_s[*] in_w[*] in_l[*] xbar_cmp[*] xbar_valid}]
set_input_transition 0.150 [get_ports {rst_n wbs_stb_i wbs_cyc_i wbs_we_i wbs_sel_i[*] wbs_dat_i[*] wbs_adr_i[*] in_n[*] in_e[*] in_s[*] in_w[*] in_l[*] xbar_cmp[*] xbar_valid}]

# Outputs must be valid 20 % of the period before the next edge.
set_output_delay 2.000 -clock [get_clocks clock] [get_ports {wbs_ack_o wbs_dat_o[*] out_n[*] out_e[*] out_s[*] out_w[*] out_l[*] xbar_op[*] xbar_lines[*] xbar_row[*] xbar_col[*] xbar_sel[*] xbar_amp[*] xbar_width[*] xbar_vth[*]}]
set_load 0.033442 [get_ports {wbs_ack_o wbs_dat_o[*] out_n[*] out_e[*] out_s[*] out_w[*] out_l[*] xbar_op[*] xbar_lines[*] xbar_row[*] xbar_col[*] xbar_sel[*] xbar_amp[*] xbar_width[*] xbar_vth[*]}]


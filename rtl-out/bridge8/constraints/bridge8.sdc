# Timing constraints of bridge8, written by memforge from the design's
# [flow] section: regenerate rather than edit.
# Units are the liberty's: ns and pF.

# The clock (clock).
create_clock -name clock -period 10.000 [get_ports clock]
set_clock_uncertainty 0.250 [get_clocks clock]
set_clock_transition 0.150 [get_clocks clock]

# Inputs arrive 20 % of the period after the clock edge
# (the logic outside the block uses that share of the cycle).
set_input_delay 2.000 -clock [get_clocks clock] [get_ports {rst_n aer_in_addr[*] aer_in_valid lines_in[*] aer_out_ready}]
set_input_transition 0.150 [get_ports {rst_n aer_in_addr[*] aer_in_valid lines_in[*] aer_out_ready}]

# Outputs must be valid 20 % of the period before the next edge.
set_output_delay 2.000 -clock [get_clocks clock] [get_ports {aer_in_ready lines_out[*] aer_out_addr[*] aer_out_valid misrouted[*] overruns[*]}]
set_load 0.033442 [get_ports {aer_in_ready lines_out[*] aer_out_addr[*] aer_out_valid misrouted[*] overruns[*]}]


# Timing constraints of merge4, written by memforge from the design's
# [flow] section: regenerate rather than edit.
# Units are the liberty's: ns and pF.

# The clock (clock).
create_clock -name clock -period 10.000 [get_ports clock]
set_clock_uncertainty 0.250 [get_clocks clock]
set_clock_transition 0.150 [get_clocks clock]

# Inputs arrive 20 % of the period after the clock edge
# (the logic outside the block uses that share of the cycle).
set_input_delay 2.000 -clock [get_clocks clock] [get_ports {rst_n in_addr__0[*] in_addr__1[*] in_addr__2[*] in_addr__3[*] in_valid__0 in_valid__1 in_valid__2 in_valid__3 out_ready}]
set_input_transition 0.150 [get_ports {rst_n in_addr__0[*] in_addr__1[*] in_addr__2[*] in_addr__3[*] in_valid__0 in_valid__1 in_valid__2 in_valid__3 out_ready}]

# Outputs must be valid 20 % of the period before the next edge.
set_output_delay 2.000 -clock [get_clocks clock] [get_ports {in_ready__0 in_ready__1 in_ready__2 in_ready__3 out_addr[*] out_valid}]
set_load 0.033442 [get_ports {in_ready__0 in_ready__1 in_ready__2 in_ready__3 out_addr[*] out_valid}]


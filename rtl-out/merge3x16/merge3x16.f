rtl/merge3x16.v
rtl/merge3x16_fifo.v

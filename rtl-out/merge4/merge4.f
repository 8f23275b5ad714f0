rtl/merge4.v
rtl/merge4_fifo.v

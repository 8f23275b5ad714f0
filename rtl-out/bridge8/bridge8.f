rtl/bridge8.v

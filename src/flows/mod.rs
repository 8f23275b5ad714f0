//! The hand-off to open flows: constraint and flow files rendered from
//! `constraints/`, and the runners that drive Yosys, OpenSTA, nextpnr and
//! OpenLane/LibreLane on a generated design directory. Each file has one job;
//! the commands in `src/cmd/` only parse arguments and format reports.

pub mod asic;
pub mod caravel;
pub mod constraints;
pub mod design_dir;
pub mod fpga_wrap;
pub mod ice40;
pub mod ice40_pins;
pub mod liberty;
pub mod openlane;
pub mod power;
pub mod run;
pub mod sides;
pub mod sta;
pub mod yosys;

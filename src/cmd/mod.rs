//! One module per subcommand.

pub mod analog;
pub mod bench;
pub mod cosim;
pub mod demo;
pub mod docs;
pub mod doctor;
pub mod flow;
pub mod fpga;
pub mod generate;
pub mod learn;
pub mod lint;
pub mod map;
pub mod ppa;
pub mod regmap;
pub mod routing;
pub mod seed;
pub mod sweep;
pub mod synth;
pub mod task;

use crate::cli::{Cli, Command};
use crate::outcome::Report;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Report> {
    let json = cli.json;
    match cli.command {
        Command::Generate(args) => generate::run(&args),
        Command::Lint(args) => lint::run(&args),
        Command::Demo(args) => demo::run(&args),
        Command::Doctor(args) => doctor::run(&args),
        Command::Regmap(args) => regmap::run(&args),
        Command::Synth(args) => synth::run(&args, json),
        Command::Fpga(args) => fpga::run(&args, json),
        Command::Flow(args) => flow::run(&args),
        Command::Bench(args) => bench::run(&args, json),
        Command::Cosim(args) => cosim::run(&args, json),
        Command::Docs(args) => docs::run(&args),
        Command::Analog(args) => analog::run(&args),
        Command::Routing(args) => routing::run(&args),
        Command::Learn(args) => learn::run(&args),
        Command::Seed(args) => seed::run(&args),
        Command::Sweep(args) => sweep::run(&args, json),
        Command::Ppa(args) => ppa::run(&args, json),
        Command::Map(args) => map::run(&args),
        Command::Task(args) => task::run(&args, json),
    }
}

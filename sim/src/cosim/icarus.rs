//! The fourth leg of the verification: the lock-step stimulus of any block
//! replayed into the same RTL under Icarus Verilog, an event-driven
//! simulator (as Questa, Xcelium and VCS are), compared with the golden
//! model's outputs every cycle.
//!
//! Block-agnostic: it knows a design only by its [`RtlDesign`] (top module
//! and files), its clock port and its model's [`PortLayout`].
//!
//! 1. [`record`] runs a [`Stimulus`] against a [`CycleModel`] alone (no
//!    RTL): per cycle, the inputs it drove and the outputs after the edge.
//!    Where RTL and model agree these are exactly the lock-step run's inputs.
//! 2. [`replay`] writes `stimulus.hex` and `expected.hex` (one line per
//!    cycle, every port concatenated in layout order, first port in the most
//!    significant bits) and a Verilog-2005 testbench `tb.v` that
//!    `$readmemh`s both, and per cycle (period 10): applies the inputs at
//!    `10c + 1` (clock low), raises the clock at `10c + 5`, compares every
//!    output with `!==` (an `x` or `z` is a mismatch) at `10c + 9` and lowers
//!    the clock at `10c + 10`. The first mismatching cycle prints every
//!    differing port and stops; a clean run prints a pass line. Compiled
//!    with `iverilog -g2005`, run with `vvp` under a wall-clock limit (a
//!    simulator that stops advancing time, a livelock, is a
//!    [`IcarusError::Timeout`]).
//!
//! Before the first reset the RTL's flip-flops are `x` in an event-driven
//! simulator while the model starts from its reset state, so outputs are
//! compared from cycle [`IcarusRecording::compare_from`] on (the cycles a
//! reset takes to reach every flip-flop; all later resets are compared).

use crate::cycle::{CycleModel, PortLayout};
use crate::process;
use crate::stimulus::Stimulus;
use crate::verilator::RtlDesign;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Inputs and expected outputs of a run, per cycle, packed as the model's
/// [`PortLayout`] (`layout.total_words()` words per cycle; only the input
/// ports of `inputs` and the output ports of `outputs` are meaningful).
#[derive(Clone, Debug, Default)]
pub struct IcarusRecording {
    pub cycles: u64,
    pub inputs: Vec<u64>,
    pub outputs: Vec<u64>,
    /// First cycle whose outputs are compared.
    pub compare_from: u64,
    /// The stimulus's model failed at this cycle ([`Stimulus::fault`]):
    /// the recording stops there and [`replay`] refuses it.
    pub fault: Option<(u64, String)>,
}

/// Runs `stim` against `model` alone for up to `cycles` cycles (fewer if
/// the stimulus finishes) and records inputs and outputs.
pub fn record<M: CycleModel, S: Stimulus>(
    model: &mut M,
    stim: &mut S,
    cycles: u64,
) -> IcarusRecording {
    let words = model.layout().total_words();
    let mut values = vec![0u64; words];
    let mut rec = IcarusRecording::default();
    model.outputs(&mut values);
    for cycle in 0..cycles {
        if stim.finished() {
            break;
        }
        stim.drive(cycle, &mut values);
        if let Some(message) = stim.fault() {
            rec.fault = Some((cycle, message));
            break;
        }
        rec.inputs.extend_from_slice(&values);
        model.tick(&values);
        model.outputs(&mut values);
        rec.outputs.extend_from_slice(&values);
        rec.cycles += 1;
    }
    rec
}

/// Where the tools are (the caller finds them; this crate never searches).
#[derive(Clone, Debug)]
pub struct IcarusOptions {
    pub iverilog: PathBuf,
    /// `vvp`; usually beside `iverilog`.
    pub vvp: PathBuf,
    /// Scratch directory for the testbench, vectors and the compiled image.
    pub work_dir: PathBuf,
    /// Wall-clock limit of the `vvp` run.
    pub timeout: Duration,
}

impl IcarusOptions {
    /// `vvp` taken from `iverilog`'s directory (else from `PATH`).
    pub fn new(iverilog: PathBuf, work_dir: PathBuf, timeout: Duration) -> Self {
        let vvp = iverilog
            .parent()
            .map(|d| d.join("vvp"))
            .filter(|p| p.exists())
            .unwrap_or_else(|| PathBuf::from("vvp"));
        Self {
            iverilog,
            vvp,
            work_dir,
            timeout,
        }
    }
}

/// One differing output port at the first mismatching cycle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IcarusDiff {
    pub port: String,
    /// Hex, as wide as the port (Icarus prints `x`/`z` digits as such).
    pub expected: String,
    pub actual: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IcarusMismatch {
    pub cycle: u64,
    pub ports: Vec<IcarusDiff>,
}

impl std::fmt::Display for IcarusMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Icarus mismatch at cycle {}:", self.cycle)?;
        for d in &self.ports {
            write!(f, " {} expected {} got {};", d.port, d.expected, d.actual)?;
        }
        Ok(())
    }
}

#[derive(Clone, Debug)]
pub struct IcarusReport {
    /// Cycles simulated (up to and including a mismatching one).
    pub cycles: u64,
    pub mismatch: Option<IcarusMismatch>,
    pub seconds: f64,
}

#[derive(Debug, thiserror::Error)]
pub enum IcarusError {
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("iverilog failed to compile the testbench of `{top}`:\n{log}")]
    Compile { top: String, log: String },
    #[error("vvp did not finish within {seconds} s on `{top}` (a livelock: simulated time stopped advancing, or too many cycles); last output:\n{log}")]
    Timeout {
        top: String,
        seconds: u64,
        log: String,
    },
    #[error("vvp ended without a verdict on `{top}`:\n{log}")]
    NoVerdict { top: String, log: String },
    #[error("port `{0}` of the layout is not a plain Verilog identifier")]
    Port(String),
    #[error("the recording is incomplete: at cycle {cycle} {message}")]
    Recording { cycle: u64, message: String },
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> IcarusError {
    let what = what.into();
    move |source| IcarusError::Io { what, source }
}

/// [`replay`] of the design directory `dir` (as `memforge generate`
/// writes it: `<top>.f` lists the RTL files), with the ports of `layout`
/// plus `clock`.
pub fn replay_dir(
    dir: &Path,
    top: &str,
    clock: &str,
    layout: &PortLayout,
    rec: &IcarusRecording,
    opts: &IcarusOptions,
) -> Result<IcarusReport, IcarusError> {
    let mut ports = vec![crate::cycle::PortSpec {
        name: clock.to_string(),
        input: true,
        width: 1,
    }];
    ports.extend(layout.ports.iter().cloned());
    let design = RtlDesign::from_dir(dir, top, ports).map_err(|e| IcarusError::Io {
        what: format!("reading the design in {}", dir.display()),
        source: std::io::Error::other(e.to_string()),
    })?;
    replay(&design, clock, layout, rec, opts)
}

/// Replays `rec` into `design` under Icarus (see the module docs).
pub fn replay(
    design: &RtlDesign,
    clock: &str,
    layout: &PortLayout,
    rec: &IcarusRecording,
    opts: &IcarusOptions,
) -> Result<IcarusReport, IcarusError> {
    if let Some((cycle, message)) = &rec.fault {
        return Err(IcarusError::Recording {
            cycle: *cycle,
            message: message.clone(),
        });
    }
    for p in &layout.ports {
        if p.name.is_empty()
            || !p
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(IcarusError::Port(p.name.clone()));
        }
    }
    let dir = &opts.work_dir;
    std::fs::create_dir_all(dir).map_err(io(format!("creating {}", dir.display())))?;
    let inputs: Vec<usize> = (0..layout.ports.len())
        .filter(|&i| layout.ports[i].input)
        .collect();
    let outputs: Vec<usize> = (0..layout.ports.len())
        .filter(|&i| !layout.ports[i].input)
        .collect();
    let words = layout.total_words();
    let write_hex = |name: &str, data: &[u64], ports: &[usize]| {
        let path = dir.join(name);
        let mut text = String::new();
        for c in 0..rec.cycles as usize {
            hex_line(&mut text, layout, &data[c * words..(c + 1) * words], ports);
        }
        std::fs::write(&path, text).map_err(io(format!("writing {}", path.display())))
    };
    write_hex("stimulus.hex", &rec.inputs, &inputs)?;
    write_hex("expected.hex", &rec.outputs, &outputs)?;
    let tb = testbench(&design.top, clock, layout, &inputs, &outputs, rec);
    let tb_path = dir.join("tb.v");
    std::fs::write(&tb_path, tb).map_err(io(format!("writing {}", tb_path.display())))?;

    let image = dir.join("tb.vvp");
    // Both runs go through the one runner every external call uses: own
    // process group, time limit, the group killed when it passes.
    let compiled = process::run(
        Command::new(&opts.iverilog)
            .current_dir(dir)
            .arg("-g2005")
            .arg("-o")
            .arg(&image)
            .arg("-s")
            .arg("memforge_tb")
            .arg(&tb_path)
            .args(&design.files),
        opts.timeout,
    )
    .map_err(io(format!("running {}", opts.iverilog.display())))?;
    if !compiled.success() {
        return Err(IcarusError::Compile {
            top: design.top.clone(),
            log: compiled.text(),
        });
    }
    let ran = process::run(
        Command::new(&opts.vvp)
            .current_dir(dir)
            .arg("-n")
            .arg(&image),
        opts.timeout,
    )
    .map_err(io(format!("running {}", opts.vvp.display())))?;
    let log = ran.text();
    let log_path = dir.join("vvp.log");
    std::fs::write(&log_path, &log).map_err(io(format!("writing {}", log_path.display())))?;
    if ran.status.is_none() {
        let tail: Vec<&str> = log.lines().rev().take(20).collect();
        return Err(IcarusError::Timeout {
            top: design.top.clone(),
            seconds: opts.timeout.as_secs(),
            log: tail.into_iter().rev().collect::<Vec<_>>().join("\n"),
        });
    }
    parse_log(&design.top, &log, ran.wall.as_secs_f64())
}

fn parse_log(top: &str, log: &str, seconds: f64) -> Result<IcarusReport, IcarusError> {
    let mut diffs = Vec::new();
    for line in log.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        match f.as_slice() {
            ["MEMFORGE_DIFF", _cycle, port, exp, act] => diffs.push(IcarusDiff {
                port: port.to_string(),
                expected: exp.to_string(),
                actual: act.to_string(),
            }),
            ["MEMFORGE_FAIL", cycle] => {
                let cycle: u64 = cycle.parse().unwrap_or(0);
                return Ok(IcarusReport {
                    cycles: cycle + 1,
                    mismatch: Some(IcarusMismatch {
                        cycle,
                        ports: diffs,
                    }),
                    seconds,
                });
            }
            ["MEMFORGE_PASS", cycles] => {
                return Ok(IcarusReport {
                    cycles: cycles.parse().unwrap_or(0),
                    mismatch: None,
                    seconds,
                })
            }
            _ => {}
        }
    }
    Err(IcarusError::NoVerdict {
        top: top.to_string(),
        log: log.lines().rev().take(20).collect::<Vec<_>>().join("\n"),
    })
}

fn total_width(layout: &PortLayout, ports: &[usize]) -> usize {
    ports
        .iter()
        .map(|&i| layout.ports[i].width as usize)
        .sum::<usize>()
        .max(1)
}

/// One `$readmemh` line: `ports` concatenated, the first in the MSBs.
fn hex_line(out: &mut String, layout: &PortLayout, values: &[u64], ports: &[usize]) {
    let width = total_width(layout, ports);
    let mut bits = vec![false; width.div_ceil(4) * 4];
    let mut lo = 0;
    for &i in ports.iter().rev() {
        let w = layout.ports[i].width as usize;
        let words = &values[layout.range(i)];
        for b in 0..w {
            bits[lo + b] = (words[b / 64] >> (b % 64)) & 1 == 1;
        }
        lo += w;
    }
    for nibble in (0..bits.len() / 4).rev() {
        let v = (0..4).fold(0u32, |acc, k| acc | (bits[nibble * 4 + k] as u32) << k);
        out.push(char::from_digit(v, 16).unwrap());
    }
    out.push('\n');
}

fn decl(w: u32) -> String {
    if w == 1 {
        String::new()
    } else {
        format!("[{}:0] ", w - 1)
    }
}

fn testbench(
    top: &str,
    clock: &str,
    layout: &PortLayout,
    inputs: &[usize],
    outputs: &[usize],
    rec: &IcarusRecording,
) -> String {
    let in_w = total_width(layout, inputs);
    let out_w = total_width(layout, outputs);
    let n = rec.cycles.max(1);
    let mut t = String::new();
    let _ = writeln!(
        t,
        "// Generated by memforge: replays a recorded lock-step stimulus into `{top}`"
    );
    let _ = writeln!(
        t,
        "// and compares every output with the golden model every cycle."
    );
    let _ = writeln!(t, "`timescale 1ns/1ns");
    let _ = writeln!(t, "module memforge_tb;");
    let _ = writeln!(t, "    reg {clock};");
    for &i in inputs {
        let p = &layout.ports[i];
        let _ = writeln!(t, "    reg {}{};", decl(p.width), p.name);
    }
    for &i in outputs {
        let p = &layout.ports[i];
        let _ = writeln!(t, "    wire {}{};", decl(p.width), p.name);
    }
    let _ = writeln!(t, "    reg [{}:0] stimulus [0:{}];", in_w - 1, n - 1);
    let _ = writeln!(t, "    reg [{}:0] expected [0:{}];", out_w - 1, n - 1);
    let _ = writeln!(t, "    reg [{}:0] want;", out_w - 1);
    let _ = writeln!(t, "    integer cycle;");
    let _ = writeln!(t);
    let _ = writeln!(t, "    {top} dut(");
    let mut conns = vec![format!("        .{clock}({clock})")];
    for p in &layout.ports {
        conns.push(format!("        .{}({})", p.name, p.name));
    }
    let _ = writeln!(t, "{}", conns.join(",\n"));
    let _ = writeln!(t, "    );");
    let _ = writeln!(t);
    let cat = |ports: &[usize]| -> String {
        if ports.is_empty() {
            "want[0]".into()
        } else {
            let names: Vec<&str> = ports
                .iter()
                .map(|&i| layout.ports[i].name.as_str())
                .collect();
            format!("{{{}}}", names.join(", "))
        }
    };
    let _ = writeln!(t, "    initial begin");
    let _ = writeln!(t, "        $readmemh(\"stimulus.hex\", stimulus);");
    let _ = writeln!(t, "        $readmemh(\"expected.hex\", expected);");
    let _ = writeln!(t, "        {clock} = 1'b0;");
    let _ = writeln!(
        t,
        "        for (cycle = 0; cycle < {}; cycle = cycle + 1) begin",
        rec.cycles
    );
    if !inputs.is_empty() {
        let _ = writeln!(t, "            #1 {} = stimulus[cycle];", cat(inputs));
    } else {
        let _ = writeln!(t, "            #1;");
    }
    let _ = writeln!(t, "            #4 {clock} = 1'b1;");
    let _ = writeln!(t, "            #4 want = expected[cycle];");
    if !outputs.is_empty() {
        let _ = writeln!(
            t,
            "            if (cycle >= {} && {} !== want) begin",
            rec.compare_from,
            cat(outputs)
        );
        let mut lo = out_w;
        for &i in outputs {
            let p = &layout.ports[i];
            let hi = lo - 1;
            lo -= p.width as usize;
            let _ = writeln!(
                t,
                "                if ({} !== want[{hi}:{lo}]) $display(\"MEMFORGE_DIFF %0d {} %h %h\", cycle, want[{hi}:{lo}], {});",
                p.name, p.name, p.name
            );
        }
        let _ = writeln!(t, "                $display(\"MEMFORGE_FAIL %0d\", cycle);");
        let _ = writeln!(t, "                $finish;");
        let _ = writeln!(t, "            end");
    }
    let _ = writeln!(t, "            #1 {clock} = 1'b0;");
    let _ = writeln!(t, "        end");
    let _ = writeln!(t, "        $display(\"MEMFORGE_PASS %0d\", cycle);");
    let _ = writeln!(t, "        $finish;");
    let _ = writeln!(t, "    end");
    let _ = writeln!(t, "endmodule");
    t
}

/// The work directory for a named run under `root` (a helper for tests).
pub fn work_dir(root: &Path, name: &str) -> PathBuf {
    root.join(format!("icarus-{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::PortSpec;

    #[test]
    fn hex_lines_put_the_first_port_in_the_msbs() {
        let l = PortLayout::new(vec![
            PortSpec {
                name: "a".into(),
                input: true,
                width: 4,
            },
            PortSpec {
                name: "b".into(),
                input: true,
                width: 70,
            },
        ]);
        let mut values = vec![0u64; l.total_words()];
        values[0] = 0xa;
        values[1] = 0x1;
        values[2] = 0x3f; // bits 64..69 of b
        let mut s = String::new();
        hex_line(&mut s, &l, &values, &[0, 1]);
        // 74 bits -> 19 digits: a (4 bits) above b (70 bits).
        let want: u128 = (0xa << 70) | (0x3f << 64) | 1;
        assert_eq!(s, format!("{want:019x}\n"));
    }

    #[test]
    fn verdicts_are_parsed() {
        let r = parse_log("t", "MEMFORGE_DIFF 7 q 01 00\nMEMFORGE_FAIL 7\n", 0.1).unwrap();
        let m = r.mismatch.unwrap();
        assert_eq!(m.cycle, 7);
        assert_eq!(m.ports[0].port, "q");
        assert_eq!(r.cycles, 8);
        let r = parse_log("t", "VCD info\nMEMFORGE_PASS 100\n", 0.1).unwrap();
        assert!(r.mismatch.is_none());
        assert_eq!(r.cycles, 100);
        assert!(parse_log("t", "", 0.1).is_err());
    }
}

//! The tile variants around the seed papers' analog neurons
//! (`[neuron] kind = "mif" | "pnn"`, `docs/seed_circuits.md`, "Tile
//! variants"): their timing in clock cycles, their register map, their
//! port contract and the checks that refuse LIF-only settings.
//!
//! Both variants share one digital periphery (no ADC lanes): AER input
//! events become row pulses of `pulse_ns` at the start of each `step_ns`
//! step, a comparator bit per column from the analog macro is turned into
//! AER output events (edge detect, then `hold` cycles in which the column
//! is blanked), and the register file. The PNN variant also drives each
//! column's reset switch for those `hold` cycles.

use crate::config::{DesignConfig, InputEncoding, NeuronKind, NeuronSection, TileSection};
use crate::derived::AER_ADDR_BITS;
use crate::error::{Problem, Shown};
use crate::ports::{Dir, PortContract, Role};
use crate::regmap::{Access, Register, RegisterMap, ID_MAGIC};

/// Register-map version of the variants (the `id` register's low half is
/// `0x0100 | kind`, 1 MIF, 2 PNN, so software tells them from the LIF
/// tile's map).
pub const SEED_MAP_VERSION: u32 = 0x0100;

/// Bits of the variants' `status` register.
pub mod status {
    pub const IN_NONEMPTY: u32 = 0;
    pub const IN_FULL: u32 = 1;
    pub const OUT_NONEMPTY: u32 = 2;
    pub const OUT_FULL: u32 = 3;
    /// Some column has a detected spike not yet queued.
    pub const PENDING: u32 = 4;
    /// Some column is blanked (PNN: its reset switch is closed).
    pub const BLANKED: u32 = 5;
    pub const BITS: u32 = 6;
}

/// The kind code in `id` and `geometry`.
pub fn kind_code(kind: NeuronKind) -> u32 {
    match kind {
        NeuronKind::Lif => 0,
        NeuronKind::Mif => 1,
        NeuronKind::Pnn => 2,
    }
}

/// The analog step and pulse of a variant (ns), from its section.
fn step_pulse_ns(n: &NeuronSection) -> Option<(f64, f64, &'static str)> {
    match n.kind {
        NeuronKind::Lif => None,
        NeuronKind::Mif => n
            .mif
            .as_ref()
            .map(|m| (m.step_ns, m.pulse_ns, "neuron.mif")),
        NeuronKind::Pnn => n
            .pnn
            .as_ref()
            .map(|p| (p.step_ns, p.pulse_ns, "neuron.pnn")),
    }
}

/// A variant's timing in clock cycles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
    /// Cycles per input step (`step_ns / clock_period_ns`).
    pub step_cycles: u32,
    /// Cycles a row pulse lasts (`pulse_ns / clock_period_ns`).
    pub pulse_cycles: u32,
}

/// The timing of a (valid) variant config; `None` for the LIF tile.
pub fn timing(cfg: &DesignConfig) -> Option<Timing> {
    let (step, pulse, _) = step_pulse_ns(&cfg.neuron)?;
    let t = cfg.flow.clock_period_ns;
    Some(Timing {
        step_cycles: (step / t).round() as u32,
        pulse_cycles: (pulse / t).round() as u32,
    })
}

/// The register map of a variant tile.
pub fn register_map(cfg: &DesignConfig) -> RegisterMap {
    let t = &cfg.tile;
    let kind = kind_code(cfg.neuron.kind);
    let tm = timing(cfg).unwrap_or(Timing {
        step_cycles: 2,
        pulse_cycles: 1,
    });
    let geometry = (t.rows - 1).min(255) | ((t.cols - 1).min(255) << 8) | (kind << 16);
    let r = Register::new;
    let registers = vec![
        r("id", 0x00, Access::Const, 32, ID_MAGIC | SEED_MAP_VERSION | kind,
            "\"MF\" in [31:16]; [15:0] 0x0100 plus the kind (1 MIF, 2 PNN): a tile variant without ADC lanes."),
        r("geometry", 0x04, Access::Const, 32, geometry,
            "rows-1 [7:0], cols-1 [15:8], kind [17:16] (1 MIF, 2 PNN)."),
        r("ctrl", 0x08, Access::Rw, 1, 0,
            "[0] run: input steps run and events are taken from the input FIFO (clear: no pulses, the step timer at 0)."),
        r("step_period", 0x0c, Access::Rw, 16, tm.step_cycles.saturating_sub(1),
            "Cycles per input step, minus one (reset: step_ns / clock_period_ns - 1)."),
        r("pulse_len", 0x10, Access::Rw, 16, tm.pulse_cycles,
            "Cycles a row pulse lasts from the step's start (reset: pulse_ns / clock_period_ns)."),
        r("hold", 0x14, Access::Rw, 8, cfg.neuron.refractory,
            "Cycles a column is blanked after a detected spike (PNN: its reset switch is closed for them)."),
        r("scratch", 0x18, Access::Rw, 32, 0,
            "Free for software (bus tests, bring-up)."),
        r("status", 0x1c, Access::Ro, status::BITS, 0,
            "[0] input FIFO not empty, [1] input FIFO full, [2] output FIFO not empty, [3] output FIFO full, [4] a detected spike waits for the output FIFO, [5] a column is blanked (PNN: its reset switch is closed)."),
        r("dropped", 0x20, Access::Ro, 16, 0,
            "AER input events dropped because their row is >= rows (saturating)."),
        r("overrun", 0x24, Access::Ro, 16, 0,
            "Cycles in which a detected spike found its column's previous spike still waiting (merged; saturating)."),
        r("spikes", 0x28, Access::Ro, 16, 0,
            "Output events queued (wrapping)."),
        r("cmd", 0x2c, Access::Pulse, 1, 0,
            "Write-1 strobe: [0] clear `dropped`, `overrun` and `spikes`; reads as 0."),
    ];
    RegisterMap {
        base_address: cfg.bus.base_address,
        registers,
    }
}

/// The name of row `i`'s pulse port.
pub fn pulse_port(i: u32) -> String {
    format!("xbar_pulse__{i}")
}

/// The name of column `j`'s comparator input.
pub fn spike_port(j: u32) -> String {
    format!("xbar_spike__{j}")
}

/// The name of column `j`'s reset-switch output (PNN).
pub fn reset_port(j: u32) -> String {
    format!("xbar_reset__{j}")
}

/// The top-level ports of a variant tile, in RTL order.
pub fn contract(cfg: &DesignConfig) -> PortContract {
    let a = AER_ADDR_BITS;
    let mut c = PortContract::new()
        .port(
            crate::blocks::tile::CLOCK,
            Dir::In,
            1,
            Role::Clock,
            "clock; inputs are sampled at its rising edge",
        )
        .port(
            crate::blocks::tile::RESET,
            Dir::In,
            1,
            Role::ResetRequest,
            "active-high reset request, synchronized inside like the LIF tile's",
        )
        .wishbone_slave()
        .port(
            "aer_in_addr",
            Dir::In,
            a,
            Role::AerIn,
            "row of an input spike event",
        )
        .port(
            "aer_in_valid",
            Dir::In,
            1,
            Role::AerIn,
            "an event is offered",
        )
        .port(
            "aer_in_ready",
            Dir::Out,
            1,
            Role::AerIn,
            "the input FIFO is not full",
        )
        .port(
            "aer_out_addr",
            Dir::Out,
            a,
            Role::AerOut,
            "column of an output spike",
        )
        .port(
            "aer_out_valid",
            Dir::Out,
            1,
            Role::AerOut,
            "a spike is offered (output FIFO not empty)",
        )
        .port(
            "aer_out_ready",
            Dir::In,
            1,
            Role::AerOut,
            "the receiver takes the spike at an edge where `valid & ready`",
        );
    for i in 0..cfg.tile.rows {
        c = c.port(
            &pulse_port(i),
            Dir::Out,
            1,
            Role::Macro,
            &format!("row {i}'s pulse driver: high while the row is pulsed"),
        );
    }
    for j in 0..cfg.tile.cols {
        c = c.port(
            &spike_port(j),
            Dir::In,
            1,
            Role::Macro,
            &format!("column {j}'s comparator, synchronous to the clock (MIF: load voltage >= spike_level; PNN: membrane >= v_th)"),
        );
    }
    if cfg.neuron.kind == NeuronKind::Pnn {
        for j in 0..cfg.tile.cols {
            c = c.port(
                &reset_port(j),
                Dir::Out,
                1,
                Role::Macro,
                &format!("column {j}'s reset switch: closed while high"),
            );
        }
    }
    c
}

fn fail(out: &mut Vec<Problem>, path: &str, value: impl Shown, rule: impl Into<String>) {
    out.push(Problem {
        path: path.into(),
        value: value.shown(),
        rule: rule.into(),
    });
}

/// The problems of a config's neuron kind: a variant's own section must be
/// there and fit the tile, and settings that only mean something for the
/// LIF tile (ADC lanes, digital thresholds, learning, Caravel) are refused
/// rather than silently ignored.
pub fn validate_kind(cfg: &DesignConfig, out: &mut Vec<Problem>) {
    let n = &cfg.neuron;
    let kind = n.kind.name();
    let (own, other, other_name) = match n.kind {
        NeuronKind::Lif => {
            for (set, path) in [
                (n.mif.is_some(), "neuron.mif"),
                (n.pnn.is_some(), "neuron.pnn"),
            ] {
                if set {
                    fail(out, path, "(a section)", "only with neuron.kind = \"mif\" / \"pnn\"; the LIF tile has no analog neuron");
                }
            }
            return;
        }
        NeuronKind::Mif => (n.mif.is_some(), n.pnn.is_some(), "neuron.pnn"),
        NeuronKind::Pnn => (n.pnn.is_some(), n.mif.is_some(), "neuron.mif"),
    };
    if !own {
        fail(
            out,
            "neuron.kind",
            kind,
            format!("needs its circuit in [neuron.{kind}]"),
        );
    }
    if other {
        fail(
            out,
            other_name,
            "(a section)",
            format!("makes no sense with neuron.kind = \"{kind}\""),
        );
    }
    let lif = NeuronSection::default();
    let tile = TileSection::default();
    let no_adc = format!(
        "makes no sense with neuron.kind = \"{kind}\" (no ADC lanes, no digital neuron); remove it"
    );
    if cfg.tile.input_encoding != InputEncoding::Spike {
        fail(
            out,
            "tile.input_encoding",
            "pwm",
            format!("must be \"spike\" with neuron.kind = \"{kind}\" (inputs are row pulses)"),
        );
    }
    for (path, v, d) in [
        ("tile.adc_bits", cfg.tile.adc_bits, tile.adc_bits),
        ("tile.adc_share", cfg.tile.adc_share, tile.adc_share),
        ("neuron.threshold", n.threshold, lif.threshold),
        ("neuron.leak", n.leak, lif.leak),
    ] {
        if v != d {
            fail(out, path, v, no_adc.clone());
        }
    }
    if n.reset != lif.reset {
        fail(out, "neuron.reset", "subtract", no_adc.clone());
    }
    if !cfg.learning.is_default() {
        fail(
            out,
            "learning",
            "(a section)",
            format!("on-chip learning needs the LIF tile, not neuron.kind = \"{kind}\""),
        );
    }
    if cfg.caravel.is_some() {
        fail(
            out,
            "caravel",
            "(a section)",
            format!("the Caravel wrapper is for the LIF tile only, not neuron.kind = \"{kind}\""),
        );
    }
    if cfg.flow.clock_gating {
        fail(
            out,
            "flow.clock_gating",
            "true",
            format!("gates the LIF neurons' state; neuron.kind = \"{kind}\" has none"),
        );
    }
    if n.kind == NeuronKind::Pnn && n.refractory == 0 {
        fail(
            out,
            "neuron.refractory",
            0,
            "the PNN tile holds a column's reset switch for neuron.refractory cycles: must be >= 1",
        );
    }
    // The circuit's own checks, with its paths under [neuron].
    let prefixed = |ps: Vec<Problem>| {
        ps.into_iter().map(|p| Problem {
            path: format!("neuron.{}", p.path),
            ..p
        })
    };
    if let (NeuronKind::Mif, Some(m)) = (n.kind, &n.mif) {
        out.extend(prefixed(super::mif::validate(&super::mif::MifConfig {
            mif: m.clone(),
        })));
        for (path, v, want, what) in [
            ("neuron.mif.inputs", m.inputs, cfg.tile.rows, "tile.rows"),
            ("neuron.mif.neurons", m.neurons, cfg.tile.cols, "tile.cols"),
        ] {
            if v != want {
                fail(out, path, v, format!("must equal {what} = {want}"));
            }
        }
    }
    if let (NeuronKind::Pnn, Some(p)) = (n.kind, &n.pnn) {
        out.extend(prefixed(super::pnn::validate(&super::pnn::PnnConfig {
            pnn: p.clone(),
        })));
        if p.inputs != cfg.tile.rows {
            fail(
                out,
                "neuron.pnn.inputs",
                p.inputs,
                format!("must equal tile.rows = {}", cfg.tile.rows),
            );
        }
    }
    if let Some((step, pulse, sec)) = step_pulse_ns(n) {
        let t = cfg.flow.clock_period_ns;
        for (field, ns, lo) in [("step_ns", step, 2.0), ("pulse_ns", pulse, 1.0)] {
            let cycles = ns / t;
            if !(cycles.is_finite()
                && (cycles - cycles.round()).abs() < 1e-6
                && (lo..=65536.0).contains(&cycles.round()))
            {
                fail(
                    out,
                    &format!("{sec}.{field}"),
                    ns,
                    format!("must be a whole number (>= {lo}) of flow.clock_period_ns = {} clock cycles", t.shown()),
                );
            }
        }
    }
}

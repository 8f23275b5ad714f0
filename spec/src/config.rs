//! The TOML schema of a design. Every section rejects unknown fields, so a
//! typo is an error rather than a silently ignored setting.

use serde::{Deserialize, Serialize};

/// A complete design description, as read from `examples/*.toml`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DesignConfig {
    pub design: DesignSection,
    #[serde(default)]
    pub bus: BusSection,
    #[serde(default)]
    pub tile: TileSection,
    #[serde(default)]
    pub neuron: NeuronSection,
    #[serde(default)]
    pub program: ProgramSection,
    #[serde(default)]
    pub flow: FlowSection,
    #[serde(default)]
    pub analog: crate::analog::AnalogSection,
    /// On-chip learning (`rule = "none"` by default: inference only).
    #[serde(
        default,
        skip_serializing_if = "crate::learning::LearningSection::is_default"
    )]
    pub learning: crate::learning::LearningSection,
    /// The tile inside Caravel's `user_project_wrapper` (absent: no wrapper).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caravel: Option<crate::caravel::CaravelSection>,
}

/// Which kind of device the RTL is for. ASIC output has real resets and no
/// `initial` blocks; FPGA output additionally carries power-up values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    #[default]
    Asic,
    Fpga,
}

/// How every flip-flop is reset. Both are active-low (`rst_n`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ResetStyle {
    /// `always @(posedge clk or negedge rst_n)`: the ASIC default.
    #[default]
    Async,
    /// `always @(posedge clk)` with `if (!rst_n)` inside.
    Sync,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DesignSection {
    /// Name of the top module and prefix of every module (a C identifier).
    pub name: String,
    #[serde(default)]
    pub target: Target,
    #[serde(default)]
    pub reset: ResetStyle,
    /// The block family the file describes (`memforge cosim --help` lists
    /// them); absent means `tile`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<String>,
}

/// The Wishbone slave through which software reaches the tile.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BusSection {
    /// Byte address of register 0. Caravel's user area starts at 0x3000_0000.
    pub base_address: u32,
}

impl Default for BusSection {
    fn default() -> Self {
        Self {
            base_address: 0x3000_0000,
        }
    }
}

/// How a row of the crossbar is driven during a read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum InputEncoding {
    /// One binary spike per row event: the word line is pulsed once.
    #[default]
    Spike,
    /// A multi-bit input per row, applied bit-serially as pulse widths and
    /// recombined by shift-add in the column readout.
    Pwm,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TileSection {
    /// Crossbar rows (inputs, word lines).
    pub rows: u32,
    /// Crossbar columns (neurons, bit lines).
    pub cols: u32,
    pub input_encoding: InputEncoding,
    /// Bits of a multi-bit input (1 for spikes).
    pub input_bits: u32,
    /// Resolution of each column ADC.
    pub adc_bits: u32,
    /// Columns served by one time-multiplexed ADC.
    pub adc_share: u32,
    /// Depth of the AER input FIFO (events).
    pub in_fifo_depth: u32,
    /// Depth of the AER output FIFO (spikes).
    pub out_fifo_depth: u32,
}

impl Default for TileSection {
    fn default() -> Self {
        Self {
            rows: 8,
            cols: 8,
            input_encoding: InputEncoding::Spike,
            input_bits: 1,
            adc_bits: 6,
            adc_share: 1,
            in_fifo_depth: 8,
            out_fifo_depth: 8,
        }
    }
}

/// What a neuron does to its membrane potential after it fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum NeuronReset {
    #[default]
    Zero,
    Subtract,
}

/// Reset values of the digital LIF neuron parameters (software may change
/// them through the register file).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NeuronSection {
    /// Firing threshold on the 16-bit membrane potential.
    pub threshold: u32,
    /// Amount subtracted from a positive potential each leak tick.
    pub leak: u32,
    /// Cycles a neuron ignores input after a spike.
    pub refractory: u32,
    pub reset: NeuronReset,
    /// Which neuron the tile is built around (`docs/seed_circuits.md`,
    /// "Tile variants"): the digital LIF (default), or an analog neuron
    /// of the seed papers whose digital periphery has no ADC lanes.
    #[serde(skip_serializing_if = "NeuronKind::is_lif")]
    pub kind: NeuronKind,
    /// The analog MIF layer the `kind = "mif"` tile surrounds (its
    /// circuit values; the co-simulation plays it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mif: Option<crate::seed::mif::MifSection>,
    /// The charge-domain column of the `kind = "pnn"` tile (one per tile
    /// column).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pnn: Option<crate::seed::pnn::PnnSection>,
}

/// The neuron of a tile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum NeuronKind {
    /// Digital LIF neurons behind ADC lanes (the tile of `docs/tile.md`).
    #[default]
    Lif,
    /// The memristive integrate-and-fire layer (after MEMprop): spikes
    /// come from the crossbar's threshold-switching neurons.
    Mif,
    /// The charge-domain IMC column (Sakemi et al.): a comparator per
    /// column, the periphery drives its reset switch.
    Pnn,
}

impl NeuronKind {
    pub fn is_lif(&self) -> bool {
        *self == NeuronKind::Lif
    }

    /// The name in the config.
    pub fn name(self) -> &'static str {
        match self {
            NeuronKind::Lif => "lif",
            NeuronKind::Mif => "mif",
            NeuronKind::Pnn => "pnn",
        }
    }
}

impl Default for NeuronSection {
    fn default() -> Self {
        Self {
            threshold: 64,
            leak: 1,
            refractory: 2,
            reset: NeuronReset::Zero,
            kind: NeuronKind::Lif,
            mif: None,
            pnn: None,
        }
    }
}

/// Write-verify programming of crossbar cells.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProgramSection {
    /// Pulses applied before a cell is declared failed.
    pub max_pulses: u32,
    /// Half-width of the accept band around the target, in ADC codes.
    pub tolerance: u32,
    /// Pulse width code sent to the macro (units of the macro's pulse clock).
    pub pulse_width: u32,
    /// Pulse amplitude code sent to the macro.
    pub pulse_amplitude: u32,
}

impl Default for ProgramSection {
    fn default() -> Self {
        Self {
            max_pulses: 32,
            tolerance: 1,
            pulse_width: 4,
            pulse_amplitude: 8,
        }
    }
}

/// Timing and floorplan intent used by the constraint templates and the flow
/// runners. The defaults are OpenLane's sky130 defaults where one exists, so a
/// design constrained by memforge behaves like any other OpenLane design.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FlowSection {
    /// Target clock period in ns.
    pub clock_period_ns: f64,
    /// Input and output delay as a percentage of the clock period: the share
    /// of the cycle the logic outside the tile (Caravel's bus, the AER
    /// neighbours) is assumed to use. OpenLane's `IO_DELAY_CONSTRAINT` default: 20.
    pub io_delay_pct: f64,
    /// Transition time at every non-clock input, ns.
    pub input_transition_ns: f64,
    /// Capacitive load on every output, fF. OpenLane's sky130 `OUTPUT_CAP_LOAD`: 33.442.
    pub output_load_ff: f64,
    /// Clock jitter/skew margin, ns. OpenLane's sky130 `CLOCK_UNCERTAINTY_CONSTRAINT`: 0.25.
    pub clock_uncertainty_ns: f64,
    /// Core utilisation (%) for relative floorplan sizing (`FP_CORE_UTIL`);
    /// ignored when `die_area_um` is set.
    pub core_util_pct: f64,
    /// Absolute die area `[x0, y0, x1, y1]` in µm (`DIE_AREA`); when set the
    /// floorplan is sized absolutely instead of by utilisation.
    pub die_area_um: Option<[f64; 4]>,
    /// The analog crossbar as a hard macro, for a flow that hardens the
    /// periphery together with the macro. Absent: the periphery is hardened
    /// alone and its `xbar_*` pins face the side where the macro will sit.
    pub xbar_macro: Option<XbarMacro>,
    /// Clock gating of the neurons' state (ASIC targets): each neuron's
    /// potential and refractory counter are clocked through an integrated
    /// clock gate (`sky130_fd_sc_hd__dlclkp_1` in synthesis) instead of
    /// holding their value through a feedback mux; FPGA targets get plain
    /// enable flip-flops. Off by default: it changes the RTL, and the
    /// hardening flow (clock tree synthesis through the gates) has not been
    /// run with it yet (`docs/flows.md`, "Clock gating").
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub clock_gating: bool,
}

impl Default for FlowSection {
    fn default() -> Self {
        Self {
            clock_period_ns: 10.0,
            io_delay_pct: 20.0,
            input_transition_ns: 0.15,
            output_load_ff: 33.442,
            clock_uncertainty_ns: 0.25,
            core_util_pct: 40.0,
            die_area_um: None,
            xbar_macro: None,
            clock_gating: false,
        }
    }
}

/// A hardened analog crossbar supplied by the user (memforge generates the
/// digital periphery only). Relative paths are relative to the generated
/// design directory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct XbarMacro {
    /// Module (and LEF macro) name of the crossbar.
    pub module: String,
    /// Abstract view (LEF) of the hardened macro.
    pub lef: String,
    /// Layout (GDS) of the hardened macro.
    pub gds: String,
    /// Timing model (Liberty), if the macro has one; without it the macro is
    /// a black box for timing.
    #[serde(default)]
    pub lib: Option<String>,
    /// Instance name of the macro inside the RTL, to place it at `location_um`.
    #[serde(default)]
    pub instance: Option<String>,
    /// Lower-left corner of the placed instance, µm.
    #[serde(default)]
    pub location_um: Option<[f64; 2]>,
    /// Orientation of the placed instance: N, S, FN or FS.
    #[serde(default = "default_orientation")]
    pub orientation: String,
}

fn default_orientation() -> String {
    "N".into()
}

//! The Verilog emitter: rust-hdl blocks in, ASIC-clean module files out.
//!
//! Pipeline (each step its own file):
//! 1. rust-hdl's structural checks (`check_all`): failures become errors.
//! 2. rust-hdl's `generate_verilog_unchecked`: one module per instance.
//! 3. [`parse`]: split into modules, read declared widths.
//! 4. [`lower`]: width-exact casts and literals (Verilator `-Wall` clean).
//! 5. [`inline`]: `Reg` flip-flops become `always` blocks in their parents.
//! 6. [`naming`]: identical modules merged, readable `<design>_<field>` names,
//!    the top named after the design.
//!    A clock-gated register's gate becomes `<design>_icg` ([`icg`]).
//! 7. [`rename`]: `$` becomes `__`, collision-checked.
//! 8. [`comb`]: combinational blocks assign each signal once per evaluation;
//!    clocks, resets and constants become continuous assignments (wires), so
//!    event-driven simulators (Icarus) run the RTL as Verilator does.
//! 9. [`write`]: one file per module, filelist, manifest, written atomically.

pub mod comb;
pub mod icg;
pub mod inline;
pub mod lower;
pub mod naming;
pub mod nested;
pub mod parse;
pub mod port;
pub mod rename;
pub mod write;

pub use port::{Port, PortDir};
pub use write::{write_design, WriteError};

use rust_hdl::core::check_error::check_all;
use rust_hdl::prelude::{generate_verilog_unchecked, Block};

/// Version of the rust-hdl crate the RTL was generated with (for manifests).
pub const RUST_HDL_VERSION: &str = "0.46";

#[derive(Debug, thiserror::Error)]
pub enum EmitError {
    #[error("rust-hdl structural check failed for design `{design}`: {detail}")]
    Structural { design: String, detail: String },
    #[error("module `{module}`: {source}")]
    Lower {
        module: String,
        #[source]
        source: lower::LowerError,
    },
    #[error(transparent)]
    Rename(#[from] rename::Collision),
    #[error(transparent)]
    Comb(#[from] comb::CombError),
    #[error("design `{design}`: a module is already named `{design}_icg`, the clock gate's name")]
    IcgName { design: String },
    #[error("generated module `{module}` still contains {what}")]
    Unclean { module: String, what: String },
}

/// One generated module, ready to be written to `rtl/<name>.v`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleFile {
    pub name: String,
    pub text: String,
}

/// A whole generated design.
#[derive(Clone, Debug)]
pub struct Emitted {
    pub design: String,
    /// Modules sorted by name; the top is the one named `design`.
    pub modules: Vec<ModuleFile>,
    pub ports: Vec<Port>,
    /// Files written beside the RTL but not part of the synthesized
    /// filelist, as (relative path, contents): e.g. the crossbar macro's
    /// blackbox stub and its behavioral simulation model.
    pub aux: Vec<(String, String)>,
}

impl Emitted {
    pub fn top(&self) -> Option<&ModuleFile> {
        self.modules.iter().find(|m| m.name == self.design)
    }
}

/// Emits `uut` as the top module `design`. `allow_initial` is true only for
/// FPGA targets.
pub fn emit<B: Block>(uut: &B, design: &str, allow_initial: bool) -> Result<Emitted, EmitError> {
    check_all(uut).map_err(|e| EmitError::Structural {
        design: design.to_string(),
        detail: format!("{e:?}"),
    })?;
    let raw = generate_verilog_unchecked(uut);
    let mut modules = Vec::new();
    for m in parse::split_modules(&raw) {
        let widths = parse::declared_widths(&m.text);
        let text = nested::flatten_child_indices(&m.text, &widths);
        let text = lower::lower_casts(&text, &widths).map_err(|source| EmitError::Lower {
            module: m.name.clone(),
            source,
        })?;
        modules.push(parse::Module { name: m.name, text });
    }
    let modules = inline::inline_regs(modules);
    let modules = naming::name_modules(modules, design);
    let modules = icg::add_module(modules, design).ok_or_else(|| EmitError::IcgName {
        design: design.to_string(),
    })?;
    let mut files = Vec::new();
    for m in modules {
        let text = rename::dollar_free(&m.name, &m.text)?;
        let text = comb::settle(&m.name, &text)?;
        let text = tidy(&text);
        if text.contains('$') {
            return Err(EmitError::Unclean {
                module: m.name,
                what: "a `$`".into(),
            });
        }
        if !allow_initial && text.contains("initial") {
            return Err(EmitError::Unclean {
                module: m.name,
                what: "an `initial` block (not allowed in ASIC output)".into(),
            });
        }
        files.push(ModuleFile { name: m.name, text });
    }
    let ports = files
        .iter()
        .find(|f| f.name == design)
        .map(|top| port::top_ports(&top.text))
        .unwrap_or_default();
    Ok(Emitted {
        design: design.to_string(),
        modules: files,
        ports,
        aux: Vec::new(),
    })
}

/// Trailing spaces off, runs of blank lines folded, one final newline.
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_start_matches('\n').to_string()
}

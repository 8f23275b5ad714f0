//! A block emitted as a design directory the Verilator bridge can build
//! (exactly what `memforge generate` writes), and the emitter's port list
//! translated into the bridge's.

use crate::blocks::{generate_files, BlockDesign};
use anyhow::{Context, Result};
use memforge_hdl::emit::{write_design, Port, PortDir};
use memforge_sim::cycle::PortSpec;
use memforge_sim::verilator::RtlDesign;
use std::path::Path;

/// The emitter's ports as the bridge's.
pub fn port_specs(ports: &[Port]) -> Vec<PortSpec> {
    ports
        .iter()
        .map(|p| PortSpec {
            name: p.name.clone(),
            input: p.dir == PortDir::Input,
            width: p.width,
        })
        .collect()
}

/// Writes the design directory of `design` into `dir` and describes it for
/// the Verilator bridge.
pub fn write_rtl(design: &dyn BlockDesign, dir: &Path) -> Result<RtlDesign> {
    write_rtl_edited(design, dir, |_, text| text)
}

/// [`write_rtl`] with every generated file passed through `edit(path,
/// text)` before it is written: the hook mutation tests use to break the
/// RTL on purpose (the build cache keys on the file bytes, so an edited
/// design is never confused with the real one).
pub fn write_rtl_edited(
    design: &dyn BlockDesign,
    dir: &Path,
    edit: impl Fn(&str, String) -> String,
) -> Result<RtlDesign> {
    let (emitted, files) = generate_files(design)?;
    let files: Vec<(String, String)> = files
        .into_iter()
        .map(|(path, text)| {
            let text = edit(&path, text);
            (path, text)
        })
        .collect();
    write_design(dir, &files).with_context(|| format!("writing {}", dir.display()))?;
    Ok(RtlDesign::from_dir(
        dir,
        &emitted.design,
        port_specs(&emitted.ports),
    )?)
}

//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod learning;
pub mod rule_cosim;

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every example design config, sorted.
pub fn examples() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .expect("examples/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    v
}

/// Every file below `dir`, as paths relative to it, sorted.
pub fn files_below(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(base, &p, out);
                } else if let Ok(rel) = p.strip_prefix(base) {
                    out.push(rel.to_string_lossy().into_owned());
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Verilates `rtl` (Verilator found by memforge's tool finder, builds
/// cached in `target/memforge-verilator`). Panics without Verilator: the
/// tests that need it fail, they never skip.
pub fn verilate(
    rtl: &memforge_sim::verilator::RtlDesign,
) -> memforge_sim::verilator::VerilatedLibrary {
    use memforge::tools::{find, Tool};
    let verilator = find(Tool::Verilator)
        .unwrap_or_else(|e| panic!("this test needs Verilator (it does not skip): {e:#}"));
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("memforge-verilator");
    memforge_sim::verilator::VerilatedLibrary::build(
        rtl,
        &memforge_sim::verilator::BuildOptions::new(verilator.path, cache),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

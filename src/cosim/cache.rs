//! Where the CLI keeps Verilator builds: `$MEMFORGE_CACHE_DIR/verilator`,
//! else `$XDG_CACHE_HOME/memforge/verilator`, else
//! `~/.cache/memforge/verilator`, else the system temp dir. Builds are
//! keyed by content (see `memforge_sim::verilator::compile`), so a stale
//! entry is never used and deleting the directory is always safe.

use std::path::PathBuf;

pub fn cache_root() -> PathBuf {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = var("MEMFORGE_CACHE_DIR") {
        return dir.join("verilator");
    }
    if let Some(dir) = var("XDG_CACHE_HOME") {
        return dir.join("memforge").join("verilator");
    }
    if let Some(home) = var("HOME") {
        return home.join(".cache").join("memforge").join("verilator");
    }
    std::env::temp_dir().join("memforge-verilator")
}

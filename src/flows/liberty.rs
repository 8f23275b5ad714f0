//! Finds the sky130 standard-cell liberty and prepares the copy synthesis
//! maps to, with the cells a real flow keeps off-limits taken out.

use crate::outcome::UsageError;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// The typical-corner HD liberty, inside a PDK root (volare/ciel layout).
pub const IN_PDK_ROOT: &str =
    "sky130A/libs.ref/sky130_fd_sc_hd/lib/sky130_fd_sc_hd__tt_025C_1v80.lib";
const FILE_NAME: &str = "sky130_fd_sc_hd__tt_025C_1v80.lib";

/// Cells synthesis must not use, as OpenLane keeps them out of sky130 HD
/// synthesis: power-gating and isolation (`lpflow`), probes, delay and
/// clock-delay buffers, and physical-only cells (diodes, fill, taps,
/// decaps, tie cells). Without the list ABC happily builds logic from
/// `lpflow_inputiso*`. Source: shared/pdk/README.md, after OpenLane's
/// sky130 `no_synth.cells`/`drc_exclude.cells`.
pub const DONT_USE: [&str; 9] = [
    "*lpflow*",
    "*probe*",
    "*clkdlybuf*",
    "*dlygate*",
    "*diode*",
    "*fill*",
    "*tap*",
    "*decap*",
    "*conb*",
];

/// A liberty file and how it was found (for the report).
#[derive(Clone, Debug)]
pub struct Liberty {
    pub path: PathBuf,
    pub found_by: String,
}

/// The liberty to map to: `explicit`, else the one in `pdk_root` (the
/// argument, else `$PDK_ROOT`), else the copy beside the checkout
/// (`<repo>/../shared/pdk/`), else `None` (generic cells). A given file or
/// PDK root that does not hold the library is an error, never skipped.
pub fn locate(explicit: Option<&Path>, pdk_root: Option<&Path>) -> Result<Option<Liberty>> {
    if let Some(path) = explicit {
        if !path.is_file() {
            return Err(
                UsageError(format!("liberty file {} does not exist", path.display())).into(),
            );
        }
        // Absolute, because Yosys and OpenSTA run in the build folder.
        return Ok(Some(Liberty {
            path: path.canonicalize().unwrap_or_else(|_| path.to_path_buf()),
            found_by: "--liberty".into(),
        }));
    }
    let from_env = std::env::var_os("PDK_ROOT").map(PathBuf::from);
    let (root, how) = match (pdk_root, from_env) {
        (Some(r), _) => (Some(r.to_path_buf()), "--pdk-root"),
        (None, Some(r)) => (Some(r), "$PDK_ROOT"),
        (None, None) => (None, ""),
    };
    if let Some(root) = root {
        let path = root.join(IN_PDK_ROOT);
        if !path.is_file() {
            return Err(UsageError(format!(
                "{how} {} has no sky130 HD library (looked for {}); install sky130A there (volare or ciel), or pass --liberty FILE",
                root.display(),
                path.display()
            ))
            .into());
        }
        return Ok(Some(Liberty {
            path,
            found_by: format!("{how} {}", root.display()),
        }));
    }
    let beside = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/pdk")
        .join(FILE_NAME);
    Ok(beside.is_file().then(|| Liberty {
        path: beside.canonicalize().unwrap_or(beside),
        found_by: "the copy beside the checkout, ../shared/pdk/".into(),
    }))
}

/// Writes `src` to `dst` without the cells matching [`DONT_USE`]; returns
/// how many cells were left out. Yosys 0.23 has no `-dont_use` for `abc` or
/// `dfflibmap`, so (like OpenLane's `libtrim`) the cells are removed instead.
pub fn without_dont_use(src: &Path, dst: &Path) -> Result<usize> {
    let text =
        std::fs::read_to_string(src).with_context(|| format!("reading {}", src.display()))?;
    let (kept, removed) = strip_cells(&text, &DONT_USE);
    std::fs::write(dst, kept).with_context(|| format!("writing {}", dst.display()))?;
    Ok(removed)
}

/// `text` without the `cell (...) { ... }` groups whose names match a glob.
fn strip_cells(text: &str, globs: &[&str]) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0i64;
    let mut skip_until: Option<i64> = None;
    let mut removed = 0;
    for line in text.split_inclusive('\n') {
        let before = depth;
        depth += line.matches('{').count() as i64 - line.matches('}').count() as i64;
        if skip_until.is_none() {
            if let Some(name) = cell_name(line) {
                if globs.iter().any(|g| glob_match(g, name)) {
                    removed += 1;
                    skip_until = Some(before);
                }
            }
        }
        match skip_until {
            Some(level) if depth <= level => skip_until = None,
            Some(_) => {}
            None => out.push_str(line),
        }
    }
    (out, removed)
}

/// The name in a `cell ("name") {` or `cell (name) {` line.
fn cell_name(line: &str) -> Option<&str> {
    let rest = line
        .trim_start()
        .strip_prefix("cell")?
        .trim_start()
        .strip_prefix('(')?;
    let name = rest.split(')').next()?.trim().trim_matches('"');
    Some(name)
}

/// `*`-only glob matching (all a dont_use list needs).
fn glob_match(glob: &str, name: &str) -> bool {
    let parts: Vec<&str> = glob.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if parts.len() == 1 {
        return glob == name;
    }
    if !name.starts_with(first) || !name[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_like_openlane_lists() {
        assert!(glob_match(
            "*lpflow*",
            "sky130_fd_sc_hd__lpflow_inputiso1p_1"
        ));
        assert!(glob_match("*_1", "x_1"));
        assert!(!glob_match("*tap*", "sky130_fd_sc_hd__nand2_1"));
        assert!(glob_match("a*b*c", "a_b_c"));
        assert!(!glob_match("a*b*c", "a_c_b"));
    }

    #[test]
    fn excluded_cells_are_removed_with_their_whole_group() {
        let lib = "library (x) {\n  cell (\"a_lpflow_1\") {\n    pin (A) { dir : input; }\n  }\n  cell (nand2_1) {\n    area : 3.7;\n  }\n}\n";
        let (kept, removed) = strip_cells(lib, &DONT_USE);
        assert_eq!(removed, 1);
        assert_eq!(
            kept,
            "library (x) {\n  cell (nand2_1) {\n    area : 3.7;\n  }\n}\n"
        );
    }

    #[test]
    fn a_missing_liberty_or_pdk_is_a_usage_error() {
        let err = locate(Some(Path::new("/nonexistent/x.lib")), None).unwrap_err();
        assert!(err.downcast_ref::<UsageError>().is_some(), "{err:#}");
        let err = locate(None, Some(Path::new("/tmp"))).unwrap_err();
        assert!(format!("{err:#}").contains("sky130"), "{err:#}");
    }
}

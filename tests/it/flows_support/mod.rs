//! Helpers of the flow integration tests: run the `memforge` binary the way
//! a user does, and generate the 8x8 example once per test binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// What a `memforge` run returned.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", self.stdout, self.stderr))
    }
}

/// Runs `memforge args...` with extra environment variables.
pub fn memforge(args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_memforge"))
        .args(args)
        .envs(env.iter().copied())
        .env_remove("PDK_ROOT")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("memforge runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The sky130 liberty beside the checkout (where CI has it).
pub fn liberty() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/pdk/sky130_fd_sc_hd__tt_025C_1v80.lib");
    assert!(
        p.is_file(),
        "the sky130 liberty is missing at {}",
        p.display()
    );
    p
}

/// A fresh design directory of examples/tile-8x8.toml with its flow files,
/// in a directory that lives as long as the test binary.
pub fn generate_8x8(dir: &Path) -> PathBuf {
    let out = dir.join("tile8x8");
    let gen = memforge(
        &[
            "generate",
            "examples/tile-8x8.toml",
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(gen.code, 0, "generate failed: {}", gen.stderr);
    // Writes the constraint files (generate may already have).
    let flow = memforge(
        &["flow", "openlane", out.to_str().unwrap(), "--no-run"],
        &[],
    );
    assert_eq!(flow.code, 0, "flow openlane failed: {}", flow.stderr);
    out
}

/// One shared 8x8 design directory per test binary.
pub fn shared_8x8() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DIR.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("temp dir");
        let out = generate_8x8(tmp.path());
        (tmp, out)
    })
    .1
}

//! Runs Verilator (`--cc --exe --build`) on a design plus one C++ harness
//! file, into a content-addressed cache directory.
//!
//! The cache key is the SHA-256 of everything that decides the binary: the
//! RTL files' names and bytes, the harness source (which embeds the port
//! list), the Verilator version banner, the flags and the shim ABI version.
//! A changed RTL file gives a new key, so a stale model is never loaded. A
//! build happens in a private staging directory renamed into place when it
//! succeeds, so concurrent builds of the same key cannot see half a build;
//! a failed build is kept beside it as `<key>.failed/` with its log.

use super::design::RtlDesign;
use super::error::VerilatorError;
use super::shim;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// How hard Verilator and the C++ compiler optimize.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptLevel {
    /// Quick to build, for tests: Verilator `-O1`, C++ `-O1`.
    Quick,
    /// For long runs and benchmarks: Verilator `-O3`, C++ `-O3` on the
    /// per-cycle code.
    Fast,
}

impl OptLevel {
    fn verilator_flag(self) -> &'static str {
        match self {
            OptLevel::Quick => "-O1",
            OptLevel::Fast => "-O3",
        }
    }

    /// `OPT_FAST` (per-cycle code), `OPT_SLOW` (construction, tracing) and
    /// `OPT_GLOBAL` (Verilator's runtime library) for the generated Makefile.
    fn make_vars(self) -> [&'static str; 3] {
        match self {
            OptLevel::Quick => ["OPT_FAST=-O1", "OPT_SLOW=-O0", "OPT_GLOBAL=-O1"],
            OptLevel::Fast => ["OPT_FAST=-O3", "OPT_SLOW=-O1", "OPT_GLOBAL=-O2"],
        }
    }
}

/// Where Verilator is and how to build.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// The `verilator` executable (found by the caller: the CLI's tool
    /// finder or a test).
    pub verilator: PathBuf,
    /// Root of the build cache, e.g. `target/memforge-verilator`.
    pub cache_root: PathBuf,
    pub opt: OptLevel,
    /// Compile VCD tracing in (needed for mismatch traces; costs a little
    /// speed per cycle even when no trace is open).
    pub trace: bool,
    /// Parallel compile jobs.
    pub jobs: usize,
    /// A compiler cache (`ccache`) the generated Makefile wraps every C++
    /// compile in (`OBJCACHE`). Every build compiles the same Verilator
    /// runtime (`verilated.cpp` and friends, about half of a small
    /// design's compile time) and a mutant shares most of its model with
    /// the original; the cache compiles each once. Not part of the cache
    /// key: it changes how fast a build is, not what it builds.
    pub objcache: Option<PathBuf>,
}

impl BuildOptions {
    pub fn new(verilator: impl Into<PathBuf>, cache_root: impl Into<PathBuf>) -> Self {
        Self {
            verilator: verilator.into(),
            cache_root: cache_root.into(),
            opt: OptLevel::Quick,
            trace: true,
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
            objcache: find_ccache(),
        }
    }
}

/// `ccache` on `PATH`, unless `MEMFORGE_CCACHE=0`.
fn find_ccache() -> Option<PathBuf> {
    if std::env::var_os("MEMFORGE_CCACHE").is_some_and(|v| v == "0") {
        return None;
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("ccache"))
        .find(|p| p.is_file())
}

/// What to build around the Verilated model.
pub(crate) struct Harness<'a> {
    /// Distinguishes artifacts of one design in the cache (`lib`, `bench`).
    pub kind: &'a str,
    /// File name of the harness source, e.g. `shim.cpp`.
    pub source_name: &'a str,
    pub source: &'a str,
    /// Output file name (relative to the Verilator object directory).
    pub output: &'a str,
    /// Link a shared library (`-fPIC -shared`) instead of an executable.
    pub shared: bool,
}

/// A finished build.
#[derive(Clone, Debug)]
pub struct Artifact {
    /// The cache directory of this build.
    pub dir: PathBuf,
    /// The shared library or executable.
    pub output: PathBuf,
    /// Whether it came from the cache.
    pub cached: bool,
}

/// Runs `verilator --version`.
pub fn verilator_version(verilator: &Path) -> Result<String, VerilatorError> {
    let out = crate::process::run(
        Command::new(verilator).arg("--version"),
        Duration::from_secs(20),
    )
    .map_err(|source| VerilatorError::NotFound {
        path: verilator.to_path_buf(),
        source,
    })?;
    let banner = String::from_utf8_lossy(&out.stdout).trim().to_string();
    // The banner must be Verilator's own: `Verilator 5.020 2024-01-01 ...`.
    if !out.success() || !banner.starts_with("Verilator ") {
        let how = match out.code() {
            None => "did not answer `--version` within 20 s".to_string(),
            Some(code) => format!("`--version` exited with {code} and printed `{banner}`"),
        };
        return Err(VerilatorError::NotFound {
            path: verilator.to_path_buf(),
            source: std::io::Error::other(format!("{how}, which is not Verilator's banner")),
        });
    }
    Ok(banner)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn cache_key(
    design: &RtlDesign,
    opts: &BuildOptions,
    harness: &Harness,
    version: &str,
) -> Result<String, VerilatorError> {
    let mut h = Sha256::new();
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field(&shim::ABI_VERSION.to_le_bytes());
    field(version.as_bytes());
    field(design.top.as_bytes());
    field(
        format!(
            "{:?} trace={} shared={}",
            opts.opt, opts.trace, harness.shared
        )
        .as_bytes(),
    );
    field(harness.kind.as_bytes());
    field(harness.source.as_bytes());
    for f in &design.files {
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned());
        field(name.unwrap_or_default().as_bytes());
        field(&std::fs::read(f).map_err(VerilatorError::io(f))?);
    }
    Ok(hex(&h.finalize())[..20].to_string())
}

/// Builds (or finds in the cache) `harness` around `design`.
pub(crate) fn build_cached(
    design: &RtlDesign,
    opts: &BuildOptions,
    harness: &Harness,
) -> Result<Artifact, VerilatorError> {
    design.check()?;
    let version = verilator_version(&opts.verilator)?;
    let key = cache_key(design, opts, harness, &version)?;
    let name = format!("{}-{}-{key}", design.top, harness.kind);
    let dir = opts.cache_root.join(&name);
    let output = dir.join("obj").join(harness.output);
    if output.is_file() {
        return Ok(Artifact {
            dir,
            output,
            cached: true,
        });
    }
    std::fs::create_dir_all(&opts.cache_root).map_err(VerilatorError::io(&opts.cache_root))?;
    // One build per key at a time: a second process (or test thread)
    // asking for the same design waits here for the first one's build and
    // then finds it in the cache, instead of compiling it again beside it.
    // The lock is released when `_build_lock` is dropped (or the process
    // dies).
    let lock_path = opts.cache_root.join(format!("{name}.lock"));
    let _build_lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .and_then(|f| f.lock().map(|()| f))
        .map_err(VerilatorError::io(&lock_path))?;
    if output.is_file() {
        return Ok(Artifact {
            dir,
            output,
            cached: true,
        });
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let staging = opts
        .cache_root
        .join(format!(".{name}.{}.{nanos}", std::process::id()));
    std::fs::create_dir_all(&staging).map_err(VerilatorError::io(&staging))?;
    let result = run_verilator(design, opts, harness, &staging);
    match result {
        Ok(()) => {
            if std::fs::rename(&staging, &dir).is_err() {
                // Another process published the same key first: use theirs.
                let _ = std::fs::remove_dir_all(&staging);
                if !output.is_file() {
                    return Err(VerilatorError::Design {
                        top: design.top.clone(),
                        why: format!("cannot publish the build into {}", dir.display()),
                    });
                }
            }
            Ok(Artifact {
                dir,
                output,
                cached: false,
            })
        }
        Err(e) => {
            let failed = opts.cache_root.join(format!("{name}.failed"));
            let _ = std::fs::remove_dir_all(&failed);
            let kept = std::fs::rename(&staging, &failed).is_ok();
            Err(match e {
                VerilatorError::Build {
                    top, status, tail, ..
                } if kept => VerilatorError::Build {
                    top,
                    status,
                    tail,
                    log: failed.join("build.log"),
                },
                other => other,
            })
        }
    }
}

fn run_verilator(
    design: &RtlDesign,
    opts: &BuildOptions,
    harness: &Harness,
    staging: &Path,
) -> Result<(), VerilatorError> {
    let source = staging.join(harness.source_name);
    std::fs::write(&source, harness.source).map_err(VerilatorError::io(&source))?;
    let mut cmd = Command::new(&opts.verilator);
    cmd.current_dir(staging)
        .stdin(std::process::Stdio::null())
        .args(["--cc", "--exe", "--build", "--no-timing", "-Wno-fatal"])
        // Deterministic initial values and X handling, so a replay of the
        // same stimulus gives the same trace.
        .args(["--x-assign", "0", "--x-initial", "0"])
        .arg(opts.opt.verilator_flag())
        .arg("-j")
        .arg(opts.jobs.max(1).to_string())
        .args([
            "--top-module",
            &design.top,
            "-Mdir",
            "obj",
            "-o",
            harness.output,
        ]);
    for var in opts.opt.make_vars() {
        cmd.args(["-MAKEFLAGS", var]);
    }
    if let Some(cache) = &opts.objcache {
        cmd.arg("-MAKEFLAGS")
            .arg(format!("OBJCACHE={}", cache.display()));
    }
    if opts.trace {
        cmd.arg("--trace");
    }
    if harness.shared {
        cmd.args(["-CFLAGS", "-fPIC", "-LDFLAGS", "-shared"]);
    }
    cmd.arg(harness.source_name).args(&design.files);
    let limit = crate::process::tool_timeout(Duration::from_secs(3600));
    let out = crate::process::run(&mut cmd, limit).map_err(|source| VerilatorError::NotFound {
        path: opts.verilator.clone(),
        source,
    })?;
    let log = staging.join("build.log");
    let mut text = format!("{cmd:?}\n\n");
    text.push_str(&out.text());
    std::fs::write(&log, &text).map_err(VerilatorError::io(&log))?;
    let produced = staging.join("obj").join(harness.output).is_file();
    if out.success() && produced {
        return Ok(());
    }
    let lines: Vec<&str> = text.lines().collect();
    let tail = lines[lines.len().saturating_sub(40)..].join("\n");
    Err(VerilatorError::Build {
        top: design.top.clone(),
        status: match out.code() {
            Some(0) => format!("exited 0 but produced no {}", harness.output),
            Some(code) => format!("exit status {code}"),
            None => format!(
                "stopped after {} s (MEMFORGE_TOOL_TIMEOUT)",
                limit.as_secs()
            ),
        },
        log,
        tail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_verilator_is_a_clear_error() {
        let err = verilator_version(Path::new("/nonexistent/verilator")).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("/nonexistent/verilator"), "{text}");
        assert!(text.contains("apt-get install -y verilator"), "{text}");
    }
}

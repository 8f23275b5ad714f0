//! A generated design directory, as `memforge generate` writes it:
//! `<design>.f` (filelist), `rtl/*.v`, `manifest.json` (with the config and
//! the top ports) and the rendered constraint files. The flow runners read a
//! design only through this, so the layout is known in one place.

use super::constraints;
use crate::blocks::BlockDesign;
use crate::outcome::UsageError;
use anyhow::{Context, Result};
use memforge_hdl::emit::{Port, PortDir};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// An opened design directory.
#[derive(Clone, Debug)]
pub struct DesignDir {
    pub root: PathBuf,
    /// Design name, also the top module's name.
    pub name: String,
    /// RTL files in filelist order, as paths usable from any directory.
    pub rtl: Vec<PathBuf>,
}

impl DesignDir {
    /// Opens `dir`, refusing (as a usage error) anything that is not a
    /// design directory with a filelist whose files all exist.
    pub fn open(dir: &Path) -> Result<Self> {
        let not_design = |why: String| {
            UsageError(format!(
                "{} is not a memforge design directory ({why}); create one with `memforge generate CONFIG --out {}`",
                dir.display(),
                dir.display()
            ))
        };
        if !dir.is_dir() {
            return Err(not_design("no such directory".into()).into());
        }
        let root = dir
            .canonicalize()
            .with_context(|| format!("resolving {}", dir.display()))?;
        let mut lists: Vec<PathBuf> = std::fs::read_dir(&root)
            .with_context(|| format!("listing {}", root.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "f") && p.is_file())
            .collect();
        lists.sort();
        let list = match lists.as_slice() {
            [one] => one.clone(),
            [] => return Err(not_design("no <design>.f filelist".into()).into()),
            _ => return Err(not_design("more than one .f filelist".into()).into()),
        };
        let name = list
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let text = std::fs::read_to_string(&list)
            .with_context(|| format!("reading {}", list.display()))?;
        let rtl: Vec<PathBuf> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("//") && !l.starts_with('#'))
            .map(|l| root.join(l))
            .collect();
        if rtl.is_empty() {
            return Err(not_design(format!("{} lists no files", list.display())).into());
        }
        if let Some(missing) = rtl.iter().find(|p| !p.is_file()) {
            return Err(not_design(format!("{} is listed but missing", missing.display())).into());
        }
        Ok(DesignDir { root, name, rtl })
    }

    /// Caravel's `user_project_wrapper` around the design, as a design of
    /// its own (the design's files, the crossbar's blackbox stub, the
    /// wrapper), if `memforge generate` wrote one (`[caravel]`).
    pub fn caravel_wrapper(&self) -> Option<DesignDir> {
        let wrapper = self.root.join(super::caravel::WRAPPER);
        let stub = self.root.join(format!("macro/{}_xbar.v", self.name));
        if !wrapper.is_file() || !stub.is_file() {
            return None;
        }
        let mut rtl = self.rtl.clone();
        rtl.extend([stub, wrapper]);
        Some(DesignDir {
            root: self.root.clone(),
            name: super::caravel::TOP.to_string(),
            rtl,
        })
    }

    /// The design's SDC; an error saying how to create it if it is missing.
    pub fn sdc(&self) -> Result<PathBuf> {
        self.rendered(&constraints::sdc_path(&self.name))
    }

    /// The design's iCE40 pin file, if the design fits the package.
    pub fn pcf(&self) -> Option<PathBuf> {
        Some(self.root.join(constraints::pcf_path(&self.name))).filter(|p| p.is_file())
    }

    fn rendered(&self, rel: &str) -> Result<PathBuf> {
        let path = self.root.join(rel);
        if path.is_file() {
            Ok(path)
        } else {
            Err(UsageError(format!(
                "{} has no {rel}; regenerate the design with `memforge generate` or write it with `memforge flow openlane {}`",
                self.root.display(),
                self.root.display()
            ))
            .into())
        }
    }

    /// `<root>/build/<what>/`, created: where runners keep scripts,
    /// netlists and logs so a failure can be read afterwards.
    pub fn build_dir(&self, what: &str) -> Result<PathBuf> {
        let dir = self.root.join("build").join(what);
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(dir)
    }

    /// The block (any family of the registry, from the config recorded in
    /// `manifest.json`) and the top ports recorded there.
    pub fn manifest(&self) -> Result<(Box<dyn BlockDesign>, Vec<Port>)> {
        let path = self.root.join("manifest.json");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| UsageError(format!("cannot read {}: {e}", path.display())))?;
        let m: Manifest = serde_json::from_str(&text).map_err(|e| {
            UsageError(format!(
                "{} is not a memforge manifest: {e}",
                path.display()
            ))
        })?;
        let block = crate::blocks::from_manifest_config(m.config)
            .map_err(|e| UsageError(format!("{}: {e:#}", path.display())))?;
        let ports = m.ports.into_iter().map(ManifestPort::into_port).collect();
        Ok((block, ports))
    }
}

#[derive(Deserialize)]
struct Manifest {
    config: serde_json::Value,
    ports: Vec<ManifestPort>,
}

/// `Port` as serialized by the emitter (`Port` itself is write-only).
#[derive(Deserialize)]
struct ManifestPort {
    name: String,
    dir: String,
    width: u32,
}

impl ManifestPort {
    fn into_port(self) -> Port {
        let dir = if self.dir == "output" {
            PortDir::Output
        } else {
            PortDir::Input
        };
        Port {
            name: self.name,
            dir,
            width: self.width,
        }
    }
}

//! The OpenLane 2 / LibreLane 3 hand-off: (re)writes the flow files of a
//! design directory from its manifest, then runs whichever flow is
//! installed, or says exactly how to run it.

use super::constraints::{LIBRELANE_CONFIG, OPENLANE_CONFIG};
use super::design_dir::DesignDir;
use super::run;
use crate::tools::{self, Tool};
use anyhow::{Context, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// What the hand-off did.
#[derive(Clone, Debug, Serialize)]
pub struct Handoff {
    /// Flow files whose contents changed (relative to the design directory).
    pub rewritten: Vec<String>,
    pub unchanged: Vec<String>,
    /// User-supplied macro views that do not exist yet.
    pub missing_macro_views: Vec<PathBuf>,
    /// The commands that run the flow, one per tool.
    pub commands: Vec<String>,
    /// Set when a flow was found and run.
    pub ran: Option<FlowRun>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FlowRun {
    pub tool: String,
    pub log: PathBuf,
    /// The run's `final/metrics.json`, if the flow wrote one.
    pub metrics: Option<PathBuf>,
    /// A few headline metrics from it (area, setup slack, DRC/LVS errors).
    pub summary: Vec<(String, serde_json::Value)>,
}

/// Metrics worth a line in the summary, by OpenLane 2 / LibreLane 3 name.
const HEADLINE_METRICS: [&str; 6] = [
    "design__instance__area",
    "design__instance__count",
    "timing__setup__ws",
    "timing__hold__ws",
    "route__drc_errors",
    "design__lvs_error__count",
];

/// Rewrites the flow files and, if `run` and a flow is installed, runs it.
pub fn handoff(design: &DesignDir, run_flow: bool) -> Result<Handoff> {
    let (block, _) = design.manifest()?;
    let mut rewritten = Vec::new();
    let mut unchanged = Vec::new();
    for (rel, text) in block.extra_files()? {
        let path = design.root.join(&rel);
        if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
            unchanged.push(rel);
            continue;
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        rewritten.push(rel);
    }
    let missing_macro_views = block
        .flow()
        .xbar_macro
        .iter()
        .flat_map(|m| [Some(&m.lef), Some(&m.gds), m.lib.as_ref()])
        .flatten()
        .map(|f| design.root.join(f))
        .filter(|p| !p.is_file())
        .collect();
    let mut configs = vec![
        (Tool::LibreLane, LIBRELANE_CONFIG),
        (Tool::OpenLane, OPENLANE_CONFIG),
    ];
    // Caravel's wrapper (`[caravel]`): hardened after the periphery, whose
    // views it takes as a macro (docs/caravel.md).
    if design.root.join(super::caravel::OPENLANE_CONFIG).is_file() {
        configs.push((Tool::LibreLane, super::caravel::LIBRELANE_CONFIG));
        configs.push((Tool::OpenLane, super::caravel::OPENLANE_CONFIG));
    }
    let commands = configs
        .into_iter()
        .map(|(t, cfg)| format!("{} {}", t.program(), design.root.join(cfg).display()))
        .collect();
    let mut h = Handoff {
        rewritten,
        unchanged,
        missing_macro_views,
        commands,
        ran: None,
    };
    if run_flow {
        h.ran = run_installed(design, &h)?;
    }
    Ok(h)
}

/// Runs LibreLane if installed, else OpenLane; `None` if neither is.
fn run_installed(design: &DesignDir, h: &Handoff) -> Result<Option<FlowRun>> {
    let Some((tool, config)) = [
        (Tool::LibreLane, LIBRELANE_CONFIG),
        (Tool::OpenLane, OPENLANE_CONFIG),
    ]
    .into_iter()
    .find_map(|(t, c)| tools::find(t).ok().map(|f| (f, c))) else {
        return Ok(None);
    };
    if let Some(missing) = h.missing_macro_views.first() {
        return Err(crate::outcome::UsageError(format!(
            "the crossbar macro view {} does not exist: supply the hardened macro's LEF/GDS (flow.xbar_macro) before running {}",
            missing.display(),
            tool.tool.program()
        ))
        .into());
    }
    let config_path = design.root.join(config);
    let flow_dir = config_path.parent().unwrap_or(&design.root).to_path_buf();
    let log = design
        .build_dir("flow")?
        .join(format!("{}.log", tool.tool.program()));
    let args = [config_path.display().to_string()];
    run::logged(
        &tool,
        &args,
        &flow_dir,
        &log,
        &format!("hardening {}", design.name),
    )?;
    let metrics = newest_metrics(&flow_dir.join("runs"));
    let summary = metrics
        .as_deref()
        .map(headline)
        .transpose()?
        .unwrap_or_default();
    Ok(Some(FlowRun {
        tool: tool.tool.program().into(),
        log,
        metrics,
        summary,
    }))
}

/// `runs/<newest tag>/final/metrics.json`, where both flows leave their metrics.
fn newest_metrics(runs: &Path) -> Option<PathBuf> {
    let mut tags: Vec<PathBuf> = std::fs::read_dir(runs)
        .ok()?
        .filter_map(|e| Some(e.ok()?.path()))
        .collect();
    tags.sort_by_key(|p| p.metadata().and_then(|m| m.modified()).ok());
    tags.into_iter()
        .rev()
        .map(|t| t.join("final/metrics.json"))
        .find(|m| m.is_file())
}

fn headline(metrics: &Path) -> Result<Vec<(String, serde_json::Value)>> {
    let text = std::fs::read_to_string(metrics)
        .with_context(|| format!("reading {}", metrics.display()))?;
    let all: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", metrics.display()))?;
    Ok(HEADLINE_METRICS
        .iter()
        .filter_map(|k| Some((k.to_string(), all.get(*k)?.clone())))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_metrics_are_picked_from_the_final_metrics() {
        let dir = tempfile::tempdir().unwrap();
        let run = dir.path().join("runs/RUN_1/final");
        std::fs::create_dir_all(&run).unwrap();
        std::fs::write(
            run.join("metrics.json"),
            r#"{"design__instance__area": 1234.5, "timing__setup__ws": 0.8, "other": 1}"#,
        )
        .unwrap();
        let found = newest_metrics(&dir.path().join("runs")).unwrap();
        let h = headline(&found).unwrap();
        assert_eq!(h.len(), 2);
        assert_eq!(
            h[0],
            (
                "design__instance__area".to_string(),
                serde_json::json!(1234.5)
            )
        );
    }
}

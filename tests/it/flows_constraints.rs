//! The rendered constraint and flow files of the 8x8 example, checked with
//! the tools that will read them: OpenSTA parses the SDC without a warning,
//! and every path the OpenLane/LibreLane configs name exists.

use crate::flows_support::{liberty, memforge, shared_8x8};
use memforge::tools::{find, Tool};
use std::path::Path;

/// A netlist with the design's ports and nothing inside: enough for
/// OpenSTA to resolve every port the SDC names.
fn port_shell(design: &str, ports: &[serde_json::Value]) -> String {
    let names: Vec<&str> = ports.iter().map(|p| p["name"].as_str().unwrap()).collect();
    let mut v = format!("module {design} ({});\n", names.join(", "));
    for p in ports {
        let w = p["width"].as_u64().unwrap();
        let range = if w > 1 {
            format!("[{}:0] ", w - 1)
        } else {
            String::new()
        };
        v += &format!(
            "  {} {range}{};\n",
            p["dir"].as_str().unwrap(),
            p["name"].as_str().unwrap()
        );
    }
    v + "endmodule\n"
}

#[test]
fn opensta_reads_the_sdc_without_warnings() {
    let sta = find(Tool::OpenSta).expect("OpenSTA (`sta`) is required for this test");
    let dir = shared_8x8();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let design = manifest["design"].as_str().unwrap();
    let work = tempfile::tempdir().unwrap();
    std::fs::write(
        work.path().join("shell.v"),
        port_shell(design, manifest["ports"].as_array().unwrap()),
    )
    .unwrap();
    let script = format!(
        "read_liberty {}\nread_verilog shell.v\nlink_design {design}\nread_sdc {}\nreport_clock_properties\nputs DONE\n",
        liberty().display(),
        dir.join(format!("constraints/{design}.sdc")).display()
    );
    std::fs::write(work.path().join("t.tcl"), script).unwrap();
    let out = std::process::Command::new(&sta.path)
        .args(["-no_init", "-no_splash", "-exit", "t.tcl"])
        .current_dir(work.path())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("DONE"), "OpenSTA stopped early:\n{text}");
    assert!(
        text.contains("wb_clk_i") && text.contains("10.00"),
        "clock missing:\n{text}"
    );
    let bad: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("Warning") || l.contains("Error"))
        .collect();
    assert!(
        bad.is_empty(),
        "OpenSTA complained about the SDC:\n{}",
        bad.join("\n")
    );
}

/// Every `dir::` string in a config, resolved against the config's directory.
fn dir_paths(v: &serde_json::Value, base: &Path, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => {
            if let Some(rel) = s.strip_prefix("dir::") {
                out.push(base.join(rel).display().to_string());
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| dir_paths(x, base, out)),
        serde_json::Value::Object(m) => m.values().for_each(|x| dir_paths(x, base, out)),
        _ => {}
    }
}

/// Files a path or a `*` glob in its last component names.
fn matches(pattern: &str) -> Vec<String> {
    let p = Path::new(pattern);
    let name = p.file_name().unwrap().to_str().unwrap();
    match name.split_once('*') {
        None => {
            if p.exists() {
                vec![pattern.to_string()]
            } else {
                vec![]
            }
        }
        Some((pre, post)) => std::fs::read_dir(p.parent().unwrap())
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|f| f.starts_with(pre) && f.ends_with(post))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

#[test]
fn every_path_the_flow_configs_name_exists() {
    let dir = shared_8x8();
    for config in ["openlane/config.json", "librelane/config.json"] {
        let path = dir.join(config);
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let mut paths = Vec::new();
        dir_paths(&v, path.parent().unwrap(), &mut paths);
        assert!(paths.len() >= 4, "{config} names too few files: {paths:?}");
        for p in paths {
            assert!(
                !matches(&p).is_empty(),
                "{config} names {p}, which does not exist"
            );
        }
    }
}

/// The Caravel wrapper's configs (the 8x8 example has `[caravel]`): the
/// wrapper they synthesize exists; the macro views they name are the ones
/// the user supplies after hardening (docs/caravel.md), under `caravel/macros/`.
#[test]
fn the_caravel_wrapper_configs_name_the_wrapper_and_the_macro_views() {
    let dir = shared_8x8();
    for config in [
        "caravel/openlane/config.json",
        "caravel/librelane/config.json",
    ] {
        let path = dir.join(config);
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let base = path.parent().unwrap();
        let mut files = Vec::new();
        dir_paths(&v["VERILOG_FILES"], base, &mut files);
        assert_eq!(files.len(), 1, "{config}: {files:?}");
        assert!(
            Path::new(&files[0]).is_file(),
            "{config} names {}",
            files[0]
        );
        let mut views = Vec::new();
        dir_paths(&v["MACROS"], base, &mut views);
        assert_eq!(views.len(), 5, "{config}: {views:?}");
        let macros = dir.join("caravel/macros");
        for p in views {
            // `<dir>/caravel/<tool>/../macros/x`: the `..` taken textually.
            let tool_dir = base.display().to_string();
            let resolved = p.replace(
                &format!("{tool_dir}/../"),
                &format!("{}/", dir.join("caravel").display()),
            );
            assert!(
                Path::new(&resolved).starts_with(&macros),
                "{config}: {p} is not under {}",
                macros.display()
            );
        }
    }
}

#[test]
fn flow_openlane_says_how_to_run_the_flow_when_none_is_installed() {
    let dir = shared_8x8().to_str().unwrap();
    let missing = [
        ("MEMFORGE_OPENLANE", "/nonexistent/openlane"),
        ("MEMFORGE_LIBRELANE", "/nonexistent/librelane"),
    ];
    let run = memforge(&["flow", "openlane", dir], &missing);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains(&format!("librelane {dir}/librelane/config.json")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("openlane {dir}/openlane/config.json")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("openlane {dir}/caravel/openlane/config.json")),
        "the Caravel wrapper's command: {}",
        run.stdout
    );
    assert!(
        run.stdout.contains("0 rewritten"),
        "a refresh changed generated files: {}",
        run.stdout
    );
}

#[test]
fn flow_openlane_refuses_a_directory_that_is_not_a_design() {
    let empty = tempfile::tempdir().unwrap();
    let run = memforge(
        &[
            "flow",
            "openlane",
            empty.path().to_str().unwrap(),
            "--no-run",
        ],
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("not a memforge design directory"),
        "{}",
        run.stderr
    );
}

//! `memforge sweep` end to end, the way a user runs it: a small grid with
//! one invalid value, run as two shards and merged; the failing points are
//! recorded (not fatal), the passing points carry real synthesis figures,
//! the Pareto front is the one recomputed here from the CSV, re-running
//! resumes without recomputing, and bad sweep input is a usage error.
//! Fails (never skips) without Verilator, Icarus, Yosys or OpenSTA.

use crate::common;
use crate::flows_support::{liberty, memforge};
use std::path::{Path, PathBuf};

/// Two tiny tiles synthesize (the slow part, about 30 s each on one core)
/// and two points fail in validation (an ADC of 99 bits).
fn sweep_file(dir: &Path) -> PathBuf {
    let base = common::root().join("examples/tile-8x8.toml");
    let text = format!(
        "base = {base:?}\nliberty = {lib:?}\nmeasure = [\"lint\", \"synth\"]\n\n[grid]\n\"tile.rows\" = [2, 3]\n\"tile.adc_bits\" = [3, 99]\n\"tile.cols\" = [2]\n",
        base = base.display().to_string(),
        lib = liberty().display().to_string(),
    );
    let path = dir.join("sweep.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn run(args: &[&str]) -> serde_json::Value {
    let r = memforge(args, &[]);
    assert_eq!(r.code, 0, "memforge {args:?}: {}\n{}", r.stdout, r.stderr);
    r.json()
}

#[test]
fn shards_merge_into_one_table_with_failures_recorded_and_the_right_front() {
    let tmp = tempfile::tempdir().unwrap();
    let file = sweep_file(tmp.path());
    let (file, out) = (file.to_str().unwrap(), tmp.path().join("out"));
    let out = out.to_str().unwrap();
    // Both shards at once into the same folder, as a job array would.
    let shards: Vec<serde_json::Value> = std::thread::scope(|scope| {
        let jobs: Vec<_> = ["0/2", "1/2"]
            .iter()
            .map(|s| {
                scope.spawn(move || run(&["--json", "sweep", file, "--out", out, "--shard", s]))
            })
            .collect();
        jobs.into_iter().map(|j| j.join().unwrap()).collect()
    });
    for s in &shards {
        assert_eq!(s["owned"], 2, "{s}");
        assert_eq!(s["ran"], 2, "{s}");
    }
    let merged = run(&["--json", "sweep", file, "--out", out, "--merge"]);
    assert_eq!(merged["points"], 4);
    assert_eq!(merged["finished"], 4);
    assert_eq!(merged["failed"], 2, "{merged}");
    assert_eq!(merged["pending"].as_array().unwrap().len(), 0);

    // The CSV, read back: the invalid points failed in generate naming the
    // key; the valid ones have real figures.
    let mut csv = csv::Reader::from_path(Path::new(out).join("results.csv")).unwrap();
    let header = csv.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4);
    let mut passing = Vec::new();
    for r in &rows {
        if &r[col("tile.adc_bits")] == "99" {
            assert_eq!(&r[col("ok")], "false");
            assert_eq!(&r[col("failed")], "generate");
            assert!(r[col("error")].contains("tile.adc_bits"), "{r:?}");
        } else {
            assert_eq!(&r[col("ok")], "true", "{r:?}");
            assert_eq!(&r[col("lint_ok")], "true");
            let area: f64 = r[col("area_um2")].parse().unwrap();
            let fmax: f64 = r[col("fmax_mhz")].parse().unwrap();
            assert!(area > 1000.0 && fmax > 10.0, "{r:?}");
            passing.push((
                r[col("id")].to_string(),
                area,
                fmax,
                &r[col("pareto")] == "true",
            ));
        }
    }
    // The front, recomputed: a point is on it unless another is no larger
    // and no slower, and strictly better in one.
    for (id, a, f, on_front) in &passing {
        let dominated = passing
            .iter()
            .any(|(_, a2, f2, _)| a2 <= a && f2 >= f && (a2 < a || f2 > f));
        assert_eq!(*on_front, !dominated, "{id}: {passing:?}");
    }
    assert!(Path::new(out).join("pareto.svg").is_file());

    // Re-running resumes: nothing is recomputed, the table is the same.
    let again = run(&["--json", "sweep", file, "--out", out]);
    assert_eq!(again["ran"], 0, "{again}");
    assert_eq!(again["pareto_front"], merged["pareto_front"]);
}

#[test]
fn bad_sweep_input_is_a_usage_error_naming_the_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let out = out.to_str().unwrap();
    let write = |name: &str, text: &str| {
        let p = tmp.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    let base = common::root().join("examples/tile-8x8.toml");
    let base = format!("base = {:?}\n", base.display().to_string());
    let cases = [
        (
            write(
                "nobase.toml",
                "base = \"missing.toml\"\n[grid]\n\"tile.rows\" = [2]\n",
            ),
            vec![],
            "missing.toml",
        ),
        (
            write("empty.toml", &format!("{base}[grid]\n")),
            vec![],
            "no parameter",
        ),
        (
            write(
                "novalues.toml",
                &format!("{base}[grid]\n\"tile.rows\" = []\n"),
            ),
            vec![],
            "no values",
        ),
        (
            write(
                "typo.toml",
                &format!("{base}mesure = [\"lint\"]\n[grid]\n\"tile.rows\" = [2]\n"),
            ),
            vec![],
            "mesure",
        ),
        (
            write(
                "value.toml",
                &format!("{base}[grid]\n\"tile.rows.x\" = [2]\n"),
            ),
            vec![],
            "not a section",
        ),
        (
            write("ok.toml", &format!("{base}[grid]\n\"tile.rows\" = [2]\n")),
            vec!["--shard", "2/2"],
            "index",
        ),
        (
            write("ok2.toml", &format!("{base}[grid]\n\"tile.rows\" = [2]\n")),
            vec!["--jobs", "0"],
            "--jobs",
        ),
    ];
    for (file, extra, needle) in cases {
        let mut args = vec!["sweep", file.as_str(), "--out", out];
        args.extend(extra);
        let r = memforge(&args, &[]);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains(needle),
            "{args:?}: wanted `{needle}` in {}",
            r.stderr
        );
    }
}

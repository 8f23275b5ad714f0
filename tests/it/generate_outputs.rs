//! The generated RTL of every example: committed in rtl-out/ exactly as the
//! generator emits it today, deterministic, `$`-free, without `initial`.

use crate::common;

use memforge::cmd::generate::generate_files;

#[test]
fn rtl_out_is_what_the_generator_emits() {
    let examples = common::examples();
    assert!(examples.len() >= 3, "expected the three example designs");
    for path in examples {
        // Any block family's example, through the registry.
        let design = memforge::blocks::load(&path, None).unwrap();
        let (_, files) = memforge::blocks::generate_files(design.as_ref()).unwrap();
        let name = design.top();
        let dir = common::root().join("rtl-out").join(&name);
        let committed = common::files_below(&dir);
        let mut generated: Vec<String> = files.iter().map(|(p, _)| p.clone()).collect();
        generated.sort();
        assert_eq!(
            committed, generated,
            "rtl-out/{name} has a different file set; regenerate with `./dev regen`"
        );
        for (rel, contents) in &files {
            let on_disk = std::fs::read_to_string(dir.join(rel)).unwrap();
            assert!(
                on_disk == *contents,
                "rtl-out/{name}/{rel} differs from the generator's output; regenerate with `./dev regen` and review the diff"
            );
        }
    }
}

#[test]
fn generation_is_deterministic_and_clean() {
    for path in common::examples() {
        let design = memforge::blocks::load(&path, None).unwrap();
        let (_, a) = memforge::blocks::generate_files(design.as_ref()).unwrap();
        let (emitted, b) = memforge::blocks::generate_files(design.as_ref()).unwrap();
        assert_eq!(a, b, "{} is not deterministic", path.display());
        assert!(emitted.top().is_some());
        let fpga = design.config_json().unwrap()["design"]["target"] == "fpga";
        for m in &emitted.modules {
            assert!(!m.text.contains('$'), "`$` in {}", m.name);
            if !fpga {
                assert!(!m.text.contains("initial"), "`initial` in {}", m.name);
            }
        }
    }
}

#[test]
fn top_carries_the_design_name_and_caravel_bus() {
    let cfg = memforge_spec::load_file(&common::root().join("examples/tile-8x8.toml")).unwrap();
    let (emitted, _) = generate_files(&cfg).unwrap();
    let top = emitted.top().unwrap();
    assert!(top.text.contains("module tile8x8("));
    for port in [
        "wb_clk_i",
        "wb_rst_i",
        "wbs_stb_i",
        "wbs_cyc_i",
        "wbs_we_i",
        "wbs_sel_i",
        "wbs_dat_i",
        "wbs_adr_i",
        "wbs_ack_o",
        "wbs_dat_o",
    ] {
        assert!(
            emitted.ports.iter().any(|p| p.name == port),
            "missing port {port}"
        );
    }
}

#[test]
fn register_docs_match_the_description() {
    let cfg = memforge_spec::load_file(&common::root().join("examples/tile-32x32.toml")).unwrap();
    let expected = memforge::cmd::regmap::markdown_page(&cfg, "examples/tile-32x32.toml");
    let on_disk = std::fs::read_to_string(common::root().join("docs/registers.md")).unwrap();
    assert!(
        on_disk == expected,
        "docs/registers.md is stale; run `./dev regen`"
    );
}

use super::*;
use memforge_spec::{parse_str, DesignConfig, Role};
use std::collections::BTreeMap;

/// The Caravel Wishbone slave plus AER and macro ports, as a tile has them
/// (a small synthetic contract, so the pin counts below are easy to follow).
fn tile_ports() -> PortContract {
    use memforge_spec::Dir::{In as I, Out as O};
    PortContract::new()
        .port("wb_clk_i", I, 1, Role::Clock, "")
        .port("wb_rst_i", I, 1, Role::ResetRequest, "")
        .wishbone_slave()
        .port("aer_in_valid", I, 1, Role::AerIn, "")
        .port("aer_in_addr", I, 8, Role::AerIn, "")
        .port("aer_in_ready", O, 1, Role::AerIn, "")
        .port("aer_out_valid", O, 1, Role::AerOut, "")
        .port("aer_out_addr", O, 8, Role::AerOut, "")
        .port("aer_out_ready", I, 1, Role::AerOut, "")
        .port("xbar_row", O, 8, Role::Macro, "")
        .port("xbar_adc", I, 6, Role::Macro, "")
}

fn cfg(extra: &str) -> DesignConfig {
    parse_str(&format!("[design]\nname = \"tile\"\n{extra}"), "t.toml").unwrap()
}

fn files(c: &DesignConfig, ports: &PortContract) -> BTreeMap<String, String> {
    render(&c.design.name, &c.flow, ports)
        .unwrap()
        .into_iter()
        .collect()
}

/// `tool` -> accepted names, from constraints/variables.txt.
fn accepted() -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let text = include_str!("../../../constraints/variables.txt");
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut it = line.split_whitespace();
        let (tool, name) = (it.next().unwrap(), it.next().unwrap());
        map.entry(tool.into()).or_default().push(name.into());
    }
    map
}

fn keys_not_accepted(config: &str, tool: &str) -> Vec<String> {
    let ok = accepted();
    let allowed = |kind: &str, k: &str| ok[&format!("{tool}{kind}")].iter().any(|a| a == k);
    let v: serde_json::Value = serde_json::from_str(config).unwrap();
    let mut bad = Vec::new();
    for (k, val) in v.as_object().unwrap() {
        if k != "meta" && !allowed("", k) {
            bad.push(k.clone());
        }
        if k == "MACROS" {
            for entry in val.as_object().unwrap().values() {
                for (field, inner) in entry.as_object().unwrap() {
                    if !allowed("-macro", field) {
                        bad.push(format!("MACROS.{field}"));
                    }
                    if field == "instances" {
                        for inst in inner.as_object().unwrap().values() {
                            bad.extend(
                                inst.as_object()
                                    .unwrap()
                                    .keys()
                                    .filter(|f| !allowed("-instance", f))
                                    .cloned(),
                            );
                        }
                    }
                }
            }
        }
    }
    bad
}

const MACRO: &str = "[flow.xbar_macro]\nmodule = \"xbar8\"\nlef = \"macros/xbar8.lef\"\ngds = \"macros/xbar8.gds\"\nlib = \"macros/xbar8.lib\"\ninstance = \"u_xbar\"\nlocation_um = [10, 20]\n";

#[test]
fn writes_every_file_at_its_documented_path() {
    let f = files(&cfg(""), &tile_ports());
    let paths: Vec<&str> = f.keys().map(String::as_str).collect();
    assert_eq!(
        paths,
        [
            "constraints/tile.sdc",
            "fpga/tile.pcf",
            "librelane/config.json",
            "openlane/config.json",
            "pin_order.cfg"
        ]
    );
}

#[test]
fn rendering_is_deterministic() {
    let c = cfg(MACRO);
    assert_eq!(
        render(&c.design.name, &c.flow, &tile_ports()).unwrap(),
        render(&c.design.name, &c.flow, &tile_ports()).unwrap()
    );
}

#[test]
fn every_config_key_is_one_the_tool_accepts() {
    for extra in ["", MACRO, "[flow]\ndie_area_um = [0, 0, 300, 200]\n"] {
        let f = files(&cfg(extra), &tile_ports());
        assert_eq!(
            keys_not_accepted(&f["openlane/config.json"], "openlane2"),
            Vec::<String>::new()
        );
        assert_eq!(
            keys_not_accepted(&f["librelane/config.json"], "librelane3"),
            Vec::<String>::new()
        );
    }
}

/// The Caravel wrapper's configs (`[caravel]`): only variables the tools
/// accept, the user area, both macros placed and hooked to the supplies.
#[test]
fn caravel_wrapper_configs_use_only_accepted_variables() {
    for extra in ["[caravel]\n", &format!("{MACRO}[caravel]\n")] {
        let c = cfg(extra);
        let contract = memforge_spec::blocks::tile::contract(&c);
        let f: BTreeMap<String, String> = crate::flows::caravel::render(&c, &contract)
            .unwrap()
            .into_iter()
            .collect();
        for (path, tool) in [
            (crate::flows::caravel::OPENLANE_CONFIG, "openlane2"),
            (crate::flows::caravel::LIBRELANE_CONFIG, "librelane3"),
        ] {
            assert_eq!(
                keys_not_accepted(&f[path], tool),
                Vec::<String>::new(),
                "{path}"
            );
            let v: serde_json::Value = serde_json::from_str(&f[path]).unwrap();
            assert_eq!(v["DESIGN_NAME"], "user_project_wrapper");
            assert_eq!(v["DIE_AREA"], "0 0 2920 3520");
            assert_eq!(
                v["MACROS"]["tile"]["instances"]["mprj"]["location"],
                json!([60.0, 15.0])
            );
            assert!(v["MACROS"]["tile_xbar"]["instances"]["xbar"].is_object());
            assert_eq!(
                v["PDN_MACRO_CONNECTIONS"][0],
                "mprj vccd1 vssd1 vccd1 vssd1"
            );
        }
    }
    // Without [caravel], no wrapper files.
    let c = cfg("");
    assert!(
        crate::flows::caravel::render(&c, &memforge_spec::blocks::tile::contract(&c))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn configs_carry_the_flow_intent() {
    let f = files(
        &cfg("[flow]\nclock_period_ns = 25\ndie_area_um = [0, 0, 300, 200]\n"),
        &tile_ports(),
    );
    let ol: serde_json::Value = serde_json::from_str(&f["openlane/config.json"]).unwrap();
    assert_eq!(ol["DESIGN_NAME"], "tile");
    assert_eq!(ol["CLOCK_PERIOD"], 25.0);
    assert_eq!(ol["FP_SIZING"], "absolute");
    assert_eq!(ol["DIE_AREA"], "0 0 300 200");
    assert_eq!(ol["VERILOG_FILES"], json!(["dir::../rtl/*.v"]));
    assert_eq!(ol["PNR_SDC_FILE"], "dir::../constraints/tile.sdc");
    assert_eq!(ol["FP_PIN_ORDER_CFG"], "dir::../pin_order.cfg");
    assert!(ol.get("FP_CORE_UTIL").is_none() && ol.get("MACROS").is_none());
    let ll: serde_json::Value = serde_json::from_str(&f["librelane/config.json"]).unwrap();
    assert_eq!(ll["IO_PIN_ORDER_CFG"], ol["FP_PIN_ORDER_CFG"]);
    assert_eq!(ll["FALLBACK_SDC"], ol["FALLBACK_SDC_FILE"]);
    let relative = files(&cfg(""), &tile_ports());
    let ol: serde_json::Value = serde_json::from_str(&relative["openlane/config.json"]).unwrap();
    assert_eq!(
        (ol["FP_SIZING"].as_str(), ol["FP_CORE_UTIL"].as_f64()),
        (Some("relative"), Some(40.0))
    );
}

#[test]
fn the_macro_points_at_the_user_supplied_views() {
    let f = files(&cfg(MACRO), &tile_ports());
    let ol: serde_json::Value = serde_json::from_str(&f["openlane/config.json"]).unwrap();
    let m = &ol["MACROS"]["xbar8"];
    assert_eq!(m["lef"], json!(["dir::../macros/xbar8.lef"]));
    assert_eq!(m["gds"], json!(["dir::../macros/xbar8.gds"]));
    assert_eq!(m["lib"], json!({"*": ["dir::../macros/xbar8.lib"]}));
    assert_eq!(
        m["instances"]["u_xbar"],
        json!({"location": [10.0, 20.0], "orientation": "N"})
    );
}

#[test]
fn sdc_numbers_follow_the_flow_section() {
    let f = files(
        &cfg("[flow]\nclock_period_ns = 8\nio_delay_pct = 25\n"),
        &tile_ports(),
    );
    let sdc = &f["constraints/tile.sdc"];
    assert!(
        sdc.contains("create_clock -name wb_clk_i -period 8.000 [get_ports wb_clk_i]"),
        "{sdc}"
    );
    assert!(
        sdc.contains("set_input_delay 2.000 -clock [get_clocks wb_clk_i] [get_ports {wb_rst_i "),
        "{sdc}"
    );
    assert!(
        sdc.contains("set_load 0.033442 [get_ports {wbs_ack_o wbs_dat_o[*] "),
        "{sdc}"
    );
    assert!(
        sdc.contains("set_false_path -from [get_ports wb_rst_i]"),
        "{sdc}"
    );
    // The clock itself gets no input delay.
    assert!(!sdc.contains("{wb_clk_i"), "{sdc}");
}

#[test]
fn every_port_bit_is_in_exactly_one_pin_order_line_on_its_side() {
    let ports = tile_ports();
    let f = files(&cfg(""), &ports);
    let mut side = "";
    let mut lines: Vec<(String, regex::Regex)> = Vec::new();
    for line in f["pin_order.cfg"].lines().filter(|l| !l.is_empty()) {
        if let Some(s) = line.strip_prefix('#') {
            side = match s {
                "N" | "E" | "S" | "W" => s,
                other => panic!("unknown section {other}"),
            };
        } else {
            lines.push((
                side.to_string(),
                regex::Regex::new(&format!("^(?:{line})$")).unwrap(),
            ));
        }
    }
    for p in &ports.ports {
        let bits: Vec<String> = if p.width > 1 {
            (0..p.width).map(|i| format!("{}[{i}]", p.name)).collect()
        } else {
            vec![p.name.clone()]
        };
        let want = sides::side(p.role).letter();
        for bit in bits {
            let hits: Vec<&String> = lines
                .iter()
                .filter(|(_, re)| re.is_match(&bit))
                .map(|(s, _)| s)
                .collect();
            assert_eq!(hits, vec![want], "{bit}");
        }
    }
}

#[test]
fn pcf_places_every_bit_on_its_own_pin_and_the_clock_on_a_global_buffer() {
    let ports = tile_ports();
    let f = files(&cfg(""), &ports);
    let sets: Vec<(&str, &str)> = f["fpga/tile.pcf"]
        .lines()
        .filter_map(|l| l.strip_prefix("set_io "))
        .map(|l| l.split_once(' ').unwrap())
        .collect();
    let bits: u32 = ports.ports.iter().map(|p| p.width).sum();
    assert_eq!(sets.len() as u32, bits);
    assert!(sets.contains(&("wb_clk_i", ice40_pins::CLOCK_PIN)));
    let mut pins: Vec<&str> = sets.iter().map(|s| s.1).collect();
    pins.sort_unstable();
    pins.dedup();
    assert_eq!(pins.len(), sets.len());
    assert!(pins.iter().all(|p| ice40_pins::PINS.contains(p)));
}

#[test]
fn a_design_too_wide_for_the_package_gets_a_wrapper_without_the_macro_pins() {
    let ports = tile_ports().port("xbar_wide", memforge_spec::Dir::In, 100, Role::Macro, "");
    let f = files(&cfg(""), &ports);
    let wrapper = &f["fpga/tile_fpga.v"];
    assert!(wrapper.contains("module tile_fpga ("), "{wrapper}");
    assert!(
        wrapper.contains("// memforge-wrapper-flops: 107\n"),
        "{wrapper}"
    );
    assert!(
        wrapper.contains("xbar_chain <= {xbar_chain[104:0], xbar_scan_in};"),
        "{wrapper}"
    );
    assert!(wrapper.contains("xbar_scan_q <= ^{xbar_row};"), "{wrapper}");
    assert!(wrapper.contains(".xbar_wide(xbar_wide)"), "{wrapper}");
    let pcf = &f["fpga/tile.pcf"];
    assert!(
        pcf.contains("set_io xbar_scan_in ") && pcf.contains("set_io xbar_scan_out "),
        "{pcf}"
    );
    assert!(
        !pcf.contains("xbar_row") && !pcf.contains("xbar_wide"),
        "{pcf}"
    );
}

#[test]
fn a_design_too_wide_even_without_its_macro_ports_gets_no_fpga_files() {
    let ports = tile_ports().port("aer_in_wide", memforge_spec::Dir::In, 200, Role::AerIn, "");
    let f = files(&cfg(""), &ports);
    assert!(!f.contains_key("fpga/tile.pcf") && !f.contains_key("fpga/tile_fpga.v"));
}

#[test]
fn a_design_without_the_clock_port_is_refused() {
    let mut ports = tile_ports();
    ports.ports.retain(|p| p.name != "wb_clk_i");
    let err = render("tile", &cfg("").flow, &ports).unwrap_err();
    assert!(format!("{err:#}").contains("no clock input"), "{err:#}");
}

//! The Verilator bridge on a small hand-written design with narrow, 40-bit
//! and 100-bit ports: build, cache, width masking, clocking, VCD. Fails (does
//! not skip) when Verilator is missing.

use memforge_sim::cycle::PortSpec;
use memforge_sim::verilator::{BuildOptions, RtlDesign, VerilatedLibrary};
use std::path::{Path, PathBuf};

const RTL: &str = "module wide_cnt(
    input wire clock,
    input wire rst_n,
    input wire [7:0] inc__0,
    input wire [99:0] wide_i,
    output reg [7:0] q,
    output reg [39:0] mid_o,
    output reg [99:0] wide_o
);
always @(posedge clock or negedge rst_n)
    if (!rst_n) begin
        q <= 8'h0;
        mid_o <= 40'h0;
        wide_o <= 100'h0;
    end else begin
        q <= q + inc__0;
        mid_o <= {32'h0, q} + 40'hff_0000_0000;
        wide_o <= wide_i ^ {92'h0, q};
    end
endmodule
";

fn verilator() -> PathBuf {
    let path = std::env::var_os("MEMFORGE_VERILATOR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("verilator"));
    // Fails loudly (no skip) without Verilator.
    memforge_sim::verilator::verilator_version(&path)
        .unwrap_or_else(|e| panic!("this test needs Verilator: {e}"));
    path
}

fn port(name: &str, input: bool, width: u32) -> PortSpec {
    PortSpec {
        name: name.into(),
        input,
        width,
    }
}

fn design(dir: &Path) -> RtlDesign {
    std::fs::create_dir_all(dir.join("rtl")).unwrap();
    std::fs::write(dir.join("rtl/wide_cnt.v"), RTL).unwrap();
    std::fs::write(dir.join("wide_cnt.f"), "rtl/wide_cnt.v\n").unwrap();
    let ports = vec![
        port("clock", true, 1),
        port("rst_n", true, 1),
        port("inc__0", true, 8),
        port("wide_i", true, 100),
        port("q", false, 8),
        port("mid_o", false, 40),
        port("wide_o", false, 100),
    ];
    RtlDesign::from_dir(dir, "wide_cnt", ports).unwrap()
}

#[test]
fn ports_of_every_width_round_trip_through_the_model() {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("verilator_bridge");
    let design = design(&tmp.join("design"));
    let opts = BuildOptions::new(verilator(), tmp.join("cache"));
    let lib = VerilatedLibrary::build(&design, &opts).unwrap_or_else(|e| panic!("{e}"));
    let again = VerilatedLibrary::build(&design, &opts).unwrap();
    assert!(
        again.was_cached(),
        "a second build of the same RTL comes from the cache"
    );
    assert_eq!(again.path(), lib.path());

    let mut m = lib.instantiate(true).unwrap();
    let [clock, rst_n, inc, wide_i, q, mid_o, wide_o] =
        ["clock", "rst_n", "inc__0", "wide_i", "q", "mid_o", "wide_o"]
            .map(|n| m.port_index(n).unwrap());
    let vcd = tmp.join("bridge.vcd");
    m.open_vcd(&vcd).unwrap();
    m.set(rst_n, 0);
    m.cycle(clock);
    m.set(rst_n, 1);
    m.set(inc, 0x1_03); // masked to 8 bits: 3
    m.set_words(wide_i, &[0xdead_beef_0123_4567, u64::MAX]);
    for _ in 0..5 {
        m.cycle(clock);
    }
    m.close_vcd();
    assert_eq!(m.get(q), 15);
    assert_eq!(m.get(mid_o), 0xff_0000_0000 + 12);
    let mut out = [0u64; 2];
    m.get_words(wide_o, &mut out);
    // The upper 36 bits of word 1 were masked off on the way in.
    assert_eq!(out, [0xdead_beef_0123_4567 ^ 12, 0xf_ffff_ffff]);
    assert_eq!(m.get(wide_o), 0xdead_beef_0123_4567 ^ 12);

    let text = std::fs::read_to_string(&vcd).unwrap();
    assert!(text.contains("wide_o") && text.contains("$enddefinitions"));

    // A second instance is independent of the first.
    let fresh = lib.instantiate(false).unwrap();
    assert_eq!(fresh.get(q), 0);
    let mut fresh = fresh;
    assert!(
        fresh.open_vcd(&vcd).is_err(),
        "untraced instances refuse a VCD"
    );
}

#[test]
fn build_failures_carry_the_compiler_output() {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("verilator_bridge_bad");
    let dir = tmp.join("design");
    std::fs::create_dir_all(dir.join("rtl")).unwrap();
    std::fs::write(dir.join("rtl/broken.v"), "module broken(input wire clock, output reg q);\nalways @(posedge clock) q <= undeclared_signal;\nendmodule\n").unwrap();
    std::fs::write(dir.join("broken.f"), "rtl/broken.v\n").unwrap();
    let design = RtlDesign::from_dir(
        &dir,
        "broken",
        vec![port("clock", true, 1), port("q", false, 1)],
    )
    .unwrap();
    let err = VerilatedLibrary::build(&design, &BuildOptions::new(verilator(), tmp.join("cache")))
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("undeclared_signal"), "{text}");
    assert!(text.contains("build.log"), "{text}");
}

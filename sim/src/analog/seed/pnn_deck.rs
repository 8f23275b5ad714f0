//! The PNN column as an ngspice deck, written from the same config and the
//! same seeded column as the Rust model (no Verilog-A):
//!
//! - the membrane: a capacitor `cm` from node `m` to ground, starting at
//!   `e_leak` (`uic`), a leak resistor to a source at `e_leak`;
//! - each input `k`: a 0..1 V PWL pulse source `s<k>` (the deck's only
//!   edges: `edge_ns` ramps) and a `B` current source into `m` of
//!   `v(s<k>) (G+ (E+ - V) + G- (E- - V))`, i.e. the switched conductances
//!   to both reversal rails;
//! - the comparator and reset: a voltage-controlled switch from `m` to the
//!   `v_reset` rail, controlled by `V` itself, closing at `v_th` and opening
//!   at `v_release` (`vt`/`vh` hysteresis), `ron = r_reset_ohm`,
//!   `roff = r_off_ohm`.

use super::pnn::{t_stop, PnnColumn};
use memforge_spec::seed::pnn::PnnSection;
use std::fmt::Write;

/// The membrane node's vector in the raw file.
pub const MEMBRANE: &str = "v(m)";

fn num(x: f64) -> String {
    format!("{x:.16e}")
}

/// The deck; `.tran` outputs at `sample_ns` with a maximum step of a
/// quarter of it.
pub fn deck(p: &PnnSection, col: &PnnColumn) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "* memforge PNN charge-domain column, {} inputs, {} steps (Sakemi et al.)",
        p.inputs, p.steps
    );
    // reltol 1e-6 left ngspice's spike times up to 90 ps early (its own
    // truncation error near the threshold, which then decides grazing
    // spikes); at 1e-8 they agree with the exact solution within ~10 ps,
    // and 1e-9 with a 4x smaller step moved them by under 5 ps more.
    out.push_str(
        ".options reltol=1e-8 abstol=1e-15 vntol=1e-12 chgtol=1e-24 method=gear maxord=2\n",
    );
    let _ = writeln!(
        out,
        "cm m 0 {} ic={}",
        num(p.c_mem_ff * 1e-15),
        num(p.e_leak)
    );
    let _ = writeln!(out, "rl m el {}", num(1.0 / (p.g_leak_ns * 1e-9)));
    let _ = writeln!(out, "vel el 0 {}", num(p.e_leak));
    let _ = writeln!(out, "vep ep 0 {}", num(p.e_exc));
    let _ = writeln!(out, "ven en 0 {}", num(p.e_inh));
    let _ = writeln!(out, "vrr rr 0 {}", num(p.v_reset));
    let (vt, vh) = (0.5 * (p.v_th + p.v_release), 0.5 * (p.v_th - p.v_release));
    let _ = writeln!(
        out,
        ".model swrst sw vt={} vh={} ron={} roff={}",
        num(vt),
        num(vh),
        num(p.r_reset_ohm),
        num(p.r_off_ohm)
    );
    out.push_str("srst m rr m 0 swrst\n");
    let step = p.step_ns * 1e-9;
    let e = p.edge_ns * 1e-9;
    let w = p.pulse_ns * 1e-9;
    for k in 0..p.inputs as usize {
        let mut pts = vec![(0.0, 0.0)];
        for (s, row) in col.spikes.iter().enumerate() {
            if row[k] {
                let t0 = s as f64 * step;
                for (t, v) in [
                    (t0, 0.0),
                    (t0 + e, 1.0),
                    (t0 + e + w, 1.0),
                    (t0 + 2.0 * e + w, 0.0),
                ] {
                    pts.push((t, v));
                }
            }
        }
        pts.dedup_by(|a, b| a.0 == b.0);
        let pwl: Vec<String> = pts
            .iter()
            .map(|(t, v)| format!("{} {}", num(*t), v))
            .collect();
        let _ = writeln!(out, "vs{k} s{k} 0 pwl({})", pwl.join(" "));
        let _ = writeln!(
            out,
            "bs{k} 0 m i=v(s{k})*({}*(v(ep)-v(m))+{}*(v(en)-v(m)))",
            num(col.g_exc[k]),
            num(col.g_inh[k])
        );
    }
    let _ = writeln!(out, ".save {MEMBRANE}");
    let dt = p.sample_ns * 1e-9;
    let _ = writeln!(
        out,
        ".tran {} {} 0 {} uic",
        num(dt),
        num(t_stop(p)),
        num(dt / 4.0)
    );
    out.push_str(".end\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_source_per_input_and_the_reset_switch() {
        let p = PnnSection {
            inputs: 3,
            steps: 4,
            ..PnnSection::default()
        };
        let col = PnnColumn::from_config(&p);
        let d = deck(&p, &col);
        assert_eq!(d.lines().filter(|l| l.starts_with("bs")).count(), 3);
        assert_eq!(d.lines().filter(|l| l.starts_with("vs")).count(), 3);
        assert!(d.contains("srst m rr m 0 swrst"));
        assert!(d.contains(".save v(m)"));
        assert!(d.ends_with(".end\n"));
    }
}

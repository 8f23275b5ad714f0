//! Energy per synaptic operation: the digital periphery's power (OpenSTA,
//! measured activity) over the run's cycles, the crossbar's read energy from
//! the circuit solver, and the ADC conversions from NeuroSim's 130 nm SAR
//! fit, all divided by the synaptic operations the run performed.

use anyhow::Result;
use memforge_sim::analog::CrossbarArray;
use memforge_spec::DesignConfig;
use serde::Serialize;

/// Published figures of other chips, pJ per synaptic operation (SENECA's
/// comparison table, Tang et al. 2023, PMC10326429, Table 3).
pub const REFERENCES: [(&str, f64, &str); 3] = [
    ("ODIN", 12.7, "28 nm FDSOI silicon"),
    ("ReckOn", 5.3, "28 nm FDSOI silicon"),
    ("Loihi", 23.6, "Intel 14 nm silicon"),
];

/// The crossbar's read, from the circuit solver.
#[derive(Clone, Debug, Serialize)]
pub struct CrossbarRead {
    /// Mean energy of one row READ (every column), joules.
    pub joules_per_row_read: f64,
    /// Mean column current of a one-row read, amperes.
    pub mean_column_current_a: f64,
    /// The read's duration: one clock period (the macro samples within
    /// the cycle the sequencer asserts READ).
    pub read_seconds: f64,
}

/// Row reads of every row of a crossbar programmed to random levels (the
/// config's seed), through the circuit solver with the config's wires,
/// access devices and read voltage: V_read x I_row x t for each.
pub fn crossbar_read(cfg: &DesignConfig) -> Result<CrossbarRead> {
    let mut xbar = CrossbarArray::from_design(cfg)?;
    xbar.program_random_levels()?;
    let rows = xbar.rows();
    let v = cfg.analog.read_voltage;
    let t = cfg.flow.clock_period_ns * 1e-9;
    let (mut joules, mut current) = (0.0, 0.0);
    for r in 0..rows {
        let active: Vec<bool> = (0..rows).map(|i| i == r).collect();
        let cols = xbar.read_columns(&active)?;
        let i_row: f64 = cols.iter().map(|i| i.abs()).sum();
        joules += v.abs() * i_row * t;
        current += i_row / cols.len().max(1) as f64;
    }
    Ok(CrossbarRead {
        joules_per_row_read: joules / rows as f64,
        mean_column_current_a: current / rows as f64,
        read_seconds: t,
    })
}

/// One SAR conversion of `bits` bits on a column of resistance `r_col`,
/// joules: NeuroSim's 130 nm fit (DNN_NeuroSim_V1.4 `SarADC.cpp`),
/// P = (6.4806 log2 L + 49.047) uW + 0.207452 exp(-2.367 log10 R_col) W,
/// E = P (log2 L + 1) x 1 ns, with L = 2^bits levels.
pub fn sar_conversion_joules(bits: u32, r_col: f64) -> f64 {
    let log2l = f64::from(bits);
    let power = (6.4806 * log2l + 49.047) * 1e-6 + 0.207452 * (-2.367 * r_col.log10()).exp();
    power * (log2l + 1.0) * 1e-9
}

/// The per-SOP breakdown of one run.
#[derive(Clone, Debug, Serialize)]
pub struct Breakdown {
    pub synaptic_ops: u64,
    pub row_reads: u64,
    pub digital_j: f64,
    pub crossbar_j: f64,
    pub adc_j: f64,
    pub total_j: f64,
    pub digital_pj_per_sop: f64,
    pub crossbar_pj_per_sop: f64,
    pub adc_pj_per_sop: f64,
    pub total_pj_per_sop: f64,
}

/// What a run did and what its parts cost.
pub struct Run<'a> {
    pub digital_w: f64,
    pub cycles: u64,
    pub period_s: f64,
    /// Column conversions the macro answered: one synaptic operation each
    /// (a row's cell on one column, read and digitised).
    pub conversions: u64,
    pub cols: u64,
    pub read: &'a CrossbarRead,
    pub adc_bits: u32,
    pub r_col: f64,
}

/// Splits the run's energy over its synaptic operations.
pub fn breakdown(run: &Run) -> Breakdown {
    let Run {
        digital_w,
        cycles,
        period_s,
        conversions: sops,
        cols,
        read,
        adc_bits,
        r_col,
    } = *run;
    let row_reads = sops / cols.max(1);
    let digital_j = digital_w * cycles as f64 * period_s;
    let crossbar_j = read.joules_per_row_read * sops as f64 / cols.max(1) as f64;
    let adc_j = sar_conversion_joules(adc_bits, r_col) * sops as f64;
    let total_j = digital_j + crossbar_j + adc_j;
    let per = |j: f64| {
        if sops == 0 {
            f64::NAN
        } else {
            j / sops as f64 * 1e12
        }
    };
    Breakdown {
        synaptic_ops: sops,
        row_reads,
        digital_j,
        crossbar_j,
        adc_j,
        total_j,
        digital_pj_per_sop: per(digital_j),
        crossbar_pj_per_sop: per(crossbar_j),
        adc_pj_per_sop: per(adc_j),
        total_pj_per_sop: per(total_j),
    }
}

/// The write-verify programming of a run: the periphery's digital energy
/// while it programs and the pulses' energy in the cells.
#[derive(Clone, Debug, Serialize)]
pub struct ProgrammingEnergy {
    pub cells: usize,
    pub pulses: u64,
    /// OpenSTA's power over the programming phase's activity, W.
    pub digital_w: f64,
    pub seconds: f64,
    pub digital_j: f64,
    /// One pulse: V^2 G t (see [`programming`]).
    pub pulse_j: f64,
    pub pulses_j: f64,
    pub total_j: f64,
    pub per_cell_j: f64,
}

/// Programming energy: `digital_w` over `seconds`, plus `pulses` pulses of
/// V^2 G t each, with V and t the config's amplitude and width codes
/// (`[program]`) times `[analog.pulse]`'s volts and seconds per code and G
/// the middle of the conductance range. A first-order estimate: the cell
/// is taken as ohmic at mid-range during the pulse (the device's
/// non-linear I-V at write voltages and the drivers are not modelled).
pub fn programming(
    cfg: &DesignConfig,
    digital_w: f64,
    seconds: f64,
    pulses: u64,
    cells: usize,
) -> ProgrammingEnergy {
    let v = f64::from(cfg.program.pulse_amplitude) * cfg.analog.pulse.volts_per_code;
    let t = f64::from(cfg.program.pulse_width) * cfg.analog.pulse.seconds_per_code;
    let g = 0.5 * (cfg.analog.g_min_us + cfg.analog.g_max_us) * 1e-6;
    let pulse_j = v * v * g * t;
    let digital_j = digital_w * seconds;
    let pulses_j = pulse_j * pulses as f64;
    let total_j = digital_j + pulses_j;
    ProgrammingEnergy {
        cells,
        pulses,
        digital_w,
        seconds,
        digital_j,
        pulse_j,
        pulses_j,
        total_j,
        per_cell_j: total_j / cells.max(1) as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sar_fit_grows_with_resolution_and_falls_with_column_resistance() {
        // 8 bits at 100 kOhm: (51.84 + 49.047) uW + 0.207452 exp(-2.367 * 5) W,
        // times 9 ns.
        let e = sar_conversion_joules(8, 1e5);
        let expect = ((6.4806 * 8.0 + 49.047) * 1e-6 + 0.207452 * (-2.367 * 5.0f64).exp()) * 9e-9;
        assert!((e - expect).abs() < 1e-20, "{e} vs {expect}");
        assert!(sar_conversion_joules(4, 1e5) < e);
        assert!(sar_conversion_joules(8, 1e3) > e);
    }

    #[test]
    fn the_breakdown_adds_up_per_operation() {
        let read = CrossbarRead {
            joules_per_row_read: 8e-13,
            mean_column_current_a: 1e-6,
            read_seconds: 1e-8,
        };
        let b = breakdown(&Run {
            digital_w: 1e-3,
            cycles: 1000,
            period_s: 1e-8,
            conversions: 80,
            cols: 8,
            read: &read,
            adc_bits: 6,
            r_col: 2e5,
        });
        assert_eq!(b.row_reads, 10);
        assert_eq!(b.synaptic_ops, 80);
        assert!((b.digital_j - 1e-8).abs() < 1e-20);
        assert!((b.crossbar_j - 8e-12).abs() < 1e-24);
        let sum = b.digital_pj_per_sop + b.crossbar_pj_per_sop + b.adc_pj_per_sop;
        assert!((sum - b.total_pj_per_sop).abs() < 1e-9 * sum);
    }

    #[test]
    fn a_programming_pulse_is_v_squared_g_t() {
        let mut cfg = memforge_spec::parse_str(crate::cmd::demo::BUILTIN_EXAMPLE, "t").unwrap();
        cfg.program.pulse_amplitude = 8; // 1 V at 0.125 V per code
        cfg.program.pulse_width = 4; // 100 ns at 25 ns per code
        cfg.analog.g_min_us = 10.0;
        cfg.analog.g_max_us = 30.0; // 20 uS mid-range
        let p = programming(&cfg, 2e-3, 1e-6, 10, 5);
        assert!((p.pulse_j - 1.0 * 20e-6 * 100e-9).abs() < 1e-24, "{p:?}");
        assert!((p.digital_j - 2e-9).abs() < 1e-21);
        assert!((p.total_j - (2e-9 + 10.0 * 2e-12)).abs() < 1e-21);
        assert!((p.per_cell_j - p.total_j / 5.0).abs() < 1e-24);
    }
}

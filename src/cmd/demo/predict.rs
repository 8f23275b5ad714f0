//! What the output spikes should be, from the weights alone: an untimed,
//! functional LIF per neuron, written independently of the cycle model
//! (`memforge_sim::tile`) so that agreement between the two means something.
//!
//! Per input event (row `r`, value `x`), every neuron `c` adds
//! `level[r][c] << b` for each set bit `b` of `x` (saturating at 16 bits),
//! then fires if its potential is at least the threshold and resets to 0 or
//! subtracts the threshold. Valid for the configuration the demo writes:
//! no leak, zero refractory period; spikes leave in event order and, within
//! an event, in increasing column order.

use memforge_sim::cosim::session::AerEvent;
use memforge_spec::NeuronReset;

/// Expected spikes: how many per neuron, and the order they leave in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prediction {
    pub counts: Vec<u32>,
    pub sequence: Vec<u8>,
}

/// `levels` is row-major, `rows x cols`; `input_bits` clamps event values.
pub fn predict(
    levels: &[u16],
    cols: usize,
    events: &[AerEvent],
    input_bits: u32,
    threshold: u16,
    reset: NeuronReset,
) -> Prediction {
    let rows = levels.len() / cols.max(1);
    let max_value = (1u32 << input_bits) - 1;
    let mut v = vec![0u16; cols];
    let mut counts = vec![0u32; cols];
    let mut sequence = Vec::new();
    for e in events {
        let r = usize::from(e.row);
        if r >= rows {
            continue; // dropped by the tile
        }
        let x = u32::from(e.value).min(max_value);
        for (c, pot) in v.iter_mut().enumerate() {
            for b in (0..input_bits).filter(|b| x >> b & 1 == 1) {
                let add = (u32::from(levels[r * cols + c]) << b).min(0xffff) as u16;
                *pot = pot.saturating_add(add);
            }
        }
        for (c, pot) in v.iter_mut().enumerate() {
            if *pot >= threshold {
                counts[c] += 1;
                sequence.push(c as u8);
                *pot = match reset {
                    NeuronReset::Zero => 0,
                    NeuronReset::Subtract => *pot - threshold,
                };
            }
        }
    }
    Prediction { counts, sequence }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spikes(rows: &[u8]) -> Vec<AerEvent> {
        rows.iter().map(|&row| AerEvent { row, value: 1 }).collect()
    }

    #[test]
    fn integrates_fires_and_resets() {
        // 2 rows x 2 neurons; threshold 10.
        let levels = [6, 10, 5, 0];
        let ev = spikes(&[0, 1, 0, 9]);
        let zero = predict(&levels, 2, &ev, 1, 10, NeuronReset::Zero);
        // n0: 6, 11 -> fire (0), 6; n1: 10 -> fire, 0, 10 -> fire.
        assert_eq!(zero.counts, vec![1, 2]);
        assert_eq!(zero.sequence, vec![1, 0, 1]);
        let sub = predict(&levels, 2, &ev, 1, 10, NeuronReset::Subtract);
        // n0: 6, 11 -> fire (1), 7.
        assert_eq!(sub.counts, vec![1, 2]);
    }

    #[test]
    fn pwm_values_weight_by_bit_and_saturate() {
        let levels = [3, 0xffff];
        let ev = vec![AerEvent {
            row: 0,
            value: 0xff,
        }];
        // 3 input bits: value clamped to 7 -> 3 * 7 = 21.
        let p = predict(&levels, 2, &ev, 3, 21, NeuronReset::Zero);
        assert_eq!(p.counts, vec![1, 1]);
        let p = predict(&levels, 2, &ev, 3, 22, NeuronReset::Zero);
        assert_eq!(p.counts, vec![0, 1]);
    }
}

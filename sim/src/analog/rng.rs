//! Seeded random draws for the device models. Everything random in the
//! analog models comes from one `ChaCha8Rng` seeded by `analog.seed`, so a
//! run is reproducible bit for bit on every machine (ChaCha's output is
//! specified, unlike `StdRng`'s).

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// The generator type every analog model uses.
pub type AnalogRng = ChaCha8Rng;

/// A seeded generator (`rand_chacha` is portable and reproducible).
pub fn seeded(seed: u64) -> AnalogRng {
    use rand::SeedableRng;
    ChaCha8Rng::seed_from_u64(seed)
}

/// One standard normal draw (Box-Muller). Written here rather than pulling
/// in `rand_distr` for a single distribution.
pub fn standard_normal(rng: &mut AnalogRng) -> f64 {
    // `gen::<f64>()` is in [0, 1); shift to (0, 1] so the log is finite.
    let u1 = 1.0 - rng.gen::<f64>();
    let u2 = rng.gen::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// A normal draw with the given mean and standard deviation.
pub fn normal(rng: &mut AnalogRng, mean: f64, std: f64) -> f64 {
    if std == 0.0 {
        mean
    } else {
        mean + std * standard_normal(rng)
    }
}

/// A log-normal factor with median 1 (`exp(sigma N(0,1))`); exactly 1 when
/// `sigma` is 0 so ideal devices draw nothing that changes them.
pub fn lognormal_factor(rng: &mut AnalogRng, sigma: f64) -> f64 {
    if sigma == 0.0 {
        1.0
    } else {
        (sigma * standard_normal(rng)).exp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_draws_have_the_right_moments() {
        let mut rng = seeded(7);
        let n = 20_000;
        let xs: Vec<f64> = (0..n).map(|_| normal(&mut rng, 2.0, 0.5)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!((mean - 2.0).abs() < 0.02, "{mean}");
        assert!((var.sqrt() - 0.5).abs() < 0.02, "{var}");
    }

    #[test]
    fn same_seed_same_draws() {
        let a: Vec<f64> = (0..5)
            .map(|_| 0.0)
            .scan(seeded(3), |r, _| Some(standard_normal(r)))
            .collect();
        let b: Vec<f64> = (0..5)
            .map(|_| 0.0)
            .scan(seeded(3), |r, _| Some(standard_normal(r)))
            .collect();
        assert_eq!(a, b);
        assert_eq!(lognormal_factor(&mut seeded(1), 0.0), 1.0);
    }
}

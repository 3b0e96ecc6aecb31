//! Median, min and max of repeated measurements.

#[derive(Clone, Debug)]
pub struct Figure {
    pub samples: Vec<f64>,
}

impl Figure {
    pub fn new(samples: Vec<f64>) -> Self {
        assert!(!samples.is_empty(), "a figure needs at least one sample");
        Self { samples }
    }

    pub fn single(value: f64) -> Self {
        Self::new(vec![value])
    }

    fn sorted(&self) -> Vec<f64> {
        let mut s = self.samples.clone();
        s.sort_by(|a, b| a.total_cmp(b));
        s
    }

    pub fn median(&self) -> f64 {
        let s = self.sorted();
        let n = s.len();
        if n % 2 == 1 {
            s[n / 2]
        } else {
            (s[n / 2 - 1] + s[n / 2]) / 2.0
        }
    }

    pub fn min(&self) -> f64 {
        self.sorted()[0]
    }

    pub fn max(&self) -> f64 {
        *self.sorted().last().expect("not empty")
    }
}

/// The p-th percentile (0..=100) by nearest rank.
pub fn percentile(values: &[f64], p: f64) -> f64 {
    let mut s = values.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    let rank = ((p / 100.0) * s.len() as f64).ceil().max(1.0) as usize;
    s[rank.min(s.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_min_max_and_percentile() {
        let f = Figure::new(vec![5.0, 1.0, 3.0, 2.0]);
        assert_eq!((f.median(), f.min(), f.max()), (2.5, 1.0, 5.0));
        let values: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(percentile(&values, 95.0), 19.0);
        assert_eq!(percentile(&values, 100.0), 20.0);
        assert_eq!(percentile(&[7.0], 95.0), 7.0);
    }
}

//! Samples of one measured quantity: the median and the spread (min, max) of timed runs, with
//! warm-up runs already discarded by the caller.

use serde_json::{json, Value};

/// Timed values of one quantity (seconds, requests per second, a ratio...).
#[derive(Debug, Clone, Default)]
pub(crate) struct Samples {
    values: Vec<f64>,
}

impl Samples {
    /// Adds one run's value.
    pub(crate) fn push(&mut self, v: f64) {
        self.values.push(v);
    }

    /// Every run's value, in order.
    pub(crate) fn values(&self) -> &[f64] {
        &self.values
    }

    /// How many runs.
    pub(crate) fn len(&self) -> usize {
        self.values.len()
    }

    fn sorted(&self) -> Vec<f64> {
        let mut v = self.values.clone();
        v.sort_by(|a, b| a.total_cmp(b));
        v
    }

    /// The median (the mean of the two middle values for an even count); 0 when empty.
    pub(crate) fn median(&self) -> f64 {
        let v = self.sorted();
        match v.len() {
            0 => 0.0,
            n if n % 2 == 1 => v[n / 2],
            n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
        }
    }

    /// The smallest value.
    pub(crate) fn min(&self) -> f64 {
        self.sorted().first().copied().unwrap_or(0.0)
    }

    /// The largest value.
    pub(crate) fn max(&self) -> f64 {
        self.sorted().last().copied().unwrap_or(0.0)
    }

    /// Half the range relative to the median, in percent (`±x%`).
    pub(crate) fn spread_pct(&self) -> f64 {
        let m = self.median();
        if m == 0.0 {
            0.0
        } else {
            (self.max() - self.min()) / 2.0 / m * 100.0
        }
    }

    /// `median [min–max]` with `digits` decimals.
    pub(crate) fn show(&self, digits: usize) -> String {
        format!(
            "{:.*} [{:.*}–{:.*}]",
            digits,
            self.median(),
            digits,
            self.min(),
            digits,
            self.max()
        )
    }

    /// The JSON form: median, min, max, spread and every run.
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "median": self.median(),
            "min": self.min(),
            "max": self.max(),
            "spread_pct": self.spread_pct(),
            "runs": self.values,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        let mut s = Samples::default();
        for v in [3.0, 1.0, 2.0] {
            s.push(v);
        }
        assert_eq!((s.median(), s.min(), s.max()), (2.0, 1.0, 3.0));
        s.push(10.0);
        assert_eq!(s.median(), 2.5);
        assert_eq!(s.spread_pct(), 180.0);
    }
}

//! The benchmark report: every figure with median, min and max, compared with its target.

use serde_json::{json, Map, Value};

use super::stats::Figure;

/// Where we want to be (issue 7). `≤` targets only.
const TARGETS: &[(&str, f64)] = &[
    ("bundle.app_brotli_bytes", 200_000.0),
    ("startup.shell_ms", 300.0),
    ("inventory50k.load_ms", 3_000.0),
    ("inventory50k.filter_p95_ms", 16.0),
    ("inventory50k.dom_rows_max", 300.0),
    ("inventory50k.js_heap_mb", 80.0),
    ("bulk.console_vs_optimum", 1.10),
    ("bulk.lost", 0.0),
    ("bulk.duplicates", 0.0),
];

pub struct Report {
    quick: bool,
    runs: usize,
    figures: Vec<(String, Figure, &'static str)>,
    meta: Map<String, Value>,
}

impl Report {
    pub fn new(quick: bool, runs: usize) -> Self {
        Self {
            quick,
            runs,
            figures: Vec::new(),
            meta: Map::new(),
        }
    }

    pub fn add(&mut self, name: &str, figure: Figure, unit: &'static str) {
        self.figures.push((name.to_string(), figure, unit));
    }

    /// Extra context for the report's `meta` (e.g. the bulk bench's simulator settings).
    pub fn meta(&mut self, key: &str, value: Value) {
        self.meta.insert(key.to_string(), value);
    }

    fn target(name: &str) -> Option<f64> {
        TARGETS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }

    pub fn to_json(&self) -> Value {
        let mut figures = Map::new();
        for (name, f, unit) in &self.figures {
            let mut entry = json!({
                "median": f.median(), "min": f.min(), "max": f.max(),
                "samples": f.samples, "unit": unit,
            });
            if let Some(target) = Self::target(name) {
                entry["target_max"] = json!(target);
                entry["met"] = json!(f.median() <= target);
                if target > 0.0 {
                    entry["ratio_to_target"] = json!(f.median() / target);
                }
                entry["missed_by"] = json!((f.median() - target).max(0.0));
            }
            figures.insert(name.clone(), entry);
        }
        let mut meta = json!({
            "date": today(),
            "quick": self.quick,
            "runs": self.runs,
            "machine": format!("{} cores", std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)),
        });
        for (k, v) in &self.meta {
            meta[k] = v.clone();
        }
        json!({ "meta": meta, "figures": figures })
    }

    pub fn table(&self) -> String {
        let mut out = format!(
            "\n{:<34} {:>14} {:>12} {:>12}  {}\n",
            "figure", "median", "min", "max", "target"
        );
        for (name, f, unit) in &self.figures {
            let target = match Self::target(name) {
                Some(t) if f.median() <= t => format!("≤ {} {unit}: met", fmt(t)),
                Some(t) if t == 0.0 => format!("= 0: MISSED by {} {unit}", fmt(f.median())),
                Some(t) => format!(
                    "≤ {} {unit}: MISSED by {:.0}%",
                    fmt(t),
                    (f.median() / t - 1.0) * 100.0
                ),
                None => String::new(),
            };
            out.push_str(&format!(
                "{:<34} {:>14} {:>12} {:>12}  {}\n",
                name,
                format!("{} {unit}", fmt(f.median())),
                fmt(f.min()),
                fmt(f.max()),
                target
            ));
        }
        out
    }
}

fn fmt(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else if v.abs() < 10.0 {
        // Ratios and seconds need the second decimal (1.10 is a target).
        format!("{v:.2}")
    } else {
        format!("{v:.1}")
    }
}

/// Today's date (UTC) as YYYY-MM-DD, from the system clock.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = (secs / 86_400) as i64;
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

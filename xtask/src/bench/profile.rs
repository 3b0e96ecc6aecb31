//! `--cpu-profile`: where the time of the typing sequence goes. Writes Chromium's profile as
//! `target/bench/<name>.cpuprofile` and prints the functions with the most self time, so a
//! slow keystroke can be traced to the code behind it without opening DevTools.

use std::collections::HashMap;

use serde_json::Value;

use crate::project;

/// How many functions the summary lists.
const TOP: usize = 30;

pub fn write(profile: &Value, name: &str) -> anyhow::Result<()> {
    let out = project::root().join("target").join("bench");
    std::fs::create_dir_all(&out)?;
    let path = out.join(format!("{name}.cpuprofile"));
    std::fs::write(&path, serde_json::to_vec(profile)?)?;
    let (total, top) = self_times(profile);
    eprintln!(
        "xtask bench: CPU profile of {name} written to {} ({total:.0} ms sampled)",
        path.display()
    );
    for (function, ms) in top.into_iter().take(TOP) {
        eprintln!(
            "{ms:9.1} ms  {:5.1}%  {function}",
            100.0 * ms / total.max(1e-9)
        );
    }
    Ok(())
}

/// Each keystroke's time split into script (the input event and the console's reaction to it)
/// and style plus layout (forced right after), so the two can be worked on separately.
pub fn print_split(split: &Value) {
    eprintln!("xtask bench: keystrokes of the first round (script ms, style and layout ms):");
    for step in split.as_array().into_iter().flatten() {
        eprintln!(
            "{:>14}  {:6.1}  {:6.1}",
            format!("{:?}", step[0].as_str().unwrap_or("")),
            step[1].as_f64().unwrap_or(0.0),
            step[2].as_f64().unwrap_or(0.0)
        );
    }
}

/// Total sampled time and each function's self time in ms, most first. A function's self
/// time is the sum of the intervals of the samples whose innermost frame it is.
fn self_times(profile: &Value) -> (f64, Vec<(String, f64)>) {
    let nodes = profile["nodes"].as_array().cloned().unwrap_or_default();
    let names: HashMap<u64, String> = nodes
        .iter()
        .filter_map(|n| {
            let frame = &n["callFrame"];
            let function = frame["functionName"].as_str().unwrap_or("");
            let name = if function.is_empty() {
                "(anonymous)".to_string()
            } else {
                function.to_string()
            };
            Some((n["id"].as_u64()?, name))
        })
        .collect();
    let samples = profile["samples"].as_array().cloned().unwrap_or_default();
    let deltas = profile["timeDeltas"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut by_function: HashMap<String, f64> = HashMap::new();
    let mut total = 0.0;
    // timeDeltas[i] is the time before sample i; it is charged to the sample before it.
    for (i, sample) in samples.iter().enumerate() {
        let ms = deltas.get(i + 1).and_then(Value::as_f64).unwrap_or(0.0) / 1000.0;
        let Some(name) = sample.as_u64().and_then(|id| names.get(&id)) else {
            continue;
        };
        if name == "(idle)" || name == "(program)" {
            continue;
        }
        total += ms;
        *by_function.entry(name.clone()).or_default() += ms;
    }
    let mut top: Vec<(String, f64)> = by_function.into_iter().collect();
    top.sort_by(|a, b| b.1.total_cmp(&a.1));
    (total, top)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_time_goes_to_the_innermost_function_and_idle_is_left_out() {
        let profile = serde_json::json!({
            "nodes": [
                { "id": 1, "callFrame": { "functionName": "(root)" } },
                { "id": 2, "callFrame": { "functionName": "filter" } },
                { "id": 3, "callFrame": { "functionName": "(idle)" } },
                { "id": 4, "callFrame": { "functionName": "" } }
            ],
            "samples": [2, 2, 3, 4],
            "timeDeltas": [0, 1000, 2000, 5000]
        });
        let (total, top) = self_times(&profile);
        assert_eq!(total, 3.0);
        assert_eq!(top[0], ("filter".to_string(), 3.0));
        assert_eq!(top.len(), 2);
        assert_eq!(top[1], ("(anonymous)".to_string(), 0.0));
    }
}

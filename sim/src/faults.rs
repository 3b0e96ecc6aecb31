//! Fault injection: latency, 5xx answers before or after the operation, dropped connections,
//! malformed bodies, short-lived tokens and tokens without write permission.
//!
//! Every random decision is drawn from a ChaCha generator seeded with the simulator's seed and
//! the request's sequence number, so a run with the same seed and the same request order meets
//! the same faults.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Fault settings. Served and replaced at run time by `GET/POST /_sim/faults`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Faults {
    /// Extra latency added to every Graph request, uniformly drawn from this range.
    pub latency_ms: Option<LatencyRange>,
    /// 5xx answers and dropped connections.
    pub rules: Vec<FaultRule>,
    /// Share (0..1) of JSON response bodies cut short, so they no longer parse.
    pub malformed_rate: f64,
    /// Lifetime of tokens in real seconds: older tokens get Graph's 401
    /// `InvalidAuthenticationToken`. Tokens not issued by `/_sim/token` count from first use.
    pub token_lifetime_secs: Option<u64>,
    /// When true, every token lacks write permission: writes get 403.
    pub read_only_tokens: bool,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LatencyRange {
    pub min_ms: u64,
    pub max_ms: u64,
}

/// One fault rule: for requests of `method` (or `*`) whose path contains `path_contains`
/// (if given), answer `effect` with probability `rate`, `phase` the operation.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct FaultRule {
    #[serde(default = "any_method")]
    pub method: String,
    pub effect: FaultEffect,
    pub rate: f64,
    #[serde(default)]
    pub phase: Phase,
    #[serde(default)]
    pub path_contains: Option<String>,
}

fn any_method() -> String {
    "*".into()
}

/// What a fault does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultEffect {
    /// Answer with this 5xx status and Graph's error body.
    Status(u16),
    /// Close the connection without an answer.
    Drop,
}

/// Whether the fault strikes before the operation is carried out (nothing happened) or after
/// (it happened, but the caller cannot tell).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    #[default]
    Before,
    After,
}

impl fmt::Display for FaultEffect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FaultEffect::Status(s) => write!(f, "{s}"),
            FaultEffect::Drop => f.write_str("drop"),
        }
    }
}

impl FromStr for FaultEffect {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "drop" => Ok(FaultEffect::Drop),
            other => match other.parse::<u16>() {
                Ok(code @ (500 | 502 | 503 | 504)) => Ok(FaultEffect::Status(code)),
                _ => Err(format!(
                    "fault effect must be 500, 502, 503, 504 or drop, not '{s}'"
                )),
            },
        }
    }
}

impl Serialize for FaultEffect {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for FaultEffect {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        let s = match v {
            serde_json::Value::String(s) => s,
            serde_json::Value::Number(n) => n.to_string(),
            _ => return Err(serde::de::Error::custom("fault effect must be a string")),
        };
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl FromStr for FaultRule {
    type Err = String;
    /// `METHOD:EFFECT:RATE[:PHASE[:PATH_CONTAINS]]`, e.g. `POST:503:0.1:after:/reprovision`.
    fn from_str(s: &str) -> Result<Self, String> {
        let parts: Vec<&str> = s.splitn(5, ':').collect();
        if parts.len() < 3 {
            return Err(format!(
                "fault '{s}' must look like METHOD:EFFECT:RATE[:before|after[:PATH]]"
            ));
        }
        let method = parts[0].trim().to_ascii_uppercase();
        let effect = parts[1].parse()?;
        let rate: f64 = parts[2]
            .trim()
            .parse()
            .map_err(|_| format!("fault rate '{}' is not a number", parts[2]))?;
        if !(0.0..=1.0).contains(&rate) {
            return Err(format!("fault rate {rate} must be between 0 and 1"));
        }
        let phase = match parts.get(3).map(|p| p.trim().to_ascii_lowercase()) {
            None => Phase::Before,
            Some(p) if p.is_empty() || p == "before" => Phase::Before,
            Some(p) if p == "after" => Phase::After,
            Some(p) => return Err(format!("fault phase must be before or after, not '{p}'")),
        };
        let path_contains = parts
            .get(4)
            .map(|p| p.to_string())
            .filter(|p| !p.is_empty());
        Ok(FaultRule {
            method: if method.is_empty() {
                "*".into()
            } else {
                method
            },
            effect,
            rate,
            phase,
            path_contains,
        })
    }
}

impl FromStr for LatencyRange {
    type Err = String;
    /// `MIN..MAX` or `MIN-MAX` or a single value, in milliseconds.
    fn from_str(s: &str) -> Result<Self, String> {
        let (a, b) = match s.split_once("..").or_else(|| s.split_once('-')) {
            Some((a, b)) => (a, b),
            None => (s, s),
        };
        let min_ms: u64 = a
            .trim()
            .parse()
            .map_err(|_| format!("latency '{s}' must be MIN..MAX milliseconds"))?;
        let max_ms: u64 = b
            .trim()
            .parse()
            .map_err(|_| format!("latency '{s}' must be MIN..MAX milliseconds"))?;
        if max_ms < min_ms {
            return Err(format!("latency '{s}': MAX is smaller than MIN"));
        }
        Ok(LatencyRange { min_ms, max_ms })
    }
}

impl Faults {
    /// Checks rates and ranges; the message says what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        for r in &self.rules {
            if !(0.0..=1.0).contains(&r.rate) {
                return Err(format!("rule rate {} must be between 0 and 1", r.rate));
            }
            if let FaultEffect::Status(s) = r.effect {
                if !matches!(s, 500 | 502 | 503 | 504) {
                    return Err(format!("rule status {s} must be 500, 502, 503 or 504"));
                }
            }
        }
        if !(0.0..=1.0).contains(&self.malformed_rate) {
            return Err("malformedRate must be between 0 and 1".into());
        }
        if let Some(l) = self.latency_ms {
            if l.max_ms < l.min_ms {
                return Err("latencyMs.maxMs is smaller than minMs".into());
            }
        }
        Ok(())
    }
}

/// The random decisions about one request, drawn up front so that they do not depend on what
/// the handler does.
#[derive(Debug, Clone)]
pub struct FaultDice {
    latency_roll: f64,
    before_roll: f64,
    after_roll: f64,
    malformed_roll: f64,
}

impl FaultDice {
    pub fn new(seed: u64, seq: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x6661_756c_7473_0000 ^ seq.rotate_left(17));
        FaultDice {
            latency_roll: rng.gen(),
            before_roll: rng.gen(),
            after_roll: rng.gen(),
            malformed_roll: rng.gen(),
        }
    }

    /// The extra latency for this request.
    pub fn latency(&self, faults: &Faults) -> Option<std::time::Duration> {
        let l = faults.latency_ms?;
        let ms = l.min_ms as f64 + (l.max_ms - l.min_ms) as f64 * self.latency_roll;
        Some(std::time::Duration::from_millis(ms.round() as u64))
    }

    /// The fault (if any) that strikes this request in `phase`.
    pub fn strike(
        &self,
        faults: &Faults,
        phase: Phase,
        method: &str,
        path: &str,
    ) -> Option<FaultEffect> {
        let roll = match phase {
            Phase::Before => self.before_roll,
            Phase::After => self.after_roll,
        };
        let mut cumulative = 0.0;
        for rule in faults.rules.iter().filter(|r| r.phase == phase) {
            let method_matches = rule.method == "*" || rule.method.eq_ignore_ascii_case(method);
            let path_matches = rule
                .path_contains
                .as_deref()
                .is_none_or(|p| path.to_ascii_lowercase().contains(&p.to_ascii_lowercase()));
            if !(method_matches && path_matches) {
                continue;
            }
            cumulative += rule.rate;
            if roll < cumulative {
                return Some(rule.effect);
            }
        }
        None
    }

    /// Whether this response body is to be cut short.
    pub fn malformed(&self, faults: &Faults) -> bool {
        self.malformed_roll < faults.malformed_rate
    }
}

/// Cuts a JSON body short so that it no longer parses (as a truncated transfer would).
pub fn malform(body: &[u8]) -> Vec<u8> {
    let keep = (body.len() / 2).max(1).min(body.len());
    body[..keep].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rules() {
        let r: FaultRule = "post:503:0.25:after:/reprovision".parse().unwrap();
        assert_eq!(r.method, "POST");
        assert_eq!(r.effect, FaultEffect::Status(503));
        assert_eq!(r.phase, Phase::After);
        assert_eq!(r.path_contains.as_deref(), Some("/reprovision"));
        let d: FaultRule = "*:drop:1".parse().unwrap();
        assert_eq!(d.effect, FaultEffect::Drop);
        assert_eq!(d.phase, Phase::Before);
        assert!("GET:404:0.1".parse::<FaultRule>().is_err());
        assert!("GET:500:1.5".parse::<FaultRule>().is_err());
        assert!("GET:500".parse::<FaultRule>().is_err());
    }

    #[test]
    fn parses_latency() {
        let l: LatencyRange = "20..200".parse().unwrap();
        assert_eq!((l.min_ms, l.max_ms), (20, 200));
        let l: LatencyRange = "50".parse().unwrap();
        assert_eq!((l.min_ms, l.max_ms), (50, 50));
        assert!("9..3".parse::<LatencyRange>().is_err());
    }

    #[test]
    fn faults_json_round_trip() {
        let f = Faults {
            latency_ms: Some(LatencyRange {
                min_ms: 1,
                max_ms: 5,
            }),
            rules: vec!["POST:502:0.5:after".parse().unwrap()],
            malformed_rate: 0.1,
            token_lifetime_secs: Some(60),
            read_only_tokens: false,
        };
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(v["rules"][0]["effect"], "502");
        assert_eq!(v["rules"][0]["phase"], "after");
        let back: Faults = serde_json::from_value(v).unwrap();
        assert_eq!(back, f);
        let numeric: Faults =
            serde_json::from_str(r#"{"rules":[{"effect":503,"rate":1}]}"#).unwrap();
        assert_eq!(numeric.rules[0].effect, FaultEffect::Status(503));
        assert_eq!(numeric.rules[0].method, "*");
    }

    #[test]
    fn dice_are_deterministic_and_rates_hold() {
        let faults = Faults {
            rules: vec!["GET:500:0.3".parse().unwrap()],
            ..Default::default()
        };
        let hits = (0..10_000)
            .filter(|seq| {
                FaultDice::new(7, *seq)
                    .strike(&faults, Phase::Before, "GET", "/x")
                    .is_some()
            })
            .count();
        assert!((2_700..3_300).contains(&hits), "{hits}");
        let a = FaultDice::new(7, 42).strike(&faults, Phase::Before, "GET", "/x");
        let b = FaultDice::new(7, 42).strike(&faults, Phase::Before, "GET", "/x");
        assert_eq!(a, b);
        // Other methods and the other phase are unaffected.
        assert!((0..1000).all(|seq| FaultDice::new(7, seq)
            .strike(&faults, Phase::Before, "POST", "/x")
            .is_none()));
        assert!((0..1000).all(|seq| FaultDice::new(7, seq)
            .strike(&faults, Phase::After, "GET", "/x")
            .is_none()));
    }

    #[test]
    fn malformed_bodies_do_not_parse() {
        let body = br#"{"value":[{"id":"a"}]}"#;
        assert!(serde_json::from_slice::<serde_json::Value>(&malform(body)).is_err());
    }
}

//! Instants as the bulk engine keeps them: milliseconds since the Unix epoch, passed in by the
//! caller (pure code has no clock), written and read as ISO 8601 UTC.

/// Milliseconds since 1970-01-01T00:00:00Z.
pub type Millis = u64;

/// `2025-07-01T10:00:00.000Z`.
pub fn iso8601(ms: Millis) -> String {
    let secs = ms / 1000;
    let frac = ms % 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{frac:03}Z",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

/// Parses Graph's `DateTimeOffset` (`2021-06-23T09:28:32.8260335Z`, `…+02:00`, or without a
/// zone, read as UTC) into [`Millis`]; `None` when it is not such a date or before 1970.
pub fn parse_iso8601(s: &str) -> Option<Millis> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut rest = &s[19..];
    let mut millis = 0i64;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let mut ms = 0i64;
        for (i, c) in frac.bytes().take(3).enumerate().take(digits) {
            ms += i64::from(c - b'0') * [100, 10, 1][i];
        }
        millis = ms;
        rest = &frac[digits..];
    }
    let offset_secs = match rest {
        "" | "Z" | "z" => 0i64,
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let tz = &rest[1..];
            let (oh, om) = match tz.len() {
                5 if tz.as_bytes()[2] == b':' => {
                    (tz[..2].parse::<i64>().ok()?, tz[3..].parse::<i64>().ok()?)
                }
                4 => (tz[..2].parse::<i64>().ok()?, tz[2..].parse::<i64>().ok()?),
                2 => (tz.parse::<i64>().ok()?, 0),
                _ => return None,
            };
            sign * (oh * 3600 + om * 60)
        }
    };
    let days = days_from_civil(y, mo, d);
    let total = days * 86_400 + h * 3600 + mi * 60 + sec - offset_secs;
    if total < 0 {
        return None;
    }
    Some(total as u64 * 1000 + millis as u64)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_round_trip() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(1_751_364_000_123), "2025-07-01T10:00:00.123Z");
        assert_eq!(
            parse_iso8601("2025-07-01T10:00:00.123Z"),
            Some(1_751_364_000_123)
        );
        for ms in [0, 951_782_400_000, 1_709_164_800_999, 4_102_444_799_000] {
            assert_eq!(parse_iso8601(&iso8601(ms)), Some(ms));
        }
    }

    #[test]
    fn reads_graph_dates() {
        assert_eq!(
            parse_iso8601("2021-06-23T09:28:32.8260335Z"),
            parse_iso8601("2021-06-23T09:28:32.826Z")
        );
        assert_eq!(
            parse_iso8601("2021-06-23T11:28:32+02:00"),
            parse_iso8601("2021-06-23T09:28:32Z")
        );
        assert_eq!(
            parse_iso8601("2021-06-23T09:28:32"),
            parse_iso8601("2021-06-23T09:28:32Z")
        );
        assert_eq!(parse_iso8601("2020-11-010T20:00:34Z"), None);
        assert_eq!(parse_iso8601("yesterday"), None);
        assert_eq!(parse_iso8601("2021-13-01T00:00:00Z"), None);
    }
}

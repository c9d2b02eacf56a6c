//! Timestamps on the wire: RFC 3339 for VPC Lattice (`@timestampFormat("date-time")`), epoch
//! seconds for AWS RAM (the restJson1 default), and SigV4's `X-Amz-Date` (`YYYYMMDDTHHMMSSZ`),
//! written and read from `SystemTime` without a date crate.

use std::time::{SystemTime, UNIX_EPOCH};

/// Formats a time as RFC 3339 in UTC with milliseconds, e.g. `2025-01-01T00:00:00.000Z`.
pub(crate) fn rfc3339(t: SystemTime) -> String {
    let millis = t
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .subsec_millis();
    let [year, month, day, hour, minute, second] = utc_fields(t);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{millis:03}Z")
}

/// Seconds since the Unix epoch, with milliseconds, for restJson1 default timestamps.
pub(crate) fn epoch_seconds(t: SystemTime) -> f64 {
    let since = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    (since.as_millis() as f64) / 1000.0
}

/// Formats a time as SigV4's basic ISO 8601 form in UTC, e.g. `20150830T123600Z`.
pub(crate) fn amz_date(t: SystemTime) -> String {
    let [year, month, day, hour, minute, second] = utc_fields(t);
    format!("{year:04}{month:02}{day:02}T{hour:02}{minute:02}{second:02}Z")
}

/// The UTC calendar fields of a time, to the second: year, month, day, hour, minute, second
/// (times before 1970 read as 1970-01-01T00:00:00).
fn utc_fields(t: SystemTime) -> [i64; 6] {
    let secs = t.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
    let (year, month, day) = civil_from_days((secs / 86_400) as i64);
    let rem = (secs % 86_400) as i64;
    [
        year,
        i64::from(month),
        i64::from(day),
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60,
    ]
}

/// Reads an `X-Amz-Date` (`YYYYMMDDTHHMMSSZ`, UTC); `None` when it is not one, names no real
/// calendar day or time, or lies before 1970.
pub(crate) fn parse_amz_date(s: &str) -> Option<SystemTime> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<i64> {
        let part = s.get(from..to)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (num(0, 4)?, num(4, 6)?, num(6, 8)?);
    let (hour, minute, second) = (num(9, 11)?, num(11, 13)?, num(13, 15)?);
    let days = days_from_civil(year, month, day);
    if civil_from_days(days) != (year, month as u32, day as u32)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second;
    Some(UNIX_EPOCH + std::time::Duration::from_secs(u64::try_from(secs).ok()?))
}

/// Converts a (year, month, day) of the proleptic Gregorian calendar to days since 1970-01-01
/// (Howard Hinnant's `days_from_civil`; a day out of range rolls over, which the caller checks).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Converts days since 1970-01-01 to a (year, month, day) of the proleptic Gregorian calendar
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn amz_dates_round_trip_and_nonsense_is_refused() {
        let t = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        assert_eq!(amz_date(t), "20150830T123600Z");
        assert_eq!(parse_amz_date("20150830T123600Z"), Some(t));
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(parse_amz_date("20000229T000000Z"), Some(leap));
        for bad in [
            "20150830T123600",
            "2015-08-30T12:36:00Z",
            "20150230T123600Z",
            "20150830T243600Z",
            "20150830T126000Z",
            "19690101T000000Z",
            "2015083OT123600Z",
            "+0150830T123600Z",
        ] {
            assert_eq!(parse_amz_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn known_instants_are_formatted_as_rfc3339() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let t = UNIX_EPOCH + Duration::from_millis(1_440_938_160_123);
        assert_eq!(rfc3339(t), "2015-08-30T12:36:00.123Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(rfc3339(leap), "2000-02-29T00:00:00.000Z");
        assert_eq!(
            rfc3339(UNIX_EPOCH + Duration::from_secs(4_102_444_799)),
            "2099-12-31T23:59:59.000Z"
        );
    }
}

//! Publication dates: a calendar day, optionally with a time of day and a
//! UTC offset.
//!
//! Dates decide the direction of reuse (the earlier article is the source),
//! so they must compare sensibly when one side is a plain day
//! (`2026-03-04`) and the other a full timestamp
//! (`2026-03-04T09:15:00Z`): such a pair compares by day only.

use std::cmp::Ordering;
use std::fmt;

/// A parsed publication date. Keeps the text it was parsed from so reports
/// echo the input unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Date {
    raw: String,
    /// Days since 1970-01-01 of the calendar day as written (local to the
    /// writer's offset).
    day: i64,
    /// Seconds since 1970-01-01T00:00:00Z, when a time of day was given.
    instant: Option<i64>,
}

impl Date {
    /// Parses `YYYY-MM-DD`, optionally followed by `T` or a space and
    /// `HH:MM[:SS[.fraction]]`, optionally followed by `Z` or `±HH[:MM]`
    /// (offsets up to ±23:59); RFC 2822 dates as RSS carries them (`Wed, 04
    /// Mar 2026 09:30:00 GMT`, `+0100`, or a US zone name); and Unix epoch
    /// seconds (9 to 11 digits) or milliseconds (12 to 14). A missing
    /// offset means UTC. Returns `None` for anything else.
    ///
    /// ```
    /// use reprint::date::Date;
    /// let day = Date::parse("2026-03-04").unwrap();
    /// let morning = Date::parse("2026-03-04T08:00:00+01:00").unwrap();
    /// let evening = Date::parse("2026-03-04 19:30").unwrap();
    /// assert_eq!(day.cmp_published(&evening), std::cmp::Ordering::Equal);
    /// assert_eq!(morning.cmp_published(&evening), std::cmp::Ordering::Less);
    /// assert!(Date::parse("yesterday").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<Date> {
        let s = text.trim();
        if let Some(d) = parse_epoch(s).or_else(|| parse_rfc2822(s)) {
            return Some(d);
        }
        let b = s.as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = digits(&b[0..4])?;
        let month = digits(&b[5..7])?;
        let dom = digits(&b[8..10])?;
        if !(1..=12).contains(&month) || dom < 1 || dom > days_in_month(year, month) {
            return None;
        }
        let day = days_from_civil(year, month, dom);
        let rest = &b[10..];
        if rest.is_empty() {
            return Some(Date {
                raw: s.to_string(),
                day,
                instant: None,
            });
        }
        if rest[0] != b'T' && rest[0] != b't' && rest[0] != b' ' {
            return None;
        }
        let rest = &rest[1..];
        if rest.len() < 5 || rest[2] != b':' {
            return None;
        }
        let hour = digits(&rest[0..2])?;
        let minute = digits(&rest[3..5])?;
        let mut pos = 5;
        let mut second = 0;
        if rest.len() >= 8 && rest[5] == b':' {
            second = digits(&rest[6..8])?;
            pos = 8;
            if pos < rest.len() && (rest[pos] == b'.' || rest[pos] == b',') {
                pos += 1;
                while pos < rest.len() && rest[pos].is_ascii_digit() {
                    pos += 1;
                }
            }
        }
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        let zone = &rest[pos..];
        let offset = match zone {
            [] | [b'Z'] | [b'z'] => 0,
            [sign @ (b'+' | b'-'), tail @ ..] => {
                let (h, m) = match tail {
                    [h1, h2] => (digits(&[*h1, *h2])?, 0),
                    [h1, h2, b':', m1, m2] | [h1, h2, m1, m2] => {
                        (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?)
                    }
                    _ => return None,
                };
                if h > 23 || m > 59 {
                    return None;
                }
                let sign = if *sign == b'-' { -1 } else { 1 };
                sign * (h * 3600 + m * 60)
            }
            _ => return None,
        };
        let instant = day * 86_400 + hour * 3600 + minute * 60 + second - offset;
        Some(Date {
            raw: s.to_string(),
            day,
            instant: Some(instant),
        })
    }

    /// The date exactly as it was given (trimmed).
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// Orders two publication dates: by instant when both carry a time of
    /// day, by calendar day otherwise.
    pub fn cmp_published(&self, other: &Date) -> Ordering {
        match (self.instant, other.instant) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => self.day.cmp(&other.day),
        }
    }

    /// The time from `self` to `later`: in seconds when both carry a time
    /// of day, otherwise in whole days (`Lag::Days`).
    ///
    /// ```
    /// use reprint::date::{Date, Lag};
    /// let wire = Date::parse("2026-03-04T09:00:00Z").unwrap();
    /// let copy = Date::parse("2026-03-04T15:30:00+01:00").unwrap();
    /// assert_eq!(wire.lag_to(&copy), Lag::Seconds(5 * 3600 + 1800));
    /// assert_eq!(wire.lag_to(&Date::parse("2026-03-06").unwrap()), Lag::Days(2));
    /// ```
    pub fn lag_to(&self, later: &Date) -> Lag {
        match (self.instant, later.instant) {
            (Some(a), Some(b)) => Lag::Seconds(b - a),
            _ => Lag::Days(later.day - self.day),
        }
    }

    /// The calendar day as written: days since 1970-01-01.
    pub fn day(&self) -> i64 {
        self.day
    }

    /// A total order key (day, then instant) for sorting, e.g. `--keep earliest`.
    pub fn sort_key(&self) -> (i64, i64) {
        (self.day, self.instant.unwrap_or(self.day * 86_400))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

/// A date at `instant` seconds since the epoch, UTC.
fn at_instant(raw: &str, instant: i64) -> Date {
    Date {
        raw: raw.to_string(),
        day: instant.div_euclid(86_400),
        instant: Some(instant),
    }
}

/// Unix epoch seconds (9–11 digits) or milliseconds (12–14 digits).
fn parse_epoch(s: &str) -> Option<Date> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = s.parse().ok()?;
    match s.len() {
        9..=11 => Some(at_instant(s, n)),
        12..=14 => Some(at_instant(s, n.div_euclid(1000))),
        _ => None,
    }
}

/// RFC 2822 (RFC 822 with four-digit years): `[Day,] DD Mon YYYY HH:MM[:SS]
/// ZONE`, the zone `±HHMM`, `GMT`, `UT`, `UTC`, `Z` or a US zone name.
fn parse_rfc2822(s: &str) -> Option<Date> {
    let rest = match s.split_once(',') {
        Some((day, rest)) if day.trim().len() == 3 => rest,
        Some(_) => return None,
        None => s,
    };
    let parts: Vec<&str> = rest.split_whitespace().collect();
    let [dom, month, year, time, zone] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))? as i64 + 1;
    let dom: i64 = dom.parse().ok()?;
    let year: i64 = year.parse().ok().filter(|y| (1000..=9999).contains(y))?;
    if dom < 1 || dom > days_in_month(year, month) {
        return None;
    }
    let hms: Vec<&str> = time.split(':').collect();
    let (hour, minute, second) = match hms.as_slice() {
        [h, m] => (h.parse::<i64>().ok()?, m.parse::<i64>().ok()?, 0),
        [h, m, sec] => (
            h.parse::<i64>().ok()?,
            m.parse::<i64>().ok()?,
            sec.parse::<i64>().ok()?,
        ),
        _ => return None,
    };
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let offset_hours = |h: i64| Some(h * 3600);
    let offset = match zone.to_ascii_uppercase().as_str() {
        "GMT" | "UT" | "UTC" | "Z" => 0,
        "EST" => offset_hours(-5)?,
        "EDT" => offset_hours(-4)?,
        "CST" => offset_hours(-6)?,
        "CDT" => offset_hours(-5)?,
        "MST" => offset_hours(-7)?,
        "MDT" => offset_hours(-6)?,
        "PST" => offset_hours(-8)?,
        "PDT" => offset_hours(-7)?,
        z => {
            let b = z.as_bytes();
            let [sign @ (b'+' | b'-'), h1, h2, m1, m2] = b else {
                return None;
            };
            let (h, m) = (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?);
            if h > 23 || m > 59 {
                return None;
            }
            (if *sign == b'-' { -1 } else { 1 }) * (h * 3600 + m * 60)
        }
    };
    let day = days_from_civil(year, month, dom);
    Some(Date {
        raw: s.to_string(),
        day,
        instant: Some(day * 86_400 + hour * 3600 + minute * 60 + second - offset),
    })
}

fn digits(b: &[u8]) -> Option<i64> {
    let mut v = 0i64;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some(v)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD` of a day counted from 1970-01-01.
///
/// ```
/// assert_eq!(reprint::date::format_day(0), "1970-01-01");
/// let d = reprint::date::Date::parse("2026-12-03").unwrap();
/// assert_eq!(reprint::date::format_day(d.day()), "2026-12-03");
/// ```
pub fn format_day(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The calendar date `(year, month, day)` of a day count from 1970-01-01
/// (proleptic Gregorian; Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Today (UTC) as days since 1970-01-01.
pub fn today() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    secs.div_euclid(86_400)
}

/// The time between two publication dates, as precisely as both tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lag {
    /// Both dates carry a time of day.
    Seconds(i64),
    /// At least one is a plain day.
    Days(i64),
}

impl Lag {
    /// The lag in hours (a day counts 24).
    pub fn hours(self) -> f64 {
        match self {
            Lag::Seconds(s) => s as f64 / 3600.0,
            Lag::Days(d) => d as f64 * 24.0,
        }
    }
}

/// A range of publication dates, both ends included (`--since`,
/// `--until`). An end given as a plain day covers that whole day; a
/// document without a date is outside any range that has an end.
///
/// ```
/// use reprint::date::{Date, DateRange};
/// let march = DateRange {
///     since: Date::parse("2026-03-01"),
///     until: Date::parse("2026-03-31"),
/// };
/// assert!(march.contains(Date::parse("2026-03-31T23:59:00Z").as_ref()));
/// assert!(!march.contains(Date::parse("2026-04-01").as_ref()));
/// assert!(!march.contains(None));
/// assert!(DateRange::default().contains(None));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateRange {
    /// The earliest date included.
    pub since: Option<Date>,
    /// The latest date included.
    pub until: Option<Date>,
}

impl DateRange {
    /// Whether the range has an end (an open range contains everything).
    pub fn is_bounded(&self) -> bool {
        self.since.is_some() || self.until.is_some()
    }

    /// Whether a document dated `date` lies in the range.
    pub fn contains(&self, date: Option<&Date>) -> bool {
        if !self.is_bounded() {
            return true;
        }
        let Some(d) = date else {
            return false;
        };
        self.since
            .as_ref()
            .is_none_or(|s| d.cmp_published(s) != Ordering::Less)
            && self
                .until
                .as_ref()
                .is_none_or(|u| d.cmp_published(u) != Ordering::Greater)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_dates_and_epoch_numbers_parse() {
        let iso = Date::parse("2026-03-04T09:30:00Z").unwrap();
        for text in [
            "Wed, 04 Mar 2026 09:30:00 GMT",
            "4 Mar 2026 10:30:00 +0100",
            "Wed, 4 Mar 2026 04:30 EST",
            "1772616600",
            "1772616600000",
        ] {
            let d = Date::parse(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(d.cmp_published(&iso), Ordering::Equal, "{text}");
            assert_eq!(d.sort_key(), iso.sort_key(), "{text}");
        }
        assert_eq!(
            Date::parse("Wed, 04 Mar 2026 09:30:00 GMT")
                .unwrap()
                .as_str(),
            "Wed, 04 Mar 2026 09:30:00 GMT"
        );
        assert!(Date::parse("Wed, 31 Feb 2026 09:30:00 GMT").is_none());
        assert!(Date::parse("04 Foo 2026 09:30:00 GMT").is_none());
    }

    #[test]
    fn impossible_offsets_are_refused() {
        assert!(Date::parse("2026-03-04T09:30:00-99:00").is_none());
        assert!(Date::parse("2026-03-04T09:30:00+05:75").is_none());
        assert!(Date::parse("2026-03-04T09:30:00+14:00").is_some());
    }

    #[test]
    fn epoch_is_day_zero() {
        assert_eq!(Date::parse("1970-01-01").unwrap().day, 0);
        assert_eq!(Date::parse("2000-03-01").unwrap().day, 11_017);
    }

    #[test]
    fn offsets_shift_the_instant() {
        let a = Date::parse("2026-03-04T10:00:00+02:00").unwrap();
        let b = Date::parse("2026-03-04T08:00:00Z").unwrap();
        assert_eq!(a.cmp_published(&b), Ordering::Equal);
        let c = Date::parse("2026-03-04T08:00:01-00:00").unwrap();
        assert_eq!(b.cmp_published(&c), Ordering::Less);
    }

    #[test]
    fn day_only_dates_compare_by_day() {
        let a = Date::parse("2026-03-04").unwrap();
        let b = Date::parse("2026-03-05T00:00:00Z").unwrap();
        assert_eq!(a.cmp_published(&b), Ordering::Less);
    }

    #[test]
    fn rejects_impossible_dates() {
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "2026-1-01",
            "2026-03-04T25:00",
            "2026-03-04X",
            "",
        ] {
            assert!(Date::parse(bad).is_none(), "{bad}");
        }
        assert!(Date::parse("2024-02-29").is_some());
    }

    #[test]
    fn fractional_seconds_and_compact_offsets_parse() {
        assert!(Date::parse("2026-03-04T10:00:00.123Z").is_some());
        assert!(Date::parse("2026-03-04T10:00:00+0530").is_some());
        assert!(Date::parse("2026-03-04T10:00+05").is_some());
    }
}

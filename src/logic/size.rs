//! Sizes typed by a person: a number and a unit (MiB, GiB, TiB) to bytes, with the reasons a
//! size is refused worded for the field's error message.

use std::fmt;

const MIB: u64 = 1 << 20;

/// Largest volume the console will ask for (the SDK's drivers cap far below u64).
pub const MAX_VOLUME_BYTES: u64 = 1 << 50; // 1 PiB

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeUnit {
    MiB,
    GiB,
    TiB,
}

impl SizeUnit {
    pub const ALL: [SizeUnit; 3] = [SizeUnit::MiB, SizeUnit::GiB, SizeUnit::TiB];

    pub fn bytes(self) -> u64 {
        match self {
            SizeUnit::MiB => MIB,
            SizeUnit::GiB => MIB << 10,
            SizeUnit::TiB => MIB << 20,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            SizeUnit::MiB => "MiB",
            SizeUnit::GiB => "GiB",
            SizeUnit::TiB => "TiB",
        }
    }

    pub fn from_name(name: &str) -> Option<SizeUnit> {
        SizeUnit::ALL.into_iter().find(|u| u.name() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SizeError {
    Empty,
    NotANumber,
    Negative,
    Zero,
    TooLarge,
    /// Not a whole number of MiB (volumes are allocated in MiB at least).
    Fractional,
}

impl fmt::Display for SizeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SizeError::Empty => "Enter a size.",
            SizeError::NotANumber => "Enter a number, e.g. 100 or 1.5.",
            SizeError::Negative => "The size cannot be negative.",
            SizeError::Zero => "The size must be more than 0.",
            SizeError::TooLarge => "The size can be at most 1 PiB (1024 TiB).",
            SizeError::Fractional => "The size must be a whole number of MiB.",
        })
    }
}

/// Parses `100`, `1.5` or ` 20 ` in `unit` to bytes.
pub fn parse_size(input: &str, unit: SizeUnit) -> Result<u64, SizeError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(SizeError::Empty);
    }
    // Plain decimal numbers only: no exponents, infinities or hex that f64 parsing accepts.
    let plain = text
        .strip_prefix('-')
        .unwrap_or(text)
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.')
        && text.chars().filter(|c| *c == '.').count() <= 1
        && text.chars().any(|c| c.is_ascii_digit());
    if !plain {
        return Err(SizeError::NotANumber);
    }
    let value: f64 = text.parse().map_err(|_| SizeError::NotANumber)?;
    if value < 0.0 || text.starts_with('-') {
        return Err(if value == 0.0 {
            SizeError::Zero
        } else {
            SizeError::Negative
        });
    }
    if value == 0.0 {
        return Err(SizeError::Zero);
    }
    let mib = value * (unit.bytes() / MIB) as f64;
    if mib > (MAX_VOLUME_BYTES / MIB) as f64 {
        return Err(SizeError::TooLarge);
    }
    if mib.fract() != 0.0 {
        return Err(SizeError::Fractional);
    }
    Ok(mib as u64 * MIB)
}

/// Picks the largest unit that shows `bytes` as a whole number, for prefilling a resize field.
pub fn split_size(bytes: u64) -> (String, SizeUnit) {
    for unit in [SizeUnit::TiB, SizeUnit::GiB, SizeUnit::MiB] {
        if bytes.is_multiple_of(unit.bytes()) && bytes >= unit.bytes() {
            return ((bytes / unit.bytes()).to_string(), unit);
        }
    }
    let gib = bytes as f64 / SizeUnit::GiB.bytes() as f64;
    (format!("{gib:.2}"), SizeUnit::GiB)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIB: u64 = 1 << 30;

    #[test]
    fn numbers_and_units() {
        assert_eq!(parse_size("100", SizeUnit::GiB), Ok(100 * GIB));
        assert_eq!(parse_size(" 1.5 ", SizeUnit::GiB), Ok(1536 << 20));
        assert_eq!(parse_size("512", SizeUnit::MiB), Ok(512 << 20));
        assert_eq!(parse_size("2", SizeUnit::TiB), Ok(2048 * GIB));
        assert_eq!(parse_size("1024", SizeUnit::TiB), Ok(MAX_VOLUME_BYTES));
    }

    #[test]
    fn bad_input_says_why() {
        assert_eq!(parse_size("", SizeUnit::GiB), Err(SizeError::Empty));
        assert_eq!(parse_size("   ", SizeUnit::GiB), Err(SizeError::Empty));
        assert_eq!(parse_size("0", SizeUnit::GiB), Err(SizeError::Zero));
        assert_eq!(parse_size("0.0", SizeUnit::GiB), Err(SizeError::Zero));
        assert_eq!(parse_size("-5", SizeUnit::GiB), Err(SizeError::Negative));
        assert_eq!(parse_size("ten", SizeUnit::GiB), Err(SizeError::NotANumber));
        assert_eq!(parse_size("1e3", SizeUnit::GiB), Err(SizeError::NotANumber));
        assert_eq!(parse_size("inf", SizeUnit::GiB), Err(SizeError::NotANumber));
        assert_eq!(
            parse_size("1.2.3", SizeUnit::GiB),
            Err(SizeError::NotANumber)
        );
        assert_eq!(parse_size(".", SizeUnit::GiB), Err(SizeError::NotANumber));
        assert_eq!(parse_size("1025", SizeUnit::TiB), Err(SizeError::TooLarge));
        assert_eq!(parse_size("0.5", SizeUnit::MiB), Err(SizeError::Fractional));
        assert!(SizeError::Negative.to_string().contains("negative"));
    }

    #[test]
    fn sizes_split_into_the_largest_whole_unit() {
        assert_eq!(split_size(100 * GIB), ("100".into(), SizeUnit::GiB));
        assert_eq!(split_size(2048 * GIB), ("2".into(), SizeUnit::TiB));
        assert_eq!(split_size(1536 << 20), ("1536".into(), SizeUnit::MiB));
        assert_eq!(SizeUnit::from_name("TiB"), Some(SizeUnit::TiB));
        assert_eq!(SizeUnit::from_name("PB"), None);
    }
}

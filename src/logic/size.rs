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

/// Parses `100`, `1.5` or ` 20 ` in `unit` to bytes. Exact decimal arithmetic on the digits
/// (no float parsing: `0.1 TiB` is refused as not a whole number of MiB, never rounded).
pub fn parse_size(input: &str, unit: SizeUnit) -> Result<u64, SizeError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(SizeError::Empty);
    }
    // Plain decimal numbers only: no exponents, signs but a leading minus, or hex.
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let is_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !is_digits(whole) || !is_digits(fraction) || whole.len() + fraction.len() == 0 {
        return Err(SizeError::NotANumber);
    }
    let whole = whole.trim_start_matches('0');
    let fraction = fraction.trim_end_matches('0');
    if whole.is_empty() && fraction.is_empty() {
        return Err(SizeError::Zero);
    }
    if negative {
        return Err(SizeError::Negative);
    }
    // More than 20 digits is beyond any size; a fraction of more than 20 digits is never a
    // whole number of MiB (a MiB of a TiB is 2^-20, twenty decimal digits).
    if whole.len() > 20 {
        return Err(SizeError::TooLarge);
    }
    let number = |s: &str| s.parse::<u128>().unwrap_or(0);
    let unit_mib = u128::from(unit.bytes() / MIB);
    let max_mib = u128::from(MAX_VOLUME_BYTES / MIB);
    let (whole_mib, fraction_mib) = (number(whole) * unit_mib, number(fraction) * unit_mib);
    let Some(denominator) = u32::try_from(fraction.len())
        .ok()
        .and_then(|places| 10u128.checked_pow(places))
        .filter(|_| fraction.len() <= 20)
    else {
        return Err(SizeError::Fractional);
    };
    // whole + fraction / denominator > max, without dividing.
    if whole_mib > max_mib || (whole_mib == max_mib && fraction_mib > 0) {
        return Err(SizeError::TooLarge);
    }
    if fraction_mib % denominator != 0 {
        return Err(SizeError::Fractional);
    }
    let mib = whole_mib + fraction_mib / denominator;
    if mib > max_mib {
        return Err(SizeError::TooLarge);
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
    // Hundredths of a GiB, rounded to nearest.
    let gib = u128::from(SizeUnit::GiB.bytes());
    let hundredths = ((u128::from(bytes) * 100 + gib / 2) / gib) as u64;
    (
        format!("{}.{:02}", hundredths / 100, hundredths % 100),
        SizeUnit::GiB,
    )
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
        assert_eq!(parse_size("007.50", SizeUnit::GiB), Ok(7680 << 20));
        assert_eq!(parse_size("1.", SizeUnit::GiB), Ok(GIB));
        assert_eq!(parse_size(".5", SizeUnit::GiB), Ok(512 << 20));
        // One MiB written in TiB: twenty decimal places, exactly.
        assert_eq!(
            parse_size("0.00000095367431640625", SizeUnit::TiB),
            Ok(1 << 20)
        );
        assert_eq!(parse_size("1024.000", SizeUnit::TiB), Ok(MAX_VOLUME_BYTES));
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
        assert_eq!(parse_size("0.1", SizeUnit::TiB), Err(SizeError::Fractional));
        assert_eq!(
            parse_size("0.000000953674316406251", SizeUnit::TiB),
            Err(SizeError::Fractional)
        );
        assert_eq!(parse_size("-0", SizeUnit::GiB), Err(SizeError::Zero));
        assert_eq!(parse_size("+5", SizeUnit::GiB), Err(SizeError::NotANumber));
        assert_eq!(
            parse_size("1 000", SizeUnit::GiB),
            Err(SizeError::NotANumber)
        );
        assert_eq!(parse_size("-", SizeUnit::GiB), Err(SizeError::NotANumber));
        assert_eq!(
            parse_size("1024.0000001", SizeUnit::TiB),
            Err(SizeError::TooLarge)
        );
        assert_eq!(
            parse_size("123456789012345678901", SizeUnit::MiB),
            Err(SizeError::TooLarge)
        );
        assert!(SizeError::Negative.to_string().contains("negative"));
    }

    #[test]
    fn sizes_split_into_the_largest_whole_unit() {
        assert_eq!(split_size(100 * GIB), ("100".into(), SizeUnit::GiB));
        assert_eq!(split_size(2048 * GIB), ("2".into(), SizeUnit::TiB));
        assert_eq!(split_size(1536 << 20), ("1536".into(), SizeUnit::MiB));
        assert_eq!(split_size(GIB + 5), ("1.00".into(), SizeUnit::GiB));
        assert_eq!(split_size(GIB / 3 * 2 + 1), ("0.67".into(), SizeUnit::GiB));
        assert_eq!(SizeUnit::from_name("TiB"), Some(SizeUnit::TiB));
        assert_eq!(SizeUnit::from_name("PB"), None);
    }
}

//! The pool resize form: grow to a new size or by a percentage, checked before sending.

const GIB: u64 = 1 << 30;

/// How a pool grows, as the SDK's `resize_factor` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grow {
    /// To this size, in GiB (what Portworx reads).
    ToGib(u64),
    /// By this share of its size.
    Percent(u64),
}

/// Reads the typed value: a new size in GiB larger than the pool's `current` bytes, or a
/// whole percentage from 1 to 1000.
pub fn parse(text: &str, by_percent: bool, current: u64) -> Result<Grow, String> {
    let text = text.trim();
    let number: u64 = text
        .parse()
        .map_err(|_| "Enter a whole number.".to_string())?;
    if by_percent {
        if !(1..=1000).contains(&number) {
            return Err("Enter a percentage from 1 to 1000.".into());
        }
        return Ok(Grow::Percent(number));
    }
    let now = current.div_ceil(GIB);
    if number <= now {
        return Err(format!(
            "Enter more than the pool's current {now} GiB: pools only grow."
        ));
    }
    Ok(Grow::ToGib(number))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_percentages() {
        let tib = 1024 * GIB;
        assert_eq!(parse(" 1536 ", false, tib), Ok(Grow::ToGib(1536)));
        assert!(parse("1024", false, tib)
            .unwrap_err()
            .contains("current 1024 GiB"));
        assert!(parse("1.5", false, tib)
            .unwrap_err()
            .contains("whole number"));
        assert_eq!(parse("25", true, tib), Ok(Grow::Percent(25)));
        assert!(parse("0", true, tib).unwrap_err().contains("1 to 1000"));
        assert!(parse("", true, tib).is_err());
    }
}

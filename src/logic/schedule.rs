//! Backup schedules as people write and read them: "every 30 minutes", "daily at 02:30 UTC".

use crate::proto::sdk_schedule_policy_interval::PeriodType;
use crate::proto::*;

const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Every {
    Minutes,
    #[default]
    Day,
    Week,
}

impl Every {
    pub fn from_key(key: &str) -> Every {
        match key {
            "day" => Every::Day,
            "week" => Every::Week,
            _ => Every::Minutes,
        }
    }
}

pub fn weekday_name(day: i32) -> &'static str {
    WEEKDAYS.get(day as usize).copied().unwrap_or("?")
}

pub fn weekdays() -> impl Iterator<Item = (i32, &'static str)> {
    WEEKDAYS.iter().enumerate().map(|(i, d)| (i as i32, *d))
}

/// `02:30` → (2, 30).
fn parse_time(text: &str) -> Result<(i32, i32), String> {
    let bad = || "Enter a time as HH:MM, e.g. 02:30.".to_string();
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    let (h, m): (i32, i32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if !(0..24).contains(&h) || !(0..60).contains(&m) {
        return Err(bad());
    }
    Ok((h, m))
}

/// The interval the form describes; the message for the wrong field otherwise.
pub fn interval(
    every: Every,
    minutes: &str,
    time: &str,
    weekday: i32,
    retain: i64,
) -> Result<SdkSchedulePolicyInterval, String> {
    let period = match every {
        Every::Minutes => {
            let n: i64 = minutes
                .trim()
                .parse()
                .map_err(|_| "Enter the minutes between backups as a whole number.".to_string())?;
            if !(1..=7 * 24 * 60).contains(&n) {
                return Err("Enter between 1 and 10080 minutes (a week).".into());
            }
            PeriodType::Periodic(SdkSchedulePolicyIntervalPeriodic { seconds: n * 60 })
        }
        Every::Day => {
            let (hour, minute) = parse_time(time)?;
            PeriodType::Daily(SdkSchedulePolicyIntervalDaily { hour, minute })
        }
        Every::Week => {
            let (hour, minute) = parse_time(time)?;
            PeriodType::Weekly(SdkSchedulePolicyIntervalWeekly {
                day: weekday,
                hour,
                minute,
            })
        }
    };
    Ok(SdkSchedulePolicyInterval {
        retain,
        period_type: Some(period),
    })
}

/// One interval in words.
pub fn describe(interval: &SdkSchedulePolicyInterval) -> String {
    match &interval.period_type {
        Some(PeriodType::Periodic(p)) if p.seconds % 60 == 0 => {
            format!("every {} min", p.seconds / 60)
        }
        Some(PeriodType::Periodic(p)) => format!("every {} s", p.seconds),
        Some(PeriodType::Daily(d)) => format!("daily at {:02}:{:02} UTC", d.hour, d.minute),
        Some(PeriodType::Weekly(w)) => format!(
            "{}s at {:02}:{:02} UTC",
            weekday_name(w.day),
            w.hour,
            w.minute
        ),
        Some(PeriodType::Monthly(m)) => format!(
            "monthly on day {} at {:02}:{:02} UTC",
            m.day, m.hour, m.minute
        ),
        None => "never".into(),
    }
}

pub fn describe_all(intervals: &[SdkSchedulePolicyInterval]) -> String {
    intervals
        .iter()
        .map(describe)
        .collect::<Vec<_>>()
        .join(", ")
}

/// How many backups to keep, from the form: a whole number from 1 to 1000.
pub fn retention(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(n) if (1..=1000).contains(&n) => Ok(n),
        _ => Err("Keep between 1 and 1000 backups.".into()),
    }
}

/// The schedule form as typed: volume and credential ids (already chosen), either a policy's
/// name or the times below, how many backups to keep, and whether every backup is full.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScheduleForm {
    pub volume: String,
    pub credential: String,
    /// A schedule policy's name; empty to use `every`, `minutes`, `time` and `weekday`.
    pub policy: String,
    pub every: Every,
    pub minutes: String,
    pub time: String,
    pub weekday: i32,
    pub keep: String,
    pub full: bool,
}

/// The form field a problem is in, so the form shows it there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ScheduleField {
    Minutes,
    Time,
    Keep,
}

/// The schedule to create from the form, or the first problem and where it is. A chosen
/// policy lends its intervals; otherwise the typed times make one interval.
pub fn plan(
    form: &ScheduleForm,
    policies: &[SdkSchedulePolicy],
) -> Result<SdkCloudBackupScheduleInfo, (ScheduleField, String)> {
    let max = retention(&form.keep).map_err(|e| (ScheduleField::Keep, e))?;
    let schedules = match policies
        .iter()
        .find(|p| !form.policy.is_empty() && p.name == form.policy)
    {
        Some(policy) => policy.schedules.clone(),
        None => {
            let field = if form.every == Every::Minutes {
                ScheduleField::Minutes
            } else {
                ScheduleField::Time
            };
            vec![interval(
                form.every,
                &form.minutes,
                &form.time,
                form.weekday,
                max as i64,
            )
            .map_err(|e| (field, e))?]
        }
    };
    Ok(SdkCloudBackupScheduleInfo {
        src_volume_id: form.volume.clone(),
        credential_id: form.credential.clone(),
        schedules,
        max_backups: max,
        full: form.full,
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_input_to_intervals_and_back_to_words() {
        let every = interval(Every::Minutes, "30", "", 0, 5).unwrap();
        assert_eq!(describe(&every), "every 30 min");
        assert_eq!(every.retain, 5);
        let daily = interval(Every::Day, "", "02:30", 0, 7).unwrap();
        assert_eq!(describe(&daily), "daily at 02:30 UTC");
        let weekly = interval(Every::Week, "", "23:05", 5, 4).unwrap();
        assert_eq!(describe(&weekly), "Fridays at 23:05 UTC");
        assert_eq!(
            describe_all(&[every, daily]),
            "every 30 min, daily at 02:30 UTC"
        );
    }

    #[test]
    fn bad_input_is_refused_with_a_reason() {
        assert!(interval(Every::Minutes, "0", "", 0, 1)
            .unwrap_err()
            .contains("between 1"));
        assert!(interval(Every::Minutes, "abc", "", 0, 1).is_err());
        assert!(interval(Every::Day, "", "24:00", 0, 1)
            .unwrap_err()
            .contains("HH:MM"));
        assert!(interval(Every::Day, "", "7", 0, 1).is_err());
        assert_eq!(retention("7"), Ok(7));
        assert!(retention("0").is_err());
        assert!(retention("many").is_err());
    }

    fn form() -> ScheduleForm {
        ScheduleForm {
            volume: "v1".into(),
            credential: "c1".into(),
            every: Every::Day,
            time: "02:00".into(),
            keep: "7".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_typed_schedule_becomes_one_interval() {
        let info = plan(&form(), &[]).unwrap();
        assert_eq!(info.src_volume_id, "v1");
        assert_eq!(info.credential_id, "c1");
        assert_eq!(info.max_backups, 7);
        assert_eq!(describe_all(&info.schedules), "daily at 02:00 UTC");
        assert_eq!(info.schedules[0].retain, 7);
    }

    #[test]
    fn a_chosen_policy_lends_its_intervals() {
        let weekly = interval(Every::Week, "", "23:05", 5, 4).unwrap();
        let policy = SdkSchedulePolicy {
            name: "weekly".into(),
            schedules: vec![weekly],
        };
        let info = plan(
            &ScheduleForm {
                policy: "weekly".into(),
                time: "not a time".into(),
                ..form()
            },
            &[policy],
        )
        .unwrap();
        assert_eq!(info.schedules, vec![weekly]);
    }

    #[test]
    fn problems_name_their_field() {
        let bad_keep = ScheduleForm {
            keep: "0".into(),
            ..form()
        };
        assert_eq!(plan(&bad_keep, &[]).unwrap_err().0, ScheduleField::Keep);
        let bad_time = ScheduleForm {
            time: "25:00".into(),
            ..form()
        };
        assert_eq!(plan(&bad_time, &[]).unwrap_err().0, ScheduleField::Time);
        let bad_minutes = ScheduleForm {
            every: Every::Minutes,
            minutes: "x".into(),
            ..form()
        };
        assert_eq!(
            plan(&bad_minutes, &[]).unwrap_err().0,
            ScheduleField::Minutes
        );
    }
}

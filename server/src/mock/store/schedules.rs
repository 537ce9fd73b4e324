//! Backup schedules: when each is due, and the Sched* calls. Times are UTC.

use tonic::Status;

use super::Store;
use crate::mock::errors;
use crate::proto::sdk_schedule_policy_interval::PeriodType;
use crate::proto::{SdkCloudBackupScheduleInfo, SdkSchedulePolicyInterval};

const DAY: i64 = 86_400;

#[derive(Debug, Clone)]
pub struct BackupSchedule {
    pub id: String,
    pub info: SdkCloudBackupScheduleInfo,
    /// Unix seconds when it was created: periodic runs count from here.
    pub created: i64,
    /// Unix seconds up to which runs have been considered.
    pub checked_until: i64,
}

/// Checks every interval of a schedule; errors name the field, e.g. `schedules[1].daily.hour`.
pub fn validate_intervals(
    field: &str,
    intervals: &[SdkSchedulePolicyInterval],
) -> Result<(), Status> {
    if intervals.is_empty() {
        return Err(errors::invalid(field, "at least one schedule is required"));
    }
    for (i, interval) in intervals.iter().enumerate() {
        let at = format!("{field}[{i}]");
        if interval.retain < 0 {
            return Err(errors::invalid(
                &format!("{at}.retain"),
                "must not be negative",
            ));
        }
        let check = |name: &str, value: i64, lo: i64, hi: i64| {
            if (lo..=hi).contains(&value) {
                Ok(())
            } else {
                Err(errors::invalid(
                    &format!("{at}.{name}"),
                    format!("{value} is not between {lo} and {hi}"),
                ))
            }
        };
        match &interval.period_type {
            None => {
                return Err(errors::invalid(
                    &at,
                    "one of daily, weekly, monthly or periodic is required",
                ))
            }
            Some(PeriodType::Daily(d)) => {
                check("daily.hour", d.hour.into(), 0, 23)?;
                check("daily.minute", d.minute.into(), 0, 59)?;
            }
            Some(PeriodType::Weekly(w)) => {
                check("weekly.day", w.day.into(), 0, 6)?;
                check("weekly.hour", w.hour.into(), 0, 23)?;
                check("weekly.minute", w.minute.into(), 0, 59)?;
            }
            Some(PeriodType::Monthly(m)) => {
                check("monthly.day", m.day.into(), 1, 28)?;
                check("monthly.hour", m.hour.into(), 0, 23)?;
                check("monthly.minute", m.minute.into(), 0, 59)?;
            }
            Some(PeriodType::Periodic(p)) => {
                check("periodic.seconds", p.seconds, 1, i64::MAX)?;
            }
        }
    }
    Ok(())
}

/// The first time this interval fires strictly after `after` (Unix seconds).
pub fn next_run(interval: &SdkSchedulePolicyInterval, after: i64, created: i64) -> Option<i64> {
    let at = |h: i32, m: i32| i64::from(h) * 3600 + i64::from(m) * 60;
    match interval.period_type.as_ref()? {
        PeriodType::Periodic(p) if p.seconds > 0 => {
            let n = (after - created).div_euclid(p.seconds) + 1;
            Some(created + n * p.seconds)
        }
        PeriodType::Periodic(_) => None,
        PeriodType::Daily(d) => {
            let today = after.div_euclid(DAY) * DAY + at(d.hour, d.minute);
            Some(if today > after { today } else { today + DAY })
        }
        PeriodType::Weekly(w) => {
            let day0 = after.div_euclid(DAY);
            // 1970-01-01 was a Thursday; Sunday is 0 in the SDK.
            (0..=7)
                .map(|k| day0 + k)
                .filter(|d| (d + 4).rem_euclid(7) == i64::from(w.day))
                .map(|d| d * DAY + at(w.hour, w.minute))
                .find(|t| *t > after)
        }
        PeriodType::Monthly(m) => {
            let day0 = after.div_euclid(DAY);
            (0..=62)
                .map(|k| day0 + k)
                .filter(|d| console_model::calendar::civil_from_days(*d).2 == i64::from(m.day))
                .map(|d| d * DAY + at(m.hour, m.minute))
                .find(|t| *t > after)
        }
    }
}

impl BackupSchedule {
    /// The latest time in `(checked_until, now]` at which the schedule fired, if any.
    pub fn due(&self, now: i64) -> Option<i64> {
        self.info
            .schedules
            .iter()
            .filter_map(|i| {
                let mut last = None;
                let mut t = next_run(i, self.checked_until, self.created)?;
                // Only the latest missed run matters: a cluster that was down does not
                // replay every run it missed.
                while t <= now {
                    last = Some(t);
                    t = next_run(i, t, self.created)?;
                }
                last
            })
            .max()
    }

    /// How many backups of this schedule to keep in the cloud.
    pub fn retention(&self) -> usize {
        if self.info.max_backups > 0 {
            return self.info.max_backups as usize;
        }
        self.info
            .schedules
            .iter()
            .map(|i| i.retain.max(0) as usize)
            .max()
            .filter(|n| *n > 0)
            .unwrap_or(usize::MAX)
    }
}

impl Store {
    fn validate_schedule(
        &self,
        info: Option<SdkCloudBackupScheduleInfo>,
    ) -> Result<SdkCloudBackupScheduleInfo, Status> {
        let mut info =
            info.ok_or_else(|| Status::invalid_argument("BackupSchedule object cannot be nil"))?;
        if info.src_volume_id.is_empty() {
            return Err(Status::invalid_argument("Must supply source volume id"));
        }
        info.credential_id = self.backup_credential(&info.credential_id)?.id;
        if info.schedules.is_empty() {
            return Err(Status::invalid_argument("Must supply Schedule"));
        }
        info.src_volume_id = self.volume(&info.src_volume_id)?.id.clone();
        validate_intervals("cloud_sched_info.schedules", &info.schedules)?;
        Ok(info)
    }

    pub fn create_schedule(
        &mut self,
        info: Option<SdkCloudBackupScheduleInfo>,
        now: i64,
    ) -> Result<String, Status> {
        let info = self.validate_schedule(info)?;
        let id = uuid::Uuid::new_v4().to_string();
        self.schedules.insert(
            id.clone(),
            BackupSchedule {
                id: id.clone(),
                info,
                created: now,
                checked_until: now,
            },
        );
        Ok(id)
    }

    pub fn update_schedule(
        &mut self,
        id: &str,
        info: Option<SdkCloudBackupScheduleInfo>,
    ) -> Result<(), Status> {
        if !self.schedules.contains_key(id) {
            return Err(errors::not_found("backup schedule", id));
        }
        let info = self.validate_schedule(info)?;
        self.schedules.get_mut(id).expect("checked").info = info;
        Ok(())
    }

    pub fn delete_schedule(&mut self, id: &str) -> Result<(), Status> {
        self.schedules
            .remove(id)
            .map(|_| ())
            .ok_or_else(|| errors::not_found("backup schedule", id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::*;

    fn every(period: PeriodType) -> SdkSchedulePolicyInterval {
        SdkSchedulePolicyInterval {
            retain: 3,
            period_type: Some(period),
        }
    }

    // 2026-11-25 00:00:00 UTC, a Wednesday.
    const WED: i64 = 1_795_564_800;

    #[test]
    fn calendar_conversion_is_right() {
        assert_eq!(console_model::calendar::civil_from_days(0), (1970, 1, 1));
        assert_eq!(
            console_model::calendar::civil_from_days(WED / DAY),
            (2026, 11, 25)
        );
    }

    #[test]
    fn next_runs_for_each_period() {
        let daily = every(PeriodType::Daily(SdkSchedulePolicyIntervalDaily {
            hour: 2,
            minute: 30,
        }));
        assert_eq!(next_run(&daily, WED, 0), Some(WED + 9000));
        assert_eq!(next_run(&daily, WED + 9000, 0), Some(WED + DAY + 9000));

        let weekly = every(PeriodType::Weekly(SdkSchedulePolicyIntervalWeekly {
            day: SdkTimeWeekday::Friday as i32,
            hour: 0,
            minute: 0,
        }));
        assert_eq!(next_run(&weekly, WED, 0), Some(WED + 2 * DAY));

        let monthly = every(PeriodType::Monthly(SdkSchedulePolicyIntervalMonthly {
            day: 1,
            hour: 0,
            minute: 0,
        }));
        // 2026-12-01 is six days after 2026-11-25.
        assert_eq!(next_run(&monthly, WED, 0), Some(WED + 6 * DAY));

        let periodic = every(PeriodType::Periodic(SdkSchedulePolicyIntervalPeriodic {
            seconds: 60,
        }));
        assert_eq!(next_run(&periodic, 1030, 1000), Some(1060));
    }

    #[test]
    fn due_reports_only_the_latest_missed_run() {
        let schedule = BackupSchedule {
            id: "s".into(),
            info: SdkCloudBackupScheduleInfo {
                schedules: vec![every(PeriodType::Periodic(
                    SdkSchedulePolicyIntervalPeriodic { seconds: 10 },
                ))],
                ..Default::default()
            },
            created: 100,
            checked_until: 100,
        };
        assert_eq!(schedule.due(105), None);
        assert_eq!(schedule.due(135), Some(130));
        assert_eq!(schedule.retention(), 3);
    }
}

//! Storage policies as a person edits and reads them: the form's fields to an
//! `SdkStoragePolicy` (checked first, errors per field), a policy back to the form, and its
//! rules in words.

use crate::logic::format;
use crate::logic::size::{parse_size, split_size, SizeUnit};
use crate::logic::validate;
use crate::proto::volume_spec_policy::{self as vsp, PolicyOp};
use crate::proto::{IoProfile, SdkStoragePolicy, VolumeSpec, VolumeSpecPolicy};

/// IO profiles a policy can set, by their SDK names.
pub const IO_PROFILES: [IoProfile; 5] = [
    IoProfile::Sequential,
    IoProfile::Random,
    IoProfile::Db,
    IoProfile::DbRemote,
    IoProfile::Cms,
];

/// A bounded number on the form: its value ("" for no rule) and how volumes compare with it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bound {
    pub value: String,
    pub op: i32,
}

/// What the policy form holds. Yes/no rules are `None` for "any".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PolicyForm {
    /// The stored policy being edited (the rules the form does not show are kept), or none
    /// for a new one.
    pub base: Option<SdkStoragePolicy>,
    pub name: String,
    pub size: Bound,
    pub unit: Option<SizeUnit>,
    pub ha_level: Bound,
    pub snapshot_interval: Bound,
    /// An index into `IO_PROFILES`, or none.
    pub io_profile: Option<usize>,
    pub encrypted: Option<bool>,
    pub shared: Option<bool>,
    pub sticky: Option<bool>,
    pub force: bool,
    pub allow_update: bool,
}

/// The form's fields that can be refused, for errors next to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PolicyField {
    Name,
    Size,
    HaLevel,
    SnapshotInterval,
}

impl PolicyField {
    /// The input's id on the page.
    pub fn id(self) -> &'static str {
        match self {
            PolicyField::Name => "policy-name",
            PolicyField::Size => "policy-size",
            PolicyField::HaLevel => "policy-ha",
            PolicyField::SnapshotInterval => "policy-snapshots",
        }
    }
}

/// A whole number from `least` to `most`, or none for an empty field.
fn whole(text: &str, least: u32, most: u32, what: &str) -> Result<Option<u32>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u32>() {
        Ok(n) if (least..=most).contains(&n) => Ok(Some(n)),
        _ => Err(format!(
            "Enter {what} from {least} to {most}, or leave it empty."
        )),
    }
}

/// The policy the form describes, on top of the one being edited, or every refused field with
/// its reason.
pub fn plan(form: &PolicyForm) -> Result<SdkStoragePolicy, Vec<(PolicyField, String)>> {
    let mut errors = Vec::new();
    if let Err(e) = validate::volume_name(form.name.trim()) {
        errors.push((PolicyField::Name, e));
    }
    let size = if form.size.value.trim().is_empty() {
        None
    } else {
        parse_size(&form.size.value, form.unit.unwrap_or(SizeUnit::GiB))
            .map_err(|e| errors.push((PolicyField::Size, e.to_string())))
            .ok()
    };
    let ha_level = whole(&form.ha_level.value, 1, 3, "an HA level")
        .map_err(|e| errors.push((PolicyField::HaLevel, e)))
        .ok()
        .flatten();
    // A year of minutes at most; 0 is a rule too (no automatic snapshots).
    let interval = whole(&form.snapshot_interval.value, 0, 525_600, "minutes")
        .map_err(|e| errors.push((PolicyField::SnapshotInterval, e)))
        .ok()
        .flatten();
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut policy = form.base.clone().unwrap_or_default();
    policy.name = form.name.trim().to_string();
    policy.force = form.force;
    policy.allow_update = form.allow_update;
    let rules = policy.policy.get_or_insert_with(VolumeSpecPolicy::default);
    rules.size_opt = size.map(vsp::SizeOpt::Size);
    rules.size_operator = form.size.op;
    rules.ha_level_opt = ha_level.map(|n| vsp::HaLevelOpt::HaLevel(n.into()));
    rules.ha_level_operator = form.ha_level.op;
    rules.snapshot_interval_opt = interval.map(vsp::SnapshotIntervalOpt::SnapshotInterval);
    rules.snapshot_interval_operator = form.snapshot_interval.op;
    rules.io_profile_opt = form
        .io_profile
        .and_then(|i| IO_PROFILES.get(i))
        .map(|p| vsp::IoProfileOpt::IoProfile(*p as i32));
    rules.encrypted_opt = form.encrypted.map(vsp::EncryptedOpt::Encrypted);
    rules.shared_opt = form.shared.map(vsp::SharedOpt::Shared);
    rules.sticky_opt = form.sticky.map(vsp::StickyOpt::Sticky);
    Ok(policy)
}

/// The form showing `policy`, to edit it.
pub fn form_of(policy: &SdkStoragePolicy) -> PolicyForm {
    let rules = policy.policy.clone().unwrap_or_default();
    let (size, unit) = match rules.size_opt {
        Some(vsp::SizeOpt::Size(bytes)) => {
            let (value, unit) = split_size(bytes);
            (value, Some(unit))
        }
        None => (String::new(), None),
    };
    let bound = |value: Option<String>, op: i32| Bound {
        value: value.unwrap_or_default(),
        op,
    };
    PolicyForm {
        base: Some(policy.clone()),
        name: policy.name.clone(),
        size: bound(Some(size), rules.size_operator),
        unit,
        ha_level: bound(
            rules
                .ha_level_opt
                .map(|vsp::HaLevelOpt::HaLevel(n)| n.to_string()),
            rules.ha_level_operator,
        ),
        snapshot_interval: bound(
            rules
                .snapshot_interval_opt
                .map(|vsp::SnapshotIntervalOpt::SnapshotInterval(n)| n.to_string()),
            rules.snapshot_interval_operator,
        ),
        io_profile: rules
            .io_profile_opt
            .and_then(|vsp::IoProfileOpt::IoProfile(p)| {
                IO_PROFILES.iter().position(|x| *x as i32 == p)
            }),
        encrypted: rules.encrypted_opt.map(|vsp::EncryptedOpt::Encrypted(b)| b),
        shared: rules.shared_opt.map(|vsp::SharedOpt::Shared(b)| b),
        sticky: rules.sticky_opt.map(|vsp::StickyOpt::Sticky(b)| b),
        force: policy.force,
        allow_update: policy.allow_update,
    }
}

/// An IO profile in words ("db remote").
pub fn io_profile(profile: i32) -> String {
    IoProfile::try_from(profile)
        .map(|p| {
            p.as_str_name()
                .trim_start_matches("IO_PROFILE_")
                .replace('_', " ")
                .to_ascii_lowercase()
        })
        .unwrap_or_else(|_| format!("unknown ({profile})"))
}

/// "at least ", "at most " or "" for a bound's operator.
pub fn op_words(op: i32) -> &'static str {
    match PolicyOp::try_from(op) {
        Ok(PolicyOp::Minimum) => "at least ",
        Ok(PolicyOp::Maximum) => "at most ",
        _ => "",
    }
}

fn yes_no(rules: &mut Vec<String>, value: Option<bool>, yes: &str, no: &str) {
    if let Some(b) = value {
        rules.push(if b { yes } else { no }.to_string());
    }
}

/// The policy's rules in words, e.g. "size at least 10 GiB, HA level 2, encrypted".
pub fn describe(rules: &VolumeSpecPolicy) -> String {
    let mut words = Vec::new();
    if let Some(vsp::SizeOpt::Size(bytes)) = rules.size_opt {
        words.push(format!(
            "size {}{}",
            op_words(rules.size_operator),
            format::bytes(bytes)
        ));
    }
    if let Some(vsp::HaLevelOpt::HaLevel(n)) = rules.ha_level_opt {
        words.push(format!("HA level {}{n}", op_words(rules.ha_level_operator)));
    }
    if let Some(vsp::SnapshotIntervalOpt::SnapshotInterval(n)) = rules.snapshot_interval_opt {
        words.push(format!(
            "snapshots every {}{n} min",
            op_words(rules.snapshot_interval_operator)
        ));
    }
    if let Some(vsp::IoProfileOpt::IoProfile(p)) = rules.io_profile_opt {
        words.push(format!("IO profile {}", io_profile(p)));
    }
    yes_no(
        &mut words,
        rules.encrypted_opt.map(|vsp::EncryptedOpt::Encrypted(b)| b),
        "encrypted",
        "not encrypted",
    );
    yes_no(
        &mut words,
        rules.shared_opt.map(|vsp::SharedOpt::Shared(b)| b),
        "shared",
        "not shared",
    );
    yes_no(
        &mut words,
        rules.sticky_opt.map(|vsp::StickyOpt::Sticky(b)| b),
        "sticky",
        "not sticky",
    );
    if !rules.volume_labels.is_empty() {
        words.push(format!("{} labels", rules.volume_labels.len()));
    }
    if words.is_empty() {
        "no rules".into()
    } else {
        words.join(", ")
    }
}

/// What a policy changed between the spec asked for and the one made, in words; nothing when
/// the volume was not made under a policy.
pub fn changes(asked: &VolumeSpec, made: &VolumeSpec) -> Vec<String> {
    if made.storage_policy.is_empty() {
        return Vec::new();
    }
    let mut changed = Vec::new();
    let mut note = |what: &str, from: String, to: String| {
        if from != to {
            changed.push(format!("{what} {from} → {to}"));
        }
    };
    note("size", format::bytes(asked.size), format::bytes(made.size));
    note(
        "HA level",
        asked.ha_level.to_string(),
        made.ha_level.to_string(),
    );
    note(
        "IO profile",
        io_profile(asked.io_profile),
        io_profile(made.io_profile),
    );
    let yes = |b: bool| if b { "yes" } else { "no" }.to_string();
    note("encrypted", yes(asked.encrypted), yes(made.encrypted));
    note("shared", yes(asked.shared), yes(made.shared));
    note("sticky", yes(asked.sticky), yes(made.sticky));
    note(
        "minutes between snapshots",
        asked.snapshot_interval.to_string(),
        made.snapshot_interval.to_string(),
    );
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gold() -> PolicyForm {
        PolicyForm {
            name: " gold ".into(),
            size: Bound {
                value: "10".into(),
                op: PolicyOp::Minimum as i32,
            },
            unit: Some(SizeUnit::GiB),
            ha_level: Bound {
                value: "2".into(),
                op: 0,
            },
            io_profile: Some(2),
            encrypted: Some(true),
            force: true,
            ..Default::default()
        }
    }

    #[test]
    fn a_filled_form_makes_the_policy_and_reads_back() {
        let policy = plan(&gold()).unwrap();
        assert_eq!(policy.name, "gold");
        assert!(policy.force && !policy.allow_update);
        let rules = policy.policy.clone().unwrap();
        assert_eq!(rules.size_opt, Some(vsp::SizeOpt::Size(10 << 30)));
        assert_eq!(rules.size_operator, PolicyOp::Minimum as i32);
        assert_eq!(rules.ha_level_opt, Some(vsp::HaLevelOpt::HaLevel(2)));
        assert_eq!(
            rules.io_profile_opt,
            Some(vsp::IoProfileOpt::IoProfile(IoProfile::Db as i32))
        );
        assert_eq!(rules.shared_opt, None);
        assert_eq!(
            describe(&rules),
            "size at least 10 GiB, HA level 2, IO profile db, encrypted"
        );
        let again = form_of(&policy);
        assert_eq!(plan(&again).unwrap(), policy);
        assert_eq!(describe(&VolumeSpecPolicy::default()), "no rules");
    }

    #[test]
    fn changes_name_what_a_policy_changed() {
        let asked = VolumeSpec {
            size: 1 << 30,
            ha_level: 1,
            ..Default::default()
        };
        let mut made = VolumeSpec {
            size: 10 << 30,
            ha_level: 2,
            storage_policy: "gold".into(),
            ..Default::default()
        };
        assert_eq!(
            changes(&asked, &made),
            ["size 1 GiB → 10 GiB", "HA level 1 → 2"]
        );
        made.storage_policy.clear();
        assert!(changes(&asked, &made).is_empty());
    }

    #[test]
    fn editing_keeps_rules_the_form_does_not_show() {
        let mut stored = plan(&gold()).unwrap();
        let rules = stored.policy.as_mut().unwrap();
        rules.volume_labels.insert("tier".into(), "gold".into());
        rules.journal_opt = Some(vsp::JournalOpt::Journal(true));
        let mut form = form_of(&stored);
        form.ha_level.value = "3".into();
        let edited = plan(&form).unwrap();
        let rules = edited.policy.unwrap();
        assert_eq!(rules.ha_level_opt, Some(vsp::HaLevelOpt::HaLevel(3)));
        assert_eq!(rules.volume_labels["tier"], "gold");
        assert_eq!(rules.journal_opt, Some(vsp::JournalOpt::Journal(true)));
        // Clearing a field removes its rule.
        form.size.value.clear();
        let cleared = plan(&form).unwrap();
        assert_eq!(cleared.policy.unwrap().size_opt, None);
    }

    #[test]
    fn bad_fields_are_each_named() {
        let form = PolicyForm {
            name: "no/slash".into(),
            size: Bound {
                value: "ten".into(),
                op: 0,
            },
            ha_level: Bound {
                value: "0".into(),
                op: 0,
            },
            snapshot_interval: Bound {
                value: "-5".into(),
                op: 0,
            },
            ..Default::default()
        };
        let fields: Vec<PolicyField> = plan(&form)
            .unwrap_err()
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(
            fields,
            [
                PolicyField::Name,
                PolicyField::Size,
                PolicyField::HaLevel,
                PolicyField::SnapshotInterval
            ]
        );
        let four = PolicyForm {
            name: "p".into(),
            ha_level: Bound {
                value: "4".into(),
                op: 0,
            },
            ..Default::default()
        };
        assert_eq!(
            plan(&four).unwrap_err(),
            [(
                PolicyField::HaLevel,
                "Enter an HA level from 1 to 3, or leave it empty.".to_string()
            )]
        );
    }
}

//! What a backup form backs up and where to: the volume and credential pickers shared by the
//! start and schedule forms and a volume's page.

use leptos::prelude::*;

use crate::hooks::polled::Polled;
use crate::hooks::shared_queries::{use_found_names, VolumeNames};
use crate::logic::format;
use crate::proto::SdkCredentialInspectResponse;

/// Keeps a select's value on one of `ids`: the first one when nothing (or something no longer
/// offered) is chosen.
pub fn keep_valid_choice(choice: RwSignal<String>, ids: impl IntoIterator<Item = String>) {
    let ids: Vec<String> = ids.into_iter().collect();
    if !ids.contains(&choice.get_untracked()) {
        choice.set(ids.into_iter().next().unwrap_or_default());
    }
}

/// A volume picker's choices: the page's names (the first by name) until the user types in
/// its search field, then the cluster's volumes whose names contain that text, however many
/// volumes the cluster has.
#[derive(Clone, Copy)]
pub struct VolumeChoices {
    search: RwSignal<String>,
    names: Polled<VolumeNames>,
    found: Polled<VolumeNames>,
}

impl VolumeChoices {
    pub fn new(names: Polled<VolumeNames>) -> VolumeChoices {
        let search = RwSignal::new(String::new());
        VolumeChoices {
            search,
            names,
            found: use_found_names(search.into()),
        }
    }

    /// The choices now (None while they load); tracked.
    pub fn list(self) -> Option<VolumeNames> {
        if self.search.with(|s| s.trim().is_empty()) {
            self.names.data.get()
        } else {
            self.found.data.get()
        }
    }

    /// The search field above the select.
    pub fn search_field(self, id: String) -> impl IntoView {
        let search = self.search;
        view! {
            <div class="field">
                <label for=id.clone()>"Find a volume"</label>
                <input
                    id=id
                    type="search"
                    placeholder="part of its name"
                    prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev))
                />
            </div>
        }
    }
}

/// A volume select's options. Each option's selectedness follows `chosen`, so options drawn
/// after the select (the list arrives later, or is refreshed) show what the form holds.
pub fn volume_options(choices: VolumeChoices, chosen: RwSignal<String>) -> impl IntoView {
    move || {
        choices
            .list()
            .unwrap_or_default()
            .into_iter()
            .map(|(id, name)| {
                let value = id.clone();
                view! { <option value=id prop:selected=move || chosen.get() == value>{name}</option> }
            })
            .collect_view()
    }
}

/// A credential select's options, selected as `chosen` says (see `volume_options`). Names may
/// repeat on a cluster, so a repeated name carries the start of its id.
pub fn credential_options(
    creds: Polled<Vec<SdkCredentialInspectResponse>>,
    chosen: RwSignal<String>,
) -> impl IntoView {
    move || {
        creds.data.with(|list| {
            let list = list.as_deref().unwrap_or_default();
            list.iter()
                .map(|c| {
                    let repeated = list.iter().filter(|o| o.name == c.name).count() > 1;
                    let text = if repeated {
                        format!("{} ({})", c.name, format::short_id(&c.credential_id))
                    } else {
                        c.name.clone()
                    };
                    let value = c.credential_id.clone();
                    view! { <option value=c.credential_id.clone() prop:selected=move || chosen.get() == value>{text}</option> }
                })
                .collect_view()
        })
    }
}

/// Keeps `credential` on one of the listed credentials as the list arrives and changes (a
/// backup always names its credential: real clusters pick one only when exactly one exists).
pub fn follow_credentials(
    creds: Polled<Vec<SdkCredentialInspectResponse>>,
    credential: RwSignal<String>,
) {
    Effect::new(move |_| {
        if let Some(list) = creds.data.get() {
            keep_valid_choice(credential, list.into_iter().map(|c| c.credential_id));
        }
    });
}

/// The volume and credential a backup form sends. Both are pre-selected as their lists arrive
/// and kept on a valid choice; a new choice clears an earlier "choose one" error.
#[derive(Clone, Copy)]
pub struct BackupTarget {
    pub volume: RwSignal<String>,
    pub credential: RwSignal<String>,
    choices: VolumeChoices,
    creds: Polled<Vec<SdkCredentialInspectResponse>>,
}

impl BackupTarget {
    pub fn new(
        names: Polled<VolumeNames>,
        creds: Polled<Vec<SdkCredentialInspectResponse>>,
        error: RwSignal<Option<String>>,
    ) -> BackupTarget {
        let volume = RwSignal::new(String::new());
        let credential = RwSignal::new(String::new());
        let choices = VolumeChoices::new(names);
        Effect::new(move |_| {
            if let Some(list) = choices.list() {
                keep_valid_choice(volume, list.into_iter().map(|(id, _)| id));
            }
        });
        follow_credentials(creds, credential);
        Effect::new(move |_| {
            volume.track();
            credential.track();
            error.set(None);
        });
        BackupTarget {
            volume,
            credential,
            choices,
            creds,
        }
    }

    /// Both lists have arrived. Before, the selects cannot show a choice, and submitting would
    /// act on a value the form does not show.
    pub fn loaded(self) -> bool {
        self.choices.names.data.with(Option::is_some) && self.creds.data.with(Option::is_some)
    }

    /// The volume and credential chosen, or what to do first.
    pub fn chosen(self) -> Result<(String, String), String> {
        choice(self.volume.get_untracked(), self.credential.get_untracked())
    }

    /// The same, tracked: for what follows the choice as it changes (the form's code).
    pub fn choosing(self) -> Result<(String, String), String> {
        choice(self.volume.get(), self.credential.get())
    }

    /// The volume and credential selects.
    pub fn pickers(self, id_prefix: &'static str) -> impl IntoView {
        let (volume, credential) = (self.volume, self.credential);
        view! {
            {self.choices.search_field(format!("{id_prefix}-volume-search"))}
            <div class="field">
                <label for=format!("{id_prefix}-volume")>"Volume"</label>
                <select id=format!("{id_prefix}-volume") on:change=move |ev| volume.set(event_target_value(&ev))>
                    {volume_options(self.choices, volume)}
                </select>
            </div>
            <div class="field">
                <label for=format!("{id_prefix}-credential")>"Credential"</label>
                <select id=format!("{id_prefix}-credential") on:change=move |ev| credential.set(event_target_value(&ev))>
                    {credential_options(self.creds, credential)}
                </select>
            </div>
        }
    }
}

fn choice(volume: String, credential: String) -> Result<(String, String), String> {
    if volume.is_empty() {
        Err("Choose a volume (create one first if there is none).".to_string())
    } else if credential.is_empty() {
        Err("Choose a credential (add one under Credentials first).".to_string())
    } else {
        Ok((volume, credential))
    }
}

//! ARCHITECTURE.md's layers, checked: every `crate::` path in the app's and the server's
//! sources names a layer the file's own layer may import. A new import that runs up a layer (the
//! way the server's edge once grew a circle) fails here with the file and the path.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// What each layer may import besides itself (the layer is a top-level module: a folder or a
/// file of `src/`). Layers not listed may import anything (`lib`, `main`, `app`).
type Rules = &'static [(&'static str, &'static [&'static str])];

const APP: Rules = &[
    ("proto", &[]),
    ("logic", &["proto"]),
    ("browser", &["logic", "proto"]),
    ("error", &[]),
    ("api", &["logic", "browser", "error", "proto"]),
    ("hooks", &["api", "logic", "browser", "error", "proto"]),
    (
        "components",
        &["hooks", "api", "logic", "browser", "error", "proto"],
    ),
    (
        "pages",
        &[
            "components",
            "hooks",
            "api",
            "logic",
            "browser",
            "error",
            "proto",
        ],
    ),
];

const SERVER: Rules = &[
    ("proto", &[]),
    ("error", &[]),
    ("status", &[]),
    ("pace", &[]),
    ("unix_time", &[]),
    ("secret_file", &[]),
    ("oidc", &["error"]),
    ("tls", &["error"]),
    ("access", &["oidc", "proto"]),
    ("gateway", &["proto", "error", "secret_file"]),
    ("health", &["gateway", "unix_time", "proto"]),
    (
        "volume_view",
        &["access", "gateway", "health", "unix_time", "proto"],
    ),
    (
        "history",
        &[
            "volume_view",
            "gateway",
            "secret_file",
            "unix_time",
            "proto",
        ],
    ),
    (
        "mock",
        &[
            "access",
            "volume_view",
            "history",
            "health",
            "status",
            "proto",
        ],
    ),
    ("config", &["access", "mock", "oidc"]),
    (
        "fleet",
        &[
            "config",
            "mock",
            "gateway",
            "volume_view",
            "history",
            "health",
            "access",
            "proto",
            "error",
        ],
    ),
    ("web", &["health", "error"]),
    ("ui", &["web", "error"]),
    (
        "observe",
        &["fleet", "web", "health", "volume_view", "history", "proto"],
    ),
    ("sso", &["oidc", "secret_file", "unix_time", "error"]),
    ("serve", &["web", "ui", "health", "pace", "sso"]),
];

fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The top-level modules a file's `crate::` paths name (`crate::{a, b}` names both), comments
/// left out.
fn imported(text: &str) -> BTreeSet<String> {
    let code: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut names = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            names.extend(group.split(',').map(|p| ident(p.trim())));
        } else {
            names.insert(ident(rest));
        }
    }
    names.retain(|n| !n.is_empty());
    names
}

fn check(root: &Path, rules: Rules) -> Vec<String> {
    let mut files = Vec::new();
    sources(root, &mut files);
    assert!(!files.is_empty(), "no sources under {}", root.display());
    let mut broken = Vec::new();
    for file in files {
        let relative = file.strip_prefix(root).unwrap();
        let first = relative.components().next().unwrap().as_os_str();
        let layer = first.to_string_lossy().trim_end_matches(".rs").to_string();
        let Some((_, allowed)) = rules.iter().find(|(name, _)| *name == layer) else {
            continue;
        };
        for name in imported(&fs::read_to_string(&file).unwrap()) {
            if name != layer && !allowed.contains(&name.as_str()) {
                broken.push(format!(
                    "{}: `{layer}` may not import `crate::{name}`",
                    relative.display()
                ));
            }
        }
    }
    broken
}

#[test]
fn the_app_imports_only_down_its_layers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let broken = check(&root, APP);
    assert!(
        broken.is_empty(),
        "see ARCHITECTURE.md:\n{}",
        broken.join("\n")
    );
}

#[test]
fn the_server_imports_only_down_its_layers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("server/src");
    let broken = check(&root, SERVER);
    assert!(
        broken.is_empty(),
        "see ARCHITECTURE.md:\n{}",
        broken.join("\n")
    );
}

/// The mock is built as real clusters are: its store (all state) knows nothing of the SDK
/// handlers above it, nor of the view that reads it.
#[test]
fn the_mock_store_knows_nothing_of_its_handlers_or_the_view() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("server/src/mock/store");
    let mut files = Vec::new();
    sources(&root, &mut files);
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        for above in [
            "crate::mock::sdk",
            "super::super::sdk",
            "crate::volume_view",
        ] {
            assert!(
                !text.contains(above),
                "{} names {above}: see ARCHITECTURE.md",
                file.display()
            );
        }
    }
}

#[test]
fn a_path_up_a_layer_is_found() {
    let text = "use crate::api::call;\nuse crate::{logic, pages};\n// crate::app in a comment\n";
    let names: Vec<String> = imported(text).into_iter().collect();
    assert_eq!(names, ["api", "logic", "pages"]);
}

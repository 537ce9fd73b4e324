//! Which cluster a console address is for. With several clusters behind one console-server,
//! `/clusters/NAME/...` is cluster NAME's screen `...`; an address without the prefix is the
//! console's first cluster, as every address was before there were several (so old links and
//! bookmarks keep working). `/clusters` itself is the fleet page.

/// Where cluster addresses start, and the fleet page's address.
pub const FLEET: &str = "/clusters";

/// A cluster's name as console-server accepts it (`--mock NAME`, `--upstream NAME=URL`):
/// letters, digits, `-`, `_` and `.`, so it needs no escaping in a path.
pub fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// The cluster an address names, and the screen's path within it (always starting with `/`).
pub fn split(path: &str) -> (Option<&str>, &str) {
    let Some(rest) = path.strip_prefix(FLEET).and_then(|r| r.strip_prefix('/')) else {
        return (None, path);
    };
    let (name, screen) = match rest.find('/') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, "/"),
    };
    if is_name(name) {
        (Some(name), screen)
    } else {
        (None, path)
    }
}

/// The router's base for a cluster's screens: `""` for the unprefixed addresses.
pub fn base(cluster: Option<&str>) -> String {
    cluster.map_or_else(String::new, |name| format!("{FLEET}/{name}"))
}

/// The address of `screen` (a path starting with `/`, query allowed) in `cluster`.
pub fn at(cluster: Option<&str>, screen: &str) -> String {
    format!("{}{screen}", base(cluster))
}

/// Where switching to another cluster leads from `screen`: the same screen, except that a page
/// of one object (a volume, a node) becomes its list, since the other cluster has its own.
pub fn same_screen(screen: &str) -> &str {
    let path = screen.split(['?', '#']).next().unwrap_or(screen);
    match path.trim_end_matches('/') {
        "/volumes/new" => "/volumes/new",
        p if p.starts_with("/volumes/") => "/volumes",
        p if p.starts_with("/nodes/") => "/",
        _ => screen,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_names_its_cluster_or_none() {
        assert_eq!(
            split("/clusters/dr-east/volumes/v1"),
            (Some("dr-east"), "/volumes/v1")
        );
        assert_eq!(split("/clusters/dr/"), (Some("dr"), "/"));
        assert_eq!(split("/clusters/dr"), (Some("dr"), "/"));
        assert_eq!(split("/volumes/v1"), (None, "/volumes/v1"));
        assert_eq!(split("/"), (None, "/"));
        // The fleet page, and what only looks like a cluster address, name none.
        assert_eq!(split("/clusters"), (None, "/clusters"));
        assert_eq!(split("/clusters/"), (None, "/clusters/"));
        assert_eq!(split("/clustersx/a"), (None, "/clustersx/a"));
        assert_eq!(split("/clusters/a%20b/x"), (None, "/clusters/a%20b/x"));
    }

    #[test]
    fn addresses_are_built_back_from_the_cluster_and_screen() {
        assert_eq!(
            at(Some("dr"), "/volumes?state=2"),
            "/clusters/dr/volumes?state=2"
        );
        assert_eq!(at(None, "/volumes"), "/volumes");
        assert_eq!(base(Some("dr")), "/clusters/dr");
        assert_eq!(base(None), "");
        let (cluster, screen) = split("/clusters/prod/backups");
        assert_eq!(at(cluster, screen), "/clusters/prod/backups");
    }

    #[test]
    fn switching_keeps_the_screen_but_not_one_clusters_object() {
        assert_eq!(same_screen("/volumes?state=2"), "/volumes?state=2");
        assert_eq!(same_screen("/backups"), "/backups");
        assert_eq!(same_screen("/volumes/abc"), "/volumes");
        assert_eq!(same_screen("/volumes/new"), "/volumes/new");
        assert_eq!(same_screen("/nodes/n1"), "/");
        assert_eq!(same_screen("/"), "/");
    }

    #[test]
    fn names_are_what_console_server_accepts() {
        assert!(is_name("dr-east.1"));
        assert!(is_name("a_b"));
        assert!(!is_name(""));
        assert!(!is_name("a b"));
        assert!(!is_name(&"x".repeat(64)));
    }
}

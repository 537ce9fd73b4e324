//! The disaster-recovery forms, checked before anything is sent: where the other cluster is
//! (address and port), its pairing token, and what a migration moves.

/// The other cluster's address and port: a host name or IP (no scheme, no spaces) and a port
/// from 1 to 65535 (empty: Portworx's 9001).
pub fn remote(address: &str, port: &str) -> Result<(String, u32), [Option<String>; 2]> {
    let address = address.trim();
    let address_error = if address.is_empty() {
        Some("Enter the other cluster's address, such as 10.0.0.5 or px.dr.example.com.".into())
    } else if address.contains("://") || address.contains(['/', ' ']) {
        Some("Enter a host name or IP only, without http:// or a path.".into())
    } else {
        None
    };
    let port = port.trim();
    let parsed = if port.is_empty() {
        Ok(9001)
    } else {
        match port.parse::<u32>() {
            Ok(p) if (1..=65535).contains(&p) => Ok(p),
            _ => Err("Enter a port from 1 to 65535.".to_string()),
        }
    };
    match (address_error, parsed) {
        (None, Ok(port)) => Ok((address.to_string(), port)),
        (address_error, parsed) => Err([address_error, parsed.err()]),
    }
}

/// A pairing token: not empty, no spaces (it is pasted from the other cluster).
pub fn token(token: &str) -> Result<String, String> {
    let token = token.trim();
    if token.is_empty() {
        return Err("Paste the other cluster's pairing token.".into());
    }
    if token.contains(char::is_whitespace) {
        return Err("A pairing token has no spaces: paste it whole.".into());
    }
    Ok(token.to_string())
}

/// What a migration moves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Moves {
    Volume(String),
    Group(String),
    All,
}

/// `kind` is "volume", "group" or "all"; `name` the volume's id or name, or the group's id.
pub fn moves(kind: &str, name: &str) -> Result<Moves, String> {
    let name = name.trim();
    match kind {
        "all" => Ok(Moves::All),
        "group" if name.is_empty() => Err("Enter the volume group's id.".into()),
        "group" => Ok(Moves::Group(name.into())),
        _ if name.is_empty() => Err("Enter the volume's name or id.".into()),
        _ => Ok(Moves::Volume(name.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_clusters() {
        assert_eq!(remote(" 10.0.0.5 ", ""), Ok(("10.0.0.5".into(), 9001)));
        assert_eq!(remote("px.dr", "9021"), Ok(("px.dr".into(), 9021)));
        let [address, port] = remote("http://px.dr/", "0").unwrap_err();
        assert!(address.unwrap().contains("without http://"));
        assert!(port.unwrap().contains("1 to 65535"));
        let [address, port] = remote("", "9001").unwrap_err();
        assert!(address.is_some() && port.is_none());
    }

    #[test]
    fn tokens_and_what_moves() {
        assert_eq!(token(" abc "), Ok("abc".into()));
        assert!(token("").is_err());
        assert!(token("ab cd").unwrap_err().contains("no spaces"));
        assert_eq!(moves("all", ""), Ok(Moves::All));
        assert_eq!(moves("volume", " web "), Ok(Moves::Volume("web".into())));
        assert!(moves("volume", "").unwrap_err().contains("volume's name"));
        assert!(moves("group", "").unwrap_err().contains("group's id"));
    }
}

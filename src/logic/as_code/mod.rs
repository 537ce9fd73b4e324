//! "Show as code": the SDK call a form makes, as a Python program in the SDK tutorial's style, a
//! Go program with upstream's `api` package, and a grpcurl command. One generator for every
//! form: it reads the request message itself (the bytes the console sends, decoded with the
//! proto's descriptors), so each form only names its method and hands over its request.
//!
//! Secrets never appear: a secret field's value is read from an environment variable whose
//! name the snippet states (`SECRETS`), and so is the token.

mod go;
mod grpcurl;
mod literal;
mod python;

use std::sync::OnceLock;

use prost_reflect::{
    DescriptorPool, DynamicMessage, FieldDescriptor, Kind, MessageDescriptor, MethodDescriptor,
    ReflectMessage, Value,
};

/// The proto's descriptors, from build.rs (no comments or source positions).
static DESCRIPTORS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/descriptors.binpb"));

/// The environment variable every snippet reads a token from, when it is set.
pub const TOKEN_VARIABLE: &str = "OPENSTORAGE_TOKEN";

/// Fields whose values are secret, by full proto name, with the environment variable a
/// snippet reads each from instead.
const SECRETS: &[(&str, &str)] = &[
    (
        "openstorage.api.VolumeSpec.passphrase",
        "OPENSTORAGE_PASSPHRASE",
    ),
    (
        "openstorage.api.VolumeSpecUpdate.passphrase",
        "OPENSTORAGE_PASSPHRASE",
    ),
    (
        "openstorage.api.VolumeSpecPolicy.passphrase",
        "OPENSTORAGE_PASSPHRASE",
    ),
    (
        "openstorage.api.SdkCredentialCreateRequest.encryption_key",
        "OPENSTORAGE_ENCRYPTION_KEY",
    ),
    (
        "openstorage.api.SdkAwsCredentialRequest.secret_key",
        "OPENSTORAGE_AWS_SECRET_KEY",
    ),
    (
        "openstorage.api.SdkAzureCredentialRequest.account_key",
        "OPENSTORAGE_AZURE_ACCOUNT_KEY",
    ),
    (
        "openstorage.api.SdkGoogleCredentialRequest.json_key",
        "OPENSTORAGE_GOOGLE_JSON_KEY",
    ),
    (
        "openstorage.api.ClusterPairCreateRequest.remote_cluster_token",
        "OPENSTORAGE_CLUSTER_TOKEN",
    ),
];

/// Where the snippets connect: the console's own address, which serves native gRPC too.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    /// `host:port`.
    pub address: String,
    pub tls: bool,
}

impl Endpoint {
    /// The endpoint a URL names (the console's SDK address): `https://console.example` is
    /// `console.example:443` with TLS, `http://127.0.0.1:9100/` is `127.0.0.1:9100`.
    pub fn from_url(url: &str) -> Endpoint {
        let (tls, rest) = match url.split_once("://") {
            Some((scheme, rest)) => (scheme.eq_ignore_ascii_case("https"), rest),
            None => (false, url),
        };
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        // A port follows the last colon, after any bracketed IPv6 address.
        let has_port = host
            .rsplit_once(':')
            .is_some_and(|(before, _)| !before.contains('[') || before.ends_with(']'));
        let address = if has_port {
            host.to_string()
        } else {
            format!("{host}:{}", if tls { 443 } else { 80 })
        };
        Endpoint { address, tls }
    }
}

/// One call: the method's path (`/openstorage.api.OpenStorageVolume/Create`) and the request's
/// encoded bytes, exactly as the console sends them.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub path: String,
    pub request: Vec<u8>,
}

impl Call {
    /// The call a form makes: its method and request, encoded as the console sends it.
    pub fn new<Q: prost::Message, A>(method: crate::proto::Method<Q, A>, request: &Q) -> Self {
        Call {
            path: method.path.to_string(),
            request: request.encode_to_vec(),
        }
    }
}

/// The call in each language.
#[derive(Clone, Debug, PartialEq)]
pub struct Snippets {
    pub python: String,
    pub go: String,
    pub grpcurl: String,
}

/// Renders the call in the three languages, or says why it cannot.
pub fn render(call: &Call, endpoint: &Endpoint) -> Result<Snippets, String> {
    let method = method(&call.path)?;
    let request = DynamicMessage::decode(method.input(), call.request.as_slice()).map_err(|e| {
        format!(
            "the request does not decode as {}: {e}",
            method.input().full_name()
        )
    })?;
    let rpc = Rpc {
        method,
        request,
        endpoint,
    };
    Ok(Snippets {
        python: python::render(&rpc),
        go: go::render(&rpc),
        grpcurl: grpcurl::render(&rpc)?,
    })
}

/// What every language's renderer reads.
struct Rpc<'a> {
    method: MethodDescriptor,
    request: DynamicMessage,
    endpoint: &'a Endpoint,
}

impl Rpc<'_> {
    /// The snippet's opening comment: the call, what it needs, and the variables it reads.
    fn header(&self, comment: &str, needs: &str) -> String {
        let mut out = format!(
            "{comment} {}.{}, as the console sends it.\n{comment} {needs}\n",
            service_name(&self.method),
            self.method.name()
        );
        out.push_str(&format!(
            "{comment} Sends the token in ${TOKEN_VARIABLE} when it is set.\n"
        ));
        for variable in self.secret_variables() {
            out.push_str(&format!(
                "{comment} Reads a secret from ${variable}: set it before running.\n"
            ));
        }
        out
    }

    /// The environment variables the snippet reads secrets from, in the order they appear.
    fn secret_variables(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        collect_secrets(&self.request, &mut names);
        names
    }
}

fn collect_secrets(message: &DynamicMessage, names: &mut Vec<&'static str>) {
    for (field, value) in set_fields(message) {
        if let Some(name) = secret(&field) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        match &value {
            Value::Message(inner) => collect_secrets(inner, names),
            Value::List(items) => items.iter().for_each(|item| {
                if let Value::Message(inner) = item {
                    collect_secrets(inner, names)
                }
            }),
            Value::Map(entries) => entries.values().for_each(|item| {
                if let Value::Message(inner) = item {
                    collect_secrets(inner, names)
                }
            }),
            _ => {}
        }
    }
}

fn pool() -> &'static DescriptorPool {
    static POOL: OnceLock<DescriptorPool> = OnceLock::new();
    POOL.get_or_init(|| {
        DescriptorPool::decode(DESCRIPTORS).expect("build.rs wrote valid descriptors")
    })
}

/// The method a path names: `/package.Service/Method`.
fn method(path: &str) -> Result<MethodDescriptor, String> {
    let (service, name) = path
        .strip_prefix('/')
        .and_then(|p| p.split_once('/'))
        .ok_or_else(|| format!("{path} is not a method's path"))?;
    pool()
        .get_service_by_name(service)
        .and_then(|s| s.methods().find(|m| m.name() == name))
        .ok_or_else(|| format!("{path} is not a method of the SDK"))
}

/// The fields a message has set, in the proto's order (a proto3 field at its default is not
/// sent, so it is not shown either).
fn set_fields(message: &DynamicMessage) -> Vec<(FieldDescriptor, Value)> {
    message
        .descriptor()
        .fields()
        .filter(|field| message.has_field(field))
        .map(|field| {
            let value = message.get_field(&field).into_owned();
            (field, value)
        })
        .collect()
}

/// The environment variable a secret field is read from, if the field is secret.
fn secret(field: &FieldDescriptor) -> Option<&'static str> {
    SECRETS
        .iter()
        .find(|(name, _)| *name == field.full_name())
        .map(|(_, variable)| *variable)
}

/// A message's name within its package: `VolumeSpec`, `Parent.Child`.
fn local_name(message: &MessageDescriptor) -> &str {
    let package = message.package_name();
    message
        .full_name()
        .strip_prefix(package)
        .and_then(|n| n.strip_prefix('.'))
        .unwrap_or(message.full_name())
}

/// A byte count written as the tutorial writes sizes (`100*1024*1024*1024`), for fields that
/// hold one; other numbers as they are.
fn size_factors(field: &FieldDescriptor, value: u64) -> Option<(u64, usize)> {
    let name = field.name();
    let is_size = matches!(field.kind(), Kind::Uint64 | Kind::Int64)
        && (name == "size" || name.ends_with("_size") || name.ends_with("_bytes"));
    if !is_size || value == 0 {
        return None;
    }
    let mut base = value;
    let mut powers = 0;
    while powers < 4 && base.is_multiple_of(1024) {
        base /= 1024;
        powers += 1;
    }
    (powers > 0).then_some((base, powers))
}

/// `number` followed by `powers` factors of 1024, joined by `times` (`*` or ` * `).
fn size_expression(base: u64, powers: usize, times: &str) -> String {
    let mut out = base.to_string();
    for _ in 0..powers {
        out.push_str(times);
        out.push_str("1024");
    }
    out
}

/// The service's name without its package: `OpenStorageVolume`.
fn service_name(method: &MethodDescriptor) -> &str {
    method.parent_service().name()
}

#[cfg(test)]
mod tests;

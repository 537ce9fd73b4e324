//! The call as a grpcurl command: the request in the proto's JSON mapping (proto field names,
//! enum names), sent from a here-document so that secrets come from environment variables.

use std::fmt::Write as _;

use prost_reflect::{DynamicMessage, SerializeOptions, Value};

use super::{secret, Rpc, TOKEN_VARIABLE};

/// Marks where a secret's variable goes: control characters no form's text can hold once
/// escaped, so only the generator's own marks are replaced.
const MARK: char = '\u{1}';

pub(super) fn render(rpc: &Rpc) -> Result<String, String> {
    let mut request = rpc.request.clone();
    mark_secrets(&mut request);
    let options = SerializeOptions::new()
        .use_proto_field_name(true)
        .stringify_64_bit_integers(false)
        .skip_default_fields(true);
    let mut json = Vec::new();
    let mut serializer = serde_json::Serializer::pretty(&mut json);
    request
        .serialize_with_options(&mut serializer, &options)
        .map_err(|e| format!("the request has no JSON form: {e}"))?;
    let json = String::from_utf8(json).map_err(|e| e.to_string())?;
    let body = unmark(&here_document_text(&json));

    let service = rpc.method.parent_service();
    let mut out = rpc.header(
        "#",
        "grpcurl reads the SDK's messages from a protoset made from upstream's proto:\n\
         #   protoc --include_imports -o openstorage.protoset api/api.proto",
    );
    let plaintext = if rpc.endpoint.tls { "" } else { "-plaintext " };
    let _ = writeln!(out, "grpcurl {plaintext}-protoset openstorage.protoset \\");
    let _ = writeln!(
        out,
        "  ${{{TOKEN_VARIABLE}:+-H \"authorization: bearer ${TOKEN_VARIABLE}\"}} \\"
    );
    let _ = writeln!(
        out,
        "  -d @ {} {}/{} <<EOF",
        rpc.endpoint.address,
        service.full_name(),
        rpc.method.name()
    );
    out.push_str(&body);
    out.push_str("\nEOF\n");
    Ok(out)
}

/// Replaces every secret string with a mark naming its variable.
fn mark_secrets(message: &mut DynamicMessage) {
    for (field, value) in message.fields_mut() {
        if let Some(variable) = secret(&field) {
            if let Value::String(text) = value {
                *text = format!("{MARK}{variable}{MARK}");
            }
            continue;
        }
        match value {
            Value::Message(inner) => mark_secrets(inner),
            Value::List(items) => items.iter_mut().for_each(|item| {
                if let Value::Message(inner) = item {
                    mark_secrets(inner)
                }
            }),
            Value::Map(entries) => entries.values_mut().for_each(|item| {
                if let Value::Message(inner) = item {
                    mark_secrets(inner)
                }
            }),
            _ => {}
        }
    }
}

/// The JSON as the text of an unquoted here-document, which expands `$`, `` ` `` and `\`:
/// each is escaped, so the shell hands grpcurl the JSON unchanged.
fn here_document_text(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if matches!(c, '\\' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The secrets' marks (JSON-escaped, then escaped for the here-document) as their variables.
fn unmark(text: &str) -> String {
    const ESCAPED: &str = "\\\\u0001";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(ESCAPED) {
        let after = &rest[start + ESCAPED.len()..];
        match after.find(ESCAPED) {
            Some(end) if is_variable(&after[..end]) => {
                out.push_str(&rest[..start]);
                out.push('$');
                out.push_str(&after[..end]);
                rest = &after[end + ESCAPED.len()..];
            }
            _ => {
                out.push_str(&rest[..start + ESCAPED.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Only the secrets' own variables: a value that happens to hold marks expands nothing else.
fn is_variable(name: &str) -> bool {
    super::SECRETS.iter().any(|(_, variable)| *variable == name)
}

//! Values written as source code: the walk over a request's fields that Python and Go share,
//! each language supplying its own spelling (`Syntax`).

use std::fmt::Write as _;

use prost_reflect::{DynamicMessage, EnumDescriptor, FieldDescriptor, Kind, MapKey, Value};

use super::{secret, size_expression, size_factors};

/// How a language spells what the walk meets.
pub(super) trait Syntax {
    /// A message literal, its fields indented under `indent`.
    fn message(&self, message: &DynamicMessage, indent: usize, out: &mut String);
    /// What goes before a message written as a field's value (Go's `&`).
    const MESSAGE_VALUE_PREFIX: &'static str = "";
    fn string(&self, text: &str) -> String;
    fn boolean(&self, yes: bool) -> &'static str;
    /// The expression that reads a secret from its environment variable.
    fn secret(&self, variable: &str) -> String;
    fn bytes(&self, bytes: &[u8]) -> String;
    /// An enum value by its name.
    fn enum_value(&self, enumeration: &EnumDescriptor, name: &str) -> String;
    /// What opens a list or a map of this field.
    fn list_open(&self, field: &FieldDescriptor) -> String;
    fn map_open(&self, key: &FieldDescriptor, value: &FieldDescriptor) -> String;
    const LIST_CLOSE: &'static str;
    const MAP_CLOSE: &'static str;
    /// How a size's factors are joined (`*`, ` * `).
    const TIMES: &'static str;
}

/// A field's value: a secret's variable, a list, a map or one value.
pub(super) fn field_value<S: Syntax>(
    syntax: &S,
    field: &FieldDescriptor,
    value: &Value,
    indent: usize,
    out: &mut String,
) {
    if let Some(variable) = secret(field) {
        out.push_str(&syntax.secret(variable));
        return;
    }
    match value {
        Value::List(items) => {
            out.push_str(&syntax.list_open(field));
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                single(syntax, field, &field.kind(), item, indent, out);
            }
            out.push_str(S::LIST_CLOSE);
        }
        Value::Map(entries) => {
            let Kind::Message(entry) = field.kind() else {
                return;
            };
            let (key_field, value_field) =
                (entry.map_entry_key_field(), entry.map_entry_value_field());
            out.push_str(&syntax.map_open(&key_field, &value_field));
            // Maps have no order: sorted, so the code reads the same every time.
            let mut keys: Vec<&MapKey> = entries.keys().collect();
            keys.sort();
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                map_key(syntax, key, out);
                out.push_str(": ");
                single(
                    syntax,
                    &value_field,
                    &value_field.kind(),
                    &entries[key],
                    indent,
                    out,
                );
            }
            out.push_str(S::MAP_CLOSE);
        }
        _ => single(syntax, field, &field.kind(), value, indent, out),
    }
}

fn single<S: Syntax>(
    syntax: &S,
    field: &FieldDescriptor,
    kind: &Kind,
    value: &Value,
    indent: usize,
    out: &mut String,
) {
    match (value, kind) {
        (Value::Message(inner), _) => {
            out.push_str(S::MESSAGE_VALUE_PREFIX);
            syntax.message(inner, indent, out)
        }
        (Value::EnumNumber(number), Kind::Enum(enumeration)) => {
            match enumeration.get_value(*number) {
                Some(value) => out.push_str(&syntax.enum_value(enumeration, value.name())),
                None => out.push_str(&number.to_string()),
            }
        }
        (Value::String(text), _) => out.push_str(&syntax.string(text)),
        (Value::Bool(yes), _) => out.push_str(syntax.boolean(*yes)),
        (Value::Bytes(bytes), _) => out.push_str(&syntax.bytes(bytes)),
        (Value::U64(n), _) => number::<S>(field, *n, out),
        (Value::I64(n), _) if *n > 0 => number::<S>(field, n.unsigned_abs(), out),
        (Value::I64(n), _) => out.push_str(&n.to_string()),
        (Value::U32(n), _) => out.push_str(&n.to_string()),
        (Value::I32(n), _) => out.push_str(&n.to_string()),
        (Value::F32(n), _) => out.push_str(&n.to_string()),
        (Value::F64(n), _) => out.push_str(&n.to_string()),
        (Value::EnumNumber(n), _) => out.push_str(&n.to_string()),
        (Value::List(_) | Value::Map(_), _) => {}
    }
}

fn number<S: Syntax>(field: &FieldDescriptor, value: u64, out: &mut String) {
    match size_factors(field, value) {
        Some((base, powers)) => out.push_str(&size_expression(base, powers, S::TIMES)),
        None => {
            let _ = write!(out, "{value}");
        }
    }
}

fn map_key<S: Syntax>(syntax: &S, key: &MapKey, out: &mut String) {
    match key {
        MapKey::String(text) => out.push_str(&syntax.string(text)),
        MapKey::Bool(yes) => out.push_str(syntax.boolean(*yes)),
        MapKey::I32(n) => out.push_str(&n.to_string()),
        MapKey::I64(n) => out.push_str(&n.to_string()),
        MapKey::U32(n) => out.push_str(&n.to_string()),
        MapKey::U64(n) => out.push_str(&n.to_string()),
    }
}

/// A string literal between `quote`s, escaped as both Python and Go read it.
pub(super) fn quoted(text: &str, quote: char) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

//! The call as a Go program with upstream's `api` package and grpc-go (names as protoc-gen-go
//! makes them: `HaLevel`, `api.FSType_FS_TYPE_EXT4`, oneof wrappers).

use std::fmt::Write as _;

use prost_reflect::{DynamicMessage, EnumDescriptor, FieldDescriptor, Kind, ReflectMessage};

use super::literal::{field_value, quoted, Syntax};
use super::{local_name, service_name, set_fields, Rpc, TOKEN_VARIABLE};

pub(super) fn render(rpc: &Rpc) -> String {
    let service = service_name(&rpc.method);
    let mut out = rpc.header(
        "//",
        "Needs upstream's api package: go get github.com/libopenstorage/openstorage/api",
    );
    out.push_str("package main\n\nimport (\n\t\"context\"\n");
    if rpc.endpoint.tls {
        out.push_str("\t\"crypto/tls\"\n");
    }
    out.push_str("\t\"fmt\"\n\t\"os\"\n\n\t\"github.com/libopenstorage/openstorage/api\"\n");
    out.push_str("\t\"google.golang.org/grpc\"\n");
    if rpc.endpoint.tls {
        out.push_str("\t\"google.golang.org/grpc/credentials\"\n");
    }
    out.push_str("\t\"google.golang.org/grpc/metadata\"\n)\n\nfunc main() {\n");
    // grpc.WithInsecure and grpc.Dial, not their successors: upstream's go.mod pins grpc-go
    // 1.29, which has neither insecure.NewCredentials nor grpc.NewClient.
    let transport = if rpc.endpoint.tls {
        "grpc.WithTransportCredentials(credentials.NewTLS(&tls.Config{}))"
    } else {
        "grpc.WithInsecure()"
    };
    let _ = writeln!(
        out,
        "\tconn, err := grpc.Dial({}, {transport})",
        Go.string(&rpc.endpoint.address)
    );
    out.push_str(FAIL);
    out.push_str("\tdefer conn.Close()\n\tctx := context.Background()\n");
    let _ = writeln!(
        out,
        "\tif token := os.Getenv(\"{TOKEN_VARIABLE}\"); token != \"\" {{"
    );
    out.push_str(
        "\t\tctx = metadata.AppendToOutgoingContext(ctx, \"authorization\", \"bearer \"+token)\n\t}\n",
    );
    let _ = write!(
        out,
        "\tresp, err := api.New{service}Client(conn).{}(ctx, &",
        rpc.method.name()
    );
    Go.message(&rpc.request, 1, &mut out);
    out.push_str(")\n");
    out.push_str(FAIL);
    out.push_str("\tfmt.Println(resp)\n}\n");
    out
}

const FAIL: &str = "\tif err != nil {\n\t\tfmt.Println(\"Failed:\", err)\n\t\tos.Exit(1)\n\t}\n";

struct Go;

impl Syntax for Go {
    /// `api.Name{Field: value, …}`, one field per line; a oneof is one Go field holding a
    /// wrapper type per choice.
    fn message(&self, message: &DynamicMessage, indent: usize, out: &mut String) {
        let go_type = go_name(local_name(&message.descriptor()));
        let _ = write!(out, "api.{go_type}{{");
        let fields = set_fields(message);
        if fields.is_empty() {
            out.push('}');
            return;
        }
        out.push('\n');
        for (field, value) in fields {
            tabs(indent + 1, out);
            match field.containing_oneof() {
                Some(oneof) if !oneof.is_synthetic() => {
                    let choice = go_name(field.name());
                    let _ = write!(
                        out,
                        "{}: &api.{go_type}_{choice}{{{choice}: ",
                        go_name(oneof.name())
                    );
                    field_value(self, &field, &value, indent + 1, out);
                    out.push('}');
                }
                _ => {
                    let _ = write!(out, "{}: ", go_name(field.name()));
                    field_value(self, &field, &value, indent + 1, out);
                }
            }
            out.push_str(",\n");
        }
        tabs(indent, out);
        out.push('}');
    }

    const MESSAGE_VALUE_PREFIX: &'static str = "&";

    fn string(&self, text: &str) -> String {
        quoted(text, '"')
    }

    fn boolean(&self, yes: bool) -> &'static str {
        if yes {
            "true"
        } else {
            "false"
        }
    }

    fn secret(&self, variable: &str) -> String {
        format!("os.Getenv(\"{variable}\")")
    }

    fn bytes(&self, bytes: &[u8]) -> String {
        format!("[]byte({})", self.string(&String::from_utf8_lossy(bytes)))
    }

    /// `api.FSType_FS_TYPE_EXT4`; inside a message, `api.Parent_VALUE` (protoc-gen-go
    /// prefixes an enum's values with its parent's name when it has one).
    fn enum_value(&self, enumeration: &EnumDescriptor, name: &str) -> String {
        let prefix = match enumeration.parent_message() {
            Some(parent) => go_name(local_name(&parent)),
            None => go_name(enum_local_name(enumeration)),
        };
        format!("api.{prefix}_{name}")
    }

    fn list_open(&self, field: &FieldDescriptor) -> String {
        format!("[]{}{{", element_type(&field.kind()))
    }

    fn map_open(&self, key: &FieldDescriptor, value: &FieldDescriptor) -> String {
        format!(
            "map[{}]{}{{",
            element_type(&key.kind()),
            element_type(&value.kind())
        )
    }

    const LIST_CLOSE: &'static str = "}";
    const MAP_CLOSE: &'static str = "}";
    const TIMES: &'static str = " * ";
}

/// The Go type of a list's elements or a map's keys and values.
fn element_type(kind: &Kind) -> String {
    match kind {
        Kind::Message(message) => format!("*api.{}", go_name(local_name(message))),
        Kind::Enum(enumeration) => format!("api.{}", go_name(enum_local_name(enumeration))),
        Kind::String => "string".into(),
        Kind::Bytes => "[]byte".into(),
        Kind::Bool => "bool".into(),
        Kind::Double => "float64".into(),
        Kind::Float => "float32".into(),
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => "int32".into(),
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => "int64".into(),
        Kind::Uint32 | Kind::Fixed32 => "uint32".into(),
        Kind::Uint64 | Kind::Fixed64 => "uint64".into(),
    }
}

fn enum_local_name(enumeration: &EnumDescriptor) -> &str {
    let package = enumeration.package_name();
    let full = enumeration.full_name();
    full.strip_prefix(package)
        .and_then(|n| n.strip_prefix('.'))
        .unwrap_or(full)
}

/// protoc-gen-go's name for a proto name: `ha_level` → `HaLevel`, `Parent.Child` →
/// `Parent_Child`, `v2beta` → `V2Beta`.
pub(super) fn go_name(name: &str) -> String {
    let bytes = name.as_bytes();
    let mut out = String::with_capacity(name.len());
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let next_lower = bytes.get(i + 1).is_some_and(u8::is_ascii_lowercase);
        if c == b'.' && next_lower {
            // ".{lower}": dropped, the next word starts upper case
        } else if c == b'.' {
            out.push('_');
        } else if c == b'_' && (i == 0 || bytes[i - 1] == b'.') {
            out.push('X');
        } else if c == b'_' && next_lower {
            // "_{lower}": dropped, the next word starts upper case
        } else if c.is_ascii_digit() {
            out.push(c as char);
        } else {
            out.push(c.to_ascii_uppercase() as char);
            while bytes.get(i + 1).is_some_and(u8::is_ascii_lowercase) {
                i += 1;
                out.push(bytes[i] as char);
            }
        }
        i += 1;
    }
    out
}

fn tabs(n: usize, out: &mut String) {
    out.extend(std::iter::repeat_n('\t', n));
}

//! The call as a Python program in the SDK tutorial's style, for upstream's published package
//! (`pip install libopenstorage-openstorage`).

use std::fmt::Write as _;

use console_model::codegen::snake_case;
use prost_reflect::{DynamicMessage, EnumDescriptor, FieldDescriptor, ReflectMessage};

use super::literal::{field_value, quoted, Syntax};
use super::{local_name, service_name, set_fields, Rpc, TOKEN_VARIABLE};

/// Services upstream's proto has and its published Python package (0.101.39, the newest on
/// PyPI) does not: no stub and no messages, so no program with that package can call them.
const NOT_IN_PACKAGE: &[&str] = &["OpenStorageVerifyChecksum", "OpenStorageWatch"];

pub(super) fn render(rpc: &Rpc) -> String {
    let service = service_name(&rpc.method);
    if NOT_IN_PACKAGE.contains(&service) {
        // Said, and said again when run, rather than a program that fails on a missing stub.
        let why = format!(
            "Upstream's published Python package (libopenstorage-openstorage) has no {service}: use the Go or grpcurl code, or a client generated from upstream's api.proto."
        );
        return format!(
            "# {service}.{}, as the console sends it.\n# {why}\nraise SystemExit({})\n",
            rpc.method.name(),
            Python.string(&why)
        );
    }
    let mut out = rpc.header(
        "#",
        "Needs upstream's Python client: pip install libopenstorage-openstorage",
    );
    out.push_str("import os\n\nimport grpc\nfrom openstorage import api_pb2, api_pb2_grpc\n\n");
    let address = Python.string(&rpc.endpoint.address);
    if rpc.endpoint.tls {
        let _ = writeln!(
            out,
            "channel = grpc.secure_channel({address}, grpc.ssl_channel_credentials())"
        );
    } else {
        let _ = writeln!(out, "channel = grpc.insecure_channel({address})");
    }
    let _ = writeln!(out, "token = os.environ.get('{TOKEN_VARIABLE}')");
    out.push_str("metadata = [('authorization', 'bearer ' + token)] if token else []\n\n");
    out.push_str("try:\n");
    let stub = stub_name(service);
    let _ = writeln!(out, "    {stub} = api_pb2_grpc.{service}Stub(channel)");
    // An answer without fields would print as an empty line: say the call went through.
    let answers = rpc.method.output().fields().len() > 0;
    let assign = if answers { "resp = " } else { "" };
    let _ = write!(out, "    {assign}{stub}.{}(", rpc.method.name());
    Python.message(&rpc.request, 4, &mut out);
    out.push_str(", metadata=metadata)\n");
    if answers {
        out.push_str("    print(resp)\n");
    } else {
        let _ = writeln!(out, "    print('{service}.{}: done')", rpc.method.name());
    }
    out.push_str("except grpc.RpcError as e:\n");
    out.push_str("    print('Failed: code={0} msg={1}'.format(e.code(), e.details()))\n");
    out
}

/// `OpenStorageCloudBackup` → `cloud_backup`: the tutorial's `volumes`, `backups`, ….
fn stub_name(service: &str) -> String {
    match service.strip_prefix("OpenStorage").unwrap_or(service) {
        "" => "stub".into(),
        short => snake_case(short),
    }
}

struct Python;

impl Syntax for Python {
    /// `api_pb2.Name(field=value, …)`, one field per line.
    fn message(&self, message: &DynamicMessage, indent: usize, out: &mut String) {
        let _ = write!(out, "api_pb2.{}(", local_name(&message.descriptor()));
        let fields = set_fields(message);
        if fields.is_empty() {
            out.push(')');
            return;
        }
        out.push('\n');
        for (field, value) in fields {
            pad(indent + 4, out);
            let _ = write!(out, "{}=", field.name());
            field_value(self, &field, &value, indent + 4, out);
            out.push_str(",\n");
        }
        pad(indent, out);
        out.push(')');
    }

    fn string(&self, text: &str) -> String {
        quoted(text, '\'')
    }

    fn boolean(&self, yes: bool) -> &'static str {
        if yes {
            "True"
        } else {
            "False"
        }
    }

    fn secret(&self, variable: &str) -> String {
        format!("os.environ['{variable}']")
    }

    fn bytes(&self, bytes: &[u8]) -> String {
        // Rust's ASCII escapes (\n, \', \xNN, …) are Python's too.
        format!("b'{}'", bytes.escape_ascii())
    }

    /// `api_pb2.FS_TYPE_EXT4` (a top-level enum's values live in the module), or
    /// `api_pb2.Parent.VALUE` for an enum inside a message.
    fn enum_value(&self, enumeration: &EnumDescriptor, name: &str) -> String {
        match enumeration.parent_message() {
            Some(parent) => format!("api_pb2.{}.{name}", local_name(&parent)),
            None => format!("api_pb2.{name}"),
        }
    }

    fn list_open(&self, _: &FieldDescriptor) -> String {
        "[".into()
    }

    fn map_open(&self, _: &FieldDescriptor, _: &FieldDescriptor) -> String {
        "{".into()
    }

    const LIST_CLOSE: &'static str = "]";
    const MAP_CLOSE: &'static str = "}";
    const TIMES: &'static str = "*";
}

fn pad(n: usize, out: &mut String) {
    out.extend(std::iter::repeat_n(' ', n));
}

"""Checks proto/openstorage/api/api.proto against upstream's published SDK descriptor (the
libopenstorage-openstorage package): every message, field, enum value and method we declare must
exist upstream with the same number, type and label. Fields upstream added later than that
package are listed as not checked.

Usage: check_proto.py PROTO_ROOT
"""
import os
import subprocess
import sys
import tempfile

import grpc_tools
from google.protobuf import descriptor_pb2
from openstorage import api_pb2

# Ours declares SDK 0.186; the published package is older, so its enum alias numbers differ.
VERSION_ENUM = 'SdkVersion.Version'


def index(fd):
    out = {}

    def walk(prefix, messages, enums):
        for e in enums:
            out[prefix + e.name] = {v.name: v.number for v in e.value}
        for m in messages:
            out[prefix + m.name] = {
                f.name: (f.number, f.type, f.label, f.type_name.split('.')[-1],
                         m.oneof_decl[f.oneof_index].name if f.HasField('oneof_index') else None)
                for f in m.field
            }
            walk(prefix + m.name + '.', m.nested_type, m.enum_type)

    walk('', fd.message_type, fd.enum_type)
    for s in fd.service:
        out['service ' + s.name] = {
            m.name: (m.input_type.split('.')[-1], m.output_type.split('.')[-1], m.server_streaming)
            for m in s.method
        }
    return out


def main(root):
    upstream = descriptor_pb2.FileDescriptorProto()
    api_pb2.DESCRIPTOR.CopyToProto(upstream)
    includes = os.path.join(os.path.dirname(grpc_tools.__file__), '_proto')
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, 'ours.pb')
        subprocess.check_call([sys.executable, '-m', 'grpc_tools.protoc', '-I' + root, '-I' + includes,
                               '--descriptor_set_out=' + out, 'openstorage/api/api.proto'])
        files = descriptor_pb2.FileDescriptorSet()
        with open(out, 'rb') as f:
            files.ParseFromString(f.read())
    ours = index(files.file[-1])
    theirs = index(upstream)
    problems, unchecked, checked = [], [], 0
    for name, members in ours.items():
        if name not in theirs:
            unchecked.append(name)
            continue
        for member, shape in members.items():
            if member not in theirs[name]:
                unchecked.append(f'{name}.{member}')
            elif theirs[name][member] != shape and name != VERSION_ENUM:
                problems.append(f'{name}.{member}: ours {shape}, upstream {theirs[name][member]}')
            else:
                checked += 1
    for line in unchecked:
        print(f'check-proto: not in the published package (newer upstream), not checked: {line}')
    for line in problems:
        print(f'check-proto: MISMATCH {line}')
    print(f'check-proto: {checked} names and numbers match upstream, {len(problems)} mismatches')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))

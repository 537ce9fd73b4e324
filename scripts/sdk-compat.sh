#!/usr/bin/env bash
# Runs the SDK tutorial's flow with upstream's generated Python client against a fresh
# console-server (the binary in $1), on a free loopback port. The venv is kept in target/ and
# only installed once.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
server="$1"
venv="$(bash "$root/scripts/sdk-venv.sh")"

echo "sdk-compat: our proto against upstream's published descriptor"
"$venv/bin/python" "$root/scripts/sdk-compat/check_proto.py" "$root/proto"

logs="$(mktemp -d)"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$logs"' EXIT

# start NAME ARGS...: starts console-server, waits for its address, sets $addr.
start() {
  local name="$1"; shift
  "$server" --listen 127.0.0.1:0 --log warn "$@" >"$logs/$name" 2>&1 &
  pids+=($!)
  addr=""
  for _ in $(seq 100); do
    addr="$(sed -n 's/^console-server listening on http:\/\///p' "$logs/$name")"
    [[ -n "$addr" ]] && return 0
    sleep 0.1
  done
  echo "sdk-compat: console-server ($name) did not start:"; cat "$logs/$name"; exit 1
}

echo "sdk-compat: upstream's Python client against the built-in mock"
start mock --backup-rate 10GiB
"$venv/bin/python" "$root/scripts/sdk-compat/tutorial.py" "$addr"

echo "sdk-compat: the same client through a gateway (--upstream) to another mock"
start upstream --backup-rate 10GiB
start gateway --upstream "http://$addr"
"$venv/bin/python" "$root/scripts/sdk-compat/tutorial.py" "$addr"

echo "sdk-compat: the same client, unchanged, through a console-server serving two clusters"
start east --backup-rate 10GiB --cluster-name east
east="$addr"
start west --backup-rate 10GiB --cluster-name west
west="$addr"
start fleet --upstream "east=http://$east" --upstream "west=http://$west"
"$venv/bin/python" "$root/scripts/sdk-compat/tutorial.py" "$addr"
# It reached the first cluster, and only that one.
"$venv/bin/python" - "$east" "$west" <<'PY'
import sys
import grpc
from openstorage import api_pb2, api_pb2_grpc
def has_myvol(target):
    try:
        api_pb2_grpc.OpenStorageVolumeStub(grpc.insecure_channel(target)).Inspect(
            api_pb2.SdkVolumeInspectRequest(volume_id='myvol'))
        return True
    except grpc.RpcError as e:
        assert e.code() == grpc.StatusCode.NOT_FOUND, e
        return False
assert has_myvol(sys.argv[1]), 'the tutorial made its volume in the first cluster'
assert not has_myvol(sys.argv[2]), 'and not in the second'
print('sdk-compat: the tutorial reached the first cluster only')
PY

#!/usr/bin/env bash
# `make run-sso`: the console with single sign-on, to click through without an identity provider
# of your own. A test OpenID provider (panva's oidc-provider, from e2e/idp: users alice, bob and
# admin, any password) on 127.0.0.1:IDP_PORT, and console-server with the built-in mock trusting
# it. Both stop together (Ctrl-C).
set -euo pipefail
server="$1"     # the console-server binary
listen="$2"     # where the console listens, e.g. 127.0.0.1:9100
idp_port="$3"   # where the provider listens, e.g. 9101
shift 3

dir="$(mktemp -d)"
secret="$dir/client-secret"
# A demo secret for a demo provider; the file is owner-only as console-server requires.
(umask 077 && head -c 24 /dev/urandom | base64 > "$secret")
( cd e2e && exec node idp/main.mjs "$idp_port" "http://$listen" "$(cat "$secret")" ) &
idp=$!
trap 'kill "$idp" 2>/dev/null; rm -rf "$dir"' EXIT
# Wait until the provider listens (bash's own /dev/tcp: no tool a fresh machine may lack).
for _ in $(seq 1 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$idp_port") 2>/dev/null && break
  sleep 0.2
done
echo "OpenStorage Console with single sign-on: http://$listen (users alice, bob, admin; any password)"
"$server" --listen "$listen" --ui dist \
  --oidc-issuer "http://127.0.0.1:$idp_port" --oidc-client-id console \
  --oidc-client-secret-file "$secret" --oidc-name "the demo provider" "$@"

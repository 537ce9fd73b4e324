#!/usr/bin/env bash
# `make run-prometheus`: the console with its history kept in Prometheus. Debian's prometheus on
# 127.0.0.1:PROM_PORT (data in PROM_DATA, kept between runs so the history outlives restarts)
# scraping console-server's /metrics every 10 s on 127.0.0.1:METRICS_PORT, and console-server with
# the built-in mock reading its charts and forecasts from it. Both stop together (Ctrl-C).
set -euo pipefail
server="$1"        # the console-server binary
listen="$2"        # where the console listens, e.g. 127.0.0.1:9100
prom_port="$3"     # where Prometheus listens, e.g. 9090
metrics_port="$4"  # where console-server serves /metrics, e.g. 9102
data="$5"          # Prometheus' data folder
shift 5

mkdir -p "$data"
config="$data/console-prometheus.yml"
cat > "$config" <<YAML
global: {scrape_interval: 10s}
rule_files: ["$PWD/deploy/prometheus/console-rules.yml"]
scrape_configs:
  - job_name: openstorage-console
    static_configs: [{targets: ["127.0.0.1:$metrics_port"]}]
YAML
prometheus --config.file="$config" --storage.tsdb.path="$data" \
  --web.listen-address="127.0.0.1:$prom_port" --log.level=warn &
prom=$!
trap 'kill "$prom" 2>/dev/null' EXIT
# Until it answers (bash's own /dev/tcp: no tool a fresh machine may lack); one that cannot
# bind its port (another Prometheus there) exits, and so does this.
for _ in $(seq 1 100); do
  kill -0 "$prom" 2>/dev/null || { echo "Prometheus did not start: is 127.0.0.1:$prom_port taken?" >&2; exit 1; }
  (exec 3<>"/dev/tcp/127.0.0.1/$prom_port") 2>/dev/null && break
  sleep 0.2
done
echo "OpenStorage Console with its history in Prometheus: http://$listen (Prometheus: http://127.0.0.1:$prom_port)"
"$server" --listen "$listen" --ui dist --metrics-listen "127.0.0.1:$metrics_port" \
  --prometheus "http://127.0.0.1:$prom_port" "$@"

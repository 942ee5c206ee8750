#!/usr/bin/env bash
# Serving throughput with a load generator that costs the server almost nothing: wrk (Debian's package, installed
# here when missing), a C event loop that spends a few microseconds of CPU a request, where `facegan bench serve`
# (a JVM sharing the same cores) spends about 1.4 ms. Starts facegan serve on an exported model, warms it up, then
# sends single-face predict requests over CONNECTIONS kept-alive connections for SECONDS, and one lone connection
# for LONE_SECONDS. Prints one JSON line per load: requests/s, p50/p90/p99, errors, the batches the server formed
# and the server's CPU time per request. Run it on an otherwise idle machine.
#   scripts/serve-wrk.sh EXPORT_BASE [SECONDS=20] [CONNECTIONS=32] [PORT=8599] [-- facegan serve options...]
#   FACEGAN=/other/checkout/scripts/facegan scripts/serve-wrk.sh ...   # another build of the server, same load
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
base=${1:?usage: scripts/serve-wrk.sh EXPORT_BASE [SECONDS] [CONNECTIONS] [PORT] [-- serve options]}
shift
seconds=20 connections=32 port=8599
for var in seconds connections port; do
  if [ $# -gt 0 ] && [ "$1" != "--" ]; then printf -v "$var" '%s' "$1"; shift; fi
done
[ "${1:-}" = "--" ] && shift
lone_seconds=${LONE_SECONDS:-10}
facegan=${FACEGAN:-$root/scripts/facegan}
command -v wrk >/dev/null || { echo "serve-wrk: installing wrk (apt-get)" >&2; apt-get install -y -q wrk >/dev/null; }
name=$(basename "$base")
url="http://127.0.0.1:$port/v1/models/$name"
"$facegan" --version >/dev/null
"$facegan" serve --model-base "$base" --port "$port" "$@" 2>"/tmp/serve-wrk-$port.log" & pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 120); do curl -sf "$url/metadata" >/dev/null && break; sleep 1; done
server=$(pgrep -P $pid java || echo $pid)
read -r z_dim y_dim < <(curl -sf "$url/metadata" | python3 -c '
import json, sys
inputs = json.load(sys.stdin)["metadata"]["signature_def"]["signature_def"]["serving_default"]["inputs"]
print(*(int(inputs[k]["tensor_shape"]["dim"][1]["size"]) for k in ("z", "y")))')
cpu_ms() { awk '{print ($14 + $15) * 1000 / '"$(getconf CLK_TCK)"'}' "/proc/$server/stat"; }
batches() { curl -sf "${url/\/v1\/models\//\/facegan\/models\/}/batching" | python3 -c '
import json, sys
j = json.load(sys.stdin); print(j.get("batches", 0), j.get("rows", 0))' 2>/dev/null || echo "0 0"; }
load() { # CONNECTIONS SECONDS: one JSON line with the server's side added
  local before_cpu before_batches after_batches line
  before_cpu=$(cpu_ms); read -r -a before_batches < <(batches)
  line=$(wrk -t1 -c"$1" -d"$2"s --timeout 10s -s "$root/scripts/serve-wrk.lua" "$url:predict" -- "$z_dim" "$y_dim" | tail -1)
  read -r -a after_batches < <(batches)
  python3 - "$line" "$before_cpu" "$(cpu_ms)" "${before_batches[@]}" "${after_batches[@]}" "$1" <<'EOF'
import json, sys
r = json.loads(sys.argv[1])
cpu = float(sys.argv[3]) - float(sys.argv[2])
b0, rows0, b1, rows1 = (int(x) for x in sys.argv[4:8])
r["connections"] = int(sys.argv[8])
r["server_cpu_ms_per_request"] = round(cpu / max(1, r["requests"]), 3)
r["batches"] = b1 - b0
r["mean_batch_size"] = round((rows1 - rows0) / (b1 - b0), 2) if b1 > b0 else None
print(json.dumps(r))
EOF
}
load "$connections" 15 >/dev/null # warm-up: TensorFlow's first runs and the JIT
echo "{\"host\": \"$(lscpu | sed -n 's/^Model name: *//p' | head -1)\", \"cores\": $(nproc), \"server\": \"$facegan $*\"}"
load "$connections" "$seconds"
load 1 "$lone_seconds"

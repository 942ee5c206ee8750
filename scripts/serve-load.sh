#!/usr/bin/env bash
# Load on facegan serve: starts it on an exported model, sends REQUESTS predict calls (one face each) from CLIENTS
# concurrent clients and then 1,000 malformed requests (facegan bench serve), and reports the server's resident
# memory before and after. Run it on an otherwise idle machine.
#   scripts/serve-load.sh export/faces32-synthetic [REQUESTS=10000] [CLIENTS=32] [PORT=8599]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
base=${1:?usage: scripts/serve-load.sh EXPORT_BASE [REQUESTS] [CLIENTS] [PORT]}
requests=${2:-10000} clients=${3:-32} port=${4:-8599}
name=$(basename "$base")
"$root/scripts/facegan" --version >/dev/null
"$root/scripts/facegan" serve --model-base "$base" --port "$port" 2>/tmp/serve-load-$port.log & pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
server=$(pgrep -P $pid java || echo $pid)
for _ in $(seq 60); do curl -sf "localhost:$port/v1/models/$name" >/dev/null && break; sleep 1; done
rss() { awk '/VmRSS/ {print $2/1024}' /proc/$server/status; }
# warm-up (TensorFlow's first runs, and the JIT: after 500 requests it is still compiling Jetty's and Jackson's paths), then the measured load
"$root/scripts/facegan" bench serve "http://127.0.0.1:$port/v1/models/$name" --requests 4000 --clients "$clients" --malformed 0 >/dev/null
before=$(rss)
"$root/scripts/facegan" bench serve "http://127.0.0.1:$port/v1/models/$name" --requests "$requests" --clients "$clients"
after=$(rss)
"$root/scripts/facegan" bench serve "http://127.0.0.1:$port/v1/models/$name" --requests 100 --clients 4 --malformed 1000 >/dev/null
echo "server RSS: ${before} MiB after warm-up, ${after} MiB after the load, $(rss) MiB after 1,000 more malformed requests"

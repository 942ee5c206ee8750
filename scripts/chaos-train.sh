#!/usr/bin/env bash
# Kills `facegan train` with SIGKILL at KILLS random moments (training, checkpointing, export), restarts the same
# command each time, lets it finish, then checks: the run reached its last step, metrics.csv has whole, unique,
# ordered rows, every checkpoint and export is complete, no half-written file is left anywhere, and the final weights
# are those of the same command run without interruption, bit for bit.
#   scripts/chaos-train.sh [KILLS=10] [DIR=a new temp dir]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kills=${1:-10}
dir=${2:-$(mktemp -d)}
mkdir -p "$dir"
steps=400 every=40
"$root/scripts/facegan" --version >/dev/null            # build first
cat >"$dir/tiny.json" <<'JSON'
{"name": "tiny", "imageSize": 32, "zDim": 16, "ngf": 8, "ndf": 8, "nef": 8, "kernel": 4, "dHidden": 16}
JSON
cmd=("$root/scripts/facegan" train --data synthetic:256 --model "$dir/tiny.json" --steps $steps --batch 8
     --checkpoint-every $every --sample-every 20 --threads 1 --run "$dir/run" --export "$dir/export")
last_step() { [ -f "$dir/run/metrics.csv" ] && awk -F, 'NR==1 {n=NF} NR>1 && NF==n {s=$1} END {print s+0}' "$dir/run/metrics.csv" || echo 0; }
done_kills=0 worst=0
redone() {  # steps logged before this start minus the step it resumed at (when its log got that far)
  local resumed; resumed=$(sed -n 's/^resuming at step \([0-9]*\).*/\1/p' "$dir/log.txt")
  if [ -n "$resumed" ] && [ $(($1 - resumed)) -gt $worst ]; then worst=$(($1 - resumed)); fi
}
while :; do
  before=$(last_step)
  "${cmd[@]}" >"$dir/log.txt" 2>&1 & pid=$!
  if [ $done_kills -lt "$kills" ]; then
    # kill once this process has trained (a fixed delay lands in JVM start-up), or at once in a finished run's export
    for _ in $(seq 600); do
      { [ "$(last_step)" -gt "$before" ] || [ "$before" -ge $steps ] || ! kill -0 $pid 2>/dev/null; } && break
      sleep 0.1
    done
    sleep "$(awk -v r=$RANDOM 'BEGIN {printf "%.2f", 1.5 * r / 32767}')"
    if kill -0 $pid 2>/dev/null; then
      pkill -KILL -P $pid 2>/dev/null || true; kill -KILL $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
      done_kills=$((done_kills + 1)); redone "$before"
      echo "kill $done_kills: $(last_step) steps logged"; continue
    fi
  fi
  wait $pid || { cat "$dir/log.txt"; echo "chaos: a run failed" >&2; exit 1; }
  redone "$before"
  [ $done_kills -ge "$kills" ] && break
done
rows=$(tail -n +2 "$dir/run/metrics.csv" | cut -d, -f1)
[ "$(echo "$rows" | sort -n | uniq)" = "$rows" ] || { echo "chaos: metrics.csv rows repeat or are out of order" >&2; exit 1; }
[ "$(echo "$rows" | tail -1)" = "$steps" ] || { echo "chaos: the run did not reach step $steps" >&2; exit 1; }
garbage=$(find "$dir" -name '.*tmp*' | wc -l)
for v in "$dir"/export/*/; do [ -f "$v/saved_model.pb" ] || { echo "chaos: incomplete export $v" >&2; exit 1; }; done
# the same command without interruption
ckpt=$(printf 'checkpoints/step-%08d/model' $steps)
again=("${cmd[@]}"); again[${#again[@]}-3]="$dir/straight"; again[${#again[@]}-1]=none
"${again[@]}" >"$dir/straight-log.txt" 2>&1
py=$("$root/scripts/tf-python")
mean_diff() {  # mean |w_a - w_b| over G's, D's and E's weights (not Adam's slots)
  "$py" - "$1" "$2" <<'PY' 2>/dev/null
import re, sys
import numpy as np, tensorflow as tf
a, b = (tf.train.load_checkpoint(p) for p in sys.argv[1:3])
names = [n for n in a.get_variable_to_shape_map() if re.fullmatch(r"[GDE]_\w+", n)]
total = sum(np.abs(a.get_tensor(n) - b.get_tensor(n)).sum() for n in names)
print("%.3g" % (total / sum(a.get_tensor(n).size for n in names)))
PY
}
echo "chaos: $done_kills kills survived; at most $worst steps redone after a kill; $garbage half-written files left"
diff=$(mean_diff "$dir/run/$ckpt" "$dir/straight/$ckpt")
echo "chaos: final weights differ from an uninterrupted run's by $diff on average (mean |w_a - w_b|)"
[ "$garbage" -eq 0 ]
[ "$diff" = 0 ] || { echo "chaos: the final weights are not those of an uninterrupted run" >&2; exit 1; }

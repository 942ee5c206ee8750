#!/usr/bin/env bash
# Times facegan against the Keras peer (../shared/bench/keras_dcgan.py) on the reference networks of
# ../shared/bench/REFERENCE.md, the two interleaved ROUNDS times, and prints the medians and ratios.
# Run it on a quiet machine: nothing else (builds, tests, other benchmarks) may run meanwhile.
#   scripts/bench-vs-keras.sh [ROUNDS=4] [NETS="small faces64"]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${1:-4}
nets=${2:-small faces64}
peer=${KERAS_PEER:-$root/../shared/bench/keras_dcgan.py}
[ -f "$peer" ] || { echo "bench-vs-keras: Keras peer not found at $peer (set KERAS_PEER)" >&2; exit 2; }
py=$("$root/scripts/tf-python")
out=$(mktemp -d)
"$root/scripts/facegan" --version >/dev/null   # build first, outside the timings
for net in $nets; do
  case $net in
    small)   args=(--size 32 --ngf 64 --ndf 64) ;;
    faces64) args=(--size 64 --ngf 32 --ndf 32) ;;
    *) echo "bench-vs-keras: unknown net $net (small, faces64)" >&2; exit 2 ;;
  esac
  for r in $(seq "$rounds"); do
    echo "round $r/$rounds: $net" >&2
    "$root/scripts/facegan" bench --net "$net" --steps 15 >>"$out/facegan-$net.jsonl"
    "$py" "$peer" "${args[@]}" --batch 64 --kernel 4 --ydim 8 --steps 15 >>"$out/keras-$net.jsonl"
  done
done
"$py" - "$out" $nets <<'PY'
import json, statistics, sys
out, nets = sys.argv[1], sys.argv[2:]
def med(path, key):
    return statistics.median(json.loads(l)[key] for l in open(path) if l.strip())
print(f"{'net':8} {'facegan ms/step':>16} {'keras ms/step':>14} {'train ×':>8} {'facegan sample img/s':>21} {'keras sample img/s':>19} {'sample ×':>9}")
for n in nets:
    ft, kt = med(f"{out}/facegan-{n}.jsonl", "train_ms_per_step"), med(f"{out}/keras-{n}.jsonl", "train_ms_per_step")
    fs, ks = med(f"{out}/facegan-{n}.jsonl", "sample_images_per_s"), med(f"{out}/keras-{n}.jsonl", "sample_images_per_s")
    print(f"{n:8} {ft:16.1f} {kt:14.1f} {kt/ft:8.2f} {fs:21.0f} {ks:19.0f} {fs/ks:9.2f}")
PY
echo "raw runs: $out" >&2

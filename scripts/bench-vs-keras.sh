#!/usr/bin/env bash
# Times facegan against the Keras peer (scripts/keras_peer.py, a copy of ../shared/bench/keras_dcgan.py) on the
# reference networks of ../shared/bench/REFERENCE.md, the two interleaved ROUNDS times, and prints the medians and
# ratios (training, sampling at batch 64, 1 and 256), each tool's share of its own matmul ceiling, facegan's step
# convolutions timed alone over its step time (near 1: the step is its convolutions) and peak memory.
# Run it on a quiet machine: nothing else (builds, tests, other benchmarks) may run meanwhile.
#   scripts/bench-vs-keras.sh [ROUNDS=4] [NETS="small faces64"]      (NETS may also name dcgan64)
#   FACEGAN_BENCH_ARGS="--reuse-fakes" scripts/bench-vs-keras.sh ...   (extra options for facegan bench train)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${1:-4}
nets=${2:-small faces64}
peer=${KERAS_PEER:-$root/scripts/keras_peer.py}
[ -f "$peer" ] || { echo "bench-vs-keras: Keras peer not found at $peer (set KERAS_PEER)" >&2; exit 2; }
py=$("$root/scripts/tf-python")
out=$(mktemp -d)
"$root/scripts/facegan" --version >/dev/null   # build first, outside the timings
for net in $nets; do
  case $net in
    small)   args=(--size 32 --ngf 64 --ndf 64) ;;
    faces64) args=(--size 64 --ngf 32 --ndf 32) ;;
    dcgan64) args=(--size 64 --ngf 64 --ndf 64 --kernel 5) ;;
    *) echo "bench-vs-keras: unknown net $net (small, faces64, dcgan64)" >&2; exit 2 ;;
  esac
  for r in $(seq "$rounds"); do
    echo "round $r/$rounds: $net" >&2
    # shellcheck disable=SC2086  # word splitting of the extra options is wanted
    "$root/scripts/facegan" bench train --net "$net" --steps 15 ${FACEGAN_BENCH_ARGS:-} >>"$out/facegan-$net.jsonl"
    "$py" "$peer" --kernel 4 "${args[@]}" --batch 64 --ydim 8 --steps 15 >>"$out/keras-$net.jsonl"
  done
done
"$py" - "$out" $nets <<'PY'
import json, statistics, sys
out, nets = sys.argv[1], sys.argv[2:]
def med(tool, net, key):
    values = [json.loads(l).get(key) for l in open(f"{out}/{tool}-{net}.jsonl") if l.strip()]
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float("nan")
print(f"{'net':8} {'ms/step facegan':>15} {'keras':>7} {'train x':>8} {'sample x b64':>12} {'b1':>6} {'b256':>6}"
      f" {'of matmul f/k':>14} {'conv alone/step':>15} {'RSS MiB f/k':>12}")
for n in nets:
    ft, kt = med("facegan", n, "train_ms_per_step"), med("keras", n, "train_ms_per_step")
    ratio = lambda key: med("facegan", n, key) / med("keras", n, key)
    gflop = med("facegan", n, "gflop_per_step")
    share = lambda tool, ms: gflop / (ms / 1e3) / med(tool, n, "matmul_gflops")
    print(f"{n:8} {ft:15.1f} {kt:7.1f} {kt/ft:8.2f} {ratio('sample_images_per_s'):12.2f}"
          f" {ratio('sample_images_per_s_b1'):6.2f} {ratio('sample_images_per_s_b256'):6.2f}"
          f" {share('facegan', ft):6.2f}/{share('keras', kt):.2f} {med('facegan', n, 'conv_alone_over_step'):15.2f}"
          f" {med('facegan', n, 'peak_rss_mib'):6.0f}/{med('keras', n, 'peak_rss_mib'):.0f}")
PY
echo "raw runs: $out" >&2

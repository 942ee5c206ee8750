#!/usr/bin/env bash
# Starts TensorBoard (from scripts/tf-python's virtual environment) on one or more run directories, each shown
# under its directory name: training scalars, sample images and histograms from the event files, and the
# projector from a `facegan projector` directory.
#   scripts/tensorboard.sh runs/faces32-synthetic [runs/other ...]   # http://127.0.0.1:6006
#   PORT=6007 HOST=0.0.0.0 scripts/tensorboard.sh RUN                # another port, or reachable from other machines
set -euo pipefail
if [[ $# -lt 1 || $1 == -h || $1 == --help ]]; then
  sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; [[ $# -ge 1 ]] && exit 0; exit 2
fi
spec=()
for run in "$@"; do
  if [[ ! -d $run ]]; then echo "tensorboard.sh: $run is not a directory" >&2; exit 2; fi
  spec+=("$(basename "$(cd "$run" && pwd)"):$(cd "$run" && pwd)")
done
py=$("$(dirname "$0")/tf-python")
logdir=$(IFS=,; echo "${spec[*]}")
if [[ $# -eq 1 ]]; then flag=(--logdir "$(cd "$1" && pwd)"); else flag=(--logdir_spec "$logdir"); fi
exec "$py" -m tensorboard.main "${flag[@]}" --host "${HOST:-127.0.0.1}" --port "${PORT:-6006}"

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
# TensorBoard names a run after its folder below --logdir, and --logdir_spec (names given) turns the projector off.
# So --logdir is a folder of links, one per run, named after the run's folder: runs/try shows as "try", not ".".
names=()
for run in "$@"; do
  if [[ ! -d $run ]]; then echo "tensorboard.sh: $run is not a directory" >&2; exit 2; fi
  name=$(basename "$(cd "$run" && pwd)")
  for seen in "${names[@]}"; do
    if [[ $seen == "$name" ]]; then echo "tensorboard.sh: two runs are named $name" >&2; exit 2; fi
  done
  names+=("$name")
done
view="${TMPDIR:-/tmp}/facegan-tensorboard-$(id -u)/$(IFS=+; echo "${names[*]}")"
rm -rf "$view"; mkdir -p "$view"
for run in "$@"; do
  ln -s "$(cd "$run" && pwd)" "$view/$(basename "$(cd "$run" && pwd)")"
done
py=$("$(dirname "$0")/tf-python")
exec "$py" -m tensorboard.main --logdir "$view" --host "${HOST:-127.0.0.1}" --port "${PORT:-6006}"

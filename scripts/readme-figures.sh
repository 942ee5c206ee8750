#!/usr/bin/env bash
# Remakes the README's figures of the default run from a trained run: its last sample grid and the latent-space
# pictures (sweep, edit, walk, reconstruct, analogy), and prints the score table. Run after `scripts/facegan train`.
#   scripts/readme-figures.sh [RUN=runs/faces32-synthetic]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
run=${1:-$root/runs/faces32-synthetic}
images="$root/docs/images"
facegan="$root/scripts/facegan"
[ -f "$run/config.json" ] || { echo "readme-figures: $run is not a run directory (no config.json)" >&2; exit 2; }
faces=$(mktemp -d)
trap 'rm -rf "$faces"' EXIT
"$facegan" data synth --count 8 --out "$faces/synth" >/dev/null
face() { echo "$faces/synth/img_align_celeba/$1.jpg"; }

last=$(ls "$run/samples" | grep -E '^step-[0-9]+\.png$' | sort | tail -1)
rm -f "$images"/faces32-step*.png
cp "$run/samples/$last" "$images/faces32-${last//-/}"
echo "readme-figures: $images/faces32-${last//-/} (from $last)"

"$facegan" attributes --run "$run" --count 2000
"$facegan" sweep --run "$run" --axis Smiling=0:2 --axis Eyeglasses=0:1 --count 8 --steps 3 --out "$images/latent-sweep.png"
"$facegan" edit --run "$run" "$(face 000002)" --add Smiling --add Eyeglasses --remove Black_Hair --via both \
    --out "$images/latent-edit.png"
"$facegan" walk --run "$run" --frames 48 --out "$images/latent-walk.gif"
"$facegan" reconstruct --run "$run" --data synthetic --count 8 --out "$images/latent-reconstruct.png"
"$facegan" analogy --run "$run" "$(face 000001)" "$(face 000003)" "$(face 000002)" --out "$images/latent-analogy.png"
"$facegan" score --run "$run" "$(face 000005)" --top 5

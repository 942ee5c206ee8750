#!/usr/bin/env bash
# Prints the docker command that serves export/NAME (all its versions; TF Serving picks the highest) with
# TF Serving's model server, REST on :8501 and gRPC on :8500, and runs it where `docker info` works.
#   scripts/tfserving.sh NAME [EXPORT_ROOT]       # EXPORT_ROOT defaults to ./export
#   FACEGAN_PRINT_ONLY=1 scripts/tfserving.sh NAME  # print, never run
# Then: curl -d '{"signature_name": "generate_png", "instances": [...]}' localhost:8501/v1/models/NAME:predict
set -euo pipefail
if [[ $# -lt 1 || $# -gt 2 || $1 == -h || $1 == --help ]]; then
  sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; [[ $# -ge 1 && ( $1 == -h || $1 == --help ) ]] && exit 0; exit 2
fi
name=$1
root=${2:-export}
if [[ ! -d $root/$name ]]; then
  echo "tfserving.sh: no model directory $root/$name (export one with: facegan export --run runs/$name)" >&2; exit 2
fi
if ! ls -d "$root/$name"/[0-9]* >/dev/null 2>&1; then
  echo "tfserving.sh: $root/$name has no version directory (NAME/1/saved_model.pb ...)" >&2; exit 2
fi
base=$(cd "$root/$name" && pwd)
cmd=(docker run --rm -p 8501:8501 -p 8500:8500
     --mount "type=bind,source=$base,target=/models/$name,readonly" -e "MODEL_NAME=$name" tensorflow/serving)
echo "docker run --rm -p 8501:8501 -p 8500:8500 --mount 'type=bind,source=$base,target=/models/$name,readonly' -e MODEL_NAME=$name tensorflow/serving"
if [[ -z ${FACEGAN_PRINT_ONLY:-} ]] && command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  exec "${cmd[@]}"
else
  echo "(not run: docker is not available here)" >&2
fi

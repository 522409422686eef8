#!/usr/bin/env bash
# Regenerates the screenshots of docs/USER-GUIDE.md and the README with the
# programs' own --screenshot, in English, German and Chinese.
#
#   scripts/screenshots.sh [--db STORE] [--build DIR] [--out DIR]
#
# Without --db it first trains two runs into a scratch store: the quickstart
# (32 -> 80 tokens) and the same without token scaling (32 -> 32), so the
# comparison has two points (about 10 minutes on two CPU cores, less once
# the quickstart's data and caches exist). With --db the store's runs are
# shown as they are; its two newest finished runs are used.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/release"
out="$root/docs/screenshots"
db=""
while [ $# -gt 0 ]; do
  case "$1" in
    --db) db="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "screenshots.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
batch="$build/app/cos-batch/cos-batch"
workbench="$build/app/cos-workbench/cos-workbench"
for program in "$batch" "$workbench"; do
  [ -x "$program" ] || { echo "screenshots.sh: $program is not built (cmake --build $build)" >&2; exit 2; }
done
mkdir -p "$out"

if [ -z "$db" ]; then
  scratch=$(mktemp -d)
  db="$scratch/screenshots.sqlite"
  "$batch" run "$root/configs/quickstart.yaml" --db "$db" --progress lines
  "$batch" run "$root/configs/quickstart.yaml" --db "$db" --progress lines --name quickstart-unscaled \
    --set 'stages[4].scaling.window=[1,1]'
fi
# The two newest finished runs: the scaled one is shown in the monitor and
# the attention view, both in the comparison.
mapfile -t runs < <(sqlite3 "$db" "SELECT id FROM runs WHERE status = 'finished' ORDER BY id DESC LIMIT 2")
[ ${#runs[@]} -ge 1 ] || { echo "screenshots.sh: $db holds no finished run" >&2; exit 2; }
scaled=$(sqlite3 "$db" "SELECT id FROM runs WHERE status = 'finished' AND name NOT LIKE '%unscaled%' ORDER BY id DESC LIMIT 1")
scaled=${scaled:-${runs[0]}}
compared=()
for id in "${runs[@]}"; do compared+=(--run "$id"); done

# A settings folder of its own, so the user's window layout and store are
# neither used nor changed.
config=$(mktemp -d)
shoot() { # LANGUAGE FILE ARGS...
  local language=$1 file=$2
  shift 2
  XDG_CONFIG_HOME="$config" QT_QPA_PLATFORM=offscreen \
    "$workbench" --db "$db" --language "$language" --screenshot "$out/$file" "$@"
  echo "$out/$file"
}
for language in en de zh_CN; do
  suffix=$([ "$language" = en ] && echo "" || echo "-$language")
  shoot "$language" "launcher$suffix.png" --view launcher
  shoot "$language" "monitor$suffix.png" --view monitor --run "$scaled"
  shoot "$language" "attention$suffix.png" --view attention --run "$scaled"
  shoot "$language" "compare$suffix.png" --view compare "${compared[@]}"
done
rm -rf "$config"

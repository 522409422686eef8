#!/usr/bin/env bash
# Fuzzes the readers of files from elsewhere (fuzz/: safetensors, JSON and
# YAML configs, a stored run config, LLaVA datasets, IDX files) with
# libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer.
#
#   scripts/fuzz.sh [--seconds N] [--release-dir DIR] [--build-dir DIR] [--out DIR] [TARGET...]
#
# Builds the targets with clang against the release build's libraries
# (default build/release; build it first), replays the kept inputs of
# fuzz/regressions/TARGET/, then fuzzes each target for N seconds (default
# 60) from the seed corpus fuzz/corpus/TARGET/. Prints one line per target:
# executions, coverage (edges libFuzzer saw), corpus size. Exit status 1 on a
# finding: its input is written to OUT/TARGET-crash-* (default out:
# build/fuzz-out); keep it in fuzz/regressions/TARGET/ once fixed.
set -euo pipefail
source_dir="$(cd "$(dirname "$0")/.." && pwd)"
seconds=60
release_dir="$source_dir/build/release"
build_dir="$source_dir/build/fuzz"
out_dir="$source_dir/build/fuzz-out"
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --release-dir) release_dir="$2"; shift 2 ;;
    --build-dir) build_dir="$2"; shift 2 ;;
    --out) out_dir="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(safetensors model_json run_yaml stored_config dataset idx)
case "$seconds" in ''|*[!0-9]*) echo "fuzz.sh: --seconds takes a whole number" >&2; exit 2 ;; esac

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$source_dir/fuzz" -B "$build_dir" -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCOS_RELEASE_DIR="$release_dir" "${launcher[@]}" >/dev/null
cmake --build "$build_dir"

mkdir -p "$out_dir"
# Leaks count as findings; a huge allocation a header asks for is refused
# (the reader must then say so) rather than ending the run.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
status=0
for t in "${targets[@]}"; do
  program="$build_dir/fuzz_$t"
  [ -x "$program" ] || { echo "fuzz.sh: no target $t" >&2; exit 2; }
  regressions="$source_dir/fuzz/regressions/$t"
  if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
    if ! "$program" "$regressions"/* > "$out_dir/$t-regressions.log" 2>&1; then
      echo "$t: a kept input fails again: $out_dir/$t-regressions.log"
      status=1
      continue
    fi
  fi
  corpus="$out_dir/corpus-$t"
  mkdir -p "$corpus"
  cp -n "$source_dir/fuzz/corpus/$t"/* "$corpus"/
  log="$out_dir/$t.log"
  if "$program" -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=4096 -timeout=20 \
       -artifact_prefix="$out_dir/$t-" "$corpus" > "$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$')
    cov=$(grep -E '^#[0-9]+\s+DONE' "$log" | grep -o 'cov: [0-9]*' | grep -o '[0-9]*$')
    echo "$t: $runs inputs in ${seconds} s, coverage $cov edges, corpus $(ls "$corpus" | wc -l) inputs"
  else
    echo "$t: FINDING, see $log; replay: $program $(ls -t "$out_dir/$t-"* 2>/dev/null | head -1)"
    status=1
  fi
done
exit $status

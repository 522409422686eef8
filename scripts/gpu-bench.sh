#!/usr/bin/env bash
# Builds the engine-only target (cos-enginebench) against the LibTorch found on
# this machine and runs the training-step benchmark of the engine configs.
#
#   scripts/gpu-bench.sh [--device cuda|cpu] [--config MODEL.json]... [--batch B]... [--steps N] [--out DIR]
#                        [--debs DIR]
#   scripts/gpu-bench.sh --save-debs DIR
#
# LibTorch is looked up in this order: $Torch_DIR (the folder holding
# TorchConfig.cmake), then the torch package of `python3`
# (torch.utils.cmake_prefix_path), then Debian's libtorch-dev. On CUDA it runs
# every config (small, medium, large, xl unless --config names others) in
# fp32 and in bf16 autocast; on the CPU small to large in fp32 only.
# Each --batch given runs every config and precision at that batch (default 32).
# Results: one JSON object per run in DIR/results.jsonl, a table on stdout.
# Besides LibTorch the build needs the nlohmann-json and CLI11 headers. On a
# machine without them and without a package registry, save them as Debian
# packages where apt works (--save-debs DIR), bring DIR along and pass
# --debs DIR: they are unpacked under the build folder, nothing installed.
set -euo pipefail

device=cuda
batches=()
steps=10
out=""
configs=()
debs=""
save_debs=""
while (($#)); do
    case "$1" in
        --device) device="$2"; shift 2 ;;
        --batch) batches+=("$2"); shift 2 ;;
        --steps) steps="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --config) configs+=("$2"); shift 2 ;;
        --debs) debs="$2"; shift 2 ;;
        --save-debs) save_debs="$2"; shift 2 ;;
        -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "gpu-bench.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done

((${#batches[@]})) || batches=(32)
if ((${#configs[@]} == 0)); then
    configs=(configs/engine/small.json configs/engine/medium.json configs/engine/large.json)
    # xl only pays off where there is a GPU to fill.
    [[ "$device" == cuda* ]] && configs+=(configs/engine/xl.json)
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/lib/debs.sh"
if [[ -n "$save_debs" ]]; then
    save_engine_debs gpu-bench.sh "$save_debs"
    exit 0
fi
[[ -n "$debs" ]] && debs="$(realpath "$debs")"

cd "$root"
build="$root/build/gpu-bench"
out="${out:-$build}"
mkdir -p "$out"

source "$root/scripts/lib/libtorch.sh"
find_libtorch gpu-bench.sh
if [[ -n "$debs" ]]; then
    rm -rf "$build/deps"
    unpack_debs gpu-bench.sh "$debs" "$build/deps"
fi
cmake_args=(-S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOS_ENGINE_ONLY=ON "${cmake_torch_args[@]}")

start=$(date +%s)
cmake "${cmake_args[@]}" >"$out/configure.log" 2>&1 || { cat "$out/configure.log" >&2; exit 1; }
grep -E 'LibTorch|CUDA' "$out/configure.log" | head -5 || true
cmake --build "$build" --target cos-enginebench >"$out/build.log" 2>&1 || { tail -100 "$out/build.log" >&2; exit 1; }
echo "configure + build: $(( $(date +%s) - start )) s"

bench="$build/app/cos-enginebench/cos-enginebench"
"$bench" --version
"$bench" --devices | tee "$out/devices.json"

dtypes=(fp32)
[[ "$device" == cuda* ]] && dtypes+=(bf16)
: >"$out/results.jsonl"
status=0
for batch in "${batches[@]}"; do
    for config in "${configs[@]}"; do
        for dtype in "${dtypes[@]}"; do
            if "$bench" --config "$config" --device "$device" --dtype "$dtype" --batch "$batch" --steps "$steps" \
                >>"$out/results.jsonl" 2>"$out/error.log"; then
                tail -1 "$out/results.jsonl"
            else
                echo "FAILED: $config $dtype batch $batch: $(cat "$out/error.log")" >&2
                status=1
            fi
        done
    done
done

python3 - "$out/results.jsonl" <<'EOF' || true
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print("| config | dtype | batch | step (s) | samples/s | TFLOP/s | GEMM peak TFLOP/s | share of peak |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for r in rows:
    print(f"| {r['config']} | {r['dtype']} | {r['batch']} | {r['step_time_median_s']:.4f} | {r['samples_per_s']:.1f} | "
          f"{r['achieved_flops_per_s'] / 1e12:.2f} | {r['gemm_peak_flops_per_s'] / 1e12:.1f} | {100 * r['fraction_of_peak']:.1f}% |")
EOF
echo "total: $(( $(date +%s) - start )) s"
exit $status

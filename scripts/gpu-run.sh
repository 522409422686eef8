#!/usr/bin/env bash
# Builds cos-batch against the LibTorch found on this machine (a CUDA one on a
# GPU machine) and runs the paper replica benchmark on its GPU: vision stage,
# pre-training, scaling, fine-tuning and evaluation of every variant.
#
#   scripts/gpu-run.sh [--device cuda|cuda:N|cpu] [--quick] [--seeds N] [--nproc N]
#                      [--install-deps] [--build DIR] [--out DIR] [-- MORE BENCH REPLICA OPTIONS]
#
# LibTorch is looked up as scripts/gpu-bench.sh does ($Torch_DIR, then the
# torch package of `python3`, then Debian's libtorch-dev); it must use the
# C++11 string ABI, as Debian's Qt does. The other libraries (Qt 6, SQLite,
# OpenCV, yaml-cpp, Fashion-MNIST …) come from scripts/install-deps.sh, which
# --install-deps runs first (apt, as root). The build goes to build/gpu-run
# unless --build names another (an existing release build is reused).
# DIR (default the build's out/) receives report.md and report.json, the
# store (replica.sqlite), the program's version (LibTorch, BLAS), the GPU's
# nvidia-smi line, the benchmark's log, and its wall time and peak memory
# (time.txt, where GNU time is installed).
set -euo pipefail

device=cuda
quick=()
seeds=1
nproc=1
install=0
build=""
out=""
extra=()
while (($#)); do
    case "$1" in
        --device) device="$2"; shift 2 ;;
        --quick) quick=(--quick); shift ;;
        --seeds) seeds="$2"; shift 2 ;;
        --nproc) nproc="$2"; shift 2 ;;
        --install-deps) install=1; shift ;;
        --build) build="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --) shift; extra=("$@"); break ;;
        -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "gpu-run.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
absolute_dir() { mkdir -p "$1" && cd "$1" && pwd; }
build="$(absolute_dir "${build:-$root/build/gpu-run}")"
out="$(absolute_dir "${out:-$build/out}")"

((install)) && bash "$root/scripts/install-deps.sh"

source "$root/scripts/lib/libtorch.sh"
find_libtorch gpu-run.sh
if ! libtorch_cxx11_abi; then
    echo "gpu-run.sh: the LibTorch in '$Torch_DIR' uses the pre-C++11 string ABI and cannot link with Qt;" \
        "use a C++11-ABI LibTorch (torch 2.7 or later, or pytorch.org's cxx11-ABI LibTorch) through Torch_DIR" >&2
    exit 2
fi

start=$(date +%s)
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "${cmake_torch_args[@]}" \
    >"$out/configure.log" 2>&1 || { tail -40 "$out/configure.log" >&2; exit 1; }
cmake --build "$build" --target cos-batch >"$out/build.log" 2>&1 || { tail -100 "$out/build.log" >&2; exit 1; }
echo "configure + build: $(( $(date +%s) - start )) s"

batch="$build/app/cos-batch/cos-batch"
"$batch" --version | tee "$out/version.txt"
if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$out/gpu.txt"
fi

# The generated benchmark data and cached towers stay with the build, so a
# second run (another --seeds, after an interruption) starts where this left.
export XDG_DATA_HOME="${XDG_DATA_HOME:-$build/data}" COS_CACHE_DIR="${COS_CACHE_DIR:-$build/cache}"
timer=()
[[ -x /usr/bin/time ]] && timer=(/usr/bin/time -v -o "$out/time.txt")
status=0
begin=$(date +%s)
"${timer[@]}" "$batch" bench replica "${quick[@]}" --device "$device" --seeds "$seeds" --nproc "$nproc" --reuse \
    --db "$out/replica.sqlite" --out "$out" "${extra[@]}" 2>&1 | tee "$out/replica.log" || status=$?
echo "bench replica: $(( $(date +%s) - begin )) s" | tee -a "$out/version.txt"
grep -E 'Elapsed|Maximum resident' "$out/time.txt" 2>/dev/null || true
echo "report: $out/report.md"
exit $status

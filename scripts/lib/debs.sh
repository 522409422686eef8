# Sourced by scripts/gpu-bench.sh. The engine-only build needs, besides
# LibTorch, two header-only libraries; a GPU machine often has a CUDA
# LibTorch (a Python torch package) but neither the headers nor a package
# registry to fetch them from. These helpers carry them over as Debian
# packages: saved where apt works, unpacked without installing where it does
# not.

engine_build_debs=(nlohmann-json3-dev libcli11-dev)

# Downloads the engine's build dependencies as .deb files into $2 ($1 names
# the calling script in messages).
save_engine_debs() {
    local script="$1" dir="$2"
    if ! command -v apt-get >/dev/null; then
        echo "$script: --save-debs needs apt-get (a Debian or Ubuntu machine with its package registry)" >&2
        exit 2
    fi
    mkdir -p "$dir"
    (cd "$dir" && apt-get download "${engine_build_debs[@]}") || {
        echo "$script: could not download ${engine_build_debs[*]} into '$dir'" >&2
        exit 2
    }
    ls -l "$dir"/*.deb
}

# Unpacks every .deb in $2 into $3 (no installation: nothing outside $3 is
# touched) and appends its usr/ to cmake_torch_args as a CMake prefix, so
# find_package finds the packages' CMake files there first.
unpack_debs() {
    local script="$1" dir="$2" prefix="$3" deb found=0
    for deb in "$dir"/*.deb; do
        [[ -f "$deb" ]] || continue
        found=1
        if command -v dpkg-deb >/dev/null; then
            dpkg-deb -x "$deb" "$prefix" || { echo "$script: cannot unpack '$deb'" >&2; exit 2; }
        else # a Debian package is an ar archive holding data.tar.*
            local tmp
            tmp="$(mktemp -d)"
            (cd "$tmp" && ar x "$(realpath "$deb")" && mkdir -p "$prefix" && tar -xf data.tar.* -C "$prefix") ||
                { echo "$script: cannot unpack '$deb'" >&2; rm -rf "$tmp"; exit 2; }
            rm -rf "$tmp"
        fi
    done
    if ((!found)); then
        echo "$script: no .deb files in '$dir' (make them with --save-debs DIR where apt works)" >&2
        exit 2
    fi
    cmake_torch_args+=(-DCMAKE_PREFIX_PATH="$prefix/usr")
    echo "build dependencies unpacked from $dir into $prefix"
}

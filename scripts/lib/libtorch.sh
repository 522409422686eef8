# Sourced by the scripts that build against a LibTorch other than Debian's.
# Sets Torch_DIR (the folder holding TorchConfig.cmake) and cmake_torch_args,
# looking in this order: $Torch_DIR, the torch package of `python3`
# (torch.utils.cmake_prefix_path), then Debian's libtorch-dev. $1 names the
# calling script in messages.

find_libtorch() {
    local script="$1"
    if [[ -z "${Torch_DIR:-}" ]] && command -v python3 >/dev/null &&
        prefix="$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null)"; then
        Torch_DIR="$prefix/Torch"
    fi
    Torch_DIR="${Torch_DIR:-/usr/lib/x86_64-linux-gnu/cmake/Torch}"
    if [[ ! -f "$Torch_DIR/TorchConfig.cmake" ]]; then
        echo "$script: no TorchConfig.cmake in '$Torch_DIR'; set Torch_DIR or install a torch package" >&2
        exit 2
    fi
    echo "LibTorch: $Torch_DIR"

    # The CUDA toolkit that LibTorch's CMake package looks for.
    if ! command -v nvcc >/dev/null && [[ -x /usr/local/cuda/bin/nvcc ]]; then
        export PATH="/usr/local/cuda/bin:$PATH"
    fi
    cmake_torch_args=(-DTorch_DIR="$Torch_DIR")
    if command -v nvcc >/dev/null; then
        # Only host code is compiled; the architecture list just keeps
        # LibTorch's CMake from probing for one.
        export TORCH_CUDA_ARCH_LIST="${TORCH_CUDA_ARCH_LIST:-9.0}"
        cmake_torch_args+=(-DCUDAToolkit_ROOT="$(dirname "$(dirname "$(command -v nvcc)")")")
    fi
}

# Whether the LibTorch in $Torch_DIR was built with the C++11 string ABI, as
# Debian's Qt, OpenCV and yaml-cpp are: a pre-C++11-ABI LibTorch (older
# PyPI wheels, pytorch.org's "Pre-cxx11 ABI" zip) links with the engine alone.
libtorch_cxx11_abi() {
    local flags
    flags="$(grep -rhoE '_GLIBCXX_USE_CXX11_ABI=[01]' "$Torch_DIR" 2>/dev/null | head -1)"
    [[ "$flags" != *"=0" ]]
}

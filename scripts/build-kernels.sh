#!/usr/bin/env bash
# Builds the CUDA image of the built-in kernels with nvcc.
#
#   scripts/build-kernels.sh          rebuilds the shipped image:
#                                     kernels/src/main/resources/org/ringkernel/kernels/cuda/ringkernels.fatbin
#                                     and beside it ringkernels.fatbin.sha256, which records what it was built from
#   scripts/build-kernels.sh --check  compiles into kernels/target/cuda-check/ only (the Maven build runs this);
#                                     without nvcc it says so and succeeds, so builds without CUDA still pass
#
# nvcc is taken from $NVCC, else from PATH, else from $CUDA_HOME/bin.
#
# ringkernels.fatbin.sha256 is a Java properties file (KernelImage reads it):
#   source.sha256  SHA-256 of the sources: every regular file under kernels/src/main/cuda, taken in
#                  byte order of its path relative to that folder ('/'-separated, UTF-8), each fed to
#                  the hash as: path, one NUL byte, the file's bytes, one NUL byte
#   fatbin.sha256  SHA-256 of the image's bytes
#   nvcc.version   the release of the nvcc that built it
#   nvcc.flags     the flags it was built with, run from kernels/src/main/cuda
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SOURCES="$ROOT/kernels/src/main/cuda"
SHIPPED="$ROOT/kernels/src/main/resources/org/ringkernel/kernels/cuda"
CHECK_DIR="$ROOT/kernels/target/cuda-check"
IMAGE=ringkernels.fatbin

# SASS for sm_90, PTX for compute_75 so any newer device's driver can JIT it; warnings are errors.
FLAGS=(-std=c++17 -O3 -Werror all-warnings -Xcompiler -Wall,-Wextra,-Werror -I include
       -gencode arch=compute_90,code=sm_90 -gencode arch=compute_75,code=compute_75 -fatbin)

usage() {
    echo "usage: $0 [--check]" >&2
    exit 2
}

find_nvcc() {
    if [[ -n "${NVCC:-}" ]]; then
        echo "$NVCC"
    elif command -v nvcc >/dev/null 2>&1; then
        command -v nvcc
    elif [[ -n "${CUDA_HOME:-}" && -x "$CUDA_HOME/bin/nvcc" ]]; then
        echo "$CUDA_HOME/bin/nvcc"
    fi
}

sha256() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$@" | cut -d' ' -f1
    else
        shasum -a 256 "$@" | cut -d' ' -f1
    fi
}

source_hash() {
    (
        cd "$SOURCES"
        find . -type f -print0 | LC_ALL=C sort -z | while IFS= read -r -d '' file; do
            printf '%s\0' "${file#./}"
            cat -- "$file"
            printf '\0'
        done
    ) | sha256
}

# Compiles the one translation unit into $1; prints the compile time.
compile() {
    local nvcc="$1" out="$2" started elapsed
    started=$(date +%s%N)
    (cd "$SOURCES" && "$nvcc" "${FLAGS[@]}" ringkernels.cu -o "$out")
    elapsed=$(( ($(date +%s%N) - started) / 1000000 ))
    echo "compiled $IMAGE ($(wc -c < "$out") bytes) in ${elapsed} ms"
}

mode=ship
case "${1:-}" in
    "") ;;
    --check) mode=check ;;
    *) usage ;;
esac
[[ $# -le 1 ]] || usage

nvcc="$(find_nvcc)"
if [[ -z "$nvcc" ]]; then
    if [[ "$mode" == check ]]; then
        echo "nvcc not found, skipping CUDA compile check"
        exit 0
    fi
    echo "nvcc not found: set NVCC, put nvcc on PATH or set CUDA_HOME" >&2
    exit 1
fi

if [[ "$mode" == check ]]; then
    mkdir -p "$CHECK_DIR"
    compile "$nvcc" "$CHECK_DIR/$IMAGE"
    exit 0
fi

mkdir -p "$SHIPPED"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
hash_before="$(source_hash)"
compile "$nvcc" "$work/$IMAGE"
if [[ "$(source_hash)" != "$hash_before" ]]; then
    echo "the sources changed during the build; run it again" >&2
    exit 1
fi
version="$("$nvcc" --version | sed -n 's/.*release [0-9.]*, V\([0-9.]*\).*/\1/p')"
{
    echo "# What ringkernels.fatbin was built from; written by scripts/build-kernels.sh, read by KernelImage."
    echo "source.sha256=$hash_before"
    echo "fatbin.sha256=$(sha256 "$work/$IMAGE")"
    echo "nvcc.version=$version"
    echo "nvcc.flags=${FLAGS[*]}"
} > "$work/$IMAGE.sha256"
mv "$work/$IMAGE" "$SHIPPED/$IMAGE"
mv "$work/$IMAGE.sha256" "$SHIPPED/$IMAGE.sha256"
echo "wrote ${SHIPPED#"$ROOT"/}/$IMAGE and $IMAGE.sha256 (sources $hash_before)"

#!/usr/bin/env bash
# Builds and verifies the CUDA image of the built-in kernels.
#
#   scripts/build-kernels.sh [--build] rebuilds the shipped image with nvcc:
#                                      kernels/src/main/resources/org/ringkernel/kernels/cuda/ringkernels.fatbin
#                                      and beside it ringkernels.fatbin.sha256, which records what it was built from
#   scripts/build-kernels.sh --verify  checks that the shipped image was built from the sources as they are now
#                                      (the Maven build runs this; it needs bash and sha256sum, no nvcc) and prints
#                                      nothing when it was. When it was not, it rebuilds the image where nvcc is
#                                      found and fails where it is not.
#
# nvcc is taken from $NVCC, else from PATH, else from $CUDA_HOME/bin.
#
# ringkernels.fatbin.sha256 is a Java properties file (KernelImage reads it):
#   source.sha256  SHA-256 of the sources: every regular file under kernels/src/main/cuda, taken in
#                  byte order of its path relative to that folder ('/'-separated, UTF-8), each fed to
#                  the hash as: path, one NUL byte, the file's bytes, one NUL byte (the bytes as committed:
#                  .gitattributes keeps git from converting their line endings)
#   fatbin.sha256  SHA-256 of the image's bytes
#   nvcc.version   the release of the nvcc that built it
#   nvcc.flags     the flags it was built with, run from kernels/src/main/cuda
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SOURCES="$ROOT/kernels/src/main/cuda"
SHIPPED="$ROOT/kernels/src/main/resources/org/ringkernel/kernels/cuda"
IMAGE=ringkernels.fatbin

# SASS for sm_90, PTX for compute_75 so any newer device's driver can JIT it; warnings are errors. nvcc 13 emits
# PTX ISA 9.0, which only a CUDA 13 driver (R580 or newer) loads; the root README says how to build for an older one.
FLAGS=(-std=c++17 -O3 -Werror all-warnings -Xcompiler -Wall,-Wextra,-Werror -I include
       -gencode arch=compute_90,code=sm_90 -gencode arch=compute_75,code=compute_75 -fatbin)

usage() {
    echo "usage: $0 [--build | --verify]" >&2
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

# The recorded value of $1 in the shipped record, empty when there is none.
recorded() {
    [[ -f "$SHIPPED/$IMAGE.sha256" ]] || return 0
    sed -n "s/^$1=//p" "$SHIPPED/$IMAGE.sha256" | tr -d '[:space:]'
}

# Says why the shipped image is not the one the sources build, or nothing when it is.
stale_reason() {
    local sources_now recorded_sources recorded_fatbin
    if [[ ! -f "$SHIPPED/$IMAGE" || ! -f "$SHIPPED/$IMAGE.sha256" ]]; then
        echo "${SHIPPED#"$ROOT"/}/$IMAGE or its .sha256 record is missing"
        return
    fi
    recorded_fatbin="$(recorded fatbin.sha256)"
    if [[ "$(sha256 "$SHIPPED/$IMAGE")" != "$recorded_fatbin" ]]; then
        echo "${SHIPPED#"$ROOT"/}/$IMAGE is not the image its record describes (fatbin.sha256=${recorded_fatbin:-none})"
        return
    fi
    sources_now="$(source_hash)"
    recorded_sources="$(recorded source.sha256)"
    if [[ "$sources_now" != "$recorded_sources" ]]; then
        echo "the CUDA sources under ${SOURCES#"$ROOT"/} changed since ${SHIPPED#"$ROOT"/}/$IMAGE was built" \
            "(recorded source.sha256=${recorded_sources:-none}, now $sources_now)"
    fi
}

mode=build
case "${1:-}" in
    "" | --build) ;;
    --verify) mode=verify ;;
    *) usage ;;
esac
[[ $# -le 1 ]] || usage

nvcc="$(find_nvcc)"
if [[ "$mode" == verify ]]; then
    reason="$(stale_reason)"
    [[ -n "$reason" ]] || exit 0
    if [[ -z "$nvcc" ]]; then
        {
            echo "kernels: $reason."
            echo "No nvcc was found to rebuild the image (set NVCC, put nvcc on PATH or set CUDA_HOME)."
            echo "Where nvcc 13 is installed, rebuild it and commit ringkernels.fatbin and ringkernels.fatbin.sha256"
            echo "with the sources: mvn -Dkernels.compile package, or scripts/build-kernels.sh."
        } >&2
        exit 1
    fi
    echo "kernels: $reason; rebuilding it with $nvcc (commit the new image and its record with the sources)"
fi

if [[ -z "$nvcc" ]]; then
    echo "nvcc not found: set NVCC, put nvcc on PATH or set CUDA_HOME" >&2
    exit 1
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

#!/usr/bin/env bash
# Builds and runs the libFuzzer targets for PruneLab's file readers, one after the other.
#
#   fuzz/run.sh [SECONDS] [TARGET ...]      TARGET: idx, cifar, safetensors (default: all)
#
# Each target runs SECONDS (default 300) under AddressSanitizer and LeakSanitizer, starting from
# seeds made by fuzz/make_seeds.py; a summary line gives its executions and duration. Crashing
# inputs are saved as fuzz/.build/artifacts/<target>-crash-*; turn each into a regression test.
# The readers are compiled straight into each fuzzer binary (they are not SwiftPM targets); the
# Tensors module they import is built first as a static library.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET=${1:-300}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(idx cifar safetensors)

BUILD=fuzz/.build
mkdir -p "$BUILD/artifacts"
FLAGS=(-O -g -sanitize=fuzzer,address -parse-as-library -swift-version 6)
CBLAS=(-I Sources/CBLAS $(pkg-config --cflags-only-I openblas | sed 's/-I/-Xcc -I/g') -L "$(pkg-config --variable=libdir openblas)")

echo "== building Tensors and AtomicFiles"
swiftc "${FLAGS[@]}" "${CBLAS[@]}" -module-name Tensors -emit-library -static \
    -emit-module -emit-module-path "$BUILD/Tensors.swiftmodule" -o "$BUILD/libTensors.a" Sources/Tensors/*.swift
swiftc "${FLAGS[@]}" -module-name AtomicFiles -emit-library -static \
    -emit-module -emit-module-path "$BUILD/AtomicFiles.swiftmodule" -o "$BUILD/libAtomicFiles.a" Sources/AtomicFiles/*.swift

build() { # name entry-point sources...
    local name=$1 entry=$2; shift 2
    echo "== building $name"
    rm -f "$BUILD/$name-fuzz"
    swiftc "${FLAGS[@]}" "${CBLAS[@]}" -I "$BUILD" -I Sources/CZlib -module-name "${name//-/_}Fuzz" \
        "$entry" "$@" -L "$BUILD" -lTensors -lAtomicFiles -lopenblas -lz -o "$BUILD/$name-fuzz" 2>&1 \
        | { grep -v "Cannot export local symbol '__asan" || true; }
    test -x "$BUILD/$name-fuzz"
}

python3 fuzz/make_seeds.py "$BUILD/seeds"
status=0
for target in "${TARGETS[@]}"; do
    options=()
    case $target in
        idx) build idx fuzz/IDXFuzz.swift Sources/Datasets/*.swift ;;
        cifar) build cifar fuzz/CIFARFuzz.swift Sources/Datasets/*.swift; options+=(-max_len=8192) ;;
        safetensors) build safetensors fuzz/SafeTensorsFuzz.swift $(find Sources/Networks -name '*.swift')
                     options+=(-dict=fuzz/safetensors.dict) ;;
        *) echo "unknown target '$target': use idx, cifar or safetensors" >&2; exit 2 ;;
    esac
    corpus="$BUILD/corpus/$target"
    mkdir -p "$corpus"
    log="$BUILD/$target.log"
    echo "== fuzzing $target for $SECONDS_PER_TARGET s (log: $log)"
    start=$(date +%s)
    set +e
    nice -n 10 "$BUILD/$target-fuzz" "$corpus" "$BUILD/seeds/$target" "${options[@]}" \
        -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$BUILD/artifacts/$target-" >"$log" 2>&1
    code=$?
    set -e
    end=$(date +%s)
    runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo "?")
    if [ $code -eq 0 ]; then
        echo "$target: $runs executions in $((end - start)) s, no crash, hang or leak"
    else
        echo "$target: FAILED after $((end - start)) s ($runs executions); see $log and $BUILD/artifacts/"
        grep -E '^==[0-9]+==ERROR|^SUMMARY|Fatal error|Test unit written' "$log" | head -5 || true
        status=1
    fi
done
exit $status

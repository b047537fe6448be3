#!/usr/bin/env bash
# The portable build: compiled for baseline x86-64 (PRUNELAB_PORTABLE=1) in its own build folder,
# its kernels forced to the baseline variant at run time (PRUNELAB_KERNELS=simd8). Checks that
#   1. no vector instruction wider than SSE (ymm or zmm registers) is outside the AVX-512 kernels,
#      which run only on a CPU that has AVX-512 (so the binary starts on any x86-64);
#   2. the release build's kernel tests (TensorsTests, NetworksTests) pass on this variant;
#   3. a lab runs its smoke preset to a report.
# Usage: scripts/check-portable.sh [build-folder]   (default .build-portable). x86-64 only.
set -euo pipefail
cd "$(dirname "$0")/.."
folder=${1:-.build-portable}
if [ "$(uname -m)" != "x86_64" ]; then
    echo "check-portable: skipped: the portable build is the x86-64 baseline and this machine is $(uname -m)"
    exit 0
fi
export PRUNELAB_PORTABLE=1
swift build -c release --scratch-path "$folder" --product lab-filter-pruning

# 1. The instruction check: every function that names a ymm or zmm register must be one the
# KernelsAVX512 target defines (its object files' symbols); objdump prints a function as "<name>:".
kernels=$(nm --defined-only "$folder"/release/KernelsAVX512.build/*.o | awk '$2 ~ /^[tT]$/ { print $3 }' | sort -u)
wide=$(objdump -d --no-show-raw-insn "$folder/release/lab-filter-pruning" | awk '
    /^[0-9a-f]+ <.*>:$/ { name = substr($2, 2, length($2) - 3); next }
    /%[yz]mm[0-9]/ { print name }' | sort -u | comm -23 - <(echo "$kernels"))
if [ -n "$wide" ]; then
    echo "check-portable: FAILED: the portable binary uses AVX registers outside the AVX-512 kernels, in:"
    echo "$wide" | head -20
    exit 1
fi
echo "check-portable: no ymm or zmm register outside the AVX-512 kernels (chosen at run time only)"

# 2. The kernel tests, release build, baseline variant.
swift build -c release --scratch-path "$folder" --build-tests -Xswiftc -enable-testing
PRUNELAB_KERNELS=simd8 swift test -c release --scratch-path "$folder" --skip-build \
    --filter 'TensorsTests|NetworksTests'

# 3. A smoke lab on the baseline variant.
rm -rf "$folder/smoke"
PRUNELAB_KERNELS=simd8 "$folder/release/lab-filter-pruning" --preset smoke --quiet --output-dir "$folder/smoke"
test -s "$folder/smoke/reports/filter-pruning.md"
echo "check-portable: passed (baseline x86-64 build, simd8 kernels): kernel tests and the smoke lab"

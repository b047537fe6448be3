#!/usr/bin/env bash
# Installs the Debian packages PruneLab needs, only those that are missing (idempotent).
set -euo pipefail
packages=(libopenblas-dev zlib1g-dev libpng-dev libfreetype-dev fonts-dejavu-core fonts-noto-cjk dataset-fashion-mnist pkg-config parallel)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing missing Debian packages: ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi

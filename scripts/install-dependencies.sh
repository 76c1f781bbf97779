#!/usr/bin/env bash
# Installs what Percept needs to build, if it is missing: the system libraries OpenBLAS, LAPACKE,
# zlib, stb and libjpeg-turbo (Debian/Ubuntu packages, through apt) and pkg-config, which SwiftPM uses to find them.
# Sourced by ./percept and scripts/test; safe to run again (it does nothing when all is there).
set -euo pipefail

if ! command -v swift >/dev/null 2>&1; then
    echo "percept: the Swift toolchain (6.0 or newer) is not on PATH; install it from https://swift.org/install" >&2
    exit 1
fi

missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if command -v pkg-config >/dev/null 2>&1; then
    pkg-config --exists openblas || missing+=(libopenblas-dev)
    pkg-config --exists zlib || missing+=(zlib1g-dev)
    pkg-config --exists lapacke || missing+=(liblapacke-dev)
    pkg-config --exists stb || missing+=(libstb-dev)
    pkg-config --exists libturbojpeg || missing+=(libturbojpeg0-dev)
else
    missing+=(libopenblas-dev zlib1g-dev liblapacke-dev libstb-dev libturbojpeg0-dev)
fi

if [ ${#missing[@]} -gt 0 ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "percept: missing ${missing[*]}; install them with your system's package manager" >&2
        exit 1
    fi
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "percept: installing ${missing[*]} with apt-get" >&2
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
fi

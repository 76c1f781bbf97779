#!/usr/bin/env bash
# Create (or reuse) the Python virtual environment that holds the peer
# frameworks Percept is compared against: torch, scikit-learn, numpy.
#
# The venv lives OUTSIDE the repository:
#   ${PERCEPT_BENCH_VENV:-$HOME/.cache/percept/bench-venv}
# The interpreter used to create it can be chosen with PERCEPT_BENCH_PYTHON
# (default: python3 on PATH).
#
# Idempotent: when the venv's python can already import all three packages,
# nothing is installed; the versions are printed either way.
#
# Note: torch from PyPI depends on ~4 GB of CUDA wheels (nvidia-*). They are
# never used here (CPU only), they only cost disk and download time once.
# If pip is configured with a find-links folder holding a "+cpu" torch wheel,
# pip will pick that one instead and skip the CUDA wheels.
set -euo pipefail

VENV="${PERCEPT_BENCH_VENV:-$HOME/.cache/percept/bench-venv}"
BASE_PY="${PERCEPT_BENCH_PYTHON:-python3}"

log() { printf '[setup-peers] %s\n' "$*" >&2; }

# Refuse a venv inside the repository: it would be multi-GB and must never be committed.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$(dirname "$VENV")"
VENV_ABS="$(cd "$(dirname "$VENV")" && pwd)/$(basename "$VENV")"
case "$VENV_ABS/" in
  "$REPO_ROOT"/*)
    log "error: PERCEPT_BENCH_VENV ($VENV_ABS) is inside the repository ($REPO_ROOT); put it elsewhere."
    exit 2 ;;
esac

VPY="$VENV_ABS/bin/python"

check_imports() {
  [ -x "$VPY" ] && "$VPY" - <<'EOF' >/dev/null 2>&1
import numpy, sklearn, torch, safetensors
EOF
}

print_versions() {
  "$VPY" - <<'EOF'
import sys, numpy, sklearn, torch
print(f"python       {sys.version.split()[0]}  ({sys.executable})")
print(f"numpy        {numpy.__version__}")
print(f"scikit-learn {sklearn.__version__}")
print(f"torch        {torch.__version__}  (cuda build: {torch.version.cuda}, threads default: {torch.get_num_threads()})")
EOF
}

if check_imports; then
  log "venv at $VENV_ABS already has numpy, scikit-learn and torch; nothing to install."
  print_versions
  exit 0
fi

if ! command -v "$BASE_PY" >/dev/null 2>&1; then
  log "error: '$BASE_PY' not found; install Python 3 (apt-get install python3 python3-venv) or set PERCEPT_BENCH_PYTHON."
  exit 2
fi

if [ ! -x "$VPY" ]; then
  log "creating venv at $VENV_ABS with $("$BASE_PY" --version 2>&1) ($(command -v "$BASE_PY"))"
  if ! "$BASE_PY" -m venv "$VENV_ABS"; then
    log "error: '$BASE_PY -m venv' failed; on Debian: apt-get install python3-venv"
    exit 2
  fi
fi

start=$(date +%s)
log "installing numpy, scikit-learn, torch, safetensors into $VENV_ABS (torch may pull several GB; this takes minutes)"
"$VPY" -m pip install --upgrade pip >/dev/null
"$VPY" -m pip install numpy scikit-learn torch safetensors
log "install took $(( $(date +%s) - start )) s"

if ! check_imports; then
  log "error: packages installed but 'import numpy, sklearn, torch, safetensors' still fails in $VPY"
  exit 1
fi
print_versions

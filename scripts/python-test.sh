#!/usr/bin/env bash
# Builds the Python package from source in a fresh virtual environment
# (target/pyenv) and runs its tests against the release binary
# (or $REPRINT_BIN).
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv --clear target/pyenv
export PATH="$PWD/target/pyenv/bin:$PATH"
pip install -q --disable-pip-version-check "maturin>=1.5,<2" pytest pandas pyarrow
pip install -q --disable-pip-version-check --no-build-isolation ./python
# REPRINT_BIN names a binary already built (CI: the one `cargo test
# --release` built and tested); otherwise the release binary is built.
[ -n "${REPRINT_BIN:-}" ] || cargo build --release --locked --bin reprint
python -m pytest -q -W error python/tests

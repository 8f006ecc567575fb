# Sourced by scripts/run and scripts/test: a project-local virtualenv (.venv) holding exactly
# the locked dependencies, so nothing is installed into the system Python (PEP 668).
#   use_venv requirements/lock.txt       # the default install
#   use_venv requirements/dev-lock.txt   # plus the test and lint tools
# Installs only when the lock changed since the last install (a stamp inside .venv).

use_venv() {
  local lock=$1 py=${PYTHON:-python3}
  if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Python 3.11 or newer is needed (found: $("$py" --version 2>&1))." \
         "Set PYTHON=/path/to/python3.11 to pick another." >&2
    exit 1
  fi
  if [ ! -x .venv/bin/python ]; then
    if ! "$py" -m venv .venv >/dev/null 2>&1; then
      rm -rf .venv
      echo "Could not create a virtualenv with $py. On Debian or Ubuntu install the" \
           "venv module first: sudo apt install python3-venv" >&2
      exit 1
    fi
  fi
  .venv/bin/python scripts/lockfile.py check
  local want have stamp=".venv/.installed-$(basename "$lock")"
  want=$(.venv/bin/python -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read() + open("pyproject.toml", "rb").read()).hexdigest())' "$lock")
  have=$(cat "$stamp" 2>/dev/null || true)
  if [ "$want" != "$have" ]; then
    echo "Installing the locked dependencies ($lock) into .venv ..." >&2
    # pip's notes about this machine's local package folders are filtered out; a failing
    # install still stops the script, through pipefail.
    .venv/bin/python -m pip install --quiet --upgrade pip 2>&1 | { grep -v "^WARNING: Location" || true; }
    .venv/bin/python -m pip install --quiet --require-hashes -r "$lock" 2>&1 | { grep -v "^WARNING: Location" || true; }
    .venv/bin/python -m pip install --quiet --no-deps -e . 2>&1 | { grep -v "^WARNING: Location" || true; }
    echo "$want" > "$stamp"
  fi
}

#!/usr/bin/env bash
# CI: the teaching notebooks (notebooks/README.md). Installs Debian's Jupyter
# client stack where missing (as root; a failed install is reported and the
# notebooks are skipped, nothing else), builds faasim, checks that the
# students' copies are in step with the solved ones, unit-tests the checks,
# then executes every lesson three times: the answer key (every check must
# pass), deliberately wrong answers (every check must fail) and the student's
# unanswered copy (must run to the end). Prints `N passed, N failed`.
set -euo pipefail
cd "$(dirname "$0")/.."

# The kernel runs /usr/bin/python3 by name: another python3 (pyenv's) may come
# first on PATH and lack these modules.
PY=/usr/bin/python3
PACKAGES="python3-nbclient python3-nbformat python3-ipykernel python3-pandas python3-matplotlib python3-scipy"
have() { [ -x "$PY" ] && "$PY" -c 'import nbclient, nbformat, ipykernel, pandas, matplotlib, scipy' 2>/dev/null; }

if ! have; then
	if [ "$(id -u)" = 0 ]; then
		echo "notebooks: installing $PACKAGES"
		if ! (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PACKAGES >/dev/null); then
			echo "notebooks: SKIPPED: apt-get install $PACKAGES failed"
			exit 0
		fi
	fi
	if ! have; then
		echo "notebooks: SKIPPED: $PY cannot import nbclient, nbformat, ipykernel, pandas, matplotlib, scipy (install $PACKAGES as root)"
		exit 0
	fi
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/faasim" ./cmd/faasim
"$PY" notebooks/tools/sync.py --check
"$PY" -m unittest discover -s notebooks/tools -p 'test_*.py'
"$PY" notebooks/tools/execute.py --faasim "$tmp/faasim"

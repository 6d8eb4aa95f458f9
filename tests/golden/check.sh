#!/bin/sh
# Compare today's outputs of every command on every shipped config with
# the outputs stored in tests/golden/expected (tests/golden/run.sh says
# what is made neutral).  After a change that is meant to change numbers,
# refresh them with: tests/golden/run.sh build/reesx tests/golden/expected
# Usage: tests/golden/check.sh REESX_BIN  (run from the repository root)
set -eu
got=$(mktemp -d)
trap 'rm -rf "$got"' EXIT
sh tests/golden/run.sh "$1" "$got"
if diff -r tests/golden/expected "$got" >"$got.diff"; then
    echo "golden: $(find tests/golden/expected -type f | wc -l) outputs of run, simulate, design and cost identical"
    rm -f "$got.diff"
else
    head -n 60 "$got.diff" >&2
    echo "golden: outputs differ from tests/golden/expected (diff above, whole in $got.diff)" >&2
    exit 1
fi

#!/bin/sh
# Run reesx run, simulate, design and cost on every shipped config and write
# what each prints and every file it writes, with the parts that may change
# from run to run made neutral:
#   - timing (a number before " ms" or " s", "per second" rates, "seconds"
#     in JSON), and the output directory's path;
#   - the run id that ties simulate's summary.json and final.state together
#     (time, process id, random: docs/config.md, "Output safety");
#   - the order of design candidates: the flow grid runs on threads and
#     candidates are numbered as they finish, so candidates.csv and
#     pareto.csv are compared as sets of rows without the candidate number.
# Usage: tests/golden/run.sh REESX_BIN OUTDIR  (run from the repository root)
set -eu
bin=$1
out=$2
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
normalize() {
    sed -E -e "s|$work/[^ ,]*|OUT|g" \
        -e 's/[0-9][0-9.e+-]* (ms|s)\b/T \1/g' \
        -e 's/\([0-9][0-9.e+-]* per second\)/(R per second)/g' \
        -e 's/("seconds":[[:space:]]*)[0-9.e+-]+/\1T/' \
        -e 's/("run_id":[[:space:]]*)"[^"]*"/\1"RUN"/' \
        -e 's/^(reesx-state 1 run ).*/\1RUN/'
}
for cfg in configs/*.cfg configs/*/*.cfg; do
    name=$(echo "$cfg" | sed -e 's|^configs/||' -e 's|/|_|g' -e 's|\.cfg$||')
    for cmd in run simulate design cost; do
        d=$work/$name/$cmd
        mkdir -p "$d"
        rc=0
        "$bin" "$cmd" "$cfg" -o "$d" >"$d/stdout.txt" 2>"$d/stderr.txt" || rc=$?
        echo "exit status $rc" >>"$d/stdout.txt"
        (cd "$d" && find . -type f | sort) | while read -r f; do
            mkdir -p "$out/$name/$cmd/$(dirname "$f")"
            case $f in
            */candidates.csv | */pareto.csv)
                { head -n 1 "$d/$f"; tail -n +2 "$d/$f" | cut -d, -f2- | LC_ALL=C sort; } ;;
            *) normalize <"$d/$f" ;;
            esac >"$out/$name/$cmd/$f"
        done
    done
done

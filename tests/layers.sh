#!/bin/sh
# The house rules of the source tree (docs/model.md, "Architecture"):
#   1. Folders are layers, lowest first: core models solver design fit uncertainty
#      config output report, then the programs cli, bench and mpi (reesx-mpi, which
#      uses cli/ too), and the fuzz harnesses
#      (fuzz/, which may also reach a layer's internal header to call its
#      lowest-level reader).  A file includes headers of its own layer or
#      below only (rx.h, the umbrella, is for programs and library users).
#   2. No circle of files calling each other: over the built objects, "a
#      calls b" when a uses a symbol b defines (nm), and the graph must sort.
#   3. One door each: libconfig only in config/, CVODES only in
#      solver/dynamics.c, LAPACK declared only in core/lapack.c, cJSON only
#      in output/ and report/ (which reads the outputs back), PLplot only in
#      report/plot.c, GSL only in fit/, uncertainty/ and core/gsl.c (the root
#      finders the design layer uses), MPI only in mpi/.
# Usage: tests/layers.sh BUILD_DIR  (from the repository root, after a build)
set -eu
export LC_ALL=C
build=$1
layers="core models solver design fit uncertainty config output report cli bench mpi fuzz"
rank() {
    r=0
    for l in $layers; do
        [ "$l" = "$1" ] && { echo $r; return; }
        r=$((r + 1))
    done
    echo 99 # the root: rx.h
}
fail=0
for dir in $layers; do
    for f in "$dir"/*.c "$dir"/*.h; do
        [ -e "$f" ] || continue
        own=$(rank "$dir")
        for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
            case $inc in
            */*) to=${inc%%/*} ;;
            *) to=. ;; # rx.h
            esac
            if [ "$to" = . ]; then
                [ "$own" -ge "$(rank cli)" ] || { echo "layers: $f includes $inc: only the programs (cli/, bench/, fuzz/) use the umbrella" >&2; fail=1; }
            elif [ "$(rank "$to")" -gt "$own" ]; then
                echo "layers: $f includes $inc: $dir/ must not reach up into $to/" >&2
                fail=1
            fi
        done
    done
done

# 2. Calls between files, from the objects' symbol tables.
edges=$(mktemp)
trap 'rm -f "$edges" "$edges.def"' EXIT
for o in $(find "$build" -name '*.o' | grep -E "/($(echo $layers | tr ' ' '|'))/" | sort); do
    nm --defined-only "$o" | awk -v o="$o" '$2 ~ /^[TDBRC]$/ { print $3, o }'
done | sort >"$edges.def"
for o in $(cut -d' ' -f2 "$edges.def" | sort -u); do
    nm --undefined-only "$o" | awk '{ print $NF }' | sort -u | join - "$edges.def" | awk -v o="$o" '$2 != o { print o, $2 }'
done | sort -u >"$edges"
if ! tsort "$edges" >/dev/null 2>"$edges.def"; then
    echo "layers: files call each other in a circle:" >&2
    sed "s|$build/||g" "$edges.def" >&2
    fail=1
fi

# 3. One door each.
door() { # pattern, allowed files (grep -l over the layers)
    pat=$1
    shift
    for f in $(grep -l -E "$pat" $(for l in $layers; do ls "$l"/*.c "$l"/*.h 2>/dev/null; done) || true); do
        ok=0
        for a in "$@"; do
            case $f in $a) ok=1 ;; esac
        done
        [ $ok = 1 ] || { echo "layers: $f uses $pat: only $* may" >&2; fail=1; }
    done
}
door '#include <libconfig.h>' 'config/*'
door '#include <cvodes/' 'solver/dynamics.c'
door '(dgbtrf|dgbtrs|dgetf2|dgtsv)_ *\(' 'core/lapack.c'
door '#include <cjson/' 'output/*' 'report/*'
door '#include <plplot/' 'report/plot.c'
door '#include <mpi.h>' 'mpi/*'
door '#include <gsl/' 'fit/*' 'uncertainty/*' 'core/gsl.c'

[ $fail = 0 ] && echo "layers: $(find $layers -name '*.[ch]' | wc -l) files in layers $layers; no upward include, no circle of calls, one door each"
exit $fail

#!/bin/sh
# fuzz/run.sh - run the libFuzzer harnesses built in BUILD_DIR (make fuzz,
# make test; docs/reliability.md, "Fuzzing").  From the repository root:
#
#   fuzz/run.sh fuzz    BUILD_DIR SECONDS HARNESS...  fuzz each for SECONDS; new inputs
#                                                     join fuzz/corpus/<harness>/, findings
#                                                     are saved in fuzz/crashes/<harness>/
#                                                     and the run goes on past them (-fork=1)
#   fuzz/run.sh short   BUILD_DIR SECONDS HARNESS...  the same with the corpus left as it is
#                                                     (CI): findings in BUILD_DIR/findings/,
#                                                     exit 1 on any finding; FUZZ_JOBS at a time
#   fuzz/run.sh regress BUILD_DIR HARNESS...          each input of fuzz/regress/<harness>/
#                                                     and fuzz/corpus/<harness>/ once
#   fuzz/run.sh merge   BUILD_DIR HARNESS...          minimize fuzz/corpus/<harness>/ (-merge=1)
#   fuzz/run.sh seed    BUILD_DIR HARNESS...          add the seeds of configs/, tests/fixtures/
#                                                     and fuzz/seeds/ to the corpus, minimized
#
# Every run is bounded: -max_total_time, -timeout per input, -rss_limit_mb
# and -malloc_limit_mb, under timeout(1) in case libFuzzer itself hangs.
# Standard input is /dev/null (a config naming /dev/stdin cannot wait).
set -eu
export LC_ALL=C

# Limits of one run (seconds, MB); the environment may set them.
FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-10}     # one input; a slower one is a finding
FUZZ_RSS_MB=${FUZZ_RSS_MB:-2048}     # the process; above it, a finding
FUZZ_MALLOC_MB=${FUZZ_MALLOC_MB:-1024} # one allocation
FUZZ_MAX_LEN=${FUZZ_MAX_LEN:-16384}  # bytes of a generated input
FUZZ_GRACE=${FUZZ_GRACE:-120}        # s past the run's time before timeout(1) kills it
FUZZ_JOBS=${FUZZ_JOBS:-1}            # harnesses fuzzed side by side by 'short'

here=$(pwd)
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:handle_abort=1"
export LSAN_OPTIONS="suppressions=$here/fuzz/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

cmd=$1
build=$2
shift 2

dict() { # the dictionary of harness $1
    case $1 in
    config | solve) echo "-dict=$here/fuzz/config.dict" ;;
    shakeout) echo "-dict=$here/fuzz/csv.dict" ;;
    state) echo "-dict=$here/fuzz/state.dict" ;;
    esac
}

limits="-timeout=$FUZZ_TIMEOUT -rss_limit_mb=$FUZZ_RSS_MB -malloc_limit_mb=$FUZZ_MALLOC_MB"

# Temp files of the harnesses (fuzz/common.c) in one folder, gone after.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TMPDIR=$tmp

# fuzz_for SECONDS HARNESS NEW_CORPUS FINDINGS [OPTION...]: exit status of the run.
fuzz_for() {
    secs=$1 h=$2 new=$3 findings=$4
    shift 4
    mkdir -p "$new" "$findings"
    status=0
    # shellcheck disable=SC2046
    timeout -k 10 $((secs + FUZZ_TIMEOUT + FUZZ_GRACE)) "$build/fuzz_$h" $(dict "$h") $limits \
        -max_len="$FUZZ_MAX_LEN" -max_total_time="$secs" -print_final_stats=1 "$@" \
        -artifact_prefix="$findings/" "$new" "fuzz/corpus/$h" </dev/null >"$build/fuzz_$h.log" 2>&1 || status=$?
    # The last status line (a plain run's DONE, fork mode's last '#N:'), its totals.
    grep -E '^#[0-9]+(:|[[:space:]].*DONE)' "$build/fuzz_$h.log" | tail -n 1 | sed "s/^/fuzz $h: /"
    grep -E '^stat::(number_of_executed_units|peak_rss_mb|new_units_added)' "$build/fuzz_$h.log" |
        sed "s/^/fuzz $h: /"
    if grep -q -E '^INFO: log from the inner process|^CRASH|crash: [1-9]|timeout: [1-9]|oom: [1-9]' \
        "$build/fuzz_$h.log"; then
        grep -E 'Test unit written|crash-|timeout-|oom-|leak-' "$build/fuzz_$h.log" | sort -u | sed "s/^/fuzz $h: /" >&2
    fi
    if [ "$status" != 0 ]; then
        echo "fuzz $h: FINDING (exit $status), input saved in $findings/; the report:" >&2
        grep -m 1 -n -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|reesx fuzz:' \
            "$build/fuzz_$h.log" >&2 || true
        sed -n '/==ERROR\|runtime error\|reesx fuzz:/,+25p' "$build/fuzz_$h.log" | head -n 40 >&2
        echo "fuzz $h: whole log in $build/fuzz_$h.log" >&2
    fi
    return "$status"
}

fail=0
case $cmd in
fuzz)
    secs=$1
    shift
    for h in "$@"; do
        fuzz_for "$secs" "$h" "fuzz/corpus/$h" "fuzz/crashes/$h" \
            -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 || fail=1
        ls "fuzz/crashes/$h" 2>/dev/null | sed "s|^|fuzz $h: finding fuzz/crashes/$h/|"
    done
    ;;
short)
    secs=$1
    shift
    # FUZZ_JOBS harnesses at a time (one core each), in the order given.
    running=0
    for h in "$@"; do
        (
            st=0
            fuzz_for "$secs" "$h" "$tmp/new-$h" "$build/findings/$h" >"$tmp/out-$h" 2>&1 || st=$?
            echo "$st" >"$tmp/status-$h"
        ) &
        running=$((running + 1))
        if [ "$running" -ge "$FUZZ_JOBS" ]; then
            wait
            running=0
        fi
    done
    wait
    for h in "$@"; do
        cat "$tmp/out-$h"
        [ "$(cat "$tmp/status-$h" 2>/dev/null || echo 1)" = 0 ] || fail=1
    done
    [ $fail = 0 ] && echo "fuzz: $* for ${secs} s each: no finding"
    ;;
regress)
    n=0
    for h in "$@"; do
        files=$(find "fuzz/regress/$h" -type f ! -name '.*' 2>/dev/null | sort)
        # Each fixed crash, one by one (a file argument runs once).
        if [ -n "$files" ]; then
            # shellcheck disable=SC2086
            timeout -k 10 $((FUZZ_TIMEOUT * 10 + FUZZ_GRACE)) "$build/fuzz_$h" $limits $files \
                </dev/null >"$build/regress_$h.log" 2>&1 || {
                echo "fuzz regress $h: a fixed finding is back:" >&2
                tail -n 40 "$build/regress_$h.log" >&2
                fail=1
            }
            n=$((n + $(echo "$files" | wc -l)))
        fi
        # The corpus once through (-runs=0: execute it, generate nothing).
        timeout -k 10 $((FUZZ_TIMEOUT * 10 + FUZZ_GRACE)) "$build/fuzz_$h" $limits -runs=0 "fuzz/corpus/$h" \
            </dev/null >"$build/corpus_$h.log" 2>&1 || {
            echo "fuzz regress $h: an input of fuzz/corpus/$h fails:" >&2
            tail -n 40 "$build/corpus_$h.log" >&2
            fail=1
        }
        n=$((n + $(find "fuzz/corpus/$h" -type f | wc -l)))
    done
    [ $fail = 0 ] && echo "fuzz regress: $n inputs of fuzz/regress and fuzz/corpus ($*) run clean"
    ;;
merge | seed)
    for h in "$@"; do
        out=$tmp/merged-$h
        mkdir -p "$out" "fuzz/corpus/$h"
        if [ "$cmd" = seed ]; then
            seeds=$tmp/seeds-$h
            mkdir -p "$seeds"
            case $h in
            config | solve)
                # File names repeat across folders: each under its own number.
                i=0
                for f in $(find configs tests/fixtures fuzz/seeds -name '*.cfg' | sort); do
                    i=$((i + 1))
                    cp "$f" "$seeds/$i-$(basename "$f")"
                done
                ;;
            shakeout) cp tests/fixtures/*.csv fuzz/seeds/*.csv "$seeds/" ;;
            state) cp fuzz/seeds/*.state "$seeds/" ;;
            esac
            src="$seeds fuzz/corpus/$h"
        else
            src="fuzz/corpus/$h"
        fi
        # shellcheck disable=SC2086
        timeout -k 10 $((FUZZ_TIMEOUT * 100 + FUZZ_GRACE)) "$build/fuzz_$h" $limits -merge=1 "$out" $src \
            </dev/null >"$build/merge_$h.log" 2>&1 || {
            echo "fuzz $cmd $h: failed (an input crashes? see $build/merge_$h.log)" >&2
            tail -n 20 "$build/merge_$h.log" >&2
            fail=1
            continue
        }
        before=$(find "fuzz/corpus/$h" -type f | wc -l)
        find "fuzz/corpus/$h" -type f -delete
        cp "$out"/* "fuzz/corpus/$h/"
        echo "fuzz $cmd $h: $before inputs -> $(find "fuzz/corpus/$h" -type f | wc -l) ($(grep -o 'MERGE-OUTER: [0-9]* new files.*' "$build/merge_$h.log" | tail -n 1))"
    done
    ;;
*)
    echo "usage: fuzz/run.sh fuzz|short|regress|merge|seed BUILD_DIR [SECONDS] HARNESS..." >&2
    exit 1
    ;;
esac
exit $fail

#!/bin/sh
# The reports of the shipped configs, rendered in headless Chromium
# (tests/browser/check.py): every command's report of its shipped
# example, each page loaded without errors, every figure drawn, the key
# numbers of its outputs in the text.
# Usage: tests/browser/run.sh REESX_BIN OUT_DIR [SCREENSHOT_DIR]
#   (from the repository root; OUT_DIR is emptied first)
set -eu
bin=$1
out=$2
shots=${3:-$out/screenshots}
# make test's deps step installs chromium: here its absence is a failure,
# not the skip check.py makes of it when run by hand.
command -v "${CHROMIUM:-chromium}" >/dev/null 2>&1 ||
    { echo "browser: ${CHROMIUM:-chromium} is not installed (Debian chromium; make deps installs it)" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out" "$shots"
r() { # name, then the command's arguments
    name=$1
    shift
    status=0
    "$bin" "$@" -q -o "$out/$name" --report || status=$?
    # a design that meets no target still reports (exit 6)
    [ $status = 0 ] || [ $status = 6 ] || { echo "browser: reesx $* exited $status" >&2; exit 1; }
}
for cfg in configs/*.cfg; do
    r "run-$(basename "$cfg" .cfg)" run "$cfg"
done
r simulate-default simulate configs/default.cfg
r design-ndpr_binary design configs/ndpr_binary.cfg
r cost-default cost configs/default.cfg
r uncertainty-default uncertainty configs/default.cfg
r fit-profile_plant fit tests/fixtures/profile_plant.cfg
python3 tests/browser/check.py --screenshots "$shots" "$out"/*/
# Printed: the default run's page as Chromium prints it to PDF, every page
# A4 portrait (595 x 842 pt).
pdf=$out/run-default/report.pdf
timeout 120 "${CHROMIUM:-chromium}" --headless=new --no-sandbox --disable-gpu --no-pdf-header-footer \
    --print-to-pdf="$pdf" "file://$(cd "$out/run-default" && pwd)/report.html" >/dev/null 2>&1 || true
boxes=$(grep -a -o '/MediaBox \[[^]]*\]' "$pdf" 2>/dev/null || true)
pages=$(printf '%s\n' "$boxes" | grep -c MediaBox || true)
other=$(printf '%s\n' "$boxes" | grep MediaBox | grep -v -c '/MediaBox \[0 0 59[45]\.[0-9]* 84[12]\.[0-9]*\]' || true)
if [ "$pages" -lt 1 ] || [ "$other" -ne 0 ]; then
    echo "browser: $pdf: printed as $pages pages, $other of them not A4 portrait" >&2
    exit 1
fi
echo "browser: $out/run-default/report.html prints as $pages A4 pages"

#!/bin/sh
# Render the corpus report of ../shared/corpus/feed in headless Chromium and
# save a screenshot, to look at what users see.
#
# Usage: benchmarks/report_screenshot.sh [SCREENSHOT.png] [WIDTH,HEIGHT]
#   (defaults: /tmp/report.png and 1400,2000; the report is kept beside it as
#   report.html). Needs Debian's chromium (apt-get install chromium) and, for
#   the CJK titles, a CJK font (apt-get install fonts-wqy-microhei or
#   fonts-noto-cjk). Prints the report's size and the time it took to write.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
screenshot=${1:-/tmp/report.png}
size=${2:-1400,2000}
feed="../shared/corpus/feed"  # relative: the report shows paths as given
report="$(dirname "$screenshot")/report.html"

if ! command -v chromium >/dev/null 2>&1; then
    echo "chromium is not installed (apt-get install chromium)" >&2
    exit 2
fi
if [ ! -d "$here/$feed" ]; then
    echo "the shared corpus is not at $feed" >&2
    exit 2
fi

mkdir -p "$(dirname "$screenshot")"
cd "$here"
start=$(python -c 'import time; print(time.time())')
python -m newscheck report --isolated --no-cache "$feed" -o "$report"
python -c "import sys, time; print(f'report: {sys.argv[1]} bytes in {time.time() - $start:.2f} s')" \
    "$(wc -c <"$report")"

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run \
    --user-data-dir="$profile" --screenshot="$screenshot" --window-size="$size" \
    "file://$report" 2>/dev/null
echo "screenshot: $screenshot"

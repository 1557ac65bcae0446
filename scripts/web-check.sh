#!/bin/sh
# The browser playground, checked:
#   scripts/web-check.sh [BUILD_DIR]
# 1. every example, run (--explain, --json) and explored by the
#    WebAssembly engine in node, prints exactly what siglab prints;
# 2. headless chromium loads the page from file://, runs an example, and
#    the trace and the timeline are on the page; a screenshot is left in
#    BUILD_DIR/web/playground.png;
# 3. a timeline (run --svg) rendered to PNG by the browser, left in
#    BUILD_DIR/web/timeline.png to look at.
set -eu
B=${1:-build}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
for f in examples/*.scn; do
	n=$(basename "$f" .scn)
	"$B/siglab" run --explain "$f" >"$T/$n.run" 2>/dev/null || true
	"$B/siglab" run --json "$f" >"$T/$n.json" 2>/dev/null || true
	# explore where it finishes quickly with outcomes (0, 1, or 3 at the
	# bound); a scenario error (2) goes to stderr, not compared
	st=0
	timeout 20 "$B/siglab" explore "$f" >"$T/$n.explore" 2>/dev/null || st=$?
	case $st in 0|1|3) ;; *) rm -f "$T/$n.explore" ;; esac
done
node web/check.js "$B/web/siglab.js" "$T" examples/*.scn

scripts/deps.sh browser
url="file://$(realpath "$B/web/index.html")?example=coalesce-vs-rt&run=1"
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
	--user-data-dir="$T/profile" --virtual-time-budget=15000 --dump-dom "$url" \
	>"$T/dom.html" 2>"$T/chromium.log" || { cat "$T/chromium.log"; exit 1; }
fails=0
for want in 'data-ran="1"' 'sigqueue(rx, SIGRTMIN+1, 1) = 0' 'expect rx handled SIGRTMIN+1 3: ok' \
	'<svg'; do
	if grep -qF "$want" "$T/dom.html"; then
		echo "ok   page shows: $want"
	else
		echo "FAIL page lacks: $want"
		fails=$((fails + 1))
	fi
done
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
	--user-data-dir="$T/profile" --virtual-time-budget=15000 --window-size=1400,1000 \
	--screenshot="$(realpath "$B/web")/playground.png" "$url" >/dev/null 2>&1 ||
	echo "note: no screenshot"
# The timeline rendered to PNG by the browser: drawn, not blank.
"$B/siglab" run --svg "$T/timeline.svg" examples/read-restart.scn >/dev/null
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
	--user-data-dir="$T/profile" --window-size=1200,300 \
	--screenshot="$(realpath "$B/web")/timeline.png" "file://$T/timeline.svg" >/dev/null 2>&1 || true
if [ "$(wc -c <"$B/web/timeline.png" 2>/dev/null || echo 0)" -gt 8000 ]; then
	echo "ok   timeline rendered to $B/web/timeline.png"
else
	echo "FAIL the timeline did not render to PNG"
	fails=$((fails + 1))
fi
[ "$fails" -eq 0 ] && echo "web-check: the page runs the example in headless chromium"
[ "$fails" -eq 0 ]

#!/bin/bash
# siglab explore's speed on issue 11's big-race2 scenario (bench/big-race2.scn:
# 7 tasks, 12 steps in one par block; 479,001,600 interleavings, 19,423
# distinct states, 92,217 states visited).  A state is visited each time a
# choice point is reached: explored (distinct) or reached again (merged).
# Prints states visited per second of wall time and of CPU time (the
# machine may be shared: CPU time is the steadier figure), serial and with
# -j N threads.
#   bench/explore_rate.sh [SIGLAB] [JOBS...]   (default: build/siglab, 2)
set -u
siglab=${1:-build/siglab}
shift || true
jobs=${*:-2}
scn=$(dirname "$0")/big-race2.scn
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
printf '%-10s %10s %10s %10s %14s %14s\n' search states visited "wall (s)" "visited/s wall" "visited/s CPU"
run() {
	local label=$1
	shift
	TIMEFORMAT='%R %U %S'
	{ time "$siglab" explore "$@" "$scn" > "$tmp/out" 2> /dev/null; } 2> "$tmp/time"
	head -2 "$tmp/out" | tail -1 | awk -v label="$label" -v t="$(cat "$tmp/time")" '{
		split(t, a, " "); states = $4; again = substr($6, 2); visited = states + again
		wall = a[1]; cpu = a[2] + a[3]
		printf "%-10s %10d %10d %10.3f %14.0f %14.0f\n", label, states, visited, wall,
			visited / (wall > 0 ? wall : 1e-9), visited / (cpu > 0 ? cpu : 1e-9) }'
}
run serial
for j in $jobs; do
	"$siglab" explore -j "$j" --max-states 1 "$scn" > /dev/null 2>&1
	[ $? -eq 2 ] && { echo "(-j not supported by $siglab)"; break; }
	run "-j $j" -j "$j"
done

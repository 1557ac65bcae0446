#!/bin/sh
# How `siglab run` grows with the number of tasks: N processes and a fixed
# 100 kill steps, for N = 1,000 to 100,000.  Prints the run time, the time
# per step, and the time per step per 1,000 tasks (each step settles every
# task and runs the invariant checker, both linear in the tasks: that last
# column stays flat when nothing is worse than linear).
#   bench/scenario_scale.sh [SIGLAB]     (default: build/siglab)
set -u
siglab=${1:-build/siglab}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
steps=100
printf '%8s %10s %12s %22s\n' tasks "run (s)" "ms/step" "us/step/1000 tasks"
for n in 1000 10000 100000; do
	awk -v n="$n" -v steps="$steps" 'BEGIN {
		print "scenario scale"; print "process killer"
		for (i = 0; i < n; i++) print "process p" i
		for (s = 0; s < steps; s++) print "killer: kill p" int(s * n / steps) " SIGTERM"
	}' > "$tmp/s.scn"
	start=$(date +%s.%N)
	"$siglab" run "$tmp/s.scn" > /dev/null || { echo "run failed for $n"; exit 1; }
	end=$(date +%s.%N)
	echo "$start $end $n $steps" | awk '{ t = $2 - $1;
		printf "%8d %10.3f %12.3f %22.2f\n", $3, t, t * 1000 / $4, t * 1e6 / $4 / ($3 / 1000) }'
done

#!/bin/sh
# How `siglab run` grows with the number of tasks: N processes, for N =
# 1,000 to 100,000, run once with 100 kill steps and once with 1,100.
# The difference between the two runs over the 1,000 extra steps is the
# cost of one step (settling the tasks with work, the invariant checker,
# the trace), without the set-up and the final report, which are linear
# in the tasks.  Times are CPU time (user + system), which a busy machine
# moves less than the wall clock.  The ms/step column stays flat when a
# step's cost does not grow with the number of tasks.
#   bench/scenario_scale.sh [SIGLAB]     (default: build/siglab)
set -u
siglab=${1:-build/siglab}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
short=100
long=1100

# cpu_seconds N STEPS: the CPU time of one run of N processes, STEPS kills
cpu_seconds() {
	awk -v n="$1" -v steps="$2" 'BEGIN {
		print "scenario scale"; print "process killer"
		for (i = 0; i < n; i++) print "process p" i
		for (s = 0; s < steps; s++) print "killer: kill p" int(s * n / steps) % n " SIGTERM"
	}' > "$tmp/s.scn"
	/usr/bin/time -f '%U %S' -o "$tmp/time" "$siglab" run "$tmp/s.scn" > /dev/null ||
		{ echo "run failed for $1 tasks" >&2; exit 1; }
	awk '{ print $1 + $2 }' "$tmp/time"
}

printf '%8s %16s %16s %12s\n' tasks "run, 100 steps" "run, 1100 steps" "ms/step"
for n in 1000 10000 100000; do
	a=$(cpu_seconds "$n" "$short") || exit 1
	b=$(cpu_seconds "$n" "$long") || exit 1
	echo "$n $a $b" | awk -v d=$((long - short)) '{
		per = ($3 - $2) * 1000 / d; if (per < 0) per = 0
		printf "%8d %14.2f s %14.2f s %12.3f\n", $1, $2, $3, per }'
done

#!/bin/sh
# The distributed search (siglab-mpi under mpirun) against the serial one
# (siglab explore): the same stdout, stderr and exit status, byte for
# byte, on every golden explore scenario (tests/explore/*.scn, and the
# examples with exists/forall) and on random scenarios; for a search cut
# short by its bound (exit 3) only the status, as with threads
# (scripts/explore.sh).
#   scripts/mpi.sh [--quick] SIGLAB SIGLAB_MPI [NP]
# --quick: a few of each (make check).  MPIRUN_ARGS adds mpirun options
# (a hostfile, --mca ...).
set -u
quick=0
[ "${1:-}" = --quick ] && { quick=1; shift; }
siglab=${1:?usage: mpi.sh [--quick] SIGLAB SIGLAB_MPI [NP]}
mpi=${2:?usage: mpi.sh [--quick] SIGLAB SIGLAB_MPI [NP]}
np=${3:-2}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
run="mpirun -q --oversubscribe -np $np ${MPIRUN_ARGS:-}"
# mpirun refuses root unless told (a container, CI)
[ "$(id -u)" -eq 0 ] && run="$run --allow-run-as-root"
n=0 fail=0

check() {	# check SCN [ARGS...]: serial vs distributed
	scn=$1
	shift
	"$siglab" explore "$@" "$scn" > "$tmp/serial" 2>&1
	echo "exit $?" >> "$tmp/serial"
	# shellcheck disable=SC2086  # run is words
	timeout 300 $run "$mpi" "$@" "$scn" > "$tmp/dist" 2>&1
	echo "exit $?" >> "$tmp/dist"
	n=$((n + 1))
	if grep -q '^exit 3$' "$tmp/serial"; then
		[ "$(tail -n 1 "$tmp/serial")" = "$(tail -n 1 "$tmp/dist")" ] && return
	elif cmp -s "$tmp/serial" "$tmp/dist"; then
		return
	fi
	fail=$((fail + 1))
	echo "mpi: $scn $*: the distributed search (-np $np) differs from the serial one:"
	diff "$tmp/serial" "$tmp/dist" | head -n 20
}

# The golden scenarios, with their own options.
i=0
for scn in tests/explore/*.scn examples/*.scn; do
	case $scn in
	examples/*) grep -Eq '^[[:space:]]*(exists|forall)[[:space:]]' "$scn" || continue ;;
	esac
	i=$((i + 1))
	[ $quick -eq 1 ] && [ $((i % 8)) -ne 1 ] && continue
	args=$(sed -n 's/^# explore-args://p' "$scn" | head -n 1)
	# shellcheck disable=SC2086  # the options are words
	check "$scn" $args
done

# Random scenarios (test_explore.c's shapes): three processes, handlers
# that signal, one or two par blocks of random kills, masks, dispositions
# and queued signals; seeded, so the same on every run.
random_scn() {	# random_scn SEED > FILE
	awk -v seed="$1" 'BEGIN {
		srand(seed)
		split("SIGUSR1 SIGUSR2 SIGSTOP SIGCONT SIGRTMIN SIGTERM SIGCHLD", sigs, " ")
		split("h0 h1 SIG_IGN SIG_DFL", disp, " ")
		print "scenario random-" seed
		print "process p0\nprocess p1 pgrp=p0\nprocess p2"
		print "handler h0 { kill p2 SIGUSR2 }\nhandler h1 { log \"h1\" }"
		print "p0: sigaction SIGUSR1 h0\np1: sigaction SIGUSR2 h1\np2: sigaction SIGRTMIN h1"
		blocks = 1 + int(rand() * 2)
		for (b = 0; b < blocks; b++) {
			print "par {"
			steps = 3 + int(rand() * 3)
			for (i = 0; i < steps; i++) {
				who = int(rand() * 3); to = int(rand() * 3)
				sig = sigs[1 + int(rand() * 7)]
				k = int(rand() * 5)
				if (k < 2) printf "    p%d: kill p%d %s\n", who, to, sig
				else if (k == 2) printf "    p%d: sigprocmask %s {%s}\n", who, rand() < 0.5 ? "block" : "unblock", sig
				else if (k == 3) printf "    p%d: sigaction %s %s\n", who, sig, disp[1 + int(rand() * 4)]
				else printf "    p%d: sigqueue p%d SIGRTMIN value=%d\n", who, to, int(rand() * 3)
			}
			if (b == 0) print "    p2: kill -p0 SIGUSR1"
			print "}"
		}
		print "exists p0 running"
		print "forall (p1 running || p2 handled SIGRTMIN 1)"
	}'
}
count=30
[ $quick -eq 1 ] && count=4
seed=1
while [ "$seed" -le "$count" ]; do
	random_scn "$seed" > "$tmp/random-$seed.scn"
	check "$tmp/random-$seed.scn"
	seed=$((seed + 1))
done

echo "mpi: $n searches with -np $np, $fail differ from the serial search"
[ "$fail" -eq 0 ]

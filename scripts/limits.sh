#!/bin/sh
# The documented limits hold at their edges (docs/scenario-language.md,
# "Limits"; docs/host-oracle.md, "Known limits"): a scenario at a limit
# runs, one past it stops with its own message, in every runner.
#   scripts/limits.sh SIGLAB [FAST_SIGLAB]
# SIGLAB (the sanitized CLI) runs the cheap cases; FAST_SIGLAB (default
# SIGLAB) those that run millions of statements, the host's and the
# 100,000-task run, which take seconds there (and minutes under ASan).
set -u
siglab=${1:?usage: limits.sh SIGLAB [FAST_SIGLAB]}
fast=${2:-$siglab}
dir=tests/limits
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0 n=0

# expect STATUS MESSAGE COMMAND...: COMMAND (bounded to 120 s) exits with
# STATUS and its stderr holds MESSAGE (a fixed string; "" for any).
expect() {
	want=$1 msg=$2
	shift 2
	n=$((n + 1))
	timeout 120 "$@" > "$tmp/out" 2> "$tmp/err"
	st=$?
	if [ "$st" -ne "$want" ] || { [ -n "$msg" ] && ! grep -qF -- "$msg" "$tmp/err"; }; then
		echo "limits: $*: exit $st (want $want), stderr:"
		head -3 "$tmp/err"
		[ -n "$msg" ] && echo "  (want: $msg)"
		fail=$((fail + 1))
	fi
}

# ---- scenario text: 16 MiB (SC_MAX_SOURCE_BYTES) ----
# A comment line of 1000 bytes, repeated up to a target size.
make_scenario() { # FILE BYTES
	{
		printf 'scenario big\nprocess a\na: exit 0\nexpect a exited 0\n'
		awk -v n="$2" 'BEGIN { l = "#"; for (i = 1; i < 1000; i++) l = l "x";
			for (s = 45; s + 1001 <= n; s += 1001) print l }'
	} > "$1"
}
make_scenario "$tmp/under.scn" $((16 * 1024 * 1024 - 2000))
expect 0 "" "$siglab" run "$tmp/under.scn"
make_scenario "$tmp/over.scn" $((16 * 1024 * 1024 + 4000))
expect 2 "larger than" "$siglab" run "$tmp/over.scn"
if [ "$(wc -l < "$tmp/err")" -ne 1 ]; then
	echo "limits: a scenario over 16 MiB: more than one line on stderr"; fail=$((fail + 1))
fi

# ---- statements of repeat and handler bodies: 1,000,000 per step,
# 4,000,000 per run (SC_MAX_STEP_STMTS, SC_MAX_RUN_STMTS) ----
step="the step does not end: it runs more than 1000000 statements of repeat and handler bodies"
expect 0 "" "$fast" run "$dir/step-edge.scn"
expect 2 "$dir/nested-repeat.scn:5:4: $step" "$fast" run "$dir/nested-repeat.scn"
expect 2 "$dir/deep-repeat.scn:4:4: $step" "$fast" run "$dir/deep-repeat.scn"
expect 2 "$dir/handler-repeats.scn:12:4: $step" "$fast" run "$dir/handler-repeats.scn"
expect 2 "$dir/run-total.scn:9:4: the scenario does not end: it runs more than 4000000 statements of repeat and handler bodies in all" \
	"$fast" run "$dir/run-total.scn"
expect 2 "$dir/nested-repeat.scn:5:4: $step" "$fast" explore "$dir/nested-repeat.scn"
expect 2 "$dir/handler-repeats.scn:12:4: $step" "$fast" explore "$dir/handler-repeats.scn"

# ---- handler runs: 100,000 per step (SC_MAX_STEP_HANDLER_RUNS) ----
runs="$dir/handler-runs.scn:7:4: the scenario does not settle: more than 100000 handler runs in one step"
expect 2 "$runs" "$fast" run "$dir/handler-runs.scn"

# ---- a fault handler that returns: 64 re-executions in the model ----
expect 2 "$dir/fault-returns.scn:8:4: the fault handler keeps returning" \
	"$siglab" run "$dir/fault-returns.scn"

# ---- nested handlers: 1000 in the model, at the step ----
expect 2 "$dir/handler-depth.scn:8:4: the scenario does not settle: task 'a' takes more than 1000 signals in a row" \
	"$siglab" run "$dir/handler-depth.scn"

# ---- tasks: no limit but memory in the model; 100,000 run ----
awk 'BEGIN { print "scenario tasks"; print "process killer"
	for (i = 0; i < 100000; i++) print "process p" i
	for (s = 0; s < 10; s++) print "killer: kill p" s * 9999 " SIGTERM"
	print "expect p89991 killed SIGTERM" }' > "$tmp/tasks.scn"
expect 0 "" "$fast" run "$tmp/tasks.scn"

# ---- the host: the same limits, and its own (docs/host-oracle.md) ----
if [ "$(id -u)" -eq 0 ] && "$fast" host --help > /dev/null 2>&1; then
	# the same errors as the model (with time to get there)
	expect 2 "$dir/nested-repeat.scn:5:4: $step" "$fast" host --timeout 100000 "$dir/nested-repeat.scn"
	expect 2 "$runs" "$fast" host --timeout 100000 "$dir/handler-runs.scn"
	# 48 nested handler frames in an agent: a runtime failure, not "exited 125"
	expect 1 "task a nested handlers more than 48 deep, the host agent's limit" \
		"$fast" host "$dir/handler-depth.scn"
	# 64 tasks
	awk 'BEGIN { print "scenario many"; for (i = 0; i < 65; i++) print "process p" i
		print "p0: log \"x\"" }' > "$tmp/many.scn"
	expect 0 "" "$fast" host "$tmp/many.scn"
	grep -q "skipped: more than 64 tasks" "$tmp/out" || {
		echo "limits: host on 65 tasks did not skip:"; head -3 "$tmp/out"; fail=$((fail + 1)); }
else
	echo "limits: host cases skipped (not root)"
fi

echo "limits: $n cases, $fail failed"
[ "$fail" -eq 0 ]

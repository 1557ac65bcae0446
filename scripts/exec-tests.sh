#!/bin/sh
# The per-call programs (tests/exec/calls/*.c) run natively and under
# `siglab exec --`: each prints a deterministic transcript of one family of
# calls and checks every result against Linux's (tests/exec/calls/t.h).
#
#   scripts/exec-tests.sh [SIGLAB] [NAME...]     (default build/siglab, all)
#
# Each program is built dynamic (-O0) and static (-O0 -static) into
# build/exec-tests/.  Natively, the transcript (stdout, stderr, exit status:
# scripts/exec-lib.sh) must match tests/exec/calls/NAME.out, taken from this
# machine's kernel; under exec it must match the native run.  While
# `SIGLAB exec --help` fails, the exec half is skipped with the reason.
# With EXEC_DIFF=1, each also runs under `SIGLAB exec --diff --`, which must
# agree (exit 0).
# Exit status: 0 when every comparison holds, 1 otherwise.
set -u
. scripts/exec-lib.sh
siglab=build/siglab
case ${1:-} in */*) siglab=$1; shift ;; esac
out=build/exec-tests
mkdir -p "$out"
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

exec=1
if ! exec_available "$siglab"; then
	echo "exec-tests: exec half skipped: '$siglab exec --help' fails (siglab exec not built yet)"
	exec=0
fi
siglab_abs=$(cd "$(dirname "$siglab")" 2>/dev/null && pwd)/$(basename "$siglab")

names=$*
[ -n "$names" ] || names=$(cd tests/exec/calls && ls *.c | sed 's/\.c$//')
n_native=0 n_native_ok=0 n_exec=0 n_exec_ok=0 n_diff=0 n_diff_ok=0 n_fail=0
for name in $names; do
	for v in dyn static; do
		bin=$out/$name-$v
		if [ ! "$bin" -nt "tests/exec/calls/$name.c" ] || [ ! "$bin" -nt tests/exec/calls/t.h ]; then
			flags=
			[ "$v" = static ] && flags=-static
			if ! gcc -std=gnu11 -O0 -Wall -Wextra -Werror $flags -o "$bin" \
				"tests/exec/calls/$name.c" -lpthread -lrt; then
				echo "  FAIL build   $name-$v"
				n_fail=$((n_fail + 1))
				continue
			fi
		fi
		compare_runs "$name-$v" "$(pwd)/$bin" "" "tests/exec/calls/$name.out" \
			"$siglab_abs" "$exec" "$tmp"
	done
done
echo "exec-tests: native $n_native_ok/$n_native ok," \
	"$(exec_summary)," \
	"$n_fail failed"
[ "$n_fail" -eq 0 ]

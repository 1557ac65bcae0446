#!/bin/sh
# The seeds' C programs (examples/c/) run natively and under `siglab exec --`:
# the same stdout, stderr and exit status both ways.
#
#   scripts/exec-examples.sh [SIGLAB]        (default build/siglab)
#
# Each program is built with gcc in the variants listed below (dynamic and
# static; -O0, and -O2 where the program means the same at -O2) into
# build/exec-examples/.  Natively, a program with an expected transcript
# (examples/c/NAME.out, see scripts/exec-lib.sh) must match it; under exec,
# every run must match the native run.  While `SIGLAB exec --help` fails the
# exec half is skipped with the reason, and the native half still runs.
# With EXEC_DIFF=1, each also runs under `SIGLAB exec --diff --`, which must
# agree (exit 0).
# Exit status: 0 when every comparison holds, 1 otherwise.
set -u
. scripts/exec-lib.sh
siglab=${1:-build/siglab}
out=build/exec-examples
mkdir -p "$out"
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

# NAME VARIANTS: O0 = -O0 dynamic, O2 = -O2 dynamic, static = -O0 -static.
# fpe-longjmp is -O0 only: at -O2 gcc turns i / 0 into ud2 (SIGILL).
programs="
fpe-longjmp	O0 static
kill-handler	O0 O2 static
block-pending	O0 O2 static
sigchld-ign	O0 O2 static
nocldwait	O0 O2 static
pdeathsig	O0 O2 static
ptrace-tracer	O0 static
"

exec=1
if ! exec_available "$siglab"; then
	echo "exec-examples: exec half skipped: '$siglab exec --help' fails (siglab exec not built yet)"
	exec=0
fi
siglab_abs=$(cd "$(dirname "$siglab")" 2>/dev/null && pwd)/$(basename "$siglab")

build() {
	b_src=examples/c/$1.c b_bin=$out/$1-$2
	[ "$b_bin" -nt "$b_src" ] && return 0
	case $2 in
	O0) gcc -O0 -w -o "$b_bin" "$b_src" ;;
	O2) gcc -O2 -w -o "$b_bin" "$b_src" ;;
	static) gcc -O0 -w -static -o "$b_bin" "$b_src" ;;
	esac
}

# The tracer prints registers that hold pids (after rt_sigreturn, the
# registers of the kill that preceded it; the return of set_tid_address):
# those lines are masked, since pids differ between runs.
cat > "$tmp/tracer.sed" <<'EOF'
s/^\( RETURN  15:\).*/\1 (masked: holds a pid)/
s/^\( RETURN 218:\).*/\1 (masked: holds a pid)/
EOF

n_native=0 n_native_ok=0 n_exec=0 n_exec_ok=0 n_diff=0 n_diff_ok=0 n_fail=0
echo "$programs" | while read -r name variants; do
	[ -n "$name" ] || continue
	for v in $variants; do
		if ! build "$name" "$v"; then
			echo "  FAIL build   $name-$v"
			echo fail >> "$tmp/failed"
			continue
		fi
		bin=$(pwd)/$out/$name-$v
		if [ "$name" = ptrace-tracer ]; then
			# The traced program: seed 000's, static, by absolute
			# path (it prints no pid; its SIGFPEs pass the tracer).
			# 20 s under exec: natively it takes milliseconds.
			exec_limit=20
			compare_runs "$name-$v" "$bin" "$tmp/tracer.sed" "" \
				"$siglab_abs" "$exec" "$tmp" "$(pwd)/$out/fpe-longjmp-static"
			exec_limit=60
		else
			compare_runs "$name-$v" "$bin" "" "examples/c/$name.out" \
				"$siglab_abs" "$exec" "$tmp"
		fi
		echo "$n_native $n_native_ok $n_exec $n_exec_ok $n_diff $n_diff_ok $n_fail" > "$tmp/counts"
	done
done
read -r n_native n_native_ok n_exec n_exec_ok n_diff n_diff_ok n_fail < "$tmp/counts"
[ -f "$tmp/failed" ] && n_fail=$((n_fail + $(wc -l < "$tmp/failed")))
echo "exec-examples: native $n_native_ok/$n_native ok," \
	"$(exec_summary)," \
	"$n_fail failed"
[ "$n_fail" -eq 0 ]

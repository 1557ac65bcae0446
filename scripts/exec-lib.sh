# Shared by scripts/exec-examples.sh and scripts/exec-tests.sh: build C
# programs, run them natively and under `siglab exec --`, compare.
#
# A transcript is the program's stdout, then its stderr (after a
# "--- stderr" line, when there is any), then "--- exit N" (N as a shell
# reports it: 128+SIG for a death by signal, 124 for the time limit).
# Each runs in its own session; what it leaves behind is killed.
# Programs run with ASLR off and an empty environment, so that an address
# the program prints is the same in every run.

# exec_available SIGLAB: true when `SIGLAB exec --help` succeeds.
exec_available() {
	"$1" exec --help > /dev/null 2>&1
}

# The runner (tests/peer/run1.c): the program in its own session, its time
# bounded, every descendant it leaves killed and reaped.
run1=build/run1
if [ ! -x "$run1" ] || [ tests/peer/run1.c -nt "$run1" ]; then
	mkdir -p build
	cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o "$run1" tests/peer/run1.c || exit 2
fi
run1=$(pwd)/$run1

# transcript OUT TIMEOUT PROGRAM ARGS...: run PROGRAM, write its transcript.
transcript() {
	t_out=$1 t_limit=$2
	shift 2
	set -- $("$run1" -e "$t_out.stderr" "$t_limit" "$t_out.stdout" \
		setarch -R env -i PATH=/usr/bin:/bin "$@")
	case $1 in
	SIGNAL) t_rc=$((128 + $2)) ;;
	TIMEOUT) t_rc=124 ;;
	*) t_rc=$2 ;;
	esac
	cat "$t_out.stdout" > "$t_out"
	if [ -s "$t_out.stderr" ]; then
		printf -- '\n--- stderr\n' >> "$t_out"
		cat "$t_out.stderr" >> "$t_out"
	fi
	printf -- '\n--- exit %d\n' "$t_rc" >> "$t_out"
	rm -f "$t_out.stdout" "$t_out.stderr"
}

# exec_summary: the exec part of a script's last line.
exec_summary() {
	if [ "$exec" -ne 1 ]; then
		echo "exec skipped"
	elif [ "${EXEC_DIFF:-0}" = 1 ]; then
		echo "exec $n_exec_ok/$n_exec ok, exec --diff $n_diff_ok/$n_diff agree"
	else
		echo "exec $n_exec_ok/$n_exec ok"
	fi
}

# show_diff EXPECTED ACTUAL: the first lines of a unified diff.
show_diff() {
	diff -u "$1" "$2" | head -40 | sed 's/^/    /'
}

# diff_agrees_masked DIFF FILTER: --diff's verdict DIVERGE came only from
# what FILTER masks (pids a program prints): same status, trace the same
# (or not compared), and the two outputs equal once masked.
diff_agrees_masked() {
	grep -q '^status: native \([0-9]*\), exec \1$' "$1" || return 1
	grep -q '^trace: .*differ$' "$1" && return 1
	awk '/^--- native$/{f=1;next} /^--- exec$/{f=0} f' "$1" | sed -f "$2" > "$1.n"
	awk '/^--- exec$/{f=1;next} /^--- native trace$|^DIVERGE$/{f=0} f' "$1" | sed -f "$2" > "$1.x"
	cmp -s "$1.n" "$1.x"
}

# compare_runs NAME BIN FILTER EXPECTED SIGLAB EXEC TMP [ARGS...]
# (time limits: 30 s native, $exec_limit s under exec, default 60)
# Runs BIN natively (and checks it against EXPECTED when that file exists),
# then under SIGLAB exec when EXEC is 1; FILTER (a sed script, or "") masks
# what differs between any two runs (pids).  Counts into the globals
# n_native n_native_ok n_exec n_exec_ok n_diff n_diff_ok n_fail and lists
# failures.
compare_runs() {
	c_name=$1 c_bin=$2 c_filter=$3 c_expected=$4 c_siglab=$5 c_exec=$6 c_tmp=$7
	shift 7
	n_native=$((n_native + 1))
	transcript "$c_tmp/native" 30 "$c_bin" "$@"
	if [ -n "$c_filter" ]; then
		sed -f "$c_filter" "$c_tmp/native" > "$c_tmp/native.f"
		mv "$c_tmp/native.f" "$c_tmp/native"
	fi
	if [ -f "$c_expected" ] && ! cmp -s "$c_expected" "$c_tmp/native"; then
		echo "  FAIL native  $c_name: differs from $c_expected"
		show_diff "$c_expected" "$c_tmp/native"
		n_fail=$((n_fail + 1))
	else
		n_native_ok=$((n_native_ok + 1))
		echo "  ok   native  $c_name"
	fi
	[ "$c_exec" -eq 1 ] || return 0
	n_exec=$((n_exec + 1))
	transcript "$c_tmp/exec" "${exec_limit:-60}" "$c_siglab" exec -- "$c_bin" "$@"
	if [ -n "$c_filter" ]; then
		sed -f "$c_filter" "$c_tmp/exec" > "$c_tmp/exec.f"
		mv "$c_tmp/exec.f" "$c_tmp/exec"
	fi
	if cmp -s "$c_tmp/native" "$c_tmp/exec"; then
		n_exec_ok=$((n_exec_ok + 1))
		echo "  ok   exec    $c_name"
	else
		echo "  FAIL exec    $c_name: differs from the native run"
		show_diff "$c_tmp/native" "$c_tmp/exec"
		n_fail=$((n_fail + 1))
	fi
	# EXEC_DIFF=1: also `siglab exec --diff`, which must agree (exit 0).
	[ "${EXEC_DIFF:-0}" = 1 ] || return 0
	n_diff=$((n_diff + 1))
	transcript "$c_tmp/diff" 60 "$c_siglab" exec --diff -- "$c_bin" "$@"
	if tail -1 "$c_tmp/diff" | grep -q -- '--- exit 0$' ||
	   { [ -n "$c_filter" ] && diff_agrees_masked "$c_tmp/diff" "$c_filter"; }; then
		n_diff_ok=$((n_diff_ok + 1))
		echo "  ok   diff    $c_name"
	else
		echo "  FAIL diff    $c_name: siglab exec --diff disagrees"
		sed 's/^/    /' "$c_tmp/diff" | tail -20
		n_fail=$((n_fail + 1))
	fi
}

#!/bin/bash
# siglab exec against the real kernel: every tests/exec/*.c program is
# compiled (dynamic, and static when the C library allows), run natively
# and under `siglab exec`, and the two outputs and exit statuses must be
# the same bytes; the dynamic build also under `siglab exec
# --virtual-time`.  Each run is bounded in time.  Skipped, with the reason,
# when this machine does not allow ptrace or seccomp filters.
set -u
siglab=${1:?usage: exectests.sh SIGLAB}
cc=${CC:-cc}
limit=${EXEC_TEST_TIMEOUT:-20}
fail=0 n=0 flaky=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

if ! timeout "$limit" "$siglab" exec -- /bin/true > "$tmp/probe" 2>&1; then
	echo "exectests: skipped: siglab exec cannot trace here: $(head -1 "$tmp/probe")"
	exit 0
fi
run() {	# run OUT CMD...: stdout+stderr of the program and its status
	out=$1; shift
	# (the shell's own "Segmentation fault" report goes to /dev/null)
	{ timeout -s KILL "$limit" "$@" > "$out" 2>&1; } 2>/dev/null
	echo "status $?" >> "$out"
}
for src in tests/exec/*.c; do
	name=$(basename "$src" .c)
	"$cc" -O1 -w -o "$tmp/$name" "$src" -lpthread -lm || { fail=$((fail + 1)); continue; }
	bins="$name"
	if "$cc" -O1 -w -static -o "$tmp/$name-static" "$src" -lpthread -lm 2>/dev/null; then
		bins="$bins $name-static"
	fi
	for b in $bins; do
		run "$tmp/$b.native" "$tmp/$b"
		for mode in exec virtual; do
			[ "$mode" = virtual ] && [ "$b" != "$name" ] && continue
			n=$((n + 1))
			opt=
			[ "$mode" = virtual ] && opt=--virtual-time
			run "$tmp/$b.$mode" "$siglab" exec $opt -- "$tmp/$b"
			# A run that differs is run once more: under load a
			# guest's timing can change what it prints (a guest in a
			# host call looks blocked to --virtual-time); one that
			# agrees then is reported, never hidden.
			if ! cmp -s "$tmp/$b.native" "$tmp/$b.$mode"; then
				cp "$tmp/$b.$mode" "$tmp/$b.$mode.first"
				run "$tmp/$b.$mode" "$siglab" exec $opt -- "$tmp/$b"
				if cmp -s "$tmp/$b.native" "$tmp/$b.$mode"; then
					echo "exectests: $b: exec $opt differed once, agreed on a second run:"
					diff "$tmp/$b.native" "$tmp/$b.$mode.first" | head -10
					flaky=$((flaky + 1))
				fi
			fi
			if ! cmp -s "$tmp/$b.native" "$tmp/$b.$mode"; then
				echo "exectests: $b: native and exec $opt differ:"
				diff "$tmp/$b.native" "$tmp/$b.$mode" | head -20
				fail=$((fail + 1))
			fi
		done
	done
done
# --diff itself (outputs, statuses and, as root, the traces) agrees on
# the programs whose trace their own timing does not decide (not
# threads_read: which thread takes a process signal; not wait_stop: a
# SIGKILL racing the continued child; docs/exec.md).
for name in fpe_longjmp fork_wait segv_handler sigaltstack sigchld_ign pdeathsig \
	    signalfd_wait setuid_kill reap_race sigpipe; do
	n=$((n + 1))
	if ! timeout -s KILL "$limit" "$siglab" exec --diff -- "$tmp/$name" > "$tmp/diff.out" 2>&1 ||
	   ! grep -q '^agree$' "$tmp/diff.out"; then
		echo "exectests: siglab exec --diff $name does not agree:"
		head -40 "$tmp/diff.out"
		fail=$((fail + 1))
	fi
done
# A signal from outside the tree (this script) to a guest asleep in the
# model, natively and under exec.
n=$((n + 1))
"$cc" -O1 -w -o "$tmp/wait_usr1" tests/exec/outside/wait_usr1.c
for mode in native exec; do
	if [ $mode = native ]; then "$tmp/wait_usr1" > "$tmp/out.$mode" 2>&1 & launcher=$!
	else "$siglab" exec -- "$tmp/wait_usr1" > "$tmp/out.$mode" 2>&1 & launcher=$!; fi
	for _ in $(seq 50); do grep -q ready "$tmp/out.$mode" 2>/dev/null && break; sleep 0.1; done
	target=$launcher
	[ $mode = exec ] && target=$(pgrep -P "$launcher" | head -1)
	kill -USR1 "$target" 2>/dev/null
	for _ in $(seq 50); do kill -0 "$launcher" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$launcher" 2>/dev/null
	wait "$launcher" 2>/dev/null
done
if ! cmp -s "$tmp/out.native" "$tmp/out.exec"; then
	echo "exectests: a signal from outside: native and exec differ:"
	diff "$tmp/out.native" "$tmp/out.exec"
	fail=$((fail + 1))
fi

# --trace: seed 000's ten faults, each delivered to the handler and left
# by longjmp, in run's vocabulary
n=$((n + 1))
timeout -s KILL "$limit" "$siglab" exec --trace -- "$tmp/fpe_longjmp" 2> "$tmp/trace" > /dev/null
for want in 'signal_generate sig=8 errno=0 code=1 .* grp=0 res=0' \
	    'signal_deliver sig=8 errno=0 code=1 sa_handler=0x[0-9a-f]* sa_flags=40000000' \
	    'handler 0x[0-9a-f]* sig=8 code=1' 'longjmp$'; do
	if [ "$(grep -c "^\[[0-9]*\] $want" "$tmp/trace")" != 10 ]; then
		echo "exectests: --trace of fpe_longjmp: not ten lines of '$want':"
		cat "$tmp/trace"
		fail=$((fail + 1))
		break
	fi
done
echo "exectests: $n runs, $fail differ, $flaky agreed only on a second run"
[ "$fail" -eq 0 ]

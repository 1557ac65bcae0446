#!/bin/sh
# An interrupt stops `host`, `diff`, `fuzz` and `explore`: exit 130, a message that
# names the signal, after clean-up (host, diff) or with what was found so
# far (explore), wherever it lands: in a run, between files, after the
# last step.  Every command runs in the background, is signalled by its
# pid, and is killed after 60 s should it not stop.
#   scripts/interrupts.sh SIGLAB
set -u
siglab=${1:?usage: interrupts.sh SIGLAB}
siglab=$(cd "$(dirname "$siglab")" && pwd)/$(basename "$siglab")
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0

# run_signalled SIG DELAY COMMAND...: starts COMMAND, sends SIG after DELAY
# seconds, waits (at most 60 s); $st is its exit status.
run_signalled() {
	sig=$1 delay=$2
	shift 2
	"$@" > "$tmp/out" 2> "$tmp/err" &
	pid=$!
	sleep "$delay"
	# A command that has already exited (a zombie not yet waited for) was
	# not interrupted: such a run says nothing, and is not counted.
	sent=0
	case $(cut -d' ' -f3 "/proc/$pid/stat" 2> /dev/null) in
	Z | '') ;;
	*) kill -s "$sig" "$pid" 2> /dev/null && sent=1 ;;
	esac
	i=0
	while kill -0 "$pid" 2> /dev/null && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -s KILL "$pid" 2> /dev/null
	wait "$pid"
	st=$?
}

# check WHAT SIG: the last command exited 130 and said it was interrupted
# by SIG, in words.  Returns 1 also when the signal could not be sent
# (the command had ended): then there is nothing more to check.
check() {
	[ "$sent" -eq 1 ] || return 1
	n=$((n + 1))
	if [ "$st" -ne 130 ] || ! grep -q "interrupted by SIG$2" "$tmp/err" ||
	   grep -q "hc_\|signal [0-9]" "$tmp/err"; then
		echo "interrupts: $1: exit $st, stderr:"; head -3 "$tmp/err"
		fail=$((fail + 1))
		return 1
	fi
	return 0
}

cd "$tmp" || exit 2
printf 'scenario skip\nmodel-only "the test needs a quick file"\nprocess a\na: log "x"\n' > s
# a run of about 0.3 s: the clock's step sleeps 0.1 s per scenario second
printf 'scenario one\nprocess a\na: log "x"\nadvance 2s\na: log "y"\n' > one.scn

# host and diff, SIGINT between files: a run of 0.3 s, then 150,000
# files skipped in microseconds each; the interrupt comes while they are
# read (or, on a slow machine, in the run: 130 all the same).
# shellcheck disable=SC2046
set -- one.scn $(yes s | head -150000)
run_signalled INT 0.5 "$siglab" host "$@"
check "host on 150,001 files, SIGINT" INT &&
	if [ "$(grep -c skipped "$tmp/out")" -ge 150000 ]; then
		echo "interrupts: host reported every file after SIGINT"; fail=$((fail + 1))
	fi
run_signalled INT 0.5 "$siglab" diff "$@"
check "diff on 150,001 files, SIGINT" INT

# host, SIGTERM anywhere in a run (the last settle included) or between
# two: always 130, never a complete trace with exit 0.
if [ "$(id -u)" -eq 0 ]; then
	for d in 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8; do
		# shellcheck disable=SC2046
		run_signalled TERM "$d" "$siglab" host $(yes one.scn | head -20)
		check "host, SIGTERM after $d s" TERM
	done
fi

# fuzz, SIGTERM and SIGINT anywhere in a campaign (generating, in a host
# run, shrinking, between two scenarios): 130 after clean-up.
if [ "$(id -u)" -eq 0 ]; then
	for d in 0.2 0.7 1.5 3; do
		run_signalled TERM "$d" "$siglab" fuzz --seed 1 --count 100000 --out "$tmp/fz"
		check "fuzz, SIGTERM after $d s" TERM
	done
	run_signalled INT 1 "$siglab" fuzz --seed 500 --count 100000 --out "$tmp/fz"
	check "fuzz, SIGINT after 1 s" INT
fi

# explore, SIGINT: the outcomes found so far, and 130.
{
	echo "scenario wide"; echo "process t"
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do echo "process p$i"; done
	echo 'handler h { log "h" }'; echo "t: sigaction SIGUSR1 h"; echo "par {"
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		echo "    p$i: kill t SIGRTMIN+$i"; done
	echo "}"
} > wide.scn
run_signalled INT 1 "$siglab" explore --max-states 100000000 wide.scn
check "explore, SIGINT" INT &&
	if ! grep -q "INCOMPLETE: the search was interrupted" "$tmp/out"; then
		echo "interrupts: explore printed no partial result:"; head -3 "$tmp/out"
		fail=$((fail + 1))
	fi

echo "interrupts: $n cases, $fail failed"
[ "$fail" -eq 0 ]

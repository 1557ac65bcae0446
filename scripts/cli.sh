#!/bin/sh
# The command line's conventions, checked on the built program:
#   scripts/cli.sh [build/siglab]
# --version and -V; help COMMAND and COMMAND --help for every command (the
# usage on stdout, nothing on stderr, exit 0); an unknown command or option
# on stderr with exit 2; `run` with several files, `-` for standard input,
# `--` before a file that starts with '-'; --svg never writes over a
# scenario; every usage error of every command says "siglab CMD: message"
# on its first line of stderr and exits 2, a scenario error
# "file:line:col: message".  Each check prints "ok" or "FAIL"; the exit
# status is 1 when any failed.
set -u
S=$(realpath "${1:-build/siglab}")
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT
fails=0

ok() { echo "ok   $1"; }
fail() { echo "FAIL $1"; fails=$((fails + 1)); }
# check NAME WANT_STATUS COMMAND...: the status, and whether stdout and
# stderr are as the status says (output on stdout for 0, a message on
# stderr otherwise).
check() {
	name=$1 want=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err" </dev/null
	got=$?
	if [ "$got" -ne "$want" ]; then
		fail "$name: exit $got, want $want"
	elif [ "$want" -eq 0 ] && { [ ! -s "$T/out" ] || [ -s "$T/err" ]; }; then
		fail "$name: want output on stdout only"
	elif [ "$want" -ne 0 ] && [ ! -s "$T/err" ]; then
		fail "$name: no message on stderr"
	else
		ok "$name"
	fi
}

check "--version" 0 "$S" --version
check "-V" 0 "$S" -V
grep -q '^siglab [0-9]*\.[0-9]*\.[0-9]* (libsiglab [0-9.]*)$' "$T/out" &&
	ok "version format" || fail "version format: $(cat "$T/out")"
check "--help" 0 "$S" --help
check "help" 0 "$S" help
check "no command" 2 "$S"
check "unknown command" 2 "$S" frobnicate
check "help unknown" 2 "$S" help frobnicate
for c in run explore host diff table why ps exec fuzz; do
	check "help $c" 0 "$S" help "$c"
	grep -q "^usage: siglab $c" "$T/out" || fail "help $c: no usage line"
	check "$c --help" 0 "$S" "$c" --help
	check "$c --version" 0 "$S" "$c" --version
	check "$c --frobnicate" 2 "$S" "$c" --frobnicate
done
# every option run takes is in its synopsis
"$S" run --help >"$T/out"
for o in --explain --json --quiet --svg --; do
	grep -q -- "\[$o" "$T/out" || fail "run synopsis lacks $o"
done

cat >"$T/a.scn" <<'SCN'
scenario cli-a
process a
a: kill a SIGUSR1
expect a killed SIGUSR1
SCN
cat >"$T/b.scn" <<'SCN'
scenario cli-b
process b
b: sigaction SIGUSR1 SIG_IGN
b: kill b SIGUSR1
expect b running
SCN
cp "$T/a.scn" "$T/-dash.scn"
check "run two files" 0 "$S" run "$T/a.scn" "$T/b.scn"
[ "$(grep -c '^==> ' "$T/out")" -eq 2 ] && ok "run two files: two headers" ||
	fail "run two files: headers"
"$S" run - <"$T/a.scn" >"$T/out" 2>"$T/err" && grep -q 'expect a killed SIGUSR1: ok' "$T/out" &&
	ok "run - (standard input)" || fail "run -: $(cat "$T/err")"
"$S" explore - <"$T/a.scn" >"$T/out" 2>"$T/err" && grep -q '^# explore cli-a' "$T/out" &&
	ok "explore - (standard input)" || fail "explore -: $(cat "$T/err")"
check "table --" 0 "$S" table --
cd "$T" && check "run -- -dash.scn" 0 "$S" run -- -dash.scn
check "explore -- -dash.scn" 0 "$S" explore -- -dash.scn
cd - >/dev/null
check "run --svg into a .scn" 2 "$S" run --svg "$T/b.scn" "$T/a.scn"
cmp -s "$T/b.scn" "$T/b.scn" && grep -q 'scenario cli-b' "$T/b.scn" && ok "b.scn untouched" ||
	fail "b.scn overwritten"
ln -s "$T/a.scn" "$T/a.svg"
check "run --svg onto the input" 2 "$S" run --svg "$T/a.svg" "$T/a.scn"
grep -q 'scenario cli-a' "$T/a.scn" && ok "a.scn untouched" || fail "a.scn overwritten"
rm "$T/a.svg"
check "run --svg two files" 2 "$S" run --svg "$T/t.svg" "$T/a.scn" "$T/b.scn"
check "run --svg" 0 "$S" run --svg "$T/t.svg" "$T/a.scn"
grep -q '^<svg' "$T/t.svg" && ok "svg written" || fail "svg not written"
printf 'scenario bad\nprocess a\na: kil a SIGUSR1\n' >"$T/bad.scn"
check "scenario error" 2 "$S" run "$T/bad.scn"
grep -q "^$T/bad.scn:3:[0-9]*: " "$T/err" && ok "error as file:line:col" ||
	fail "error format: $(cat "$T/err")"

# usage_error CMD ARGS...: exit 2, and the first line of stderr is
# "siglab CMD: message" (nothing on stdout, but diff's summary line
# when a file cannot be read).
usage_error() {
	cmd=$1
	"$S" "$@" >"$T/out" 2>"$T/err" </dev/null
	got=$?
	first=$(head -n 1 "$T/err")
	if [ "$got" -ne 2 ]; then
		fail "siglab $*: exit $got, want 2"
	elif [ -s "$T/out" ] && ! { [ "$cmd" = diff ] && grep -q '^diff: .* 1 errors$' "$T/out"; }; then
		fail "siglab $*: output on stdout"
	else
		case $first in
		"siglab $cmd: "?*) ok "siglab $*: $first" ;;
		*) fail "siglab $*: first line '$first'" ;;
		esac
	fi
}
for c in run explore host diff table why ps exec fuzz; do
	usage_error "$c" --frobnicate
done
for c in run explore host diff; do
	usage_error "$c"
	usage_error "$c" "$T/none.scn"
	usage_error "$c" -- "$T/none.scn"
done
usage_error run --svg
usage_error explore "$T/a.scn" "$T/b.scn"
usage_error explore --max-states
usage_error explore --max-states 0 "$T/a.scn"
usage_error explore -j x "$T/a.scn"
usage_error host --timeout
usage_error host --timeout 10x "$T/a.scn"
usage_error diff --timeout 0 "$T/a.scn"
usage_error table --arch
usage_error table --arch vax
usage_error table --all --arch arm
usage_error table extra
usage_error why
usage_error why --proc
usage_error why nopid
usage_error why 1 NOSIG
usage_error why 1 TERM extra
usage_error ps --proc
usage_error ps nopid
usage_error exec
usage_error fuzz --seed
usage_error fuzz --seed x
usage_error fuzz --count -1
usage_error fuzz extra
# a scenario error, in every command that reads scenarios: file:line:col
for c in run explore host diff; do
	"$S" $c "$T/bad.scn" >/dev/null 2>"$T/err"
	st=$?
	grep -q "^$T/bad.scn:3:[0-9]*: " "$T/err" && [ "$st" -eq 2 ] &&
		ok "$c: scenario error as file:line:col, exit 2" ||
		fail "$c scenario error: exit $st, $(head -n 1 "$T/err")"
done
[ "$fails" -eq 0 ] && echo "cli: all checks pass" || echo "cli: $fails failed"
[ "$fails" -eq 0 ]

#!/bin/sh
# The CLI's documented limits hold at their edges (docs/scenario-language.md,
# "Limits"): a scenario of just under 16 MiB runs, one just over is refused
# with exit status 2 and one line on stderr.
set -u
siglab=${1:?usage: limits.sh SIGLAB}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

# A comment line of 1000 bytes, repeated up to a target size.
make_scenario() { # FILE BYTES
	{
		printf 'scenario big\nprocess a\na: exit 0\nexpect a exited 0\n'
		awk -v n="$2" 'BEGIN { l = "#"; for (i = 1; i < 1000; i++) l = l "x";
			for (s = 45; s + 1001 <= n; s += 1001) print l }'
	} > "$1"
}

make_scenario "$tmp/under.scn" $((16 * 1024 * 1024 - 2000))
if ! "$siglab" run "$tmp/under.scn" > "$tmp/out" 2>&1; then
	echo "limits: a scenario under 16 MiB was refused:"; head -3 "$tmp/out"; fail=1
fi
make_scenario "$tmp/over.scn" $((16 * 1024 * 1024 + 4000))
"$siglab" run "$tmp/over.scn" > "$tmp/out" 2> "$tmp/err"
st=$?
if [ "$st" -ne 2 ] || [ "$(wc -l < "$tmp/err")" -ne 1 ] || ! grep -q 'larger than' "$tmp/err"; then
	echo "limits: a scenario over 16 MiB: exit $st, stderr:"; head -3 "$tmp/err"; fail=1
fi
[ "$fail" -eq 0 ] && echo "limits: ok"
exit $fail

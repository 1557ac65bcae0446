#!/bin/sh
# Golden scenarios: tests/scenarios/NAME.scn must print exactly
# tests/scenarios/NAME.out with `siglab run` (trace and expectations), and
# print it the same way twice (determinism).
#   scripts/golden.sh SIGLAB            check
#   scripts/golden.sh SIGLAB --update   rewrite the .out files (review the diff!)
set -u
siglab=${1:?usage: golden.sh SIGLAB [--update]}
update=${2:-}
fail=0 n=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
for scn in tests/scenarios/*.scn; do
	out=${scn%.scn}.out
	n=$((n + 1))
	"$siglab" run "$scn" > "$tmp/a" 2>&1
	echo "exit $?" >> "$tmp/a"
	"$siglab" run "$scn" > "$tmp/b" 2>&1
	echo "exit $?" >> "$tmp/b"
	if ! cmp -s "$tmp/a" "$tmp/b"; then
		echo "golden: $scn: two runs differ (not deterministic)"
		fail=$((fail + 1))
		continue
	fi
	if [ "$update" = --update ]; then
		cp "$tmp/a" "$out"
		continue
	fi
	if [ ! -f "$out" ]; then
		echo "golden: $scn: no $out (run scripts/golden.sh $siglab --update and review it)"
		fail=$((fail + 1))
	elif ! diff -u "$out" "$tmp/a" > "$tmp/d"; then
		echo "golden: $scn: trace differs from $out:"
		cat "$tmp/d"
		fail=$((fail + 1))
	fi
done
echo "golden: $n scenarios, $fail failed"
[ "$fail" -eq 0 ]

#!/bin/sh
# Every example runs on the model, all its expectations hold, and two runs
# print the same bytes.
set -u
siglab=${1:?usage: examples.sh SIGLAB}
fail=0 n=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
for scn in examples/*.scn; do
	n=$((n + 1))
	if ! "$siglab" run "$scn" > "$tmp/a" 2>&1; then
		echo "examples: $scn failed:"
		cat "$tmp/a"
		fail=$((fail + 1))
		continue
	fi
	"$siglab" run "$scn" > "$tmp/b" 2>&1
	if ! cmp -s "$tmp/a" "$tmp/b"; then
		echo "examples: $scn: two runs differ (not deterministic)"
		fail=$((fail + 1))
	fi
done
echo "examples: $n scenarios, $fail failed"
[ "$fail" -eq 0 ]

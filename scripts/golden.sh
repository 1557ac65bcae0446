#!/bin/sh
# Golden scenarios: tests/scenarios/NAME.scn must print exactly
# tests/scenarios/NAME.out with `siglab run` (trace and expectations), and
# print it the same way twice (determinism).
#   scripts/golden.sh SIGLAB            check
#   scripts/golden.sh SIGLAB --update   rewrite the .out files (review the diff!)
set -u
siglab=${1:?usage: golden.sh SIGLAB [--update]}
update=${2:-}
tool=golden fail=0 n=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/golden-lib.sh"

run() {	# run SCN OUT
	"$siglab" run "$1" > "$2" 2>&1
	echo "exit $?" >> "$2"
}
produce=run

for scn in tests/scenarios/*.scn; do
	golden_check "$scn" "${scn%.scn}.out"
done
echo "golden: $n scenarios, $fail failed"
[ "$fail" -eq 0 ]

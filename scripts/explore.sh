#!/bin/sh
# Golden outcome sets for siglab explore: tests/explore/NAME.scn must print
# exactly tests/explore/NAME.out (stdout, stderr and the exit status, then
# what `siglab run` prints for the same file: par blocks and conditions
# under run), and
# every example with exists/forall lines must print
# tests/explore/example-NAME.out; each is explored twice and must print
# the same bytes both times (determinism), and with -j 3 (threads) the
# same bytes again, and without the partial-order reduction (--no-por)
# the same bytes again.  A line `# explore-args: ...`
# in a scenario gives explore's options; `# explore-no-run` leaves run's
# output out (when it is long and tested elsewhere).
#   scripts/explore.sh SIGLAB            check
#   scripts/explore.sh SIGLAB --update   rewrite the .out files (review the diff!)
set -u
siglab=${1:?usage: explore.sh SIGLAB [--update]}
update=${2:-}
tool=explore fail=0 n=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/golden-lib.sh"

explore() {	# explore SCN OUT: explore's report, then what `run` prints
	args=$(sed -n 's/^# explore-args://p' "$1" | head -n 1)
	# shellcheck disable=SC2086  # the options are words
	"$siglab" explore $args "$1" > "$2" 2>&1
	echo "exit $?" >> "$2"
	# The parallel search prints the same bytes, but for a search cut
	# short by its bound (exit 3), whose partial counts depend on timing.
	# shellcheck disable=SC2086
	"$siglab" explore -j 3 $args "$1" > "$tmp/par" 2>&1
	echo "exit $?" >> "$tmp/par"
	if ! grep -q '^exit 3$' "$2" && ! cmp -s "$2" "$tmp/par"; then
		echo "== explore -j 3 differs:" >> "$2"
		diff "$2" "$tmp/par" >> "$2"
	fi
	# The reduction skips only moves to states already known: the same
	# report, byte for byte, bound or not.  This run also hashes every
	# state from scratch and checks the incremental hash against it.
	# shellcheck disable=SC2086
	"$siglab" explore --no-por --check-hash $args "$1" > "$tmp/full" 2>&1
	echo "exit $?" >> "$tmp/full"
	if ! cmp -s "$2" "$tmp/full"; then
		echo "== explore --no-por differs:" >> "$2"
		diff "$2" "$tmp/full" >> "$2"
	fi
	grep -q '^# explore-no-run' "$1" && return
	case $1 in
	tests/explore/*)
		echo "== siglab run (the file order)" >> "$2"
		"$siglab" run "$1" >> "$2" 2>&1
		echo "exit $?" >> "$2" ;;
	esac
}
produce=explore

for scn in tests/explore/*.scn examples/*.scn; do
	case $scn in
	examples/*)
		grep -Eq '^[[:space:]]*(exists|forall)[[:space:]]' "$scn" || continue
		base=${scn#examples/}
		out=tests/explore/example-${base%.scn}.out ;;
	*)
		out=${scn%.scn}.out ;;
	esac
	golden_check "$scn" "$out"
done
echo "explore: $n scenarios, $fail failed"
[ "$fail" -eq 0 ]

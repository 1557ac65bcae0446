#!/bin/sh
# Golden outcome sets for siglab explore: tests/explore/NAME.scn must print
# exactly tests/explore/NAME.out (stdout, stderr and the exit status, then
# what `siglab run` prints for the same file: par blocks and conditions
# under run), and
# every example with exists/forall lines must print
# tests/explore/example-NAME.out; each is explored twice and must print
# the same bytes both times (determinism).  A line `# explore-args: ...`
# in a scenario gives explore's options; `# explore-no-run` leaves run's
# output out (when it is long and tested elsewhere).
#   scripts/explore.sh SIGLAB            check
#   scripts/explore.sh SIGLAB --update   rewrite the .out files (review the diff!)
set -u
siglab=${1:?usage: explore.sh SIGLAB [--update]}
update=${2:-}
fail=0 n=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

explore() {	# explore SCN OUT: explore's report, then what `run` prints
	args=$(sed -n 's/^# explore-args://p' "$1" | head -n 1)
	# shellcheck disable=SC2086  # the options are words
	"$siglab" explore $args "$1" > "$2" 2>&1
	echo "exit $?" >> "$2"
	grep -q '^# explore-no-run' "$1" && return
	case $1 in
	tests/explore/*)
		echo "== siglab run (the file order)" >> "$2"
		"$siglab" run "$1" >> "$2" 2>&1
		echo "exit $?" >> "$2" ;;
	esac
}

for scn in tests/explore/*.scn examples/*.scn; do
	case $scn in
	examples/*)
		grep -Eq '^[[:space:]]*(exists|forall)[[:space:]]' "$scn" || continue
		base=${scn#examples/}
		out=tests/explore/example-${base%.scn}.out ;;
	*)
		out=${scn%.scn}.out ;;
	esac
	n=$((n + 1))
	explore "$scn" "$tmp/a"
	explore "$scn" "$tmp/b"
	if ! cmp -s "$tmp/a" "$tmp/b"; then
		echo "explore: $scn: two explorations differ (not deterministic)"
		fail=$((fail + 1))
		continue
	fi
	if [ "$update" = --update ]; then
		cp "$tmp/a" "$out"
		continue
	fi
	if [ ! -f "$out" ]; then
		echo "explore: $scn: no $out (run scripts/explore.sh $siglab --update and review it)"
		fail=$((fail + 1))
	elif ! diff -u "$out" "$tmp/a" > "$tmp/d"; then
		echo "explore: $scn: outcomes differ from $out:"
		cat "$tmp/d"
		fail=$((fail + 1))
	fi
done
echo "explore: $n scenarios, $fail failed"
[ "$fail" -eq 0 ]

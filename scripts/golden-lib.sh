# Shared by golden.sh and explore.sh (sourced): compare what `produce`
# writes for a scenario with its .out file, twice for determinism.
# The caller sets: tool (the name in messages), update (--update or not),
# tmp (a scratch directory), produce (a function: produce SCN FILE), and
# counts in n and fail.

# golden_check SCN OUT
golden_check() {
	n=$((n + 1))
	"$produce" "$1" "$tmp/a"
	"$produce" "$1" "$tmp/b"
	if ! cmp -s "$tmp/a" "$tmp/b"; then
		echo "$tool: $1: two runs differ (not deterministic)"
		fail=$((fail + 1))
		return
	fi
	if [ "$update" = --update ]; then
		cp "$tmp/a" "$2"
		return
	fi
	if [ ! -f "$2" ]; then
		echo "$tool: $1: no $2 (run scripts/$tool.sh with --update and review it)"
		fail=$((fail + 1))
	elif ! diff -u "$2" "$tmp/a" > "$tmp/d"; then
		echo "$tool: $1: output differs from $2:"
		cat "$tmp/d"
		fail=$((fail + 1))
	fi
}

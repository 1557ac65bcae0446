#!/bin/sh
# Every DEVIATION(...) and UNMODELED(...) mark in src/ and include/, one per
# line as "file: text".  docs/deviations.md carries this list between its
# "marks" comments:
#   scripts/marks.sh           print the list
#   scripts/marks.sh --update  rewrite the list in docs/deviations.md
#   scripts/marks.sh --check   fail when docs/deviations.md is out of date
cd "$(dirname "$0")/.." || exit 2
list() {
	grep -rn -A6 -E 'DEVIATION\(|UNMODELED\(' src include | awk '
		function flush() { if (buf != "") print buf; buf = ""; open = 0 }
		/(DEVIATION|UNMODELED)\(/ {
			flush(); line = $0
			sub(/^[^:]+:[0-9]+:[ \t]*(\/\*|\*)?[ \t]*/, "", line)
			file = $0; sub(/:.*/, "", file)
			buf = file ": " line; open = 1
			if (line ~ /\)[^()]*$/) flush()
			next }
		open && /^[^ ]+-[0-9]+-/ { line = $0
			sub(/^[^ ]+-[0-9]+-[ \t]*\*?[ \t]*/, "", line)
			buf = buf " " line
			if (line ~ /\)[^()]*$/ || line ~ /\*\//) flush()
			next }
		{ flush() }
		END { flush() }' | sed -E 's/[ \t]+/ /g; s/ ?\*\/.*$//; s/^/- /'
}
case "${1:-}" in
--update)
	awk -v list="$(list)" '
		/<!-- marks:begin -->/ { print; print list; skip = 1; next }
		/<!-- marks:end -->/ { skip = 0 }
		!skip' docs/deviations.md > docs/deviations.md.new &&
	mv docs/deviations.md.new docs/deviations.md ;;
--check)
	have=$(awk '/<!-- marks:begin -->/{on=1;next} /<!-- marks:end -->/{on=0} on' docs/deviations.md)
	if [ "$have" != "$(list)" ]; then
		echo "marks: docs/deviations.md does not list the DEVIATION/UNMODELED marks of src/;"
		echo "       run scripts/marks.sh --update and review the doc"
		exit 1
	fi
	echo "marks: docs/deviations.md lists all $(list | wc -l) marks" ;;
*)
	list ;;
esac

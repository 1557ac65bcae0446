#!/bin/sh
# Every DEVIATION(...) and UNMODELED(...) mark in src/ and include/, one per
# line as "file: text".  docs/deviations.md carries this list between its
# "marks" comments:
#   scripts/marks.sh           print the list
#   scripts/marks.sh --update  rewrite the list in docs/deviations.md
#   scripts/marks.sh --check   fail when docs/deviations.md is out of date
cd "$(dirname "$0")/.." || exit 2
list() {
	# A mark runs from DEVIATION( or UNMODELED( to its balancing ")",
	# across comment lines; the text before it on its line is not part of it.
	grep -rn -A8 -E 'DEVIATION\(|UNMODELED\(' src include | awk '
		function depth(s,   o, c) { o = gsub(/\(/, "(", s); c = gsub(/\)/, ")", s); return o - c }
		function flush() { if (buf != "") print buf; buf = ""; open = 0 }
		/(DEVIATION|UNMODELED)\(/ {
			flush(); line = $0
			file = $0; sub(/:.*/, "", file)
			match(line, /(DEVIATION|UNMODELED)\(/)
			line = substr(line, RSTART)
			buf = file ": " line; open = 1; d = depth(line)
			if (d <= 0) flush()
			next }
		open && /^[^ ]+-[0-9]+-/ { line = $0
			sub(/^[^ ]+-[0-9]+-[ \t]*\*?[ \t]*/, "", line)
			buf = buf " " line; d += depth(line)
			if (d <= 0 || line ~ /\*\//) flush()
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

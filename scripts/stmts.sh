#!/bin/sh
# The table of scenario statements in docs/scenario-language.md, written
# from src/scenario/stmt_table.def (the one list every layer is built from)
# between the "stmts" comments:
#   scripts/stmts.sh           print the table
#   scripts/stmts.sh --update  rewrite the table in docs/scenario-language.md
#   scripts/stmts.sh --check   fail when docs/scenario-language.md is out of date
cd "$(dirname "$0")/.." || exit 2
DEF=src/scenario/stmt_table.def
DOC=docs/scenario-language.md
table() {
	# Comments and preprocessor lines go; each SC_STMT(...) / SC_ALIAS(...)
	# runs to its balancing parenthesis, outside strings.
	awk '
		{ text = text $0 "\n" }
		END {
			while ((i = index(text, "/*")) > 0) {
				rest = substr(text, i + 2); j = index(rest, "*/")
				text = substr(text, 1, i - 1) substr(rest, j + 2)
			}
			n = split(text, lines, "\n"); text = ""
			for (k = 1; k <= n; k++)
				if (lines[k] !~ /^[ \t]*#/) text = text lines[k] " "
			while (match(text, /SC_(STMT|ALIAS)\(/)) {
				macro = substr(text, RSTART + 3, RLENGTH - 4)
				text = substr(text, RSTART + RLENGTH)
				nf = 0; field = ""; depth = 0; instr = 0
				for (p = 1; p <= length(text); p++) {
					c = substr(text, p, 1)
					if (c == "\"") { instr = !instr; continue }
					if (!instr && c == "(") depth++
					if (!instr && c == ")" && depth-- == 0) break
					if (!instr && c == ",") { f[++nf] = field; field = ""; continue }
					field = field c
				}
				f[++nf] = field
				text = substr(text, p + 1)
				for (k = 1; k <= nf; k++) {
					gsub(/^[ \t]+|[ \t]+$/, "", f[k]); gsub(/[ \t]+/, " ", f[k])
				}
				if (macro == "ALIAS") { alias[f[1]] = alias[f[1]] ", `" f[2] "`"; continue }
				op[++nops] = f[1]; kw[f[1]] = f[2]; name[f[1]] = f[3]
				kind[f[1]] = f[4]; flags[f[1]] = f[5]; syn[f[1]] = f[6]
			}
			print "| statement | arguments | in traces | what it is |"
			print "| --- | --- | --- | --- |"
			for (k = 1; k <= nops; k++) {
				o = op[k]; s = syn[o]
				gsub(/\x27/, "\"", s); gsub(/\|/, "\\|", s)
				what = kind[o] == "CALL" ? "system call" \
				     : kind[o] == "KERNEL" ? "kernel function (kernel threads)" \
				     : kind[o] == "USER" ? "user-mode action" : "step without a task"
				if (flags[o] ~ /SC_BLOCKS/) what = what ", may block"
				if (flags[o] ~ /SC_NORETURN/) what = what ", never returns"
				printf "| `%s`%s | %s | `%s` | %s |\n", kw[o], alias[o],
				       s == "" ? "" : "`" s "`", name[o], what
			}
		}' "$DEF"
}
case "${1:-}" in
--update)
	awk -v table="$(table)" '
		/<!-- stmts:begin/ { print; print table; skip = 1; next }
		/<!-- stmts:end -->/ { skip = 0 }
		!skip' "$DOC" > "$DOC.new" && mv "$DOC.new" "$DOC" ;;
--check)
	have=$(awk '/<!-- stmts:begin/{on=1;next} /<!-- stmts:end -->/{on=0} on' "$DOC")
	if [ "$have" != "$(table)" ]; then
		echo "stmts: $DOC does not list the statements of $DEF;"
		echo "       run scripts/stmts.sh --update and review the doc"
		exit 1
	fi
	echo "stmts: $DOC lists all $(table | tail -n +3 | wc -l) statements" ;;
*)
	table ;;
esac

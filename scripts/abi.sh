#!/bin/sh
# The library's ABI, kept from changing by accident.
#   scripts/abi.sh --names             the functions include/siglab.h declares
#   scripts/abi.sh --check LIB.so      fail unless they all agree:
#       - the shared library's exports, with their version nodes (nm -D),
#         are abi/libsiglab.symbols, line for line;
#       - it exports exactly the header's functions;
#       - libsiglab(3) (docs/man/libsiglab.3) shows each of them in its
#         SYNOPSIS, and no other;
#       - docs/api.md names each of them, and each type of the header.
#   scripts/abi.sh --update LIB.so     rewrite abi/libsiglab.symbols
# A change to abi/libsiglab.symbols is a change of the ABI: a line removed
# or changed breaks every program built against the old library (a new
# major version); a line added is a new function, which goes into the
# version node of the next minor release (src/engine/libsiglab.map,
# docs/api.md "ABI policy").
set -u
header=include/siglab.h
list=abi/libsiglab.symbols
man=docs/man/libsiglab.3
guide=docs/api.md

# Function declarations start a line with their return type; the name is
# the identifier before the first parenthesis.  static inline helpers and
# typedefs of function pointers are not exported.
names() {
	grep -E '^[a-z][^(]*\<sl_[a-z0-9_]+\(' "$header" |
		grep -Ev '^(static|typedef)\>' |
		sed -E 's/^[^(]*\<(sl_[a-z0-9_]+)\(.*/\1/' | LC_ALL=C sort
}
# "TYPE NAME@@VERSION" for every defined dynamic symbol (nm prints the
# version node of each since binutils 2.35; the node itself is an "A").
exports() {
	nm -D --defined-only "$1" | awk 'NF == 3 { print $2, $3 }' | LC_ALL=C sort -k2
}
types() {	# struct, enum and typedef names
	sed -nE 's/^(struct|enum) (sl_[a-z0-9_]+) \{.*/\2/p; s/^typedef .*[ (*](sl_[a-z0-9_]+)\)?[;(].*/\1/p' "$header" |
		LC_ALL=C sort -u
}
man_names() {
	sed -n '/^\.SH SYNOPSIS/,/^\.SH /p' "$man" |
		grep -oE '\<sl_[a-z0-9_]+\(' | tr -d '(' | LC_ALL=C sort
}

status=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() {
	echo "abi: $1" >&2
	status=1
}
differ() {	# differ WHAT A B: report the lines only in A and only in B
	if ! cmp -s "$2" "$3"; then
		fail "$1:"
		diff "$2" "$3" | grep '^[<>]' | sed 's/^/  /' >&2
	fi
}

case ${1:-} in
--names)
	names ;;
--update)
	exports "${2:?usage: abi.sh --update LIB.so}" > "$list" &&
		echo "abi: wrote $list ($(wc -l < "$list") symbols)" ;;
--check)
	lib=${2:?usage: abi.sh --check LIB.so}
	names > "$tmp/header"
	exports "$lib" > "$tmp/exports"
	differ "$lib exports (>) differ from $list (<); if the change is meant, see docs/api.md \"ABI policy\" and run scripts/abi.sh --update $lib" \
		"$list" "$tmp/exports"
	awk '$1 == "T" { sub(/@.*/, "", $2); print $2 }' "$tmp/exports" | LC_ALL=C sort > "$tmp/functions"
	differ "$header declares (<) other functions than $lib exports (>): is src/engine/libsiglab.map up to date?" \
		"$tmp/header" "$tmp/functions"
	awk '$1 != "T" && $1 != "A"' "$tmp/exports" > "$tmp/other"
	[ -s "$tmp/other" ] && fail "$lib exports symbols that are not functions: $(tr '\n' ' ' < "$tmp/other")"
	man_names | uniq -d > "$tmp/dup"
	[ -s "$tmp/dup" ] && fail "$man shows twice: $(tr '\n' ' ' < "$tmp/dup")"
	man_names | uniq > "$tmp/man"
	differ "$header declares (<) other functions than the SYNOPSIS of $man shows (>)" \
		"$tmp/header" "$tmp/man"
	undocumented=$(for f in $(cat "$tmp/header") $(types); do
		grep -q "\<$f\>" "$guide" || printf '%s ' "$f"
	done)
	[ -n "$undocumented" ] && fail "$guide does not name: $undocumented"
	[ $status -eq 0 ] && echo "abi: $lib exports the $(wc -l < "$tmp/header") functions of $header, libsiglab(3) and $guide, as $list has them"
	exit $status ;;
*)
	echo "usage: abi.sh --names | --check LIB.so | --update LIB.so" >&2
	exit 2 ;;
esac

#!/bin/sh
# The library boundary: libsiglab.a and libsiglab.so define no global
# symbol but the public API's sl_* names, so that an embedder that links
# the library next to its own code (its own emit, kalloc or find_task)
# cannot collide with the engine's internals.
#   scripts/symbols.sh build/libsiglab.a build/libsiglab.so
# Each library is read three ways: nm (for the archive's fat LTO object,
# the symbols of its LTO code, which an embedder's -flto link sees), nm -D
# (the shared library's dynamic symbols) and readelf (the machine code's
# ELF symbol table, which a link without LTO sees).  GCC's -g -flto adds
# a weak hidden anchor for its early debug info, named after the source
# file ("libsiglab_one.c.1a2b3c4d"): not a C identifier, so it can collide
# with no embedder's name, and the LTO link needs it global.  The shared
# library's version nodes (SIGLAB_1.0) are absolute symbols with no code or
# data; they are skipped here and checked by scripts/abi.sh.
status=0
fail() {
	echo "symbols: $1" >&2
	status=1
}
check() {	# check LIB VIEW NAMES...: NAMES are the defined global symbols
	lib=$1 view=$2
	shift 2
	bad=$(printf '%s\n' "$@" | grep -v '^sl_' | sort -u | tr '\n' ' ')
	[ -n "$bad" ] && fail "$lib ($view) defines global symbols other than sl_*: $bad"
	[ $# -eq 0 ] && fail "$lib ($view) defines no sl_ symbol at all"
}
for lib in "$@"; do
	[ -f "$lib" ] || { fail "$lib: no such file"; continue; }
	# nm -g --defined-only: "ADDR TYPE NAME"; archives add member headers.
	check "$lib" nm $(nm -g --defined-only "$lib" | awk 'NF == 3 && $2 != "A" { print $3 }')
	case $lib in
	*.so) check "$lib" "nm -D" $(nm -D --defined-only "$lib" | awk 'NF == 3 && $2 != "A" { print $3 }') ;;
	esac
	check "$lib" readelf $(readelf -sW "$lib" |
		awk '($5 == "GLOBAL" || $5 == "WEAK") && $7 != "UND" && $7 != "ABS" && $8 ~ /^[A-Za-z_][A-Za-z_0-9]*$/ { print $8 }')
done
[ $status -eq 0 ] && echo "symbols: $* define no global symbol but sl_*"
exit $status

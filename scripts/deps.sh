#!/bin/sh
# Installs what the tests need (Debian packages), once.
#   scripts/deps.sh        criterion, for the unit tests; Open MPI, for the
#                          distributed explore (siglab-mpi, make mpi)
#   scripts/deps.sh mpi    Open MPI only
#   scripts/deps.sh fuzz   clang and its libFuzzer runtime, for make fuzz
#   scripts/deps.sh web    emscripten, for make web
#   scripts/deps.sh browser  chromium, for make web-check
set -e
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

install() {
	echo "deps: installing $*" >&2
	$SUDO apt-get update -qq >/dev/null
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

# Whether clang can link a libFuzzer target.
have_libfuzzer() {
	command -v clang >/dev/null 2>&1 || return 1
	tmp=$(mktemp -d) || return 1
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
		> "$tmp/t.c"
	clang -fsanitize=fuzzer "$tmp/t.c" -o "$tmp/t" >/dev/null 2>&1
	ok=$?
	rm -rf "$tmp"
	return $ok
}

if [ "${1:-}" = fuzz ]; then
	have_libfuzzer || install clang libclang-rt-14-dev
	exit 0
fi
if [ "${1:-}" = web ]; then
	command -v emcc >/dev/null 2>&1 || install emscripten
	exit 0
fi
if [ "${1:-}" = browser ]; then
	command -v chromium >/dev/null 2>&1 || install chromium
	exit 0
fi
if [ "${1:-}" = mpi ]; then
	command -v mpicc >/dev/null 2>&1 || install openmpi-bin libopenmpi-dev
	exit 0
fi
command -v mpicc >/dev/null 2>&1 || install openmpi-bin libopenmpi-dev
if [ -f /usr/include/criterion/criterion.h ]; then exit 0; fi
install libcriterion-dev

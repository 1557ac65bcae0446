#!/bin/sh
# The library as a user gets it: make install into a temporary DESTDIR,
# then examples/embed/toy.c, copied out of the tree, built against the
# installed header and libraries through pkg-config (siglab.pc), with gcc
# (-flto and -fno-lto) and clang when there is one, each linked statically
# (libsiglab.a) and dynamically (libsiglab.so.MAJOR), and run: every build
# prints examples/embed/toy.out.  The header compiles as C++, siglab.pc
# validates, the man pages format cleanly, and STRIP_LTO=1 installs an
# archive without LTO code that still links.  Then make uninstall leaves no
# file.
#   scripts/install-check.sh        (make install-check; part of make check)
set -u
make=${MAKE:-make}
prefix=/opt/siglab
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
root=$tmp/root
fail=0 builds=0
problem() {
	echo "install-check: $1" >&2
	fail=$((fail + 1))
}

version=$(sed -n 's/^#define SL_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\)$/\2/p' include/siglab.h | paste -sd.)
major=${version%%.*}
"$make" -s install DESTDIR="$root" PREFIX="$prefix" > "$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log"; problem "make install failed"; exit 1; }

# The files, and the links of the shared library.
lib=$root$prefix/lib man=$root$prefix/share/man
for f in "$root$prefix/bin/siglab" "$root$prefix/include/siglab.h" "$lib/libsiglab.a" \
	 "$lib/libsiglab.so.$version" "$lib/pkgconfig/siglab.pc" "$man/man1/siglab.1" \
	 "$man/man3/libsiglab.3" "$man/man3/sl_sys_kill.3"; do
	[ -f "$f" ] || problem "not installed: ${f#$root}"
done
[ "$(readlink "$lib/libsiglab.so.$major")" = "libsiglab.so.$version" ] ||
	problem "libsiglab.so.$major does not link to libsiglab.so.$version"
[ "$(readlink "$lib/libsiglab.so")" = "libsiglab.so.$major" ] ||
	problem "libsiglab.so does not link to libsiglab.so.$major"
readelf -d "$lib/libsiglab.so.$version" | grep -q "SONAME.*\[libsiglab.so.$major\]" ||
	problem "libsiglab.so.$version has no SONAME libsiglab.so.$major"
"$root$prefix/bin/siglab" run examples/sysv-reset.scn > /dev/null ||
	problem "the installed siglab does not run"

# pkg-config finds the installed files under DESTDIR through its sysroot.
export PKG_CONFIG_PATH="$lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$root"
export PKG_CONFIG_LIBDIR="$lib/pkgconfig"
[ "$(pkg-config --modversion siglab)" = "$version" ] ||
	problem "pkg-config --modversion siglab is not $version"
pkg-config --validate siglab || problem "pkg-config --validate siglab fails"
cflags=$(pkg-config --cflags siglab) libs=$(pkg-config --libs siglab)
ldirs=$(pkg-config --libs-only-L siglab)

# Outside the tree: nothing but the installed files to build against.
mkdir "$tmp/src"
cp examples/embed/toy.c examples/embed/toy.out "$tmp/src/"
build() {	# build NAME LINK CC FLAGS...: compile, link, run, compare
	name=$1 link=$2 cc=$3
	shift 3
	exe=$tmp/src/toy-$name-$link
	case $link in
	shared) set -- "$@" "$tmp/src/toy.c" $cflags $libs ;;
	static) set -- "$@" "$tmp/src/toy.c" $cflags $ldirs -Wl,-Bstatic -lsiglab -Wl,-Bdynamic ;;
	esac
	builds=$((builds + 1))
	if ! "$cc" -std=c11 -O2 -Wall -Wextra -Wpedantic -Werror "$@" -o "$exe" > "$tmp/cc.log" 2>&1; then
		problem "$name ($link): does not build:"
		sed 's/^/  /' "$tmp/cc.log" >&2
		return
	fi
	needed=$(readelf -d "$exe" | grep -c "NEEDED.*\[libsiglab.so.$major\]")
	case $link in
	shared) [ "$needed" -eq 1 ] || problem "$name ($link): does not need libsiglab.so.$major" ;;
	static) [ "$needed" -eq 0 ] || problem "$name ($link): needs the shared library" ;;
	esac
	if ! LD_LIBRARY_PATH="$lib" "$exe" > "$tmp/out" 2>&1 ||
	   ! cmp -s "$tmp/out" "$tmp/src/toy.out"; then
		problem "$name ($link): prints other than examples/embed/toy.out:"
		diff "$tmp/src/toy.out" "$tmp/out" | sed 's/^/  /' >&2
	fi
}
for link in static shared; do
	build gcc-lto "$link" gcc -flto
	build gcc-nolto "$link" gcc -fno-lto
	if command -v clang > /dev/null; then
		build clang "$link" clang
	fi
done
# The installed header compiles as C++ too (extern "C", no C-only syntax).
if command -v g++ > /dev/null; then
	echo '#include <siglab.h>
int main() { sl_kernel *k; return sl_kernel_new(nullptr, &k) || sl_sigmask(SL_SIGUSR1) != 512; }' > "$tmp/src/cxx.cc"
	g++ -std=c++11 -Wall -Wextra -Wpedantic -Werror $cflags -fsyntax-only "$tmp/src/cxx.cc" > "$tmp/cc.log" 2>&1 ||
		{ problem "siglab.h does not compile as C++:"; sed 's/^/  /' "$tmp/cc.log" >&2; }
fi
# The man pages format without a warning.
if command -v groff > /dev/null; then
	for page in "$man/man1/siglab.1" "$man/man3/libsiglab.3"; do
		w=$(groff -man -ww -z "$page" 2>&1)
		[ -z "$w" ] || problem "${page#$root}: groff warns: $w"
	done
fi
command -v clang > /dev/null ||
	echo "install-check: clang skipped: not installed (Debian: apt-get install clang; scripts/deps.sh does not pull it in, it is large)"

# STRIP_LTO=1: an archive with machine code only, which links with -flto
# too (by any GCC version: no LTO bytecode to match).
"$make" -s install DESTDIR="$tmp/root2" PREFIX="$prefix" STRIP_LTO=1 > "$tmp/install2.log" 2>&1 ||
	{ cat "$tmp/install2.log"; problem "make install STRIP_LTO=1 failed"; }
a2=$tmp/root2$prefix/lib/libsiglab.a
if readelf -SW "$a2" | grep -q '\.gnu\.\(debug\)\?lto_'; then
	problem "STRIP_LTO=1 left LTO sections in libsiglab.a"
elif ! scripts/symbols.sh "$a2" > /dev/null; then
	problem "the STRIP_LTO=1 archive defines global symbols other than sl_*"
elif ! gcc -std=c11 -O2 -flto -I"$tmp/root2$prefix/include" "$tmp/src/toy.c" "$a2" -o "$tmp/src/toy-stripped" ||
     ! "$tmp/src/toy-stripped" | cmp -s - "$tmp/src/toy.out"; then
	problem "the STRIP_LTO=1 archive does not link with gcc -flto or prints other than toy.out"
else
	builds=$((builds + 1))
fi

# make uninstall takes away every file make install put there.
"$make" -s uninstall DESTDIR="$root" PREFIX="$prefix" > "$tmp/uninstall.log" 2>&1 ||
	{ cat "$tmp/uninstall.log"; problem "make uninstall failed"; }
left=$(find "$root" ! -type d | sed "s|^$root||")
[ -z "$left" ] && [ -d "$root$prefix/lib" ] || problem "make uninstall left: $left"

if [ "$fail" -eq 0 ]; then
	echo "install-check: make install and uninstall under DESTDIR; toy.c built $builds ways (pkg-config, static and shared) prints toy.out"
fi
[ "$fail" -eq 0 ]

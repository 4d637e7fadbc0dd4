#!/bin/sh
# Installs the build tree into a scratch prefix and uses it as a user would:
# a program built with pkg-config, one built with find_package(regdiff),
# the installed tool and man page, and the shared library's exports.
#
# Usage: run.sh CMAKE BUILD_DIR SOURCE_DIR WORK_DIR BINDIR LIBDIR INCLUDEDIR MANDIR
#               SHARED [SANITIZE]
# (the directories under the prefix as GNUInstallDirs names them; SHARED is
# ON or OFF). CC may name the C compiler.
set -eu

cmake=$1 build=$2 src=$3 work=$4 bindir=$5 libdir=$6 includedir=$7 mandir=$8 shared=$9
sanitize=${10:-}
here=$src/tests/install
prefix=$work/prefix

fail() {
	echo "install test: $*" >&2
	exit 1
}

rm -rf "$work"
mkdir -p "$work"
"$cmake" --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log" >&2; fail "cmake --install failed"; }

cc=${CC:-cc}
# A library built with sanitizers needs their runtime linked into the program
# that loads it, first.
san_flags=
if [ -n "$sanitize" ]; then
	san_flags="-fsanitize=$sanitize"
fi
if [ "$shared" = ON ]; then
	lib_env="LD_LIBRARY_PATH=$prefix/$libdir"
	static=
else
	lib_env=
	static=--static
fi

# 1. pkg-config, looking only at the scratch prefix.
pc_flags=$(PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig" pkg-config $static --cflags --libs regdiff) || fail "pkg-config does not know regdiff"
case "$pc_flags" in
*"-I$prefix/"*) ;;
*) fail "pkg-config flags do not point into the prefix: $pc_flags" ;;
esac
# shellcheck disable=SC2086 # the flags are words
"$cc" -std=c11 -Wall -Wextra -Werror $san_flags -o "$work/pc_check" "$here/version_check.c" $pc_flags ||
	fail "cannot build a program with pkg-config's flags: $pc_flags"
out=$(env ${lib_env:+"$lib_env"} "$work/pc_check") || fail "the pkg-config program failed: $out"

# 2. find_package(regdiff) from a CMake project.
target=regdiff::regdiff
[ "$shared" = ON ] || target=regdiff::regdiff_static
if ! "$cmake" -S "$here/project" -B "$work/project" -DCMAKE_PREFIX_PATH="$prefix" \
	-DREGDIFF_TARGET="$target" -DCMAKE_C_FLAGS="$san_flags" \
	-DCMAKE_EXE_LINKER_FLAGS="$san_flags" >"$work/project.log" 2>&1 ||
	! "$cmake" --build "$work/project" >>"$work/project.log" 2>&1; then
	cat "$work/project.log" >&2
	fail "cannot build a project with find_package(regdiff)"
fi
# It must have found the prefix's regdiff, not another one.
grep -q "regdiff_DIR:PATH=$prefix/" "$work/project/CMakeCache.txt" ||
	fail "find_package found another regdiff: $(grep regdiff_DIR "$work/project/CMakeCache.txt")"
"$work/project/version_check" >/dev/null || fail "the find_package program failed"

# 3. The tool runs from the prefix, with no help from the environment.
version=$("$prefix/$bindir/regdiff" --version) || fail "$bindir/regdiff --version failed"
first=$(printf '%s\n' "$version" | head -n 1)
[ "$first" = "regdiff $out" ] || fail "$bindir/regdiff --version says '$first', want 'regdiff $out'"

# 4. The man page.
[ -f "$prefix/$mandir/man1/regdiff.1" ] || fail "no $mandir/man1/regdiff.1"

# 5. The shared library: its soname is libregdiff.so.MAJOR.MINOR before 1.0
# (any 0.x release may break the ABI), libregdiff.so.MAJOR from 1.0 on, and
# is installed as a link; it exports exactly the functions the headers
# declare.
if [ "$shared" = ON ]; then
	so=$(find "$prefix/$libdir" -maxdepth 1 -name 'libregdiff.so.*.*.*' | head -n 1)
	[ -n "$so" ] || fail "no libregdiff.so.X.Y.Z in $libdir"
	major=${out%%.*} rest=${out#*.}
	minor=${rest%%.*}
	want=libregdiff.so.$major
	[ "$major" != 0 ] || want=libregdiff.so.$major.$minor
	soname=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
	[ "$soname" = "$want" ] || fail "$so has soname '$soname', want '$want' (version $out)"
	[ -L "$prefix/$libdir/$want" ] || fail "no link $libdir/$want"
	nm -D --defined-only "$so" | awk '{ print $NF }' | sort -u >"$work/exported"
	sed -n 's/^REGDIFF_API[^(]*[ *]\(regdiff_[a-z0-9_]*\)(.*/\1/p' \
		"$prefix/$includedir/regdiff.h" "$prefix/$includedir"/regdiff/*.h | sort -u >"$work/declared"
	[ -s "$work/declared" ] || fail "found no REGDIFF_API declarations"
	if ! cmp -s "$work/declared" "$work/exported"; then
		echo "declared (<) against exported (>):" >&2
		diff "$work/declared" "$work/exported" >&2 || true
		fail "the exported symbols are not the declared API"
	fi
fi

rm -rf "$work"

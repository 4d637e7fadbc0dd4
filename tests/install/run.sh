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
# shellcheck source=../testlib.sh
. "$src/tests/testlib.sh"

work_dir "$work"
"$cmake" --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log" >&2; fail "cmake --install failed"; }

cc=${CC:-cc}
# A library built with sanitizers needs their runtime linked into the program
# that loads it, first.
san_flags=
if [ -n "$sanitize" ]; then
	san_flags="-fsanitize=$sanitize"
fi
lib_env="LD_LIBRARY_PATH=$prefix/$libdir"

# pc_flags ARGS...: pkg-config's flags for regdiff, looking only at the
# scratch prefix: no other package's .pc file is visible, as on a machine
# without their development packages.
# The .pc file names the prefix relative to itself (lib/pkgconfig/../..):
# the folders come back without the ".." and without a trailing space.
pc_flags() {
	_f=$(PKG_CONFIG_LIBDIR="$prefix/$libdir/pkgconfig" PKG_CONFIG_PATH= pkg-config "$@" regdiff) ||
		fail "pkg-config $* regdiff failed"
	printf '%s\n' "$_f" | sed -e ':a' -e 's|/[^/ .][^/ ]*/\.\./*|/|' -e 'ta' -e 's| *$||'
}

# linked_shared PROGRAM: whether PROGRAM loads libregdiff.so.
linked_shared() {
	readelf -d "$1" | grep -q 'NEEDED.*\[libregdiff\.so'
}

# 1. pkg-config: with the shared library, the flags need no other package
# and hold no other package's folders; with --static, the static
# library's own needs and REGDIFF_STATIC.
if [ "$shared" = ON ]; then
	flags=$(pc_flags --cflags --libs)
	case "$flags" in
	*"-I$prefix/"*) ;;
	*) fail "pkg-config flags do not point into the prefix: $flags" ;;
	esac
	[ "$flags" = "-I$prefix/$includedir -L$prefix/$libdir -lregdiff" ] ||
		fail "pkg-config flags for the shared library: '$flags'"
	# shellcheck disable=SC2086 # the flags are words
	"$cc" -std=c11 -Wall -Wextra -Werror $san_flags -o "$work/pc_check" "$here/version_check.c" $flags ||
		fail "cannot build a program with pkg-config's flags: $flags"
	linked_shared "$work/pc_check" || fail "pkg-config: the program does not load libregdiff.so"
	out=$(env "$lib_env" "$work/pc_check") || fail "the pkg-config program failed: $out"
fi
sflags=$(pc_flags --static --cflags --libs)
case "$sflags" in
"-I$prefix/$includedir -DREGDIFF_STATIC -L$prefix/$libdir -lregdiff "*-lz*) ;;
*) fail "pkg-config --static flags: '$sflags'" ;;
esac
# --static means a static program (-static): libregdiff.a then, and the
# static archives of what it uses. Sanitizers have no static runtime: there
# the archive is picked with -Bstatic.
if [ -z "$sanitize" ]; then
	# shellcheck disable=SC2086 # the flags are words
	"$cc" -std=c11 -Wall -Wextra -Werror -static -o "$work/pc_static" "$here/version_check.c" $sflags ||
		fail "cannot build a static program with pkg-config --static's flags: $sflags"
else
	# shellcheck disable=SC2086 # the flags are words
	"$cc" -std=c11 -Wall -Wextra -Werror $san_flags -o "$work/pc_static" "$here/version_check.c" \
		$(printf '%s\n' "$sflags" | sed 's/ -lregdiff / -Wl,-Bstatic -lregdiff -Wl,-Bdynamic /') ||
		fail "cannot build a program with libregdiff.a: $sflags"
fi
! linked_shared "$work/pc_static" || fail "pkg-config --static: the program loads libregdiff.so"
out=$("$work/pc_static") || fail "the pkg-config --static program failed: $out"
# A fully static program reads no disk images (libtsk is loaded with
# dlopen): it says so when one is opened.
if [ -z "$sanitize" ] && "$prefix/$bindir/regdiff" --version | grep -q '+images'; then
	# shellcheck disable=SC2086 # the flags are words
	"$cc" -std=c11 -Wall -Wextra -Werror -static -o "$work/image_static" "$here/image_check.c" \
		$sflags 2>"$work/image_static.log" ||
		{ cat "$work/image_static.log" >&2; fail "cannot build a static program opening images"; }
	head -c 510 /dev/zero >"$work/disk.img"
	printf '\125\252' >>"$work/disk.img"
	msg=$("$work/image_static" "$work/disk.img") && fail "a static program opened an image"
	case "$msg" in
	"$work/disk.img: disk images need The Sleuth Kit: cannot load libtsk.so."*" (a statically linked program loads no libraries)") ;;
	*) fail "a static program opening an image says: $msg" ;;
	esac
fi
# Nor does it write HTML reports (libxml2 is loaded with dlopen too): it
# says so, and leaves no file; TXT reports are written (of a fixture hive,
# where the build has them).
if [ -z "$sanitize" ] && [ -f "$build/fixtures/base.hiv" ] &&
	"$prefix/$bindir/regdiff" --version | grep -q '+html'; then
	# shellcheck disable=SC2086 # the flags are words
	"$cc" -std=c11 -Wall -Wextra -Werror -static -o "$work/html_static" "$here/html_check.c" \
		$sflags 2>"$work/html_static.log" ||
		{ cat "$work/html_static.log" >&2; fail "cannot build a static program writing reports"; }
	mkdir "$work/reports"
	msg=$("$work/html_static" "$work/reports" "$build/fixtures/base.hiv") && fail "a static program wrote an HTML report"
	case "$msg" in
	"$work/reports/r.html: HTML reports need libxml2: cannot load libxml2.so."*" (a statically linked program loads no libraries)") ;;
	*) fail "a static program writing an HTML report says: $msg" ;;
	esac
	[ "$(ls "$work/reports")" = r.txt ] || fail "a static program's reports: $(ls "$work/reports")"
fi

# 2. find_package(regdiff) from a CMake project, with the shared library
# (when built) and the static one. The project checks that its own
# variables are untouched (tests/install/project/CMakeLists.txt); the
# shared library's users need no other package, so for them pkg-config
# sees the prefix alone.
# cmake_project NAME TARGET [ENV...]
cmake_project() {
	_name=$1 _target=$2
	shift 2
	if ! env "$@" "$cmake" -S "$here/project" -B "$work/$_name" -DCMAKE_PREFIX_PATH="$prefix" \
		-DREGDIFF_TARGET="$_target" -DCMAKE_C_FLAGS="$san_flags" \
		-DCMAKE_EXE_LINKER_FLAGS="$san_flags" >"$work/$_name.log" 2>&1 ||
		! "$cmake" --build "$work/$_name" >>"$work/$_name.log" 2>&1; then
		cat "$work/$_name.log" >&2
		fail "cannot build a project with find_package(regdiff) and $_target"
	fi
	# It must have found the prefix's regdiff, not another one.
	grep -q "regdiff_DIR:PATH=$prefix/" "$work/$_name/CMakeCache.txt" ||
		fail "find_package found another regdiff: $(grep regdiff_DIR "$work/$_name/CMakeCache.txt")"
	env "$lib_env" "$work/$_name/version_check" >/dev/null || fail "the find_package program ($_target) failed"
}
if [ "$shared" = ON ]; then
	cmake_project project_shared regdiff::regdiff PKG_CONFIG_LIBDIR="$prefix/$libdir/pkgconfig"
	linked_shared "$work/project_shared/version_check" || fail "regdiff::regdiff: not linked shared"
fi
cmake_project project_static regdiff::regdiff_static
! linked_shared "$work/project_static/version_check" || fail "regdiff::regdiff_static: linked shared"
# Asked for, the static library without the packages it needs is a clear
# failure of find_package, naming them.
if PKG_CONFIG_LIBDIR=/nonexistent "$cmake" -S "$here/project" -B "$work/project_nodeps" \
	-DCMAKE_PREFIX_PATH="$prefix" -DREGDIFF_COMPONENTS=static >"$work/project_nodeps.log" 2>&1; then
	fail "find_package(regdiff COMPONENTS static) succeeded without pkg-config's packages"
fi
tr -s ' \n' '  ' <"$work/project_nodeps.log" |
	grep -q 'regdiff::regdiff_static needs the development files of: zlib, libgcrypt, ' || {
	cat "$work/project_nodeps.log" >&2
	fail "find_package(regdiff COMPONENTS static): no message naming what is missing"
}

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

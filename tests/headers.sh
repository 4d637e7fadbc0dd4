# Every public header compiles alone, first of its translation unit: as C99
# with -pedantic-errors (users need not build as C11, as regdiff does) and
# as C++ (extern "C", no C-only constructs).
#   sh headers.sh INCLUDE_DIR CC [CXX]
# CXX empty: no C++ compiler here, that half is skipped (exit 77 if
# nothing else failed).
set -eu
inc=$1 cc=$2 cxx=${3:-}
# shellcheck source=testlib.sh
. "$(dirname "$0")/testlib.sh"

warn="-Wall -Wextra -Werror"
n=0
for h in "$inc/regdiff.h" "$inc"/regdiff/*.h; do
	# shellcheck disable=SC2086 # the flags are words
	printf '#include "%s"\n' "$h" |
		"$cc" -std=c99 -pedantic-errors $warn -Wundef -Wstrict-prototypes -fsyntax-only -x c - ||
		fail "$h does not compile alone as C99"
	if [ -n "$cxx" ]; then
		# shellcheck disable=SC2086 # the flags are words
		printf '#include "%s"\n' "$h" |
			"$cxx" -std=c++11 -pedantic-errors $warn -fsyntax-only -x c++ - ||
			fail "$h does not compile alone as C++"
	fi
	n=$((n + 1))
done
[ -n "$cxx" ] || skip "$n headers compile as C99; no C++ compiler to try them with"
echo "$n headers compile alone as C99 and as C++"

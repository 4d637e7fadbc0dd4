# What the tool does before its command, for its start-up's cost: the
# libraries it loads and its heap (cli/CMakeLists.txt, cli/heap.c). One
# ctest test per case.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
run_cases

#case loaded
# Linked with libregdiff.a and its dependencies' archives (cli/CMakeLists.txt),
# the tool loads nothing but the C library at start: each shared object
# costs every run's start-up about 0.4 ms.
[ "$REGDIFF_CLI_STATIC" = 1 ] || skip "the tool is linked with the shared library"
command -v readelf >/dev/null || skip "no readelf"
readelf -d "$REGDIFF" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' >needed
# A sanitizer's runtime is no dependency of regdiff's.
grep -v -e '^ld-linux' -e '^libc\.so' -e '^lib[a-z]*san\.so' needed >others || :
if [ -s others ] || ! [ -s needed ]; then
	fail "the tool loads: $(tr '\n' ' ' <needed)"
fi

#case heap
# With glibc on Linux the whole 2 MiB pieces of the heap's first 16 MiB
# are advised for transparent huge pages (VmFlags "hg"): one mapping of
# at least 12 MiB, seen from a command that watch runs, whose parent is
# regdiff. Not under sanitizers or valgrind, whose allocators are not
# glibc's heap.
need_fixtures
[ "$REGDIFF_BOUNDS" = 1 ] || skip "a sanitizer's allocator"
[ -r /sys/kernel/mm/transparent_hugepage/enabled ] || skip "no transparent huge pages here"
[ -r /proc/self/smaps ] || skip "no /proc/PID/smaps"
cp "$FIXTURES/base.hiv" hive.dat
run watch -o /dev/null 'HKU\alice=hive.dat' -- sh -c 'cat /proc/$PPID/comm >comm; cp /proc/$PPID/smaps smaps'
expect_ok 0
[ "$(cat comm)" = regdiff ] || skip "the command's parent is $(cat comm)"
awk '/\[heap\]/ { h = 1; next } /^[0-9a-f]+-/ { h = 0 } h && /^Size:/ { size = $2 }
	h && /^VmFlags:.* hg/ { n++; kib = size } END { exit !(n == 1 && kib >= 12288) }' smaps ||
	fail "no heap mapping of 12 MiB or more advised for huge pages: $(grep -A25 heap smaps)"

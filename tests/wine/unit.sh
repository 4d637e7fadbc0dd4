# The cross-built unit tests (test_*.exe beside regdiff.exe) run under
# Wine: the library behaves on Windows as the Linux tests expect.
. "$(dirname "$0")/lib.sh"

failed=""
ran=0
for t in "$(dirname "$REGDIFF_EXE")"/test_*.exe; do
	[ -f "$t" ] || continue
	ran=$((ran + 1))
	name=$(basename "$t" .exe)
	wine_run "$t"
	cat out err.crlf >"$name.log"
	if [ "$rc" -ne 0 ]; then
		tail -n 30 "$name.log" >&2
		echo "$name: exit status $rc" >&2
		failed="$failed $name"
	fi
done
[ "$ran" -gt 0 ] || skip "no test_*.exe beside $REGDIFF_EXE (tests not built)"
[ -z "$failed" ] || fail "under Wine:$failed"
echo "$ran unit tests passed under Wine"

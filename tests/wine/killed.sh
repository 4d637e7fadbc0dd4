# A shot ended from outside (Ctrl+C, a closed console, TerminateProcess;
# here the process is killed) leaves no temporary file behind: it is
# created delete-pending and kept only when complete. Also: the manifest
# that lets regdiff.exe open paths longer than MAX_PATH.
. "$(dirname "$0")/lib.sh"

wine "$REGDIFF_EXE" shot -q -o killed.rds HKLM 2>/dev/null &
pid=$!
seen=
i=0
while [ $i -lt 600 ] && kill -0 $pid 2>/dev/null; do
	if ls killed.rds.tmp-* >/dev/null 2>&1; then
		seen=1
		kill -9 $pid
		break
	fi
	sleep 0.1
	i=$((i + 1))
done
wait $pid 2>/dev/null || true
[ -n "$seen" ] || fail "the shot of HKLM ended before its temporary file was seen"
sleep 2
if ls killed.rds* >/dev/null 2>&1; then
	ls -l killed.rds* >&2
	fail "a killed shot left its temporary file behind"
fi

# A file name past MAX_PATH (260 characters) works.
long=$(printf 'd%.0s' $(seq 1 120))
mkdir -p "$long/$long"
win shot -q -o "$long/$long/long-name-snapshot.rds" 'HKCU\Software\Wine'
expect_rc 0
[ -s "$long/$long/long-name-snapshot.rds" ] || fail "no snapshot at a path past MAX_PATH"
grep -q longPathAware "$REGDIFF_EXE" || fail "regdiff.exe has no longPathAware manifest"

# watch and a hostile or sly command under Wine: the command must not get
# a handle to regdiff's files, and the second shot must wait for what the
# command started.
. "$(dirname "$0")/lib.sh"
need_helper

K='HKCU\Software\regdiff-sample'
wine reg delete "$K" /f >/dev/null 2>&1 || true
reg add "$K" /v Before /t REG_SZ /d b /f

# The helper tries to write to every handle it inherited but the standard
# three (its output comes on stderr, as watch sends it there). The first
# snapshot is then in a temporary file, kept open for the comparison.
win watch "$K" -- "$HELPER" handles
expect_rc 0
grep -q '^disk file handles: [0-9]*, writable: 0$' err || {
	show
	fail "watch: the command could write to a handle it inherited"
}
# So with a snapshot kept in a file.
win watch -q --before w1.rds "$K" -- "$HELPER" handles
expect_rc 0
grep -q '^disk file handles: [0-9]*, writable: 0$' err || {
	show
	fail "watch --before: the command could write to a handle it inherited"
}

# A dropper: the command starts a process that sets a value two seconds
# later, and exits at once. The second shot waits for that process: the
# command and all it starts run in one job object.
win watch --format jsonl "$K" -- "$HELPER" drop 'Software\regdiff-sample' 2000
expect_rc 1
normalise_times out >dropped.jsonl
cat >want.jsonl <<'EOF2'
{"op":"value_added","key":"HKCU\\Software\\regdiff-sample","value":"Dropped","type":"REG_SZ","data":"payload","data_hex":"7000610079006c006f00610064000000"}
{"meta":"filters","noise":"2026.11","rules":58,"removed":0,"kept":0,"by_rule":[]}
EOF2
expect_same want.jsonl dropped.jsonl

# --wait still bounds the wait for the dropped process, which is left
# running (it sets its value long after; nothing else uses this key).
wine reg delete "$K" /v Dropped /f >/dev/null 2>&1
start=$(date +%s)
win watch --wait 0.5 --format jsonl "$K" -- "$HELPER" drop 'Software\regdiff-sample' 20000
expect_rc 0
[ $(($(date +%s) - start)) -lt 15 ] || fail "watch --wait 0.5 waited for the dropped process"
grep -q "was still running after the wait; it is left running$" err || {
	show
	fail "watch --wait: no note that the dropped process still runs"
}
# The tests share the prefix: wait for the dropped process to be done
# before removing the key, so that no later test sees its value come.
i=0
while [ $i -lt 60 ] && ! wine reg query "$K" /v Dropped >/dev/null 2>&1; do
	sleep 1
	i=$((i + 1))
done
wine reg query "$K" /v Dropped >/dev/null 2>&1 || fail "the dropped process never set its value"
wine reg delete "$K" /f >/dev/null 2>&1

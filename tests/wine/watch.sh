# regdiff watch under Wine: shoot, run a command, shoot, report.
. "$(dirname "$0")/lib.sh"

K='HKCU\Software\regdiff-watch'
wine reg delete "$K" /f >/dev/null 2>&1 || true
reg add "$K" /v Before /t REG_SZ /d b /f

# The command's change is reported; its output goes to stderr, leaving
# stdout to the report. An argument with a space reaches it whole.
win watch --format jsonl "$K" -- reg add "$K\\Added" /v Text /t REG_SZ /d "two words" /f
expect_rc 1
normalise_times out >changes.jsonl
expect_golden changes.jsonl watch.jsonl
grep -q 'operation completed successfully' err || {
	show
	fail "watch: reg.exe's output is not on stderr"
}

# Quotes and backslashes reach the command as given (the command line is
# quoted for CommandLineToArgvW and the C runtime).
win watch --format jsonl "$K" -- reg add "$K" /v Tricky /t REG_SZ /d 'say "hi" to C:\dir\ and \\server\"x' /f
expect_rc 1
grep -qF '"value":"Tricky","type":"REG_SZ","data":"say \"hi\" to C:\\dir\\ and \\\\server\\\"x"' out || {
	show
	fail "watch: the argument did not reach reg.exe unchanged"
}

# The snapshots kept, the report in a file, the command's output on
# stdout: the same report as compare makes of the kept snapshots.
win watch -q --no-bom --before w1.rds --after w2.rds -o report.txt "$K" -- reg delete "$K\\Added" /f
expect_rc 1
expect_empty err
grep -q 'operation completed successfully' out || {
	show
	fail "watch -o: reg.exe's output is not on stdout"
}
lin compare w1.rds w2.rds
expect_rc 1
expect_same report.txt out
grep -q '^Keys deleted: 1$' report.txt || fail "watch: the deleted key is not reported"

# A COM hijack written to the user's own Software\Classes (a real key
# under Wine) is flagged, as in a UsrClass.dat (issue 8, item 13).
C='HKCU\Software\Classes\CLSID\{0D0D0D0D-1111-2222-3333-444444444444}'
wine reg delete "$C" /f >/dev/null 2>&1 || true
reg add "$C" /ve /t REG_SZ /d before /f
win watch --format jsonl "$C" -- reg add "$C\\InprocServer32" /ve /t REG_SZ /d 'C:\evil.dll' /f
expect_rc 1
grep -F 'InprocServer32","value":"","type":"REG_SZ","data":"C:\\evil.dll"' out |
	grep -qF '"persistence":{"category":"com-hijack","attack":"T1546.015"}' || {
	show
	fail "watch: a COM hijack in HKCU\Software\Classes is not flagged"
}
wine reg delete "$C" /f >/dev/null 2>&1 || true

# The command's failure is shown, not taken for regdiff's.
win watch "$K" -- reg query "$K\\NoSuchKey"
expect_rc 0
grep -q "^regdiff: note: 'reg' exited with status 1$" err || {
	show
	fail "watch: the command's exit status is not shown"
}

# A command still running when the wait is over is left running.
if [ -f "$HELPER" ]; then
	start=$(date +%s)
	win watch --wait 1 "$K" -- "$HELPER" sleep 8000
	expect_rc 0
	[ $(($(date +%s) - start)) -lt 7 ] || fail "watch --wait 1 waited for the command"
	grep -q "^regdiff: note: '.*regdiff_wine_helper.exe' was still running after the wait; it is left running$" err || {
		show
		fail "watch --wait: no note that the command still runs"
	}
fi

# What cannot run is trouble; so is no command.
win watch "$K" -- regdiff-no-such-program
expect_rc 2
grep -q "^regdiff: watch: cannot run 'regdiff-no-such-program'" err || {
	show
	fail "watch: a missing program is not reported"
}
win watch "$K"
expect_rc 2
grep -q "^regdiff: watch: no COMMAND given" err || {
	show
	fail "watch: no usage error without a command"
}

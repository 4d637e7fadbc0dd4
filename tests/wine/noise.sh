# watch's noise profile under Wine: around a run that adds a Run value, a
# service, an IFEO debugger and a COM server under the user's classes,
# Wine's own churn is removed and the four stay, flagged; none is even
# matched by a noise rule. Without the profile, what it removed shows.
. "$(dirname "$0")/lib.sh"

RUN='HKCU\Software\Microsoft\Windows\CurrentVersion\Run'
SVC='HKLM\System\CurrentControlSet\Services\regdiffnoisesvc'
IFEO='HKLM\Software\Microsoft\Windows NT\CurrentVersion\Image File Execution Options\regdiff-noise.exe'
COM='HKCU\Software\Classes\CLSID\{0D1E2F3A-0000-4000-8000-00000000AB15}'
clean() {
	wine reg delete "$RUN" /v regdiff-noise /f >/dev/null 2>&1 || true
	for k in "$SVC" "$IFEO" "$COM"; do
		wine reg delete "$k" /f >/dev/null 2>&1 || true
	done
}
clean
# One batch file: cmd /c takes no quoted arguments back from a command line.
cat >sample.bat <<EOF2
reg add "$RUN" /v regdiff-noise /t REG_SZ /d C:\\sample.exe /f
reg add "$SVC" /v ImagePath /t REG_EXPAND_SZ /d C:\\sample.exe /f
reg add "$IFEO" /v Debugger /t REG_SZ /d C:\\sample.exe /f
reg add "$COM\\InprocServer32" /ve /t REG_SZ /d C:\\evil.dll /f
EOF2
win watch --format jsonl --before w1.rds --after w2.rds HKLM HKCU -- cmd /c "Z:$(pwd | tr / '\\')\\sample.bat"
clean
expect_rc 1
grep -q '^{"meta":"filters","noise":"2026.11",' out || {
	show
	fail "watch: the report does not name the noise profile"
}
for want in \
	'"op":"value_added","key":"HKCU\\\\Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Run","value":"regdiff-noise".*"persistence":{"category":"run"' \
	'"op":"value_added","key":"HKLM\\\\System\\\\CurrentControlSet\\\\Services\\\\regdiffnoisesvc","value":"ImagePath".*"persistence":{"category":"service"' \
	'"op":"value_added","key":"HKLM\\\\Software\\\\Microsoft\\\\Windows NT\\\\CurrentVersion\\\\Image File Execution Options\\\\regdiff-noise.exe","value":"Debugger".*"persistence":{"category":"ifeo"' \
	'"op":"value_added","key":"HKCU\\\\Software\\\\Classes\\\\CLSID\\\\{0D1E2F3A-0000-4000-8000-00000000AB15}\\\\InprocServer32","value":"".*"persistence":{"category":"com-hijack"'; do
	grep -q "$want" out || {
		show
		fail "watch: missing $want"
	}
done
grep -q '"filter":' out && {
	show
	fail "watch: a noise rule matched the sample's changes"
}
# What is left is the sample's: its four values and the keys they made
# (HKCU\Software\Classes\CLSID too, which a new prefix lacks).
others=$(grep '^{"op":' out | grep -v -e 'regdiff-noise' -e 'regdiffnoisesvc' \
	-e '{0D1E2F3A-0000-4000-8000-00000000AB15}' -e '^{"op":"summary",' \
	-e '^{"op":"key_added","key":"HKCU\\\\Software\\\\Classes\(\\\\CLSID\)\{0,1\}",' || true)
[ -z "$others" ] || {
	printf '%s\n' "$others" | head -n 20 >&2
	fail "watch: Wine's churn is left in the report"
}
# The same snapshots without the profile: what it removed comes back,
# and nothing else (Wine's churn varies from run to run: the first run in
# a new prefix fills in NetworkCards, later ones may change nothing).
cp out with.jsonl
removed=$(sed -n 's/^{"meta":"filters","noise":"[^"]*","rules":[0-9]*,"removed":\([0-9]*\),.*/\1/p' with.jsonl)
lin compare --format jsonl --noise none w1.rds w2.rds
expect_rc 1
[ "$(grep -c '^{"op":"[a-z_]*","key"' out)" -eq "$(($(grep -c '^{"op":"[a-z_]*","key"' with.jsonl) + removed))" ] || {
	show
	fail "compare --noise none: not the changes the profile removed ($removed) and the rest"
}
exit 0

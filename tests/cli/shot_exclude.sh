# Shot exclusions (shot --exclude and --filters, watch --shot-exclude): the
# skipped subtrees are recorded, listed by info, and reported as not shot
# in every format, never as deleted or added; rules a shot cannot apply
# are refused. And ':' inside a rule's key name, written "\:".
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
F=$FIXTURES
SVC='HKLM\SYSTEM\ControlSet001\Services'
run_cases

#case shot
# The services of SYSTEM a not shot; SYSTEM b (a new service, BAM
# changes below Services) shot whole: one not-shot entry, exit 3.
run shot -o a.rds --exclude "$SVC\\**" "HKLM\\SYSTEM=$F/noise_system_a.hiv"
expect_rc 0
[ "$(cat err)" = 'regdiff: warning: a.rds: exclusion HKLM\SYSTEM\ControlSet001\Services\**: 1 of the subtrees skipped hold persistence locations (rdp, dns, dhcp, ntds, winsock, time-provider, service, network-provider): changes there are not in this snapshot' ] ||
	{ show; fail "$last: no warning about the persistence locations skipped"; }
run shot -q -o b.rds "HKLM\\SYSTEM=$F/noise_system_b.hiv"
expect_ok 0
run info a.rds
expect_ok 0
sed -n '/^Not shot:$/,$p' out >not_shot
cat >want <<'EOF2'
Not shot:
  HKLM\SYSTEM\ControlSet001\Services\** (--exclude): 1 subtree
    warning: 1 of them at persistence locations (rdp, dns, dhcp, ntds, winsock, time-provider, service, network-provider): changes there are not in this snapshot
EOF2
expect_same want not_shot
grep -qx 'Keys: 3' out || fail "$last: the skipped keys were counted"
run compare a.rds b.rds
expect_ok 3
normalise_datetime out
expect_golden out shot_exclude.txt
run compare --format jsonl a.rds b.rds
expect_ok 3
expect_golden out shot_exclude.jsonl
if "$REGDIFF" --version | grep -q '+html'; then
	run compare --format html a.rds b.rds
	expect_ok 3
	grep -qF '<tr><th>Not shot</th><td>HKLM\SYSTEM\ControlSet001\Services\** (--exclude: 1 subtree not shot, 1 of them at persistence locations: rdp, dns, dhcp, ntds, winsock, time-provider, service, network-provider)</td><td></td></tr>' out ||
		fail "$last: no Not shot row in the summary"
	grep -qF '<tr><td class="k">HKLM\<wbr/>SYSTEM\<wbr/>ControlSet001\<wbr/>Services</td><td></td><td>excluded</td><td>before</td></tr>' out ||
		fail "$last: no not-shot row"
fi
# The same rule on both sides: one entry naming both.
run shot -q -o b2.rds --exclude "$SVC\\**" "HKLM\\SYSTEM=$F/noise_system_b.hiv"
expect_ok 0
run compare a.rds b2.rds
expect_ok 3
grep -qx 'HKLM\\SYSTEM\\ControlSet001\\Services: not shot: excluded (before, after)' out ||
	fail "$last: want one entry for both sides"

#case absent
# The excluded key is missing where it was excluded (evilsvc is new in b):
# the other side's evilsvc is not shot there, not added or deleted.
run shot -q -o a.rds --exclude "$SVC\\evilsvc" "HKLM\\SYSTEM=$F/noise_system_a.hiv"
expect_ok 0
run shot -q -o b.rds "HKLM\\SYSTEM=$F/noise_system_b.hiv"
expect_ok 0
run info a.rds
grep -qx '  HKLM\\SYSTEM\\ControlSet001\\Services\\evilsvc (--exclude): 0 subtrees' out ||
	fail "$last: want 0 subtrees skipped"
run compare a.rds b.rds
expect_ok 1
grep -qx 'HKLM\\SYSTEM\\ControlSet001\\Services\\evilsvc: not shot: excluded (before)' out ||
	fail "$last: evilsvc not reported as not shot"
grep -q '^HKLM.*evilsvc.*\[persistence' out && fail "$last: evilsvc reported as added"
grep -qx 'Total changes: 2 (incomplete: 1 not compared, 0 unread in both, 0 problems before, 0 after)' out ||
	fail "$last: want the BAM changes only"
# And the other way round: excluded on the after side.
run shot -q -o a2.rds "HKLM\\SYSTEM=$F/noise_system_a.hiv"
run shot -q -o b2.rds --exclude "$SVC\\evilsvc" "HKLM\\SYSTEM=$F/noise_system_b.hiv"
run compare a2.rds b2.rds
expect_ok 1
grep -qx 'HKLM\\SYSTEM\\ControlSet001\\Services\\evilsvc: not shot: excluded (after)' out ||
	fail "$last: evilsvc not reported as not shot"
grep -q '^HKLM.*evilsvc.*\[persistence' out && fail "$last: evilsvc reported as added"

#case refused
# Value rules, change kinds and include rules cannot skip keys: refused,
# naming the rule and where it came from; no snapshot is written.
run shot -o x.rds --exclude 'HKLM\SYSTEM\Select:Current' "HKLM\\SYSTEM=$F/noise_system_a.hiv"
expect_error "regdiff: shot exclusion 'HKLM\\SYSTEM\\Select:Current' from --exclude: a value rule: a shot skips whole keys (filter values when comparing)"
run shot -o x.rds --exclude 'HKLM\SYSTEM\** added' "HKLM\\SYSTEM=$F/noise_system_a.hiv"
expect_error "regdiff: shot exclusion 'HKLM\\SYSTEM\\** added' from --exclude: a rule with change kinds: a shot sees keys, not changes"
printf '# lab\nexclude HKLM\\SYSTEM\\Select\ninclude HKLM\\SYSTEM\\Select\\x\n' >rules.txt
run shot -o x.rds --filters rules.txt "HKLM\\SYSTEM=$F/noise_system_a.hiv"
expect_error "regdiff: shot exclusion 'HKLM\\SYSTEM\\Select\\x' from rules.txt:3: an include rule cannot bring back part of a subtree a shot skips: shots take exclude rules only"
run shot -o x.rds --exclude '**\Run' "HKLM\\SYSTEM=$F/noise_system_a.hiv"
expect_error "regdiff: filter rule '**\\Run': a rule starts with a root written out"
ls x.rds* >/dev/null 2>&1 && fail "a refused shot left a file"
:

#case filters_file
# A rules file's exclude lines, each counted with its file:line.
printf 'exclude HKLM\\SYSTEM\\Select\nexclude HKLM\\SYSTEM\\ControlSet001\\Services\\bam\\State\\**\n' >rules.txt
run shot -q -o a.rds --filters rules.txt "HKLM\\SYSTEM=$F/noise_system_a.hiv"
expect_ok 0
run shot -q -o b.rds --filters rules.txt "HKLM\\SYSTEM=$F/noise_system_b.hiv"
expect_ok 0
run info a.rds
sed -n '/^Not shot:$/,$p' out >not_shot
cat >want <<'EOF2'
Not shot:
  HKLM\SYSTEM\Select (rules.txt:1): 0 subtrees
  HKLM\SYSTEM\ControlSet001\Services\bam\State\** (rules.txt:2): 1 subtree
EOF2
expect_same want not_shot
run compare a.rds b.rds
expect_ok 1
sed -n '/^Not compared/,$p' out >nc
cat >want <<'EOF2'
Not compared: 1
----------------------------------
HKLM\SYSTEM\ControlSet001\Services\bam\State: not shot: excluded (before, after)

----------------------------------
Keys added: 1
----------------------------------
HKLM\SYSTEM\ControlSet001\Services\evilsvc [persistence: service T1543.003]

----------------------------------
Values added: 2
----------------------------------
HKLM\SYSTEM\ControlSet001\Services\evilsvc\ImagePath: "C:\ProgramData\evil.exe" [persistence: service T1543.003]
HKLM\SYSTEM\ControlSet001\Services\evilsvc\Start: 0x00000002 [persistence: service T1543.003]

----------------------------------
Total changes: 3 (incomplete: 1 not compared, 0 unread in both, 0 problems before, 0 after)
----------------------------------
EOF2
expect_same want nc

#case watch
# watch shoots twice: --shot-exclude applies to both shots.
cp "$F/noise_system_a.hiv" w.hiv
chmod u+w w.hiv
run watch -q --shot-exclude "$SVC\\**" "HKLM\\SYSTEM=w.hiv" -- cp "$F/noise_system_b.hiv" w.hiv
expect_ok 3
grep -qx 'HKLM\\SYSTEM\\ControlSet001\\Services: not shot: excluded (before, after)' out ||
	fail "$last: the services were shot"
grep -qx 'Not shot 2: HKLM\\SYSTEM\\ControlSet001\\Services\\\*\* (--shot-exclude: 1 subtree not shot, 1 of them at persistence locations: rdp, dns, dhcp, ntds, winsock, time-provider, service, network-provider)' out ||
	fail "$last: no Not shot line for the second shot"

#case colon
# A key whose name holds ':' (a drive letter, as some keys name folders):
# "\:" writes the ':' in a rule, which then excludes it at compare time
# and at shot time; unescaped, the ':' starts a value name.
cat >a.txt <<'EOF2'
key "Software\C:\Temp"
  value "v" REG_SZ "1"
key "Software\D"
  value "v" REG_SZ "1"
EOF2
cat >b.txt <<'EOF2'
key "Software\C:\Temp"
  value "v" REG_SZ "2"
key "Software\D"
  value "v" REG_SZ "2"
EOF2
"$REGDIFF_MKHIVE" a.txt a.hiv || fail "mkhive a.txt"
"$REGDIFF_MKHIVE" b.txt b.hiv || fail "mkhive b.txt"
run compare --exclude 'HKLM\T\Software\C\:\Temp' 'HKLM\T=a.hiv' 'HKLM\T=b.hiv'
expect_ok 1
grep -qx 'Filter: HKLM\\T\\Software\\C\\:\\Temp (--exclude): 1 removed, 0 kept' out ||
	fail "$last: the escaped rule removed nothing"
grep -v '^Filter' out | grep -q 'C:' && fail "$last: the change under C: was kept"
run compare --exclude 'HKLM\T\Software\C:\Temp' 'HKLM\T=a.hiv' 'HKLM\T=b.hiv'
expect_ok 1
grep -qx 'Filters: 1 rules, 0 changes removed, 0 kept at persistence locations' out ||
	fail "$last: an unescaped ':' must start a value name"
run shot -q -o a.rds --exclude 'HKLM\T\Software\C\:' 'HKLM\T=a.hiv'
expect_ok 0
run shot -q -o b.rds 'HKLM\T=b.hiv'
run compare a.rds b.rds
expect_ok 1
grep -qx 'HKLM\\T\\Software\\C:: not shot: excluded (before)' out || fail "$last: C: was shot"

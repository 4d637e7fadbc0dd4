# Filters and the noise profile (docs/filters.md) over the noise_* fixture
# hives: Windows' noise (RNG seed, TaskCache DynamicInfo, BAM, UserAssist,
# MUICache, with regdiff's own entries among them) beside a sample's Run
# values, IFEO debugger, service and COM server.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
F=$FIXTURES
for side in a b; do
	run shot -q -o "$side.rds" "HKLM\\SOFTWARE=$F/noise_software_$side.hiv" \
		"HKLM\\SYSTEM=$F/noise_system_$side.hiv" "HKU\\alice=$F/noise_ntuser_$side.hiv" \
		"HKU\\alice_Classes=$F/noise_usrclass_$side.hiv"
	expect_ok 0
done

# Offline hives: no profile unless asked (the report names none), and
# none when told so.
run compare a.rds b.rds
expect_ok 1
grep -q '^Noise profile:' out && fail "$last: a noise profile by default on offline hives"
grep -qx 'Total changes: 19' out || fail "$last: want 19 changes unfiltered"
run compare --noise none --format jsonl a.rds b.rds
expect_ok 1
tail -n 1 out | grep -qx '{"meta":"filters","noise":"none","rules":0,"removed":0,"kept":0,"by_rule":\[\]}' ||
	fail "$last: the report does not say it has no filters"

# The profile removes exactly the noise (8 changes, 3 of them regdiff's
# own), every count per rule in the header, the removed in their section.
run compare --noise default --show-filtered a.rds b.rds
expect_ok 1
normalise_datetime out
expect_golden out filters_profile.txt
run compare --noise default --show-filtered --format jsonl a.rds b.rds
expect_ok 1
expect_golden out filters_profile.jsonl
run compare --noise default --format jsonl a.rds b.rds
expect_ok 1
[ "$(grep -c '"filter":' out)" -eq 0 ] || fail "$last: removed changes listed without --show-filtered"
tail -n 1 out | grep -q '^{"meta":"filters","noise":"2026.11","rules":58,"removed":8,"kept":0,' ||
	fail "$last: no filters record last"

# A rule as broad as a whole root removes everything there but what is at
# a persistence location: the Run value, the IFEO debugger and the new
# service stay, marked with the rule.
run compare --exclude 'HKLM\**' a.rds b.rds
expect_ok 1
normalise_datetime out
expect_golden out filters_broad.txt
if [ -n "$(command -v xmllint || true)" ] || "$REGDIFF" --version | grep -q '+html'; then
	run compare --format html --exclude 'HKLM\**' --show-filtered a.rds b.rds
	expect_ok 1
	grep -q '<p id="filters">Noise profile: none</p><p>Filters: 1 rules, 6 changes removed, 5 kept at persistence locations</p>' out ||
		fail "$last: no filters summary"
	grep -q '<td>HKLM\\\*\*</td><td>--exclude</td><td></td><td class="n">6</td><td class="n">5</td>' out ||
		fail "$last: no count of the rule"
	# Marked in their sections and in the persistence table alike.
	[ "$(grep -o '(matched filter HKLM\\\*\*)' out | wc -l)" -eq 10 ] ||
		fail "$last: want 5 marked changes, each marked twice"
	grep -qF '<tr><td class="tag">run</td><td class="tag">T1547.001 (matched filter HKLM\**)</td><td>value added</td><td class="k">HKLM\<wbr/>SOFTWARE\<wbr/>Microsoft\<wbr/>Windows\<wbr/>CurrentVersion\<wbr/>Run</td><td class="v">Updater</td><td class="y">REG_SZ</td><td></td><td class="d">C:\ProgramData\upd.exe</td></tr>' out ||
		fail "$last: the persistence table does not mark the Run value"
	grep -qF '<tr><td class="tag">service</td><td class="tag">T1543.003 (matched filter HKLM\**)</td><td>key added</td><td class="k">HKLM\<wbr/>SYSTEM\<wbr/>ControlSet001\<wbr/>Services\<wbr/>evilsvc</td><td></td><td></td><td></td><td></td></tr>' out ||
		fail "$last: the persistence table does not mark the new service"
	grep -q '<h2>Filtered: 6</h2>' out || fail "$last: no Filtered section"
fi

# Include beats exclude; kinds narrow a rule.
run compare --exclude 'HKU\alice\**' --include 'HKU\alice\Software\*\Windows\CurrentVersion\Explorer\UserAssist\**' a.rds b.rds
expect_ok 1
grep -qx 'Filter: HKU\\alice\\\*\* (--exclude): 0 removed, 1 kept' out || fail "$last: include lost"
run compare --exclude 'HKLM\SOFTWARE\** modified' a.rds b.rds
expect_ok 1
grep -qx 'Filters: 1 rules, 3 changes removed, 0 kept at persistence locations' out ||
	fail "$last: kinds not applied"

# A rules file: comments, both actions; a bad line names file and line.
cat >rules.txt <<'EOF2'
# noise of our lab
exclude HKLM\SOFTWARE\Acme\**

include HKLM\SOFTWARE\Acme\Settings:Mode value-added
EOF2
run compare --filters rules.txt a.rds b.rds
expect_ok 1
grep -qx 'Filter: HKLM\\SOFTWARE\\Acme\\\*\* (rules.txt:2): 1 removed, 0 kept' out ||
	fail "$last: the file's rule not counted"
printf 'exclude HKLM\\Foo\nexclude **\\Run\n' >bad.txt
run compare --filters bad.txt a.rds b.rds
expect_error "bad.txt:2: a rule starts with a root written out (HKLM, HKU, HKCU, HKCC): a rule without one would match a name anywhere"
printf 'exclude HKLM\\Foo\nhide HKLM\\Bar\n' >bad.txt
run filters --check bad.txt
expect_error "bad.txt:2: a line is 'exclude RULE' or 'include RULE'"
run compare --exclude 'HKLM\**\Run' a.rds b.rds
expect_error "filter rule 'HKLM\\**\\Run': '**' right after the root, followed by more names, would match a name anywhere in the root: name the keys above it"
run compare --exclude 'HKCR\CLSID' a.rds b.rds
expect_error "HKCR is a merged view"
run compare --noise some a.rds b.rds
expect_usage_error
run compare --filters rules.txt -o rules.txt a.rds b.rds
expect_error "rules.txt"
cmp -s rules.txt - <<'EOF2' || fail "the rules file was overwritten"
# noise of our lab
exclude HKLM\SOFTWARE\Acme\**

include HKLM\SOFTWARE\Acme\Settings:Mode value-added
EOF2

# The profile, listed.
run filters --list
expect_ok 0
head -n 1 out | grep -qx '# regdiff noise profile 2026.11: 58 rules' || fail "$last: no header"
[ "$(grep -c '^exclude ' out)" -eq 58 ] || fail "$last: not every rule listed"

# A '\' inside one name must not read as a path separator: a key named
# "Microsoft\Windows\CurrentVersion\Run" (one name, as a hostile hive may
# hold) and the real path print differently in every format.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
[ -n "${REGDIFF_MKHIVE:-}" ] || fail "REGDIFF_MKHIVE not set"
# \u{5C} is a backslash inside a name (fixtures/README.md).
cat >a.txt <<'EOF2'
key "Software\Microsoft\Windows\CurrentVersion\Run"
key "Software\Microsoft\u{5C}Windows\u{5C}CurrentVersion\u{5C}Run"
key "Software\Plain"
EOF2
cat >b.txt <<'EOF2'
key "Software\Microsoft\Windows\CurrentVersion\Run"
  value "Real" REG_SZ "real.exe"
key "Software\Microsoft\u{5C}Windows\u{5C}CurrentVersion\u{5C}Run"
  value "Fake" REG_SZ "fake.exe"
key "Software\Microsoft\u{5C}Windows\u{5C}CurrentVersion\u{5C}Run\Sub"
key "Software\Plain"
  value "a\b" REG_SZ "x"
EOF2
"$REGDIFF_MKHIVE" a.txt a.hiv || fail "mkhive a.txt"
"$REGDIFF_MKHIVE" b.txt b.hiv || fail "mkhive b.txt"
A='HKLM\T=a.hiv'
B='HKLM\T=b.hiv'

# TXT: the inner '\' shows as U+29F5, in key and value names alike.
run compare "$A" "$B"
expect_ok 1
sed -n '/^Keys added: 1$/,$p' out | grep -v -e '^---' -e '^$' >got
cat >want <<'EOF2'
Keys added: 1
HKLM\T\Software\Microsoft⧵Windows⧵CurrentVersion⧵Run\Sub
Values added: 3
HKLM\T\Software\Microsoft\Windows\CurrentVersion\Run\Real: "real.exe"
HKLM\T\Software\Microsoft⧵Windows⧵CurrentVersion⧵Run\Fake: "fake.exe"
HKLM\T\Software\Plain\a⧵b: "x"
Total changes: 4
EOF2
# The persistence markers are the persistence table's business.
sed 's/ \[persistence: [^]]*\]$//' got >got.plain
expect_same want got.plain

# JSON lines: "key" is the path as before; "key_names" is there exactly
# when splitting it at each '\' would not give the names back.
run compare --format jsonl "$A" "$B"
expect_ok 1
sed -e 's/,"persistence":{[^}]*}//' -e 's/,"time":"[^"]*"//' -e 's/,"data_hex":"[^"]*"//' out >got
cat >want <<'EOF2'
{"op":"value_added","key":"HKLM\\T\\Software\\Microsoft\\Windows\\CurrentVersion\\Run","value":"Real","type":"REG_SZ","data":"real.exe"}
{"op":"value_added","key":"HKLM\\T\\Software\\Microsoft\\Windows\\CurrentVersion\\Run","key_names":["HKLM","T","Software","Microsoft\\Windows\\CurrentVersion\\Run"],"value":"Fake","type":"REG_SZ","data":"fake.exe"}
{"op":"key_added","key":"HKLM\\T\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Sub","key_names":["HKLM","T","Software","Microsoft\\Windows\\CurrentVersion\\Run","Sub"]}
{"op":"value_added","key":"HKLM\\T\\Software\\Plain","value":"a\\b","type":"REG_SZ","data":"x"}
EOF2
expect_same want got

# HTML: a marked code, where a separator would be a plain '\'.
if "$REGDIFF" --version | grep -q '+html'; then
	run compare --format html "$A" "$B"
	expect_ok 1
	grep -q 'Microsoft<span class="c" title="U+005C">U+005C</span>Windows<span class="c" title="U+005C">U+005C</span>CurrentVersion' out ||
		fail "$last: the name's backslash is not marked"
	[ "$(grep -o 'title="U+005C"' out | wc -l)" -eq $((3 * 2)) ] ||
		fail "$last: $(grep -o 'title="U+005C"' out | wc -l) marked backslashes, want 6 (3 in each of 2 cells)"
fi

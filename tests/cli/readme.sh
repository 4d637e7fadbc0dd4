# The README's examples, as a user would run them (tests/readme.cmake):
# its JSON lines example is what a real compare writes, every regdiff
# command of its sh blocks runs on fixture hives put where the commands
# look for them, and each C block, built by tests/readme.cmake
# (REGDIFF_README_C, paths separated by ':'), runs on fixtures too. One
# ctest test per case.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
README=$(dirname "$0")/../../README.md
[ -f "$README" ] || fail "no README.md at $README"

# The hives and snapshots the examples name: /mnt/... below the current
# folder, before.rds, after.rds and a user's two NTUSER.DAT.
sandbox() {
	mkdir -p mnt/win/Windows/System32/config
	cp "$FIXTURES/software_a.hiv" mnt/win/Windows/System32/config/SOFTWARE
	cp "$FIXTURES/system_a.hiv" mnt/win/Windows/System32/config/SYSTEM
	cp "$FIXTURES/software_b.hiv" mnt/SOFTWARE
	for i in 1 2; do
		mkdir -p mnt/image$i/Windows/System32/config
		cp "$FIXTURES/system_a.hiv" mnt/image$i/Windows/System32/config/SYSTEM
	done
	cp "$FIXTURES/software_a.hiv" mnt/image1/Windows/System32/config/SOFTWARE
	cp "$FIXTURES/software_b.hiv" mnt/image2/Windows/System32/config/SOFTWARE
	cp "$FIXTURES/base.hiv" NTUSER.DAT
	cp "$FIXTURES/changed.hiv" NTUSER_modified.DAT
	"$REGDIFF" -q shot -o before.rds "HKLM\\SOFTWARE=$FIXTURES/software_a.hiv" ||
		fail "cannot make before.rds"
	"$REGDIFF" -q shot -o after.rds "HKLM\\SOFTWARE=$FIXTURES/software_b.hiv" \
		"HKLM\\SYSTEM=$FIXTURES/system_a.hiv" || fail "cannot make after.rds"
}
run_cases

#case json
# The change the example shows: a user's REG_SZ "fast" become REG_DWORD 1.
[ -n "${REGDIFF_MKHIVE:-}" ] || skip "no mkhive in this build"
printf '%s\n' 'filename "\??\C:\Users\alice\ntuser.dat"' 'key "Software\App"' >a.txt
cp a.txt b.txt
printf '  value "Mode" REG_SZ "fast"\n' >>a.txt
printf '  value "Mode" REG_DWORD 1\n' >>b.txt
mkdir -p before/Users/alice after/Users/alice
"$REGDIFF_MKHIVE" a.txt before/Users/alice/NTUSER.DAT || fail "mkhive a.txt"
"$REGDIFF_MKHIVE" b.txt after/Users/alice/NTUSER.DAT || fail "mkhive b.txt"
run compare --format jsonl before/Users/alice/NTUSER.DAT after/Users/alice/NTUSER.DAT
expect_ok 1
awk '/^ *```json$/ { on = 1; next } /^ *```/ { on = 0 } on { sub(/^ */, ""); print }' \
	"$README" >readme.jsonl
[ -s readme.jsonl ] || fail "no json block in the README"
expect_same readme.jsonl out

#case shell
# Each regdiff command of the README's sh blocks, lines joined at a final
# '\', comments dropped; what comes before a build's regdiff on the line
# (setting up, building) is left out, the build's paths are this build's,
# and /mnt/ is below the current folder.
sandbox
shared=${REGDIFF_SHARED_HIVES:-}
awk '/^```sh$/ { on = 1; next } /^```/ { on = 0 } on' "$README" |
	sed -e ':a' -e '/\\$/{N;s/\\\n *//;ba' -e '}' |
	sed -n -e 's/  *# .*$//' -e 's/^.*&& \(build\/default\/cli\/regdiff \)/\1/' \
		-e '/^\(build\/default\/cli\/\)\{0,1\}regdiff /p' >commands
[ "$(lines commands)" -ge 7 ] || fail "only $(lines commands) regdiff commands in the README: $(cat commands)"
n=0
while IFS= read -r line; do
	case $line in
	*../shared/hives*)
		[ -d "$shared" ] || {
			echo "skipped (no ../shared/hives): $line" >&2
			continue
		}
		;;
	esac
	cmd=$(printf '%s\n' "$line" | sed -e "s|^build/default/cli/regdiff |regdiff |" \
		-e "s|build/default/fixtures/|$FIXTURES/|g" -e "s|\.\./shared/hives|$shared|g" \
		-e "s| /mnt/| $PWD/mnt/|g" -e "s|=/mnt/|=$PWD/mnt/|g")
	rc=0
	# shellcheck disable=SC2086 # the README's command, split as the shell would
	eval "\"\$REGDIFF\" ${cmd#regdiff }" >out 2>err </dev/null || rc=$?
	last=$cmd
	[ "$rc" -le 1 ] || { show; fail "README: '$line' exited $rc"; }
	expect_empty err
	n=$((n + 1))
done <commands
echo "$n README commands ran" >&2

#case c
[ -n "${REGDIFF_README_C:-}" ] || skip "no C example in the README"
sandbox
# The examples' paths /mnt/... are mnt/... (tests/readme.cmake).
IFS=:
for prog in $REGDIFF_README_C; do
	rc=0
	"$prog" >out 2>err || rc=$?
	last=$prog
	expect_ok 0
	# software_a -> software_b: some changes, each "OP KEY" under the mount.
	[ -s out ] || fail "$prog: no changes printed"
	if grep -v '^[0-9][0-9]* HKLM\\SOFTWARE' out >&2; then
		fail "$prog: lines not of the form 'OP HKLM\\SOFTWARE...'"
	fi
	cat out >>all
done
unset IFS
# The data example's lines, data as the TXT report shows it.
for want in \
	'5 HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\CurrentBuild: "19045" -> "19046"' \
	'3 HKLM\SOFTWARE\Classes\.old\: "oldfile" -> ' \
	'4 HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Run\Updater:  -> "C:\ProgramData\Updater\updater.exe"'; do
	grep -qxF "$want" all || fail "no C example printed: $want"
done

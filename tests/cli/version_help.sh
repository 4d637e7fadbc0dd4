# --version, --help, help COMMAND and COMMAND --help: status 0, the text on
# stdout, nothing on stderr. One ctest test per case.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
run_cases

#case version
run --version
expect_ok 0
[ "$(lines out)" -eq 2 ] || fail "--version: want two lines: $(cat out)"
[ "$(sed -n 1p out)" = "regdiff $REGDIFF_EXPECT_VERSION" ] ||
	fail "--version: first line '$(sed -n 1p out)', want 'regdiff $REGDIFF_EXPECT_VERSION'"
sed -n 2p out | grep -Eq '^features: [+-]hive [+-]html [+-]live [+-]images$' ||
	fail "--version: bad features line '$(sed -n 2p out)'"
# Built here with hivex exactly when the fixtures could be made; the live
# registry exists only on Windows.
if [ -n "$FIXTURES" ]; then
	grep -q ' +hive ' out || fail "--version: hive missing: $(cat out)"
fi
grep -q ' -live ' out || fail "--version: live on this platform? $(cat out)"
cp out version
run -V
expect_ok 0
expect_same version out
run -q --version
expect_ok 0
expect_same version out

#case help
run --help
expect_ok 0
head -n 1 out | grep -q '^Usage: regdiff ' || fail "--help: $(head -n 1 out)"
for c in shot compare info help; do
	grep -q "^  $c " out || fail "--help does not list $c"
done
cp out help
for args in -h help; do
	run $args
	expect_ok 0
	expect_same help out
done

#case command_help
for c in shot compare info watch; do
	run help "$c"
	expect_ok 0
	head -n 1 out | grep -q "^Usage: regdiff $c " || fail "help $c: $(head -n 1 out)"
	cp out "help_$c"
	for args in "$c --help" "$c -h" "-q $c --help"; do
		# shellcheck disable=SC2086 # words on purpose
		run $args
		expect_ok 0
		expect_same "help_$c" out
	done
done

# Where -o writes: FIFOs and devices in place (never replaced by a
# regular file), never over an input, with the permissions of the file it
# replaces, under a temporary name that works for the longest names and
# that SIGINT and SIGTERM remove. One ctest test per case.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
cp "$FIXTURES/base.hiv" "$FIXTURES/changed.hiv" .
run -q shot -o a.rds base.hiv
expect_ok 0
run -q shot -o b.rds changed.hiv
expect_ok 0
run -q compare -o want.txt a.rds b.rds
expect_ok 1
run_cases

#case fifo
# --- A FIFO: read by a background cat, and still a FIFO afterwards. -----
mkfifo fifo
cat fifo >from_fifo &
reader=$!
run -q compare -o fifo a.rds b.rds
# Replaced, the FIFO would leave its reader waiting for ever.
[ -p fifo ] || { kill $reader; fail "$last: the FIFO was replaced"; }
expect_ok 1
wait $reader
expect_same want.txt from_fifo
cat fifo >snap_from_fifo &
reader=$!
run -q shot -o fifo base.hiv
[ -p fifo ] || { kill $reader; fail "$last: the FIFO was replaced"; }
expect_ok 0
wait $reader
run -q info snap_from_fifo
expect_ok 0
# Without -q and with an exclusion, the shot must not read its output back
# for warnings: opening a FIFO to read blocks for ever once its reader is
# gone (the timeout turns such a hang into a failure).
cat fifo >snap_from_fifo &
reader=$!
rc=0
timeout 60 "$REGDIFF" shot -o fifo --exclude 'HKLM\SOFTWARE\Nothing\**' base.hiv \
	>out 2>err || rc=$?
last="regdiff shot -o fifo --exclude ... (not quiet)"
expect_ok 0
wait $reader
run -q info snap_from_fifo
expect_ok 0
rm -f fifo from_fifo snap_from_fifo

#case dev_null
# --- /dev/null stays the character device it is. ------------------------
if [ -c /dev/null ] && [ -w /dev/null ]; then
	before=$(ls -l /dev/null)
	run -q compare -o /dev/null a.rds b.rds
	expect_ok 1
	[ -c /dev/null ] || fail "$last: /dev/null is no longer a character device"
	[ "$(ls -l /dev/null)" = "$before" ] || fail "$last: /dev/null changed: $(ls -l /dev/null)"
	run -q shot -o /dev/null base.hiv
	expect_ok 0
	[ -c /dev/null ] || fail "$last: /dev/null is no longer a character device"
fi
[ "$(ls /dev/null.tmp-* 2>/dev/null)" = "" ] || fail "a temporary file was made in /dev"

#case output_is_input
# --- An output that is also an input is refused, before anything. ------
cp a.rds a.orig
cp base.hiv base.orig
ln -s a.rds link.rds
check_refused() { # WHAT-THE-ERROR-SAYS ARGS...
	_say=$1
	shift
	run "$@"
	expect_error "$_say"
	expect_same a.orig a.rds
	expect_same base.orig base.hiv
	[ ! -e w.rds ] || fail "$last: w.rds written"
}
check_refused "a.rds: is also an input; refusing to write over it" compare -o a.rds a.rds b.rds
check_refused "a.rds: is also an input; refusing" compare -o a.rds b.rds a.rds
check_refused "link.rds: is also an input (as a.rds); refusing" compare -o link.rds a.rds b.rds
check_refused "base.hiv: is also an input" compare -o base.hiv base.hiv changed.hiv
check_refused "base.hiv: is also an input" compare -o base.hiv 'HKLM\X=base.hiv' b.rds
check_refused "base.hiv: is also an input" compare -o "$PWD/base.hiv" 'HKLM\X=./base.hiv' b.rds
check_refused "a.rds: is also an input" compare --locations a.rds -o a.rds base.hiv changed.hiv
check_refused "base.hiv: is also an input" shot -o base.hiv base.hiv
check_refused "base.hiv: is also an input" shot -o base.hiv changed.hiv 'HKLM\X=base.hiv'
check_refused "base.hiv: is also an input" watch --before base.hiv base.hiv -- true
check_refused "base.hiv: is also an input" watch --after base.hiv base.hiv -- true
check_refused "base.hiv: is also an input" watch -o base.hiv base.hiv -- true
check_refused "w.rds: named for two outputs" watch --before w.rds --after w.rds base.hiv -- true
check_refused "w.rds: named for two outputs" watch --before w.rds -o w.rds base.hiv -- true
rm -f link.rds a.orig base.orig

#case permissions
# --- Replacing a file keeps its permissions. -----------------------------
printf 'old\n' >private.txt
chmod 600 private.txt
run -q compare -o private.txt a.rds b.rds
expect_ok 1
expect_same want.txt private.txt
[ "$(ls -l private.txt | cut -c1-10)" = "-rw-------" ] ||
	fail "$last: private.txt is now $(ls -l private.txt | cut -c1-10)"
chmod 640 a.rds
cp a.rds private.rds
run -q shot -o private.rds base.hiv
expect_ok 0
[ "$(ls -l private.rds | cut -c1-10)" = "-rw-r-----" ] ||
	fail "$last: private.rds is now $(ls -l private.rds | cut -c1-10)"
rm -f private.txt private.rds

#case long_names
# --- Names of 245 to 255 bytes work (the temporary name is shorter). -----
for n in 245 250 255; do
	name=$(printf "%${n}s" "" | tr ' ' n)
	run -q compare -o "$name" a.rds b.rds
	expect_ok 1
	expect_same want.txt "$name"
	rm -f "$name"
done
run -q shot -o "$(printf '%255s' "" | tr ' ' s)" base.hiv
expect_ok 0
rm -f sssss*

#case signals
# --- SIGINT and SIGTERM remove the temporary file. ------------------------
# A shot of the hive mounted many times lasts long enough to be caught
# while its temporary file exists; the count grows until one is.
mounts=16
caught=0
for sig in INT TERM; do
	for try in 1 2 3 4 5 6; do
		set --
		i=0
		while [ $i -lt $mounts ]; do
			i=$((i + 1))
			set -- "$@" "HKLM\\M$i=base.hiv"
		done
		# A shell starts background commands with SIGINT ignored
		# (which regdiff leaves so, as nohup wants): undo that.
		env --default-signal=INT "$REGDIFF" -q shot -o sig.rds "$@" 2>sig.err &
		pid=$!
		# Until the temporary file shows or the shot is over.
		while [ -z "$(ls sig.rds.tmp-* 2>/dev/null)" ] && kill -0 $pid 2>/dev/null; do
			:
		done
		seen=$(ls sig.rds.tmp-* 2>/dev/null || true)
		kill -s $sig $pid 2>/dev/null || true
		rc=0
		wait $pid || rc=$?
		# A signal that lands after the rename finds the output
		# complete: that is a try too late, not a fault, if the file
		# reads back whole.
		if [ -n "$seen" ] && [ $rc -gt 128 ] && [ -e sig.rds ]; then
			"$REGDIFF" info sig.rds >/dev/null 2>&1 ||
				fail "SIG$sig: a partial sig.rds was written"
		elif [ -n "$seen" ] && [ $rc -gt 128 ]; then
			caught=$((caught + 1))
			[ -z "$(ls sig.rds.tmp-* 2>/dev/null)" ] ||
				fail "SIG$sig left $(ls sig.rds.tmp-*)"
			break
		fi
		rm -f sig.rds sig.rds.tmp-*
		mounts=$((mounts * 2))
	done
done
rm -f sig.err
[ $caught -eq 2 ] || fail "the shot never ran long enough to be interrupted ($mounts mounts)"

#case file_name_errors
# --- Clear errors about file names. ---------------------------------------
run shot -o x.rds 'HKLM\X='
expect_error "HKLM\\X=: empty file name after '='"
bad=$(printf 'bad\377name')
cp base.hiv "$bad"
run shot -o x.rds "$bad"
expect_error "bad$(printf '\357\277\275')name: cannot be mounted at"
rm -f "$bad"
# libhivex's errno values get a sentence, not "Bad address" (a cell offset
# outside the data) or "Operation not supported" (a record it refuses):
# base.hiv cut after its first bin, and cut in the middle.
head -c 8192 base.hiv >cut.hiv
run -q shot -o cut.rds cut.hiv
expect_ok 0
run info cut.rds
expect_ok 0
grep -qx '  cut.hiv: subkeys not read: a cell offset points outside the hive.s data or at no cell' out ||
	fail "$last: $(cat out)"
head -c 20000 base.hiv >cut.hiv
run shot -o cut.rds cut.hiv
if [ $rc -ne 0 ]; then
	expect_error "cut.hiv: damaged hive, libhivex cannot read it (a record libhivex does not accept:"
fi
grep -q -e 'Bad address' -e 'Operation not supported' err && fail "$last: $(cat err)"
rm -f cut.hiv cut.rds

# Error lines show invisible characters as the reports do (U+FFFD): a
# zero-width space and a right-to-left override in a missing file's name.
run shot -o x.rds "$(printf 'a\342\200\213b\342\200\256c')"
expect_error "a$(printf '\357\277\275')b$(printf '\357\277\275')c"
[ ! -e x.rds ] || fail "x.rds written"

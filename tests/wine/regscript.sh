# .reg scripts on the live registry under Wine: a shot of a probe subtree,
# changes made with reg.exe, a second shot; `reg import` of the undo
# script then gives a third shot equal to the first, and `reg import` of
# the redo script one equal to the second.
. "$(dirname "$0")/lib.sh"

T='HKCU\Software\regdiff-regscript'
wine reg delete "$T" /f >/dev/null 2>&1 || true

# What the changes will act on.
reg add "$T\\Base" /v ToModify /t REG_DWORD /d 1 /f
reg add "$T\\Base" /v ToRetype /t REG_SZ /d 42 /f
reg add "$T\\Base" /v ToDelete /t REG_MULTI_SZ /d 'one\0two' /f
reg add "$T\\Base" /v 'Back\Slash' /t REG_SZ /d 'C:\path\' /f
reg add "$T\\Base" /ve /d 'old default' /f
reg add "$T\\Doomed\\Child\\Grandchild" /v X /t REG_EXPAND_SZ /d '%TEMP%\x' /f
reg add "$T\\Doomed" /v Blob /t REG_BINARY /d 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f /f

shot() {
	win shot -q -o "$1" "$T"
	expect_rc 0
}
# same A B: the two shots hold the same keys and values.
same() {
	win compare "$1" "$2"
	expect_rc 0
}
shot 1.rds

# A new tree with every common type and the default value, values
# modified, retyped and deleted, a deep tree deleted.
reg add "$T\\New\\Deep\\Deeper" /v Str /t REG_SZ /d 'a "quoted" word' /f
reg add "$T\\New" /v Num /t REG_DWORD /d 0x12345678 /f
reg add "$T\\New" /v Big /t REG_QWORD /d 0x1122334455667788 /f
reg add "$T\\New" /v Bin /t REG_BINARY /d deadbeef /f
reg add "$T\\New" /v Multi /t REG_MULTI_SZ /d 'a\0b\0c' /f
reg add "$T\\New" /v Exp /t REG_EXPAND_SZ /d '%SystemRoot%\x' /f
reg add "$T\\New" /v Empty /t REG_BINARY /f
reg add "$T\\New" /v Ünïcode /t REG_SZ /d 'naïve ☃' /f
reg add "$T\\New" /ve /d 'new default' /f
reg add "$T\\Base" /v ToModify /t REG_DWORD /d 2 /f
reg add "$T\\Base" /v ToRetype /t REG_DWORD /d 42 /f
reg add "$T\\Base" /ve /d 'changed default' /f
reg add "$T\\Base" /v 'Back\Slash' /t REG_SZ /d 'D:\"other"\' /f
reg delete "$T\\Base" /v ToDelete /f
reg delete "$T\\Doomed" /f
shot 2.rds

win compare --format reg -o redo.reg 1.rds 2.rds
expect_rc 1
expect_empty err
win compare --format reg-undo -o undo.reg 1.rds 2.rds
expect_rc 1
expect_empty err
[ "$(od -An -tx1 -N 2 undo.reg | tr -d ' ')" = fffe ] || fail "undo.reg: no byte order mark"
tail -c +3 redo.reg | iconv -f UTF-16LE -t UTF-8 | grep -q '^\[-HKEY_CURRENT_USER\\Software\\regdiff-regscript\\Doomed\]' ||
	fail "redo.reg: no [-HKEY_CURRENT_USER\\...\\Doomed]"

reg import undo.reg
shot 3.rds
same 1.rds 3.rds

reg import redo.reg
shot 4.rds
same 2.rds 4.rds

wine reg delete "$T" /f >/dev/null 2>&1 || true

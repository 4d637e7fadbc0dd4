# Shots of a key whose values are resized, deleted and re-created while
# they are read: every shot succeeds and makes an intact snapshot, and a
# value that did not change is never reported as changed, although index
# by index enumeration can shift it out of sight while others come and go.
. "$(dirname "$0")/lib.sh"
need_helper

K='Software\regdiff-churn'
reg add "HKCU\\$K" /v Steady /t REG_SZ /d steady /f
wine "$HELPER" churn "$K" 4000 &
churner=$!
i=0
while [ $i -lt 8 ]; do
	i=$((i + 1))
	win shot -q -o "c$i.rds" "HKCU\\$K"
	expect_rc 0
	lin info "c$i.rds"
	expect_rc 0
	grep -q '^Values: [123]$' out || {
		show
		fail "c$i.rds: not 1 to 3 values"
	}
done
wait $churner || fail "the churning helper failed"
# Steady never changes: no comparison may say it did. A shot that could
# not get a steady look at the key says so, and its values are then not
# compared.
j=1
while [ $j -lt $i ]; do
	lin compare --format jsonl c1.rds "c$((j + 1)).rds"
	if grep '"value":"Steady"' out >&2; then
		fail "c1.rds and c$((j + 1)).rds: Steady reported as changed"
	fi
	j=$((j + 1))
done

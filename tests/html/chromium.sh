# The HTML report as a user sees it: opened in headless Chromium, it loads
# without a console message (no script, no blocked load, no CSP violation),
# and the page Chromium built shows the counts and the hostile names as
# text. Skipped (77) where Chromium is not installed.
#   sh chromium.sh REGDIFF FIXTURE_DIR WORK_DIR
set -eu
REGDIFF=$1
FIXTURES=$2
WORK=$3
# shellcheck source=../testlib.sh
. "$(dirname "$0")/../testlib.sh"

browser=
for b in chromium chromium-browser; do
	if command -v "$b" >/dev/null 2>&1; then
		browser=$b
		break
	fi
done
[ -n "$browser" ] || skip "chromium is not installed (Debian: apt-get install chromium)"
[ -n "$FIXTURES" ] || skip "no fixture hives in this build (hivex missing)"
work_dir "$WORK"

# open FILE.html: the DOM into FILE.dom, Chromium's log into FILE.log.
open_page() {
	profile=$(mktemp -d)
	status=0
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update --disable-sync \
		--no-first-run --user-data-dir="$profile" --enable-logging=stderr --v=0 \
		--dump-dom "file://$WORK/$1.html" >"$1.dom" 2>"$1.log" || status=$?
	rm -rf "$profile"
	[ "$status" -eq 0 ] || fail "$browser exited with $status on $1.html: $(tail -n 5 "$1.log")"
	grep -q '</html>' "$1.dom" || fail "$1.html: no page came back"
	if grep ':CONSOLE' "$1.log" >&2; then
		fail "$1.html: console messages"
	fi
	if grep -Eiq '<(script|img|iframe|object|embed)[ >]' "$1.dom"; then
		fail "$1.html: an element that is not the report's"
	fi
}

shot() {
	"$REGDIFF" shot -q -o "$1.rds" \
		"HKLM\\SOFTWARE=$FIXTURES/persist_software_$1.hiv" \
		"HKLM\\SYSTEM=$FIXTURES/persist_system_$1.hiv" \
		"HKU\\alice=$FIXTURES/persist_ntuser_$1.hiv" \
		"HKU\\alice_Classes=$FIXTURES/persist_usrclass_$1.hiv"
}
shot a
shot b

status=0
"$REGDIFF" compare -q --format html -o persist.html a.rds b.rds || status=$?
[ "$status" -eq 1 ] || fail "compare --format html: status $status"
"$REGDIFF" compare -q a.rds b.rds >persist.txt || true
total=$(sed -n 's/^Total changes: //p' persist.txt)
flagged=$(sed -n 's/^Persistence: //p' persist.txt)
[ -n "$total" ] && [ -n "$flagged" ] || fail "no counts in the TXT report"
open_page persist
grep -q "<p>Total changes: $total</p>" persist.dom || fail "persist: no 'Total changes: $total'"
grep -q "<h2>Persistence: $flagged</h2>" persist.dom || fail "persist: no 'Persistence: $flagged'"
grep -q '<td class="n">'"$total"'</td>' persist.dom || fail "persist: total not in the summary"

cp "$FIXTURES/empty.hiv" "$FIXTURES/hostile.hiv" .
status=0
"$REGDIFF" compare -q --format html -o hostile.html empty.hiv hostile.hiv || status=$?
[ "$status" -eq 1 ] || fail "compare hostile: status $status"
open_page hostile
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' hostile.dom || fail "hostile: the script name is not text"
grep -q '&lt;img src=x onerror=alert(1)&gt;' hostile.dom || fail "hostile: the img name is not text"
grep -q '<h2>Keys added: 54</h2>' hostile.dom || fail "hostile: no 'Keys added: 54'"
echo "Chromium loaded both reports: $total changes ($flagged at persistence locations), and the hostile one"

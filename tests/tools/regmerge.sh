#!/bin/sh
# regmerge.sh SCRIPT.reg HIVE PREFIX: imports a regdiff .reg script into
# HIVE (changed in place) with an independent tool, hivexregedit --merge
# (Debian's libwin-hivex-perl). As its manual says, the UTF-16LE CRLF file
# is converted to UTF-8 with LF first; PREFIX is the mount the script's
# keys start with (hivex knows only the hive's own paths). Exits 77 when
# hivexregedit is missing.
set -eu
command -v hivexregedit >/dev/null 2>&1 || {
	echo "SKIP: hivexregedit missing (Debian package libwin-hivex-perl)" >&2
	exit 77
}
iconv -f UTF-16LE -t UTF-8 <"$1" | tr -d '\r' >"$1.utf8"
# PERL_UNICODE=D: hivexregedit opens the file without a layer, so it would
# take each byte of a non-ASCII character for a character of its own.
PERL_UNICODE=SD hivexregedit --merge --prefix "$3" "$2" "$1.utf8"

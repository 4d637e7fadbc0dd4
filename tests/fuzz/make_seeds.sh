#!/bin/sh
# Builds the fuzz targets' seed corpora from the fixture hives and the
# small files of the shared hive corpus (nothing is copied into the
# repository: seeds live in the build folder).
#
#   make_seeds.sh REGDIFF FUZZ_SEED FIXTURE_DIR SHARED_HIVES OUT
#
# Makes OUT/hive (hive files up to 128 KiB), OUT/snapshot (snapshots of
# them, and their recipes, each checked to rebuild the snapshot it came
# from) and OUT/report (the changes between fixture pairs as fuzz_report
# inputs, TXT, TXT CRLF UTF-16LE and JSON lines). SHARED_HIVES may be
# absent. With REGDIFF_CRAFTHIVE set (tests/tools/crafthive), its small
# hostile hives are hive seeds too. Exits 77 (a ctest skip) when there are
# no fixtures.
set -eu

if [ $# -ne 5 ]; then
	echo "usage: $0 REGDIFF FUZZ_SEED FIXTURE_DIR SHARED_HIVES OUT" >&2
	exit 2
fi
regdiff=$1 seed=$2 fixtures=$3 shared=$4 out=$5
if [ -z "$fixtures" ] || [ ! -f "$fixtures/base.hiv" ]; then
	echo "SKIP: no fixture hives (built without hivex)"
	exit 77
fi

rm -rf "$out/hive" "$out/snapshot" "$out/report" "$out/tmp"
mkdir -p "$out/hive" "$out/snapshot" "$out/report" "$out/tmp"

# Hives: the fixtures, and small shared files of every kind (hives, logs,
# fragments, corrupt ones), named after their path.
for f in "$fixtures"/*.hiv; do
	cp "$f" "$out/hive/fixture_$(basename "$f" .hiv)"
done
if [ -n "${REGDIFF_CRAFTHIVE:-}" ]; then
	# Shared cells, colliding names, big data whose segments are one cell.
	"$REGDIFF_CRAFTHIVE" shared "$out/hive/crafted_shared"
	"$REGDIFF_CRAFTHIVE" dups "$out/hive/crafted_dups_a" a
	"$REGDIFF_CRAFTHIVE" dups "$out/hive/crafted_dups_b" b
	"$REGDIFF_CRAFTHIVE" big "$out/hive/crafted_big_shared" 3 9000000 1 shared
fi
if [ -d "$shared" ]; then
	find "$shared" -path "$shared/_licenses" -prune -o -type f -size -131073c \
		! -name '*.md' ! -name SHA256SUMS ! -name manifest.json -print |
		while IFS= read -r f; do
			name=$(printf '%s' "${f#"$shared"/}" | tr -c 'A-Za-z0-9._-' '_')
			cp "$f" "$out/hive/shared_$name"
		done
fi

# Snapshots: of every hive seed that shoots, one source each, plus one of
# two sources; each also as a recipe.
for f in "$out"/hive/*; do
	name=$(basename "$f")
	"$regdiff" shot -q -o "$out/snapshot/$name.rds" "HKU\\x=$f" 2>/dev/null || true
done
"$regdiff" shot -q -o "$out/snapshot/two_sources.rds" \
	"HKLM\\SOFTWARE=$fixtures/software_a.hiv" "HKLM\\SYSTEM=$fixtures/system_a.hiv"
# Small blocks with child tables, like the one fuzz_snapshot compares
# inputs with, so that mutations of them reach the pairing of children.
for v in 0 1 2; do
	"$seed" tables $v "$out/snapshot/tables_$v.rds"
done
for f in "$out"/snapshot/*.rds; do
	"$seed" check-recipe "$f"
	"$seed" recipe "$f" "${f%.rds}.recipe"
done

# Changes: fixture pairs, each way round where both ways differ.
shoot() { # NAME -> $out/tmp/NAME.rds, mounted where the others are
	"$regdiff" shot -q -o "$out/tmp/$1.rds" "HKU\\x=$fixtures/$1.hiv"
}
for n in base changed empty hostile software_a software_b; do
	shoot $n
done
for pair in base:changed changed:base empty:hostile hostile:empty software_a:software_b; do
	before=${pair%%:*} after=${pair#*:}
	for options in 0 6 1; do
		"$seed" changes $options "$out/tmp/$before.rds" "$out/tmp/$after.rds" \
			"$out/report/${before}_${after}_$options"
	done
done
rm -rf "$out/tmp"

for t in hive snapshot report; do
	echo "$t: $(ls "$out/$t" | wc -l) seeds"
done

#!/usr/bin/env bash
# bench/import.sh — `razem import persons` of N generated persons (default
# 1,000,000; the target is under 20 s on SQLite on the 2-core machine), on
# SQLite and on PostgreSQL, in one run (not part of make check). The file is
# written by `razem demo --csv FILE --persons N` (an office's export: UTF-8
# with a BOM, ';', households) and imported into a fresh demo database, as
# the demo MOPS (institution 3). Prints a table of the times the command
# reports and the wall-clock time with it.
#
#   bench/import.sh [N]
#
# PostgreSQL: PG_URL names a database the benchmark may wipe (its public
# schema is dropped); otherwise a throw-away server is started with
# scripts/pg-test.sh, and without PostgreSQL 15 that half is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
BIN=${RAZEM_BIN:-build/razem}
make -s "$BIN"
work=$(mktemp -d /tmp/razem-bench-import.XXXXXX)
chmod 755 "$work"
started=
cleanup() {
	[ -n "$started" ] && scripts/pg-test.sh stop "$work/pg"
	rm -rf "$work"
}
trap cleanup EXIT

"$BIN" demo --csv "$work/persons.csv" --persons "$N" --seed 20261202 >/dev/null
size=$(du -h "$work/persons.csv" | cut -f1)
echo "file: $N persons, $size"
echo
echo "| backend    | imported  | households | import (s) | wall (s) |"
echo "|------------|-----------|------------|------------|----------|"

# run DB LABEL: a fresh demo database, then the timed import.
run() {
	local db=$1 label=$2 out t0 t1
	"$BIN" demo --db "$db" --reset >/dev/null 2>&1 || "$BIN" demo --db "$db" >/dev/null
	t0=$(date +%s.%N)
	out=$("$BIN" import persons "$work/persons.csv" --institution 3 --db "$db" 2>/dev/null) || true
	t1=$(date +%s.%N)
	echo "$out" | awk -v label="$label" -v wall="$(echo "$t1 - $t0" | bc)" '
		/: read / {
			for (i = 1; i <= NF; i++) {
				if ($i == "imported") imp = $(i + 1)
				if ($i == "households") hh = $(i + 1)
				if ($i == "s") secs = $(i - 1)
			}
			gsub(",", "", imp); gsub(",", "", hh)
			printf "| %-10s | %9s | %10s | %10s | %8.1f |\n", label, imp, hh, secs, wall
		}'
}

run "$work/bench.db" sqlite

url=${PG_URL:-}
if [ -z "$url" ] && url=$(scripts/pg-test.sh start "$work/pg" $((20000 + RANDOM % 20000)) 2>/dev/null); then
	started=1
fi
if [ -n "$url" ]; then
	psql "$url" -qc 'DROP SCHEMA public CASCADE; CREATE SCHEMA public' >/dev/null 2>&1
	run "$url" postgresql
else
	echo "| postgresql | (skipped: no PostgreSQL 15) |"
fi

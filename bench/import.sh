#!/usr/bin/env bash
# bench/import.sh — `razem import persons` of N generated persons (default
# 1,000,000; the target is under 20 s on SQLite on the 2-core machine), on
# SQLite and on PostgreSQL, in one run (not part of make check). The file is
# written by `razem demo --csv FILE --persons N` (an office's export: UTF-8
# with a BOM, ';', households) and imported into a fresh demo database, as
# the demo MOPS (institution 3).
#
# Each round times, on each backend, a plain load of the same file first —
# the baseline: sqlite3's .import into a table of text columns, psql's
# \copy — and then the import. Printed per round: the import's own figure
# (up to its commit), the wall time of the command (the linking of the
# imported records that follows the commit included), the baseline and the
# ratio import / baseline; then the median of the rounds.
#
#   RUNS=3 bench/import.sh [N]
#
# PostgreSQL: PG_URL names a database the benchmark may wipe (its public
# schema is dropped); otherwise a throw-away server is started with
# scripts/pg-test.sh, and without PostgreSQL 15 that half is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
RUNS=${RUNS:-3}
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
tail -n +2 "$work/persons.csv" >"$work/rows.csv" # the baseline loads the rows without the header
cols=$(head -1 "$work/persons.csv" | sed 's/^\xEF\xBB\xBF//' | tr ';' '\n' | awk '{ printf "%sc%d TEXT", (NR > 1 ? ", " : ""), NR }')
echo "file: $N persons, $size"

url=${PG_URL:-}

now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }

# settle DB: the writes before the timed step reach the disk first (the
# kernel's write-back, PostgreSQL's checkpoint), so they do not run during it.
settle() {
	[ "$1" = sqlite ] || [ "$1" = "$work/bench.db" ] || psql "$url" -qc 'CHECKPOINT' >/dev/null
	sync
}

# baseline DB: the plain load of the rows into an empty table; prints seconds.
baseline() {
	local db=$1 t0 t1
	if [ "$db" = sqlite ]; then
		rm -f "$work/plain.db"
		sqlite3 "$work/plain.db" "PRAGMA journal_mode = WAL" "CREATE TABLE plain ($cols)" >/dev/null
		settle sqlite
		t0=$(now)
		sqlite3 "$work/plain.db" ".mode csv" ".separator ;" ".import $work/rows.csv plain"
		t1=$(now)
	else
		psql "$url" -qc "SET client_min_messages = warning; DROP TABLE IF EXISTS plain; CREATE TABLE plain ($cols)" >/dev/null
		settle pg
		t0=$(now)
		psql "$url" -qc "\\copy plain FROM '$work/rows.csv' WITH (FORMAT csv, DELIMITER ';')" >/dev/null
		t1=$(now)
		psql "$url" -qc "DROP TABLE plain" >/dev/null
	fi
	echo "$t1 - $t0" | bc
}

# import DB: a fresh demo database, then the timed import; prints "imported households secs wall".
import() {
	local db=$1 out t0 t1
	if [ "$db" != "$work/bench.db" ]; then
		psql "$url" -qc 'DROP SCHEMA public CASCADE; CREATE SCHEMA public' >/dev/null 2>&1
	fi
	rm -f "$work/bench.db" "$work/bench.db-wal" "$work/bench.db-shm"
	"$BIN" demo --db "$db" >/dev/null 2>&1
	settle "$db"
	t0=$(now)
	out=$("$BIN" import persons "$work/persons.csv" --institution 3 --db "$db" 2>/dev/null) || true
	t1=$(now)
	echo "$out" | awk -v wall="$(echo "$t1 - $t0" | bc)" '
		/: read / {
			for (i = 1; i <= NF; i++) {
				if ($i == "imported") imp = $(i + 1)
				if ($i == "households") hh = $(i + 1)
				if ($i == "s") secs = $(i - 1)
			}
			gsub(",", "", imp); gsub(",", "", hh)
			print imp, hh, secs, wall
		}'
}

echo
echo "| round | backend    | imported  | households | import (s) | wall (s) | plain load (s) | import / plain |"
echo "|-------|------------|-----------|------------|------------|----------|----------------|----------------|"
# every SQLite round first, then PostgreSQL's (its server started only then:
# its background work after a load would otherwise run during SQLite's rounds)
declare -A secs walls plains
for be in sqlite postgresql; do
	if [ "$be" = postgresql ] && [ -z "$url" ] &&
		url=$(scripts/pg-test.sh start "$work/pg" $((20000 + RANDOM % 20000)) 2>/dev/null); then
		started=1
	fi
	[ "$be" = postgresql ] && [ -z "$url" ] && continue
	for ((r = 1; r <= RUNS; r++)); do
		db=$work/bench.db
		[ "$be" = postgresql ] && db=$url
		plain=$(baseline "$([ "$be" = sqlite ] && echo sqlite || echo pg)")
		read -r imp hh s w < <(import "$db")
		secs[$be]="${secs[$be]:-} $s" walls[$be]="${walls[$be]:-} $w" plains[$be]="${plains[$be]:-} $plain"
		printf '| %5d | %-10s | %9s | %10s | %10.1f | %8.1f | %14.2f | %14.1f |\n' "$r" "$be" "$imp" "$hh" \
			"$s" "$w" "$plain" "$(echo "$s / $plain" | bc -l)"
	done
done
echo
for be in sqlite postgresql; do
	[ -n "${secs[$be]:-}" ] || { echo "$be: skipped (no PostgreSQL 15)"; continue; }
	# shellcheck disable=SC2086
	s=$(median ${secs[$be]}) w=$(median ${walls[$be]}) p=$(median ${plains[$be]})
	printf '%s, median of %d: import %.1f s (to its commit), wall %.1f s, plain load %.2f s, ratio %.1f\n' \
		"$be" "$RUNS" "$s" "$w" "$p" "$(echo "$s / $p" | bc -l)"
done

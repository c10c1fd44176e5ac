#!/usr/bin/env bash
# bench/bulk.sh — bulk loading through db_bulk_* against the plain tools, in
# one run on this machine (not part of make check):
#
#   SQLite:      db_bulk (multi-row INSERTs)  vs  sqlite3 single-row INSERTs in one transaction
#   PostgreSQL:  db_bulk (COPY FROM STDIN)    vs  psql \copy of the same rows (its time
#                includes starting psql and connecting: use a large N)
#
#   bench/bulk.sh [N]     N rows (default 100000)
#
# PostgreSQL: PG_URL names a database to use (its bench_bulk table is
# replaced); otherwise a throw-away server is started with
# scripts/pg-test.sh, and without PostgreSQL 15 that half is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
make -s bench-bulk
DRV=build/bench/bulk
work=$(mktemp -d /tmp/razem-bench-bulk.XXXXXX)
chmod 755 "$work"
started=
cleanup() {
	[ -n "$started" ] && scripts/pg-test.sh stop "$work/pg"
	rm -rf "$work"
}
trap cleanup EXIT

secs() { awk '{print $2}'; }
rate() { awk -v n="$N" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
line() { printf '| %-10s | %-34s | %8s s | %10s rows/s |\n' "$1" "$2" "$3" "$(rate "$3")"; }

echo "| backend    | method                             |    time    |        rate       |"
echo "|------------|------------------------------------|------------|-------------------|"
t=$("$DRV" load "$work/bulk.db" "$N" | secs)
line sqlite "db_bulk (multi-row INSERT)" "$t"
t=$("$DRV" sqlite-baseline "$work/plain.db" "$N" | secs)
line sqlite "sqlite3 INSERT per row, one txn" "$t"

url=${PG_URL:-}
if [ -z "$url" ] && url=$(scripts/pg-test.sh start "$work/pg" $((20000 + RANDOM % 20000)) 2>/dev/null); then
	started=1
fi
if [ -z "$url" ]; then
	echo "(PostgreSQL skipped: set PG_URL or install PostgreSQL 15)"
	exit 0
fi
t=$("$DRV" load "$url" "$N" | secs)
line postgresql "db_bulk (COPY FROM STDIN)" "$t"
"$DRV" tsv "$N" >"$work/rows.tsv"
psql -q -X "$url" -c "DROP TABLE IF EXISTS bench_bulk" \
	-c "CREATE TABLE bench_bulk (k BIGINT PRIMARY KEY, s TEXT NOT NULL, n BIGINT)" >/dev/null
t0=$(date +%s.%N)
psql -q -X "$url" -c "\\copy bench_bulk (k, s, n) FROM '$work/rows.tsv'" >/dev/null
t1=$(date +%s.%N)
line postgresql "psql \\copy (baseline)" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')"
n=$(psql -At -X "$url" -c "SELECT COUNT(*) FROM bench_bulk")
[ "$n" = "$N" ] || { echo "bulk.sh: the baseline loaded $n rows, not $N" >&2; exit 1; }

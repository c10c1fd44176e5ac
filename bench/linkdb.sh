#!/bin/sh
# bench/linkdb.sh — record linkage in the database (docs/LINKAGE_DB.md):
# a demo database with two generated registers imported (bench/linkgen: A
# into the MOPS, B into the PUP, each import linking its records), then
# three full runs of `razem link --db --full`, three incremental runs, and
# one-record linking (`--person ID --repeat 100`, as the new-person form
# does) paired with the person search of the same database as a baseline.
# Times are wall and CPU (user+sys) seconds: the machine is shared, so CPU
# is the steadier figure.
#
#   bench/linkdb.sh [PERSONS_A [PERSONS_B]]      (default 50000 50000)
set -eu
A=${1:-50000}
B=${2:-$A}
BIN=${RAZEM_BIN:-build/razem}
GEN=build/bench/linkgen
[ -x "$GEN" ] || make -s bench-linkgen
DIR=$(mktemp -d /tmp/razem-linkdb.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
DB=$DIR/bench.db
t() { /usr/bin/time -f "%e s wall, %U+%S s CPU, %M KB" "$@"; }

echo "linkdb bench: $A + $B persons, $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
"$GEN" --persons "$A" --persons-b "$B" --overlap 0.3 --out "$DIR" 2>/dev/null
"$BIN" demo --db "$DB" >/dev/null 2>&1
printf 'import A: '; t "$BIN" import persons "$DIR/A.csv" --institution 3 --db "$DB" 2>&1 | tail -1
printf 'import B: '; t "$BIN" import persons "$DIR/B.csv" --institution 2 --db "$DB" 2>&1 | tail -1
for i in 1 2 3; do
	printf 'full %s: ' "$i"; t "$BIN" link --db "$DB" --full 2>&1 | tr '\n' ' '; echo
done
for i in 1 2 3; do
	printf 'incremental %s: ' "$i"; t "$BIN" link --db "$DB" 2>&1 | tr '\n' ' '; echo
done
P=$(sqlite3 "$DB" "SELECT l.person_b FROM person_link l JOIN person p ON p.id = l.person_b WHERE l.method = 'score' ORDER BY l.id LIMIT 1")
for i in 1 2 3; do
	printf 'one record %s: ' "$i"; "$BIN" link --db "$DB" --person "$P" --repeat 100
	printf 'baseline search %s: ' "$i"; "$BIN" person search kowalska --institution 3 --db "$DB" --repeat 100 2>&1 | tail -1
done

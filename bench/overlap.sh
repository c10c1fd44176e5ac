#!/usr/bin/env bash
# bench/overlap.sh — the duplicated-support check of saving an episode
# over a large register (not part of make check):
#
#   bench/overlap.sh [N] [E]   N persons (default 1000000), E episodes (default 5 × N), SQLite
#
# Fills a fresh SQLite database straight in SQL (sqlite3): two
# institutions with an agreement in force that includes
# information_exchange, N persons alternating between them so that each
# PESEL has a record at both (the worst case: every check has a partner
# record to look at), E episodes spread over 2020–2026 in six kinds (spread
# by multiplicative hashing of the row number: reproducible); then
# times episode_overlaps() — same human by PESEL (person_pesel_any), the
# partner's episodes of the kind (episode_person), the agreement, the
# sharing rule's facts — through build/bench/overlap (best and mean of
# COUNT × REPEAT checks, database warm). The target is under 1 ms with
# 1,000,000 persons and 5,000,000 episodes (issue 8).
#
# BENCH_DB=FILE keeps the database there (reused when it exists).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
E=${2:-$((5 * N))}
BIN=${RAZEM_BIN:-build/razem}
COUNT=${COUNT:-1000}
REPEAT=${REPEAT:-3}
make -s all build/bench/overlap
work=$(mktemp -d /tmp/razem-bench-overlap.XXXXXX)
trap 'rm -rf "$work"' EXIT
DB=${BENCH_DB:-$work/overlap.db}

if [ ! -s "$DB" ]; then
	"$BIN" institution add --kind mops --name "MOPS Bench" --db "$DB" >/dev/null
	"$BIN" institution add --kind pup --name "PUP Bench" --db "$DB" >/dev/null
	t0=$(date +%s.%N)
	sqlite3 "$DB" <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
INSERT INTO app_user (login, full_name, name_fold, institution_id, password_hash, created_at, updated_at)
 VALUES ('bench', 'Bench', 'bench', 1, 'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
INSERT INTO agreement (subject, signed_on, valid_from, valid_to, duration, status, created_at, updated_at)
 VALUES ('bench', '2020-01-01', '2020-01-01', NULL, 'indefinite', 'signed', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
INSERT INTO agreement_party VALUES (1, 1), (1, 2);
INSERT INTO agreement_form VALUES (1, 'information_exchange');
CREATE TEMP TABLE k (i INTEGER PRIMARY KEY, kind TEXT, code TEXT);
INSERT INTO k (i, kind, code) VALUES (0, 'training', 'training'), (1, 'counselling', 'vocational_counselling'),
 (2, 'internship', 'internship'), (3, 'placement', 'job_placement'), (4, 'public_works', 'public_works'),
 (5, 'psych_counselling', 'social_counselling');
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $N)
INSERT INTO person (id, institution_id, pesel, first_names, surname, surname_fold, first_fold, created_at, updated_at)
SELECT i + 1, 1 + i % 2, printf('%011d', i / 2), 'Jan', 'Bench', 'bench', 'jan', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $E),
g AS (SELECT i, 1 + (i * 2654435761) % $N AS p, (i / 7) % 6 AS kk, (i * 7919) % 2400 AS d, 30 + (i * 104729) % 150 AS len FROM n)
INSERT INTO episode (institution_id, person_id, instrument_code, kind, start_date, planned_end, cost_grosze, status, created_at)
SELECT 1 + (p - 1) % 2, p, k.code, k.kind, date('2020-01-01', '+' || d || ' days'), date('2020-01-01', '+' || (d + len) || ' days'),
 100000, 'completed', '2026-01-01T00:00:00Z' FROM g JOIN k ON k.i = g.kk;
COMMIT;
ANALYZE;
SQL
	t1=$(date +%s.%N)
	printf 'filled %s persons, %s episodes in %.1f s (sqlite3, SQL)\n' "$(sqlite3 "$DB" 'SELECT COUNT(*) FROM person')" \
		"$(sqlite3 "$DB" 'SELECT COUNT(*) FROM episode')" "$(echo "$t1 - $t0" | bc)"
fi
build/bench/overlap "$DB" "$COUNT" "$REPEAT"

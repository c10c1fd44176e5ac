#!/usr/bin/env bash
# bench/evaluation.sh — the evaluation of social contracts against a matched
# comparison group over a large registry (not part of make check):
#
#   bench/evaluation.sh [N]     N generated households (default 100000), SQLite
#
# Builds the demo database (the fictional powiat 3050: 1,200 households, 60
# contracts with outcomes six months later), then adds N households straight
# in SQL in a second fictional powiat 3051 — 2 or 3 members each, a reason
# for assistance (poverty, unemployment, helplessness), a registration as
# unemployed for a third of them (half of those ended in a job), a periodic
# benefit for a quarter — and, for one household in a hundred, a completed
# family contract with its outcomes six months later. Then it times
# GET /api/v1/evaluation three times over everything (terc empty: N + 1,200
# households) and, as the baseline of the same run, three times over the
# demo's powiat alone (terc=3050, 1,200 households), and prints the median
# of each: the wall time of the request (curl) and the server's own time
# (the answer's "seconds": reading, fitting, matching, comparing). The
# target is under 2 s for 100,000 families (issue 11).
#
# BENCH_DB=FILE keeps the database there (reused when it exists).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
BIN=${RAZEM_BIN:-build/razem}
PORT=${PORT:-18791}
make -s all
work=$(mktemp -d /tmp/razem-bench-eval.XXXXXX)
srv=
cleanup() { [ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
DB=${BENCH_DB:-$work/eval.db}

if [ ! -s "$DB" ]; then
	"$BIN" demo --db "$DB" >/dev/null
	t0=$(date +%s.%N)
	sqlite3 "$DB" <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
CREATE TEMP TABLE k (i INTEGER PRIMARY KEY);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < $N) INSERT INTO k SELECT i FROM c;
CREATE TEMP TABLE ids AS SELECT (SELECT id FROM institution WHERE kind = 'mops' LIMIT 1) AS inst,
	(SELECT id FROM app_user WHERE login = 'pracownik') AS worker,
	(SELECT COALESCE(MAX(id), 0) FROM family) AS f0, (SELECT COALESCE(MAX(id), 0) FROM person) AS p0;
-- households: terc 3051 + a gmina number + the kind digit (1 urban, 2 rural, 3 urban-rural)
INSERT INTO family (id, institution_id, applicant_id, terc, created_at, updated_at)
	SELECT f0 + i, inst, p0 + 3 * i - 2, '3051' || printf('%02d', 1 + i % 9) || (1 + i % 3), '2024-01-01T00:00:00Z',
	'2024-01-01T00:00:00Z' FROM k, ids;
-- members: an applicant, a spouse for two thirds, a child for half
INSERT INTO person (id, institution_id, first_names, surname, surname_fold, first_fold, sex, birth_date, created_at, updated_at)
	SELECT p0 + 3 * i - 2 + j, inst, 'Jan', 'Testowy', 'testowy', 'jan', CASE j WHEN 1 THEN 'K' ELSE 'M' END,
	CASE j WHEN 2 THEN '2015-05-05' ELSE '1985-03-0' || (1 + i % 9) END, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'
	FROM k, ids, (SELECT 0 AS j UNION ALL SELECT 1 UNION ALL SELECT 2)
	WHERE j = 0 OR (j = 1 AND i % 3 <> 0) OR (j = 2 AND i % 2 = 0);
INSERT INTO family_member (family_id, person_id, institution_id, relation, member_from)
	SELECT f0 + (p.id - p0 + 2) / 3, p.id, inst, CASE (p.id - p0 + 2) % 3 WHEN 0 THEN 'applicant' WHEN 1 THEN 'spouse'
	ELSE 'child' END, '2020-01-01' FROM person p, ids WHERE p.id > p0;
INSERT INTO family_reason (institution_id, family_id, reason_code, period_from, created_at)
	SELECT inst, f0 + i, CASE i % 4 WHEN 0 THEN 'UBOSTWO' WHEN 1 THEN 'BEZROBOCIE' WHEN 2 THEN 'BEZRADNOSC' ELSE 'UBOSTWO' END,
	'2021-01-01', '2024-01-01T00:00:00Z' FROM k, ids;
INSERT INTO labour_status (institution_id, person_id, status, from_date, to_date, dereg_reason, created_at)
	SELECT inst, p0 + 3 * i - 2, 'registered_unemployed', '2023-0' || (1 + i % 9) || '-01',
	CASE WHEN i % 2 = 0 THEN '2025-0' || (1 + i % 9) || '-15' END, CASE WHEN i % 2 = 0 THEN 'job_taken' END,
	'2024-01-01T00:00:00Z' FROM k, ids WHERE i % 3 = 0;
INSERT INTO benefit (institution_id, person_id, family_id, form_code, amount_grosze, period_from, period_to, created_at)
	SELECT inst, p0 + 3 * i - 2, f0 + i, 'ZASILEK_OKRESOWY', 50000, '2023-06-01',
	CASE WHEN i % 8 = 0 THEN '2025-03-31' ELSE '2026-12-31' END, '2024-01-01T00:00:00Z' FROM k, ids WHERE i % 4 = 0;
-- one household in a hundred: a completed family contract with its follow-up outcomes
INSERT INTO contract (kind, state, institution_id, county_terc, person_id, family_id, social_worker_id, current_version,
	ended_on, created_at, updated_at)
	SELECT 'family', 'completed', inst, '3051', p0 + 3 * i - 2, f0 + i, worker, 1, '2025-01-31', '2024-02-01T00:00:00Z',
	'2025-01-31T00:00:00Z' FROM k, ids WHERE i % 100 = 7;
INSERT INTO contract_version (contract_id, version, state, valid_from, valid_to, created_at)
	SELECT id, 1, 'approved', '2024-02-01', '2025-01-31', created_at FROM contract WHERE county_terc = '3051';
INSERT INTO contract_outcome (contract_id, point, kind, person_id, achieved, observed_on, recorded_at)
	SELECT id, 'follow_up', 'employment', person_id, (id % 5 < 2), '2025-08-01', '2025-08-01T10:00:00Z'
	FROM contract WHERE county_terc = '3051';
INSERT INTO contract_outcome (contract_id, point, kind, achieved, observed_on, recorded_at)
	SELECT id, 'follow_up', 'left_benefits', (id % 4 = 0), '2025-08-01', '2025-08-01T10:00:00Z'
	FROM contract WHERE county_terc = '3051';
ANALYZE;
SQL
	t1=$(date +%s.%N)
	printf 'generated %d households in %.1f s\n' "$N" "$(echo "$t1 - $t0" | bc)"
fi
sqlite3 "$DB" "SELECT 'households ' || COUNT(*) FROM family; SELECT 'contracts with follow-up outcomes ' ||
	COUNT(DISTINCT contract_id) FROM contract_outcome WHERE point = 'follow_up'"

"$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" --threads 2 --access-log off >"$work/serve.log" 2>&1 &
srv=$!
for _ in $(seq 50); do curl -s "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
token=$(curl -s -c "$work/jar" -H 'content-type: application/json' \
	-d '{"login":"analityk","password":"demo"}' "http://127.0.0.1:$PORT/api/v1/session" |
	sed -n 's/.*"csrf_token": *"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "sign-in failed" >&2; cat "$work/serve.log" >&2; exit 1; }

# run LABEL TERC: three requests; the medians of the wall time and the server's "seconds"
run() {
	local label=$1 terc=$2 i wall=() server=()
	for i in 1 2 3; do
		local out
		out=$(curl -s -b "$work/jar" -o "$work/answer.json" -w '%{time_total}' \
			"http://127.0.0.1:$PORT/api/v1/evaluation?terc=$terc")
		wall+=("$out")
		server+=("$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds"])' "$work/answer.json")")
	done
	local w s
	w=$(printf '%s\n' "${wall[@]}" | sort -g | sed -n 2p)
	s=$(printf '%s\n' "${server[@]}" | sort -g | sed -n 2p)
	printf '%-34s wall %6.3f s   server %6.3f s   (%s)\n' "$label" "$w" "$s" \
		"$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print("treated %d, comparison pool %d, matched %d" % (j["treated"], j["controls"], j["matched"]))' "$work/answer.json")"
}
run "baseline: powiat 3050 (1,200)" 3050
run "all households" ""

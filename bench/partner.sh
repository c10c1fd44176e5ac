#!/usr/bin/env bash
# bench/partner.sh — the whole partner person view over HTTP (issue 8):
# a labour-office adviser of the demo PUP reads a MOPS client shared with
# the PUP (GET /api/v1/persons/{id}: the sharing rule's facts read from the
# database, the decision, the person, household, labour status and every
# partner's support, its one person.read row committed before the answer),
# paired in each round with the MOPS's own social worker reading the same
# record (the baseline: the same read without the sharing rule) and nginx
# serving a static file of the partner answer's size.
#
#   bench/partner.sh [BIN]     DB=postgresql://… to run on PostgreSQL (a demo database: --reset)
#
# Environment: RUNS (3), DURATION (seconds per run, 5), CONNECTIONS (16), THREADS (wrk, 2),
# SERVER_THREADS (razem workers, default one per CPU). Prints a Markdown table and the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/razem}
DURATION=${DURATION:-5}
RUNS=${RUNS:-3}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
SERVER_THREADS=${SERVER_THREADS:-0}
work=$(mktemp -d /tmp/razem-bench-partner.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
db=${DB:-$work/bench.db}
if [[ "$db" == postgres* ]]; then
	"$BIN" demo --db "$db" --reset >/dev/null 2>&1
	q() { psql "$db" -Atc "$1"; }
else
	"$BIN" demo --db "$db" >/dev/null 2>&1
	q() { sqlite3 "$db" "$1"; }
fi
port=$((30000 + RANDOM % 10000))
port_nginx=$((port + 1))
"$BIN" serve --db "$db" --listen "127.0.0.1:$port" --threads "$SERVER_THREADS" --access-log off \
	2>"$work/razem.log" &
pids+=($!)
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
signin() {
	curl -fs -D - -o /dev/null -H 'content-type: application/json' \
		-d "{\"login\":\"$1\",\"password\":\"demo\"}" "$base/api/v1/session" |
		sed -n 's/^set-cookie: razem_session=\([^;]*\);.*/\1/ip' | tr -d '\r'
}
adviser="Cookie: razem_session=$(signin doradca)"
worker="Cookie: razem_session=$(signin pracownik)"
# a MOPS client with a household, shared with the PUP for labour-market activation
pid=$(q "SELECT c.person_id FROM consent c JOIN family_member m ON m.person_id = c.person_id AND m.member_to IS NULL
	WHERE c.purpose = 'labour_market_activation' AND c.withdrawn_on IS NULL AND c.recipient_institution_id IS NOT NULL
	ORDER BY (SELECT COUNT(*) FROM family_member n WHERE n.family_id = m.family_id AND n.member_to IS NULL) DESC,
	c.person_id LIMIT 1")
path=/api/v1/persons/$pid
curl -fs -H "$adviser" "$base$path" | grep -q '"partner": *true' || { echo "bench: $path is not shared with the adviser" >&2; exit 1; }
bytes=$(curl -fs -H "$adviser" "$base$path" | wc -c)
mkdir -p "$work/www" "$work/nginx"
head -c "$bytes" /dev/urandom | base64 -w 100 | head -c "$bytes" >"$work/www/person.json"
workers=$SERVER_THREADS
[ "$workers" = 0 ] && workers=$(nproc)
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes $workers;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log $work/nginx/access.log combined buffer=64k flush=200ms;
	open_file_cache max=16 inactive=60s;
	client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
	uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
	server { listen 127.0.0.1:$port_nginx; root $work/www; location / { add_header Cache-Control no-store; } }
}
CONF
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port_nginx/person.json" >/dev/null 2>&1 && break; sleep 0.05; done

# rps URL [HEADER]: requests per second of one wrk run (its p50 in $work/p50)
rps() {
	local out args=(-t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency)
	[ -n "${2:-}" ] && args+=(-H "$2")
	out=$(wrk "${args[@]}" "$1")
	awk '$1 == "50%" {print $2}' <<<"$out" >"$work/p50"
	awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out"
}
echo "database: $([[ "$db" == postgres* ]] && echo PostgreSQL || echo SQLite), $path ($bytes B), wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $(date -u +%Y-%m-%d)"
echo
echo "| round | partner view req/s (p50) | own record req/s (p50) | partner/own | nginx req/s | partner/nginx |"
echo "|---|---|---|---|---|---|"
rows_before=$(q "SELECT COUNT(*) FROM audit_log WHERE action = 'person.read' AND detail LIKE 'purpose=cooperation:%'")
pr=(); orr=(); nr=()
for round in $(seq "$RUNS"); do
	a=$(rps "$base$path" "$adviser"); ap=$(cat "$work/p50")
	o=$(rps "$base$path" "$worker"); op=$(cat "$work/p50")
	n=$(rps "http://127.0.0.1:$port_nginx/person.json")
	pr+=("$a"); orr+=("$o"); nr+=("$n")
	printf '| %d | %s (%s) | %s (%s) | %s | %s | %s |\n' "$round" "$a" "$ap" "$o" "$op" \
		"$(awk -v a="$a" -v b="$o" 'BEGIN {printf "%.2f", a / b}')" "$n" \
		"$(awk -v a="$a" -v b="$n" 'BEGIN {printf "%.1f %%", 100 * a / b}')"
done
rows_after=$(q "SELECT COUNT(*) FROM audit_log WHERE action = 'person.read' AND detail LIKE 'purpose=cooperation:%'")
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
echo
echo "median: partner view $(median "${pr[@]}") req/s, own record $(median "${orr[@]}") req/s, nginx $(median "${nr[@]}") req/s"
echo "partner person.read rows recorded: $((rows_after - rows_before))"

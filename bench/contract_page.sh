#!/usr/bin/env bash
# bench/contract_page.sh — the server time of a contract page (issue 11:
# "a contract page under 1 ms of server time"), on the demo database.
#
#   bench/contract_page.sh [BIN]        BIN defaults to build/razem
#
# The MGI guardian `opiekun` opens a family contract they guard with the
# family's consent (GET /contracts/{id}: the access rule, the version in
# force with its members, goals, actions and budget, the history, the
# outcomes, the forms of the role, the contract.read audit row committed
# before the page leaves). One client, one connection kept alive, one
# server thread (wrk -t1 -c1): requests are sequential, so the latency
# is the round trip, an upper bound of the server time; nginx serving a
# static file of the page's size in the same run is the round trip
# without any work, so the difference bounds the page's own work. (The
# access log's %{duration}x cannot say it: h2o stamps both ends with its
# event loop's cached clock, and a page answered within one turn of the
# loop logs 0.) The audit rows counted after the run show that every
# request did the whole read.
#
# Environment: DURATION (seconds per run, default 5), RUNS (rounds, 3:
# razem and nginx alternately, the median round reported).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/razem}
DURATION=${DURATION:-5}
RUNS=${RUNS:-3}
work=$(mktemp -d /tmp/razem-cpage.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	[ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

port=$((40000 + RANDOM % 10000))
port_nginx=$((port + 1))
db=$work/bench.db
"$BIN" demo --db "$db" >/dev/null
id=$(sqlite3 "$db" "SELECT c.id FROM contract c JOIN team_member m ON m.id = c.guardian_member_id
	JOIN app_user u ON u.id = m.user_id WHERE u.login = 'opiekun' AND c.consent_id IS NOT NULL
	AND c.kind = 'family' AND c.state = 'active' ORDER BY c.id LIMIT 1")
[ -n "$id" ] || { echo "bench: no active family contract guarded by opiekun" >&2; exit 1; }
path=/contracts/$id
"$BIN" serve --db "$db" --listen "127.0.0.1:$port" --threads 1 --access-log off \
	2>"$work/razem.log" &
pids+=($!)
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
token=$(curl -fs -D - -o /dev/null -H 'content-type: application/json' \
	-d '{"login":"opiekun","password":"demo"}' "$base/api/v1/session" |
	sed -n 's/^set-cookie: razem_session=\([^;]*\);.*/\1/ip' | tr -d '\r')
[ -n "$token" ] || { echo "bench: could not sign in" >&2; exit 1; }
cookie="razem_session=$token"
status=$(curl -s -o "$work/page.html" -w '%{http_code}' -H "Cookie: $cookie" "$base$path")
[ "$status" = 200 ] || { echo "bench: $path answered $status" >&2; exit 1; }
bytes=$(wc -c <"$work/page.html")

mkdir -p "$work/www" "$work/nginx"
head -c "$bytes" /dev/urandom | base64 -w 100 | head -c "$bytes" >"$work/www/page.html"
cat >"$work/nginx/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 64; }
http {
	access_log off;
	open_file_cache max=16 inactive=60s;
	client_body_temp_path $work/nginx;
	proxy_temp_path $work/nginx;
	fastcgi_temp_path $work/nginx;
	uwsgi_temp_path $work/nginx;
	scgi_temp_path $work/nginx;
	server { listen 127.0.0.1:$port_nginx; root $work/www; }
}
NGINX
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port_nginx/page.html" >/dev/null 2>&1 && break; sleep 0.05; done

# p50 LOG: wrk's 50% latency in ms
p50() { awk '$1 == "50%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else { sub(/s$/, "", v); v *= 1000 } printf "%.3f", v }' "$1"; }
wrk -t1 -c1 -d1s -H "Cookie: $cookie" "$base$path" >/dev/null   # warm up
reads0=$(sqlite3 "$db" "SELECT COUNT(*) FROM audit_log WHERE action = 'contract.read'")
razem_p50=() nginx_p50=()
for r in $(seq "$RUNS"); do
	wrk -t1 -c1 -d"${DURATION}s" --latency -H "Cookie: $cookie" "$base$path" >"$work/wrk-r$r.txt"
	razem_p50+=("$(p50 "$work/wrk-r$r.txt")")
	wrk -t1 -c1 -d"${DURATION}s" --latency "http://127.0.0.1:$port_nginx/page.html" >"$work/nginx-r$r.txt"
	nginx_p50+=("$(p50 "$work/nginx-r$r.txt")")
done
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }
reads=$(($(sqlite3 "$db" "SELECT COUNT(*) FROM audit_log WHERE action = 'contract.read'") - reads0))
total=$(cat "$work"/wrk-r*.txt | awk '/requests in/ { n += $1 } END { print n }')
echo "contract page $path (opiekun, $bytes bytes), wrk -t1 -c1 -d${DURATION}s, $RUNS rounds, razem --threads 1, SQLite"
for r in $(seq 0 $((RUNS - 1))); do
	echo "  round $((r + 1)): razem p50 ${razem_p50[$r]} ms; nginx static p50 ${nginx_p50[$r]} ms"
done
rm=$(median "${razem_p50[@]}") nm=$(median "${nginx_p50[@]}")
echo "median of the rounds: razem $rm ms, nginx $nm ms per sequential request: server time at most $rm ms" \
	"(the difference $(awk -v a="$rm" -v b="$nm" 'BEGIN { printf "%.3f", a - b }') ms); $reads contract.read rows for $total requests"

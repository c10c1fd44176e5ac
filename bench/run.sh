#!/usr/bin/env bash
# bench/run.sh — request throughput and latency of razem, measured with wrk
# on this machine, next to nginx serving a static file of the same size as
# the signed-in page (the baseline the target is set against).
#
#   bench/run.sh [BIN]        BIN defaults to build/razem
#
# Cases: /healthz, the sign-in page, the signed-in start page and a
# recorded read (an administrator opening a user's page: access check,
# read and its audit row committed before the page leaves), the last two
# each against nginx serving a static file of the same size.
#
# Environment: RUNS (rounds, default 3: the signed-in page and nginx are
# measured alternately in each round and the median is reported, because
# this machine is shared and noisy), DURATION (seconds per run, default 10), CONNECTIONS (64),
# THREADS (wrk threads, 2), SERVER_THREADS (razem worker threads, default
# one per CPU), DB (sqlite, default, or a postgresql:// URL to bench on).
# Prints a Markdown table (also written to build/bench/results.md); the
# numbers go into docs/BENCHMARKS.md by hand, with the machine they ran on.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/razem}
DURATION=${DURATION:-10}
RUNS=${RUNS:-3}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
SERVER_THREADS=${SERVER_THREADS:-0}
OUT=build/bench
rm -rf "$OUT"
mkdir -p "$OUT"
work=$(mktemp -d /tmp/razem-bench.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
	cp "$work/razem.log" "$OUT/razem.log" 2>/dev/null || true
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

port_razem=$((30000 + RANDOM % 10000))
port_nginx=$((port_razem + 1))
db=${DB:-$work/bench.db}
if [[ "$db" == postgres* ]]; then
	# --reset deletes only a demo (or empty) database: DB= must name one, never real data
	"$BIN" demo --db "$db" --reset >/dev/null
else
	"$BIN" demo --db "$db" >/dev/null
fi
"$BIN" serve --db "$db" --listen "127.0.0.1:$port_razem" --threads "$SERVER_THREADS" \
	--access-log "$work/access.log" 2>"$work/razem.log" &
pids+=($!)
razem_pid=$!
base="http://127.0.0.1:$port_razem"
for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
sleep 0.5
rss_rest=$(awk '/VmRSS/ {print $2}' "/proc/$razem_pid/status")

# a signed-in session for the start page (a social worker, the commonest user)
token=$(curl -fs -D - -o /dev/null -H 'content-type: application/json' \
	-d '{"login":"pracownik","password":"demo"}' "$base/api/v1/session" |
	sed -n 's/^set-cookie: razem_session=\([^;]*\);.*/\1/ip' | tr -d '\r')
[ -n "$token" ] || { echo "bench: could not sign in" >&2; exit 1; }
cookie="razem_session=$token"
page_bytes=$(curl -fs -H "Cookie: $cookie" "$base/" | wc -c)

# a recorded read: an administrator opens a user's page (the access check,
# the read, and its audit row committed before the page is sent)
admin_token=$(curl -fs -D - -o /dev/null -H 'content-type: application/json' \
	-d '{"login":"admin","password":"demo"}' "$base/api/v1/session" |
	sed -n 's/^set-cookie: razem_session=\([^;]*\);.*/\1/ip' | tr -d '\r')
[ -n "$admin_token" ] || { echo "bench: could not sign in as admin" >&2; exit 1; }
admin_cookie="razem_session=$admin_token"
read_path=/admin/users/2
read_bytes=$(curl -fs -H "Cookie: $admin_cookie" "$base$read_path" | wc -c)

# a person read (issue 7): the social worker reads a person of their institution through the
# API (the access policy's decision, the masked record, its person.read row committed first)
person_id=$(curl -fs -H "Cookie: $cookie" "$base/api/v1/persons?q=a&limit=1" |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["id"])')
[ -n "$person_id" ] || { echo "bench: no person to read (is the demo database filled?)" >&2; exit 1; }
person_path=/api/v1/persons/$person_id
person_bytes=$(curl -fs -H "Cookie: $cookie" "$base$person_path" | wc -c)

# nginx with the same number of workers, serving static files of those sizes
mkdir -p "$work/www" "$work/nginx"
head -c "$page_bytes" /dev/urandom | base64 -w 100 | head -c "$page_bytes" >"$work/www/page.html"
head -c "$read_bytes" /dev/urandom | base64 -w 100 | head -c "$read_bytes" >"$work/www/read.html"
head -c "$person_bytes" /dev/urandom | base64 -w 100 | head -c "$person_bytes" >"$work/www/person.json"
workers=$SERVER_THREADS
[ "$workers" = 0 ] && workers=$(nproc)
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes $workers;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
	# the strongest plain baseline: the access log written in batches as razem
	# writes its own (64 KiB or 200 ms), the file's descriptor kept open
	access_log $work/nginx/access.log combined buffer=64k flush=200ms;
	open_file_cache max=16 inactive=60s;
	sendfile on;
	client_body_temp_path $work/nginx;
	proxy_temp_path $work/nginx;
	fastcgi_temp_path $work/nginx;
	uwsgi_temp_path $work/nginx;
	scgi_temp_path $work/nginx;
	server {
		listen 127.0.0.1:$port_nginx;
		root $work/www;
		location / { add_header Cache-Control no-store; }
	}
}
EOF
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port_nginx/page.html" >/dev/null 2>&1 && break; sleep 0.05; done

# audit_reads [ACTION]: the count of ACTION (user.read) rows in the audit log
audit_reads() {
	local q="SELECT COUNT(*) FROM audit_log WHERE action = '${1:-user.read}'"
	if [[ "$db" == postgres* ]]; then
		psql "$db" -Atc "$q"
	else
		sqlite3 "$db" "$q"
	fi
}

# run SLUG NAME URL [HEADER]: one wrk run; prints a table row, keeps req/s in $OUT/SLUG.rps
run() {
	local slug=$1 name=$2 url=$3 header=${4:-} log="$OUT/wrk-$1.txt"
	local args=(-t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency)
	[ -n "$header" ] && args+=(-H "$header")
	wrk "${args[@]}" "$url" >"$log"
	local rps p50 p90 p99 errs
	rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$log")
	p50=$(awk '$1 == "50%" {print $2}' "$log")
	p90=$(awk '$1 == "90%" {print $2}' "$log")
	p99=$(awk '$1 == "99%" {print $2}' "$log")
	errs=$(awk '/Non-2xx or 3xx/ {print $5}' "$log")
	printf '| %-34s | %9s | %8s | %8s | %8s | %s |\n' "$name" "$rps" "$p50" "$p90" "$p99" "${errs:-0}"
	echo "$rps" >"$OUT/$slug.rps"
}

{
	echo "razem $("$BIN" version | cut -d' ' -f2) on $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"
	echo "database: $([[ "$db" == postgres* ]] && echo PostgreSQL || echo SQLite), wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $(date -u +%Y-%m-%d)"
	echo
	echo "| run                                | req/s     | p50      | p90      | p99      | non-2xx/3xx |"
	echo "|------------------------------------|-----------|----------|----------|----------|-------------|"
	run healthz "razem GET /healthz" "$base/healthz"
	run login "razem GET /login (sign-in page)" "$base/login"
	ratios=()
	for round in $(seq "$RUNS"); do
		run "start$round" "razem GET / signed in ($page_bytes B), round $round" "$base/" "Cookie: $cookie"
		run "nginx$round" "nginx static file ($page_bytes B), round $round" \
			"http://127.0.0.1:$port_nginx/page.html"
		ratios+=("$(awk -v a="$(cat "$OUT/start$round.rps")" -v b="$(cat "$OUT/nginx$round.rps")" \
			'BEGIN {printf "%.1f", 100 * a / b}')")
	done
	rratios=()
	rows_before=$(audit_reads)
	sent=0
	for round in $(seq "$RUNS"); do
		run "read$round" "razem GET $read_path recorded ($read_bytes B), round $round" \
			"$base$read_path" "Cookie: $admin_cookie"
		sent=$((sent + $(awk '/requests in/ {print $1}' "$OUT/wrk-read$round.txt")))
		run "nginxr$round" "nginx static file ($read_bytes B), round $round" \
			"http://127.0.0.1:$port_nginx/read.html"
		rratios+=("$(awk -v a="$(cat "$OUT/read$round.rps")" -v b="$(cat "$OUT/nginxr$round.rps")" \
			'BEGIN {printf "%.1f", 100 * a / b}')")
	done
	rows_after=$(audit_reads)
	pratios=()
	prows_before=$(audit_reads person.read)
	psent=0
	for round in $(seq "$RUNS"); do
		run "person$round" "razem GET $person_path ($person_bytes B), round $round" \
			"$base$person_path" "Cookie: $cookie"
		psent=$((psent + $(awk '/requests in/ {print $1}' "$OUT/wrk-person$round.txt")))
		run "nginxp$round" "nginx static file ($person_bytes B), round $round" \
			"http://127.0.0.1:$port_nginx/person.json"
		pratios+=("$(awk -v a="$(cat "$OUT/person$round.rps")" -v b="$(cat "$OUT/nginxp$round.rps")" \
			'BEGIN {printf "%.1f", 100 * a / b}')")
	done
	prows_after=$(audit_reads person.read)
	rss_load=$(awk '/VmRSS/ {print $2}' "/proc/$razem_pid/status")
	median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
	echo
	echo "signed-in page vs nginx static, per round: ${ratios[*]/%/ %}"
	echo "median of $RUNS rounds: signed-in $(median $(cat "$OUT"/start[0-9]*.rps)) req/s," \
		"nginx $(median $(cat "$OUT"/nginx[0-9]*.rps)) req/s, ratio $(median "${ratios[@]}") %"
	echo "recorded read vs nginx static, per round: ${rratios[*]/%/ %}"
	echo "median of $RUNS rounds: recorded read $(median $(cat "$OUT"/read[0-9]*.rps)) req/s," \
		"nginx $(median $(cat "$OUT"/nginxr[0-9]*.rps)) req/s, ratio $(median "${rratios[@]}") %"
	echo "audit rows of the reads: $((rows_after - rows_before)) for $sent requests wrk completed" \
		"(those still in flight when a run ended, at most $CONNECTIONS a run, are answered and recorded too)"
	echo "person read vs nginx static, per round: ${pratios[*]/%/ %}"
	echo "median of $RUNS rounds: person read $(median $(cat "$OUT"/person[0-9]*.rps)) req/s," \
		"nginx $(median $(cat "$OUT"/nginxp[0-9]*.rps)) req/s, ratio $(median "${pratios[@]}") %"
	echo "audit rows of the person reads: $((prows_after - prows_before)) for $psent requests wrk completed"
	echo "razem resident memory: $((rss_rest / 1024)) MB at rest, $((rss_load / 1024)) MB after the runs"
} | tee "$OUT/results.md"

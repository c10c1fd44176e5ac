#!/usr/bin/env bash
# bench/maps.sh — the map pages under wrk (issue 10's targets): the page of
# a powiat's gmina map (target: 2,000 requests/s or more), its SVG (gzip,
# from the cache) and its 304 revalidation; with real boundaries also the
# national gmina map's SVG (drawn once, then cached).
#
#   bench/maps.sh [BIN]       BIN defaults to build/razem
#
# Environment: DURATION (seconds per run, default 10), CONNECTIONS (64),
# THREADS (wrk threads, 2), SERVER_THREADS (razem workers, default one per
# CPU), DATA (../shared/data: when it holds the TERC register and the
# GeoJSON boundaries they are imported into the demo database first, so the
# national maps are real). Prints a Markdown table. The lead runs it; it
# is not part of the tests (the machine is shared).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/razem}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
SERVER_THREADS=${SERVER_THREADS:-0}
DATA=${DATA:-../shared/data}
command -v wrk >/dev/null || { echo "bench/maps.sh: wrk is not installed (scripts/deps.sh bench)" >&2; exit 1; }
work=$(mktemp -d /tmp/razem-maps-bench.XXXXXX)
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

db=$work/bench.db
"$BIN" demo --db "$db" >/dev/null
real=0
geo=$DATA/boundaries/jusuff_PolandGeoJson
if [ -f "$DATA/teryt/TERC_urzedowy_2020-01-01.csv" ] && [ -f "$geo/poland.municipalities.json" ]; then
	"$BIN" import teryt "$DATA/teryt/TERC_urzedowy_2020-01-01.csv" --db "$db" >/dev/null
	"$BIN" import boundaries "$geo/poland.voivodeships.json" --level voivodeship --db "$db" >/dev/null 2>&1
	"$BIN" import boundaries "$geo/poland.counties.json" --level powiat --db "$db" >/dev/null 2>&1
	"$BIN" import boundaries "$geo/poland.municipalities.json" --level gmina --db "$db" >/dev/null 2>&1
	real=1
fi
port=$((30000 + RANDOM % 10000))
"$BIN" serve --db "$db" --listen "127.0.0.1:$port" --threads "$SERVER_THREADS" --access-log off \
	2>"$work/razem.log" &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
token=$(curl -fs -D - -o /dev/null -H 'content-type: application/json' \
	-d '{"login":"analityk","password":"demo"}' "$base/api/v1/session" |
	sed -n 's/^set-cookie: razem_session=\([^;]*\);.*/\1/ip' | tr -d '\r')
[ -n "$token" ] || { echo "bench/maps.sh: could not sign in" >&2; exit 1; }
cookie="razem_session=$token"

# powiat: the demo county, or with real data a powiat of many gminas (1206 krakowski)
powiat=3050
[ "$real" = 1 ] && powiat=1206
page="/maps?layer=institutions&within=$powiat"
svg="/maps/map.svg?layer=institutions&within=$powiat"
national="/maps/map.svg?layer=institutions&level=gmina"
etag=$(curl -fs -D - -o /dev/null -H "Cookie: $cookie" "$base$svg" | sed -n 's/^etag: //ip' | tr -d '\r')

run() { # run NAME PATH [HEADER...]: one wrk run, a table row
	local name=$1 path=$2
	shift 2
	local args=() h
	for h in "$@"; do args+=(-H "$h"); done
	local out
	out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Cookie: $cookie" "${args[@]}" "$base$path")
	printf '| %s | %s | %s | %s |\n' "$name" \
		"$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
		"$(echo "$out" | awk '$1 == "50%" {print $2}')" \
		"$(echo "$out" | awk '$1 == "99%" {print $2}')"
}

echo "| request | requests/s | p50 | p99 |"
echo "|---|---|---|---|"
run "page of a powiat's gmina map ($powiat)" "$page" "Accept-Encoding: gzip"
run "its SVG, gzip" "$svg" "Accept-Encoding: gzip"
run "its SVG, 304" "$svg" "If-None-Match: $etag"
if [ "$real" = 1 ]; then
	t0=$(date +%s%N)
	bytes=$(curl -fs -H "Cookie: $cookie" "$base$national" | wc -c)
	t1=$(date +%s%N)
	echo
	echo "national gmina map: first request (drawn) $(( (t1 - t0) / 1000000 )) ms, $bytes bytes of SVG"
	run "national gmina map SVG, gzip (cached)" "$national" "Accept-Encoding: gzip"
fi

#!/usr/bin/env bash
# bench/boundaries.sh — boundary import times on this machine (not part of
# make check; issue 10 targets in brackets):
#
#   1. TERC register + the national gmina boundaries (2,477 units, ~70,000
#      ring vertices) into a fresh SQLite database            [under 5 s]
#   2. the same gminas densified to about 5,000,000 ring vertices  [under 20 s]
#      (every segment split evenly; both sides of a shared border get the same
#      points, computed from the segment's lower end, so the topology stays)
#
#   bench/boundaries.sh [VERTICES]     (default 5000000)
#
# PG_URL=postgresql://... also times step 1 on PostgreSQL (its public schema
# is emptied). Needs ../shared/data (see its PROVENANCE.md) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=${1:-5000000}
DATA=../shared/data
TERC=$DATA/teryt/TERC_urzedowy_2020-01-01.csv
GMINY=$DATA/boundaries/jusuff_PolandGeoJson/poland.municipalities.json
BIN=build/razem
[ -f "$TERC" ] && [ -f "$GMINY" ] || { echo "bench/boundaries.sh: $DATA is not there" >&2; exit 1; }
make -s "$BIN"
work=$(mktemp -d /tmp/razem-bench-bnd.XXXXXX)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

t0=$(now)
"$BIN" import teryt "$TERC" --db "$work/b.db" >/dev/null 2>&1
"$BIN" import boundaries "$GMINY" --db "$work/b.db" >"$work/out1" 2>/dev/null
t1=$(now)
echo "| TERC + gmina boundaries (SQLite)          | $(took "$t0" "$t1") s | target 5 s  | $(cat "$work/out1")"

if [ -n "${PG_URL:-}" ]; then
	psql "$PG_URL" -qc 'DROP SCHEMA public CASCADE; CREATE SCHEMA public' >/dev/null 2>&1
	t0=$(now)
	"$BIN" import teryt "$TERC" --db "$PG_URL" >/dev/null 2>&1
	"$BIN" import boundaries "$GMINY" --db "$PG_URL" >/dev/null 2>&1
	t1=$(now)
	echo "| TERC + gmina boundaries (PostgreSQL)      | $(took "$t0" "$t1") s | target 5 s  |"
fi

python3 - "$GMINY" "$work/dense.json" "$TARGET" <<'PY'
import json, sys
src, dst, target = sys.argv[1], sys.argv[2], int(sys.argv[3])
fc = json.load(open(src))
def rings(g):
    polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
    for p in polys:
        for r in p:
            yield r
segs = sum(len(r) - 1 for f in fc["features"] for r in rings(f["geometry"]))
k = max(1, round(target / segs))   # points per segment after densifying
def split(a, b):
    lo, hi = (a, b) if a <= b else (b, a)
    pts = [[lo[0] + (hi[0] - lo[0]) * i / k, lo[1] + (hi[1] - lo[1]) * i / k] for i in range(1, k)]
    return pts if a <= b else pts[::-1]
out = open(dst, "w")
out.write('{"type":"FeatureCollection","features":[')
n = 0
for i, f in enumerate(fc["features"]):
    g = f["geometry"]
    polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
    dense = []
    for p in polys:
        dp = []
        for r in p:
            d = []
            for a, b in zip(r, r[1:]):
                d.append(a)
                d.extend(split(a, b))
            d.append(r[-1])
            n += len(d)
            dp.append(d)
        dense.append(dp)
    feat = {"type": "Feature", "properties": f["properties"],
            "geometry": {"type": "MultiPolygon", "coordinates": dense}}
    out.write(("," if i else "") + json.dumps(feat, separators=(",", ":")))
out.write("]}")
out.close()
print(f"densified: {n} ring vertices, {k} per segment", file=sys.stderr)
PY
ls -la "$work/dense.json" | awk '{ printf "dense file: %.0f MB\n", $5 / 1e6 }'
t0=$(now)
"$BIN" import boundaries "$work/dense.json" --db "$work/b.db" >"$work/out2" 2>/dev/null
t1=$(now)
echo "| densified gmina layer ($TARGET vertices)  | $(took "$t0" "$t1") s | target 20 s | $(cat "$work/out2")"

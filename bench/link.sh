#!/usr/bin/env bash
# bench/link.sh — accuracy and speed of `razem link` on files (issue 9):
#
#   bench/link.sh [BIN]        BIN defaults to build/razem
#
# Sets:
#   febrl1..3    FEBRL datasets 1-3 (../shared/data/febrl), deduplicated, truth in truth/;
#                skipped, saying so, when that directory is absent
#   pl-link      bench/linkgen's two registers, SMALL persons each (default 10000), half of
#                A's persons also in B, the default error rates: A × B against truth.csv
#   pl-cp1250    the same with A.csv in Windows-1250
#   pl-dedup     A.csv of pl-link alone against truth_dedup_a.csv
#   pl-1M        BIG persons each (default 1000000): RUNS timed runs (default 3), the median
#                wall time and its peak resident memory (GNU time); BIG=0 skips it
#
# Prints a Markdown table (also build/bench/link/results.md): records, true pairs, pairs
# found, true/false positives, false negatives, precision, recall, F1, wall time, peak memory.
# One configuration for every set: nothing is tuned per set.
#
# Environment: SMALL, BIG, RUNS, FEBRL (the FEBRL directory), LINKER (the linker command,
# default "BIN link"; any command taking razem link's arguments and writing id_a,id_b,score),
# SEED (linkgen's seed, default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/razem}
SMALL=${SMALL:-10000}
BIG=${BIG:-1000000}
RUNS=${RUNS:-3}
SEED=${SEED:-1}
FEBRL=${FEBRL:-../shared/data/febrl}
OUT=build/bench/link
make -s bench-linkgen bench-linkeval
[ "$BIN" = build/razem ] && make -s build/razem
LINKER=${LINKER:-"$BIN link"}
GEN=build/bench/linkgen
EVAL=build/bench/linkeval
mkdir -p "$OUT"
work=$(mktemp -d /tmp/razem-bench-link.XXXXXX)
trap 'rm -rf "$work"' EXIT

read -r -a linker <<<"$LINKER"
if ! "${linker[@]}" --help >/dev/null 2>&1; then
	echo "bench/link.sh: '$LINKER --help' fails: this build has no razem link (issue 9); nothing measured"
	exit 0
fi

FEBRL_SPEC='id=rec_id,given=given_name,surname=surname,birth=date_of_birth:YYYYMMDD,street_number=street_number,street=address_1,address2=address_2,city=suburb,postcode=postcode,region=state,national_id=soc_sec_id'

# columns_args SPEC_A SPEC_B: the linker's options for two files whose columns differ
# (--columns2 when its --help names it, otherwise --columns once for each file)
columns_args() {
	if "${linker[@]}" --help 2>&1 | grep -q -- '--columns2'; then
		printf '%s\n' --columns "$1" --columns2 "$2"
	else
		printf '%s\n' --columns "$1" --columns "$2"
	fi
}

# timed OUTFILE TIMEFILE ARGS...: one run of the linker; TIMEFILE gets "seconds peak_kB"
timed() {
	local out=$1 tf=$2
	shift 2
	if ! /usr/bin/time -f '%e %M' -o "$tf" "${linker[@]}" "$@" >"$out" 2>"$out.err"; then
		echo "bench/link.sh: $LINKER $* failed:" >&2
		tail -5 "$out.err" >&2
		return 1
	fi
}

# row NAME RECORDS PAIRS TRUTH TIMEFILE [--dedup]: evaluates PAIRS and prints a table row
row() {
	local name=$1 records=$2 pairs=$3 truth=$4 tf=$5 mode=${6:-}
	local ev t mem
	ev=$("$EVAL" $mode "$pairs" "$truth")
	read -r t mem <"$tf"
	echo "$ev" | awk -v name="$name" -v records="$records" -v t="$t" -v mem="$mem" '
		{ v[$1] = $2 }
		END { printf "| %-9s | %15s | %10s | %10s | %10s | %8s | %8s | %9s | %6s | %6s | %8.2f | %7.0f |\n",
			name, records, v["true_pairs"], v["found"], v["true_positives"], v["false_positives"],
			v["false_negatives"], v["precision"], v["recall"], v["f1"], t, mem / 1024 }'
}

lines() { echo $(($(wc -l <"$1") - 1)); }

median_run() { sort -g "$@" | awk '{ v[NR] = $0 } END { print v[int((NR + 1) / 2)] }'; }

{
	echo "razem link on $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(date -u +%Y-%m-%d)"
	echo
	echo "| set       | records         | true pairs | found      | TP         | FP       | FN       | precision | recall | F1     | wall s   | peak MB |"
	echo "|-----------|-----------------|------------|------------|------------|----------|----------|-----------|--------|--------|----------|---------|"
	if [ -d "$FEBRL" ]; then
		for k in 1 2 3; do
			data="$FEBRL/dataset$k.csv"
			timed "$work/febrl$k.csv" "$work/febrl$k.time" --columns "$FEBRL_SPEC" "$data"
			row "febrl$k" "$(lines "$data")" "$work/febrl$k.csv" "$FEBRL/truth/febrl${k}_true_pairs.csv" \
				"$work/febrl$k.time" --dedup
		done
	else
		echo "| febrl1-3  | skipped: $FEBRL is absent |"
	fi

	"$GEN" --persons "$SMALL" --seed "$SEED" --out "$work/pl" 2>"$work/pl.log"
	spec_a=$(sed -n 's/^spec A.csv: //p' "$work/pl.log")
	spec_b=$(sed -n 's/^spec B.csv: //p' "$work/pl.log")
	mapfile -t cols < <(columns_args "$spec_a" "$spec_b")
	records="$(lines "$work/pl/A.csv") × $(lines "$work/pl/B.csv")"
	timed "$work/pl-link.csv" "$work/pl-link.time" "${cols[@]}" "$work/pl/A.csv" "$work/pl/B.csv"
	row pl-link "$records" "$work/pl-link.csv" "$work/pl/truth.csv" "$work/pl-link.time"

	"$GEN" --persons "$SMALL" --seed "$SEED" --cp1250 --out "$work/plw" 2>/dev/null
	timed "$work/pl-w.csv" "$work/pl-w.time" "${cols[@]}" "$work/plw/A.csv" "$work/plw/B.csv"
	row pl-cp1250 "$records" "$work/pl-w.csv" "$work/plw/truth.csv" "$work/pl-w.time"

	timed "$work/pl-dedup.csv" "$work/pl-dedup.time" --columns "$spec_a" "$work/pl/A.csv"
	row pl-dedup "$(lines "$work/pl/A.csv")" "$work/pl-dedup.csv" "$work/pl/truth_dedup_a.csv" \
		"$work/pl-dedup.time" --dedup

	if [ "$BIG" -gt 0 ]; then
		t0=$(date +%s.%N)
		"$GEN" --persons "$BIG" --seed "$SEED" --out "$work/big" 2>/dev/null
		gen_s=$(echo "$(date +%s.%N) - $t0" | bc)
		records="$(lines "$work/big/A.csv") × $(lines "$work/big/B.csv")"
		for run in $(seq "$RUNS"); do
			timed "$work/big-$run.csv" "$work/big-$run.time" "${cols[@]}" "$work/big/A.csv" "$work/big/B.csv"
			row "pl-big-$run" "$records" "$work/big-$run.csv" "$work/big/truth.csv" "$work/big-$run.time"
			rm -f "$work/big-$run.csv"
		done
		median=$(median_run "$work"/big-*.time)
		echo
		printf 'pl-big (%s persons a file, generated in %.1f s): median of %s runs %s s wall, %s MB peak;' \
			"$BIG" "$gen_s" "$RUNS" "${median% *}" "$((${median#* } / 1024))"
		echo " per run (s, MB): $(for f in "$work"/big-*.time; do read -r t m <"$f"; printf '%s/%s ' "$t" "$((m / 1024))"; done)"
	fi
} | tee "$OUT/results.md"

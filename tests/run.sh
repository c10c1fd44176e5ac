#!/usr/bin/env bash
# tests/run.sh — every test of razem, as `make check` runs it:
#
#   1. build (warnings are errors), source checks, the Polish catalogue
#   2. unit tests (cmocka)
#   3. HTTP integration tests against a real server on SQLite
#   4. the same unit DB tests and HTTP tests against a PostgreSQL 15 server
#      started here in a temporary directory, then a restart of that server
#      under a running razem (tests/http/pg_restart.test.mjs)
#   5. the whole unit + HTTP suite again, built with ASan and UBSan
#   6. browser tests (Playwright driving Debian's Chromium)
#   7. fuzz smoke runs of every parser
#
# Every suite speaks TAP; the last line is "N passed, N failed" and the
# exit status is non-zero on any failure. Logs: build/test-logs/.
# TESTS_ONLY="unit http" runs a subset; FUZZ_SECONDS sets the smoke length.
set -uo pipefail
cd "$(dirname "$0")/.."

LOGS=build/test-logs
rm -rf "$LOGS"
mkdir -p "$LOGS"
JOBS=$(nproc 2>/dev/null || echo 2)
ONLY=${TESTS_ONLY:-"static unit http pg san e2e fuzz"}
passed=0 failed=0 skipped=0
failures=()

want() { [[ " $ONLY " == *" $1 "* ]]; }
say() { printf '\n== %s\n' "$*"; }

# tally NAME LOGFILE: counts TAP results in a suite's log and reports failures.
tally() {
	local name=$1 log=$2 p f s
	# a skip is "ok N # SKIP" in node's TAP and "not ok N # SKIP" in cmocka's
	p=$(grep -E '^[[:space:]]*ok [0-9]+' "$log" | grep -cvE '# (SKIP|skip)' || true)
	s=$(grep -cE '^[[:space:]]*(not )?ok [0-9]+.*# (SKIP|skip)' "$log" || true)
	f=$(grep -E '^[[:space:]]*not ok [0-9]+' "$log" | grep -cvE '# (SKIP|skip)' || true)
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	printf '   %-44s %4d passed, %d failed%s\n' "$name" "$p" "$f" "$([ "$s" -gt 0 ] && echo ", $s skipped")"
	if [ "$f" -gt 0 ]; then
		failures+=("$name ($log)")
		grep -E -A12 '^[[:space:]]*not ok [0-9]+' "$log" | head -60 | sed 's/^/     | /'
	fi
}

# check NAME CMD...: a single pass/fail step (build, lint) counted as one test.
check() {
	local name=$1 log="$LOGS/$(echo "$1" | tr ' /' '__').log"
	shift
	if "$@" >"$log" 2>&1; then
		passed=$((passed + 1))
		printf '   %-44s ok\n' "$name"
	else
		failed=$((failed + 1))
		failures+=("$name ($log)")
		printf '   %-44s FAILED\n' "$name"
		tail -30 "$log" | sed 's/^/     | /'
	fi
}

# run_units BUILD_DIR LABEL [ENV...]: every cmocka binary under BUILD_DIR/tests/unit.
run_units() {
	local dir=$1 label=$2 t name log
	shift 2
	while IFS= read -r t; do
		name=${t#"$dir/tests/unit/"}
		# on PostgreSQL only the tests that use a database (tests/unit/testdb.h)
		if [ "$label" = pg ] && ! grep -q 'testdb\.h' "tests/unit/$name.c"; then
			continue
		fi
		log="$LOGS/unit-$label-$(echo "$name" | tr / _).log"
		env CMOCKA_MESSAGE_OUTPUT=TAP "$@" "$t" >"$log" 2>&1
		local rc=$?
		if [ $rc -ne 0 ] && ! grep -qE '^[[:space:]]*not ok' "$log"; then
			echo "not ok 1 - $name exited with status $rc" >>"$log"
		fi
		tally "unit $label $name" "$log"
	done < <(find "$dir/tests/unit" -type f -perm -u+x | sort)
}

# run_http BIN LABEL DB: the HTTP suite, one test file at a time (they share DB for PostgreSQL).
run_http() {
	local bin=$1 label=$2 dbkind=$3 f log
	for f in tests/http/*.test.mjs; do
		log="$LOGS/http-$label-$(basename "$f" .test.mjs).log"
		RAZEM_BIN=$bin RAZEM_TEST_DB=$dbkind node --test --test-reporter=tap "$f" >"$log" 2>&1
		local rc=$?
		if [ $rc -ne 0 ] && ! grep -qE '^[[:space:]]*not ok' "$log"; then
			echo "not ok 1 - $f exited with status $rc" >>"$log"
		fi
		tally "http $label $(basename "$f")" "$log"
	done
}

if want static; then
	say "build and source checks"
	check "build" make -j"$JOBS" all unit
	check "no banned functions" scripts/check-source.sh
	check "Polish catalogue complete" make -s po-check
	check "docs/CONFIG.md matches the settings" scripts/check-docs.sh
fi

if want unit; then
	say "unit tests (SQLite)"
	run_units build plain
fi

if want http; then
	say "HTTP integration tests (SQLite)"
	run_http build/razem sqlite sqlite
fi

if want pg; then
	say "PostgreSQL 15: unit DB tests and HTTP integration tests"
	pgdir=$(mktemp -d /tmp/razem-pg.XXXXXX)
	chmod 755 "$pgdir"
	pgport=$((20000 + RANDOM % 20000))
	if url=$(scripts/pg-test.sh start "$pgdir/pg" "$pgport" 2>"$LOGS/pg-start.log"); then
		run_units build pg RAZEM_TEST_PG_URL="$url"
		run_http build/razem pg "$url"
		# a PostgreSQL restart under a running server (same directory and port)
		log="$LOGS/http-pg-pg_restart-live.log"
		RAZEM_BIN=build/razem RAZEM_TEST_DB=$url \
			RAZEM_TEST_PG_RESTART_CMD="scripts/pg-test.sh stop '$pgdir/pg' && scripts/pg-test.sh start '$pgdir/pg' $pgport >/dev/null" \
			node --test --test-reporter=tap tests/http/pg_restart.test.mjs >"$log" 2>&1
		rc=$?
		if [ $rc -ne 0 ] && ! grep -qE '^[[:space:]]*not ok' "$log"; then
			echo "not ok 1 - pg_restart.test.mjs exited with status $rc" >>"$log"
		fi
		tally "http pg restart (live)" "$log"
		scripts/pg-test.sh stop "$pgdir/pg"
	else
		echo "not ok 1 - PostgreSQL test server did not start" >"$LOGS/pg.log"
		cat "$LOGS/pg-start.log" >>"$LOGS/pg.log"
		tally "postgresql server" "$LOGS/pg.log"
	fi
	rm -rf "$pgdir"
fi

if want san; then
	say "ASan + UBSan build: unit and HTTP tests"
	check "sanitizer build" make -j"$JOBS" SANITIZE=address,undefined BUILD=build/san all unit
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1
	LSAN_OPTIONS=suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0
	export LSAN_OPTIONS
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	run_units build/san san
	run_http build/san/razem san sqlite
	unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
fi

if want e2e; then
	say "browser tests (Playwright + Chromium)"
	log="$LOGS/e2e.log"
	RAZEM_BIN=build/razem node --test --test-reporter=tap tests/e2e/*.test.mjs >"$log" 2>&1
	rc=$?
	if [ $rc -ne 0 ] && ! grep -qE '^[[:space:]]*not ok' "$log"; then
		echo "not ok 1 - browser tests exited with status $rc" >>"$log"
	fi
	tally "e2e" "$log"
fi

if want fuzz; then
	say "fuzz smoke runs"
	log="$LOGS/fuzz.log"
	tests/fuzz/run.sh "${FUZZ_SECONDS:-5}" >"$log" 2>&1
	rc=$?
	if [ $rc -ne 0 ] && ! grep -qE '^[[:space:]]*not ok' "$log"; then
		echo "not ok 1 - fuzz runner exited with status $rc" >>"$log"
	fi
	tally "fuzz" "$log"
fi

echo
if [ ${#failures[@]} -gt 0 ]; then
	echo "Failed:"
	printf '  %s\n' "${failures[@]}"
fi
[ "$skipped" -gt 0 ] && echo "($skipped skipped; see the logs for why)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/sh
# tests/fuzz/run.sh SECONDS — builds every libFuzzer target tests/fuzz/*.c
# and runs each for SECONDS seconds; prints TAP ("1..N", "ok i - fuzz T (X
# runs)" / "not ok i - fuzz T" plus the tail of its log) and exits non-zero
# when a target fails to build or finds a crash.
#
# The project library is built by the Makefile with clang into build/fuzz
# (instrumented for coverage, ASan and UBSan); each target links against
# it. Runs use a scratch corpus build/fuzz/corpus/T seeded from
# tests/fuzz/corpus/T (the repository corpus is never written to); crash
# inputs land in build/fuzz/artifacts/T/, logs in build/fuzz/logs/T.log.
# Without clang every target is reported as skipped.
#
# Environment: CLANG (default clang), JOBS (make -j), FUZZ_ARGS (extra
# libFuzzer flags).
set -u
seconds=${1:-10}
cd "$(dirname "$0")/../.." || exit 1

B=build/fuzz
CLANG=${CLANG:-clang}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
SAN=address,undefined

targets=""
for f in tests/fuzz/*.c; do
	[ -e "$f" ] || continue
	targets="$targets $(basename "$f" .c)"
done
n=$(echo "$targets" | wc -w)
echo "1..$n"

if ! command -v "$CLANG" >/dev/null 2>&1; then
	i=0
	for t in $targets; do
		i=$((i + 1))
		echo "ok $i - fuzz $t # SKIP clang not installed"
	done
	exit 0
fi

mkdir -p "$B/logs" "$B/bin"
blog="$B/logs/build.log"

# The library: everything under src/ except main.c, built by the Makefile.
# -Wno-cast-align: clang warns about H2O_STRUCT_FROM_MEMBER (an H2O macro)
# where gcc on x86 does not, and the Makefile builds with -Werror.
# EMBED is the Makefile's build-time helper; keep it under build/fuzz too.
libok=1
if ! make --no-print-directory BUILD="$B" CC="$CLANG" EMBED="$B/tools/embed" \
	SANITIZE="fuzzer-no-link,$SAN" CFLAGS="-O1 -g -Wno-cast-align" \
	-j"$JOBS" "$B/librazem.a" >"$blog" 2>&1; then
	libok=0
fi

pkgs=$(sed -n 's/^PKGS := //p' Makefile)
# shellcheck disable=SC2086
pkg_cflags=$(pkg-config --cflags $pkgs 2>/dev/null)
# shellcheck disable=SC2086
pkg_libs=$(pkg-config --libs $pkgs 2>/dev/null)

failed=0
i=0
for t in $targets; do
	i=$((i + 1))
	log="$B/logs/$t.log"
	bin="$B/bin/$t"
	: >"$log"
	if [ $libok -eq 0 ]; then
		echo "not ok $i - fuzz $t (library build failed)"
		tail -n 20 "$blog" | sed 's/^/# /'
		failed=$((failed + 1))
		continue
	fi
	# shellcheck disable=SC2086
	if ! "$CLANG" -std=c11 -D_GNU_SOURCE -DH2O_USE_LIBUV=0 -Isrc -I"$B/gen" $pkg_cflags \
		-Wall -Wextra -Werror -O1 -g -fno-omit-frame-pointer \
		-fsanitize=fuzzer,$SAN -fno-sanitize-recover=all \
		-o "$bin" "tests/fuzz/$t.c" "$B/librazem.a" $pkg_libs -lshp -lpthread -lm >"$log" 2>&1; then
		echo "not ok $i - fuzz $t (build failed)"
		tail -n 20 "$log" | sed 's/^/# /'
		failed=$((failed + 1))
		continue
	fi

	corpus="$B/corpus/$t"
	art="$B/artifacts/$t"
	mkdir -p "$corpus" "$art"
	if [ -d "tests/fuzz/corpus/$t" ]; then
		cp -R "tests/fuzz/corpus/$t/." "$corpus/"
	fi

	# shellcheck disable=SC2086
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-max_len=16384 -print_final_stats=1 -artifact_prefix="$art/" ${FUZZ_ARGS:-} \
		"$corpus" >>"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
	if [ $rc -eq 0 ] && [ -n "$runs" ]; then
		echo "ok $i - fuzz $t ($runs runs)"
	else
		echo "not ok $i - fuzz $t"
		echo "# exit status $rc; log $log; crash inputs in $art/"
		tail -n 40 "$log" | sed 's/^/# /'
		failed=$((failed + 1))
	fi
done
[ $failed -eq 0 ]

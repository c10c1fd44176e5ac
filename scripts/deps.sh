#!/bin/sh
# deps.sh — installs what razem needs from Debian (and npm for the browser
# tests), only what is missing, so it is cheap to run before every build.
#
#   scripts/deps.sh run     build and run the server (make run)
#   scripts/deps.sh check   plus everything the tests use (make check)
#   scripts/deps.sh bench   plus wrk and nginx (make bench)
#
# Runs apt-get as root, through sudo otherwise; without either it lists
# what is missing and stops.
set -eu
mode=${1:-run}
cd "$(dirname "$0")/.."

build_pkgs="build-essential pkg-config gettext libh2o-evloop-dev libsodium-dev libjansson-dev
libsqlite3-dev libpq-dev libxlsxwriter-dev libutf8proc-dev libssl-dev zlib1g-dev libexpat1-dev libproj-dev libshp-dev librsvg2-dev libpango1.0-dev fonts-dejavu-core tzdata
ca-certificates"
check_pkgs="libcmocka-dev clang libclang-rt-dev llvm postgresql-15 postgresql-client-15 chromium
sqlite3 unzip curl procps proj-bin gdal-bin poppler-utils"
bench_pkgs="wrk nginx-light curl procps"

case "$mode" in
run) want="$build_pkgs" ;;
check) want="$build_pkgs $check_pkgs" ;;
bench) want="$build_pkgs $bench_pkgs" ;;
*) echo "usage: scripts/deps.sh run|check|bench" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
# Node.js may come from Debian (nodejs + npm) or elsewhere; only the commands matter.
if [ "$mode" = check ] && ! { command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; }; then
	missing="$missing nodejs npm"
fi

if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	if [ "$(id -u)" = 0 ]; then
		sudo=""
	elif command -v sudo >/dev/null 2>&1; then
		sudo="sudo"
	else
		echo "deps: missing Debian packages:$missing — install them as root" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	# shellcheck disable=SC2086
	$sudo apt-get install -y -qq --no-install-recommends $missing
fi

# Browser tests: playwright-core from npm, pinned by tests/e2e/package-lock.json.
if [ "$mode" = check ]; then
	if [ ! -d tests/e2e/node_modules/playwright-core ] ||
		[ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]; then
		echo "deps: installing playwright-core (npm ci)"
		(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
	fi
fi
exit 0

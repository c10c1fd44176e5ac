#!/bin/sh
# pg-test.sh — a throw-away PostgreSQL 15 server for the tests.
#
#   scripts/pg-test.sh start DIR PORT   initialise DIR (if new) and start on 127.0.0.1:PORT;
#                                       prints the connection URL on standard output
#   scripts/pg-test.sh stop DIR         stop it (the caller removes DIR)
#
# PostgreSQL refuses to run as root, so as root the server runs as the
# "postgres" user that Debian's package creates.
set -eu
cmd=${1:-}
dir=${2:-}
bin=/usr/lib/postgresql/15/bin
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: pg-test.sh start DIR PORT | stop DIR" >&2; exit 2; }
[ -x "$bin/pg_ctl" ] || { echo "pg-test: PostgreSQL 15 is not installed ($bin)" >&2; exit 1; }

as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

case "$cmd" in
start)
	port=${3:?port}
	mkdir -p "$dir"
	if [ "$(id -u)" = 0 ]; then
		chown postgres "$dir"
		chmod o+x "$(dirname "$dir")" # postgres must be able to reach DIR
	fi
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
			>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	fi
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
		start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
	echo "postgresql://postgres@127.0.0.1:$port/postgres"
	;;
stop)
	as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	;;
*)
	echo "usage: pg-test.sh start DIR PORT | stop DIR" >&2
	exit 2
	;;
esac

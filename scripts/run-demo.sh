#!/bin/sh
# run-demo.sh — what `make run` does after building: create the demo
# database (kept between runs) and serve it on http://127.0.0.1:8080.
# RAZEM_DB and RAZEM_LISTEN override the database and the address.
set -eu
bin=${1:-build/razem}
cd "$(dirname "$0")/.."
mkdir -p var
db=${RAZEM_DB:-var/demo.db}
listen=${RAZEM_LISTEN:-127.0.0.1:8080}
"$bin" demo --db "$db"
echo
echo "razem is starting on http://$listen/ — sign in with one of the accounts above."
echo "Database file: $(cd "$(dirname "$db")" && pwd)/$(basename "$db")  (back it up with: $bin backup --db $db FILE)"
echo "Press Ctrl-C to stop."
echo
exec "$bin" serve --db "$db" --listen "$listen"

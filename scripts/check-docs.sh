#!/bin/sh
# check-docs.sh — docs/CONFIG.md must list exactly the settings the binary
# knows: the table between the settings markers is compared with the output
# of `razem config --doc`. Run with --fix to rewrite the table.
set -eu
cd "$(dirname "$0")/.."
bin=${RAZEM_BIN:-build/razem}
doc=docs/CONFIG.md
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.new"' EXIT
"$bin" config --doc >"$tmp"
if [ "${1:-}" = --fix ]; then
	awk -v table="$tmp" '
		/<!-- settings:begin -->/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
		/<!-- settings:end -->/ { skip = 0 }
		!skip { print }' "$doc" >"$tmp.new"
	mv "$tmp.new" "$doc"
	exit 0
fi
sed -n '/<!-- settings:begin -->/,/<!-- settings:end -->/p' "$doc" | sed '1d;$d' | diff -u "$tmp" - || {
	echo "check-docs: $doc is out of date; run scripts/check-docs.sh --fix"
	exit 1
}

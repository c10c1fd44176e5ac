#!/bin/sh
# check-source.sh — refuses C that uses functions razem bans (unbounded or
# unsafe: strcpy, sprintf, atoi, gmtime, ... as in git's banned.h) and
# markers of unfinished work. Prints each offending line; exits 1 if any.
# The ban covers what ships and what parses hostile input (src, tools,
# tests/fuzz); unit tests build fixed inputs and may use them.
set -u
cd "$(dirname "$0")/.."
files=$(find src tools tests/fuzz -name '*.[ch]' 2>/dev/null)
bad=0
pattern='(^|[^_a-z0-9])(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atoll|atof|sscanf|strtok|gmtime|localtime|asctime|ctime|tmpnam|mktemp|rand|srand)[[:space:]]*\('
# shellcheck disable=SC2086
if grep -nE "$pattern" $files | grep -vE '(snprintf|vsnprintf|strtok_r|gmtime_r|localtime_r|asctime_r|ctime_r)[[:space:]]*\(' |
	grep -vE '^\S+:[0-9]+:\s*(\*|/\*|//)'; then
	echo "check-source: banned functions above (use snprintf, strtol/str_to_int64, gmtime_r, ...)"
	bad=1
fi
# shellcheck disable=SC2086
if grep -nE 'TODO|FIXME|not implemented' $(find src -name '*.[ch]'); then
	echo "check-source: unfinished-work markers above"
	bad=1
fi
exit $bad

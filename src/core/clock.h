/*
 * clock.h — time as razem stores and shows it.
 *
 * Stored timestamps are UTC ISO 8601 text, "2026-11-23T09:05:00Z", which
 * sort and compare as strings on both database backends; dates are
 * "YYYY-MM-DD". Shown times are local (TZ, Europe/Warsaw by default) in the
 * UI language's format: "23.11.2026 10:05" in Polish.
 */
#ifndef RAZEM_CORE_CLOCK_H
#define RAZEM_CORE_CLOCK_H

#include <stdint.h>

#include "core/i18n.h"

#define CLOCK_ISO_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */

/* clock_now() returns the current Unix time in seconds. */
int64_t clock_now(void);

/* clock_ms() is a monotonic clock in milliseconds, for intervals (caches, progress, flushing). */
int64_t clock_ms(void);

/* clock_iso() writes t as UTC ISO 8601 into out. */
void clock_iso(int64_t t, char out[CLOCK_ISO_LEN]);

/* clock_parse_iso() reads "YYYY-MM-DDTHH:MM:SSZ"; returns 0 or -1. */
int clock_parse_iso(const char *s, int64_t *t);

/* clock_today_ymd() is today's local date as YYYYMMDD (e.g. 20261123). */
int clock_today_ymd(void);

/*
 * clock_show() writes the stored UTC timestamp iso as local time for lang:
 * "23.11.2026 10:05" (pl) or "2026-11-23 10:05" (en). Unparseable input is
 * copied unchanged. out must hold 32 bytes.
 */
void clock_show(const char *iso, enum lang lang, char out[32]);

/* clock_show_date() writes "YYYY-MM-DD" as "23.11.2026" (pl) or unchanged (en). */
void clock_show_date(const char *date, enum lang lang, char out[16]);

/* clock_valid_date() is true for a real calendar date written YYYY-MM-DD. */
int clock_valid_date(const char *s);

#endif

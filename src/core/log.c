/*
 * log.c — formats a line into a stack buffer and writes it in one call so
 * lines from worker threads never interleave. Control characters in the
 * message (from any field: a login typed as "admin\nFAKE LINE", a user
 * agent, a database error) are written escaped (\n, \x1b), so one call
 * is always exactly one line and no field can forge another.
 */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static enum log_level min_level = LOG_INFO;

void log_set_level(enum log_level level)
{
	min_level = level;
}

/* escape() copies n bytes of src to dst (room for max bytes), control characters escaped; returns the length. */
static size_t escape(char *dst, size_t max, const char *src, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)src[i];

		if (c >= 0x20 && c != 0x7f && c != '\\') {
			if (k + 1 > max)
				break;
			dst[k++] = (char)c;
		} else if (c == '\n' || c == '\r' || c == '\t' || c == '\\') {
			if (k + 2 > max)
				break;
			dst[k++] = '\\';
			dst[k++] = c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't' : '\\';
		} else {
			if (k + 4 > max)
				break;
			dst[k++] = '\\';
			dst[k++] = 'x';
			dst[k++] = hex[c >> 4];
			dst[k++] = hex[c & 15];
		}
	}
	return k;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *const names[] = { "debug", "info", "warn", "error" };
	char line[2048], msg[2048];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	int n, m;

	if (level < min_level)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = snprintf(line, sizeof(line), "%04d-%02d-%02dT%02d:%02d:%02dZ razem[%s] ",
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		     tm.tm_sec, names[level]);
	va_start(ap, fmt);
	m = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	if ((size_t)m >= sizeof(msg))
		m = (int)sizeof(msg) - 1;
	n += (int)escape(line + n, sizeof(line) - (size_t)n - 2, msg, (size_t)m);
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}

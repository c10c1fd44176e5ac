/*
 * log.c — formats a line into a stack buffer and writes it in one call so
 * lines from worker threads never interleave.
 *
 * Messages often carry text a client chose (a path, a login, a database
 * error quoting it): control characters are written as \xNN so that no
 * message can end its line early and forge another.
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

/*
 * escape_into() appends s to line[n..limit) with bytes below 0x20 and 0x7f
 * written as \xNN (a character that does not fit whole is left out);
 * returns the new length.
 */
static int escape_into(char *line, int n, size_t limit, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c != 0x7f) {
			if ((size_t)n + 1 > limit)
				break;
			line[n++] = (char)c;
			continue;
		}
		if ((size_t)n + 4 > limit)
			break;
		line[n++] = '\\';
		line[n++] = 'x';
		line[n++] = hex[c >> 4];
		line[n++] = hex[c & 15];
	}
	return n;
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
	n = escape_into(line, n, sizeof(line) - 2, msg);
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}

/*
 * log.h — diagnostic log lines on standard error.
 *
 * One line per event: UTC timestamp, level, message. The access log is
 * separate (written by the HTTP server). Thread-safe: each line is one
 * write(2).
 */
#ifndef RAZEM_CORE_LOG_H
#define RAZEM_CORE_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* log_set_level() hides lines below level (default LOG_INFO). */
void log_set_level(enum log_level level);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif

/*
 * tests/unit/core/log.c — diagnostic lines on standard error (captured into
 * a temporary file): the exact line shape "YYYY-MM-DDTHH:MM:SSZ razem[level]
 * message\n" with a current UTC time, the four level names, the default
 * level hiding debug, log_set_level in both directions, truncation of
 * long messages to one terminated line, control characters escaped as
 * \xNN so a message cannot forge a line, and whole lines from many threads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"

#define PREFIX_LEN 20 /* "2026-11-23T09:05:00Z" */

static int saved_fd = -1, cap_fd = -1;
static char cap_path[] = "/tmp/razem-log-test-XXXXXX";

/* ---- helpers ---- */

/* capture() points standard error at a fresh temporary file. */
static void capture(void)
{
	strcpy(cap_path, "/tmp/razem-log-test-XXXXXX");
	cap_fd = mkstemp(cap_path);
	assert_true(cap_fd >= 0);
	saved_fd = dup(STDERR_FILENO);
	assert_true(saved_fd >= 0);
	assert_true(dup2(cap_fd, STDERR_FILENO) >= 0);
}

/* captured() restores standard error and returns what was written (free it). */
static char *captured(size_t *len)
{
	FILE *fp;
	char *text;
	long n;

	assert_true(dup2(saved_fd, STDERR_FILENO) >= 0);
	close(saved_fd);
	close(cap_fd);
	fp = fopen(cap_path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	text = malloc((size_t)n + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)n, fp), (size_t)n);
	text[n] = '\0';
	fclose(fp);
	unlink(cap_path);
	if (len != NULL)
		*len = (size_t)n;
	return text;
}

/* check_line() asserts one line (without '\n') is "<now> razem[level] message". */
static void check_line(const char *line, size_t len, const char *level, const char *message)
{
	char stamp[PREFIX_LEN + 1], tag[32];
	int64_t t, now = clock_now();
	size_t taglen;

	assert_true(len > PREFIX_LEN);
	memcpy(stamp, line, PREFIX_LEN);
	stamp[PREFIX_LEN] = '\0';
	if (clock_parse_iso(stamp, &t) != 0)
		fail_msg("bad time stamp \"%s\"", stamp);
	assert_true(t <= now && t >= now - 60);
	taglen = (size_t)snprintf(tag, sizeof(tag), " razem[%s] ", level);
	assert_true(len >= PREFIX_LEN + taglen);
	assert_memory_equal(line + PREFIX_LEN, tag, taglen);
	if (message != NULL) {
		assert_int_equal(len - PREFIX_LEN - taglen, strlen(message));
		assert_memory_equal(line + PREFIX_LEN + taglen, message, strlen(message));
	}
}

static int reset(void **state)
{
	(void)state;
	log_set_level(LOG_INFO);
	return 0;
}

/* ---- tests ---- */

static void test_core__log__line(void **state)
{
	size_t len;
	char *text;

	(void)state;
	capture();
	log_info("Started on %s with %d threads", "127.0.0.1:8080", 4);
	text = captured(&len);
	assert_int_equal(text[len - 1], '\n');
	assert_null(memchr(text, '\n', len - 1)); /* exactly one line */
	check_line(text, len - 1, "info", "Started on 127.0.0.1:8080 with 4 threads");
	free(text);
}

static void test_core__log__levels(void **state)
{
	char *text, *line, *save = NULL;
	static const char *const want[][2] = {
		{ "info", "i" }, { "warn", "w" }, { "error", "e: zażółć" },
	};
	int n = 0;

	(void)state;
	capture();
	log_debug("hidden by default");
	log_info("i");
	log_warn("w");
	log_error("e: %s", "zażółć");
	text = captured(NULL);
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		assert_true(n < 3);
		check_line(line, strlen(line), want[n][0], want[n][1]);
		n++;
	}
	assert_int_equal(n, 3);
	free(text);
}

static void test_core__log__set_level(void **state)
{
	char *text;
	size_t len;

	(void)state;
	capture();
	log_set_level(LOG_ERROR);
	log_info("no");
	log_warn("no");
	log_error("yes");
	log_set_level(LOG_DEBUG);
	log_debug("debug %d", 1);
	text = captured(&len);
	assert_non_null(strstr(text, " razem[error] yes\n"));
	assert_non_null(strstr(text, " razem[debug] debug 1\n"));
	assert_null(strstr(text, "no\n"));
	assert_int_equal(len, 2 * PREFIX_LEN + strlen(" razem[error] yes\n") + strlen(" razem[debug] debug 1\n"));
	free(text);
}

static void test_core__log__empty_message(void **state)
{
	char *text;
	size_t len;

	(void)state;
	capture();
	log_warn("%s", "");
	text = captured(&len);
	assert_int_equal(len, PREFIX_LEN + strlen(" razem[warn] \n"));
	check_line(text, len - 1, "warn", "");
	free(text);
}

static void test_core__log__escapes_control_characters(void **state)
{
	size_t len;
	char *text;

	(void)state;
	capture();
	log_warn("sign-in locked for login '%s'", "admin\nFAKE LOG LINE\r\t\x1b[31m\\");
	text = captured(&len);
	assert_int_equal(text[len - 1], '\n');
	assert_null(memchr(text, '\n', len - 1)); /* still exactly one line */
	check_line(text, len - 1, "warn",
		   "sign-in locked for login 'admin\\x0aFAKE LOG LINE\\x0d\\x09\\x1b[31m\\'");
	free(text);
}

static void test_core__log__long_message(void **state)
{
	char *big = malloc(10000), *text;
	size_t len;

	(void)state;
	assert_non_null(big);
	memset(big, 'x', 9999);
	big[9999] = '\0';
	capture();
	log_error("%s", big);
	log_info("after");
	text = captured(&len);
	/* the first line is cut to fit the 2048-byte line buffer and still ends in '\n' */
	assert_int_equal(text[2046], '\n');
	check_line(text, 2046, "error", NULL);
	assert_int_equal(text[2045], 'x');
	check_line(text + 2047, len - 2047 - 1, "info", "after");
	free(text);
	free(big);
}

static void test_core__log__control_characters(void **state)
{
	char *text;
	size_t len;

	(void)state;
	capture();
	log_warn("login \"%s\" failed", "eve\n2026-01-01T00:00:00Z razem[info] forged\r\x1b[2J\x7f\t");
	text = captured(&len);
	assert_int_equal(text[len - 1], '\n');
	assert_null(memchr(text, '\n', len - 1));
	check_line(text, len - 1, "warn",
		   "login \"eve\\x0a2026-01-01T00:00:00Z razem[info] forged\\x0d\\x1b[2J\\x7f\\x09\" failed");
	free(text);
}

/* An escape that would not fit whole at the end of the line is left out. */
static void test_core__log__escape_at_the_end(void **state)
{
	char big[2100], *text;
	size_t len;

	(void)state;
	memset(big, 'y', sizeof(big));
	big[2100 - 1] = '\0';
	big[2046 - 27 - 2] = '\n'; /* lands two bytes before the end of the line */
	capture();
	log_info("%s", big);
	text = captured(&len);
	assert_int_equal(text[len - 1], '\n');
	assert_null(memchr(text, '\n', len - 1));
	assert_true(len <= 2047);
	free(text);
}

static void *writer(void *arg)
{
	int i, id = (int)(intptr_t)arg;

	for (i = 0; i < 200; i++)
		log_info("thread %d line %03d %s", id, i, "abcdefghijklmnopqrstuvwxyz0123456789");
	return NULL;
}

static void test_core__log__threads(void **state)
{
	pthread_t th[4];
	char *text, *line, *save = NULL;
	int i, lines = 0;

	(void)state;
	capture();
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, writer, (void *)(intptr_t)i), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	text = captured(NULL);
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		int id, n;
		char rest[64];

		check_line(line, strlen(line), "info", NULL);
		assert_int_equal(sscanf(line + PREFIX_LEN, " razem[info] thread %d line %d %63s", &id, &n, rest), 3);
		assert_string_equal(rest, "abcdefghijklmnopqrstuvwxyz0123456789");
		lines++;
	}
	assert_int_equal(lines, 800);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_core__log__line, reset),
		cmocka_unit_test_setup(test_core__log__escapes_control_characters, reset),
		cmocka_unit_test_setup(test_core__log__levels, reset),
		cmocka_unit_test_setup(test_core__log__set_level, reset),
		cmocka_unit_test_setup(test_core__log__empty_message, reset),
		cmocka_unit_test_setup(test_core__log__long_message, reset),
		cmocka_unit_test_setup(test_core__log__control_characters, reset),
		cmocka_unit_test_setup(test_core__log__escape_at_the_end, reset),
		cmocka_unit_test_setup(test_core__log__threads, reset),
	};

	return cmocka_run_group_tests_name("core/log", tests, NULL, NULL);
}

/*
 * tests/unit/core/config.c — settings: every built-in default, durations
 * (units, bare seconds, malformed, overflow), config_set for every type
 * (ranges inclusive at both ends, '-' and '_' alike, the exact one-line
 * reason for each kind of bad value, a refused value leaving the old one),
 * config_has, the file reader (comments, blank lines, spaces, CRLF, '=' in
 * values, empty values, missing files, "path:line: reason" errors, long
 * lines), RAZEM_* variables (which are ignored, bad values), precedence
 * file → environment → flags, and the generated reference (`config --doc`).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"

static const char *const all_keys[] = {
	"db", "listen", "threads", "access_log", "log_level", "tls_cert", "tls_key",
	"session_idle", "session_max", "login_max_failures", "login_max_failures_address",
	"login_window", "login_lock", "password_min_length", "max_form_body", "max_upload_body",
	"max_fields", "export_max_rows", "export_inline_rows", "job_workers", "job_dir", "job_keep",
	"job_stale", "small_count", "retention_person_years", "retention_interview_years",
	"secure_cookies", "trust_proxy", "timezone", "user",
};

/* E() makes a string literal usable in a char *envp[] */
#define E(s) ((char *)(s))

#define NKEYS (sizeof(all_keys) / sizeof(all_keys[0]))

/* ---- helpers ---- */

/* write_file() puts text into a fresh temporary file and returns its path. */
static char *write_file(const char *text)
{
	char *path = strdup("/tmp/razem-config-test-XXXXXX");
	int fd;
	FILE *fp;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	return path;
}

/* drop_file() removes and frees a path from write_file(). */
static void drop_file(char *path)
{
	unlink(path);
	free(path);
}

/* expect_set_ok() asserts config_set() accepts key = value. */
static void expect_set_ok(struct config *c, const char *key, const char *value)
{
	char err[256] = "";

	if (config_set(c, key, value, err, sizeof(err)) != 0)
		fail_msg("%s = %s refused: %s", key, value, err);
}

/* expect_set_err() asserts config_set() refuses key = value with reason want. */
static void expect_set_err(struct config *c, const char *key, const char *value, const char *want)
{
	char err[256] = "";
	struct config before;

	memcpy(&before, c, sizeof(before));
	assert_int_equal(config_set(c, key, value, err, sizeof(err)), -1);
	assert_string_equal(err, want);
	assert_memory_equal(&before, c, sizeof(before)); /* nothing changed */
}

/* load_text() loads text as a configuration file into c; returns the result. */
static int load_text(struct config *c, const char *text, char *err, size_t errlen, char **path_out)
{
	char *path = write_file(text);
	int r = config_load_file(c, path, 0, err, errlen);

	if (path_out != NULL)
		*path_out = path;
	else
		drop_file(path);
	return r;
}

/* ---- defaults and durations ---- */

static void test_core__config__defaults(void **state)
{
	struct config c;

	(void)state;
	memset(&c, 0x5A, sizeof(c));
	config_defaults(&c);
	assert_string_equal(c.db, "");
	assert_string_equal(c.listen, "127.0.0.1:8080");
	assert_int_equal(c.threads, 0);
	assert_string_equal(c.access_log, "-");
	assert_string_equal(c.log_level, "info");
	assert_string_equal(c.tls_cert, "");
	assert_string_equal(c.tls_key, "");
	assert_int_equal(c.session_idle, 30 * 60);
	assert_int_equal(c.session_max, 12 * 3600);
	assert_int_equal(c.login_max_failures, 5);
	assert_int_equal(c.login_max_failures_address, 50);
	assert_int_equal(c.login_window, 15 * 60);
	assert_int_equal(c.login_lock, 15 * 60);
	assert_int_equal(c.password_min_length, 12);
	assert_int_equal(c.max_form_body, 64 * 1024);
	assert_int_equal(c.max_upload_body, 64 * 1024 * 1024);
	assert_int_equal(c.max_fields, 1000);
	assert_int_equal(c.export_max_rows, 200000);
	assert_int_equal(c.small_count, 5);
	assert_int_equal(c.secure_cookies, SECURE_AUTO);
	assert_int_equal(c.trust_proxy, 0);
	assert_string_equal(c.timezone, "Europe/Warsaw");
	assert_string_equal(c.user, "");
}

static void test_core__config__duration(void **state)
{
	(void)state;
	assert_int_equal(config_duration("0"), 0);
	assert_int_equal(config_duration("90"), 90);
	assert_int_equal(config_duration("30s"), 30);
	assert_int_equal(config_duration("15m"), 900);
	assert_int_equal(config_duration("12h"), 43200);
	assert_int_equal(config_duration("7d"), 604800);
	assert_int_equal(config_duration("007m"), 420);
	assert_int_equal(config_duration("0d"), 0);
	assert_int_equal(config_duration("9223372036854775807"), INT64_MAX);
	assert_int_equal(config_duration("9223372036854775807s"), INT64_MAX);
	assert_int_equal(config_duration("106751991167300d"), 106751991167300LL * 86400);
}

static void test_core__config__duration_bad(void **state)
{
	static const char *const bad[] = {
		"", "s", "m", "-5", "+5", " 5", "5 ", "5 m", "5x", "5mm", "5ms", "5M", "5H", "1.5h",
		"1,5h", "0x10", "5w", "5y", "m5", "9223372036854775808", "9223372036854775807m",
		"153722867280912931m", "106751991167301d", "99999999999999999999999",
	};
	size_t i;

	(void)state;
	assert_int_equal(config_duration(NULL), -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (config_duration(bad[i]) != -1)
			fail_msg("\"%s\" accepted as %lld", bad[i], (long long)config_duration(bad[i]));
}

/* ---- config_set ---- */

static void test_core__config__set_strings(void **state)
{
	struct config c;
	char long_listen[257];

	(void)state;
	config_defaults(&c);
	expect_set_ok(&c, "db", "postgresql://razem@localhost/razem?sslmode=require");
	assert_string_equal(c.db, "postgresql://razem@localhost/razem?sslmode=require");
	expect_set_ok(&c, "listen", "[::1]:9000");
	assert_string_equal(c.listen, "[::1]:9000");
	expect_set_ok(&c, "user", "");
	assert_string_equal(c.user, "");
	expect_set_ok(&c, "timezone", "Europe/Warsaw");
	expect_set_ok(&c, "tls_cert", "/etc/ssl/łódź.pem");
	assert_string_equal(c.tls_cert, "/etc/ssl/łódź.pem");
	/* the longest value that fits, then one character more */
	memset(long_listen, 'a', 255);
	long_listen[255] = '\0';
	expect_set_ok(&c, "listen", long_listen);
	assert_string_equal(c.listen, long_listen);
	long_listen[255] = 'a';
	long_listen[256] = '\0';
	expect_set_err(&c, "listen", long_listen, "listen: value too long (at most 255 characters)");
}

static void test_core__config__set_ints(void **state)
{
	struct config c;

	(void)state;
	config_defaults(&c);
	expect_set_ok(&c, "threads", "0");
	expect_set_ok(&c, "threads", "256");
	assert_int_equal(c.threads, 256);
	expect_set_err(&c, "threads", "257", "threads: must be a whole number from 0 to 256");
	expect_set_err(&c, "threads", "-1", "threads: must be a whole number from 0 to 256");
	expect_set_err(&c, "threads", "", "threads: must be a whole number from 0 to 256");
	expect_set_err(&c, "threads", "4 ", "threads: must be a whole number from 0 to 256");
	expect_set_err(&c, "threads", "four", "threads: must be a whole number from 0 to 256");
	expect_set_err(&c, "threads", "99999999999999999999",
		       "threads: must be a whole number from 0 to 256");
	expect_set_ok(&c, "max_form_body", "1024");
	expect_set_ok(&c, "max_form_body", "268435456");
	assert_int_equal(c.max_form_body, 268435456);
	expect_set_err(&c, "max_form_body", "1023",
		       "max_form_body: must be a whole number from 1024 to 268435456");
	expect_set_err(&c, "password_min_length", "7",
		       "password_min_length: must be a whole number from 8 to 128");
	expect_set_ok(&c, "password_min_length", "8");
	assert_int_equal(c.password_min_length, 8);
	expect_set_err(&c, "small_count", "0", "small_count: must be a whole number from 1 to 100");
	expect_set_ok(&c, "login_max_failures_address", "100000");
	assert_int_equal(c.login_max_failures_address, 100000);
	expect_set_ok(&c, "export_max_rows", "10000000");
	expect_set_err(&c, "export_max_rows", "0",
		       "export_max_rows: must be a whole number from 1 to 10000000");
}

static void test_core__config__set_durations(void **state)
{
	struct config c;

	(void)state;
	config_defaults(&c);
	expect_set_ok(&c, "session_idle", "20m");
	assert_int_equal(c.session_idle, 1200);
	expect_set_ok(&c, "session_idle", "7d");
	assert_int_equal(c.session_idle, 604800);
	expect_set_ok(&c, "session_idle", "1");
	assert_int_equal(c.session_idle, 1);
	expect_set_err(&c, "session_idle", "604801",
		       "session_idle: must be a duration like 30s, 15m, 12h or 7d, from 1s to 7d");
	expect_set_err(&c, "session_idle", "0s",
		       "session_idle: must be a duration like 30s, 15m, 12h or 7d, from 1s to 7d");
	expect_set_err(&c, "session_idle", "30 minutes",
		       "session_idle: must be a duration like 30s, 15m, 12h or 7d, from 1s to 7d");
	expect_set_err(&c, "session_idle", "",
		       "session_idle: must be a duration like 30s, 15m, 12h or 7d, from 1s to 7d");
	expect_set_err(&c, "session_max", "0s",
		       "session_max: must be a duration like 30s, 15m, 12h or 7d, from 1s to 30d");
	expect_set_err(&c, "session_max", "31d",
		       "session_max: must be a duration like 30s, 15m, 12h or 7d, from 1s to 30d");
	expect_set_ok(&c, "session_max", "1m");
	assert_int_equal(c.session_max, 60);
	expect_set_ok(&c, "session_max", "30d");
	assert_int_equal(c.session_max, 2592000);
	expect_set_ok(&c, "login_window", "24h");
	assert_int_equal(c.login_window, 86400);
	expect_set_err(&c, "login_window", "2d",
		       "login_window: must be a duration like 30s, 15m, 12h or 7d, from 1s to 1d");
	expect_set_ok(&c, "login_lock", "90s");
	assert_int_equal(c.login_lock, 90);
}

static void test_core__config__set_enums(void **state)
{
	static const char *const on[] = { "on", "true", "1", "yes" };
	static const char *const off[] = { "off", "false", "0", "no" };
	struct config c;
	size_t i;

	(void)state;
	config_defaults(&c);
	for (i = 0; i < 4; i++) {
		expect_set_ok(&c, "trust_proxy", on[i]);
		assert_int_equal(c.trust_proxy, 1);
		expect_set_ok(&c, "trust_proxy", off[i]);
		assert_int_equal(c.trust_proxy, 0);
	}
	expect_set_err(&c, "trust_proxy", "maybe", "trust_proxy: must be on or off");
	expect_set_err(&c, "trust_proxy", "", "trust_proxy: must be on or off");
	expect_set_err(&c, "trust_proxy", "2", "trust_proxy: must be on or off");
	expect_set_ok(&c, "secure_cookies", "always");
	assert_int_equal(c.secure_cookies, SECURE_ALWAYS);
	expect_set_ok(&c, "secure_cookies", "never");
	assert_int_equal(c.secure_cookies, SECURE_NEVER);
	expect_set_ok(&c, "secure_cookies", "auto");
	assert_int_equal(c.secure_cookies, SECURE_AUTO);
	expect_set_err(&c, "secure_cookies", "on", "secure_cookies: must be auto, always or never");
	expect_set_ok(&c, "log_level", "debug");
	assert_string_equal(c.log_level, "debug");
	expect_set_ok(&c, "log_level", "warn");
	expect_set_ok(&c, "log_level", "error");
	expect_set_ok(&c, "log_level", "info");
	assert_string_equal(c.log_level, "info");
	expect_set_err(&c, "log_level", "verbose", "log_level: must be debug, info, warn or error");
	expect_set_err(&c, "log-level", "INFO", "log_level: must be debug, info, warn or error");
}

static void test_core__config__set_keys(void **state)
{
	struct config c;

	(void)state;
	config_defaults(&c);
	/* dashes and underscores are the same; the message names the key with underscores */
	expect_set_ok(&c, "session-idle", "5m");
	assert_int_equal(c.session_idle, 300);
	expect_set_ok(&c, "login-max-failures-address", "7");
	assert_int_equal(c.login_max_failures_address, 7);
	expect_set_err(&c, "login-lock", "x",
		       "login_lock: must be a duration like 30s, 15m, 12h or 7d, from 1s to 1d");
	expect_set_err(&c, "nope", "1", "unknown setting 'nope'");
	expect_set_err(&c, "", "1", "unknown setting ''");
	expect_set_err(&c, "config", "x", "unknown setting 'config'");
	expect_set_err(&c, "LISTEN", "x", "unknown setting 'LISTEN'");
	expect_set_err(&c, "listen_", "x", "unknown setting 'listen_'");
	expect_set_err(&c, "liste", "x", "unknown setting 'liste'");
	expect_set_err(&c, "login_max", "1", "unknown setting 'login_max'");
}

static void test_core__config__err_truncated(void **state)
{
	struct config c;
	char err[8];

	(void)state;
	config_defaults(&c);
	assert_int_equal(config_set(&c, "threads", "x", err, sizeof(err)), -1);
	assert_string_equal(err, "threads");
}

static void test_core__config__has(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NKEYS; i++)
		if (!config_has(all_keys[i]))
			fail_msg("%s missing", all_keys[i]);
	assert_true(config_has("session-max"));
	assert_true(config_has("tls-key"));
	assert_false(config_has(""));
	assert_false(config_has("config"));
	assert_false(config_has("Listen"));
	assert_false(config_has("db_"));
	assert_false(config_has("d"));
	assert_false(config_has("session__idle"));
}

/* ---- the file ---- */

static void test_core__config__file(void **state)
{
	struct config c;
	char err[512] = "";

	(void)state;
	config_defaults(&c);
	assert_int_equal(load_text(&c,
				   "# razem.conf\n"
				   "\n"
				   "   # an indented comment\n"
				   "db = /srv/razem/razem.db\n"
				   "listen=0.0.0.0:8080\n"
				   "\tthreads\t=\t4\t\n"
				   "session-idle = 20m\r\n"
				   "trust_proxy = on\n"
				   "tls_cert =\n"
				   "access_log = /var/log/razem/a=b.log\n"
				   "timezone = Europe/Warsaw",
				   err, sizeof(err), NULL),
			 0);
	assert_string_equal(err, "");
	assert_string_equal(c.db, "/srv/razem/razem.db");
	assert_string_equal(c.listen, "0.0.0.0:8080");
	assert_int_equal(c.threads, 4);
	assert_int_equal(c.session_idle, 1200);
	assert_int_equal(c.trust_proxy, 1);
	assert_string_equal(c.tls_cert, "");
	assert_string_equal(c.access_log, "/var/log/razem/a=b.log");
	assert_string_equal(c.timezone, "Europe/Warsaw");
	/* untouched settings keep their defaults */
	assert_int_equal(c.session_max, 43200);
	assert_string_equal(c.user, "");
}

static void test_core__config__file_empty(void **state)
{
	struct config c, d;
	char err[512] = "";

	(void)state;
	config_defaults(&c);
	config_defaults(&d);
	assert_int_equal(load_text(&c, "", err, sizeof(err), NULL), 0);
	assert_int_equal(load_text(&c, "\n\n# only comments\n   \n", err, sizeof(err), NULL), 0);
	assert_memory_equal(&c, &d, sizeof(c));
}

static void test_core__config__file_later_line_wins(void **state)
{
	struct config c;
	char err[512] = "";

	(void)state;
	config_defaults(&c);
	assert_int_equal(load_text(&c, "threads = 2\nthreads = 3\n", err, sizeof(err), NULL), 0);
	assert_int_equal(c.threads, 3);
}

static void test_core__config__file_missing(void **state)
{
	struct config c;
	char err[512] = "";

	(void)state;
	config_defaults(&c);
	assert_int_equal(config_load_file(&c, "/nonexistent/razem.conf", 1, err, sizeof(err)), 1);
	assert_string_equal(err, "");
	assert_int_equal(config_load_file(&c, "/nonexistent/razem.conf", 0, err, sizeof(err)), -1);
	assert_string_equal(err, "/nonexistent/razem.conf: No such file or directory");
	/* a directory is not a missing file, even when a missing one is fine */
	err[0] = '\0';
	assert_int_equal(config_load_file(&c, "/", 1, err, sizeof(err)), -1);
	assert_string_equal(err, "/: Is a directory");
}

static void test_core__config__file_errors(void **state)
{
	struct {
		const char *text;
		const char *reason; /* after "path:" */
	} cases[] = {
		{ "junk\n", "1: expected 'key = value'" },
		{ "# ok\nthreads = 2\nlisten\n", "3: expected 'key = value'" },
		{ "nope = 1\n", "1: unknown setting 'nope'" },
		{ " = 1\n", "1: unknown setting ''" },
		{ "\n\nthreads = many\n", "3: threads: must be a whole number from 0 to 256" },
		{ "session_idle = 30 m\n",
		  "1: session_idle: must be a duration like 30s, 15m, 12h or 7d, from 1s to 7d" },
		{ "secure_cookies = yes\n", "1: secure_cookies: must be auto, always or never" },
		{ "log_level = loud\n", "1: log_level: must be debug, info, warn or error" },
		{ "trust_proxy = on # comment\n", "1: trust_proxy: must be on or off" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct config c;
		char err[512] = "", want[600];
		char *path;

		config_defaults(&c);
		assert_int_equal(load_text(&c, cases[i].text, err, sizeof(err), &path), -1);
		snprintf(want, sizeof(want), "%s:%s", path, cases[i].reason);
		assert_string_equal(err, want);
		drop_file(path);
	}
}

static void test_core__config__file_long_line(void **state)
{
	struct config c;
	char err[512] = "", want[600];
	char *text = malloc(8192), *path;

	(void)state;
	assert_non_null(text);
	/* a value of 1000 characters is fine in the file but too long for listen */
	strcpy(text, "threads = 1\nlisten = ");
	memset(text + strlen(text), 'x', 1000);
	strcpy(text + 21 + 1000, "\n");
	config_defaults(&c);
	assert_int_equal(load_text(&c, text, err, sizeof(err), &path), -1);
	snprintf(want, sizeof(want), "%s:2: listen: value too long (at most 255 characters)", path);
	assert_string_equal(err, want);
	drop_file(path);
	/* a line longer than the reader's buffer */
	strcpy(text, "# x\ndb = ");
	memset(text + 9, 'y', 5000);
	strcpy(text + 9 + 5000, "\nthreads = 1\n");
	config_defaults(&c);
	assert_int_equal(load_text(&c, text, err, sizeof(err), &path), -1);
	snprintf(want, sizeof(want), "%s:2: line too long", path);
	assert_string_equal(err, want);
	drop_file(path);
	free(text);
}

/* ---- the environment ---- */

static void test_core__config__env(void **state)
{
	char *env[] = {
		E("PATH=/usr/bin"),
		E("RAZEM_LISTEN=0.0.0.0:80"),
		E("RAZEM_SESSION_IDLE=20m"),
		E("RAZEM_TRUST_PROXY=yes"),
		E("RAZEM_TLS_CERT="),
		E("RAZEM_CONFIG=/etc/razem.conf"), /* names the file: not a setting */
		E("RAZEM_UNKNOWN=1"),              /* belongs to a script */
		E("RAZEM_=x"),
		E("RAZEM_DB"),                     /* no '=' */
		E("razem_threads=9"),              /* the prefix is upper case */
		E("XRAZEM_THREADS=9"),
		E("RAZEM_Max_Fields=77"),          /* the key part is case-insensitive */
		E("RAZEM_THIS_IS_A_VERY_LONG_NAME_THAT_NO_SETTING_HAS_AT_ALL_1234567890=1"),
		NULL,
	};
	struct config c;
	char err[256] = "";

	(void)state;
	config_defaults(&c);
	strcpy(c.tls_cert, "/old.pem");
	assert_int_equal(config_load_env(&c, env, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_string_equal(c.listen, "0.0.0.0:80");
	assert_int_equal(c.session_idle, 1200);
	assert_int_equal(c.trust_proxy, 1);
	assert_string_equal(c.tls_cert, "");
	assert_string_equal(c.db, ""); /* no default database: commands ask for one */
	assert_int_equal(c.threads, 0);
	assert_int_equal(c.max_fields, 77);
	assert_int_equal(config_load_env(&c, NULL, err, sizeof(err)), 0);
}

static void test_core__config__env_bad(void **state)
{
	char *env[] = { E("RAZEM_THREADS=lots"), NULL };
	char *env2[] = { E("RAZEM_LOG_LEVEL=trace"), NULL };
	struct config c;
	char err[256] = "";

	(void)state;
	config_defaults(&c);
	assert_int_equal(config_load_env(&c, env, err, sizeof(err)), -1);
	assert_string_equal(err, "threads: must be a whole number from 0 to 256");
	assert_int_equal(c.threads, 0);
	assert_int_equal(config_load_env(&c, env2, err, sizeof(err)), -1);
	assert_string_equal(err, "log_level: must be debug, info, warn or error");
}

/* ---- precedence ---- */

static void test_core__config__precedence(void **state)
{
	char *env[] = { E("RAZEM_LISTEN=10.0.0.2:8080"), E("RAZEM_SESSION_IDLE=10m"), NULL };
	struct config c;
	char err[256] = "";

	(void)state;
	config_defaults(&c);
	/* 1. the file */
	assert_int_equal(load_text(&c,
				   "listen = 10.0.0.1:8080\n"
				   "db = /from/file.db\n"
				   "session_idle = 1h\n"
				   "threads = 3\n",
				   err, sizeof(err), NULL),
			 0);
	assert_string_equal(c.listen, "10.0.0.1:8080");
	/* 2. the environment overrides the file */
	assert_int_equal(config_load_env(&c, env, err, sizeof(err)), 0);
	assert_string_equal(c.listen, "10.0.0.2:8080");
	assert_int_equal(c.session_idle, 600);
	/* 3. flags (--listen, --threads) override both */
	expect_set_ok(&c, "listen", "10.0.0.3:8080");
	expect_set_ok(&c, "threads", "8");
	assert_string_equal(c.listen, "10.0.0.3:8080");
	assert_int_equal(c.threads, 8);
	/* what no later source named keeps the earlier value */
	assert_string_equal(c.db, "/from/file.db");
	assert_int_equal(c.session_idle, 600);
	assert_int_equal(c.max_fields, 1000);
}

/* ---- the generated reference ---- */

static void test_core__config__doc(void **state)
{
	char *doc = NULL, *line, *save = NULL;
	size_t len = 0, rows = 0, i;
	FILE *fp = open_memstream(&doc, &len);
	int seen[NKEYS] = { 0 };
	const char *head = "| key | environment | default | meaning |\n|---|---|---|---|\n";

	(void)state;
	assert_non_null(fp);
	config_write_doc(fp);
	assert_int_equal(fclose(fp), 0);
	assert_non_null(doc);
	assert_true(strncmp(doc, head, strlen(head)) == 0);
	assert_non_null(strstr(doc, "| `session_idle` | `RAZEM_SESSION_IDLE` | `30m` | "
				    "A session ends after this much inactivity. |\n"));
	assert_non_null(strstr(doc, "| `tls_cert` | `RAZEM_TLS_CERT` | `(empty)` | "));
	assert_non_null(strstr(doc, "| `login_max_failures_address` | `RAZEM_LOGIN_MAX_FAILURES_ADDRESS` | `50` | "));
	assert_non_null(strstr(doc, "| `secure_cookies` | `RAZEM_SECURE_COOKIES` | `auto` | "));
	assert_non_null(strstr(doc, "| `trust_proxy` | `RAZEM_TRUST_PROXY` | `off` | "));
	assert_int_equal(doc[len - 1], '\n');
	/* every row names a real setting whose documented default is accepted */
	for (line = strtok_r(doc, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char key[64], env[80], dflt[256], want_env[80];
		struct config c;
		const char *k;
		size_t n = 0;

		if (strncmp(line, "| `", 3) != 0)
			continue;
		rows++;
		assert_int_equal(sscanf(line, "| `%63[^`]` | `%79[^`]` | `%255[^`]` |", key, env, dflt), 3);
		assert_true(config_has(key));
		n = (size_t)snprintf(want_env, sizeof(want_env), "RAZEM_");
		for (k = key; *k != '\0'; k++)
			want_env[n++] = (char)(*k >= 'a' && *k <= 'z' ? *k - 'a' + 'A' : *k);
		want_env[n] = '\0';
		assert_string_equal(env, want_env);
		config_defaults(&c);
		expect_set_ok(&c, key, strcmp(dflt, "(empty)") == 0 ? "" : dflt);
		for (i = 0; i < NKEYS; i++)
			if (strcmp(all_keys[i], key) == 0)
				seen[i]++;
	}
	assert_int_equal(rows, NKEYS);
	for (i = 0; i < NKEYS; i++)
		if (seen[i] != 1)
			fail_msg("%s listed %d times", all_keys[i], seen[i]);
	free(doc);
}

/* durations print as the file writes them, and read back to the same value */
static void test_core__config__format_duration(void **state)
{
	static const struct { int64_t s; const char *text; } cases[] = {
		{ 1800, "30m" }, { 43200, "12h" }, { 1, "1s" }, { 86400, "1d" }, { 900, "15m" },
		{ 90, "90s" }, { 3660, "61m" }, { 0, "0s" }, { 7 * 86400, "7d" },
	};
	char out[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		config_format_duration(cases[i].s, out, sizeof(out));
		assert_string_equal(out, cases[i].text);
		assert_int_equal(config_duration(out), cases[i].s);
	}
}

/* config_write_values() prints every setting once, durations with units, the TLS key masked */
static void test_core__config__write_values(void **state)
{
	char *text = NULL, err[256];
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	struct config c;

	(void)state;
	assert_non_null(fp);
	config_defaults(&c);
	expect_set_ok(&c, "tls_key", "/secret.pem");
	assert_int_equal(config_set(&c, "login_lock", "2h", err, sizeof(err)), 0);
	config_write_values(fp, &c);
	assert_int_equal(fclose(fp), 0);
	assert_non_null(strstr(text, "session_idle = 30m\n"));
	assert_non_null(strstr(text, "session_max = 12h\n"));
	assert_non_null(strstr(text, "login_lock = 2h\n"));
	assert_non_null(strstr(text, "tls_key = (set)\n"));
	assert_null(strstr(text, "secret"));
	assert_non_null(strstr(text, "trust_proxy = off\nt"));
	assert_non_null(strstr(text, "secure_cookies = auto\n"));
	assert_true(strncmp(text, "db = \n", 6) == 0);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core__config__defaults),
		cmocka_unit_test(test_core__config__duration),
		cmocka_unit_test(test_core__config__duration_bad),
		cmocka_unit_test(test_core__config__set_strings),
		cmocka_unit_test(test_core__config__set_ints),
		cmocka_unit_test(test_core__config__set_durations),
		cmocka_unit_test(test_core__config__set_enums),
		cmocka_unit_test(test_core__config__set_keys),
		cmocka_unit_test(test_core__config__err_truncated),
		cmocka_unit_test(test_core__config__has),
		cmocka_unit_test(test_core__config__file),
		cmocka_unit_test(test_core__config__file_empty),
		cmocka_unit_test(test_core__config__file_later_line_wins),
		cmocka_unit_test(test_core__config__file_missing),
		cmocka_unit_test(test_core__config__file_errors),
		cmocka_unit_test(test_core__config__file_long_line),
		cmocka_unit_test(test_core__config__env),
		cmocka_unit_test(test_core__config__env_bad),
		cmocka_unit_test(test_core__config__precedence),
		cmocka_unit_test(test_core__config__doc),
		cmocka_unit_test(test_core__config__format_duration),
		cmocka_unit_test(test_core__config__write_values),
	};

	return cmocka_run_group_tests_name("core/config", tests, NULL, NULL);
}

/*
 * tests/fuzz/config.c — libFuzzer target for the configuration parsers of
 * src/core/config.c.
 *
 * The input is a configuration file: it is written to an in-memory file
 * and read with config_load_file(); each of its lines is also offered as
 * an environment entry to config_load_env() (with RAZEM_ prepended) and
 * to config_duration(), and split at '=' for config_set(). Aborts when:
 *   - a return value is outside the documented set, or an error leaves
 *     err empty or unterminated, or a file error does not start with
 *     "path:line:";
 *   - after any of them the settings break the table: a string not
 *     terminated inside its field, a number or duration outside its
 *     range, log_level not one of debug/info/warn/error, secure_cookies or
 *     trust_proxy outside their values;
 *   - config_duration() accepts something other than digits with an
 *     optional s/m/h/d, or gives a value other than the reference.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TERMINATED(f) (memchr((f), '\0', sizeof(f)) != NULL)

static void check_config(const struct config *c)
{
	if (!TERMINATED(c->db) || !TERMINATED(c->listen) || !TERMINATED(c->access_log) ||
	    !TERMINATED(c->log_level) || !TERMINATED(c->tls_cert) || !TERMINATED(c->tls_key) ||
	    !TERMINATED(c->timezone) || !TERMINATED(c->user))
		abort();
	if (strcmp(c->log_level, "debug") != 0 && strcmp(c->log_level, "info") != 0 &&
	    strcmp(c->log_level, "warn") != 0 && strcmp(c->log_level, "error") != 0)
		abort();
	if (c->threads < 0 || c->threads > 256)
		abort();
	if (c->session_idle < 1 || c->session_idle > 86400 * 7)
		abort();
	if (c->session_max < 1 || c->session_max > 86400 * 30)
		abort();
	if (c->login_max_failures < 1 || c->login_max_failures > 1000)
		abort();
	if (c->login_max_failures_address < 1 || c->login_max_failures_address > 100000)
		abort();
	if (c->login_window < 1 || c->login_window > 86400 || c->login_lock < 1 ||
	    c->login_lock > 86400)
		abort();
	if (c->password_min_length < 8 || c->password_min_length > 128)
		abort();
	if (c->max_form_body < 1024 || c->max_form_body > 256 * 1024 * 1024)
		abort();
	if (c->max_upload_body < 1024 || c->max_upload_body > 1024LL * 1024 * 1024)
		abort();
	if (c->max_fields < 8 || c->max_fields > 100000)
		abort();
	if (c->export_max_rows < 1 || c->export_max_rows > 10000000)
		abort();
	if (c->small_count < 1 || c->small_count > 100)
		abort();
	if (c->secure_cookies != SECURE_AUTO && c->secure_cookies != SECURE_ALWAYS &&
	    c->secure_cookies != SECURE_NEVER)
		abort();
	if (c->trust_proxy != 0 && c->trust_proxy != 1)
		abort();
}

static void check_err(const char *err, size_t len)
{
	if (memchr(err, '\0', len) == NULL || err[0] == '\0')
		abort();
}

/* ref_duration() is the documented grammar: digits, then s, m, h, d or nothing. */
static int64_t ref_duration(const char *s)
{
	int64_t v = 0, mult = 1;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (INT64_MAX - (*s - '0')) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	switch (*s) {
	case '\0': return v;
	case 's': break;
	case 'm': mult = 60; break;
	case 'h': mult = 3600; break;
	case 'd': mult = 86400; break;
	default: return -1;
	}
	if (s[1] != '\0' || v > INT64_MAX / mult)
		return -1;
	return v * mult;
}

static void check_line(struct config *c, const char *line)
{
	size_t n = strlen(line);
	char *env = malloc(n + 7), *kv = malloc(n + 1), *eq;
	char *envp[3];
	char err[160];
	int rc;

	if (env == NULL || kv == NULL)
		abort();
	if (config_duration(line) != ref_duration(line))
		abort();

	memcpy(env, "RAZEM_", 6);
	memcpy(env + 6, line, n + 1);
	envp[0] = env;
	envp[1] = (char *)(uintptr_t)"RAZEM_LOG_LEVEL=warn";
	envp[2] = NULL;
	rc = config_load_env(c, envp, err, sizeof(err));
	if (rc != 0 && rc != -1)
		abort();
	if (rc != 0)
		check_err(err, sizeof(err));
	check_config(c);

	memcpy(kv, line, n + 1);
	eq = strchr(kv, '=');
	if (eq != NULL) {
		*eq = '\0';
		rc = config_set(c, kv, eq + 1, err, sizeof(err));
		if (rc != 0 && rc != -1)
			abort();
		if (rc != 0)
			check_err(err, sizeof(err));
		if ((rc == 0) && !config_has(kv))
			abort();
		check_config(c);
	}
	free(env);
	free(kv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config c;
	char path[64], err[200];
	int fd, rc;
	size_t plen;
	char *text, *line, *save = NULL;

	config_defaults(&c);
	check_config(&c);

	fd = memfd_create("razem-fuzz.conf", 0);
	if (fd < 0)
		return 0;
	if (size > 0 && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	plen = strlen(path);
	rc = config_load_file(&c, path, 0, err, sizeof(err));
	close(fd);
	if (rc != 0 && rc != -1)
		abort();
	if (rc == -1) {
		check_err(err, sizeof(err));
		/* "path:line: reason" (or a truncated form of it) */
		if (strncmp(err, path, plen) != 0 || err[plen] != ':')
			abort();
	}
	check_config(&c);

	/* a missing file */
	rc = config_load_file(&c, "/nonexistent/razem-fuzz.conf", 1, err, sizeof(err));
	if (rc != 1)
		abort();

	/* each line through the other entry points */
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	if (size > 0)
		memcpy(text, data, size);
	text[size] = '\0';
	config_defaults(&c);
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save))
		check_line(&c, line);
	free(text);
	return 0;
}

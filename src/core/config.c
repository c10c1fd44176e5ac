/*
 * config.c — the settings table and the three sources that fill it.
 *
 * One table describes each setting once (key, type, range, default,
 * documentation); parsing, environment lookup, flags and the generated
 * reference all read it.
 */
#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"

enum opt_type { OPT_STR, OPT_INT, OPT_DURATION, OPT_BOOL, OPT_SECURE };

struct opt {
	const char *key;     /* name in the file; RAZEM_<KEY> in the environment */
	enum opt_type type;  /* how the value is parsed */
	size_t offset;       /* field in struct config */
	size_t size;         /* buffer size for OPT_STR */
	int64_t min, max;    /* range for OPT_INT and OPT_DURATION (seconds) */
	const char *dflt;    /* default, as it would be written in the file */
	const char *doc;     /* one line for docs/CONFIG.md */
};

#define STR(k, f, d, doc) { k, OPT_STR, offsetof(struct config, f), sizeof(((struct config *)0)->f), 0, 0, d, doc }
#define INT(k, f, lo, hi, d, doc) { k, OPT_INT, offsetof(struct config, f), 0, lo, hi, d, doc }
#define DUR(k, f, lo, hi, d, doc) { k, OPT_DURATION, offsetof(struct config, f), 0, lo, hi, d, doc }

static const struct opt opts[] = {
	STR("db", db, "",
	    "Database: a file path or `sqlite:PATH` (SQLite), or a `postgresql://` connection string. "
	    "No default: a command that uses the database needs it (`--db`, this setting or `RAZEM_DB`)."),
	STR("listen", listen, "127.0.0.1:8080", "Address and port the server listens on (`ADDR:PORT`, `[::1]:PORT`)."),
	INT("threads", threads, 0, 256, "0", "Worker threads, each with its own event loop; 0 = one per CPU."),
	STR("access_log", access_log, "-", "Access log file; `-` = standard error, `off` = none."),
	STR("log_level", log_level, "info", "Diagnostic log level: debug, info, warn, error."),
	STR("tls_cert", tls_cert, "", "PEM certificate chain; set with `tls_key` to serve HTTPS."),
	STR("tls_key", tls_key, "", "PEM private key for `tls_cert`."),
	DUR("session_idle", session_idle, 1, 86400 * 7, "30m", "A session ends after this much inactivity."),
	DUR("session_max", session_max, 1, 86400 * 30, "12h", "A session ends this long after sign-in, however active."),
	INT("login_max_failures", login_max_failures, 1, 1000, "5",
	    "Failed sign-ins on one account within `login_window` before the account is locked."),
	INT("login_max_failures_address", login_max_failures_address, 1, 100000, "50",
	    "Failed sign-ins from one address (any accounts) within `login_window` before the address "
	    "is locked; higher than per account because an office often shares one address."),
	DUR("login_window", login_window, 1, 86400, "15m", "Window in which failed sign-ins are counted."),
	DUR("login_lock", login_lock, 1, 86400, "15m", "How long a sign-in lock lasts."),
	INT("password_min_length", password_min_length, 8, 128, "12",
	    "Minimum length of a new password (the demo database is exempt)."),
	INT("max_form_body", max_form_body, 1024, 256 * 1024 * 1024, "65536",
	    "Largest body of a form or a JSON call, in bytes (each route may declare its own limit)."),
	INT("max_upload_body", max_upload_body, 1024, 1024LL * 1024 * 1024, "67108864",
	    "Largest body of a route that accepts uploads (imports), in bytes; bodies over 1 MiB are "
	    "kept in a temporary file while they arrive."),
	INT("max_fields", max_fields, 8, 100000, "1000", "Most fields accepted in one form or query string."),
	INT("export_max_rows", export_max_rows, 1, 10000000, "200000", "Most rows in one CSV or XLSX export; a longer list is refused, never cut short."),
	INT("export_inline_rows", export_inline_rows, 0, 10000000, "5000",
	    "Exports of more rows than this run as a background job (see /jobs); smaller ones download at once."),
	INT("job_workers", job_workers, 0, 32, "2",
	    "Threads of `razem serve` that run background jobs (exports), each with its own database connection; 0 = none."),
	STR("job_dir", job_dir, "",
	    "Directory for job results; empty = `DB.jobs` beside a SQLite database, `var/jobs` with PostgreSQL. Servers sharing one PostgreSQL need a shared directory."),
	DUR("job_keep", job_keep, 60, 86400 * 90, "1d", "How long a job's result file is kept before it is deleted."),
	DUR("job_stale", job_stale, 60, 86400, "10m",
	    "A running job whose server has not touched it for this long is marked failed (its server died)."),
	INT("small_count", small_count, 1, 100, "5",
	    "Aggregates shown outside the owning institution hide counts below this."),
	INT("retention_person_years", retention_person_years, 1, 100, "10",
	    "Years after a person's last activity (last change of the person, their household, reasons, "
	    "labour-market periods or benefits, and every period ended) after which the retention job "
	    "anonymises the record: identity and contact blanked, sex, birth year, gmina and the "
	    "statistics kept. The default follows the usual archive category of benefit case files "
	    "(JRWA B10: ten years after the case is closed) [K]: check the office's own "
	    "instrukcja kancelaryjna and JRWA before relying on it."),
	INT("retention_interview_years", retention_interview_years, 1, 100, "10",
	    "Years after a community interview (its date) after which the retention job blanks its free "
	    "text; the date and worker stay. Default as for case files (JRWA B10) [K]: check the "
	    "office's own instrukcja kancelaryjna."),
	{ "secure_cookies", OPT_SECURE, offsetof(struct config, secure_cookies), 0, 0, 0, "auto",
	  "Secure flag on cookies: auto (when serving TLS or behind a trusted HTTPS proxy), always, never." },
	{ "trust_proxy", OPT_BOOL, offsetof(struct config, trust_proxy), 0, 0, 1, "off",
	  "Behind one reverse proxy: take the client address from the last X-Forwarded-For entry (the one the proxy appends) and the scheme from X-Forwarded-Proto." },
	STR("timezone", timezone, "Europe/Warsaw", "Time zone in which times are shown."),
	STR("user", user, "", "When started as root, switch to this user after opening the port and the database."),
};

#define NOPTS (sizeof(opts) / sizeof(opts[0]))

/* same_key() compares keys treating '-' and '_' as equal. */
static int same_key(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		char x = *a == '-' ? '_' : *a, y = *b == '-' ? '_' : *b;

		if (x != y)
			return 0;
	}
	return *a == *b;
}

static const struct opt *find(const char *key)
{
	size_t i;

	for (i = 0; i < NOPTS; i++)
		if (same_key(opts[i].key, key))
			return &opts[i];
	return NULL;
}

int config_has(const char *key)
{
	return find(key) != NULL;
}

int64_t config_duration(const char *s)
{
	char *end;
	long long v;
	int64_t mult = 1;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || v < 0)
		return -1;
	switch (*end) {
	case '\0': case 's': break;
	case 'm': mult = 60; break;
	case 'h': mult = 3600; break;
	case 'd': mult = 86400; break;
	default: return -1;
	}
	if (*end != '\0' && end[1] != '\0')
		return -1;
	if (v > INT64_MAX / mult)
		return -1;
	return v * mult;
}

static int set_opt(struct config *c, const struct opt *o, const char *value, char *err, size_t errlen)
{
	char *field = (char *)c + o->offset;
	int64_t v;

	switch (o->type) {
	case OPT_STR:
		if (strlen(value) >= o->size) {
			snprintf(err, errlen, "%s: value too long (at most %zu characters)", o->key, o->size - 1);
			return -1;
		}
		memcpy(field, value, strlen(value) + 1);
		return 0;
	case OPT_INT:
		if (str_to_int64(value, o->min, o->max, &v) != 0) {
			snprintf(err, errlen, "%s: must be a whole number from %lld to %lld", o->key,
				 (long long)o->min, (long long)o->max);
			return -1;
		}
		*(int64_t *)(void *)field = v;
		return 0;
	case OPT_DURATION:
		v = config_duration(value);
		if (v < o->min || v > o->max) {
			char lo[24], hi[24];

			/* the bounds written as the docs and the file write durations */
			config_format_duration(o->min, lo, sizeof(lo));
			config_format_duration(o->max, hi, sizeof(hi));
			snprintf(err, errlen, "%s: must be a duration like 30s, 15m, 12h or 7d, from %s to %s",
				 o->key, lo, hi);
			return -1;
		}
		*(int64_t *)(void *)field = v;
		return 0;
	case OPT_BOOL:
		if (strcmp(value, "on") == 0 || strcmp(value, "true") == 0 || strcmp(value, "1") == 0 ||
		    strcmp(value, "yes") == 0)
			*(int *)(void *)field = 1;
		else if (strcmp(value, "off") == 0 || strcmp(value, "false") == 0 ||
			 strcmp(value, "0") == 0 || strcmp(value, "no") == 0)
			*(int *)(void *)field = 0;
		else {
			snprintf(err, errlen, "%s: must be on or off", o->key);
			return -1;
		}
		return 0;
	case OPT_SECURE:
		if (strcmp(value, "auto") == 0)
			c->secure_cookies = SECURE_AUTO;
		else if (strcmp(value, "always") == 0)
			c->secure_cookies = SECURE_ALWAYS;
		else if (strcmp(value, "never") == 0)
			c->secure_cookies = SECURE_NEVER;
		else {
			snprintf(err, errlen, "%s: must be auto, always or never", o->key);
			return -1;
		}
		return 0;
	}
	return -1;
}

int config_set(struct config *c, const char *key, const char *value, char *err, size_t errlen)
{
	const struct opt *o = find(key);

	if (o == NULL) {
		snprintf(err, errlen, "unknown setting '%s'", key);
		return -1;
	}
	if (o == find("log_level") && strcmp(value, "debug") != 0 && strcmp(value, "info") != 0 &&
	    strcmp(value, "warn") != 0 && strcmp(value, "error") != 0) {
		snprintf(err, errlen, "log_level: must be debug, info, warn or error");
		return -1;
	}
	return set_opt(c, o, value, err, errlen);
}

void config_defaults(struct config *c)
{
	char err[256];
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < NOPTS; i++)
		if (set_opt(c, &opts[i], opts[i].dflt, err, sizeof(err)) != 0)
			abort(); /* a broken default is a programming error */
}

int config_load_file(struct config *c, const char *path, int missing_ok, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "r");
	char line[2048], why[512];
	int lineno = 0, ret = -1;

	if (fp == NULL) {
		if (errno == ENOENT && missing_ok)
			return 1;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *eq, *key, *value;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			snprintf(err, errlen, "%s:%d: line too long", path, lineno);
			goto out;
		}
		str_trim(line);
		if (line[0] == '\0' || line[0] == '#')
			continue;
		eq = strchr(line, '=');
		if (eq == NULL) {
			snprintf(err, errlen, "%s:%d: expected 'key = value'", path, lineno);
			goto out;
		}
		*eq = '\0';
		key = str_trim(line);
		value = str_trim(eq + 1);
		if (config_set(c, key, value, why, sizeof(why)) != 0) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
			goto out;
		}
	}
	if (ferror(fp)) { /* e.g. a directory: fopen() succeeds, reading fails */
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	fclose(fp);
	return ret;
}

int config_load_env(struct config *c, char *const *envp, char *err, size_t errlen)
{
	size_t i;

	for (; envp != NULL && *envp != NULL; envp++) {
		const char *e = *envp, *eq = strchr(e, '=');
		char key[64];
		size_t n;

		if (strncmp(e, "RAZEM_", 6) != 0 || eq == NULL)
			continue;
		n = (size_t)(eq - (e + 6));
		if (n == 0 || n >= sizeof(key))
			continue;
		for (i = 0; i < n; i++)
			key[i] = (char)tolower((unsigned char)e[6 + i]);
		key[n] = '\0';
		if (strcmp(key, "config") == 0)
			continue; /* names the file itself, handled by the caller */
		if (find(key) == NULL)
			continue; /* other RAZEM_ variables belong to scripts */
		if (config_set(c, key, eq + 1, err, errlen) != 0)
			return -1;
	}
	return 0;
}

void config_write_doc(FILE *fp)
{
	size_t i;

	fputs("| key | environment | default | meaning |\n|---|---|---|---|\n", fp);
	for (i = 0; i < NOPTS; i++) {
		const char *k;

		fprintf(fp, "| `%s` | `RAZEM_", opts[i].key);
		for (k = opts[i].key; *k != '\0'; k++)
			fputc(toupper((unsigned char)*k), fp);
		fprintf(fp, "` | `%s` | %s |\n", opts[i].dflt[0] != '\0' ? opts[i].dflt : "(empty)",
			opts[i].doc);
	}
}

void config_job_dir(const struct config *c, char *out, size_t outlen)
{
	const char *db = c->db;

	if (c->job_dir[0] != '\0')
		snprintf(out, outlen, "%s", c->job_dir);
	else if (strncmp(db, "postgres", 8) == 0)
		snprintf(out, outlen, "var/jobs");
	else
		snprintf(out, outlen, "%s.jobs", strncmp(db, "sqlite:", 7) == 0 ? db + 7 : db);
}

void config_format_duration(int64_t seconds, char *out, size_t outlen)
{
	static const struct { char unit; int64_t s; } units[] = { { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 } };
	size_t i;

	/* the largest unit that divides exactly, so the text reads back to the same value */
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (seconds > 0 && seconds % units[i].s == 0) {
			snprintf(out, outlen, "%lld%c", (long long)(seconds / units[i].s), units[i].unit);
			return;
		}
	}
	snprintf(out, outlen, "%llds", (long long)seconds);
}

void config_write_values(FILE *fp, const struct config *c)
{
	size_t i;

	for (i = 0; i < NOPTS; i++) {
		const struct opt *o = &opts[i];
		const char *field = (const char *)c + o->offset;
		char dur[32];

		fprintf(fp, "%s = ", o->key);
		switch (o->type) {
		case OPT_STR:
			/* a key is a secret: say only whether it is there */
			fputs(o == find("tls_key") && field[0] != '\0' ? "(set)" : field, fp);
			break;
		case OPT_INT:
			fprintf(fp, "%lld", (long long)*(const int64_t *)(const void *)field);
			break;
		case OPT_DURATION:
			config_format_duration(*(const int64_t *)(const void *)field, dur, sizeof(dur));
			fputs(dur, fp);
			break;
		case OPT_BOOL:
			fputs(*(const int *)(const void *)field ? "on" : "off", fp);
			break;
		case OPT_SECURE:
			fputs(c->secure_cookies == SECURE_AUTO ? "auto"
			      : c->secure_cookies == SECURE_ALWAYS ? "always" : "never", fp);
			break;
		}
		fputc('\n', fp);
	}
}

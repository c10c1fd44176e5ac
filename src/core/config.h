/*
 * config.h — razem's settings and where they come from.
 *
 * Every setting has a key (e.g. "listen"), a type with a range, and a
 * default. Values are read from a configuration file ("key = value" lines,
 * '#' comments), then from environment variables RAZEM_<KEY> (upper case),
 * then from command-line flags --<key> VALUE (underscores as dashes); a
 * later source overrides an earlier one. Durations take a unit: 30s, 15m,
 * 12h, 7d. docs/CONFIG.md lists every key; it is generated from this table
 * by `razem config --doc` so the two cannot drift.
 */
#ifndef RAZEM_CORE_CONFIG_H
#define RAZEM_CORE_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum secure_cookies { SECURE_AUTO, SECURE_ALWAYS, SECURE_NEVER };

struct config {
	char db[1024];               /* database: file path, sqlite:PATH or postgresql://... */
	char listen[256];            /* ADDR:PORT to listen on */
	int64_t threads;             /* worker threads (event loops); 0 = one per CPU */
	char access_log[1024];       /* access log path, "-" for stderr, "off" for none */
	char log_level[16];          /* debug, info, warn, error */
	char tls_cert[1024];         /* PEM certificate chain; empty = plain HTTP */
	char tls_key[1024];          /* PEM private key */
	int64_t session_idle;        /* seconds of inactivity before a session ends */
	int64_t session_max;         /* seconds after sign-in when a session ends regardless */
	int64_t login_max_failures;  /* failed sign-ins before an account is locked */
	int64_t login_max_failures_address; /* failed sign-ins before an address is locked */
	int64_t login_window;        /* seconds over which failures are counted */
	int64_t login_lock;          /* seconds a lock lasts */
	int64_t password_min_length; /* minimum length of a new password (not for demo data) */
	int64_t max_form_body;       /* bytes accepted in a form or JSON body (route default) */
	int64_t max_upload_body;     /* bytes accepted by routes that take uploads */
	int64_t max_fields;          /* fields accepted in a form or query string */
	int64_t export_max_rows;     /* rows one CSV/XLSX export may hold */
	int64_t export_inline_rows;  /* larger exports run as jobs */
	int64_t job_workers;         /* job runner threads of the server */
	char job_dir[1024];          /* job result files; "" = beside the SQLite database / var/jobs */
	int64_t job_keep;            /* seconds a job result is kept */
	int64_t job_stale;           /* seconds without heartbeat before a running job counts as dead */
	int64_t small_count;         /* aggregates outside the owner suppress counts below this */
	int64_t retention_person_years;    /* years after a person's last activity before anonymisation */
	int64_t retention_interview_years; /* years after an interview before its text is blanked */
	enum secure_cookies secure_cookies; /* Secure flag on cookies */
	int trust_proxy;             /* take the client address from X-Forwarded-For */
	char timezone[64];           /* time zone for displayed times */
	char user[64];               /* drop privileges to this user after binding (root only) */
};

/*
 * config_job_dir() writes the effective job_dir: the setting, else DB.jobs
 * beside a SQLite database, else var/jobs.
 */
void config_job_dir(const struct config *c, char *out, size_t outlen);

/* config_defaults() fills c with the built-in defaults. */
void config_defaults(struct config *c);

/*
 * config_set() assigns key = value after checking type and range. Returns
 * 0, or -1 with a one-line reason in err ("unknown setting", "must be a
 * duration like 30m", ...).
 */
int config_set(struct config *c, const char *key, const char *value, char *err, size_t errlen);

/* config_has() is true when key names a setting ('-' and '_' are the same). */
int config_has(const char *key);

/*
 * config_load_file() reads "key = value" lines from path. Returns 0, 1 when
 * the file does not exist (and missing_ok), or -1 with "path:line: reason"
 * in err.
 */
int config_load_file(struct config *c, const char *path, int missing_ok, char *err, size_t errlen);

/*
 * config_load_env() applies RAZEM_<KEY> variables from envp (NULL-ended).
 * Returns 0 or -1 with the reason in err.
 */
int config_load_env(struct config *c, char *const *envp, char *err, size_t errlen);

/* config_write_doc() prints the settings reference (Markdown) to fp. */
void config_write_doc(FILE *fp);

/* config_duration() parses "90", "30s", "15m", "12h", "7d" into seconds; -1 if malformed. */
int64_t config_duration(const char *s);

/*
 * config_format_duration() writes seconds in the form the file accepts,
 * in the largest unit that divides them exactly: 1800 -> "30m", 43200 ->
 * "12h", 1 -> "1s", 86400 -> "1d".
 */
void config_format_duration(int64_t seconds, char *out, size_t outlen);

/* config_write_values() prints "key = value" for every setting of c, as the file would say it. */
void config_write_values(FILE *fp, const struct config *c);

#endif

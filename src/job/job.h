/*
 * job.h — work that does not belong on the event loop: large exports now;
 * imports, record linkage, PDFs and long aggregates later.
 *
 * A job is a row in table job (queued → running → done | failed |
 * cancelled). A request creates it and answers at once; a small pool of
 * runner threads, each with its own database connection, claims queued
 * jobs (atomically in SQL, so several servers on one PostgreSQL never run
 * a job twice) and runs them. Progress is written to the row (at most
 * every JOB_PROGRESS_MS), so any server can show it; the result is a file
 * under job_dir, deleted after job_keep.
 *
 * A job kind is data: a struct job_kind with a code and a run function.
 * The run function reads the job's parameters, reports progress through
 * job_progress(), stops when that says the job was cancelled, and writes
 * its result to job_result_path(). A module adds a kind by defining one
 * struct job_kind and listing it in the table given to the runner
 * (web/jobs.c: job_kinds[]).
 */
#ifndef RAZEM_JOB_JOB_H
#define RAZEM_JOB_JOB_H

#include <stdint.h>

#include "audit/audit.h"
#include "core/arena.h"
#include "db/db.h"
#include "db/list.h"

#define JOB_PROGRESS_MS 250     /* progress is written at most this often */
#define JOB_HEARTBEAT_S 30      /* a running job touches its row at least this often */

enum job_state { JOB_QUEUED, JOB_RUNNING, JOB_DONE, JOB_FAILED, JOB_CANCELLED };

/* A job as stored (strings in arena memory). */
struct job {
	int64_t id;
	const char *kind;           /* job_kind code */
	int64_t user_id;            /* who asked for it; 0 = the command line */
	const char *login;          /* their login, or "(cli:USER)": the actor of its audit rows */
	int64_t institution_id;     /* their institution */
	enum job_state state;
	int64_t done, total;        /* progress; total 0 = not known yet */
	const char *params;         /* JSON text */
	int cancel_requested;       /* cancel asked while running */
	const char *result_file;    /* file under job_dir, or NULL */
	const char *result_name;    /* download name, or NULL */
	const char *result_type;    /* Content-Type, or NULL */
	int64_t result_size;        /* bytes */
	const char *error;          /* why it failed, or NULL */
	const char *server;         /* who claimed it, or NULL */
	const char *created_at, *started_at, *finished_at; /* UTC; NULL when not yet */
};

struct job_ctx;

/* A kind of job, declared as data. */
struct job_kind {
	const char *code;   /* stored in job.kind, e.g. "export" */
	const char *label;  /* what it is (msgid), e.g. N_("List export") */
	/*
	 * run() does the work. Returns 0 when done (the result file, if any,
	 * written), 1 when it stopped because the job was cancelled, -1 on
	 * failure (job_fail() may say why; otherwise a generic message).
	 */
	int (*run)(struct job_ctx *ctx);
};

/* job_state_code() is "queued", "running", ...; job_state_label() its translation. */
const char *job_state_code(enum job_state s);
const char *job_state_label(const char *code);

/*
 * job_kinds_set() names the kinds this program knows (NULL-ended, static),
 * for labels; job_runner_start() sets it too. job_kind_label() is a kind's
 * translated label (the code when unknown).
 */
void job_kinds_set(const struct job_kind *const *kinds);
const char *job_kind_label(const char *code);

/* job_kind_find() looks a code up in a NULL-ended table; NULL when unknown. */
const struct job_kind *job_kind_find(const struct job_kind *const *kinds, const char *code);

/*
 * job_create() queues a job of kind for who (user_id and institution_id
 * are taken from who) with params (JSON text) and writes job.create in the
 * same transaction. Returns 0 with *id set, or a negative DB_* code.
 */
int job_create(struct db *db, const struct audit_actor *who, const char *kind, const char *params,
	       int64_t *id);

/* job_get() reads job id. Returns 0, 1 when there is none, -1 on error. */
int job_get(struct db *db, struct arena *a, int64_t id, struct job *out);

/*
 * job_cancel() cancels job id: a queued job ends at once, a running one is
 * asked to stop (its run function sees it at its next job_progress()).
 * Writes job.cancel. Returns 0, 1 when the job had already ended, or a
 * negative DB_* code.
 */
int job_cancel(struct db *db, const struct audit_actor *who, int64_t id);

/*
 * job_claim() takes the oldest queued job (or job only, when > 0) for
 * server: one UPDATE that
 * matches only a row still queued, so of two servers claiming at once
 * exactly one gets it. Returns 0 with out filled, 1 when nothing is
 * queued (or another server won), -1 on error.
 */
int job_claim(struct db *db, struct arena *a, const char *server, int64_t only, struct job *out);

/*
 * job_set_progress() stores done/total of a running job and refreshes its
 * heartbeat. Returns 0, 1 when cancellation was requested, -1 on error.
 */
int job_set_progress(struct db *db, int64_t id, int64_t done, int64_t total);

/*
 * job_finish() ends a running job in state (JOB_DONE, JOB_FAILED or
 * JOB_CANCELLED) with the result file (done only) or the error, and
 * writes job.done / job.failed / job.cancelled as the job's owner.
 */
struct job_result {
	const char *file, *name, *type; /* under job_dir, download name, Content-Type */
	int64_t size;
};
int job_finish(struct db *db, const struct job *j, enum job_state state,
	       const struct job_result *res, const char *error);

/*
 * job_recover() marks failed the jobs this server left running in a
 * previous life, and any job whose heartbeat is older than stale seconds
 * (its server died). Returns how many, or -1.
 */
int64_t job_recover(struct db *db, const char *server, int64_t now, int64_t stale);

/*
 * job_expire() deletes result files (under dir) of jobs finished more
 * than keep seconds before now and forgets them. Returns how many, or -1.
 */
int64_t job_expire(struct db *db, const char *dir, int64_t now, int64_t keep);

/* job_forget_result() drops the result file name (the CLI moved the file elsewhere). */
int job_forget_result(struct db *db, int64_t id);

/* The jobs as a list (columns below; the access policy scopes it to the user's own). */
extern const struct list_def job_list;
enum job_col { JOB_COL_CREATED, JOB_COL_KIND, JOB_COL_STATE, JOB_COL_DONE, JOB_COL_TOTAL,
	JOB_COL_FINISHED, JOB_COL__MAX };

/* ------------------------------------------------------------------ */
/* The runner                                                          */
/* ------------------------------------------------------------------ */

struct job_runner_opts {
	const char *db_url;                 /* each runner thread opens its own connection */
	const char *dir;                    /* job_dir: result files */
	const char *server;                 /* this server's name (claims, recovery) */
	int workers;                        /* threads; 0 = no runner */
	int64_t keep;                       /* seconds results are kept */
	int64_t stale;                      /* seconds without heartbeat before a job counts as dead */
	const struct job_kind *const *kinds;/* NULL-ended */
	const void *app;                    /* handed to run functions (job_app()) */
};

/*
 * job_runner_start() recovers jobs left running and starts the threads
 * (job_dir is created when the first job runs). Returns 0 or -1 with err set.
 */
int job_runner_start(const struct job_runner_opts *o, char *err, size_t errlen);

/*
 * job_runner_stop() asks running jobs to stop (they end as failed with
 * "interrupted by a server shutdown") and joins the threads.
 */
void job_runner_stop(void);

/* job_runner_wake() tells idle runner threads that a job was queued (no-op without runner). */
void job_runner_wake(void);

/* job_prepare_dir() creates dir and its parents (mode 0700). Returns 0 or -1 with err set. */
int job_prepare_dir(const char *dir, char *err, size_t errlen);

/* job_server_name() writes "HOSTNAME:LISTEN", the default server name. */
void job_server_name(const char *listen, char *out, size_t outlen);

/*
 * job_run_claimed() runs job j (already claimed, state running) in the
 * calling thread: the CLI runs a job this way. on_progress (may be NULL)
 * is told each progress report. Returns the final state.
 */
enum job_state job_run_claimed(struct db *db, const struct job_runner_opts *o, struct job *j,
			       void (*on_progress)(int64_t done, int64_t total, void *arg),
			       void *arg);

/* ------------------------------------------------------------------ */
/* For run functions                                                   */
/* ------------------------------------------------------------------ */

const struct job *job_of(const struct job_ctx *ctx);     /* the job, params included */
struct db *job_db(struct job_ctx *ctx);                  /* the runner's connection */
struct arena *job_arena(struct job_ctx *ctx);            /* freed when the job ends */
const void *job_app(const struct job_ctx *ctx);          /* opts->app */

/*
 * job_progress() reports done of total (total 0 = unknown). The row is
 * written at most every JOB_PROGRESS_MS, and always when done == total.
 * Returns 0 to go on, 1 when the job was cancelled (or the server is
 * stopping): the run function must stop and return 1.
 */
int job_progress(struct job_ctx *ctx, int64_t done, int64_t total);

/* job_cancelled() is job_progress()'s verdict without a report. */
int job_cancelled(struct job_ctx *ctx);

/*
 * job_result_path() is where the run function writes its result file;
 * name and type are what the download will be called and its
 * Content-Type. The runner records the file's size when run() returns 0,
 * and deletes it otherwise. NULL when out of memory.
 */
const char *job_result_path(struct job_ctx *ctx, const char *name, const char *type);

/* job_fail() sets the message a failed job shows (copied). */
void job_fail(struct job_ctx *ctx, const char *message);

#endif

/*
 * job.c — the job table, its state changes and the runner threads (see
 * job.h).
 *
 * States move only forward: queued → running → done | failed | cancelled,
 * or queued → cancelled. Every change is one UPDATE whose WHERE names the
 * state it leaves, so a change that lost a race changes nothing.
 */
#include "job/job.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/i18n.h"
#include "core/log.h"

#define JOB_ARENA_MAX (256u * 1024u * 1024u)
#define IDLE_WAIT_MS 1000      /* a runner with nothing to do looks again after this */
#define HOUSEKEEPING_S 60      /* expiry and stale-job checks */

static const char *const state_codes[] = { "queued", "running", "done", "failed", "cancelled", NULL };
static const char *const state_labels[] = { N_("Queued"), N_("Running"), N_("Done"), N_("Failed"),
	N_("Cancelled") };

/* Messages stored in job.error are msgids, translated when shown. */
#define MSG_INTERRUPTED N_("Interrupted: the server was stopped while the job ran. Start it again.")
#define MSG_STALE N_("Interrupted: the server running the job stopped answering. Start it again.")
#define MSG_FAILED N_("The job failed. Try again; if it fails again, tell the administrator.")
#define MSG_UNKNOWN_KIND N_("This server does not know this kind of job.")

/* Statements */
#define JOB_COLS "j.id, j.kind, j.user_id, j.actor, j.institution_id, j.state, j.done, j.total, " \
	"j.params, j.cancel_requested, j.result_file, j.result_name, j.result_type, j.result_size, " \
	"j.error, j.server, j.created_at, j.started_at, j.finished_at"

static const struct db_sql SQL_JOB_INSERT =
	DB_SQL("INSERT INTO job (kind, user_id, institution_id, actor, params, created_at) "
	       "VALUES (?, NULLIF(?, 0), NULLIF(?, 0), ?, ?, ?) RETURNING id");
static const struct db_sql SQL_JOB_GET = DB_SQL("SELECT " JOB_COLS " FROM job j WHERE j.id = ?");
static const struct db_sql SQL_JOB_CANCEL_QUEUED =
	DB_SQL("UPDATE job SET state = 'cancelled', finished_at = ? "
	       "WHERE id = ? AND state = 'queued' RETURNING 1");
static const struct db_sql SQL_JOB_CANCEL_RUNNING =
	DB_SQL("UPDATE job SET cancel_requested = 1 WHERE id = ? AND "
	       "state = 'running' RETURNING 1");
static const struct db_sql SQL_JOB_CLAIM_ID =
	DB_SQL("UPDATE job SET state = 'running', server = ?, started_at = ?, "
	       "heartbeat_at = ? WHERE state = 'queued' AND id = ? RETURNING id");
static const struct db_sql SQL_JOB_CLAIM_NEXT =
	DB_SQL("UPDATE job SET state = 'running', server = ?, started_at = ?, "
	       "heartbeat_at = ? WHERE state = 'queued' AND id = (SELECT MIN(id) FROM job "
	       "WHERE state = 'queued') RETURNING id");
static const struct db_sql SQL_JOB_PROGRESS =
	DB_SQL("UPDATE job SET done = ?, total = ?, heartbeat_at = ? "
	       "WHERE id = ? AND state = 'running' RETURNING cancel_requested");
static const struct db_sql SQL_JOB_FINISH =
	DB_SQL("UPDATE job SET state = ?, finished_at = ?, heartbeat_at = ?, error = ?, "
	       "result_file = ?, result_name = ?, result_type = ?, result_size = ?, "
	       "done = CASE WHEN ? = 'done' AND total > 0 THEN total ELSE done END "
	       "WHERE id = ? AND state = 'running' RETURNING 1");
static const struct db_sql SQL_JOB_NEXT_INTERRUPTED =
	DB_SQL("SELECT id, user_id, institution_id, CASE WHEN server = ? THEN 1 ELSE 0 END "
	       "FROM job WHERE "
	       "state = 'running' AND (server = ? OR heartbeat_at < ?) ORDER BY id LIMIT 1");
static const struct db_sql SQL_JOB_FAIL =
	DB_SQL("UPDATE job SET state = 'failed', finished_at = ?, error = ? WHERE id = ?");
static const struct db_sql SQL_JOB_FORGET_RESULT = DB_SQL("UPDATE job SET result_file = NULL WHERE id = ?");
static const struct db_sql SQL_JOB_NEXT_EXPIRED =
	DB_SQL("SELECT id, result_file FROM job WHERE result_file IS NOT "
	       "NULL AND finished_at < ? ORDER BY id LIMIT 1");

const char *job_state_code(enum job_state s)
{
	return s <= JOB_CANCELLED ? state_codes[s] : "failed";
}

const char *job_state_label(const char *code)
{
	int i;

	for (i = 0; code != NULL && state_codes[i] != NULL; i++)
		if (strcmp(code, state_codes[i]) == 0)
			return _(state_labels[i]);
	return code != NULL ? code : "";
}

static enum job_state state_of(const char *code)
{
	int i;

	for (i = 0; code != NULL && state_codes[i] != NULL; i++)
		if (strcmp(code, state_codes[i]) == 0)
			return (enum job_state)i;
	return JOB_FAILED;
}

const struct job_kind *job_kind_find(const struct job_kind *const *kinds, const char *code)
{
	for (; kinds != NULL && *kinds != NULL; kinds++)
		if (code != NULL && strcmp((*kinds)->code, code) == 0)
			return *kinds;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The table                                                           */
/* ------------------------------------------------------------------ */

static const char *dup_col(struct arena *a, struct db_stmt *st, int col)
{
	return db_col_is_null(st, col) ? NULL : arena_strdup(a, db_col_text(st, col));
}

static int read_job(struct arena *a, struct db_stmt *st, struct job *out)
{
	memset(out, 0, sizeof(*out));
	out->id = db_col_int(st, 0);
	out->kind = dup_col(a, st, 1);
	out->user_id = db_col_int(st, 2);
	out->login = dup_col(a, st, 3);
	out->institution_id = db_col_int(st, 4);
	out->state = state_of(db_col_text(st, 5));
	out->done = db_col_int(st, 6);
	out->total = db_col_int(st, 7);
	out->params = dup_col(a, st, 8);
	out->cancel_requested = db_col_int(st, 9) != 0;
	out->result_file = dup_col(a, st, 10);
	out->result_name = dup_col(a, st, 11);
	out->result_type = dup_col(a, st, 12);
	out->result_size = db_col_int(st, 13);
	out->error = dup_col(a, st, 14);
	out->server = dup_col(a, st, 15);
	out->created_at = dup_col(a, st, 16);
	out->started_at = dup_col(a, st, 17);
	out->finished_at = dup_col(a, st, 18);
	return out->kind == NULL || out->params == NULL ? -1 : 0;
}

int job_create(struct db *db, const struct audit_actor *who, const char *kind, const char *params,
	       int64_t *id)
{
	char now[CLOCK_ISO_LEN];
	struct db_stmt *st;
	int rc;

	clock_iso(clock_now(), now);
	if (db_begin(db) != 0)
		return DB_ERROR;
	st = db_query(db, &SQL_JOB_INSERT,
		      "tiitt" "t", kind, who->user_id, who->institution_id,
		      who->login != NULL ? who->login : "?",
		      params != NULL ? params : "{}", now);
	rc = st != NULL ? db_step(st) : DB_ERROR;
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		rc = 0;
	} else if (rc >= 0) {
		rc = DB_ERROR;
	}
	db_reset(st);
	return audit_commit(db, who, rc, "job.create", "job", rc == 0 ? *id : 0, kind);
}

int job_get(struct db *db, struct arena *a, int64_t id, struct job *out)
{
	struct db_stmt *st = db_query(db, &SQL_JOB_GET, "i", id);
	int rc = st != NULL ? db_step(st) : DB_ERROR;

	if (rc == DB_ROW)
		rc = read_job(a, st, out);
	else
		rc = rc == DB_DONE ? 1 : -1;
	db_reset(st);
	return rc;
}

int job_cancel(struct db *db, const struct audit_actor *who, int64_t id)
{
	char now[CLOCK_ISO_LEN];
	int64_t n = 0;
	int rc;

	clock_iso(clock_now(), now);
	if (db_begin(db) != 0)
		return DB_ERROR;
	rc = db_get_int(db, &n, &SQL_JOB_CANCEL_QUEUED, "ti", now, id);
	if (rc == DB_DONE)
		rc = db_get_int(db, &n, &SQL_JOB_CANCEL_RUNNING, "i", id);
	if (rc == DB_DONE) {
		db_rollback(db);
		return 1;
	}
	return audit_commit(db, who, rc == DB_ROW ? 0 : rc, "job.cancel", "job", id, NULL);
}

int job_claim(struct db *db, struct arena *a, const char *server, int64_t only, struct job *out)
{
	char now[CLOCK_ISO_LEN];
	int64_t id = 0;
	int rc;

	clock_iso(clock_now(), now);
	/*
	 * The inner SELECT may pick the same row in two servers; the outer
	 * WHERE state = 'queued' is re-checked on the locked row (PostgreSQL)
	 * or under the write lock (SQLite), so only one UPDATE matches.
	 */
	if (only > 0)
		rc = db_get_int(db, &id, &SQL_JOB_CLAIM_ID, "ttti", server, now, now, only);
	else
		rc = db_get_int(db, &id, &SQL_JOB_CLAIM_NEXT, "ttt", server, now, now);
	if (rc == DB_DONE)
		return 1;
	if (rc != DB_ROW)
		return rc == DB_BUSY ? 1 : -1;
	return job_get(db, a, id, out) == 0 ? 0 : -1;
}

int job_set_progress(struct db *db, int64_t id, int64_t done, int64_t total)
{
	char now[CLOCK_ISO_LEN];
	int64_t cancel = 0;
	int rc;

	clock_iso(clock_now(), now);
	rc = db_get_int(db, &cancel, &SQL_JOB_PROGRESS, "iiti", done, total, now, id);
	if (rc == DB_DONE)
		return 1; /* no longer running: someone ended it */
	if (rc != DB_ROW)
		return -1;
	return cancel != 0;
}

int job_finish(struct db *db, const struct job *j, enum job_state state,
	       const struct job_result *res, const char *error)
{
	static const char *const actions[] = { NULL, NULL, "job.done", "job.failed", "job.cancelled" };
	struct audit_actor who = { j->user_id, j->login, j->institution_id, "job" };
	char now[CLOCK_ISO_LEN];
	int64_t n = 0;
	int rc;

	if (state < JOB_DONE || state > JOB_CANCELLED)
		return DB_ERROR;
	clock_iso(clock_now(), now);
	if (db_begin(db) != 0)
		return DB_ERROR;
	rc = db_get_int(db, &n, &SQL_JOB_FINISH,
			"ttttttti" "ti", job_state_code(state), now, now, error,
			res != NULL ? res->file : NULL, res != NULL ? res->name : NULL,
			res != NULL ? res->type : NULL, res != NULL ? res->size : 0,
			job_state_code(state), j->id);
	rc = rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : rc;
	return audit_commit(db, &who, rc, actions[state], "job", j->id,
			    state == JOB_DONE ? j->kind : error);
}

int64_t job_recover(struct db *db, const char *server, int64_t now, int64_t stale)
{
	char at[CLOCK_ISO_LEN], before[CLOCK_ISO_LEN];
	int64_t n = 0;
	int rc = DB_OK;

	clock_iso(now, at);
	clock_iso(now - stale, before);
	if (db_begin(db) != 0)
		return -1;
	/* one job at a time, so each gets its audit row in the same transaction */
	for (;;) {
		struct audit_actor who = { 0, NULL, 0, "job" };
		struct db_stmt *st;
		int64_t id, mine;

		st = db_query(db, &SQL_JOB_NEXT_INTERRUPTED, "ttt", server, server, before);
		rc = st != NULL ? db_step(st) : DB_ERROR;
		if (rc != DB_ROW) {
			db_reset(st);
			break;
		}
		id = db_col_int(st, 0);
		who.user_id = db_col_int(st, 1);
		who.institution_id = db_col_int(st, 2);
		mine = db_col_int(st, 3);
		db_reset(st);
		rc = db_run(db, &SQL_JOB_FAIL, "tti", at, mine ? MSG_INTERRUPTED : MSG_STALE, id);
		if (rc == DB_OK)
			rc = audit_write_id(db, &who, "job.failed", "job", id,
					    mine ? MSG_INTERRUPTED : MSG_STALE);
		if (rc != DB_OK)
			break;
		n++;
	}
	if (rc != DB_DONE) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db) == 0 ? n : -1;
}

int job_forget_result(struct db *db, int64_t id)
{
	return db_run(db, &SQL_JOB_FORGET_RESULT, "i", id);
}

int64_t job_expire(struct db *db, const char *dir, int64_t now, int64_t keep)
{
	char before[CLOCK_ISO_LEN], path[1200];
	int64_t n = 0;

	clock_iso(now - keep, before);
	/* the file first, then the row: a file is never left behind unnamed */
	for (;;) {
		struct db_stmt *st = db_query(db, &SQL_JOB_NEXT_EXPIRED, "t", before);
		int rc = st != NULL ? db_step(st) : DB_ERROR;
		int64_t id;

		if (rc != DB_ROW) {
			db_reset(st);
			return rc == DB_DONE ? n : -1;
		}
		id = db_col_int(st, 0);
		/* names are ours ("job-ID.ext"); never follow one with a slash */
		if (strchr(db_col_text(st, 1), '/') == NULL) {
			snprintf(path, sizeof(path), "%s/%s", dir, db_col_text(st, 1));
			if (unlink(path) != 0 && errno != ENOENT)
				log_warn("job: cannot delete %s: %s", path, strerror(errno));
		}
		db_reset(st);
		if (job_forget_result(db, id) != DB_OK)
			return -1;
		n++;
	}
}

static const struct job_kind *const *known_kinds; /* set once at start-up */

void job_kinds_set(const struct job_kind *const *kinds)
{
	known_kinds = kinds;
}

const char *job_kind_label(const char *code)
{
	const struct job_kind *k = job_kind_find(known_kinds, code);

	return k != NULL ? _(k->label) : (code != NULL ? code : "");
}

static const struct list_col job_cols[JOB_COL__MAX] = {
	[JOB_COL_CREATED] = { "created_at", N_("Requested"), "j.created_at", LIST_TIMESTAMP,
			      LIST_SORT | LIST_RANGE },
	[JOB_COL_KIND] = { "kind", N_("Kind"), "j.kind", LIST_CODE, LIST_FILTER, NULL, NULL,
			   job_kind_label },
	[JOB_COL_STATE] = { "state", N_("State"), "j.state", LIST_CODE, LIST_SORT | LIST_FILTER, NULL,
			    NULL, job_state_label, state_codes },
	[JOB_COL_DONE] = { "done", N_("Processed"), "j.done", LIST_INT, 0 },
	[JOB_COL_TOTAL] = { "total", N_("Total"), "j.total", LIST_INT, 0 },
	[JOB_COL_FINISHED] = { "finished_at", N_("Finished"), "j.finished_at", LIST_TIMESTAMP,
			       LIST_SORT },
};

const struct list_def job_list = {
	.name = "jobs",
	.entity = "job",
	.from = "job j",
	.id_expr = "j.id",
	.cols = job_cols,
	.ncols = JOB_COL__MAX,
	.default_sort = JOB_COL_CREATED,
	.default_desc = 1,
};

/* ------------------------------------------------------------------ */
/* Running a job                                                       */
/* ------------------------------------------------------------------ */

struct job_ctx {
	struct db *db;           /* the run function's connection */
	struct db *ctl;          /* progress and the end: its own connection, so a write is
				    seen at once even while db is inside a long read */
	struct arena *arena;
	struct job *job;
	const struct job_runner_opts *o;
	int64_t last_ms;         /* when progress was last written */
	int cancelled;           /* seen cancelled (or stopping) */
	const char *path, *file, *name, *type; /* result */
	const char *error;       /* job_fail() */
	void (*on_progress)(int64_t done, int64_t total, void *arg);
	void *arg;
};

/* The runner: one per process. */
static struct {
	pthread_t threads[32];
	int nthreads;
	atomic_int stopping;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct job_runner_opts o;
	char db_url[1024], dir[1024], server[320];
} runner = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

const struct job *job_of(const struct job_ctx *ctx) { return ctx->job; }
struct db *job_db(struct job_ctx *ctx) { return ctx->db; }
struct arena *job_arena(struct job_ctx *ctx) { return ctx->arena; }
const void *job_app(const struct job_ctx *ctx) { return ctx->o->app; }

int job_progress(struct job_ctx *ctx, int64_t done, int64_t total)
{
	int64_t t = clock_ms();

	if (atomic_load(&runner.stopping))
		ctx->cancelled = 1;
	if (ctx->cancelled)
		return 1;
	ctx->job->done = done;
	ctx->job->total = total;
	if (t - ctx->last_ms < JOB_PROGRESS_MS && done != total)
		return 0;
	ctx->last_ms = t;
	if (job_set_progress(ctx->ctl, ctx->job->id, done, total) == 1)
		ctx->cancelled = 1;
	if (ctx->on_progress != NULL)
		ctx->on_progress(done, total, ctx->arg);
	return ctx->cancelled;
}

int job_cancelled(struct job_ctx *ctx)
{
	return job_progress(ctx, ctx->job->done, ctx->job->total);
}

const char *job_result_path(struct job_ctx *ctx, const char *name, const char *type)
{
	const char *dot = strrchr(name, '.');

	ctx->name = arena_strdup(ctx->arena, name);
	ctx->type = arena_strdup(ctx->arena, type);
	ctx->file = arena_printf(ctx->arena, "job-%lld%s", (long long)ctx->job->id,
				 dot != NULL && strlen(dot) <= 8 ? dot : "");
	ctx->path = ctx->file != NULL ? arena_printf(ctx->arena, "%s/%s", ctx->o->dir, ctx->file) : NULL;
	return ctx->name != NULL && ctx->type != NULL ? ctx->path : NULL;
}

void job_fail(struct job_ctx *ctx, const char *message)
{
	ctx->error = arena_strdup(ctx->arena, message);
}

enum job_state job_run_claimed(struct db *db, const struct job_runner_opts *o, struct job *j,
			       void (*on_progress)(int64_t done, int64_t total, void *arg),
			       void *arg)
{
	const struct job_kind *k = job_kind_find(o->kinds, j->kind);
	struct job_ctx ctx;
	struct job_result res;
	enum job_state state;
	struct stat sb;
	char err[512];
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	ctx.db = db;
	ctx.job = j;
	ctx.o = o;
	ctx.on_progress = on_progress;
	ctx.arg = arg;
	ctx.last_ms = clock_ms();
	ctx.arena = arena_new(JOB_ARENA_MAX);
	if (db_open(o->db_url, &ctx.ctl, err, sizeof(err)) != 0) {
		log_error("job %lld: %s", (long long)j->id, err);
		ctx.ctl = NULL;
	}
	/* job_dir is made when first needed, so a server that never runs a job leaves no trace */
	if (k != NULL && job_prepare_dir(o->dir, err, sizeof(err)) != 0) {
		log_error("job %lld: %s", (long long)j->id, err);
		arena_free(ctx.arena);
		ctx.arena = NULL;
	}
	if (k == NULL || ctx.arena == NULL || ctx.ctl == NULL) {
		job_finish(db, j, JOB_FAILED, NULL, k == NULL ? MSG_UNKNOWN_KIND : MSG_FAILED);
		arena_free(ctx.arena);
		db_close(ctx.ctl);
		return JOB_FAILED;
	}
	rc = k->run(&ctx);
	memset(&res, 0, sizeof(res));
	if (rc == 0 && ctx.path != NULL) {
		if (stat(ctx.path, &sb) != 0) {
			log_error("job %lld: result %s missing: %s", (long long)j->id, ctx.path, strerror(errno));
			rc = -1;
		} else {
			res.file = ctx.file;
			res.name = ctx.name;
			res.type = ctx.type;
			res.size = (int64_t)sb.st_size;
		}
	}
	if (rc == 0)
		state = JOB_DONE;
	else if (rc > 0 && !atomic_load(&runner.stopping))
		state = JOB_CANCELLED;
	else
		state = JOB_FAILED;
	if (state != JOB_DONE && ctx.path != NULL)
		unlink(ctx.path);
	if (job_finish(ctx.ctl, j, state, state == JOB_DONE ? &res : NULL,
		       state == JOB_FAILED ? (rc > 0 ? MSG_INTERRUPTED
						     : ctx.error != NULL ? ctx.error : MSG_FAILED)
					   : NULL) != 0) {
		log_error("job %lld: cannot record its end: %s", (long long)j->id, db_errmsg(ctx.ctl));
		if (state == JOB_DONE && ctx.path != NULL)
			unlink(ctx.path);
		state = JOB_FAILED;
	}
	j->state = state;
	arena_free(ctx.arena);
	db_close(ctx.ctl);
	return state;
}

/* ------------------------------------------------------------------ */
/* The runner threads                                                  */
/* ------------------------------------------------------------------ */

static void idle_wait(void)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += IDLE_WAIT_MS / 1000;
	pthread_mutex_lock(&runner.mu);
	if (!atomic_load(&runner.stopping))
		pthread_cond_timedwait(&runner.cv, &runner.mu, &until);
	pthread_mutex_unlock(&runner.mu);
}

void job_runner_wake(void)
{
	pthread_mutex_lock(&runner.mu);
	pthread_cond_broadcast(&runner.cv);
	pthread_mutex_unlock(&runner.mu);
}

static void housekeeping(struct db *db)
{
	int64_t now = clock_now(), n;

	n = job_expire(db, runner.o.dir, now, runner.o.keep);
	if (n > 0)
		log_info("jobs: %lld expired results deleted", (long long)n);
	n = job_recover(db, "", now, runner.o.stale);
	if (n > 0)
		log_warn("jobs: %lld jobs without a heartbeat marked failed", (long long)n);
}

static void *runner_main(void *arg)
{
	int index = (int)(intptr_t)arg;
	int64_t last_housekeeping = 0;
	struct db *db = NULL;
	char err[512];

	i18n_set_lang(LANG_PL);
	if (db_open(runner.o.db_url, &db, err, sizeof(err)) != 0) {
		log_error("job runner %d: %s", index, err);
		return NULL;
	}
	while (!atomic_load(&runner.stopping)) {
		struct arena *a = arena_new(1u << 20);
		struct job j;
		int rc;

		if (index == 0 && clock_now() - last_housekeeping >= HOUSEKEEPING_S) {
			last_housekeeping = clock_now();
			housekeeping(db);
		}
		rc = a != NULL ? job_claim(db, a, runner.o.server, 0, &j) : -1;
		if (rc == 0) {
			log_info("job %lld (%s) started for %s", (long long)j.id, j.kind,
				 j.login != NULL ? j.login : "?");
			rc = (int)job_run_claimed(db, &runner.o, &j, NULL, NULL);
			log_info("job %lld: %s", (long long)j.id, job_state_code((enum job_state)rc));
			i18n_set_lang(LANG_PL);
		} else {
			if (rc < 0)
				log_error("job runner %d: cannot claim a job: %s", index, db_errmsg(db));
			idle_wait();
		}
		arena_free(a);
	}
	db_close(db);
	return NULL;
}

static int make_dirs(const char *dir)
{
	char path[1024];
	size_t i, n = strlen(dir);

	if (n == 0 || n >= sizeof(path))
		return -1;
	memcpy(path, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST)
			return -1;
		path[i] = i < n ? '/' : '\0';
	}
	return 0;
}

int job_prepare_dir(const char *dir, char *err, size_t errlen)
{
	if (make_dirs(dir) != 0) {
		snprintf(err, errlen, "cannot create job_dir %s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

int job_runner_start(const struct job_runner_opts *o, char *err, size_t errlen)
{
	sigset_t sigs, old;
	struct db *db;
	int64_t n;
	int i;

	runner.o = *o;
	snprintf(runner.db_url, sizeof(runner.db_url), "%s", o->db_url);
	snprintf(runner.dir, sizeof(runner.dir), "%s", o->dir);
	snprintf(runner.server, sizeof(runner.server), "%s", o->server);
	runner.o.db_url = runner.db_url;
	runner.o.dir = runner.dir;
	runner.o.server = runner.server;
	atomic_store(&runner.stopping, 0);
	job_kinds_set(o->kinds);
	if (db_open(runner.db_url, &db, err, errlen) != 0)
		return -1;
	n = job_recover(db, runner.server, clock_now(), o->stale);
	db_close(db);
	if (n < 0) {
		snprintf(err, errlen, "cannot recover interrupted jobs");
		return -1;
	}
	if (n > 0)
		log_warn("jobs: %lld jobs interrupted by the last stop marked failed", (long long)n);
	/* SIGINT and SIGTERM are the server's to wait for: the threads inherit them blocked */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, &old);
	for (i = 0; i < o->workers && i < (int)(sizeof(runner.threads) / sizeof(runner.threads[0])); i++) {
		if (pthread_create(&runner.threads[i], NULL, runner_main, (void *)(intptr_t)i) != 0) {
			pthread_sigmask(SIG_SETMASK, &old, NULL);
			snprintf(err, errlen, "cannot start job runner thread");
			job_runner_stop();
			return -1;
		}
		runner.nthreads++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return 0;
}

void job_runner_stop(void)
{
	int i;

	atomic_store(&runner.stopping, 1);
	job_runner_wake();
	for (i = 0; i < runner.nthreads; i++)
		pthread_join(runner.threads[i], NULL);
	runner.nthreads = 0;
}

void job_server_name(const char *listen, char *out, size_t outlen)
{
	char host[256];

	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	snprintf(out, outlen, "%s:%s", host, listen);
}

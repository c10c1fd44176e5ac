/*
 * audit.c — writing and listing the audit log.
 */
#include "audit/audit.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/str.h"

/* Statements */
static const struct db_sql SQL_AUDIT_INSERT =
	DB_SQL("INSERT INTO audit_log (at, user_id, login, institution_id, action, entity, "
	       "entity_id, ip, detail, detail_fold) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
static const struct db_sql SQL_AUDIT_LAST_SIGNIN =
	DB_SQL("SELECT at, ip, id FROM audit_log WHERE user_id = ? AND "
	       "action = 'session.login' ORDER BY id DESC LIMIT 1");
static const struct db_sql SQL_AUDIT_FAILURES_AFTER =
	DB_SQL("SELECT COUNT(*) FROM audit_log WHERE user_id = ? AND "
	       "action = 'session.login_failed' AND id > ?");

struct action_name {
	const char *code;  /* stored action */
	const char *label; /* msgid */
};

static const struct action_name actions[] = {
	{ "account.password_check_failed", N_("Wrong current password when changing it") },
	{ "account.password_check_throttled", N_("Password change refused: too many failures") },
	{ "agreement.create", N_("Created a partnership agreement") },
	{ "agreement.export", N_("Exported partnership agreements") },
	{ "agreement.terminate", N_("Terminated a partnership agreement") },
	{ "agreement.update", N_("Changed a partnership agreement") },
	{ "audit.export", N_("Exported the audit log") },
	{ "audit.list", N_("Browsed the audit log") },
	{ "institution.create", N_("Created an institution") },
	{ "institution.deactivate", N_("Deactivated an institution") },
	{ "institution.export", N_("Exported institutions") },
	{ "institution.reactivate", N_("Reactivated an institution") },
	{ "institution.update", N_("Changed an institution") },
	{ "job.cancel", N_("Asked to cancel a background job") },
	{ "job.cancelled", N_("A background job was cancelled") },
	{ "job.create", N_("Started a background job") },
	{ "job.done", N_("A background job finished") },
	{ "job.download", N_("Downloaded a background job's result") },
	{ "job.failed", N_("A background job failed") },
	{ "link.decide", N_("Decided whether two records are one person") },
	{ "link.run", N_("Linked the records of the register") },
	{ "link.unlink", N_("Unlinked two records") },
	{ "family.create", N_("Created a household") },
	{ "family.export", N_("Exported households") },
	{ "family.list", N_("Browsed households") },
	{ "family.member_add", N_("Added a member to a household") },
	{ "family.member_end", N_("Ended a household membership") },
	{ "family.member_move", N_("Moved a person to another household") },
	{ "family.read", N_("Viewed a household") },
	{ "family.read_denied", N_("Refused to show a household") },
	{ "family.update", N_("Changed a household") },
	{ "person.create", N_("Created a person's record") },
	{ "person.merge", N_("Merged two records of one person") },
	{ "person.unmerge", N_("Undid a merge of two records") },
	{ "person.delete", N_("Deleted a person's record") },
	{ "person.export", N_("Exported persons") },
	{ "person.import", N_("Imported a register of persons") },
	{ "person.list", N_("Searched or browsed persons") },
	{ "person.read", N_("Viewed a person's record") },
	{ "person.read_denied", N_("Refused to show a person's record") },
	{ "person.update", N_("Changed a person's record") },
	{ "person_import.rejects", N_("Downloaded the refused rows of an import") },
	{ "reason.create", N_("Added reasons for assistance of a household") },
	{ "referral.accept", N_("Accepted a referral") },
	{ "referral.create", N_("Sent a referral") },
	{ "referral.link", N_("Linked a referral to what followed") },
	{ "referral.list", N_("Browsed referrals") },
	{ "referral.read", N_("Viewed a referral") },
	{ "referral.refuse", N_("Refused a referral") },
	{ "reason.update", N_("Changed a reason for assistance") },
	{ "reason.end", N_("Ended a reason for assistance") },
	{ "status.create", N_("Added a labour-market status period") },
	{ "status.update", N_("Changed a labour-market status period") },
	{ "benefit.create", N_("Added a benefit decision") },
	{ "benefit.update", N_("Changed a benefit decision") },
	{ "interview.create", N_("Recorded a community interview") },
	{ "interview.update", N_("Changed a community interview") },
	{ "consent.create", N_("Recorded a consent to sharing a person's data") },
	{ "consent.withdraw", N_("Recorded the withdrawal of a consent") },
	{ "person.take_over", N_("Took a partner's person over as an own record") },
	{ "session.login", N_("Signed in") },
	{ "session.login_failed", N_("Failed sign-in") },
	{ "session.login_throttled", N_("Sign-in refused: too many failures") },
	{ "session.logout", N_("Signed out") },
	{ "territory.import", N_("Imported the TERYT register") },
	{ "throttle.unlock_address", N_("Unlocked sign-in from an address") },
	{ "user.create", N_("Created a user account") },
	{ "user.disable", N_("Deactivated a user account") },
	{ "user.enable", N_("Reactivated a user account") },
	{ "user.export", N_("Exported user accounts") },
	{ "user.list", N_("Browsed user accounts") },
	{ "user.password_change", N_("Changed own password") },
	{ "user.password_reset", N_("Reset a user's password") },
	{ "user.read", N_("Viewed a user account") },
	{ "user.settings", N_("Changed own settings") },
	{ "user.unlock", N_("Unlocked a user's sign-in") },
	{ "user.update", N_("Changed a user account") },
};

#define NACTIONS (sizeof(actions) / sizeof(actions[0]))

const char *const audit_actions[] = {
	"account.password_check_failed", "account.password_check_throttled", "agreement.create",
	"agreement.export", "agreement.terminate", "agreement.update", "audit.export",
	"audit.list", "institution.create", "institution.deactivate", "institution.export",
	"institution.reactivate", "institution.update", "job.cancel", "job.cancelled", "job.create",
	"job.done", "job.download", "job.failed", "link.decide", "link.run", "link.unlink", "family.create", "family.export", "family.list",
	"family.member_add", "family.member_end", "family.member_move", "family.read",
	"family.read_denied", "family.update", "person.create", "person.delete", "person.merge", "person.unmerge", "person.export",
	"person.import", "person.list", "person.read", "person.read_denied", "person.update",
	"person_import.rejects", "reason.create", "referral.accept", "referral.create", "referral.link",
	"referral.list", "referral.read", "referral.refuse",
	"reason.update", "reason.end", "status.create", "status.update", "benefit.create",
	"benefit.update", "interview.create", "interview.update", "consent.create",
	"consent.withdraw", "person.take_over", "session.login",
	"session.login_failed", "session.login_throttled", "session.logout",
	"territory.import", "throttle.unlock_address", "user.create",
	"user.disable", "user.enable", "user.export", "user.list", "user.password_change",
	"user.password_reset", "user.read", "user.settings", "user.unlock", "user.update", NULL,
};

int audit_write(struct db *db, const struct audit_actor *who, const char *action, const char *entity,
		const char *entity_id, const char *detail)
{
	char now[CLOCK_ISO_LEN];
	struct db_stmt *st;
	struct arena *a = NULL;
	int rc;

	clock_iso(clock_now(), now);
	if (detail != NULL && (a = arena_new(4u * strlen(detail) + 4096u)) == NULL)
		return DB_ERROR;
	st = db_prepare(db, &SQL_AUDIT_INSERT);
	if (st == NULL) {
		arena_free(a);
		return DB_ERROR;
	}
	db_bind_text(st, 1, now);
	if (who->user_id > 0)
		db_bind_int(st, 2, who->user_id);
	else
		db_bind_null(st, 2);
	db_bind_text(st, 3, who->login);
	if (who->institution_id > 0)
		db_bind_int(st, 4, who->institution_id);
	else
		db_bind_null(st, 4);
	db_bind_text(st, 5, action);
	db_bind_text(st, 6, entity);
	db_bind_text(st, 7, entity_id);
	db_bind_text(st, 8, who->ip);
	db_bind_text(st, 9, detail);
	db_bind_text(st, 10, a != NULL ? str_fold(a, detail) : NULL);
	rc = db_step(st);
	db_reset(st);
	arena_free(a);
	return rc == DB_DONE ? DB_OK : rc;
}

/* The column list of SQL_AUDIT_INSERT, for the statements of several rows. */
#define AUDIT_INSERT_HEAD                                                                        \
	"INSERT INTO audit_log (at, user_id, login, institution_id, action, entity, entity_id, ip, " \
	"detail, detail_fold) VALUES "
#define AUDIT_ROW_PARAMS "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

/* insert_text() is the INSERT of n rows, in a's memory (NULL when out of memory). */
static const char *insert_text(struct arena *a, int n)
{
	size_t head = strlen(AUDIT_INSERT_HEAD), row = strlen(AUDIT_ROW_PARAMS);
	char *t = arena_alloc(a, head + (size_t)n * (row + 2) + 1), *p;
	int i;

	if (t == NULL)
		return NULL;
	memcpy(t, AUDIT_INSERT_HEAD, head);
	p = t + head;
	for (i = 0; i < n; i++) {
		if (i > 0) {
			*p++ = ',';
			*p++ = ' ';
		}
		memcpy(p, AUDIT_ROW_PARAMS, row);
		p += row;
	}
	*p = '\0';
	return t;
}

/* write_chunk() inserts rows[0..n) in one statement of n rows: DB_OK or an error. */
static int write_chunk(struct db *db, struct arena *a, const char *now, const struct audit_row *rows,
		       int n)
{
	const char *text = insert_text(a, n);
	struct db_stmt *st;
	int i, k, rc;

	if (text == NULL || (st = db_prepare_dynamic(db, text)) == NULL)
		return DB_ERROR;
	for (i = 0; i < n; i++) {
		const struct audit_row *r = &rows[i];
		const char *fold = r->detail != NULL ? str_fold(a, r->detail) : NULL;

		k = i * 10;
		if (r->detail != NULL && fold == NULL) {
			db_reset(st);
			return DB_ERROR;
		}
		db_bind_text(st, k + 1, now);
		if (r->who->user_id > 0)
			db_bind_int(st, k + 2, r->who->user_id);
		else
			db_bind_null(st, k + 2);
		db_bind_text(st, k + 3, r->who->login);
		if (r->who->institution_id > 0)
			db_bind_int(st, k + 4, r->who->institution_id);
		else
			db_bind_null(st, k + 4);
		db_bind_text(st, k + 5, r->action);
		db_bind_text(st, k + 6, r->entity);
		db_bind_text(st, k + 7, r->entity_id);
		db_bind_text(st, k + 8, r->who->ip);
		db_bind_text(st, k + 9, r->detail);
		db_bind_text(st, k + 10, fold);
	}
	rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? DB_OK : rc;
}

int audit_write_rows(struct db *db, const struct audit_row *rows, int n)
{
	/* few statement texts, few statements; 12 rows of 10 is within db_pg's 128 parameters */
	static const int sizes[] = { 12, 3, 1 };
	char now[CLOCK_ISO_LEN];
	size_t need = 16384;
	struct arena *a;
	int i, done = 0, rc = DB_OK;

	if (n <= 0)
		return DB_OK;
	for (i = 0; i < n; i++)
		need += rows[i].detail != NULL ? 4u * strlen(rows[i].detail) + 64u : 0u;
	if ((a = arena_new(need + 32u * 1024u)) == NULL)
		return DB_ERROR;
	clock_iso(clock_now(), now);
	for (i = 0; i < 3 && rc == DB_OK; i++)
		while (n - done >= sizes[i] && rc == DB_OK) {
			rc = write_chunk(db, a, now, rows + done, sizes[i]);
			done += sizes[i];
		}
	arena_free(a);
	return rc;
}

int audit_write_id(struct db *db, const struct audit_actor *who, const char *action,
		   const char *entity, int64_t entity_id, const char *detail)
{
	char id[24];

	snprintf(id, sizeof(id), "%lld", (long long)entity_id);
	return audit_write(db, who, action, entity, id, detail);
}

int audit_reads_add(struct audit_reads *log, const char *action, const char *entity,
		    const char *entity_id, const char *detail)
{
	if (log->n >= AUDIT_READS_MAX)
		return -1;
	log->r[log->n].action = action;
	log->r[log->n].entity = entity;
	log->r[log->n].entity_id = entity_id;
	log->r[log->n].detail = detail;
	log->n++;
	return 0;
}

int audit_reads_flush(struct db *db, const struct audit_actor *who, struct audit_reads *log)
{
	int i, rc = 0;

	if (log->n == 0)
		return 0;
	if (db_begin(db) != 0)
		return -1;
	for (i = 0; i < log->n && rc == 0; i++)
		if (audit_write(db, who, log->r[i].action, log->r[i].entity, log->r[i].entity_id,
				log->r[i].detail) != DB_OK)
			rc = -1;
	if (rc != 0) {
		log_error("reads not recorded: %s", db_errmsg(db));
		db_rollback(db);
		return -1;
	}
	if (db_commit(db) != 0)
		return -1;
	log->n = 0;
	return 0;
}

void audit_ids_add(struct audit_ids *x, const char *id)
{
	size_t n = id != NULL ? strlen(id) : 0;

	x->n++;
	if (n == 0 || x->dropped > 0 || x->len + n + (x->len > 0) > AUDIT_IDS_MAX_CHARS) {
		x->dropped++; /* once one is left out, the rest are too: the named ones stay a prefix */
		return;
	}
	if (x->len > 0)
		x->text[x->len++] = ',';
	memcpy(x->text + x->len, id, n);
	x->len += n;
	x->text[x->len] = '\0';
}

const char *audit_ids_detail(struct arena *a, const struct audit_ids *x, int64_t total,
			     const char *query)
{
	char more[32] = "";

	if (x->dropped > 0)
		snprintf(more, sizeof(more), "%s+%lld", x->len > 0 ? "," : "", (long long)x->dropped);
	return arena_printf(a, "shown=%lld total=%lld ids=%.*s%s%s%s", (long long)x->n,
			    (long long)total, (int)x->len, x->text, more,
			    query != NULL && query[0] != '\0' ? " query=" : "",
			    query != NULL ? query : "");
}

int audit_last_signin(struct db *db, struct arena *a, int64_t user_id, struct audit_signin *out,
		      int64_t *failures_since)
{
	struct db_stmt *st = db_query(db, &SQL_AUDIT_LAST_SIGNIN, "i", user_id);
	int64_t after = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->at = arena_strdup(a, db_col_text(st, 0));
		out->ip = arena_strdup(a, db_col_text(st, 1));
		after = db_col_int(st, 2);
	}
	db_reset(st);
	if (rc < 0)
		return -1;
	*failures_since = 0;
	if (db_get_int(db, failures_since, &SQL_AUDIT_FAILURES_AFTER, "ii", user_id, after) < 0)
		return -1;
	return out->at != NULL ? 0 : 1;
}

int audit_commit(struct db *db, const struct audit_actor *who, int rc, const char *action,
		 const char *entity, int64_t entity_id, const char *detail)
{
	if (rc == 0 && audit_write_id(db, who, action, entity, entity_id, detail) != DB_OK)
		rc = -1;
	if (rc == 0) {
		if (db_commit(db) == 0)
			return 0;
		/* a failed COMMIT has already rolled the transaction back */
		log_error("%s not saved: %s", action, db_errmsg(db));
		return -1;
	}
	if (rc < 0)
		log_error("%s not saved: %s", action, db_errmsg(db));
	db_rollback(db);
	return rc;
}

const char *audit_action_label(const char *action)
{
	size_t i;

	for (i = 0; action != NULL && i < NACTIONS; i++)
		if (strcmp(actions[i].code, action) == 0)
			return _(actions[i].label);
	return action != NULL ? action : "";
}

/*
 * detail_label() shows the fixed phrases the code writes as a detail
 * ("wrong password") in the reader's language; any other detail (names,
 * ids, what was searched for) is shown as written.
 */
static const char *detail_label(const char *detail)
{
	static const char *const phrases[] = {
		N_("wrong password"), N_("unknown login"), N_("inactive account"),
		N_("inactive institution"), N_("account locked"), N_("address locked"),
		N_("malformed login"),
	};
	size_t i;

	for (i = 0; detail != NULL && i < sizeof(phrases) / sizeof(phrases[0]); i++)
		if (strcmp(detail, phrases[i]) == 0)
			return _(phrases[i]);
	return detail != NULL ? detail : "";
}

/* ip_label() names the two "addresses" that are not network ones: the command line and a job. */
static const char *ip_label(const char *ip)
{
	if (ip != NULL && strcmp(ip, "local") == 0)
		return _("command line");
	if (ip != NULL && strcmp(ip, "job") == 0)
		return _("background job");
	return ip != NULL ? ip : "";
}

static const char *entity_label(const char *entity)
{
	if (entity == NULL)
		return "";
	if (strcmp(entity, "user") == 0)
		return _("User account");
	if (strcmp(entity, "institution") == 0)
		return _("Institution");
	if (strcmp(entity, "session") == 0)
		return _("Session");
	if (strcmp(entity, "audit") == 0)
		return _("Audit log");
	if (strcmp(entity, "job") == 0)
		return _("Background job");
	return entity;
}

static const char *const entities[] = { "audit", "institution", "job", "session", "user", NULL };

static const struct list_col audit_cols[AUDIT_COL__MAX] = {
	[AUDIT_COL_AT] = { "at", N_("When"), "a.at", LIST_TIMESTAMP, LIST_SORT | LIST_RANGE },
	[AUDIT_COL_LOGIN] = { "login", N_("Login"), "a.login", LIST_TEXT,
			      LIST_SORT | LIST_FILTER | LIST_SEARCH, .sens = SENS_IDENTITY },
	[AUDIT_COL_ACTION] = { "action", N_("Action"), "a.action", LIST_CODE,
			       LIST_SORT | LIST_FILTER | LIST_PREFIX, NULL, NULL, audit_action_label,
			       audit_actions },
	[AUDIT_COL_ENTITY] = { "entity", N_("Record type"), "a.entity", LIST_CODE,
			       LIST_SORT | LIST_FILTER, NULL, NULL, entity_label, entities },
	[AUDIT_COL_ENTITY_ID] = { "entity_id", N_("Record"), "a.entity_id", LIST_TEXT, LIST_FILTER },
	/* an address is an online identifier (recital 30 GDPR) */
	[AUDIT_COL_IP] = { "ip", N_("IP address"), "a.ip", LIST_TEXT, LIST_SORT | LIST_FILTER,
			   .label_of = ip_label, .sens = SENS_IDENTITY },
	/* details name people (logins, names, what was searched for) */
	[AUDIT_COL_DETAIL] = { "detail", N_("Detail"), "a.detail", LIST_TEXT, LIST_SEARCH | LIST_LONG,
			       "a.detail_fold", .label_of = detail_label, .sens = SENS_IDENTITY },
};

const struct list_def audit_list = {
	.name = "audit",
	.entity = "audit",
	.from = "audit_log a",
	.id_expr = "a.id",
	.cols = audit_cols,
	.ncols = AUDIT_COL__MAX,
	.default_sort = AUDIT_COL_AT,
	.default_desc = 1,
};

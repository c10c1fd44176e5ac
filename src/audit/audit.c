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

struct action_name {
	const char *code;  /* stored action */
	const char *label; /* msgid */
};

static const struct action_name actions[] = {
	{ "account.password_check_failed", N_("Wrong current password when changing it") },
	{ "account.password_check_throttled", N_("Password change refused: too many failures") },
	{ "audit.export", N_("Exported the audit log") },
	{ "audit.list", N_("Browsed the audit log") },
	{ "institution.create", N_("Created an institution") },
	{ "institution.deactivate", N_("Deactivated an institution") },
	{ "institution.export", N_("Exported institutions") },
	{ "institution.reactivate", N_("Reactivated an institution") },
	{ "institution.update", N_("Changed an institution") },
	{ "session.login", N_("Signed in") },
	{ "session.login_failed", N_("Failed sign-in") },
	{ "session.login_throttled", N_("Sign-in refused: too many failures") },
	{ "session.logout", N_("Signed out") },
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
	"account.password_check_failed", "account.password_check_throttled", "audit.export", "audit.list", "institution.create", "institution.deactivate",
	"institution.export", "institution.reactivate", "institution.update", "session.login",
	"session.login_failed", "session.login_throttled", "session.logout", "user.create",
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
	st = db_prepare(db, "INSERT INTO audit_log (at, user_id, login, institution_id, action, entity, "
			    "entity_id, ip, detail, detail_fold) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
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

int audit_write_id(struct db *db, const struct audit_actor *who, const char *action,
		   const char *entity, int64_t entity_id, const char *detail)
{
	char id[24];

	snprintf(id, sizeof(id), "%lld", (long long)entity_id);
	return audit_write(db, who, action, entity, id, detail);
}

int audit_last_signin(struct db *db, struct arena *a, int64_t user_id, struct audit_signin *out,
		      int64_t *failures_since)
{
	struct db_stmt *st = db_query(db,
				      "SELECT at, ip, id FROM audit_log WHERE user_id = ? AND "
				      "action = 'session.login' ORDER BY id DESC LIMIT 1",
				      "i", user_id);
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
	if (db_get_int(db, failures_since,
		       "SELECT COUNT(*) FROM audit_log WHERE user_id = ? AND "
		       "action = 'session.login_failed' AND id > ?",
		       "ii", user_id, after) < 0)
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
	return entity;
}

static const char *const entities[] = { "audit", "institution", "session", "user", NULL };

static const struct list_col audit_cols[AUDIT_COL__MAX] = {
	[AUDIT_COL_AT] = { "at", N_("When"), "a.at", LIST_TIMESTAMP, LIST_SORT | LIST_RANGE },
	[AUDIT_COL_LOGIN] = { "login", N_("Login"), "a.login", LIST_TEXT,
			      LIST_SORT | LIST_FILTER | LIST_SEARCH },
	[AUDIT_COL_ACTION] = { "action", N_("Action"), "a.action", LIST_CODE,
			       LIST_SORT | LIST_FILTER | LIST_PREFIX, NULL, NULL, audit_action_label,
			       audit_actions },
	[AUDIT_COL_ENTITY] = { "entity", N_("Record type"), "a.entity", LIST_CODE,
			       LIST_SORT | LIST_FILTER, NULL, NULL, entity_label, entities },
	[AUDIT_COL_ENTITY_ID] = { "entity_id", N_("Record"), "a.entity_id", LIST_TEXT, LIST_FILTER },
	[AUDIT_COL_IP] = { "ip", N_("IP address"), "a.ip", LIST_TEXT, LIST_SORT | LIST_FILTER },
	[AUDIT_COL_DETAIL] = { "detail", N_("Detail"), "a.detail", LIST_TEXT, LIST_SEARCH,
			       "a.detail_fold" },
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

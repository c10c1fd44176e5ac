/*
 * user.c — the app_user and user_role tables.
 */
#include "auth/user.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/role.h"
#include "auth/throttle.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "core/str.h"

/* Statements */
#define USER_SELECT                                                                               \
	"SELECT u.id, u.login, u.full_name, u.email, u.institution_id, i.name, i.kind, u.active, "  \
	"u.must_change_password, u.lang, u.created_at, u.last_login_at, u.password_changed_at, "   \
	"u.password_hash, i.active FROM app_user u JOIN institution i ON i.id = u.institution_id "

static const struct db_sql SQL_USER_LOCKED_COUNT =
	DB_SQL("SELECT COUNT(*) FROM auth_throttle t JOIN app_user u ON t.key = '" THROTTLE_LOGIN
	       "' || u.login WHERE t.locked_until > ?");
static const struct db_sql SQL_USER_COLLEAGUES =
	DB_SQL("SELECT id, full_name FROM app_user WHERE institution_id = ? AND active = 1 "
	       "ORDER BY name_fold, id");
static const struct db_sql SQL_USER_LOGIN_BY_ID = DB_SQL("SELECT login FROM app_user WHERE id = ?");
static const struct db_sql SQL_USER_ROLES_DELETE = DB_SQL("DELETE FROM user_role WHERE user_id = ?");
static const struct db_sql SQL_USER_ROLE_INSERT =
	DB_SQL("INSERT INTO user_role (user_id, role) VALUES (?, ?)");
static const struct db_sql SQL_USER_INSTITUTION_EXISTS =
	DB_SQL("SELECT COUNT(*) FROM institution WHERE id = ?");
static const struct db_sql SQL_USER_INSERT =
	DB_SQL("INSERT INTO app_user (login, full_name, name_fold, email, institution_id, "
	       "password_hash, must_change_password, active, lang, created_at, updated_at, "
	       "password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_USER_UPDATE =
	DB_SQL("UPDATE app_user SET full_name = ?, name_fold = ?, email = ?, institution_id = ?, "
	       "updated_at = ? WHERE id = ? RETURNING id");
static const struct db_sql SQL_USER_ROLES = DB_SQL("SELECT role FROM user_role WHERE user_id = ?");
static const struct db_sql SQL_USER_BY_ID = DB_SQL(USER_SELECT "WHERE u.id = ?");
static const struct db_sql SQL_USER_BY_LOGIN = DB_SQL(USER_SELECT "WHERE u.login = ?");
static const struct db_sql SQL_USER_SET_ACTIVE =
	DB_SQL("UPDATE app_user SET active = ?, updated_at = ? WHERE id = ? RETURNING id");
static const struct db_sql SQL_USER_SESSIONS_DELETE = DB_SQL("DELETE FROM session WHERE user_id = ?");
static const struct db_sql SQL_USER_SET_PASSWORD =
	DB_SQL("UPDATE app_user SET password_hash = ?, must_change_password = ?, "
	       "password_changed_at = ?, updated_at = ? WHERE id = ?");
static const struct db_sql SQL_USER_THROTTLE_CLEAR =
	DB_SQL("DELETE FROM auth_throttle WHERE key = (SELECT '" THROTTLE_LOGIN "' || login "
	       "FROM app_user WHERE id = ?)");
static const struct db_sql SQL_USER_OTHER_SESSIONS_DELETE =
	DB_SQL("DELETE FROM session WHERE user_id = ? AND token_hash <> ?");
static const struct db_sql SQL_USER_SET_LANG =
	DB_SQL("UPDATE app_user SET lang = ?, updated_at = ? WHERE id = ?");
static const struct db_sql SQL_USER_TOUCH_LOGIN =
	DB_SQL("UPDATE app_user SET last_login_at = ? WHERE id = ?");
static const struct db_sql SQL_USER_COUNT = DB_SQL("SELECT COUNT(*) FROM app_user");
static const struct db_sql SQL_USER_COUNT_ACTIVE =
	DB_SQL("SELECT COUNT(*) FROM app_user WHERE active = 1");

static char *trimmed(struct arena *a, const char *s)
{
	char *t = s != NULL ? arena_strdup(a, s) : NULL;

	if (t == NULL)
		return NULL;
	str_trim(t);
	return t[0] != '\0' ? t : NULL;
}

#define LOGIN_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"

/*
 * login_bad_char() says which character of login is not allowed: adds the
 * error naming it and its position (in characters, from 1).
 */
static void login_bad_char(const char *login, size_t at, struct verrs *v)
{
	size_t i, pos = 1, len = 1;
	unsigned char c = (unsigned char)login[at];

	for (i = 0; i < at; i++)
		pos += ((unsigned char)login[i] & 0xC0) != 0x80;
	if (c >= 0xC0) /* a whole UTF-8 character: Ż, ł, ... */
		while (((unsigned char)login[at + len] & 0xC0) == 0x80)
			len++;
	if (c == ' ')
		verrs_add(v, "login", "invalid",
			  _("A login may contain only Latin letters without Polish diacritics, digits, "
			    "dot, underscore and hyphen; a space (character %zu) is not allowed."),
			  pos);
	else
		verrs_add(v, "login", "invalid",
			  _("A login may contain only Latin letters without Polish diacritics, digits, "
			    "dot, underscore and hyphen; \"%.*s\" (character %zu) is not allowed."),
			  (int)len, login + at, pos);
}

int user_validate(struct user *u, struct arena *a, struct verrs *v)
{
	int before = v->n;
	char *login = trimmed(a, u->login);
	size_t i, ok;

	if (login == NULL) {
		verrs_add(v, "login", "required", "%s", _("Enter a login."));
	} else if ((ok = strspn(login, LOGIN_CHARS)) != strlen(login)) {
		login_bad_char(login, ok, v); /* kept as typed, so it can be corrected */
	} else if (strlen(login) < 2 || strlen(login) > 64) {
		verrs_add(v, "login", "invalid", "%s", _("A login has 2 to 64 characters."));
	} else {
		for (i = 0; login[i] != '\0'; i++)
			login[i] = (char)tolower((unsigned char)login[i]);
	}
	u->login = login;
	u->full_name = trimmed(a, u->full_name);
	if (u->full_name == NULL)
		verrs_add(v, "full_name", "required", "%s", _("Enter the person's first name and surname."));
	else if (utf8_length(u->full_name) > 200)
		verrs_add(v, "full_name", "too_long", _("At most %d characters."), 200);
	u->email = trimmed(a, u->email);
	if (u->email != NULL && !str_is_email(u->email))
		verrs_add(v, "email", "invalid", "%s", _("Enter an e-mail address like name@example.pl."));
	if (u->institution_id <= 0)
		verrs_add(v, "institution_id", "required", "%s", _("Choose the user's institution."));
	if ((u->roles & ROLES_ALL) == 0)
		verrs_add(v, "roles", "required", "%s", _("Choose at least one role."));
	else if ((u->roles & ROLE_BIT(ROLE_SOCIAL_WORKER)) && (u->roles & ROLE_BIT(ROLE_LABOUR_ADVISER)))
		verrs_add(v, "roles", "conflict",
			  _("One account cannot hold both the roles \"%s\" and \"%s\": a labour-office "
			    "adviser must never see health, addiction or violence data. Create two "
			    "accounts if one person does both jobs."),
			  role_label(ROLE_SOCIAL_WORKER), role_label(ROLE_LABOUR_ADVISER));
	return v->n - before;
}

const char *user_login_normalise(struct arena *a, const char *login)
{
	size_t start = 0, n = login != NULL ? strlen(login) : 0, i;
	char *out;

	while (n > 0 && login[n - 1] == ' ')
		n--;
	while (start < n && login[start] == ' ')
		start++;
	n -= start;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)login[start + i];

		if (c < 0x20 || c == 0x7f)
			return arena_strdup(a, "");
	}
	if (n > 64 || !utf8_valid(login + start, n))
		return arena_strdup(a, "");
	out = arena_strndup(a, login != NULL ? login + start : "", n);
	if (out == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		out[i] = (char)(out[i] >= 'A' && out[i] <= 'Z' ? out[i] - 'A' + 'a' : out[i]);
	return out;
}

int user_lock_state(struct db *db, const char *login, int64_t now, int64_t *failures, int64_t *until)
{
	char key[80];

	snprintf(key, sizeof(key), THROTTLE_LOGIN "%s", login != NULL ? login : "");
	return throttle_state(db, key, now, failures, until);
}

int64_t user_locked_count(struct db *db, int64_t now)
{
	char now_iso[CLOCK_ISO_LEN];
	int64_t n = -1;

	clock_iso(now, now_iso);
	if (db_get_int(db, &n, &SQL_USER_LOCKED_COUNT, "t", now_iso) != DB_ROW)
		return -1;
	return n;
}

int user_unlock(struct db *db, const struct audit_actor *who, int64_t user_id)
{
	struct db_stmt *st;
	char login[80] = "";
	int rc;

	if (db_begin(db) != 0)
		return -1;
	st = db_query(db, &SQL_USER_LOGIN_BY_ID, "i", user_id);
	if (st == NULL)
		goto fail;
	rc = db_step(st);
	if (rc == DB_ROW)
		snprintf(login, sizeof(login), THROTTLE_LOGIN "%s", db_col_text(st, 0));
	db_reset(st);
	if (rc == DB_DONE) {
		db_rollback(db);
		return 1;
	}
	if (rc != DB_ROW || throttle_clear(db, login) != 0)
		goto fail;
	return audit_commit(db, who, 0, "user.unlock", "user", user_id,
			    login + strlen(THROTTLE_LOGIN)) == 0
		       ? 0
		       : -1;
fail:
	db_rollback(db);
	return -1;
}

static int save_roles(struct db *db, int64_t id, unsigned roles)
{
	int r;

	if (db_run(db, &SQL_USER_ROLES_DELETE, "i", id) != DB_OK)
		return -1;
	for (r = 0; r < ROLE__MAX; r++)
		if ((roles & ROLE_BIT(r)) &&
		    db_run(db, &SQL_USER_ROLE_INSERT, "it", id, role_code((enum role)r)) != DB_OK)
			return -1;
	return 0;
}

/* refused() explains a constraint failure: login taken or institution missing. */
static int refused(struct db *db, const struct user *u, struct verrs *v)
{
	int64_t n = 0;

	if (db_get_int(db, &n, &SQL_USER_INSTITUTION_EXISTS, "i", u->institution_id) == DB_ROW &&
	    n == 0) {
		verrs_add(v, "institution_id", "not_found", "%s", _("There is no such institution."));
		return 1;
	}
	verrs_add(v, "login", "taken", "%s", _("This login is already taken; choose another."));
	return 1;
}

int user_create(struct db *db, struct arena *a, const struct user *u, const char *password_hash,
		int64_t *id, struct verrs *v)
{
	char now[CLOCK_ISO_LEN];
	struct db_stmt *st;
	const char *fold = str_fold(a, u->full_name);
	int rc;

	clock_iso(clock_now(), now);
	if (fold == NULL || db_begin(db) != 0)
		return -1;
	st = db_prepare(db, &SQL_USER_INSERT);
	if (st == NULL)
		goto fail;
	db_bind_text(st, 1, u->login);
	db_bind_text(st, 2, u->full_name);
	db_bind_text(st, 3, fold);
	db_bind_text(st, 4, u->email);
	db_bind_int(st, 5, u->institution_id);
	db_bind_text(st, 6, password_hash);
	db_bind_int(st, 7, u->must_change_password ? 1 : 0);
	db_bind_text(st, 8, u->lang);
	db_bind_text(st, 9, now);
	db_bind_text(st, 10, now);
	db_bind_text(st, 11, now);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_reset(st);
	if (rc == DB_CONSTRAINT) {
		db_rollback(db);
		return refused(db, u, v);
	}
	if (rc != DB_ROW || save_roles(db, *id, u->roles) != 0 || db_commit(db) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

int user_update(struct db *db, struct arena *a, const struct user *u, struct verrs *v)
{
	char now[CLOCK_ISO_LEN];
	const char *fold = str_fold(a, u->full_name);
	struct db_stmt *st;
	int rc;

	clock_iso(clock_now(), now);
	if (fold == NULL || db_begin(db) != 0)
		return -1;
	st = db_query(db, &SQL_USER_UPDATE, "tttiti", u->full_name, fold, u->email, u->institution_id, now,
		      u->id);
	if (st == NULL)
		goto fail;
	rc = db_step(st);
	db_reset(st);
	if (rc == DB_CONSTRAINT) {
		db_rollback(db);
		return refused(db, u, v);
	}
	if (rc == DB_DONE) {
		db_rollback(db);
		verrs_add(v, "", "not_found", "%s", _("This user account no longer exists."));
		return 1;
	}
	if (rc != DB_ROW || save_roles(db, u->id, u->roles) != 0 || db_commit(db) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

unsigned user_roles(struct db *db, int64_t id)
{
	struct db_stmt *st = db_query(db, &SQL_USER_ROLES, "i", id);
	unsigned roles = 0;

	if (st == NULL)
		return 0;
	while (db_step(st) == DB_ROW) {
		int r = role_parse(db_col_text(st, 0));

		if (r >= 0)
			roles |= ROLE_BIT(r);
	}
	db_reset(st);
	return roles;
}

static int read_user(struct db *db, struct db_stmt *st, struct arena *a, struct user *out,
		     const char **hash)
{
	int rc = db_step(st), ret = -1;

	if (rc == DB_ROW) {
		out->id = db_col_int(st, 0);
		out->login = arena_strdup(a, db_col_text(st, 1));
		out->full_name = arena_strdup(a, db_col_text(st, 2));
		out->email = arena_strdup(a, db_col_text(st, 3));
		out->institution_id = db_col_int(st, 4);
		out->institution_name = arena_strdup(a, db_col_text(st, 5));
		out->institution_kind = arena_strdup(a, db_col_text(st, 6));
		out->active = (int)db_col_int(st, 7);
		out->must_change_password = (int)db_col_int(st, 8);
		out->lang = arena_strdup(a, db_col_text(st, 9));
		out->created_at = arena_strdup(a, db_col_text(st, 10));
		out->last_login_at = arena_strdup(a, db_col_text(st, 11));
		out->password_changed_at = arena_strdup(a, db_col_text(st, 12));
		if (hash != NULL)
			*hash = arena_strdup(a, db_col_text(st, 13));
		out->institution_active = (int)db_col_int(st, 14);
		ret = out->login != NULL && out->full_name != NULL ? 0 : -1;
	} else if (rc == DB_DONE) {
		ret = 1;
	}
	db_reset(st);
	if (ret == 0)
		out->roles = user_roles(db, out->id);
	return ret;
}

int user_get(struct db *db, struct arena *a, int64_t id, struct user *out)
{
	struct db_stmt *st = db_query(db, &SQL_USER_BY_ID, "i", id);

	return st != NULL ? read_user(db, st, a, out, NULL) : -1;
}

/* mask_user() blanks the fields of u whose class mask forbids. */
static void mask_user(struct user *u, unsigned mask)
{
	if (!(mask & SENS_BIT(SENS_IDENTITY))) {
		u->login = NULL;
		u->full_name = NULL;
	}
	if (!(mask & SENS_BIT(SENS_CONTACT)))
		u->email = NULL;
}

int user_read(struct policy_read *r, int64_t id, struct user *out)
{
	struct policy_subject s = { POLICY_ACCOUNT, id, 0 };
	int rc;

	r->kind = POLICY_ACCOUNT;
	/* decided before reading: a refusal tells nothing about whether the account exists */
	if (policy_decide(&r->actor, &s, r->purpose, &r->decision) != 0)
		return POLICY_DENIED;
	rc = user_get(r->db, r->arena, id, out);
	if (rc != 0)
		return rc;
	mask_user(out, r->decision.mask);
	if (policy_record(r, arena_printf(r->arena, "%lld", (long long)id), out->login) != 0)
		return -1;
	return POLICY_OK;
}

int user_get_by_login(struct db *db, struct arena *a, const char *login, struct user *out,
		      const char **password_hash)
{
	struct db_stmt *st = db_query(db, &SQL_USER_BY_LOGIN, "t", login);

	return st != NULL ? read_user(db, st, a, out, password_hash) : -1;
}

int user_set_active(struct db *db, int64_t id, int active)
{
	char now[CLOCK_ISO_LEN];
	struct db_stmt *st;
	int rc;

	clock_iso(clock_now(), now);
	if (db_begin(db) != 0)
		return -1;
	st = db_query(db, &SQL_USER_SET_ACTIVE, "iti", (int64_t)(active ? 1 : 0), now, id);
	if (st == NULL)
		goto fail;
	rc = db_step(st);
	db_reset(st);
	if (rc == DB_DONE) {
		db_rollback(db);
		return 1;
	}
	if (rc != DB_ROW)
		goto fail;
	if (!active && db_run(db, &SQL_USER_SESSIONS_DELETE, "i", id) != DB_OK)
		goto fail;
	return db_commit(db) == 0 ? 0 : -1;
fail:
	db_rollback(db);
	return -1;
}

int user_set_password(struct db *db, int64_t id, const char *hash, int must_change,
		      const char *keep_session)
{
	char now[CLOCK_ISO_LEN];

	clock_iso(clock_now(), now);
	if (db_begin(db) != 0)
		return -1;
	if (db_run(db, &SQL_USER_SET_PASSWORD, "titti", hash, (int64_t)(must_change ? 1 : 0), now, now,
		   id) != DB_OK ||
	    db_run(db, &SQL_USER_THROTTLE_CLEAR, "i", id) != DB_OK ||
	    db_run(db, &SQL_USER_OTHER_SESSIONS_DELETE, "it", id,
		   keep_session != NULL ? keep_session : "") != DB_OK) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db) == 0 ? 0 : -1;
}

int user_set_lang(struct db *db, int64_t id, const char *lang)
{
	char now[CLOCK_ISO_LEN];

	clock_iso(clock_now(), now);
	return db_run(db, &SQL_USER_SET_LANG, "tti", lang, now, id) == DB_OK
		       ? 0
		       : -1;
}

int user_touch_login(struct db *db, int64_t id)
{
	char now[CLOCK_ISO_LEN];

	clock_iso(clock_now(), now);
	return db_run(db, &SQL_USER_TOUCH_LOGIN, "ti", now, id) == DB_OK
		       ? 0
		       : -1;
}

int64_t user_count(struct db *db, int active_only)
{
	int64_t n = -1;

	if (db_get_int(db, &n, active_only ? &SQL_USER_COUNT_ACTIVE : &SQL_USER_COUNT, NULL) != DB_ROW)
		return -1;
	return n;
}

static const char *role_label_of(const char *code)
{
	int r = role_parse(code);

	return r >= 0 ? role_label((enum role)r) : (code != NULL ? code : "");
}

/* The role column holds every role of the user, comma-separated, in code order. */
static const struct list_col user_cols[USER_COL__MAX] = {
	[USER_COL_LOGIN] = { "login", N_("Login"), "u.login", LIST_TEXT, LIST_SORT | LIST_SEARCH,
			     .sens = SENS_IDENTITY },
	[USER_COL_NAME] = { "full_name", N_("First name and surname"), "u.full_name", LIST_TEXT, LIST_SORT | LIST_SEARCH,
			    "u.name_fold", "u.name_fold", .sens = SENS_IDENTITY },
	[USER_COL_INSTITUTION] = { "institution", N_("Institution"), "i.name", LIST_TEXT,
				   LIST_SORT | LIST_SEARCH, "i.name_fold", "i.name_fold" },
	[USER_COL_INSTITUTION_ID] = { "institution_id", N_("Institution number"), "u.institution_id",
				      LIST_INT, LIST_FILTER | LIST_NOSHOW },
	[USER_COL_ROLE] = { "role", N_("Roles"),
			    "(SELECT string_agg(x.role, ',') FROM (SELECT r.role FROM user_role r "
			    "WHERE r.user_id = u.id ORDER BY r.role) x)",
			    LIST_CODE, LIST_FILTER | LIST_MULTI, NULL, NULL, role_label_of, role_codes,
			    "EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id AND r.role = ?)" },
	[USER_COL_EMAIL] = { "email", N_("E-mail"), "u.email", LIST_TEXT, LIST_SEARCH, "lower(u.email)",
			     .sens = SENS_CONTACT },
	[USER_COL_ACTIVE] = { "active", N_("Active"), "u.active", LIST_BOOL, LIST_SORT | LIST_FILTER },
	[USER_COL_LAST_LOGIN] = { "last_login_at", N_("Last sign-in"), "u.last_login_at",
				  LIST_TIMESTAMP, LIST_SORT },
	/* a lock row whose time has passed is cleared by session_purge() */
	[USER_COL_LOCKED] = { "locked", N_("Sign-in locked"),
			      "(CASE WHEN EXISTS (SELECT 1 FROM auth_throttle t WHERE t.key = '"
			      THROTTLE_LOGIN "' || u.login AND t.locked_until IS NOT NULL) "
			      "THEN 1 ELSE 0 END)",
			      LIST_BOOL, LIST_FILTER | LIST_NOSHOW },
};

const struct list_def user_list = {
	.name = "users",
	.entity = "user",
	.from = "app_user u JOIN institution i ON i.id = u.institution_id",
	.id_expr = "u.id",
	.cols = user_cols,
	.ncols = USER_COL__MAX,
	.default_sort = USER_COL_LOGIN,
};

int user_colleagues(struct db *db, struct arena *a, int64_t institution_id, int max,
		    struct user_option **out)
{
	struct db_stmt *st;
	int i = 0, rc = DB_DONE;

	*out = arena_zalloc(a, sizeof(**out) * (size_t)(max + 1));
	if (*out == NULL)
		return -1;
	st = db_query(db, &SQL_USER_COLLEAGUES, "i", institution_id);
	if (st == NULL)
		return -1;
	while (i < max && (rc = db_step(st)) == DB_ROW) {
		(*out)[i].id = db_col_int(st, 0);
		(*out)[i++].full_name = arena_strdup(a, db_col_text(st, 1));
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? i : -1;
}

static const struct db_sql SQL_USER_OPTIONS =
	DB_SQL("SELECT u.id, u.full_name, i.name, u.active FROM app_user u LEFT JOIN institution i ON i.id = "
	       "u.institution_id ORDER BY u.name_fold, u.id LIMIT 2000");

int user_options(struct db *db, struct arena *a, struct user_option **out)
{
	struct db_stmt *st;
	int i = 0, rc, max = 2000;

	*out = arena_zalloc(a, sizeof(**out) * (size_t)max);
	if (*out == NULL)
		return -1;
	st = db_query(db, &SQL_USER_OPTIONS, NULL);
	if (st == NULL)
		return -1;
	for (rc = DB_ROW; i < max && (rc = db_step(st)) == DB_ROW; i++) {
		(*out)[i].id = db_col_int(st, 0);
		(*out)[i].full_name = arena_strdup(a, db_col_text(st, 1));
		(*out)[i].institution_name = db_col_text(st, 2) != NULL ? arena_strdup(a, db_col_text(st, 2)) : NULL;
		(*out)[i].active = (int)db_col_int(st, 3);
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? i : -1;
}

/*
 * users.c — user accounts for administrators: list, details, create,
 * edit, deactivate and reactivate, password reset; the same as JSON under
 * /api/v1/users.
 *
 * New accounts and reset passwords get a temporary password shown once
 * (never stored in clear, never sent by e-mail); the person must choose
 * their own at the next sign-in. Administrators cannot lock themselves
 * out: they may not deactivate their own account or drop their own admin
 * role.
 */
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/password.h"
#include "auth/role.h"
#include "auth/session.h"
#include "auth/user.h"
#include "core/clock.h"
#include "core/html.h"
#include "core/str.h"
#include "registry/institution.h"
#include "web/handlers.h"
#include "web/route.h"
#include "web/input.h"
#include "web/list.h"
#include "web/page.h"
#include "web/session_cache.h"
#include "web/widget.h"

enum { U_LOGIN, U_NAME, U_EMAIL, U_INSTITUTION, U_ROLES, U_ACTIVE, U_PASSWORD, NFIELDS };

static const struct field fields[NFIELDS] = {
	[U_LOGIN] = { "login", N_("Login"), F_TEXT, F_REQUIRED, 0, 64 },
	[U_NAME] = { "full_name", N_("First name and surname"), F_TEXT, F_REQUIRED, 0, 200 },
	[U_EMAIL] = { "email", N_("E-mail"), F_TEXT, 0, 0, 254 },
	[U_INSTITUTION] = { "institution_id", N_("Institution"), F_INT, F_REQUIRED, 1, INT64_MAX },
	[U_ROLES] = { "roles", N_("Roles"), F_MULTI, F_REQUIRED, 0, 0, role_codes },
	[U_ACTIVE] = { "active", N_("Active"), F_BOOL, 0, 0, 1 },
	[U_PASSWORD] = { "password", N_("Password"), F_SECRET, 0, 0, PASSWORD_MAX_LENGTH },
};

static unsigned roles_of(const struct input *in)
{
	unsigned roles = 0;
	int i;

	for (i = 0; i < in->nmulti; i++) {
		int r = role_parse(in->multi[i]);

		if (r >= 0)
			roles |= ROLE_BIT(r);
	}
	return roles;
}

static json_t *user_json(struct req *req, const struct user *u);

static const char *user_href(struct req *req, int64_t id)
{
	return arena_printf(req->arena, "/admin/users/%lld", (long long)id);
}

/* ------------------------------------------------------------------ */
/* Reading input                                                       */
/* ------------------------------------------------------------------ */

enum read_mode { READ_CREATE, READ_UPDATE, READ_API_UPDATE };

/*
 * read_user() reads the fields for mode into u (and the optional API
 * password into *password), validates them, and applies the rules an
 * administrator must not break on their own account.
 */
static int read_user(struct req *req, enum read_mode mode, struct user *u, const char **password,
		     struct verrs *v)
{
	struct field f[NFIELDS];
	struct input in[NFIELDS];
	struct institution home;
	int n = 0, idx[NFIELDS], i;

	for (i = 0; i < NFIELDS; i++) {
		if (i == U_LOGIN && mode != READ_CREATE)
			continue;
		if (i == U_ACTIVE && mode != READ_API_UPDATE)
			continue;
		if (i == U_PASSWORD && !(mode == READ_CREATE && req->is_api))
			continue;
		idx[n] = i;
		f[n++] = fields[i];
	}
	input_read(req, f, n, in, v);
	for (i = 0; i < n; i++) {
		const struct input *x = &in[i];

		switch (idx[i]) {
		case U_LOGIN: u->login = x->text; break;
		case U_NAME: u->full_name = x->text; break;
		case U_EMAIL: u->email = x->text; break;
		case U_INSTITUTION: u->institution_id = x->num; break;
		case U_ROLES: u->roles = roles_of(x); break;
		case U_ACTIVE: u->active = x->present ? (int)x->num : u->active; break;
		case U_PASSWORD: *password = x->text[0] != '\0' ? x->text : NULL; break;
		}
	}
	user_validate(u, req->arena, v); /* all fields at once; one error per field */
	if (u->id == req->sess->user_id) {
		if (!(u->roles & ROLE_BIT(ROLE_ADMIN)))
			verrs_add(v, "roles", "own_admin", "%s",
				  _("You cannot take the administrator role from your own account."));
		if (!u->active)
			verrs_add(v, "active", "own_account", "%s",
				  _("You cannot deactivate your own account."));
		if (u->institution_id > 0 && institution_get(req->db, req->arena, u->institution_id, &home) == 0 &&
		    !home.active)
			verrs_add(v, "institution_id", "own_institution", "%s",
				  _("Your own account cannot belong to an inactive institution: it would "
				    "stop working."));
	}
	if (password != NULL && *password != NULL)
		password_policy_person(*password, u->login, u->full_name, req->app->cfg.password_min_length,
				       v, "password");
	input_order_errors(fields, NFIELDS, v);
	return v->n;
}

/* ------------------------------------------------------------------ */
/* Pages                                                               */
/* ------------------------------------------------------------------ */

int h_user_list(struct req *req)
{
	struct list_view view = {
		.def = &user_list,
		.title = _("Users"),
		.row_href = "/admin/users/%s",
		.new_href = "/admin/users/new",
		.new_label = _("Add a user"),
		.kind = POLICY_ACCOUNT,
		.purpose = PURPOSE_ADMINISTRATION,
		.empty = _("No user account matches these filters."),
	};

	return list_respond(req, &view);
}

static int form_page(struct req *req, int status, const struct user *u, const struct verrs *v)
{
	const char *title = u->id == 0 ? _("New user") : _("Edit user");
	const char *action = u->id == 0 ? "/admin/users/new"
					: arena_printf(req->arena, "/admin/users/%lld/edit", (long long)u->id);
	struct institution_option *opts;
	struct option *inst, roles[ROLE__MAX];
	int checked[ROLE__MAX], n, i, k;
	char selected[24];
	struct buf *b;

	n = institution_options(req->db, req->arena, &opts);
	if (n < 0)
		return resp_server_error(req, "reading institutions");
	inst = arena_zalloc(req->arena, sizeof(*inst) * (size_t)(n + 1));
	if (inst == NULL)
		return resp_oom(req);
	/* inactive institutions are offered only to an account already in one */
	for (i = 0, k = 0; i < n; i++) {
		if (!opts[i].active && opts[i].id != u->institution_id)
			continue;
		inst[k].value = arena_printf(req->arena, "%lld", (long long)opts[i].id);
		inst[k++].label = opts[i].active ? opts[i].name
						 : arena_printf(req->arena, _("%s (inactive)"), opts[i].name);
	}
	for (i = 0; i < ROLE__MAX; i++) {
		roles[i].value = role_code((enum role)i);
		roles[i].label = role_label((enum role)i);
		checked[i] = (u->roles & ROLE_BIT(i)) != 0;
	}
	snprintf(selected, sizeof(selected), "%lld", (long long)u->institution_id);
	page_crumb(req, "/admin/users", _("Users"));
	if (u->id != 0)
		page_crumb(req, user_href(req, u->id), u->login);
	page_crumb(req, NULL, title);
	b = page_begin(req, title);
	form_errors(b, v);
	form_begin(b, req, action, "form");
	if (u->id == 0)
		field_input(b, "text", "login", _("Login"), u->login, v, W_REQUIRED, 
			    _("2–64 characters: Latin letters, digits, dot, underscore, hyphen. It "
			      "cannot be changed later."),
			    "off");
	field_input(b, "text", "full_name", _("First name and surname"), u->full_name, v,
		    W_REQUIRED | W_WIDE, NULL, "off");
	field_input(b, "email", "email", _("E-mail"), u->email, v, 0, NULL, "off");
	field_select(b, "institution_id", _("Institution"), inst, k, selected, _("— choose —"), v,
		     W_REQUIRED | W_WIDE, NULL);
	field_checks(b, "roles", _("Roles"), roles, ROLE__MAX, checked, v, W_REQUIRED,
		     _("A person may hold several roles. Labour-office advisers never see health, "
		       "addiction or violence data."));
	if (u->id == 0)
		html_fmt(b, "<p class=\"hint\">%s</p>",
			 _("A temporary password will be generated and shown once after saving. The "
			   "person chooses their own password at the first sign-in."));
	html_raw(b, "<div class=\"actions\">");
	button(b, _("Save"), "primary");
	html_fmt(b, " <a class=\"btn secondary\" href=\"%s\">%s</a></div>",
		 u->id == 0 ? "/admin/users" : user_href(req, u->id), _("Cancel"));
	form_end(b);
	return page_end(req, status);
}

int h_user_new(struct req *req)
{
	struct user u;

	memset(&u, 0, sizeof(u));
	u.active = 1; /* the institution is chosen, not assumed to be the administrator's */
	return form_page(req, 200, &u, NULL);
}

/* password_page() shows a new temporary password once. */
static int password_page(struct req *req, const struct user *u, const char *temp, const char *title,
			 const char *done, const char *when)
{
	struct buf *b;

	page_crumb(req, "/admin/users", _("Users"));
	page_crumb(req, user_href(req, u->id), u->login);
	page_crumb(req, NULL, title);
	b = page_begin(req, title);
	page_notice(b, "success", done);
	html_fmt(b, "<section class=\"card secret\"><h2>%s</h2><p class=\"password\"><code>%s</code></p>"
		 "<p>%s</p></section>",
		 _("Temporary password"), temp,
		 when);
	html_fmt(b, "<p><a class=\"btn primary\" href=\"%s\">%s</a></p>", user_href(req, u->id),
		 _("Back to the account"));
	return page_end(req, 200);
}

/* create_user() creates u with a generated temporary password (or password); 0, 1, -1. */
static int create_user(struct req *req, struct user *u, const char *password, char temp[20],
		       struct verrs *v)
{
	char hash[PASSWORD_HASH_MAX];
	int rc;

	if (password == NULL)
		password_generate(temp);
	else
		temp[0] = '\0';
	u->must_change_password = password == NULL;
	if (password_hash(password != NULL ? password : temp, hash) != 0)
		return -1;
	if (tx_begin(req) != 0)
		return -1;
	rc = user_create(req->db, req->arena, u, hash, &u->id, v);
	return tx_audit(req, rc, "user.create", "user", u->id, u->login);
}

int h_user_create(struct req *req)
{
	struct user u;
	struct verrs v = VERRS_INIT;
	char temp[20];
	int rc;

	memset(&u, 0, sizeof(u));
	u.active = 1;
	if (read_user(req, READ_CREATE, &u, NULL, &v) > 0)
		return form_page(req, 422, &u, &v);
	rc = create_user(req, &u, NULL, temp, &v);
	if (rc > 0)
		return form_page(req, 422, &u, &v);
	if (rc < 0)
		return resp_server_error(req, "creating a user");
	return password_page(req, &u, temp, _("Account created"),
			     arena_printf(req->arena, _("Created the account \"%s\" for %s."), u.login,
					  u.full_name),
			     _("Give it to the person in a safe way (in person or by phone, not by e-mail). It "
			       "is shown only now. At the first sign-in they will have to choose their own "
			       "password."));
}

/* lock_notice() shows a sign-in lock: until when, after how many failures, and the unlock button. */
static void lock_notice(struct buf *b, struct req *req, const struct user *u, int64_t failures,
			int64_t until)
{
	char iso[CLOCK_ISO_LEN];

	clock_iso(until, iso);
	html_fmt(b, "<div class=\"status locked\" id=\"lock\"><p>%s</p>",
		 arena_printf(req->arena,
			      i18n_ngettext("Sign-in is locked until %s after %lld failed attempt.",
					    "Sign-in is locked until %s after %lld failed attempts.",
					    (unsigned long)failures),
			      fmt_time(req, iso), (long long)failures));
	action_form(b, req, arena_printf(req->arena, "/admin/users/%lld/unlock", (long long)u->id),
		    _("Unlock"), "secondary");
	html_raw(b, "</div>");
}

/*
 * read_account() reads account id under the access policy for this
 * user; audited = 0 for reads that only precede a change (the change's
 * own audit row records it). 0, or the status already answered.
 */
static int read_account(struct req *req, int64_t id, struct user *u, int audited)
{
	struct policy_read rd;
	struct audit_reads none = AUDIT_READS_INIT;
	int rc;

	req_policy_read(req, POLICY_ACCOUNT, PURPOSE_ADMINISTRATION, &rd);
	if (!audited)
		rd.log = &none;
	rc = user_read(&rd, id, u);
	if (rc == POLICY_DENIED)
		return resp_denied(req, &rd.decision);
	if (rc < 0)
		return resp_server_error(req, "reading a user");
	if (rc == POLICY_NOT_FOUND)
		return resp_error(req, 404, "not_found", _("No such user"),
				  _("There is no user account with this number."));
	return 0;
}

/* load() reads the user of the route's {id} before a change; 0, or the status already answered. */
static int load(struct req *req, struct user *u)
{
	return read_account(req, req->id, u, 0);
}

/* load_audited() reads the user of the route's {id} to show it; the read is recorded. */
static int load_audited(struct req *req, struct user *u)
{
	return read_account(req, req->id, u, 1);
}

int h_user_show(struct req *req)
{
	struct user u;
	struct buf *b;
	int rc = load_audited(req, &u);
	int64_t sessions, failures = 0, until = 0;
	int locked;

	if (rc != 0)
		return rc;
	sessions = session_count_user(req->db, u.id);
	locked = user_lock_state(req->db, u.login, clock_now(), &failures, &until);
	if (locked < 0)
		return resp_server_error(req, "reading the sign-in lock");
	page_crumb(req, "/admin/users", _("Users"));
	page_crumb(req, NULL, u.login);
	b = page_begin(req, u.full_name);
	if (!u.active)
		html_fmt(b, "<p class=\"status inactive\">%s</p>", _("Inactive: cannot sign in."));
	else if (!u.institution_active)
		html_fmt(b, "<p class=\"status inactive\">%s</p>",
			 _("The institution is inactive, so this account cannot sign in."));
	if (u.must_change_password)
		html_fmt(b, "<p class=\"status\">%s</p>",
			 _("Has a temporary password: must choose a new one at the next sign-in."));
	if (locked)
		lock_notice(b, req, &u, failures, until);
	html_raw(b, "<dl class=\"details\">");
	dl_row(b, _("Login"), u.login);
	dl_row(b, _("E-mail"), u.email);
	html_fmt(b, "<dt>%s</dt><dd><a href=\"/admin/institutions/%lld\">%s</a></dd>", _("Institution"),
		 (long long)u.institution_id, u.institution_name);
	dl_row(b, _("Roles"), role_set_labels(req->arena, u.roles));
	dl_row(b, _("Last sign-in"), fmt_time(req, u.last_login_at));
	dl_row(b, _("Password last changed"), fmt_time(req, u.password_changed_at));
	dl_row(b, _("Open sessions"), sessions >= 0 ? fmt_int(req, sessions) : NULL);
	dl_row(b, _("Created"), fmt_time(req, u.created_at));
	html_raw(b, "</dl><div class=\"actions\">");
	html_fmt(b, "<a class=\"btn primary\" href=\"/admin/users/%lld/edit\">%s</a> ", (long long)u.id,
		 _("Edit"));
	html_fmt(b, "<a class=\"btn secondary\" href=\"/admin/users/%lld/reset-password\">%s</a> ",
		 (long long)u.id, _("Reset password"));
	if (u.id != req->sess->user_id) {
		if (u.active)
			html_fmt(b, "<a class=\"btn danger\" href=\"/admin/users/%lld/disable\">%s</a>",
				 (long long)u.id, _("Deactivate"));
		else
			action_form(b, req,
				    arena_printf(req->arena, "/admin/users/%lld/enable", (long long)u.id),
				    _("Reactivate"), "secondary");
	}
	html_raw(b, "</div>");
	html_fmt(b, "<p><a href=\"/admin/audit?login=%s\">%s</a> · ", u.login,
		 _("What this user did (audit log)"));
	html_fmt(b, "<a href=\"/admin/audit?entity=user&amp;entity_id=%lld\">%s</a></p>", (long long)u.id,
		 _("Changes to this account"));
	return page_end(req, 200);
}

int h_user_edit(struct req *req)
{
	struct user u;
	int rc = load_audited(req, &u);

	return rc != 0 ? rc : form_page(req, 200, &u, NULL);
}

int h_user_update(struct req *req)
{
	struct user u;
	struct verrs v = VERRS_INIT;
	int rc = load(req, &u);

	if (rc != 0)
		return rc;
	if (read_user(req, READ_UPDATE, &u, NULL, &v) > 0)
		return form_page(req, 422, &u, &v);
	if (tx_begin(req) != 0)
		return resp_server_error(req, "starting a transaction");
	rc = user_update(req->db, req->arena, &u, &v);
	rc = tx_audit(req, rc, "user.update", "user", u.id, u.login);
	if (rc > 0)
		return form_page(req, 422, &u, &v);
	if (rc < 0)
		return resp_server_error(req, "saving a user");
	session_cache_invalidate_user(u.id); /* roles may have changed */
	return resp_redirect(req, user_href(req, u.id),
			     arena_printf(req->arena, _("Saved the account \"%s\"."), u.login));
}

int h_user_disable_confirm(struct req *req)
{
	struct user u;
	int rc = load_audited(req, &u);

	if (rc != 0)
		return rc;
	if (u.id == req->sess->user_id)
		return resp_error(req, 409, "own_account", _("Not possible"),
				  _("You cannot deactivate your own account."));
	page_crumb(req, "/admin/users", _("Users"));
	page_crumb(req, user_href(req, u.id), u.login);
	page_crumb(req, NULL, _("Deactivate"));
	return confirm_page(req, _("Deactivate the account?"),
			    arena_printf(req->arena,
					 _("%s (%s) will be signed out at once and will not be able to "
					   "sign in until the account is reactivated. Nothing they "
					   "recorded is removed."),
					 u.full_name, u.login),
			    arena_printf(req->arena, "/admin/users/%lld/disable", (long long)u.id),
			    _("Deactivate"), user_href(req, u.id));
}

static int set_active(struct req *req, int active)
{
	struct user u;
	int rc = load(req, &u);

	if (rc != 0)
		return rc;
	if (u.id == req->sess->user_id)
		return resp_error(req, 409, "own_account", _("Not possible"),
				  _("You cannot deactivate your own account."));
	if (!active && !str_eq(req_form(req, "confirm"), "1"))
		return h_user_disable_confirm(req);
	if (tx_begin(req) != 0)
		return resp_server_error(req, "starting a transaction");
	rc = user_set_active(req->db, u.id, active);
	if (tx_audit(req, rc, active ? "user.enable" : "user.disable", "user", u.id, u.login) != 0)
		return resp_server_error(req, "changing a user");
	session_cache_invalidate_user(u.id);
	return resp_redirect(req, user_href(req, u.id),
			     arena_printf(req->arena,
					  active ? _("The account \"%s\" is active again.")
						 : _("The account \"%s\" has been deactivated."),
					  u.login));
}

int h_user_disable(struct req *req)
{
	return set_active(req, 0);
}

int h_user_enable(struct req *req)
{
	return set_active(req, 1);
}

int h_user_reset_confirm(struct req *req)
{
	struct user u;
	int rc = load_audited(req, &u);

	if (rc != 0)
		return rc;
	page_crumb(req, "/admin/users", _("Users"));
	page_crumb(req, user_href(req, u.id), u.login);
	page_crumb(req, NULL, _("Reset password"));
	return confirm_page(req, _("Reset the password?"),
			    arena_printf(req->arena,
					 _("A new temporary password will be generated for %s (%s). "
					   "Their current password stops working and their open "
					   "sessions are signed out."),
					 u.full_name, u.login),
			    arena_printf(req->arena, "/admin/users/%lld/reset-password", (long long)u.id),
			    _("Reset password"), user_href(req, u.id));
}

/* reset_password() gives u a new temporary password; 0 or -1. */
static int reset_password(struct req *req, const struct user *u, char temp[20])
{
	char hash[PASSWORD_HASH_MAX];
	int rc;

	password_generate(temp);
	if (password_hash(temp, hash) != 0 || tx_begin(req) != 0)
		return -1;
	/* resetting one's own password keeps the current session */
	rc = user_set_password(req->db, u->id, hash, 1,
			       u->id == req->sess->user_id ? req->sess->token_hash : NULL);
	rc = tx_audit(req, rc, "user.password_reset", "user", u->id, u->login);
	if (rc == 0)
		session_cache_invalidate_user(u->id);
	return rc;
}

/* unlock() lifts the sign-in lock of the route's user; 0, or the status already answered. */
static int unlock(struct req *req, struct user *u)
{
	struct audit_actor who;
	int rc = load(req, u);

	if (rc != 0)
		return rc;
	req_actor(req, &who);
	rc = user_unlock(req->db, &who, u->id);
	if (rc > 0)
		return resp_error(req, 404, "not_found", _("No such user"),
				  _("There is no user account with this number."));
	if (rc < 0)
		return resp_server_error(req, "unlocking a user");
	session_cache_invalidate_user(u->id);
	return 0;
}

int h_user_unlock(struct req *req)
{
	struct user u;
	int rc = unlock(req, &u);

	if (rc != 0)
		return rc;
	return resp_redirect(req, user_href(req, u.id),
			     arena_printf(req->arena, _("Sign-in of \"%s\" is unlocked."), u.login));
}

int h_api_user_unlock(struct req *req)
{
	struct user u, saved;
	int rc = unlock(req, &u);

	if (rc != 0)
		return rc;
	rc = read_account(req, u.id, &saved, 0);
	if (rc != 0)
		return rc;
	return resp_json(req, 200, user_json(req, &saved));
}

int h_user_reset(struct req *req)
{
	struct user u;
	char temp[20];
	int rc = load(req, &u);

	if (rc != 0)
		return rc;
	if (!str_eq(req_form(req, "confirm"), "1"))
		return h_user_reset_confirm(req);
	if (reset_password(req, &u, temp) != 0)
		return resp_server_error(req, "resetting a password");
	return password_page(req, &u, temp, _("Password reset"),
			     arena_printf(req->arena, _("Reset the password of \"%s\"."), u.login),
			     _("Give it to the person in a safe way (in person or by phone, not by e-mail). It "
			       "is shown only now. At the next sign-in they will have to choose their own "
			       "password."));
}

/* ------------------------------------------------------------------ */
/* API                                                                 */
/* ------------------------------------------------------------------ */

static json_t *user_json(struct req *req, const struct user *u)
{
	int64_t failures = 0, until = 0;
	char iso[CLOCK_ISO_LEN];
	int locked = user_lock_state(req->db, u->login, clock_now(), &failures, &until) == 1;

	clock_iso(until, iso);
	return json_pack("{s:I, s:s, s:s, s:s?, s:{s:I, s:s, s:b}, s:o, s:b, s:b, s:s?, s:s, s:s?, "
			 "s:b, s:s?, s:I}",
			 "id", (json_int_t)u->id, "login", u->login, "full_name", u->full_name,
			 "email", u->email, "institution", "id", (json_int_t)u->institution_id, "name",
			 u->institution_name, "active", u->institution_active, "roles", roles_json(u->roles), "active",
			 u->active, "must_change_password", u->must_change_password, "lang", u->lang,
			 "created_at", u->created_at, "last_login_at", u->last_login_at, "locked", locked,
			 "locked_until", locked ? iso : NULL, "failed_attempts", (json_int_t)failures);
}

int h_api_user_list(struct req *req)
{
	return h_user_list(req);
}

int h_api_user_create(struct req *req)
{
	struct user u, saved;
	struct verrs v = VERRS_INIT;
	const char *password = NULL;
	char temp[20];
	json_t *j;
	int rc;

	memset(&u, 0, sizeof(u));
	u.active = 1;
	if (read_user(req, READ_CREATE, &u, &password, &v) > 0)
		return resp_api_verrs(req, &v);
	rc = create_user(req, &u, password, temp, &v);
	if (rc > 0)
		return resp_api_verrs(req, &v);
	if (rc < 0)
		return resp_server_error(req, "creating a user");
	rc = read_account(req, u.id, &saved, 0);
	if (rc != 0)
		return rc;
	j = user_json(req, &saved);
	if (j != NULL && temp[0] != '\0')
		json_object_set_new(j, "temporary_password", json_string(temp));
	resp_header(req, "location", arena_printf(req->arena, "/api/v1/users/%lld", (long long)u.id));
	return resp_json(req, 201, j);
}

int h_api_user_get(struct req *req)
{
	struct user u;
	int rc = load_audited(req, &u);

	return rc != 0 ? rc : resp_json(req, 200, user_json(req, &u));
}

int h_api_user_update(struct req *req)
{
	struct user u, saved;
	struct verrs v = VERRS_INIT;
	int rc = load(req, &u), was_active;

	if (rc != 0)
		return rc;
	was_active = u.active;
	if (read_user(req, READ_API_UPDATE, &u, NULL, &v) > 0)
		return resp_api_verrs(req, &v);
	if (tx_begin(req) != 0)
		return resp_server_error(req, "starting a transaction");
	rc = user_update(req->db, req->arena, &u, &v);
	if (rc == 0 && u.active != was_active) {
		struct audit_actor who;

		req_actor(req, &who);
		rc = user_set_active(req->db, u.id, u.active);
		if (rc == 0 && audit_write_id(req->db, &who, u.active ? "user.enable" : "user.disable",
					      "user", u.id, u.login) != DB_OK)
			rc = -1;
	}
	rc = tx_audit(req, rc, "user.update", "user", u.id, u.login);
	if (rc > 0)
		return resp_api_verrs(req, &v);
	if (rc == 0)
		session_cache_invalidate_user(u.id);
	if (rc < 0)
		return resp_server_error(req, "saving a user");
	rc = read_account(req, u.id, &saved, 0);
	if (rc != 0)
		return rc;
	return resp_json(req, 200, user_json(req, &saved));
}

int h_api_user_reset(struct req *req)
{
	struct user u;
	char temp[20];
	int rc = load(req, &u);

	if (rc != 0)
		return rc;
	if (reset_password(req, &u, temp) != 0)
		return resp_server_error(req, "resetting a password");
	return resp_json(req, 200, json_pack("{s:s}", "temporary_password", temp));
}

#define ADMIN ROLE_BIT(ROLE_ADMIN)

ROUTES(users) = {
	{ HTTP_GET, "/admin/users", h_user_list, 0, ADMIN },
	{ HTTP_GET, "/admin/users/new", h_user_new, 0, ADMIN },
	{ HTTP_POST, "/admin/users/new", h_user_create, 0, ADMIN },
	{ HTTP_GET, "/admin/users/{id:int}", h_user_show, 0, ADMIN },
	{ HTTP_GET, "/admin/users/{id:int}/edit", h_user_edit, 0, ADMIN },
	{ HTTP_POST, "/admin/users/{id:int}/edit", h_user_update, 0, ADMIN },
	{ HTTP_GET, "/admin/users/{id:int}/disable", h_user_disable_confirm, 0, ADMIN },
	{ HTTP_POST, "/admin/users/{id:int}/disable", h_user_disable, 0, ADMIN },
	{ HTTP_POST, "/admin/users/{id:int}/enable", h_user_enable, 0, ADMIN },
	{ HTTP_GET, "/admin/users/{id:int}/reset-password", h_user_reset_confirm, 0, ADMIN },
	{ HTTP_POST, "/admin/users/{id:int}/reset-password", h_user_reset, 0, ADMIN },
	{ HTTP_POST, "/admin/users/{id:int}/unlock", h_user_unlock, 0, ADMIN },
	{ HTTP_GET, "/api/v1/users", h_api_user_list, 0, ADMIN },
	{ HTTP_POST, "/api/v1/users", h_api_user_create, 0, ADMIN },
	/* every user may read their own account; the access policy decides (403 with its reason) */
	{ HTTP_GET, "/api/v1/users/{id:int}", h_api_user_get, 0, 0 },
	{ HTTP_PUT, "/api/v1/users/{id:int}", h_api_user_update, 0, ADMIN },
	{ HTTP_POST, "/api/v1/users/{id:int}/password-reset", h_api_user_reset, 0, ADMIN },
	{ HTTP_POST, "/api/v1/users/{id:int}/unlock", h_api_user_unlock, 0, ADMIN },
};
ROUTES_END(users);

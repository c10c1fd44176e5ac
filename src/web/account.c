/*
 * account.c — the signed-in user's own account: details, language and
 * password (page and API).
 */
#include <string.h>

#include "audit/audit.h"
#include "auth/password.h"
#include "auth/role.h"
#include "auth/session.h"
#include "auth/user.h"
#include "core/clock.h"
#include "core/html.h"
#include "demo/demo.h"
#include "web/dispatch.h"
#include "web/handlers.h"
#include "web/route.h"
#include "web/input.h"
#include "web/page.h"
#include "web/session_cache.h"
#include "web/widget.h"

static const char *const lang_choices[] = { "", "pl", "en", NULL };

int h_account(struct req *req)
{
	struct user u;
	struct buf *b;
	struct option langs[3];
	struct policy_read rd;
	int rc;

	req_policy_read(req, POLICY_ACCOUNT, PURPOSE_ADMINISTRATION, &rd);
	rc = user_read(&rd, req->sess->user_id, &u);
	if (rc == POLICY_DENIED)
		return resp_denied(req, &rd.decision);
	if (rc != 0)
		return resp_server_error(req, "reading the account");
	b = page_begin(req, _("My account"));
	html_raw(b, "<section class=\"card\"><dl class=\"details\">");
	dl_row(b, _("Login"), u.login);
	dl_row(b, _("First name and surname"), u.full_name);
	dl_row(b, _("E-mail"), u.email);
	dl_row(b, _("Institution"), u.institution_name);
	dl_row(b, _("Roles"), role_set_labels(req->arena, u.roles));
	dl_row(b, _("Password last changed"), fmt_time(req, u.password_changed_at));
	html_raw(b, "</dl>");
	html_fmt(b, "<p><a class=\"btn secondary\" href=\"/account/password\">%s</a></p></section>",
		 _("Change password"));

	html_fmt(b, "<section class=\"card\"><h2>%s</h2>", _("Language"));
	form_begin(b, req, "/account/settings", "form");
	langs[0].value = "";
	langs[0].label = _("As set in the browser");
	langs[1].value = "pl";
	langs[1].label = "Polski";
	langs[2].value = "en";
	langs[2].label = "English";
	field_select(b, "lang", _("Language of the pages"), langs, 3, u.lang != NULL ? u.lang : "",
		     NULL, NULL, 0, NULL);
	button(b, _("Save"), "primary");
	form_end(b);
	html_raw(b, "</section>");
	return page_end(req, 200);
}

int h_account_settings(struct req *req)
{
	static const struct field fields[] = {
		{ "lang", N_("Language"), F_CHOICE, 0, 0, 0, lang_choices },
	};
	struct input in[1];
	struct verrs v = VERRS_INIT;
	const char *lang;

	if (input_read(req, fields, 1, in, &v) > 0)
		return resp_error(req, 400, "invalid", _("Bad request"), v.e[0].message);
	lang = in[0].text[0] != '\0' ? in[0].text : NULL;
	if (tx_begin(req) != 0 ||
	    tx_audit(req, user_set_lang(req->db, req->sess->user_id, lang), "user.settings", "user",
		     req->sess->user_id, lang != NULL ? lang : "browser") != 0)
		return resp_server_error(req, "saving settings");
	session_cache_invalidate_user(req->sess->user_id);
	/* the language cookie would override the account setting: keep them in step */
	resp_cookie(req, COOKIE_LANG, lang != NULL ? lang : "", lang != NULL ? 365 * 86400 : 0);
	if (lang != NULL)
		i18n_set_lang((enum lang)i18n_parse(lang));
	return resp_redirect(req, "/account", _("Settings saved."));
}

static const struct field password_fields[] = {
	{ "current_password", N_("Current password"), F_SECRET, F_REQUIRED, 0, PASSWORD_MAX_LENGTH },
	{ "new_password", N_("New password"), F_SECRET, F_REQUIRED, 0, PASSWORD_MAX_LENGTH },
	{ "new_password2", N_("New password again"), F_SECRET, 0, 0, PASSWORD_MAX_LENGTH },
};

static int password_page(struct req *req, int status, const struct verrs *v)
{
	struct buf *b = page_begin(req, _("Change password"));
	char hint[200];

	if (req->sess->must_change_password)
		page_notice(b, "info", _("Your password was set by an administrator. Choose your own password "
				 "before you continue."));
	form_errors(b, v);
	form_begin(b, req, "/account/password", "form narrow-form");
	field_input(b, "password", "current_password", _("Current password"), NULL, v, W_REQUIRED,
		    NULL, "current-password");
	if (password_exempt(req, req->sess->login))
		snprintf(hint, sizeof(hint), "%s",
			 _("Demonstration account: any new password is accepted."));
	else
		snprintf(hint, sizeof(hint),
			 _("At least %lld characters, with at least two kinds of characters (letters, "
			   "digits, other signs). A few words in a row are easy to remember and hard to "
			   "guess."),
			 (long long)req->app->cfg.password_min_length);
	field_input(b, "password", "new_password", _("New password"), NULL, v, W_REQUIRED, hint,
		    "new-password");
	field_input(b, "password", "new_password2", _("New password again"), NULL, v, W_REQUIRED,
		    NULL, "new-password");
	button(b, _("Change password"), "primary");
	form_end(b);
	return page_end(req, status);
}

int h_password_form(struct req *req)
{
	return password_page(req, 200, NULL);
}

int password_exempt(const struct req *req, const char *login)
{
	size_t i;

	if (!req->app->demo || login == NULL)
		return 0;
	for (i = 0; demo_logins[i] != NULL; i++)
		if (strcmp(demo_logins[i], login) == 0)
			return 1;
	return 0;
}

/*
 * A password change in progress: the current password is checked (and the
 * new one hashed) on the password pool, like a sign-in.
 */
struct change {
	struct sign_in s;             /* the current-password check */
	struct throttle_rule rule, rule_addr;
	struct verrs v;               /* errors found so far */
	const char *new_password;
	char newhash[PASSWORD_HASH_MAX];
	int hashed;                   /* newhash holds the new password's hash */
	int (*answer)(struct req *req, int rc, struct verrs *v); /* page or API */
};

/* change_work() runs on the password pool: check the current password, then hash the new one. */
static void change_work(void *arg)
{
	struct change *c = arg;

	session_verify(&c->s);
	if (c->s.verified && c->v.n == 0)
		c->hashed = password_hash(c->new_password, c->newhash) == 0;
}

/*
 * change_finish() records the check and stores the new password; 0, 1
 * (errors in c->v), 2 (locked: message in c->v), -1 on failure.
 */
static int change_finish(struct req *req, struct change *c)
{
	enum sign_in_result r = session_check_finish(req->db, req->arena, &c->s);

	if (r == SIGN_IN_ERROR)
		return -1;
	if (r == SIGN_IN_BAD)
		verrs_add(&c->v, "current_password", "wrong", "%s", _("The current password is not right."));
	if (c->v.n > 0) {
		input_order_errors(password_fields, 3, &c->v);
		return 1;
	}
	if (!c->hashed || tx_begin(req) != 0)
		return -1;
	if (tx_audit(req, user_set_password(req->db, c->s.user_id, c->newhash, 0, req->sess->token_hash),
		     "user.password_change", "user", c->s.user_id, NULL) != 0)
		return -1;
	session_cache_invalidate_user(c->s.user_id);
	return 0;
}

static int change_resume(struct req *req, void *arg)
{
	struct change *c = arg;

	return c->answer(req, change_finish(req, c), &c->v);
}

/* locked_message() is the sign-in lock's message, for a locked password check. */
static void locked_message(struct change *c)
{
	int64_t minutes = (c->s.retry_at - clock_now() + 59) / 60;

	if (minutes < 1)
		minutes = 1;
	verrs_add(&c->v, "current_password", "throttled",
		  i18n_ngettext("Too many failed attempts. Sign-in is locked; try again in "
				"%lld minute or ask your administrator.",
				"Too many failed attempts. Sign-in is locked; try again in "
				"%lld minutes or ask your administrator.",
				(unsigned long)minutes),
		  (long long)minutes);
}

/*
 * change_password() validates a new password and begins the check of the
 * current one. Answers through answer(req, rc, v) with rc 0 (changed), 1
 * (errors in v), 2 (locked), -1 (failure) — at once or after the check.
 */
static int change_password(struct req *req, int (*answer)(struct req *req, int rc, struct verrs *v))
{
	struct input in[3];
	struct change *c = arena_zalloc(req->arena, sizeof(*c));
	enum sign_in_result r;

	if (c == NULL)
		return resp_oom(req);
	c->answer = answer;
	if (input_read(req, password_fields, 3, in, &c->v) > 0)
		return answer(req, 1, &c->v);
	/* the API may leave out the repetition; when given, it must agree */
	if ((!req->is_api || in[2].present) && strcmp(in[1].text, in[2].text) != 0)
		verrs_add(&c->v, "new_password2", "mismatch", "%s", _("The two new passwords differ."));
	if (strcmp(in[0].text, in[1].text) == 0)
		verrs_add(&c->v, "new_password", "unchanged", "%s",
			  _("The new password must differ from the current one."));
	if (!password_exempt(req, req->sess->login))
		password_policy_person(in[1].text, req->sess->login, req->sess->full_name,
				       req->app->cfg.password_min_length, &c->v, "new_password");
	c->new_password = in[1].text;
	c->rule.max_failures = req->app->cfg.login_max_failures;
	c->rule.window = req->app->cfg.login_window;
	c->rule.lock = req->app->cfg.login_lock;
	c->rule_addr = c->rule;
	c->rule_addr.max_failures = req->app->cfg.login_max_failures_address;
	c->s.login = req->sess->login;
	c->s.password = in[0].text;
	c->s.ip = req->ip;
	c->s.user_agent = req->user_agent;
	c->s.throttle = &c->rule;
	c->s.throttle_addr = &c->rule_addr;
	c->s.user_id = req->sess->user_id;
	c->s.institution_id = req->sess->institution_id;
	c->s.now = clock_now();
	r = session_check_begin(req->db, req->arena, &c->s);
	if (r == SIGN_IN_THROTTLED) {
		locked_message(c);
		return answer(req, 2, &c->v);
	}
	if (r == SIGN_IN_BUSY)
		return resp_busy(req);
	if (r != SIGN_IN_VERIFY)
		return answer(req, -1, &c->v);
	if (req_suspend(req, change_work, change_resume, c) != 0) {
		session_sign_in_cancel(req->db, &c->s);
		return resp_busy(req);
	}
	return HTTP_PENDING;
}

static int page_answer(struct req *req, int rc, struct verrs *v)
{
	if (rc < 0)
		return resp_server_error(req, "changing the password");
	if (rc > 0)
		return password_page(req, rc == 2 ? 429 : 422, v);
	return resp_redirect(req, "/", _("Your password has been changed. Other sessions of your "
					 "account have been signed out."));
}

int h_password_submit(struct req *req)
{
	return change_password(req, page_answer);
}

static int api_answer(struct req *req, int rc, struct verrs *v)
{
	if (rc < 0)
		return resp_server_error(req, "changing the password");
	if (rc == 2)
		return resp_api_error(req, 429, "throttled", v->e[0].message, "current_password");
	if (rc > 0)
		return resp_api_verrs(req, v);
	return 204;
}

int h_api_password(struct req *req)
{
	return change_password(req, api_answer);
}

ROUTES(account) = {
	{ HTTP_POST, "/api/v1/me/password", h_api_password, R_PASSWORD, 0 },
	{ HTTP_GET, "/account", h_account, 0, 0 },
	{ HTTP_POST, "/account/settings", h_account_settings, 0, 0 },
	{ HTTP_GET, "/account/password", h_password_form, R_PASSWORD, 0 },
	{ HTTP_POST, "/account/password", h_password_submit, R_PASSWORD, 0 },
};
ROUTES_END(account);

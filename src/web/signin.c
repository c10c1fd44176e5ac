/*
 * signin.c — signing in and out (page and API), the health check and the
 * language switch.
 *
 * The sign-in form is protected against login CSRF with a pre-session
 * token: a random cookie that the form must echo (double submit). The API
 * sign-in needs no token because it only accepts application/json, which
 * a foreign page cannot send without the browser asking us first.
 */
#include <sodium.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/role.h"
#include "auth/session.h"
#include "core/clock.h"
#include "core/html.h"
#include "core/str.h"
#include "web/dispatch.h"
#include "registry/institution.h"
#include "web/handlers.h"
#include "web/route.h"
#include "web/input.h"
#include "web/page.h"
#include "web/session_cache.h"
#include "web/widget.h"

/* Statements */
static const struct db_sql SQL_HEALTH_PING = DB_SQL("SELECT 1");

int h_health(struct req *req)
{
	int64_t one = 0;
	int ok = db_get_int(req->db, &one, &SQL_HEALTH_PING, NULL) == DB_ROW && one == 1;

	return resp_json(req, ok ? 200 : 503,
			 json_pack("{s:s, s:s}", "status", ok ? "ok" : "unavailable", "database",
				   ok ? "ok" : "unreachable"));
}

/* safe_next() accepts only a path on this site, else "/". */
static const char *safe_next(const char *next)
{
	return local_path_ok(next) ? next : "/";
}

/* ensure_pre_csrf() makes sure an anonymous visitor has a pre-session CSRF cookie. */
static void ensure_pre_csrf(struct req *req)
{
	unsigned char raw[24];
	char token[40];
	struct param *v;

	if (req_cookie(req, COOKIE_PRE_CSRF) != NULL)
		return;
	randombytes_buf(raw, sizeof(raw));
	b64url(token, sizeof(token), raw, sizeof(raw));
	resp_cookie(req, COOKIE_PRE_CSRF, arena_strdup(req->arena, token), -1);
	/* let this response's form use it as if it had arrived with the request */
	v = arena_alloc(req->arena, sizeof(*v) * (size_t)(req->cookies.n + 1));
	if (v == NULL)
		return;
	if (req->cookies.n > 0)
		memcpy(v, req->cookies.v, sizeof(*v) * (size_t)req->cookies.n);
	v[req->cookies.n].name = COOKIE_PRE_CSRF;
	v[req->cookies.n].value = arena_strdup(req->arena, token);
	req->cookies.v = v;
	req->cookies.n++;
}

static int login_page(struct req *req, int status, const char *login, const char *error)
{
	struct buf *b;
	const char *next = safe_next(req_form(req, "next") ? req_form(req, "next") : req_query(req, "next"));

	ensure_pre_csrf(req);
	b = page_begin(req, _("Sign in"));
	html_fmt(b, "<p class=\"lead\">%s</p>",
		 _("razem connects social assistance, the labour office and their partners around "
		   "the same families. Sign in with the account your institution gave you."));
	if (error != NULL)
		html_fmt(b, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" id=\"errors\"><p>%s</p></div>",
			 error);
	form_begin(b, req, "/login", "form narrow-form");
	html_fmt(b, "<input type=\"hidden\" name=\"next\" value=\"%s\">", next);
	field_input(b, "text", "login", _("Login"), login, NULL, W_REQUIRED | W_AUTOFOCUS, NULL,
		    "username");
	field_input(b, "password", "password", _("Password"), NULL, NULL, W_REQUIRED, NULL,
		    "current-password");
	button(b, _("Sign in"), "primary");
	form_end(b);
	if (req->app->demo)
		html_fmt(b, "<p class=\"hint\">%s</p>",
			 _("Demo accounts: admin, pracownik, doradca, opiekun, koordynator, analityk, "
			   "biuro — password: demo."));
	return page_end(req, status);
}

int h_login_form(struct req *req)
{
	if (req->sess != NULL)
		return resp_redirect(req, "/", NULL);
	return login_page(req, 200, NULL, NULL);
}

/*
 * A sign-in in progress: begun on the event loop, the password checked on
 * the password pool (req_suspend), finished back on the loop.
 */
struct attempt {
	struct sign_in s;
	struct throttle_rule rule, rule_addr;
	struct session_limits lim;
	const char *login; /* as typed, for the page */
	enum sign_in_result r;
};

/* attempt_new() prepares a sign-in for the page or the API; NULL when out of memory. */
static struct attempt *attempt_new(struct req *req, const char *login, const char *password)
{
	struct attempt *t = arena_zalloc(req->arena, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->rule.max_failures = req->app->cfg.login_max_failures;
	t->rule.window = req->app->cfg.login_window;
	t->rule.lock = req->app->cfg.login_lock;
	t->rule_addr = t->rule;
	t->rule_addr.max_failures = req->app->cfg.login_max_failures_address;
	t->lim.idle = req->app->cfg.session_idle;
	t->lim.max = req->app->cfg.session_max;
	t->login = login;
	t->s.login = login;
	t->s.password = password;
	t->s.ip = req->ip;
	t->s.user_agent = req->user_agent;
	t->s.throttle = &t->rule;
	t->s.throttle_addr = &t->rule_addr;
	t->s.limits = &t->lim;
	t->s.now = clock_now();
	return t;
}

/* verify_work() runs on the password pool. */
static void verify_work(void *arg)
{
	session_verify(&((struct attempt *)arg)->s);
}

/* resp_busy() answers when the password threads have no room: try again in a moment. */
int resp_busy(struct req *req)
{
	resp_header(req, "retry-after", "1");
	return resp_error(req, 503, "busy", _("Busy"),
			  _("The server is checking many passwords at once. Try again in a moment."));
}

/*
 * sign_in() begins the procedure for both the page and the API: a final
 * answer now (t->r set, returns 0) or the password check suspended
 * (returns HTTP_PENDING; then resume(req, t) gives the answer), or the
 * status of an error response already written.
 */
static int sign_in(struct req *req, struct attempt *t, int (*resume)(struct req *req, void *arg))
{
	t->r = session_sign_in_begin(req->db, req->arena, &t->s);
	if (t->r == SIGN_IN_BUSY)
		return resp_busy(req);
	if (t->r != SIGN_IN_VERIFY)
		return 0;
	if (req_suspend(req, verify_work, resume, t) != 0) {
		session_sign_in_cancel(req->db, &t->s);
		return resp_busy(req);
	}
	return HTTP_PENDING;
}

/* finish() completes the sign-in after the password check, on the request's own thread. */
static void finish(struct req *req, struct attempt *t)
{
	t->r = session_sign_in_finish(req->db, req->arena, &t->s);
}

static const char *retry_message(struct req *req, int64_t retry_at)
{
	int64_t minutes = (retry_at - clock_now() + 59) / 60;

	if (minutes < 1)
		minutes = 1;
	return arena_printf(req->arena,
			    i18n_ngettext("Too many failed attempts. Sign-in is locked; try again in "
					  "%lld minute or ask your administrator.",
					  "Too many failed attempts. Sign-in is locked; try again in "
					  "%lld minutes or ask your administrator.",
					  (unsigned long)minutes),
			    (long long)minutes);
}

/* login_answer() is the page's answer to a finished sign-in. */
static int login_answer(struct req *req, struct attempt *t)
{
	switch (t->r) {
	case SIGN_IN_OK:
		resp_cookie(req, COOKIE_SESSION, arena_strdup(req->arena, t->s.token),
			    req->app->cfg.session_max);
		resp_cookie(req, COOKIE_PRE_CSRF, "", 0);
		return resp_redirect(req, safe_next(req_form(req, "next")), NULL);
	case SIGN_IN_BAD:
		return login_page(req, 401, t->login,
				  _("Wrong login or password, or the account is not active."));
	case SIGN_IN_THROTTLED:
		return login_page(req, 429, t->login, retry_message(req, t->s.retry_at));
	default:
		return resp_server_error(req, "signing in");
	}
}

static int login_resume(struct req *req, void *arg)
{
	finish(req, arg);
	return login_answer(req, arg);
}

int h_login_submit(struct req *req)
{
	const char *login = req_form(req, "login"), *password = req_form(req, "password");
	struct attempt *t;
	int rc;

	if (login == NULL || str_empty(login) || password == NULL || password[0] == '\0')
		return login_page(req, 400, login, _("Enter your login and password."));
	t = attempt_new(req, login, password);
	if (t == NULL)
		return resp_oom(req);
	rc = sign_in(req, t, login_resume);
	return rc != 0 ? rc : login_answer(req, t);
}

/* end_session() ends the request's session and records it, atomically. */
static int end_session(struct req *req)
{
	struct audit_actor who;
	int rc;

	req_actor(req, &who);
	if (tx_begin(req) != 0)
		return -1;
	rc = session_end(req->db, req->sess->token_hash);
	if (rc == 0 && audit_write(req->db, &who, "session.logout", "session", NULL, NULL) != DB_OK)
		rc = -1;
	rc = tx_end(req, rc);
	if (rc == 0)
		session_cache_invalidate_session(req->sess->token_hash);
	return rc;
}

int h_logout(struct req *req)
{
	if (end_session(req) != 0)
		return resp_server_error(req, "ending the session");
	resp_cookie(req, COOKIE_SESSION, "", 0);
	req->sess = NULL;
	return resp_redirect(req, "/login", _("You have signed out."));
}

int h_language(struct req *req)
{
	const char *set = req_query(req, "set");
	int lang = i18n_parse(set);

	if (lang < 0)
		return resp_error(req, 400, "invalid_parameter", _("Bad request"),
				  _("Choose pl or en."));
	resp_cookie(req, COOKIE_LANG, i18n_code((enum lang)lang), 365 * 86400);
	return resp_redirect(req, safe_next(req_query(req, "next")), NULL);
}

/* ------------------------------------------------------------------ */
/* API                                                                 */
/* ------------------------------------------------------------------ */

/* me_json() describes the signed-in user; the institution's kind is read here, not carried. */
static json_t *me_json(struct req *req, const struct session *s)
{
	struct institution in;
	const char *kind = institution_get(req->db, req->arena, s->institution_id, &in) == 0 ? in.kind
											       : NULL;

	return json_pack("{s:I, s:s, s:s, s:{s:I, s:s, s:s?}, s:o, s:s?, s:b, s:s}", "id",
			 (json_int_t)s->user_id, "login", s->login, "full_name", s->full_name,
			 "institution", "id", (json_int_t)s->institution_id, "name", s->institution_name,
			 "kind", kind, "roles", roles_json(s->roles), "lang", s->lang,
			 "must_change_password", s->must_change_password, "csrf_token", s->csrf);
}

/* api_answer() is the API's answer to a finished sign-in. */
static int api_answer(struct req *req, struct attempt *t)
{
	struct session *sess;

	switch (t->r) {
	case SIGN_IN_OK:
		break;
	case SIGN_IN_BAD:
		return resp_api_error(req, 401, "invalid_credentials",
				      _("Wrong login or password, or the account is not active."), NULL);
	case SIGN_IN_THROTTLED: {
		char retry[24];

		snprintf(retry, sizeof(retry), "%lld", (long long)(t->s.retry_at - clock_now()));
		resp_header(req, "retry-after", arena_strdup(req->arena, retry));
		return resp_api_error(req, 429, "throttled", retry_message(req, t->s.retry_at), NULL);
	}
	default:
		return resp_server_error(req, "signing in");
	}
	sess = arena_zalloc(req->arena, sizeof(*sess));
	if (sess == NULL || session_lookup(req->db, req->arena, t->s.token, &t->lim, clock_now(), sess) != 0)
		return resp_server_error(req, "reading the new session");
	resp_cookie(req, COOKIE_SESSION, arena_strdup(req->arena, t->s.token), req->app->cfg.session_max);
	return resp_json(req, 200, json_pack("{s:o, s:s}", "user", me_json(req, sess), "csrf_token", sess->csrf));
}

static int api_resume(struct req *req, void *arg)
{
	finish(req, arg);
	return api_answer(req, arg);
}

int h_api_session_create(struct req *req)
{
	static const struct field fields[] = {
		/* as typed: user_login_normalise() trims it and refuses control characters */
		{ "login", N_("Login"), F_SECRET, F_REQUIRED, 0, 64 },
		{ "password", N_("Password"), F_SECRET, F_REQUIRED, 0, 256 },
	};
	struct input in[2];
	struct verrs v = VERRS_INIT;
	struct attempt *t;
	int rc;

	if (input_read(req, fields, 2, in, &v) > 0)
		return resp_api_verrs(req, &v);
	t = attempt_new(req, in[0].text, in[1].text);
	if (t == NULL)
		return resp_oom(req);
	rc = sign_in(req, t, api_resume);
	return rc != 0 ? rc : api_answer(req, t);
}

int h_api_session_delete(struct req *req)
{
	if (end_session(req) != 0)
		return resp_server_error(req, "ending the session");
	resp_cookie(req, COOKIE_SESSION, "", 0);
	return 204;
}

int h_api_me(struct req *req)
{
	struct policy_subject self = { POLICY_ACCOUNT, req->sess->user_id, req->sess->institution_id };
	struct policy_read rd;

	/* the data comes with the session; the policy still says whether it may be shown */
	req_policy_read(req, POLICY_ACCOUNT, PURPOSE_ADMINISTRATION, &rd);
	if (policy_decide(&rd.actor, &self, rd.purpose, &rd.decision) != 0)
		return resp_denied(req, &rd.decision);
	return resp_json(req, 200, me_json(req, req->sess));
}

ROUTES(signin) = {
	{ HTTP_GET, "/healthz", h_health, R_PUBLIC, 0 },
	{ HTTP_GET, "/login", h_login_form, R_PUBLIC, 0 },
	{ HTTP_POST, "/login", h_login_submit, R_PUBLIC | R_PRE_CSRF, 0 },
	{ HTTP_GET, "/language", h_language, R_PUBLIC, 0 },
	{ HTTP_POST, "/api/v1/session", h_api_session_create, R_PUBLIC | R_NO_CSRF, 0 },
	{ HTTP_POST, "/logout", h_logout, R_PASSWORD, 0 },
	{ HTTP_DELETE, "/api/v1/session", h_api_session_delete, R_PASSWORD, 0 },
	{ HTTP_GET, "/api/v1/me", h_api_me, R_PASSWORD, 0 },
};
ROUTES_END(signin);

/*
 * dispatch.c — everything a request goes through before its handler.
 *
 * Order matters: the session is looked up before the language is final
 * (a user's setting beats the browser's); sign-in is required before the
 * role check so anonymous users are sent to the sign-in page rather than
 * told they lack a role; bodies are decoded before the CSRF check because
 * a form carries its token in the body.
 */
#include "web/dispatch.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "audit/audit.h"
#include "audit/group.h"
#include "auth/role.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "web/assets.h"
#include "web/jsonbody.h"
#include "web/multipart.h"
#include "web/route.h"
#include "web/session_cache.h"

#define PURGE_EVERY 600 /* seconds between purges of dead sessions, per worker */

static __thread int64_t last_purge;
static __thread char dead_session[SESSION_HASH_LEN]; /* found ended: deleted after the read */

int csrf_equal(const char *a, const char *b)
{
	size_t n;

	if (a == NULL || b == NULL)
		return 0;
	n = strlen(a);
	if (n == 0 || n != strlen(b))
		return 0;
	return sodium_memcmp(a, b, n) == 0;
}

static int is_state_changing(enum http_method m)
{
	return m == HTTP_POST || m == HTTP_PUT || m == HTTP_PATCH || m == HTTP_DELETE;
}

/*
 * media_type_is() compares the media type of a Content-Type value with
 * type ("application/json"): case-insensitive (RFC 9110 8.3.1), parameters
 * after ';' ignored, and nothing else may follow ("application/jsonx" is not JSON).
 */
static int media_type_is(const char *ct, const char *type)
{
	size_t n = strlen(type);

	if (ct == NULL || strncasecmp(ct, type, n) != 0)
		return 0;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

static int starts_with(const char *s, const char *prefix)
{
	return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* find_session() sets req->sess from the session cookie; clears a dead cookie. */
static int find_session(struct req *req)
{
	const char *token = req_cookie(req, COOKIE_SESSION);
	struct session_limits lim = { req->app->cfg.session_idle, req->app->cfg.session_max };
	struct session *s;
	uint64_t seen;
	int rc;

	if (token == NULL)
		return 0;
	s = arena_zalloc(req->arena, sizeof(*s));
	if (s == NULL)
		return -1;
	if (strlen(token) == SESSION_TOKEN_LEN - 1) {
		session_hash_token(token, s->token_hash);
		if (session_cache_get(s->token_hash, req->arena, s)) {
			req->sess = s;
			return 0;
		}
	}
	seen = session_cache_epoch();
	rc = session_lookup(req->db, req->arena, token, &lim, clock_now(), s);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		session_cache_put(s, seen);
		req->sess = s;
		return 0;
	}
	if (s->dead)
		memcpy(dead_session, s->token_hash, sizeof(dead_session));
	resp_cookie(req, COOKIE_SESSION, "", 0);
	return 0;
}

static void purge_sessions(struct req *req)
{
	struct session_limits lim = { req->app->cfg.session_idle, req->app->cfg.session_max };
	int64_t now = clock_now();

	if (now - last_purge < PURGE_EVERY)
		return;
	last_purge = now;
	if (session_purge(req->db, &lim, now) < 0)
		log_warn("could not purge expired sessions: %s", db_errmsg(req->db));
}

static void decref_json(void *j)
{
	json_decref(j);
}

/* json_problem() describes a parse failure in the UI language. */
static const char *json_problem(enum jsonbody_kind k)
{
	switch (k) {
	case JB_EMPTY: return _("the body is empty; a JSON object is expected");
	case JB_TOO_LARGE: return _("the body is too large");
	case JB_TOO_DEEP: return _("the data is nested too deeply");
	case JB_TOO_MANY: return _("the data has too many values");
	case JB_NOT_OBJECT: return _("a JSON object {...} is expected at the top level");
	case JB_END: return _("the data ends too early (a bracket or quote is not closed)");
	case JB_TOKEN: return _("unexpected character or word");
	case JB_STRING: return _("invalid text string (a control character, a bad escape or invalid "
				 "UTF-8)");
	case JB_NUL: return _("the text contains a NUL character (\\u0000)");
	case JB_DUPLICATE: return _("a member name is repeated");
	case JB_NUMBER: return _("a number is out of range");
	case JB_GARBAGE: return _("there is more data after the JSON object");
	default: return _("the data is not valid JSON");
	}
}

/*
 * json_error() answers 400 for an unreadable JSON body: a sentence wholly
 * in the UI language, with jansson's own English text kept apart under
 * "detail" for the developer reading it.
 */
static int json_error(struct req *req, const struct jsonbody_error *je)
{
	const char *msg = je->line > 0
				  ? arena_printf(req->arena, _("Invalid JSON at line %d, column %d: %s."),
						 je->line, je->column, json_problem(je->kind))
				  : arena_printf(req->arena, _("Invalid JSON: %s."), json_problem(je->kind));
	json_t *j;

	if (msg == NULL)
		return resp_oom(req);
	if (!req->is_api)
		return resp_error(req, 400, "malformed_json", _("Malformed request"), msg);
	j = json_pack("{s:s, s:s, s:s}", "code", "malformed_json", "message", msg, "detail",
		      je->text);
	if (j != NULL && je->line > 0) {
		json_object_set_new(j, "line", json_integer(je->line));
		json_object_set_new(j, "column", json_integer(je->column));
	}
	if (j == NULL)
		return resp_oom(req);
	return resp_json(req, 400, j);
}

/* decode_body() fills req->form or req->json from the body by its content type. */
static int decode_body(struct req *req)
{
	const char *ct = req->content_type;
	struct params_limits lim = { (int)req->app->cfg.max_fields, 1024 * 1024 };

	if (req->body_len == 0)
		return 0;
	if (req->is_api && !media_type_is(ct, "application/json"))
		return resp_error(req, 415, "unsupported_media_type", _("Unsupported data"),
				  _("The API accepts request bodies as application/json only."));
	if (media_type_is(ct, "application/x-www-form-urlencoded")) {
		int rc = params_urlencoded(req->arena, req->body, req->body_len, &lim, &req->form);

		if (rc == PARAMS_OK)
			return 0;
		if (rc == PARAMS_NOMEM)
			return resp_server_error(req, "decoding a form");
		if (rc == PARAMS_TOO_MANY || rc == PARAMS_TOO_LONG)
			return resp_error(req, 413, "too_large", _("Form too large"),
					  _("The form has too many fields or a field is too long."));
		return resp_error(req, 400, "malformed_form", _("Malformed form"),
				  _("The form data could not be read (bad encoding)."));
	}
	if (media_type_is(ct, "application/json")) {
		struct jsonbody_limits jl = { (size_t)route_body_limit(req->route, &req->app->cfg), 32,
					      (size_t)req->app->cfg.max_fields * 4 };
		struct jsonbody_error je;

		if (jsonbody_parse(req->body, req->body_len, &jl, &req->json, &je) != 0)
			return json_error(req, &je);
		if (arena_defer(req->arena, decref_json, req->json) != 0) {
			req->json = NULL; /* already released by arena_defer */
			return resp_oom(req);
		}
		return 0;
	}
	if (media_type_is(ct, "multipart/form-data") && req->route->body_max == BODY_UPLOAD) {
		/* a file upload: its text fields become the form; the handler reads the file */
		int rc = multipart_form(req->arena, ct, req->body, req->body_len, &lim, &req->form);

		if (rc == PARAMS_OK)
			return 0;
		if (rc == PARAMS_NOMEM)
			return resp_server_error(req, "decoding an upload");
		return resp_error(req, 400, "malformed_form", _("Malformed form"),
				  _("The form data could not be read (bad encoding)."));
	}
	return resp_error(req, 415, "unsupported_media_type", _("Unsupported data"),
			  _("Send forms as application/x-www-form-urlencoded or API bodies as "
			    "application/json."));
}

static int check_csrf(struct req *req, const struct route *r)
{
	const char *given;

	if (r->flags & R_NO_CSRF) {
		if (!media_type_is(req->content_type, "application/json"))
			return resp_error(req, 415, "unsupported_media_type", _("Unsupported data"),
					  _("This call accepts application/json only."));
		return 0;
	}
	if (r->flags & R_PRE_CSRF) {
		if (csrf_equal(req_form(req, CSRF_FIELD), req_cookie(req, COOKIE_PRE_CSRF)))
			return 0;
	} else {
		given = req->is_api ? req_header(req, CSRF_HEADER) : req_form(req, CSRF_FIELD);
		if (req->sess != NULL && csrf_equal(given, req->sess->csrf))
			return 0;
	}
	if (req->is_api)
		return resp_error(req, 403, "csrf", _("Missing or wrong CSRF token"),
				  _("State-changing calls need the X-CSRF-Token header with the token "
				    "returned at sign-in (POST /api/v1/session or GET /api/v1/me)."));
	return resp_error(req, 403, "csrf",
			  _("The form has expired"),
			  _("For your safety the form could not be accepted (missing or outdated "
			    "security token). Go back, reload the page and try again."));
}

/* role_denied() explains which roles open a page the user cannot see. */
static int role_denied(struct req *req, const struct route *r)
{
	const char *msg = arena_printf(req->arena,
			   req->is_api ? _("Your account does not have a role that may make this call. "
					   "It is available to: %s.")
				       : _("Your account does not have a role that may open this page. It is "
					   "available to: %s. If you need it for your work, ask your "
					   "institution's administrator to add the role to your account."),
			   role_set_labels(req->arena, r->roles));

	return resp_error(req, 403, "forbidden", _("No access"), msg);
}

static void read_flash(struct req *req)
{
	const char *f = req_cookie(req, COOKIE_FLASH);
	char *d;
	long n;

	if (f == NULL || f[0] == '\0')
		return;
	d = arena_strdup(req->arena, f);
	if (d == NULL)
		return;
	n = url_decode(d, strlen(d), 0);
	if (n > 0 && utf8_valid(d, (size_t)n))
		req->flash = d;
	resp_cookie(req, COOKIE_FLASH, "", 0);
}

/*
 * route_checks() does what every route needs before its handler: session,
 * language, sign-in, password-change gate, role, body and CSRF. Returns 0
 * to go on, or the status of the response it has written.
 */
static int route_checks(struct req *req, const struct route *r)
{
	int rc, lang;

	if (find_session(req) != 0)
		return resp_server_error(req, "looking up the session");
	if (req->sess != NULL && req->sess->lang != NULL && (lang = i18n_parse(req->sess->lang)) >= 0) {
		req->lang = (enum lang)lang;
		i18n_set_lang(req->lang);
	}
	if (!(r->flags & R_PUBLIC) && req->sess == NULL) {
		if (req->is_api)
			return resp_api_error(req, 401, "unauthenticated",
					      _("Sign in first (POST /api/v1/session)."), NULL);
		if (req->method == HTTP_GET || req->method == HTTP_HEAD) {
			struct buf loc = BUF_INIT(4096);
			const char *to;

			buf_adds(&loc, "/login?next=");
			url_encode(&loc, req_url_edit(req, NULL, NULL, 0));
			to = arena_strdup(req->arena, buf_str(&loc));
			buf_release(&loc);
			return resp_redirect(req, to != NULL ? to : "/login", NULL);
		}
		return resp_redirect(req, "/login", _("Your session has ended. Sign in again."));
	}
	if (req->sess != NULL && req->sess->must_change_password && !(r->flags & (R_PASSWORD | R_PUBLIC))) {
		if (req->is_api)
			return resp_api_error(req, 403, "password_change_required",
					      _("Set a new password before doing anything else."), NULL);
		return resp_redirect(req, "/account/password", NULL);
	}
	if (r->roles != 0 && (req->sess == NULL || (req->sess->roles & r->roles) == 0))
		return role_denied(req, r);
	if (is_state_changing(req->method)) {
		rc = decode_body(req);
		if (rc != 0)
			return rc;
		rc = check_csrf(req, r);
		if (rc != 0)
			return rc;
	}
	if (!req->is_api)
		read_flash(req);
	return 0;
}

/*
 * write_audit_reads() writes the reads the domain recorded in the
 * request's read log, in one write transaction of their own. Returns 0 or -1.
 */
static int write_audit_reads(struct req *req)
{
	struct audit_actor who;

	req_actor(req, &who);
	return audit_reads_flush(req->db, &who, &req->reads);
}

/*
 * touch_session() records the session's last use after the page's read
 * transaction, in a short write of its own (at most once a minute per
 * session, see session_lookup), and deletes a session found ended: a
 * write inside the read transaction would hold the row's lock for the
 * whole page and could abort it on PostgreSQL. Best effort: a failure only
 * delays idle expiry or the purge.
 */
static void touch_session(struct req *req)
{
	if (dead_session[0] != '\0') {
		if (session_end(req->db, dead_session) != 0)
			log_warn("could not delete an ended session: %s", db_errmsg(req->db));
		dead_session[0] = '\0';
	}
	if (req->sess == NULL || !req->sess->touch)
		return;
	req->sess->touch = 0;
	if (session_touch(req->db, req->sess->token_hash, clock_now()) != 0)
		log_warn("could not record the session's last use: %s", db_errmsg(req->db));
}

/* A request waiting for the audit committer to write its read log. */
struct reads_wait {
	struct audit_group_job job;
	struct req_waiter *waiter;
	int status; /* the handler's, sent once the rows are committed */
};

/* reads_written() runs on the committer thread: wake the request. */
static void reads_written(struct audit_group_job *j)
{
	struct reads_wait *rw = (struct reads_wait *)(void *)j;

	req_wake(rw->waiter);
}

/* reads_resume() runs on the request's thread again: its data may go out only if the rows are in. */
static int reads_resume(struct req *req, void *arg)
{
	struct reads_wait *rw = arg;

	if (rw->job.rc != 0)
		return resp_server_error(req, "writing the audit log");
	return rw->status;
}

/*
 * finish_reads() sees that the request's read log is committed before its
 * response (status, already built) may leave. In the server the log goes
 * to the audit committer (audit/group.h), which writes many requests' rows
 * in one transaction, and the request waits (HTTP_PENDING; reads_resume()
 * then answers); elsewhere, or when the request cannot wait, it is written
 * here. Either way, rows that could not be written replace the response
 * with an error: the data is never shown unrecorded.
 */
static int finish_reads(struct req *req, int status)
{
	struct reads_wait *rw;

	if (req->reads.n == 0)
		return status;
	if (audit_group_running() && (rw = arena_zalloc(req->arena, sizeof(*rw))) != NULL &&
	    (rw->waiter = req_wait(req, reads_resume, rw)) != NULL) {
		req_actor(req, &rw->job.who);
		rw->job.reads = req->reads;
		rw->job.done = reads_written;
		rw->status = status;
		/* this loop's own batch (SQLite), else the committer thread */
		if (audit_group_defer(&rw->job) == 0 || audit_group_submit(&rw->job) == 0) {
			req->reads.n = 0; /* the committer's now */
			return HTTP_PENDING;
		}
		req_wait_cancel(rw->waiter);
		req->reads.n = 0;
		buf_reset(&req->out); /* the data read is not shown */
		req->nheaders = 0;
		resp_header(req, "retry-after", "1");
		return resp_error(req, 503, "busy", _("Busy"),
				  _("The server is recording many reads of personal data at once. Try "
				    "again in a moment."));
	}
	if (write_audit_reads(req) != 0)
		return resp_server_error(req, "writing the audit log");
	return status;
}

int dispatch_resume(struct req *req, int (*resume)(struct req *req, void *arg), void *arg)
{
	int status;

	i18n_set_lang(req->lang);
	status = resume(req, arg);
	if (status == HTTP_PENDING)
		return status;
	return finish_reads(req, status);
}

/*
 * serve() runs the route for a request, GET and HEAD inside one read
 * transaction (a consistent page, and far fewer locks on SQLite), then
 * writes the audit rows of what was read.
 */
static int serve(struct req *req, const struct route *r)
{
	int reading = req->method == HTTP_GET || req->method == HTTP_HEAD;
	int status;

	if (reading && db_begin_read(req->db) != 0)
		return resp_server_error(req, "starting a read transaction");
	status = route_checks(req, r);
	if (status == 0)
		status = r->handler(req);
	if (reading && db_commit(req->db) != 0)
		return resp_server_error(req, "ending a read transaction");
	if (!reading && status > 0 && status < 400)
		fragment_cache_invalidate(); /* a change shows on this server's start pages at once */
	touch_session(req);
	if (status == HTTP_PENDING)
		return status; /* dispatch_resume() finishes it */
	purge_sessions(req);
	return finish_reads(req, status);
}

int dispatch(struct req *req)
{
	const struct route *r;
	int known;

	req->is_api = starts_with(req->path, "/api/");
	i18n_set_lang(req->lang);
	if (starts_with(req->path, "/static/"))
		return assets_serve(req);
	r = route_find(req->method, req->path, &req->params, &known);
	if (r == NULL) {
		if (known)
			return resp_error(req, 405, "method_not_allowed", _("Not allowed"),
					  _("This address does not accept this kind of request."));
		return resp_error(req, 404, "not_found", _("Page not found"),
				  _("There is no page at this address. Check the address or go back "
				    "to the start page."));
	}
	req->route = r;
	req->id = req_param_int(req, "id");
	/*
	 * The route's body limit is checked before the session, the role or
	 * a byte of the body is looked at, so an anonymous client cannot make
	 * the server parse a large body.
	 */
	if ((int64_t)req->body_len > route_body_limit(r, &req->app->cfg))
		return resp_too_large(req, route_body_limit(r, &req->app->cfg));
	return serve(req, r);
}

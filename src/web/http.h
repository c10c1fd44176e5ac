/*
 * http.h — the request and response as handlers see them.
 *
 * Handlers never touch H2O: web/server.c decodes each request into a
 * struct req (method, path, typed query and form values, cookies, the
 * signed-in session, the language) and sends what the handler left in
 * req->out. Everything a handler allocates comes from req->arena and is
 * freed when the response has been sent.
 *
 * Handler contract: read typed input, call one domain function, render;
 * return the HTTP status. Pages are HTML; paths under /api/ answer JSON.
 */
#ifndef RAZEM_WEB_HTTP_H
#define RAZEM_WEB_HTTP_H

#include <jansson.h>
#include <stdint.h>

#include "audit/audit.h"
#include "auth/session.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/verr.h"
#include "db/db.h"
#include "policy/policy.h"
#include "web/params.h"

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_PUT, HTTP_PATCH, HTTP_DELETE, HTTP_OTHER };

/* Shared, read-only state of the running server. */
struct app {
	struct config cfg;      /* settings */
	int demo;               /* the database is a demonstration database */
	int tls;                /* serving HTTPS directly */
	const char *version;    /* program version */
	const char *db_describe;/* database shown in logs (password masked) */
};

#define RESP_MAX_HEADERS 16

#define REQ_MAX_PARAMS 4  /* typed segments in one route pattern */
#define REQ_PARAM_MAX 64  /* longest segment value ({name:slug}) */

/* Typed path parameters of the matched route (copied, so no allocation). */
struct req_params {
	int n;
	const char *name[REQ_MAX_PARAMS];     /* names from the pattern */
	int64_t num[REQ_MAX_PARAMS];          /* value of an int segment, 0 otherwise */
	char text[REQ_MAX_PARAMS][REQ_PARAM_MAX + 1]; /* the segment as written */
};

struct route;

struct resp_header {
	const char *name;  /* e.g. "Set-Cookie" */
	const char *value;
};

struct req {
	/* set by the server */
	void *native;            /* the server's own request object */
	void *native_ctx;        /* the server's bookkeeping for it (req_suspend) */
	const char *(*header_of)(const struct req *req, const char *name); /* header lookup */
	const struct app *app;   /* configuration */
	struct db *db;           /* this worker's connection */
	struct arena *arena;     /* freed after the response */
	enum http_method method; /* HEAD is served as GET without a body */
	const char *path;        /* decoded path, without the query */
	struct params query;     /* query string fields */
	struct params form;      /* urlencoded body fields (POST forms) */
	json_t *json;            /* JSON body object (API), or NULL */
	struct params cookies;   /* request cookies */
	const char *ip;          /* client address */
	const char *user_agent;  /* may be NULL */
	const char *content_type;/* may be NULL */
	const char *body;        /* raw body (for uploads), body_len bytes */
	size_t body_len;
	int secure;              /* the client sees https */
	int is_api;              /* path under /api/ */
	struct session *sess;    /* the signed-in user, or NULL */
	enum lang lang;          /* UI language of this request */
	int64_t id;              /* {id} from the route pattern, 0 if none */
	struct req_params params;/* typed path parameters (req_param) */
	const struct route *route; /* the matched route, or NULL */
	const char *flash;       /* message carried over a redirect, or NULL */

	/* reads of personal data recorded by the domain, written before the response goes out */
	struct audit_reads reads;

	/* filled by the handler */
	const char *crumb_href[8];  /* breadcrumbs (page_crumb) */
	const char *crumb_label[8];
	int ncrumbs;
	struct buf out;          /* response body */
	const char *out_type;    /* Content-Type; NULL = text/html; charset=utf-8 */
	struct resp_header headers[RESP_MAX_HEADERS];
	int nheaders;
	int cacheable;           /* 1 = may be cached (static assets); 2 = kept but revalidated (ETag) */
	int refresh;             /* seconds after which the page reloads itself (meta refresh); 0 = never */
	const char *out_file;    /* a file sent as the body instead of out, streamed in chunks (job results) */
	struct list_sink *export_sink; /* set by a job: a list export goes into this file (web/list.c) */
};

/* ------------------------------------------------------------------ */
/* Input                                                               */
/* ------------------------------------------------------------------ */

/* req_query() / req_form() return a decoded field, or NULL. */
const char *req_query(const struct req *req, const char *name);
const char *req_form(const struct req *req, const char *name);
const char *req_cookie(const struct req *req, const char *name);

/*
 * req_param() returns the path parameter called name ("code" for
 * "{code:terc}") as written, or NULL; req_param_int() returns an {x:int}
 * parameter's value, or 0 when there is none.
 */
const char *req_param(const struct req *req, const char *name);
int64_t req_param_int(const struct req *req, const char *name);

/* req_header() returns a request header (case-insensitive name) or NULL. */
const char *req_header(const struct req *req, const char *name);

/* req_has_role() is true when the signed-in user holds any role in mask. */
int req_has_role(const struct req *req, unsigned mask);

/* The audit actor for this request (the signed-in user and the address). */
struct audit_actor;
void req_actor(const struct req *req, struct audit_actor *who);

/* req_policy_read() prepares a read under the access policy by the signed-in user. */
void req_policy_read(struct req *req, enum policy_kind kind, enum policy_purpose purpose,
		     struct policy_read *out);

/*
 * tx_begin() opens the transaction that a change and its audit row share;
 * tx_end() commits it when rc is 0 and rolls it back otherwise. tx_end()
 * returns rc, or -1 when the commit itself failed.
 */
int tx_begin(struct req *req);
int tx_end(struct req *req, int rc);

/*
 * tx_audit() ends the transaction of a change: when rc is 0 it writes the
 * audit row (action on entity id, with detail) and commits; otherwise it
 * rolls back. Returns rc, or -1 when the audit row or the commit failed
 * (then nothing was changed).
 */
int tx_audit(struct req *req, int rc, const char *action, const char *entity, int64_t id,
	     const char *detail);

/*
 * req_audit_read() records that this request reads personal data (action
 * like "user.read" on entity id, with detail). GET requests run inside one
 * read transaction, so the row is written just after it, before the
 * response leaves; if it cannot be written the client gets an error
 * instead of the data. Strings must live as long as the request. Returns
 * 0, or -1 when too many reads are queued (the caller should fail).
 */
int req_audit_read(struct req *req, const char *action, const char *entity, const char *entity_id,
		   const char *detail);

/*
 * Slow work off the event loop. A handler that must wait for a password
 * check calls req_suspend() and returns HTTP_PENDING. work(arg) then runs
 * on the password pool (auth/pwpool.h: no database, no thread-local
 * state); afterwards resume(req, arg) runs back on this request's own
 * worker thread, with its database connection and language, and returns
 * a status like a handler (or HTTP_PENDING again after another
 * req_suspend()); that response is sent. arg and everything in the
 * request's arena stay valid until then. When the client has gone away
 * meanwhile, resume still runs (the attempt is recorded like any other)
 * but nothing is sent, and request headers read as absent. Returns 0, or
 * -1 when the pool is full or stopping (answer at once: resp_busy()).
 */
#define HTTP_PENDING 1
int req_suspend(struct req *req, void (*work)(void *arg), int (*resume)(struct req *req, void *arg),
		void *arg);

/*
 * The general form, for work done by another thread of the process (the
 * audit committer, audit/group.h): req_wait() parks the request (call it
 * on the request's thread, then hand the waiter to the other thread and
 * return HTTP_PENDING); req_wake(), from any thread and once, posts it
 * back to its worker's loop, where resume(req, arg) runs as above.
 * req_wait_cancel() undoes a req_wait() that will never be woken (the
 * hand-over failed), on the request's thread. req_wait() returns NULL
 * when the request cannot wait (no server: the command line and tests;
 * already waiting; out of memory): do the work in place.
 */
struct req_waiter;
struct req_waiter *req_wait(struct req *req, int (*resume)(struct req *req, void *arg), void *arg);
void req_wake(struct req_waiter *w);
void req_wait_cancel(struct req_waiter *w);

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

/*
 * resp_denied() answers a read the access policy refused: 403 with the
 * decision's code and reason, or 404 when the decision conceals the
 * record's existence.
 */
int resp_denied(struct req *req, const struct policy_decision *d);

/* resp_header() adds a response header (both strings must outlive the request). */
void resp_header(struct req *req, const char *name, const char *value);

/*
 * resp_cookie() sets a cookie on path "/" with HttpOnly and
 * SameSite=Strict (Secure when the client uses HTTPS). max_age < 0 makes
 * a session cookie, 0 deletes it.
 */
void resp_cookie(struct req *req, const char *name, const char *value, int64_t max_age);

/*
 * local_path_ok() is 1 when p is a path on this site that no browser reads
 * as another host: it starts with one '/', and has no '\\' and no control
 * characters. Redirect targets taken from requests must pass it.
 */
int local_path_ok(const char *p);

/*
 * resp_redirect() answers 303 See Other to location (a path on this site)
 * and, with flash non-NULL, carries that message to the next page.
 * Returns 303.
 */
int resp_redirect(struct req *req, const char *location, const char *flash);

/* resp_json() writes j (consumed) as the response body. Returns status. */
int resp_json(struct req *req, int status, json_t *j);

/*
 * resp_json_written() finishes a body written into req->out with w
 * (core/jsonw.h): status, or a server error if w failed.
 */
struct jsonw;
int resp_json_written(struct req *req, int status, const struct jsonw *w);

/*
 * resp_api_error() answers {"code":…, "message":…, "field":…} (field may
 * be NULL). Returns status.
 */
int resp_api_error(struct req *req, int status, const char *code, const char *message,
		   const char *field);

/*
 * resp_api_verrs() answers 422 with the first error as code/message/field
 * and all of them under "errors". Returns 422.
 */
int resp_api_verrs(struct req *req, const struct verrs *v);

/*
 * resp_error() answers an error in the form the client expects: an HTML
 * page with title and message, or the JSON object with code. Returns status.
 */
int resp_error(struct req *req, int status, const char *code, const char *title,
	       const char *message);

/* roles_json() is the JSON array of role codes of a set, for API answers. */
json_t *roles_json(unsigned roles);

/* resp_server_error() logs what failed and answers 500. */
int resp_server_error(struct req *req, const char *what);

/* resp_too_large() answers 413 too_large for a body over limit bytes. */
int resp_too_large(struct req *req, int64_t limit);

/*
 * resp_finish() is called with the handler's status before sending: a
 * response that overflowed req->out (req->out.failed) is logged and
 * replaced by a 503 error in the client's form. Returns the status to send.
 */
int resp_finish(struct req *req, int status);

/* resp_oom() answers 503 when the request ran out of memory (plain text, nothing allocated). */
int resp_oom(struct req *req);

/* ------------------------------------------------------------------ */
/* Helpers for rendering                                               */
/* ------------------------------------------------------------------ */

/*
 * req_url_edit() returns the current path and query with keys[i] set to
 * values[i] (NULL removes the key); req_url_with() changes one key.
 */
const char *req_url_edit(struct req *req, const char *const *keys, const char *const *values,
			 int n);
const char *req_url_with(struct req *req, const char *key, const char *value);

/* http_method_name() is "GET", "POST", ... */
const char *http_method_name(enum http_method m);

/* fmt_int() groups digits for the UI language: "12 345" (pl), "12,345" (en); into arena. */
const char *fmt_int(struct req *req, int64_t v);

/* fmt_time() shows a stored UTC timestamp in local time (arena); "" for NULL. */
const char *fmt_time(struct req *req, const char *iso);

#endif

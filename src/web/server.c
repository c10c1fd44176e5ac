/*
 * server.c — the HTTP server: H2O used as a library, one event loop per
 * worker thread, each with its own listening socket on the shared port
 * (SO_REUSEPORT, so the kernel spreads connections) and its own database
 * connection. Handlers run to completion inside the loop; the response
 * body lives in the request's arena until H2O has sent it.
 *
 * Shutdown: SIGINT/SIGTERM stop accepting, ask H2O to close idle
 * connections, wait for requests in flight to finish (at most
 * SHUTDOWN_WAIT_MS), then the loops end and the databases close.
 *
 * This is the only file that includes H2O; its one piece of mutable
 * global state is the struct server below.
 */
#include "web/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <h2o.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "audit/group.h"
#include "auth/pwpool.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "web/assets.h"
#include "web/dispatch.h"
#include "web/handlers.h"
#include "web/route.h"
#include "web/session_cache.h"

#define ARENA_LIMIT (256u * 1024u * 1024u) /* per request */
#define OUT_FIRST (16u * 1024u - 1)          /* room made for a response before it is written */
#define OUT_MAX (64u * 1024u * 1024u)      /* page size limit (exports raise it) */
#define SHUTDOWN_WAIT_MS 10000
#define SHUTDOWN_IDLE_MS 1000 /* a connection silent this long at shutdown is closed */
#define LOOP_TICK_MS 100
#define TOO_LARGE_PATH "/.razem/too-large" /* where H2O's own 413 is redirected internally */
#define BODY_MMAP_THRESHOLD (1u * 1024u * 1024u) /* larger socket buffers go to a temp file */
#define POOL_QUEUE 256 /* password checks waiting for a pool thread; more are answered 503 */
#define AUDIT_BATCH 512   /* requests whose read rows are committed in one transaction, at most */
#define AUDIT_QUEUE 8192  /* requests waiting for the audit committer; more are answered 503 */

struct worker {
	int index;                  /* 0.. */
	pthread_t thread;           /* its thread */
	h2o_context_t ctx;          /* H2O per-thread context */
	h2o_accept_ctx_t accept_ctx;/* how accepted sockets are handled */
	int fd;                     /* listening socket */
	h2o_socket_t *listener;     /* the same, in the event loop */
	struct db *db;              /* database connection of this thread */
	long in_flight;             /* requests whose response is not yet sent */
	h2o_multithread_receiver_t resumes; /* woken requests (struct pending) */
	h2o_timeout_entry_t audit_flush;    /* on the zero timeout while read logs wait (SQLite) */
};

static struct {
	const struct app *app;          /* settings */
	h2o_globalconf_t config;        /* H2O global configuration */
	h2o_logconf_t *log;             /* access log format, or NULL: no access log */
	int log_fd;                     /* its file */
	SSL_CTX *ssl;                   /* TLS, or NULL */
	struct worker *workers;         /* one per thread */
	int nworkers;
	atomic_int stopping;            /* set by the signal thread */
	struct sockaddr_storage addr;   /* where we listen */
	socklen_t addrlen;
} server;

/* ------------------------------------------------------------------ */
/* Request handling                                                    */
/* ------------------------------------------------------------------ */

struct pending;

static _Thread_local struct worker *this_worker; /* the worker whose loop runs on this thread, or NULL */
static void resume_pending(struct pending *p);

struct request_ctx {
	struct arena *arena;     /* the request's arena */
	struct worker *w;        /* for the in-flight count */
	h2o_req_t *h;            /* the H2O request */
	struct req *req;         /* ours */
	struct pending *pending; /* suspended in req_suspend(), or NULL */
};

/*
 * A request waiting for the password pool or the audit committer
 * (req_wait()). It is malloc'd, not in the
 * request's memory: H2O may dispose the request meanwhile (an HTTP/2
 * stream reset, a connection closed), and then the pending keeps the
 * arena (which the pool thread may still be reading) until the work is
 * done, and the request still counts as in flight for the shutdown.
 */
struct pending {
	h2o_multithread_message_t msg; /* posted to the worker's loop when the work is done */
	struct pwpool_job job;
	struct worker *w;
	struct request_ctx *rc;        /* NULL once H2O has disposed the request */
	struct arena *arena;
	struct req *req;
	int (*resume)(struct req *req, void *arg);
	void *arg;
};

/* release_request() runs when H2O frees the request's memory pool: the response is done. */
static void release_request(void *p)
{
	struct request_ctx *rc = p;

	if (rc->pending != NULL) {
		/* gone while waiting: the pending frees the arena when the work is done */
		rc->pending->rc = NULL;
		return;
	}
	rc->w->in_flight--;
	arena_free(rc->arena);
}

static void free_buf(void *p)
{
	buf_release(p);
}

static const char *header_of(const struct req *req, const char *name)
{
	h2o_req_t *h = req->native;
	size_t n = strlen(name), i;

	if (h == NULL) /* disposed while suspended */
		return NULL;
	for (i = 0; i < h->headers.size; i++) {
		const h2o_header_t *hd = &h->headers.entries[i];

		if (hd->name->len == n && h2o_lcstris(hd->name->base, n, name, n))
			return arena_strndup(req->arena, hd->value.base, hd->value.len);
	}
	return NULL;
}

static enum http_method method_of(h2o_iovec_t m)
{
	static const struct {
		const char *name;
		enum http_method m;
	} map[] = {
		{ "GET", HTTP_GET }, { "HEAD", HTTP_HEAD }, { "POST", HTTP_POST },
		{ "PUT", HTTP_PUT }, { "PATCH", HTTP_PATCH }, { "DELETE", HTTP_DELETE },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (h2o_memis(m.base, m.len, map[i].name, strlen(map[i].name)))
			return map[i].m;
	return HTTP_OTHER;
}

/* is_ip() is true for a numeric IPv4 or IPv6 address (what a proxy appends). */
static int is_ip(const char *s)
{
	unsigned char b[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, s, b) == 1 || inet_pton(AF_INET6, s, b) == 1;
}

/* last_header() is the value of the last header line called name (lower case), or NULL. */
static const char *last_header(struct req *req, h2o_req_t *h, const char *name)
{
	size_t n = strlen(name), i;

	for (i = h->headers.size; i-- > 0;) {
		const h2o_header_t *hd = &h->headers.entries[i];

		if (hd->name->len == n && h2o_lcstris(hd->name->base, n, name, n))
			return arena_strndup(req->arena, hd->value.base, hd->value.len);
	}
	return NULL;
}

/*
 * client_address() is the peer address or, behind a trusted proxy, the
 * last entry of the last X-Forwarded-For line: the one our proxy appended.
 * Entries to its left, and earlier lines, came from the client and prove
 * nothing.
 */
static const char *client_address(struct req *req, h2o_req_t *h)
{
	struct sockaddr_storage ss;
	socklen_t len = h->conn->callbacks->get_peername(h->conn, (struct sockaddr *)&ss);
	char host[NI_MAXHOST];

	if (req->app->cfg.trust_proxy) {
		char *a = (char *)last_header(req, h, "x-forwarded-for");

		if (a != NULL) {
			char *last = strrchr(a, ',');

			a = str_trim(last != NULL ? last + 1 : a);
			if (is_ip(a))
				return a;
		}
	}
	if (len == 0 || getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), NULL, 0,
				    NI_NUMERICHOST) != 0)
		return "-";
	return arena_strdup(req->arena, host);
}

/* fill_request() turns the H2O request into a struct req; returns 0 or an HTTP status. */
static int fill_request(struct req *req, h2o_req_t *h)
{
	struct params_limits lim = { (int)req->app->cfg.max_fields, 64 * 1024 };
	struct params_limits clim = { 64, 4096 };
	const char *cookie, *al, *proto;
	char *path;
	size_t plen = h->path_normalized.len;

	req->native = h;
	req->header_of = header_of;
	req->method = method_of(h->method);
	path = arena_strndup(req->arena, h->path_normalized.base, plen);
	if (path == NULL)
		return 503;
	if (!utf8_valid(path, plen))
		return 400;
	req->path = path;
	if (h->query_at != SIZE_MAX) {
		const char *q = h->path.base + h->query_at + 1;
		size_t qlen = h->path.len - h->query_at - 1;
		int rc = params_urlencoded(req->arena, q, qlen, &lim, &req->query);

		if (rc == PARAMS_TOO_MANY || rc == PARAMS_TOO_LONG)
			return 414;
		if (rc != PARAMS_OK)
			return 400;
	}
	cookie = header_of(req, "cookie");
	if (cookie != NULL && params_cookies(req->arena, cookie, strlen(cookie), &clim, &req->cookies) ==
				      PARAMS_NOMEM)
		return 503;
	req->ip = client_address(req, h);
	req->user_agent = header_of(req, "user-agent");
	req->content_type = header_of(req, "content-type");
	req->body = h->entity.base;
	req->body_len = h->entity.base != NULL ? h->entity.len : 0;
	proto = req->app->cfg.trust_proxy ? header_of(req, "x-forwarded-proto") : NULL;
	req->secure = req->app->cfg.secure_cookies == SECURE_ALWAYS ||
		      (req->app->cfg.secure_cookies == SECURE_AUTO &&
		       (req->app->tls || (proto != NULL && strcmp(proto, "https") == 0)));
	al = header_of(req, "accept-language");
	req->lang = i18n_from_accept_language(al, al != NULL ? strlen(al) : 0);
	{
		const char *lc = req_cookie(req, COOKIE_LANG);
		int l = lc != NULL ? i18n_parse(lc) : -1;

		if (l >= 0)
			req->lang = (enum lang)l;
	}
	return 0;
}

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return status >= 500 ? "Internal Server Error" : "OK";
	}
}

/* ------------------------------------------------------------------ */
/* Access log                                                          */
/* ------------------------------------------------------------------ */

/*
 * The access log is written in batches: each worker thread collects its
 * lines (formatted and escaped by H2O's log format) and writes them in one
 * call when ACCESS_BUF fills or ACCESS_FLUSH_MS have passed, and when the
 * worker ends. A line per write(2) cost a system call per request — a
 * measured share of a signed-in page. A crash loses at most the last
 * ACCESS_FLUSH_MS of lines; errors still go to the error log at once.
 * Each write is one append of whole lines, so threads never interleave.
 */
#define ACCESS_BUF (64u * 1024u)
#define ACCESS_FLUSH_MS 200

struct access_buf {
	size_t len;
	int64_t flushed_ms; /* monotonic time of the last write */
	char data[ACCESS_BUF];
};

static __thread struct access_buf *access_buf;

static void write_all(int fd, const char *p, size_t n)
{
	static atomic_int warned;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (atomic_exchange(&warned, 1) == 0)
				log_warn("cannot write the access log: %s", strerror(errno));
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

/* access_flush() writes this thread's collected lines. */
static void access_flush(void)
{
	struct access_buf *b = access_buf;

	if (b == NULL || b->len == 0)
		return;
	write_all(server.log_fd, b->data, b->len);
	b->len = 0;
	b->flushed_ms = clock_ms();
}

/* access_flush_due() writes the lines when the buffer has waited long enough. */
static void access_flush_due(void)
{
	if (access_buf != NULL && access_buf->len > 0 &&
	    clock_ms() - access_buf->flushed_ms >= ACCESS_FLUSH_MS)
		access_flush();
}

static void access_release(void)
{
	access_flush();
	free(access_buf);
	access_buf = NULL;
}

static void on_access_log(h2o_logger_t *self, h2o_req_t *h)
{
	char local[4096];
	size_t len = sizeof(local);
	char *line;

	(void)self;
	if (access_buf == NULL) {
		access_buf = calloc(1, sizeof(*access_buf));
		if (access_buf == NULL)
			return;
		access_buf->flushed_ms = clock_ms();
	}
	line = h2o_log_request(server.log, h, &len, local);
	if (line == NULL)
		return;
	if (access_buf->len + len > ACCESS_BUF)
		access_flush();
	if (len > ACCESS_BUF)
		write_all(server.log_fd, line, len);
	else {
		memcpy(access_buf->data + access_buf->len, line, len);
		access_buf->len += len;
	}
	if (line != local)
		free(line);
}

/* open_access_log() compiles the format and opens the file named by the access_log setting. */
static int open_access_log(const char *setting, h2o_pathconf_t *path)
{
	char errbuf[256];
	h2o_logger_t *logger;

	server.log = NULL;
	if (strcmp(setting, "off") == 0)
		return 0;
	if (strcmp(setting, "-") == 0)
		server.log_fd = STDERR_FILENO;
	else
		server.log_fd = open(setting, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (server.log_fd < 0)
		return -1;
	server.log = h2o_logconf_compile("%h %l %u %t \"%r\" %s %b %{duration}x \"%{user-agent}i\"",
					 H2O_LOGCONF_ESCAPE_APACHE, errbuf);
	if (server.log == NULL)
		return -1;
	logger = h2o_create_logger(path, sizeof(*logger));
	logger->log_access = on_access_log;
	return 0;
}

static void add_header(h2o_req_t *h, const char *name, const char *value)
{
	h2o_add_header_by_str(&h->pool, &h->res.headers, name, strlen(name), 1, NULL, value,
			      strlen(value));
}

/* add_token() adds a header H2O knows by token: no name look-up, no copy. */
static void add_token(h2o_req_t *h, const h2o_token_t *token, const char *value, size_t len)
{
	h2o_add_header(&h->pool, &h->res.headers, token, NULL, value, len);
}

/* The headers every response carries, with their lengths known at compile time. */
#define FIXED_HEADER(n, v) { n, sizeof(n) - 1, v, sizeof(v) - 1 }
static const struct {
	const char *name;
	size_t name_len;
	const char *value;
	size_t value_len;
} fixed_headers[] = {
	FIXED_HEADER("x-content-type-options", "nosniff"),
	FIXED_HEADER("referrer-policy", "same-origin"),
	FIXED_HEADER("x-frame-options", "DENY"),
	FIXED_HEADER("content-security-policy",
		     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
		     "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
		     "object-src 'none'"),
	FIXED_HEADER("permissions-policy", "camera=(), microphone=(), geolocation=()"),
};

/* common_headers() are the headers every response carries, besides its Content-Type. */
static void common_headers(h2o_req_t *h, struct req *req)
{
	size_t i;

	for (i = 0; i < sizeof(fixed_headers) / sizeof(fixed_headers[0]); i++)
		h2o_add_header_by_str(&h->pool, &h->res.headers, fixed_headers[i].name,
				      fixed_headers[i].name_len, 0, NULL, fixed_headers[i].value,
				      fixed_headers[i].value_len);
	if (req->secure)
		add_token(h, H2O_TOKEN_STRICT_TRANSPORT_SECURITY, H2O_STRLIT("max-age=31536000"));
	if (req->cacheable == 2) /* kept, but revalidated with its ETag each time (maps) */
		add_token(h, H2O_TOKEN_CACHE_CONTROL, H2O_STRLIT("private, no-cache"));
	else if (req->cacheable)
		add_token(h, H2O_TOKEN_CACHE_CONTROL, H2O_STRLIT("public, max-age=31536000, immutable"));
	else
		add_token(h, H2O_TOKEN_CACHE_CONTROL, H2O_STRLIT("no-store"));
	for (i = 0; i < (size_t)req->nheaders; i++)
		add_header(h, req->headers[i].name, req->headers[i].value);
}

/*
 * send_file() streams req->out_file (a job's result) with H2O's file
 * generator: it is read and sent in chunks as the client takes them, never
 * whole into memory. A file gone meanwhile answers 404.
 */
static void send_file(h2o_req_t *h, struct req *req)
{
	const char *type = req->out_type != NULL ? req->out_type : "application/octet-stream";

	common_headers(h, req);
	if (h2o_file_send(h, 200, "OK", req->out_file, h2o_iovec_init(type, strlen(type)), 0) == 0)
		return;
	log_warn("cannot send %s", req->out_file);
	h2o_send_error_404(h, "Not Found", "the file is no longer available\n", 0);
}

/* send_response() hands req->out to H2O with the headers every response carries. */
static void send_response(h2o_req_t *h, struct req *req, int status)
{
	static h2o_generator_t generator = { NULL, NULL };
	h2o_iovec_t body = h2o_iovec_init(req->out.data, req->out.len);

	h->res.status = status;
	h->res.reason = reason(status);
	if (req->out_file != NULL && status == 200 && !req->out.failed) {
		send_file(h, req);
		return;
	}
	if (status != 304 && status != 204) {
		if (req->out_type != NULL)
			add_token(h, H2O_TOKEN_CONTENT_TYPE, req->out_type, strlen(req->out_type));
		else
			add_token(h, H2O_TOKEN_CONTENT_TYPE, H2O_STRLIT("text/html; charset=utf-8"));
	}
	common_headers(h, req);
	if (req->out.failed)
		body.len = 0; /* only after resp_finish() failed too (no memory at all) */
	h->res.content_length = status == 304 || status == 204 ? 0 : body.len;
	h2o_start_response(h, &generator);
	if (req->method == HTTP_HEAD || status == 304 || status == 204)
		h2o_send(h, NULL, 0, H2O_SEND_STATE_FINAL);
	else
		h2o_send(h, &body, 1, H2O_SEND_STATE_FINAL);
}

/*
 * is_too_large_redirect() recognises H2O's internal redirect of its own
 * 413 (a body over max_request_entity_size, refused before any handler
 * runs) to TOO_LARGE_PATH: the path differs from what the client asked
 * for, so a client requesting TOO_LARGE_PATH itself gets a plain 404.
 */
static int is_too_large_redirect(h2o_req_t *h)
{
	return h2o_memis(h->path_normalized.base, h->path_normalized.len, H2O_STRLIT(TOO_LARGE_PATH)) &&
	       !h2o_memis(h->input.path.base, h->input.path.len, h->path.base, h->path.len);
}

/* too_large() answers H2O's 413 with the limit of the route the client called. */
static int too_large(struct req *req, h2o_req_t *h)
{
	int64_t limit = (int64_t)server.config.max_request_entity_size;
	const struct route *r;
	int known;

	req->path = arena_strndup(req->arena, h->input.path.base,
				  h->input.query_at != SIZE_MAX ? h->input.query_at : h->input.path.len);
	if (req->path == NULL)
		return resp_oom(req);
	req->method = method_of(h->input.method);
	req->is_api = strncmp(req->path, "/api/", 5) == 0;
	i18n_set_lang(req->lang);
	r = route_find(req->method, req->path, &req->params, &known);
	if (r != NULL)
		limit = route_body_limit(r, &req->app->cfg);
	return resp_too_large(req, limit);
}

/* pending_done() runs on the pool thread: hand the request back to its worker's loop. */
static void pending_done(struct pwpool_job *j)
{
	struct pending *p = H2O_STRUCT_FROM_MEMBER(struct pending, job, j);

	req_wake((struct req_waiter *)p);
}

struct req_waiter *req_wait(struct req *req, int (*resume)(struct req *req, void *arg), void *arg)
{
	struct request_ctx *rc = req->native_ctx;
	struct pending *p;

	if (rc == NULL || rc->pending != NULL || (p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->w = rc->w;
	p->rc = rc;
	p->arena = rc->arena;
	p->req = req;
	p->resume = resume;
	p->arg = arg;
	rc->pending = p;
	return (struct req_waiter *)p;
}

void req_wake(struct req_waiter *waiter)
{
	struct pending *p = (struct pending *)waiter;

	if (p->w == this_worker) /* woken by its own loop (its audit batch committed): answer now */
		resume_pending(p);
	else
		h2o_multithread_send_message(&p->w->resumes, &p->msg);
}

void req_wait_cancel(struct req_waiter *waiter)
{
	struct pending *p = (struct pending *)waiter;

	p->rc->pending = NULL;
	free(p);
}

int req_suspend(struct req *req, void (*work)(void *arg), int (*resume)(struct req *req, void *arg),
		void *arg)
{
	struct req_waiter *waiter = req_wait(req, resume, arg);
	struct pending *p = (struct pending *)waiter;

	if (p == NULL)
		return -1;
	p->job.work = work;
	p->job.done = pending_done;
	p->job.arg = arg;
	if (pwpool_submit(&p->job) != 0) {
		req_wait_cancel(waiter);
		return -1;
	}
	return 0;
}

/* resume_pending() answers a request woken on its worker's thread (password work or audit rows done). */
static void resume_pending(struct pending *p)
{
	struct request_ctx *rc = p->rc;
	int status;

	if (rc == NULL) {
		/*
		 * The client went away: finish anyway, so the attempt is
		 * audited like any other, but send nothing and touch no
		 * H2O state (header_of() sees native NULL).
		 */
		p->req->native = NULL;
		p->req->native_ctx = NULL;
		(void)dispatch_resume(p->req, p->resume, p->arg);
		p->w->in_flight--;
		arena_free(p->arena);
		free(p);
		return;
	}
	rc->pending = NULL;
	status = dispatch_resume(p->req, p->resume, p->arg);
	if (status != HTTP_PENDING)
		send_response(rc->h, p->req, resp_finish(p->req, status));
	free(p);
}

/* on_resumes() runs on the worker's loop with the requests woken by other threads. */
static void on_resumes(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
	(void)receiver;
	while (!h2o_linklist_is_empty(messages)) {
		h2o_multithread_message_t *m = H2O_STRUCT_FROM_MEMBER(h2o_multithread_message_t, link, messages->next);

		h2o_linklist_unlink(&m->link);
		resume_pending(H2O_STRUCT_FROM_MEMBER(struct pending, msg, m));
	}
}

static int on_request(h2o_handler_t *self, h2o_req_t *h)
{
	struct worker *w = H2O_STRUCT_FROM_MEMBER(struct worker, ctx, h->conn->ctx);
	struct request_ctx *rc;
	struct arena *a = arena_new(ARENA_LIMIT);
	struct req *req;
	int status;

	(void)self;
	if (a == NULL || (req = arena_zalloc(a, sizeof(*req))) == NULL) {
		arena_free(a);
		h2o_send_error_503(h, "Service Unavailable", "out of memory\n", 0);
		return 0;
	}
	/* owned by the request's pool: released (and the arena freed) when the response is done */
	rc = h2o_mem_alloc_shared(&h->pool, sizeof(*rc), release_request);
	memset(rc, 0, sizeof(*rc));
	rc->arena = a;
	rc->w = w;
	rc->h = h;
	rc->req = req;
	w->in_flight++;
	req->native_ctx = rc;
	req->arena = a;
	req->app = server.app;
	req->db = w->db;
	buf_init(&req->out, OUT_MAX);
	buf_reserve(&req->out, OUT_FIRST); /* a page at once, not by doubling from 256 bytes */
	arena_defer(a, free_buf, &req->out);
	status = fill_request(req, h);
	if (status == 0 && is_too_large_redirect(h)) {
		/* H2O refused a body over the global limit: answer in razem's shape */
		status = too_large(req, h);
	} else if (status != 0) {
		/* a path that is no text (bad UTF-8, NUL) was not kept: the error page links home */
		req->is_api = h2o_memis(h->path.base, h->path.len < 5 ? h->path.len : 5, H2O_STRLIT("/api/"));
		if (req->path == NULL)
			req->path = "/";
		i18n_set_lang(req->lang);
		status = status == 503 ? resp_oom(req)
				       : resp_error(req, status, status == 414 ? "uri_too_long" : "bad_request",
						    _("Bad request"),
						    _("The address or the request could not be read."));
	} else {
		status = dispatch(req);
	}
	if (status != HTTP_PENDING) /* a suspended request is answered by on_resumes() */
		send_response(h, req, resp_finish(req, status));
	return 0;
}

/* ------------------------------------------------------------------ */
/* Connections and threads                                             */
/* ------------------------------------------------------------------ */

static void on_accept(h2o_socket_t *listener, const char *err)
{
	struct worker *w = listener->data;
	h2o_socket_t *sock;

	if (err != NULL)
		return;
	sock = h2o_evloop_socket_accept(listener);
	if (sock == NULL)
		return;
	h2o_accept(&w->accept_ctx, sock);
}

static int open_listener(void)
{
	int fd, on = 1;

	fd = socket(server.addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) != 0 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) != 0 ||
	    bind(fd, (struct sockaddr *)&server.addr, server.addrlen) != 0 || listen(fd, 1024) != 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/*
 * port_taken() binds the address once without SO_REUSEPORT: it fails when
 * anything listens there, including another razem, which SO_REUSEPORT
 * would otherwise let share the port and silently split the traffic.
 */
static int port_taken(void)
{
	int fd = socket(server.addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0), on = 1, taken;

	if (fd < 0)
		return 0;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	taken = bind(fd, (struct sockaddr *)&server.addr, server.addrlen) != 0 && errno == EADDRINUSE;
	close(fd);
	return taken;
}

static void stop_listening(struct worker *w)
{
	if (w->listener == NULL)
		return;
	h2o_socket_read_stop(w->listener);
	h2o_socket_close(w->listener);
	w->listener = NULL;
}

/*
 * open_connections() tells whether any HTTP/1 or HTTP/2 connection is
 * still open on w: after a shutdown request H2O closes idle ones, and one
 * still receiving a request body is kept until its response is sent.
 */
static int open_connections(struct worker *w)
{
	return !h2o_linklist_is_empty(&w->ctx.http1._conns) ||
	       !h2o_linklist_is_empty(&w->ctx.http2._conns);
}

/*
 * worker_setup() creates the worker's loop, context, listener and wake-up
 * receiver. It runs on the worker's own thread: H2O keeps per-thread
 * memory (the socket buffers' recycling allocator is thread-local), and a
 * socket created on another thread — the multithread queue's wake-up pipe
 * among them — would recycle its buffers through that thread's allocator,
 * from two workers at once, once wake-ups are frequent (the audit group
 * commit wakes every worker for every batch).
 */
static void worker_setup(struct worker *w)
{
	h2o_context_init(&w->ctx, h2o_evloop_create(), &server.config);
	w->accept_ctx.ctx = &w->ctx;
	w->accept_ctx.hosts = server.config.hosts;
	w->accept_ctx.ssl_ctx = server.ssl;
	w->listener = h2o_evloop_socket_create(w->ctx.loop, w->fd, H2O_SOCKET_FLAG_DONT_READ);
	w->listener->data = w;
	h2o_socket_read_start(w->listener, on_accept);
	h2o_multithread_register_receiver(w->ctx.queue, &w->resumes, on_resumes);
}

/*
 * on_audit_flush() commits the read logs of this turn of the loop: it runs
 * on the zero timeout, after the turn's requests were read and handled and
 * before H2O completes the turn's writes, so the answers are sent and the
 * connections read again in this same turn (no poll changes in between).
 */
static void on_audit_flush(h2o_timeout_entry_t *entry)
{
	(void)entry;
	audit_group_flush();
}

/* audit_queued() schedules on_audit_flush() for the end of this turn. */
static void audit_queued(void *arg)
{
	struct worker *w = arg;

	if (!h2o_timeout_is_linked(&w->audit_flush))
		h2o_timeout_link(w->ctx.loop, &w->ctx.zero_timeout, &w->audit_flush);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	int64_t start = 0;
	int shutting = 0;

	worker_setup(w);
	i18n_set_lang(LANG_PL);
	this_worker = w;
	/* on SQLite the loop commits the read logs of each turn itself (audit/group.h) */
	w->audit_flush.cb = on_audit_flush;
	if (db_backend(w->db) == DB_SQLITE && audit_group_local(w->db, AUDIT_BATCH, audit_queued, w) != 0)
		log_warn("worker %d: its read logs go to the committer thread (out of memory)", w->index);
	for (;;) {
		h2o_evloop_run(w->ctx.loop, LOOP_TICK_MS);
		audit_group_flush(); /* what came after the zero timeout ran (none usually) */
		access_flush_due();
		if (!shutting && atomic_load(&server.stopping)) {
			shutting = 1;
			start = clock_ms();
			stop_listening(w);
			h2o_context_request_shutdown(&w->ctx);
			/*
			 * Idle keep-alive connections wait on these timeouts; H2O
			 * compares against the current value, so shortening it
			 * closes them within SHUTDOWN_IDLE_MS, while a client still
			 * sending a request (each read re-arms it) is served.
			 */
			w->ctx.http1.req_timeout.timeout = SHUTDOWN_IDLE_MS;
			w->ctx.http2.idle_timeout.timeout = SHUTDOWN_IDLE_MS;
		}
		if (shutting) {
			int64_t ms = clock_ms() - start;

			if ((w->in_flight == 0 && !open_connections(w)) || ms > SHUTDOWN_WAIT_MS) {
				if (w->in_flight > 0)
					log_warn("worker %d: %ld requests still in flight at shutdown",
						 w->index, w->in_flight);
				break;
			}
		}
	}
	audit_group_local_end();
	if (h2o_timeout_is_linked(&w->audit_flush))
		h2o_timeout_unlink(&w->audit_flush);
	this_worker = NULL;
	access_release();
	session_cache_release();
	return NULL;
}

int server_parse_listen(const char *listen, struct sockaddr_storage *addr, socklen_t *addrlen,
			char *err, size_t errlen)
{
	char host[256];
	const char *colon = strrchr(listen, ':');
	struct addrinfo hints, *res = NULL;
	int64_t port;
	size_t hl;
	int rc;

	if (colon == NULL || colon == listen || str_to_int64(colon + 1, 1, 65535, &port) != 0) {
		snprintf(err, errlen, "--listen: expected ADDR:PORT with a port from 1 to 65535, e.g. "
				      "127.0.0.1:8080 (got '%s')", listen);
		return -1;
	}
	hl = (size_t)(colon - listen);
	if (hl >= sizeof(host)) {
		snprintf(err, errlen, "--listen: address too long");
		return -1;
	}
	memcpy(host, listen, hl);
	host[hl] = '\0';
	if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
		memmove(host, host + 1, hl - 2);
		host[hl - 2] = '\0';
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(host[0] != '\0' ? host : NULL, colon + 1, &hints, &res);
	if (rc != 0 || res == NULL) {
		snprintf(err, errlen, "--listen: cannot use '%s': %s", listen, gai_strerror(rc));
		return -1;
	}
	if (addr != NULL) {
		memcpy(addr, res->ai_addr, res->ai_addrlen);
		*addrlen = res->ai_addrlen;
	}
	freeaddrinfo(res);
	return 0;
}

static int setup_tls(const struct config *c, char *err, size_t errlen)
{
	if (c->tls_cert[0] == '\0' && c->tls_key[0] == '\0')
		return 0;
	if (c->tls_cert[0] == '\0' || c->tls_key[0] == '\0') {
		snprintf(err, errlen, "tls_cert and tls_key must be given together");
		return -1;
	}
	server.ssl = SSL_CTX_new(TLS_server_method());
	if (server.ssl == NULL ||
	    SSL_CTX_set_min_proto_version(server.ssl, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_use_certificate_chain_file(server.ssl, c->tls_cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(server.ssl, c->tls_key, SSL_FILETYPE_PEM) != 1) {
		snprintf(err, errlen, "cannot load TLS certificate/key: %s",
			 ERR_reason_error_string(ERR_get_error()));
		return -1;
	}
	h2o_ssl_register_alpn_protocols(server.ssl, h2o_http2_alpn_protocols);
	return 0;
}

static h2o_errordoc_t too_large_doc = { 413, { (char *)TOO_LARGE_PATH, sizeof(TOO_LARGE_PATH) - 1 } };

static void setup_h2o(const struct config *c)
{
	h2o_hostconf_t *host;
	h2o_pathconf_t *path;
	h2o_handler_t *handler;
	h2o_compress_args_t ca = { .min_size = 256, .gzip = { 1 }, .brotli = { -1 } };

	h2o_config_init(&server.config);
	/*
	 * H2O 2.2 reads a whole body before calling us and knows one limit:
	 * the largest any route accepts. Each route's own limit is checked
	 * in dispatch() before the body is decoded. A body growing past
	 * BODY_MMAP_THRESHOLD in a socket buffer moves to an unlinked
	 * temporary file, so large uploads do not sit in heap memory.
	 */
	server.config.max_request_entity_size = (size_t)route_set_max_body(route_table(), c);
	h2o_socket_buffer_mmap_settings.threshold = BODY_MMAP_THRESHOLD;
	snprintf(h2o_socket_buffer_mmap_settings.fn_template,
		 sizeof(h2o_socket_buffer_mmap_settings.fn_template), "%s/razem-body.XXXXXX",
		 getenv("TMPDIR") != NULL && getenv("TMPDIR")[0] == '/' ? getenv("TMPDIR") : "/tmp");
	server.config.server_name = h2o_iovec_init(H2O_STRLIT("razem"));
	host = h2o_config_register_host(&server.config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
	path = h2o_config_register_path(host, "/", 0);
	handler = h2o_create_handler(path, sizeof(*handler));
	handler->on_req = on_request;
	h2o_compress_register(path, &ca);
	/*
	 * H2O answers a body over the global limit itself, before a handler
	 * is bound (on the host's fallback path): redirect that 413 to
	 * TOO_LARGE_PATH so on_request() words it like every other error.
	 */
	h2o_errordoc_register(&host->fallback_path, &too_large_doc, 1);
	if (open_access_log(c->access_log, path) != 0)
		log_warn("cannot open access log %s; continuing without", c->access_log);
}

static void drop_privileges(const char *user)
{
	struct passwd *pw;

	if (user[0] == '\0' || geteuid() != 0)
		return;
	pw = getpwnam(user);
	if (pw == NULL || initgroups(pw->pw_name, pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		log_error("cannot switch to user '%s'", user);
		exit(1);
	}
	log_info("running as user %s", user);
}

int server_run(const struct app *app, char *err, size_t errlen)
{
	const struct config *c = &app->cfg;
	sigset_t sigs;
	int i, sig, nthreads, ret = -1;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	memset(&server, 0, sizeof(server));
	server.app = app;
	nthreads = c->threads > 0 ? (int)c->threads : (cpus > 0 ? (int)cpus : 1);
	if (route_init(err, errlen) != 0 || server_parse_listen(c->listen, &server.addr, &server.addrlen, err, errlen) != 0 ||
	    setup_tls(c, err, errlen) != 0)
		return -1;
	setup_h2o(c);
	assets_init();
	server.workers = calloc((size_t)nthreads, sizeof(*server.workers));
	if (server.workers == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (port_taken()) {
		snprintf(err, errlen, "cannot listen on %s: the address is already in use (is razem already "
			 "running there?)", c->listen);
		free(server.workers);
		server.workers = NULL;
		return -1;
	}
	/* signals go to the main thread only: block them before threads start */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	/*
	 * argon2 threads on at most half the cores (1 to 4): each check takes
	 * ~70 ms of one core and 64 MiB, and the other half stays free for the
	 * event loops, so a burst of sign-ins never stalls cheap requests.
	 */
	if (pwpool_start(cpus >= 8 ? 4 : (cpus >= 2 ? (int)cpus / 2 : 1), POOL_QUEUE) != 0) {
		snprintf(err, errlen, "cannot start the password threads");
		free(server.workers);
		server.workers = NULL;
		return -1;
	}
	/* the read log of every request is committed by one thread, many requests at a time */
	if (audit_group_start(c->db, AUDIT_BATCH, AUDIT_QUEUE, err, errlen) != 0) {
		pwpool_stop();
		free(server.workers);
		server.workers = NULL;
		return -1;
	}
	for (i = 0; i < nthreads; i++) {
		struct worker *w = &server.workers[i];

		w->index = i;
		w->fd = open_listener();
		if (w->fd < 0) {
			snprintf(err, errlen, "cannot listen on %s: %s", c->listen, strerror(errno));
			goto out;
		}
		if (db_open(c->db, &w->db, err, errlen) != 0)
			goto out;
		server.nworkers++;
	}
	drop_privileges(c->user);
	for (i = 0; i < server.nworkers; i++) {
		struct worker *w = &server.workers[i];

		if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
			snprintf(err, errlen, "cannot start worker thread");
			atomic_store(&server.stopping, 1);
			server.nworkers = i;
			goto join;
		}
	}
	log_info("razem %s listening on %s%s (%d worker threads), database %s", app->version, c->listen,
		 server.ssl != NULL ? " with TLS" : "", server.nworkers, app->db_describe);
	do {
		if (sigwait(&sigs, &sig) != 0)
			sig = SIGTERM;
	} while (sig != SIGINT && sig != SIGTERM);
	log_info("received %s: finishing requests in flight and stopping",
		 sig == SIGINT ? "SIGINT" : "SIGTERM");
	atomic_store(&server.stopping, 1);
	ret = 0;
join:
	for (i = 0; i < server.nworkers; i++)
		pthread_join(server.workers[i].thread, NULL);
out:
	/* work still queued finishes; its results go to loops that have ended and are dropped */
	audit_group_stop();
	{
		struct audit_group_stats st;

		audit_group_stats(&st);
		if (st.jobs > 0 || st.failed > 0)
			log_info("audit: %lld requests' reads recorded in %lld transactions, %lld not recorded",
				 st.jobs, st.batches, st.failed);
	}
	pwpool_stop();
	/*
	 * The H2O contexts are left for the process exit to reclaim, as H2O's
	 * own server does: disposing one requires every idle connection to be
	 * closed first, and nothing is gained by waiting for that.
	 */
	for (i = 0; i < nthreads; i++) {
		struct worker *w = &server.workers[i];

		if (w->ctx.loop == NULL && w->fd > 0)
			close(w->fd);
		db_close(w->db);
		w->db = NULL;
	}
	if (ret == 0)
		log_info("stopped");
	return ret;
}

/*
 * route.h — routes, declared by each web module, and their matching.
 *
 * Each module file (signin.c, users.c, ...) exports one table of the URLs
 * it answers, ROUTES(users) = { { method, pattern, handler, flags, roles,
 * body_max }, ... }, and routes.c lists the modules. A pattern's segments
 * are literal text or typed parameters:
 *
 *   {id:int}     1..18 digits, no leading zero (the row id; "{id}" is the same)
 *   {code:terc}  a TERYT code: 2, 4 or 7 digits, leading zeros kept (a string)
 *   {name:slug}  [a-z0-9-]{1,64}
 *
 * The handler reads them by name: req_param(req, "code"), req_param_int(req,
 * "id"); req->id holds {id}. The row is the route's policy too: the
 * dispatcher enforces sign-in, roles, CSRF and the body limit from it, so
 * a handler can rely on them.
 */
#ifndef RAZEM_WEB_ROUTE_H
#define RAZEM_WEB_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#include "web/http.h"

enum route_flags {
	R_PUBLIC = 1 << 0,      /* no sign-in needed */
	R_PRE_CSRF = 1 << 1,    /* anonymous form: checked against the pre-session CSRF cookie */
	R_NO_CSRF = 1 << 2,     /* state change without a CSRF token (API sign-in: JSON only) */
	R_PASSWORD = 1 << 3,    /* reachable while the user must change the password */
};

/* body_max values besides a byte count */
#define BODY_FORM 0       /* the max_form_body setting (forms and JSON; the default) */
#define BODY_UPLOAD (-1)  /* the max_upload_body setting (file uploads, imports) */

struct route {
	enum http_method method;   /* GET also answers HEAD */
	const char *pattern;       /* "/admin/users/{id:int}" */
	int (*handler)(struct req *req);
	unsigned flags;            /* enum route_flags */
	unsigned roles;            /* ROLE_BIT() mask allowed; 0 = every signed-in user */
	int64_t body_max;          /* largest body: BODY_FORM, BODY_UPLOAD or bytes */
};

/* A module's table: ROUTES(users) = { ... }; ROUTES_END(users); (in users.c). */
#define ROUTES(mod) const struct route mod##_routes[]
#define ROUTES_END(mod) const int mod##_nroutes = (int)(sizeof(mod##_routes) / sizeof(mod##_routes[0]))
#define ROUTES_DECLARE(mod) extern const struct route mod##_routes[]; extern const int mod##_nroutes

struct route_module {
	const char *name;
	const struct route *routes;
	const int *n;
};

/* routes.c: every module with routes, ending with { NULL, NULL, NULL } */
extern const struct route_module route_modules[];

/* A compiled set of routes (built once; matching allocates nothing). */
struct route_set;

/*
 * route_set_build() compiles n routes (kept by reference: they must
 * outlive the set). Returns the set, or NULL with the reason in err (a
 * malformed pattern, an unknown parameter type, a duplicate route, no
 * memory). route_set_free() releases it.
 */
struct route_set *route_set_build(const struct route *const *tables, const int *counts, int ntables,
				  char *err, size_t errlen);
void route_set_free(struct route_set *s);

/*
 * route_set_find() returns the route for method and path and fills *params
 * from its typed segments. When none matches, returns NULL and sets
 * *path_known to 1 if the path exists for another method (405) or 0 (404).
 */
const struct route *route_set_find(const struct route_set *s, enum http_method method,
				   const char *path, struct req_params *params, int *path_known);

/* route_set_max_body() is the largest body any route accepts under cfg. */
int64_t route_set_max_body(const struct route_set *s, const struct config *cfg);

/* route_body_limit() is the body limit of r under cfg, in bytes. */
int64_t route_body_limit(const struct route *r, const struct config *cfg);

/*
 * route_init() compiles route_modules into the server's set (once, before
 * the worker threads start; route_find() does it too if needed). Returns 0
 * or -1 with the reason in err.
 */
int route_init(char *err, size_t errlen);
const struct route_set *route_table(void);

/* route_find() is route_set_find() on the server's set. */
const struct route *route_find(enum http_method method, const char *path, struct req_params *params,
			       int *path_known);

#endif

/*
 * route.h — the table of every URL razem answers, and its matching.
 *
 * Each route names its method, a path pattern in which "{id}" stands for a
 * positive integer, the handler, flags, and the roles allowed (0 = any
 * signed-in user). The dispatcher enforces sign-in, roles and CSRF from
 * this table, so a handler can rely on them.
 */
#ifndef RAZEM_WEB_ROUTE_H
#define RAZEM_WEB_ROUTE_H

#include <stdint.h>

#include "web/http.h"

enum route_flags {
	R_PUBLIC = 1 << 0,      /* no sign-in needed */
	R_PRE_CSRF = 1 << 1,    /* anonymous form: checked against the pre-session CSRF cookie */
	R_NO_CSRF = 1 << 2,     /* state change without a CSRF token (API sign-in: JSON only) */
	R_PASSWORD = 1 << 3,    /* reachable while the user must change the password */
};

struct route {
	enum http_method method;   /* GET also answers HEAD */
	const char *pattern;       /* "/admin/users/{id}" */
	int (*handler)(struct req *req);
	unsigned flags;            /* enum route_flags */
	unsigned roles;            /* ROLE_BIT() mask allowed; 0 = every signed-in user */
};

extern const struct route routes[];
extern const int nroutes;

/*
 * route_find() returns the route for method and path, setting *id from an
 * {id} segment. When none matches, returns NULL and sets *path_known to 1
 * if the path exists for another method (405) or 0 (404).
 */
const struct route *route_find(enum http_method method, const char *path, int64_t *id,
			       int *path_known);

#endif

/*
 * route.c — matching paths against the route table (a linear scan: the
 * table is short and the comparison stops at the first differing byte).
 */
#include "web/route.h"

#include <string.h>

/* match() compares path with pattern; "{id}" matches 1..18 digits, not starting with 0. */
static int match(const char *pattern, const char *path, int64_t *id)
{
	const char *p = pattern, *s = path;

	while (*p != '\0' && *s != '\0') {
		if (strncmp(p, "{id}", 4) == 0) {
			int64_t v = 0;
			int n = 0;

			if (*s < '1' || *s > '9')
				return 0;
			while (*s >= '0' && *s <= '9' && n < 18) {
				v = v * 10 + (*s - '0');
				s++;
				n++;
			}
			if (*s >= '0' && *s <= '9')
				return 0;
			*id = v;
			p += 4;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	return *p == '\0' && *s == '\0';
}

const struct route *route_find(enum http_method method, const char *path, int64_t *id,
			       int *path_known)
{
	enum http_method m = method == HTTP_HEAD ? HTTP_GET : method;
	int i;

	*path_known = 0;
	*id = 0;
	for (i = 0; i < nroutes; i++) {
		int64_t v = 0;

		if (!match(routes[i].pattern, path, &v))
			continue;
		if (routes[i].method == m) {
			*id = v;
			return &routes[i];
		}
		*path_known = 1;
	}
	return NULL;
}

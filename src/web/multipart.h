/*
 * multipart.h — multipart/form-data bodies (RFC 7578): file uploads.
 *
 * The parts point into the body (not copied); names and file names are
 * NUL-terminated arena copies. Text fields (parts without a file name)
 * can be added to a request's form fields, so the CSRF check and
 * req_form() see them as in an urlencoded form.
 */
#ifndef RAZEM_WEB_MULTIPART_H
#define RAZEM_WEB_MULTIPART_H

#include <stddef.h>

#include "core/arena.h"
#include "web/params.h"

#define MULTIPART_MAX_PARTS 32

struct mpart {
	const char *name;         /* the form field's name */
	const char *filename;     /* the file's name as the browser gave it (path cut), or NULL: a text field */
	const char *content_type; /* of the part, or NULL */
	const char *data;         /* into the body */
	size_t len;
};

/*
 * multipart_parse() splits body (len bytes) by the boundary named in
 * content_type into at most MULTIPART_MAX_PARTS parts. Returns the number
 * of parts, or -1 when the body is not well-formed multipart (no
 * boundary, a part without its headers' end or a name, no final
 * boundary, too many parts) or out of memory.
 */
int multipart_parse(struct arena *a, const char *content_type, const char *body, size_t len,
		    struct mpart *parts);

/*
 * multipart_form() adds the text fields of body to form (values must be
 * UTF-8 without NUL, at most lim->max_value bytes, at most lim->max_fields
 * of them). Returns PARAMS_OK or a PARAMS_* error.
 */
int multipart_form(struct arena *a, const char *content_type, const char *body, size_t len,
		   const struct params_limits *lim, struct params *form);

/* multipart_file() is the first file part named name, or NULL. */
const struct mpart *multipart_file(const struct mpart *parts, int n, const char *name);

#endif

/*
 * assets.h — static files (CSS, JavaScript) compiled into the binary and
 * served from memory under /static/, with a content hash in their URLs so
 * browsers may cache them for a year.
 */
#ifndef RAZEM_WEB_ASSETS_H
#define RAZEM_WEB_ASSETS_H

#include "web/http.h"

/* assets_init() computes the content hashes; call once before serving. */
void assets_init(void);

/* assets_url() is "/static/NAME?v=HASH" for an embedded file (NAME if unknown). */
const char *assets_url(const char *name);

/* assets_serve() answers GET /static/NAME (200, 304 or 404). */
int assets_serve(struct req *req);

#endif

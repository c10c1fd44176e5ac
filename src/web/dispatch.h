/*
 * dispatch.h — the request pipeline between the HTTP server and the
 * handlers: language, static files, routing, session, password-change
 * gate, roles, body decoding and CSRF, in that order.
 */
#ifndef RAZEM_WEB_DISPATCH_H
#define RAZEM_WEB_DISPATCH_H

#include "web/http.h"

#define COOKIE_SESSION "razem_session"
#define COOKIE_PRE_CSRF "razem_pre"
#define COOKIE_FLASH "razem_flash"
#define COOKIE_LANG "razem_lang" /* language chosen by a visitor or an account */
#define CSRF_FIELD "_csrf"
#define CSRF_HEADER "x-csrf-token"

/*
 * dispatch() serves req: on return req->out, req->out_type and the
 * headers hold the response, and the HTTP status is returned. It never
 * fails: every problem becomes an error response.
 */
int dispatch(struct req *req);

/*
 * dispatch_resume() continues a request its handler suspended
 * (req_suspend), on the request's own worker thread: it runs resume(req,
 * arg) and then what dispatch() does after a handler. Returns the status
 * (HTTP_PENDING when it suspended again).
 */
int dispatch_resume(struct req *req, int (*resume)(struct req *req, void *arg), void *arg);

/*
 * csrf_equal() compares two tokens in constant time; NULL or different
 * lengths compare unequal.
 */
int csrf_equal(const char *a, const char *b);

#endif

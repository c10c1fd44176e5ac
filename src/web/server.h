/*
 * server.h — running the HTTP server until SIGINT or SIGTERM.
 */
#ifndef RAZEM_WEB_SERVER_H
#define RAZEM_WEB_SERVER_H

#include <stddef.h>
#include <sys/socket.h>

#include "web/http.h"

/*
 * server_run() listens on app->cfg.listen with app->cfg.threads event
 * loops (one database connection each) and serves until a signal asks it
 * to stop; requests in flight are finished first. Returns 0 after a clean
 * stop, -1 with the reason in err when it could not start.
 */
int server_run(const struct app *app, char *err, size_t errlen);

/*
 * server_parse_listen() checks an ADDR:PORT (or [ADDR]:PORT) setting and
 * resolves it into addr (when not NULL). Returns 0, or -1 with a
 * one-line reason in err. razem serve calls it before it opens the
 * database, so a wrong address touches nothing.
 */
int server_parse_listen(const char *listen, struct sockaddr_storage *addr, socklen_t *addrlen,
			char *err, size_t errlen);

#endif

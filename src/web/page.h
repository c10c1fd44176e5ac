/*
 * page.h — the one page layout: header with the user, institution and
 * role, the DEMO band, navigation by role, breadcrumbs, the page title as
 * the only h1, a message carried over from the previous action, footer.
 */
#ifndef RAZEM_WEB_PAGE_H
#define RAZEM_WEB_PAGE_H

#include "core/buf.h"
#include "core/sheet.h"
#include "web/http.h"

/* page_crumb() adds a breadcrumb before page_begin() (at most 8); href NULL = current page. */
void page_crumb(struct req *req, const char *href, const char *label);

/*
 * page_begin() resets req->out and writes the layout up to and including
 * the h1 title and the flash message; returns &req->out for the content.
 */
struct buf *page_begin(struct req *req, const char *title);

/*
 * page_end() closes the layout and returns status — or answers 503 if the
 * page could not be built in memory.
 */
int page_end(struct req *req, int status);

/* page_error() renders a whole error page with title and message. Returns status. */
int page_error(struct req *req, int status, const char *title, const char *message);

/* page_error_back() is page_error() with a first link, to back_href labelled back_label. */
int page_error_back(struct req *req, int status, const char *title, const char *message,
		    const char *back_href, const char *back_label);

/*
 * page_notice() writes a message box (role=status); kind is NULL (neutral),
 * "success" (what was just done: every confirmation, including the
 * messages carried over a redirect, which page_begin() shows), "info" or
 * "error".
 */
void page_notice(struct buf *b, const char *kind, const char *message);

/*
 * page_num() shows x with decimals digits for the page, in the request's
 * language (Polish "0,95", "12 345,5"; English "0.95") into the arena:
 * every decimal a page shows goes through it (i18n_fmt_num()); JSON,
 * CSV and XLSX keep the dot.
 */
const char *page_num(struct req *req, double x, int decimals);

/*
 * page_sheet_format() reads a report page's ?format=: 1 with *fmt set for
 * csv or xlsx, 0 for the page itself (none, or json when api), or else the
 * status of the 422 it answered.
 */
int page_sheet_format(struct req *req, int api, enum sheet_format *fmt);

/*
 * page_sheet_send() answers a report download: finishes s (rc is the
 * result of writing its rows; s is freed) as the attachment name.csv or
 * name.xlsx. Returns the status.
 */
int page_sheet_send(struct req *req, struct sheet *s, int rc, enum sheet_format fmt, const char *name);

/* asset_url() returns the cache-busting URL of an embedded asset ("/static/style.css?v=…"). */
const char *asset_url(const char *name);

#endif

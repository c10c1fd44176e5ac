/*
 * list.h — one list machinery for every list razem shows: a table with
 * sortable headings, filters, free-text search, paging and the count; the
 * same rows as CSV or XLSX (?format=csv|xlsx) and as JSON under /api/.
 *
 * The domain module owns the list definition (columns and SQL); the view
 * adds what only the page knows: the title, where rows link to, which
 * columns to leave out, and what kind of data the rows are and why they
 * are read. For personal data (kind not POLICY_NONE) the access policy
 * decides the rows (scope), the columns (mask) and records the read with
 * the ids shown (policy_list_fetch(), policy_list_each()).
 */
#ifndef RAZEM_WEB_LIST_H
#define RAZEM_WEB_LIST_H

#include "db/list.h"
#include "web/http.h"

struct list_view {
	const struct list_def *def; /* columns and SQL, from the domain module */
	const char *title;          /* page title (translated) */
	const char *row_href;       /* link for a row: printf format with one %s for the id, or NULL */
	list_cols hidden;           /* LIST_COL_BIT(i): column i not shown or exported to this user */
	enum policy_kind kind;      /* what the rows are (POLICY_NONE: not personal data) */
	enum policy_purpose purpose;/* why they are read */
	const char *new_href;       /* "add" button target, or NULL */
	const char *new_label;      /* its label */
	const char *audit_list;     /* POLICY_NONE lists: audit action for viewing, or NULL */
	const char *audit_export;   /* POLICY_NONE lists: audit action for exports, or NULL */
	const char *empty;          /* text when no row matches (translated) */
};

/*
 * list_respond() serves a list request in whichever form it asks for:
 * HTML page, CSV/XLSX download (format=csv|xlsx) or, under /api/, JSON
 * {"total":…, "offset":…, "limit":…, "items":[{…}]}. Query parameters:
 * q (search), sort (column key), dir (asc|desc), page and per_page (HTML)
 * or offset and limit (API), and one per filterable column (its key; for
 * date ranges KEY_from and KEY_to). Bad parameters answer 400 naming the
 * parameter. Returns the status.
 */
int list_respond(struct req *req, const struct list_view *view);

/*
 * list_export_kind is the job that writes a long export (more rows than
 * export_inline_rows): list_respond() queues it with the request's path,
 * query and format; when it runs, the list's own handler is called again
 * for the job's owner as they are now (roles, scope, language), so the
 * file holds exactly what the page would show them, written row by row.
 */
struct job_ctx;
struct job_kind;
extern const struct job_kind list_export_kind;
int list_export_run(struct job_ctx *ctx);

#endif

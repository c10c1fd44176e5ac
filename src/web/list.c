/*
 * list.c — lists as pages, CSV/XLSX downloads and JSON (see list.h).
 *
 * Request parameters are validated into a struct list_query before any
 * SQL runs; a bad parameter is a 400 that names it. The page, the export
 * and the API read rows through the same definition, hidden columns
 * included nowhere.
 */
#include "web/list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "auth/role.h"
#include "auth/user.h"
#include "core/clock.h"
#include "core/html.h"
#include "core/log.h"
#include "core/sheet.h"
#include "core/str.h"
#include "job/job.h"
#include "web/page.h"
#include "web/route.h"

#define PER_PAGE_DEFAULT 50
#define API_LIMIT_DEFAULT 100
#define API_LIMIT_MAX 1000
#define SEARCH_MAX 200

enum list_format { FMT_HTML, FMT_CSV, FMT_XLSX, FMT_JSON };

struct list_state {
	struct list_query q;
	enum list_format format;
	int64_t page;     /* HTML: 1-based */
	int64_t per_page; /* HTML */
	const char *bad;  /* the parameter at fault */
	const char *why;  /* why (translated) */
	struct policy_read *rd; /* personal data: the read under the access policy, else NULL */
};

static int shown(const struct list_view *v, int col)
{
	return !(v->hidden & LIST_COL_BIT(col)) && !(v->def->cols[col].flags & LIST_NOSHOW);
}

/* on_screen() is shown() minus the LIST_SUB columns, which sit inside the column before them */
static int on_screen(const struct list_view *v, int col)
{
	return shown(v, col) && !(col > 0 && (v->def->cols[col].flags & LIST_SUB));
}

static int usable(const struct list_view *v, int col)
{
	return !(v->hidden & LIST_COL_BIT(col));
}

/* ------------------------------------------------------------------ */
/* Parameters                                                          */
/* ------------------------------------------------------------------ */

static int fail(struct list_state *st, const char *param, const char *why)
{
	st->bad = param;
	st->why = why;
	return -1;
}

static int in_choices(const char *const *choices, const char *value)
{
	int i;

	if (choices == NULL)
		return 1;
	for (i = 0; choices[i] != NULL; i++)
		if (strcmp(choices[i], value) == 0)
			return 1;
	return 0;
}

/* local_midnight_utc() turns a local date (plus days) into the UTC timestamp of its midnight. */
static const char *local_midnight_utc(struct arena *a, const char *date, int days)
{
	struct tm tm;
	char iso[CLOCK_ISO_LEN];
	time_t t;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)strtol(date, NULL, 10) - 1900;
	tm.tm_mon = (int)strtol(date + 5, NULL, 10) - 1;
	tm.tm_mday = (int)strtol(date + 8, NULL, 10) + days;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (t == (time_t)-1)
		return NULL;
	clock_iso((int64_t)t, iso);
	return arena_strdup(a, iso);
}

static int parse_filters(struct req *req, const struct list_view *v, struct list_state *st)
{
	const struct list_def *def = v->def;
	int i;

	for (i = 0; i < def->ncols; i++) {
		const struct list_col *c = &def->cols[i];
		const char *val;

		if (!usable(v, i))
			continue;
		if (c->flags & LIST_FILTER) {
			val = req_query(req, c->key);
			if (val != NULL && val[0] != '\0') {
				int ok = 1;

				if (c->type == LIST_BOOL)
					ok = strcmp(val, "0") == 0 || strcmp(val, "1") == 0;
				else if (c->type == LIST_INT) {
					int64_t n;

					ok = str_to_int64(val, INT64_MIN, INT64_MAX, &n) == 0;
				} else if (c->type == LIST_CODE && !(c->flags & LIST_PREFIX))
					ok = in_choices(c->choices, val);
				if (!ok || strlen(val) > SEARCH_MAX)
					return fail(st, c->key, _("this value is not one of the allowed ones"));
				if (list_add_filter(&st->q, i, LIST_EQ, val) != 0)
					return fail(st, c->key, _("too many filters"));
			}
		}
		if (c->flags & LIST_RANGE) {
			const char *suffix[2] = { "from", "to" };
			int k;

			for (k = 0; k < 2; k++) {
				const char *key = arena_printf(req->arena, "%s_%s", c->key, suffix[k]);
				const char *bound;

				val = key != NULL ? req_query(req, key) : NULL;
				if (val == NULL || val[0] == '\0')
					continue;
				if (!clock_valid_date(val))
					return fail(st, key, _("enter a date as YYYY-MM-DD"));
				/* timestamps: from local midnight to the next local midnight */
				bound = c->type == LIST_TIMESTAMP ? local_midnight_utc(req->arena, val, k)
								 : val;
				if (bound == NULL ||
				    list_add_filter(&st->q, i,
						    k == 0 ? LIST_GE
							   : (c->type == LIST_TIMESTAMP ? LIST_LT : LIST_LE),
						    bound) != 0)
					return fail(st, key, _("too many filters"));
			}
		}
	}
	return 0;
}

static int parse_int_param(struct req *req, struct list_state *st, const char *name, int64_t min,
			   int64_t max, int64_t dflt, int64_t *out)
{
	const char *val = req_query(req, name);

	*out = dflt;
	if (val == NULL || val[0] == '\0')
		return 0;
	if (str_to_int64(val, min, max, out) != 0)
		return fail(st, name, arena_printf(req->arena, _("enter a whole number from %lld to %lld"),
						   (long long)min, (long long)max));
	return 0;
}

static int parse_state(struct req *req, const struct list_view *v, struct list_state *st)
{
	const char *fmt = req_query(req, "format"), *sort = req_query(req, "sort");
	const char *dir = req_query(req, "dir"), *q = req_query(req, "q");
	int64_t offset, limit;

	memset(st, 0, sizeof(*st));
	st->q.sort = -1;
	st->q.max_rows = req->app->cfg.export_max_rows;
	st->format = req->is_api ? FMT_JSON : FMT_HTML;
	if (fmt != NULL && fmt[0] != '\0') {
		if (strcmp(fmt, "csv") == 0)
			st->format = FMT_CSV;
		else if (strcmp(fmt, "xlsx") == 0)
			st->format = FMT_XLSX;
		else if (strcmp(fmt, "html") != 0 && strcmp(fmt, "json") != 0)
			return fail(st, "format", _("use csv or xlsx"));
	}
	if (sort != NULL && sort[0] != '\0') {
		int col = list_col_index(v->def, sort);

		if (col < 0 || !(v->def->cols[col].flags & LIST_SORT) || !usable(v, col))
			return fail(st, "sort", _("this column cannot be sorted by"));
		st->q.sort = col;
		st->q.desc = 0;
	}
	if (dir != NULL && dir[0] != '\0') {
		if (strcmp(dir, "asc") != 0 && strcmp(dir, "desc") != 0)
			return fail(st, "dir", _("use asc or desc"));
		if (st->q.sort < 0)
			st->q.sort = v->def->default_sort;
		st->q.desc = strcmp(dir, "desc") == 0;
	}
	if (q != NULL && q[0] != '\0') {
		if (utf8_length(q) > SEARCH_MAX)
			return fail(st, "q", _("the search text is too long"));
		st->q.q = str_fold(req->arena, q);
	}
	if (parse_filters(req, v, st) != 0)
		return -1;
	if (st->format == FMT_JSON) {
		if (parse_int_param(req, st, "offset", 0, INT64_MAX / 2, 0, &offset) != 0 ||
		    parse_int_param(req, st, "limit", 1, API_LIMIT_MAX, API_LIMIT_DEFAULT, &limit) != 0)
			return -1;
		st->q.offset = offset;
		st->q.limit = limit;
	} else if (st->format == FMT_HTML) {
		if (parse_int_param(req, st, "page", 1, 1000000, 1, &st->page) != 0 ||
		    parse_int_param(req, st, "per_page", 10, 500, PER_PAGE_DEFAULT, &st->per_page) != 0)
			return -1;
		st->q.offset = (st->page - 1) * st->per_page;
		st->q.limit = st->per_page;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Values                                                              */
/* ------------------------------------------------------------------ */

/* display() is the text shown (and exported) for a value of column c. */
static const char *display(struct req *req, const struct list_col *c, const char *val)
{
	char buf[32];

	if (val == NULL)
		return "";
	switch (c->type) {
	case LIST_BOOL:
		return strcmp(val, "0") == 0 ? _("no") : _("yes");
	case LIST_TIMESTAMP:
		return fmt_time(req, val);
	case LIST_DATE:
		clock_show_date(val, req->lang, buf);
		return arena_strdup(req->arena, buf);
	case LIST_CODE:
		if (c->label_of == NULL)
			return val;
		if (strchr(val, ',') != NULL) {
			struct buf out = BUF_INIT(4096);
			char *copy = arena_strdup(req->arena, val), *save = NULL, *tok;
			const char *res;

			for (tok = copy != NULL ? strtok_r(copy, ",", &save) : NULL; tok != NULL;
			     tok = strtok_r(NULL, ",", &save)) {
				if (out.len > 0)
					buf_adds(&out, ", ");
				buf_adds(&out, c->label_of(tok));
			}
			res = arena_strdup(req->arena, buf_str(&out));
			buf_release(&out);
			return res != NULL ? res : val;
		}
		return c->label_of(val);
	case LIST_TEXT:
		/* free text that may hold a fixed phrase written by the code (audit details) */
		return c->label_of != NULL ? c->label_of(val) : val;
	default:
		return val;
	}
}

/* ------------------------------------------------------------------ */
/* HTML                                                                */
/* ------------------------------------------------------------------ */

static void filter_form(struct buf *b, struct req *req, const struct list_view *v)
{
	const struct list_def *def = v->def;
	const char *q = req_query(req, "q");
	int i, j;

	html_fmt(b, "<form method=\"get\" action=\"%s\" class=\"filters\" role=\"search\">", req->path);
	html_fmt(b,
		 "<div class=\"field\"><label for=\"f-q\">%s</label><input type=\"search\" id=\"f-q\" "
		 "name=\"q\" value=\"%s\"></div>",
		 _("Search"), q != NULL ? q : "");
	for (i = 0; i < def->ncols; i++) {
		const struct list_col *c = &def->cols[i];

		if (!shown(v, i))
			continue;
		if ((c->flags & LIST_FILTER) && (c->type == LIST_BOOL || (c->type == LIST_CODE && c->choices))) {
			const char *cur = req_query(req, c->key);

			html_fmt(b, "<div class=\"field\"><label for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"%s\">",
				 c->key, _(c->label), c->key, c->key);
			html_fmt(b, "<option value=\"\">%s</option>", _("(all)"));
			if (c->type == LIST_BOOL) {
				html_fmt(b, "<option value=\"1\"%s>%s</option>",
					 str_eq(cur, "1") ? " selected" : "", _("yes"));
				html_fmt(b, "<option value=\"0\"%s>%s</option>",
					 str_eq(cur, "0") ? " selected" : "", _("no"));
			} else {
				for (j = 0; c->choices[j] != NULL; j++)
					html_fmt(b, "<option value=\"%s\"%s>%s</option>", c->choices[j],
						 str_eq(cur, c->choices[j]) ? " selected" : "",
						 c->label_of != NULL ? c->label_of(c->choices[j]) : c->choices[j]);
			}
			html_raw(b, "</select></div>");
		}
		if (c->flags & LIST_RANGE) {
			const char *from = arena_printf(req->arena, "%s_from", c->key);
			const char *to = arena_printf(req->arena, "%s_to", c->key);

			html_fmt(b, "<div class=\"field narrow\"><label for=\"f-%s\">%s</label>"
				 "<input type=\"date\" id=\"f-%s\" name=\"%s\" value=\"%s\"></div>",
				 from, _("From (date)"), from, from, req_query(req, from) ? req_query(req, from) : "");
			html_fmt(b, "<div class=\"field narrow\"><label for=\"f-%s\">%s</label>"
				 "<input type=\"date\" id=\"f-%s\" name=\"%s\" value=\"%s\"></div>",
				 to, _("To (date)"), to, to, req_query(req, to) ? req_query(req, to) : "");
		}
	}
	/* keep filters that have no control on this form (e.g. institution_id from a link) */
	for (i = 0; i < def->ncols; i++) {
		const struct list_col *c = &def->cols[i];
		const char *cur = req_query(req, c->key);

		if ((c->flags & LIST_FILTER) && usable(v, i) && cur != NULL && cur[0] != '\0' &&
		    !((c->type == LIST_BOOL || (c->type == LIST_CODE && c->choices)) && shown(v, i)))
			html_fmt(b, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", c->key, cur);
	}
	/* filtering keeps the order and the page size chosen (and starts at page 1) */
	for (i = 0; i < 3; i++) {
		static const char *const keep[3] = { "sort", "dir", "per_page" };
		const char *cur = req_query(req, keep[i]);

		if (cur != NULL && cur[0] != '\0')
			html_fmt(b, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", keep[i], cur);
	}
	html_fmt(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn secondary\">%s</button> "
		 "<a href=\"%s\">%s</a></div></form>",
		 _("Filter"), req->path, _("Clear filters"));
}

static void table_head(struct buf *b, struct req *req, const struct list_view *v,
		       const struct list_state *st)
{
	const struct list_def *def = v->def;
	int sorted = st->q.sort >= 0 ? st->q.sort : def->default_sort;
	int desc = st->q.sort >= 0 ? st->q.desc : def->default_desc;
	const char *sub;
	int i;

	html_raw(b, "<thead><tr>");
	for (i = 0; i < def->ncols; i++) {
		const struct list_col *c = &def->cols[i];

		if (!on_screen(v, i))
			continue;
		/* a LIST_SUB column is named under the heading it sits in */
		sub = i + 1 < def->ncols && shown(v, i + 1) && (def->cols[i + 1].flags & LIST_SUB)
			      ? arena_printf(req->arena, "<span class=\"sub\">%s</span>", _(def->cols[i + 1].label))
			      : "";
		if (!(c->flags & LIST_SORT)) {
			html_fmt(b, "<th scope=\"col\">%s", _(c->label));
			html_raw(b, sub);
			html_raw(b, "</th>");
			continue;
		}
		{
			/* a second click on the sorted column reverses it; sorting starts at page 1 */
			const char *keys[3] = { "sort", "dir", "page" };
			const char *vals[3] = { c->key, i == sorted && !desc ? "desc" : "asc", NULL };
			const char *url = req_url_edit(req, keys, vals, 3);

			html_raw(b, "<th scope=\"col\"");
			if (i == sorted)
				html_fmt(b, " aria-sort=\"%s\"", desc ? "descending" : "ascending");
			html_fmt(b, "><a href=\"%s\">%s", url, _(c->label));
			/* the arrow repeats aria-sort for the eye only */
			if (i == sorted)
				html_raw(b, desc ? " <span aria-hidden=\"true\">▼</span>"
						 : " <span aria-hidden=\"true\">▲</span>");
			html_raw(b, sub);
			html_raw(b, "</a></th>");
		}
	}
	html_raw(b, "</tr></thead>");
}

static void pager(struct buf *b, struct req *req, const struct list_state *st, int64_t total)
{
	int64_t pages = (total + st->per_page - 1) / st->per_page;
	char num[24];

	if (pages <= 1)
		return;
	html_fmt(b, "<nav class=\"pager\" aria-label=\"%s\">", _("Pages"));
	if (st->page > 1) {
		snprintf(num, sizeof(num), "%lld", (long long)(st->page - 1));
		html_fmt(b, "<a href=\"%s\" rel=\"prev\">%s</a> ", req_url_with(req, "page", num),
			 _("« Previous"));
	}
	html_fmt(b, "<span>");
	html_fmt(b, _("Page %lld of %lld"), (long long)st->page, (long long)pages);
	html_fmt(b, "</span>");
	if (st->page < pages) {
		snprintf(num, sizeof(num), "%lld", (long long)(st->page + 1));
		html_fmt(b, " <a href=\"%s\" rel=\"next\">%s</a>", req_url_with(req, "page", num),
			 _("Next »"));
	}
	html_raw(b, "</nav>");
}

/* break_text() writes an address with break chances after '@' and before '.', escaped. */
static void break_text(struct buf *b, const char *s)
{
	size_t n;

	while (*s != '\0') {
		n = strcspn(s + 1, "@.") + 1; /* up to the next '.' or '@' */
		if (s[n - 1] != '@' && s[n] == '@')
			n++; /* '@' stays with the name before it */
		html_textn(b, s, n);
		s += n;
		if (*s != '\0')
			html_raw(b, "<wbr>");
	}
}

static const char *query_text(struct req *req);

static int render_html(struct req *req, const struct list_view *v, struct list_state *st,
		       const struct list_page *p)
{
	const struct list_def *def = v->def;
	struct buf *b = page_begin(req, v->title);
	int r, i, first;

	if (v->new_href != NULL)
		html_fmt(b, "<p class=\"page-actions\"><a class=\"btn primary\" href=\"%s\">%s</a></p>",
			 v->new_href, v->new_label);
	filter_form(b, req, v);
	html_fmt(b, "<p class=\"count\" role=\"status\">");
	html_fmt(b, i18n_ngettext("%s row found", "%s rows found", (unsigned long)p->total),
		 fmt_int(req, p->total));
	if (p->total > 0) { /* an empty file is no answer: nothing to download */
		const char *keys[2] = { "format", "page" };
		const char *csv[2] = { "csv", NULL }, *xlsx[2] = { "xlsx", NULL };

		html_fmt(b, "<span class=\"exports\"> · %s <a href=\"%s\">CSV</a> · <a href=\"%s\">XLSX</a></span>", _("Download:"),
			 req_url_edit(req, keys, csv, 2), req_url_edit(req, keys, xlsx, 2));
	}
	html_raw(b, "</p>");
	{
		/* on paper a list must say what it is: when, by whom, with which settings */
		char now[CLOCK_ISO_LEN];
		const char *q = query_text(req);

		clock_iso(clock_now(), now);
		html_fmt(b, "<p class=\"print-only\">%s</p>",
			 arena_printf(req->arena, _("Printed %s by %s. List settings: %s"), fmt_time(req, now),
				      req->sess->full_name, q[0] != '\0' ? q : _("none")));
	}
	if (p->nrows == 0) {
		html_fmt(b, "<p class=\"empty\">%s</p>",
			 v->empty != NULL ? v->empty : _("Nothing matches these filters."));
		return page_end(req, 200);
	}
	html_raw(b, "<div class=\"table-wrap\"><table class=\"list\">");
	html_fmt(b, "<caption class=\"sr\">%s</caption>", v->title);
	table_head(b, req, v, st);
	html_raw(b, "<tbody>");
	for (r = 0; r < p->nrows; r++) {
		html_raw(b, "<tr>");
		first = 1;
		for (i = 0; i < def->ncols; i++) {
			const struct list_col *c = &def->cols[i];
			const char *text;

			if (!on_screen(v, i))
				continue;
			text = display(req, c, p->values[r][i]);
			if (first && v->row_href != NULL && p->ids[r] != NULL) {
				const char *href = arena_printf(req->arena, v->row_href, p->ids[r]);

				html_fmt(b, "<th scope=\"row\"><a href=\"%s\">%s</a>", href,
					 text[0] != '\0' ? text : "—");
			} else {
				html_raw(b, c->type == LIST_INT	      ? "<td class=\"num\">"
					    : c->flags & LIST_NOWRAP ? "<td class=\"nowrap\">"
					    : c->type == LIST_TIMESTAMP || c->type == LIST_DATE ? "<td class=\"nowrap\">"
					    : c->flags & LIST_BREAK  ? "<td class=\"break\">"
					    : c->flags & LIST_LONG   ? "<td class=\"long\">"
								     : "<td>");
				if (c->flags & LIST_BREAK)
					break_text(b, text);
				else
					html_fmt(b, "%s", text);
			}
			/* a LIST_SUB column (a code) goes in small text under this value */
			if (i + 1 < def->ncols && shown(v, i + 1) && (def->cols[i + 1].flags & LIST_SUB) &&
			    p->values[r][i + 1] != NULL)
				html_fmt(b, "%s<span class=\"sub\">%s</span>", text[0] != '\0' ? " " : "",
					 display(req, &def->cols[i + 1], p->values[r][i + 1]));
			html_raw(b, first && v->row_href != NULL && p->ids[r] != NULL ? "</th>" : "</td>");
			first = 0;
		}
		html_raw(b, "</tr>");
	}
	html_raw(b, "</tbody></table></div>");
	pager(b, req, st, p->total);
	return page_end(req, 200);
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */
/* ------------------------------------------------------------------ */

static json_t *json_value(const struct list_col *c, const char *val)
{
	if (val == NULL)
		return json_null();
	if (c->type == LIST_INT)
		return json_integer(strtoll(val, NULL, 10));
	if (c->type == LIST_BOOL)
		return json_boolean(strcmp(val, "0") != 0);
	if (c->flags & LIST_MULTI) {
		json_t *arr = json_array();
		char *copy = strdup(val), *save = NULL, *tok;

		for (tok = copy != NULL ? strtok_r(copy, ",", &save) : NULL; tok != NULL;
		     tok = strtok_r(NULL, ",", &save))
			json_array_append_new(arr, json_string(tok));
		free(copy);
		return arr;
	}
	return json_string(val);
}

static int render_json(struct req *req, const struct list_view *v, const struct list_state *st,
		       const struct list_page *p)
{
	const struct list_def *def = v->def;
	json_t *items = json_array(), *j;
	int r, i;

	if (items == NULL)
		return resp_server_error(req, "building JSON");
	for (r = 0; r < p->nrows; r++) {
		json_t *o = json_object();

		json_object_set_new(o, "id", json_integer(strtoll(p->ids[r], NULL, 10)));
		for (i = 0; i < def->ncols; i++)
			if (usable(v, i))
				json_object_set_new(o, def->cols[i].key, json_value(&def->cols[i], p->values[r][i]));
		json_array_append_new(items, o);
	}
	j = json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)p->total, "offset",
		      (json_int_t)st->q.offset, "limit", (json_int_t)st->q.limit, "items", items);
	return resp_json(req, 200, j);
}

/* ------------------------------------------------------------------ */
/* Exports                                                             */
/* ------------------------------------------------------------------ */

struct export_ctx {
	struct req *req;
	const struct list_view *v;
	struct sheet *sheet;
	const char **cells;
	enum sheet_cell *types;
	size_t n;
	/* a job's export (req->export_sink): progress, and memory for one batch of rows */
	struct list_sink *sink;
	struct arena *scratch;
	int64_t rows, total;
};

/* What a job hands to the list it exports (see list_export_run()). */
struct list_sink {
	struct job_ctx *job;
	const char *path;     /* the result file */
	int rc;               /* 0 written, 1 cancelled, -1 failed */
	int64_t rows;         /* data rows written */
};

#define SINK_BATCH 1000 /* rows whose display strings share one scratch arena */

static enum sheet_cell cell_type(const struct list_col *c)
{
	switch (c->type) {
	case LIST_INT: return CELL_INT;
	case LIST_DATE: return CELL_DATE;
	case LIST_TIMESTAMP: return CELL_DATETIME;
	default: return CELL_TEXT;
	}
}

static int export_row(void *ctx, const char *id, const char *const *values);

/*
 * export_row_sink() writes a row of a job's export: display strings come
 * from a scratch arena renewed every SINK_BATCH rows, so memory does not
 * grow with the export; progress and cancellation are checked per row
 * (job_progress() writes at most every 250 ms).
 */
static int export_row_sink(struct export_ctx *x, const char *const *values)
{
	struct arena *keep = x->req->arena;
	int rc;

	if (x->rows % SINK_BATCH == 0) {
		arena_free(x->scratch);
		x->scratch = arena_new(64u * 1024u * 1024u);
		if (x->scratch == NULL)
			return -1;
	}
	x->req->arena = x->scratch;
	x->sink = NULL;
	rc = export_row(x, NULL, values);
	x->sink = x->req->export_sink;
	x->req->arena = keep;
	if (rc != 0)
		return -1;
	x->rows++;
	if (job_progress(x->sink->job, x->rows, x->total) != 0)
		return 1;
	return 0;
}

static int export_row(void *ctx, const char *id, const char *const *values)
{
	struct export_ctx *x = ctx;
	const struct list_def *def = x->v->def;
	size_t k = 0;
	int i;

	(void)id;
	if (x->sink != NULL)
		return export_row_sink(x, values);
	for (i = 0; i < def->ncols; i++) {
		const struct list_col *c = &def->cols[i];

		if (!shown(x->v, i))
			continue;
		if (c->type == LIST_TIMESTAMP || c->type == LIST_DATE || c->type == LIST_INT)
			x->cells[k++] = values[i];
		else
			x->cells[k++] = display(x->req, c, values[i]);
	}
	return sheet_row(x->sheet, x->cells, x->types, x->n) == 0 ? 0 : 1;
}

static void free_sheet(void *sheet)
{
	sheet_free(sheet);
}

/* export_begin() sizes the row buffers of x and writes the heading row to x->sheet. */
static int export_begin(struct req *req, const struct list_view *v, struct export_ctx *x)
{
	const struct list_def *def = v->def;
	int i;

	x->n = 0;
	for (i = 0; i < def->ncols; i++)
		if (shown(v, i))
			x->n++;
	x->cells = arena_zalloc(req->arena, sizeof(*x->cells) * (x->n + 1));
	x->types = arena_zalloc(req->arena, sizeof(*x->types) * (x->n + 1));
	if (x->cells == NULL || x->types == NULL)
		return -1;
	x->n = 0;
	for (i = 0; i < def->ncols; i++)
		if (shown(v, i))
			x->cells[x->n++] = _(def->cols[i].label);
	if (sheet_row(x->sheet, x->cells, NULL, x->n) != 0)
		return -1;
	x->n = 0;
	for (i = 0; i < def->ncols; i++)
		if (shown(v, i))
			x->types[x->n++] = cell_type(&def->cols[i]);
	return 0;
}

/*
 * each_row_of() feeds every row of an export to x: through the access
 * policy (which records the ids exported) for personal data.
 */
static int each_row_of(struct req *req, const struct list_view *v, struct list_state *st,
		       struct export_ctx *x)
{
	if (st->rd != NULL)
		return policy_list_each(st->rd, v->def, &st->q, export_row, x);
	return list_each(req->db, req->arena, v->def, &st->q, export_row, x);
}

/*
 * count_rows() sizes an export: under the policy's scope for personal
 * data, but not recorded as a read (one row is fetched, none is shown).
 */
static int count_rows(struct req *req, const struct list_view *v, struct list_state *st,
		      struct list_query *count, struct list_page *p)
{
	if (st->rd != NULL) {
		count->scope = st->rd->decision.scope;
		count->mask = st->rd->decision.mask;
	}
	return list_fetch(req->db, req->arena, v->def, count, p);
}

static int render_export(struct req *req, const struct list_view *v, struct list_state *st)
{
	const struct list_def *def = v->def;
	enum sheet_format fmt = st->format == FMT_CSV ? SHEET_CSV : SHEET_XLSX;
	struct export_ctx x = { req, v, NULL, NULL, NULL, 0, NULL, NULL, 0, 0 };
	char date[16], fname[160];
	int rc;

	x.sheet = sheet_new(fmt, v->title, NULL);
	if (x.sheet == NULL)
		return resp_server_error(req, "starting an export");
	if (arena_defer(req->arena, free_sheet, x.sheet) != 0)
		return resp_oom(req); /* the sheet was already freed */
	if (export_begin(req, v, &x) != 0)
		return resp_server_error(req, "writing an export");
	rc = each_row_of(req, v, st, &x);
	if (rc != 0)
		return resp_server_error(req, "reading rows for an export");
	buf_reset(&req->out);
	req->out.max = 1024u * 1024u * 1024u;
	if (sheet_finish(x.sheet, &req->out) != 0)
		return resp_server_error(req, "finishing an export");
	snprintf(date, sizeof(date), "%d", clock_today_ymd());
	snprintf(fname, sizeof(fname), "attachment; filename=\"razem-%s-%s.%s\"", def->name, date,
		 sheet_extension(fmt));
	resp_header(req, "content-disposition", arena_strdup(req->arena, fname));
	req->out_type = sheet_content_type(fmt);
	return 200;
}

/*
 * export_to_sink() is a job's export: the same rows and columns as the
 * immediate one, written to the job's file as they are read.
 */
static int export_to_sink(struct req *req, const struct list_view *v, struct list_state *st)
{
	struct list_sink *sink = req->export_sink;
	enum sheet_format fmt = st->format == FMT_CSV ? SHEET_CSV : SHEET_XLSX;
	struct export_ctx x = { req, v, NULL, NULL, NULL, 0, NULL, NULL, 0, 0 };
	struct list_query count = st->q;
	struct list_page p;
	int rc;

	sink->rc = -1;
	count.limit = 1;
	count.offset = 0;
	if (count_rows(req, v, st, &count, &p) != 0)
		return 500;
	if (p.total > st->q.max_rows) { /* grown since it was queued, or the command line's */
		job_fail(sink->job, N_("The list has grown past the most rows an export holds "
				       "(export_max_rows); narrow it with the filters and export it in parts."));
		return 422;
	}
	x.total = p.total;
	x.sheet = sheet_new_file(fmt, v->title, sink->path);
	if (x.sheet == NULL)
		return 500;
	if (export_begin(req, v, &x) != 0) {
		sheet_free(x.sheet);
		return 500;
	}
	if (job_progress(sink->job, 0, x.total) != 0) { /* cancelled before the first row */
		sheet_free(x.sheet);
		sink->rc = 1;
		return 500;
	}
	x.sink = sink;
	rc = each_row_of(req, v, st, &x);
	arena_free(x.scratch);
	if (rc == 0 && sheet_finish_file(x.sheet) == 0)
		sink->rc = 0;
	else
		sink->rc = rc > 0 ? 1 : -1;
	sheet_free(x.sheet);
	sink->rows = x.rows;
	return sink->rc == 0 ? 200 : 500;
}

/*
 * export_as_job() queues the export as a job (the request's list, query
 * and format, to be rebuilt with the user's own view when it runs) and
 * sends the user to the job's page, or answers 202 under the API.
 */
static int export_as_job(struct req *req, const struct list_view *v, struct list_state *st,
			 const char *action)
{
	json_t *params, *query;
	struct audit_actor who;
	char *text;
	int64_t id = 0;
	int i, rc;

	query = json_array();
	for (i = 0; query != NULL && i < req->query.n; i++) {
		const char *name = req->query.v[i].name;

		if (strcmp(name, "format") != 0 && strcmp(name, "page") != 0 &&
		    strcmp(name, "per_page") != 0 && strcmp(name, "offset") != 0 &&
		    strcmp(name, "limit") != 0)
			json_array_append_new(query, json_pack("[ss]", name, req->query.v[i].value));
	}
	params = json_pack("{s:s, s:s, s:o, s:s, s:s?, s:s}", "list", v->def->name, "path", req->path,
			   "query", query, "format", st->format == FMT_CSV ? "csv" : "xlsx", "audit",
			   action, "entity", v->def->entity);
	text = params != NULL ? json_dumps(params, JSON_COMPACT) : NULL;
	json_decref(params);
	if (text == NULL)
		return resp_server_error(req, "describing an export job");
	/* a GET runs in a read transaction: the job gets a write transaction of its own */
	req_actor(req, &who);
	rc = db_commit(req->db);
	if (rc == 0)
		rc = job_create(req->db, &who, "export", text, &id);
	free(text);
	if (db_begin_read(req->db) != 0 || rc != 0)
		return resp_server_error(req, "queueing an export job");
	job_runner_wake();
	{
		const char *url = arena_printf(req->arena, req->is_api ? "/api/v1/jobs/%lld" : "/jobs/%lld",
					       (long long)id);

		if (url == NULL)
			return resp_oom(req);
		if (!req->is_api)
			return resp_redirect(req, url, _("The list is long: it is being exported in the "
							 "background. The file will be ready here."));
		resp_header(req, "location", url);
		return resp_json(req, 202, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "state",
						     "queued", "url", url));
	}
}

/*
 * export_too_long() refuses an export of more rows than export_max_rows
 * rather than cut it: a file that silently lacks rows is worse than none.
 */
static int export_too_long(struct req *req, int64_t total, int64_t max)
{
	const char *msg = arena_printf(req->arena,
				       i18n_ngettext("The list has %lld row and an export holds at most %lld. "
						     "Narrow the list with the filters (for example by dates) "
						     "and download it in parts.",
						     "The list has %lld rows and an export holds at most %lld. "
						     "Narrow the list with the filters (for example by dates) "
						     "and download it in parts.",
						     (unsigned long)total),
				       (long long)total, (long long)max);

	if (req->is_api)
		return resp_api_error(req, 422, "export_too_long", msg, "format");
	return page_error_back(req, 422, _("The list is too long to export"), msg, req->path,
			       _("Back to the list"));
}

/*
 * export_respond() serves ?format=csv|xlsx: at most export_inline_rows rows
 * at once, more through a job; a job's own run writes to its file.
 */
static int export_respond(struct req *req, const struct list_view *v, struct list_state *st,
			  const char *action)
{
	struct list_query count = st->q;
	struct list_page p;

	if (req->export_sink != NULL)
		return export_to_sink(req, v, st);
	if (req->method == HTTP_HEAD) { /* no side effects: nothing is built, queued or recorded */
		enum sheet_format fmt = st->format == FMT_CSV ? SHEET_CSV : SHEET_XLSX;

		req->out_type = sheet_content_type(fmt);
		return 200;
	}
	count.limit = 1;
	count.offset = 0;
	if (count_rows(req, v, st, &count, &p) != 0)
		return resp_server_error(req, "counting rows for an export");
	if (p.total > st->q.max_rows)
		return export_too_long(req, p.total, st->q.max_rows);
	if (p.total > req->app->cfg.export_inline_rows)
		return export_as_job(req, v, st, action);
	if (st->rd == NULL && action != NULL &&
	    req_audit_read(req, action, v->def->entity, NULL, query_text(req)) != 0)
		return resp_server_error(req, "recording the read in the audit log");
	return render_export(req, v, st);
}

/* ------------------------------------------------------------------ */

static const char *query_text(struct req *req)
{
	struct buf b = BUF_INIT(4096);
	const char *s;
	int i;

	for (i = 0; i < req->query.n; i++) {
		if (i > 0)
			buf_addc(&b, '&');
		buf_adds(&b, req->query.v[i].name);
		buf_addc(&b, '=');
		buf_adds(&b, req->query.v[i].value);
	}
	s = b.failed ? "(long query)" : arena_strdup(req->arena, buf_str(&b));
	buf_release(&b);
	return s;
}

/*
 * param_label() names a list parameter as the page shows it: the label of
 * its filter field ("Time — From (date)" for at_from), of its column, or
 * of the control that sets it; the API keeps the parameter's own name.
 */
static const char *param_label(struct req *req, const struct list_view *v, const char *param)
{
	const struct list_def *def = v->def;
	size_t n;
	int i;

	if (strcmp(param, "q") == 0)
		return _("Search");
	if (strcmp(param, "sort") == 0 || strcmp(param, "dir") == 0)
		return _("Order of the rows");
	if (strcmp(param, "page") == 0)
		return _("Page");
	if (strcmp(param, "per_page") == 0)
		return _("Rows per page");
	if (strcmp(param, "format") == 0)
		return _("Download:");
	for (i = 0; i < def->ncols; i++) {
		const struct list_col *c = &def->cols[i];

		if (strcmp(param, c->key) == 0)
			return _(c->label);
		n = strlen(c->key);
		if (strncmp(param, c->key, n) == 0 && param[n] == '_')
			return arena_printf(req->arena, "%s — %s", _(c->label),
					    strcmp(param + n + 1, "from") == 0 ? _("From (date)") : _("To (date)"));
	}
	return param;
}

/*
 * decide() asks the access policy about a list of personal data before
 * anything is parsed or read: the columns it masks are hidden from the
 * view (headings, filters, sorting, JSON and exports alike).
 */
static int decide(struct req *req, struct list_view *eff, struct policy_read *rd)
{
	struct policy_subject s = { eff->kind, 0, 0 };

	req_policy_read(req, eff->kind, eff->purpose, rd);
	if (policy_decide(&rd->actor, &s, rd->purpose, &rd->decision) != 0)
		return resp_denied(req, &rd->decision);
	eff->hidden |= list_masked_cols(eff->def, rd->decision.mask);
	return 0;
}

int list_respond(struct req *req, const struct list_view *view)
{
	struct list_view eff = *view;
	const struct list_view *v = &eff;
	struct list_state st;
	struct list_page p;
	struct policy_read rd;
	const char *action;
	int rc;

	if (view->kind != POLICY_NONE) {
		rc = decide(req, &eff, &rd);
		if (rc != 0)
			return rc;
	}
	if (parse_state(req, v, &st) != 0) {
		if (req->is_api)
			return resp_api_error(req, 400, "invalid_parameter",
					      arena_printf(req->arena, _("Parameter \"%s\": %s."), st.bad, st.why),
					      st.bad);
		return page_error_back(req, 400, _("Wrong list address"),
				       arena_printf(req->arena, _("The field \"%s\": %s."),
						    param_label(req, v, st.bad), st.why),
				       req->path, _("Show the list without these settings"));
	}
	if (view->kind != POLICY_NONE) {
		rd.query = query_text(req); /* recorded with the ids shown, by the domain read */
		st.rd = &rd;
	}
	action = st.format == FMT_CSV || st.format == FMT_XLSX ? v->audit_export : v->audit_list;
	if (st.format == FMT_CSV || st.format == FMT_XLSX)
		return export_respond(req, v, &st, action);
	if (st.rd == NULL && action != NULL &&
	    req_audit_read(req, action, v->def->entity, NULL, query_text(req)) != 0)
		return resp_server_error(req, "recording the read in the audit log");
	rc = st.rd != NULL ? policy_list_fetch(st.rd, v->def, &st.q, &p)
			   : list_fetch(req->db, req->arena, v->def, &st.q, &p);
	if (rc == POLICY_DENIED)
		return resp_denied(req, &rd.decision);
	if (rc != 0)
		return resp_server_error(req, "reading a list");
	if (st.format == FMT_JSON)
		return render_json(req, v, &st, &p);
	if (p.nrows == 0 && p.total > 0 && st.page > 1) {
		/* past the end (rows were removed, or a typed address): go to the last page */
		char last[24];

		snprintf(last, sizeof(last), "%lld", (long long)((p.total + st.per_page - 1) / st.per_page));
		return resp_redirect(req, req_url_with(req, "page", last), NULL);
	}
	return render_html(req, v, &st, &p);
}

/* ------------------------------------------------------------------ */
/* The export job                                                      */
/* ------------------------------------------------------------------ */

/* job_query() rebuilds the saved query string fields. */
static int job_query(struct arena *a, json_t *arr, struct params *out)
{
	size_t i, n = json_array_size(arr);

	out->n = 0;
	out->v = arena_zalloc(a, sizeof(*out->v) * (n + 1));
	if (out->v == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		json_t *pair = json_array_get(arr, i);
		const char *name = json_string_value(json_array_get(pair, 0));
		const char *value = json_string_value(json_array_get(pair, 1));

		if (name == NULL || value == NULL)
			return -1;
		out->v[out->n].name = arena_strdup(a, name);
		out->v[out->n].value = arena_strdup(a, value);
		out->n++;
	}
	return 0;
}

/*
 * job_session() is the job owner as a request would see them, read now:
 * an account disabled or stripped of its role since cannot export.
 */
static int job_session(struct db *db, struct arena *a, int64_t user_id, const char *cli_login,
		       struct session *s)
{
	struct user u;

	if (user_id == 0) { /* the command line (razem export) acts as an administrator */
		memset(s, 0, sizeof(*s));
		s->login = cli_login != NULL ? cli_login : "(cli)"; /* "(cli:USER)", as the job's rows */
		s->full_name = "razem export";
		s->roles = ROLE_BIT(ROLE_ADMIN);
		return 0;
	}
	if (user_get(db, a, user_id, &u) != 0 || !u.active || !u.institution_active)
		return -1;
	memset(s, 0, sizeof(*s));
	s->user_id = u.id;
	s->login = u.login;
	s->full_name = u.full_name;
	s->institution_id = u.institution_id;
	s->institution_name = u.institution_name;
	s->roles = u.roles;
	s->lang = u.lang;
	return 0;
}

static const char *no_header(const struct req *req, const char *name)
{
	(void)req;
	(void)name;
	return NULL;
}

static void release_out(void *p)
{
	buf_release(p);
}

int list_export_run(struct job_ctx *ctx)
{
	const struct job *j = job_of(ctx);
	struct arena *a = job_arena(ctx);
	struct db *db = job_db(ctx);
	const struct route *r;
	struct list_sink sink;
	struct session sess;
	struct req *req;
	json_t *params;
	const char *path, *format, *list, *file;
	char date[16];
	int known, lang, status;

	params = json_loads(j->params, 0, NULL);
	path = json_string_value(json_object_get(params, "path"));
	format = json_string_value(json_object_get(params, "format"));
	list = json_string_value(json_object_get(params, "list"));
	req = arena_zalloc(a, sizeof(*req));
	if (path == NULL || format == NULL || list == NULL || req == NULL ||
	    (strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0) ||
	    job_query(a, json_object_get(params, "query"), &req->query) != 0) {
		json_decref(params);
		job_fail(ctx, N_("The export's settings could not be read."));
		return -1;
	}
	req->path = arena_strdup(a, path);
	r = route_find(HTTP_GET, req->path, &req->params, &known);
	req->route = r;
	req->id = r != NULL ? req_param_int(req, "id") : 0;
	if (db_begin_read(db) != 0 || job_session(db, a, j->user_id, j->login, &sess) != 0 || r == NULL ||
	    (r->roles != 0 && (sess.roles & r->roles) == 0)) {
		db_commit(db);
		json_decref(params);
		job_fail(ctx, N_("You may no longer see this list, so it was not exported."));
		return -1;
	}
	snprintf(date, sizeof(date), "%d", clock_today_ymd());
	file = arena_printf(a, "razem-%s-%s.%s", list, date, format);
	memset(&sink, 0, sizeof(sink));
	sink.job = ctx;
	sink.path = file != NULL ? job_result_path(ctx, file, sheet_content_type(strcmp(format, "csv") == 0 ? SHEET_CSV : SHEET_XLSX)) : NULL;
	/* the request the list's own handler would have seen, with a sink for the rows */
	req->header_of = no_header;
	req->app = job_app(ctx);
	req->db = db;
	req->arena = a;
	req->method = HTTP_GET;
	req->ip = "job";
	req->sess = &sess;
	req->lang = sess.lang != NULL && (lang = i18n_parse(sess.lang)) >= 0 ? (enum lang)lang : LANG_PL;
	i18n_set_lang(req->lang);
	buf_init(&req->out, 1u << 20);
	arena_defer(a, release_out, &req->out);
	req->query.v[req->query.n].name = "format";
	req->query.v[req->query.n].value = format;
	req->query.n++;
	req->export_sink = &sink;
	status = sink.path != NULL ? r->handler(req) : 500;
	db_commit(db);
	json_decref(params);
	if (status == 200 && sink.rc == 0) { /* the rows exported, as the policy recorded them */
		struct audit_actor who;

		req_actor(req, &who);
		if (audit_reads_flush(db, &who, &req->reads) != 0) {
			job_fail(ctx, N_("The export could not be recorded in the audit log."));
			return -1;
		}
	}
	if (sink.rc == 1)
		return 1;
	if (status == 422)
		return -1; /* too long: export_to_sink() said so */
	if (status != 200 || sink.rc != 0) {
		job_fail(ctx, status == 400 ? N_("The list's settings are no longer valid.")
					    : N_("The export could not be written."));
		return -1;
	}
	return 0;
}

const struct job_kind list_export_kind = {
	.code = "export",
	.label = N_("List export"),
	.run = list_export_run,
};

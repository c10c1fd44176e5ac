/*
 * list.c — builds the SELECT for a list from its definition and a query.
 *
 * The statement text is assembled only from constant pieces of the
 * definition (and fixed keywords); every value from the user is a bound
 * parameter. NULLs sort last in both directions on both backends thanks
 * to the "(expr IS NULL)" sort key. A column the query's mask forbids is
 * selected as NULL (its data never leaves the database), and is never
 * searched, filtered or sorted by, so its values cannot be inferred.
 */
#include "db/list.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"

#define SQL_MAX (64 * 1024)
/* values besides the scope's: filters and the search's columns */
#define MAX_BINDS (LIST_MAX_FILTERS + 24)

/* The values of a statement: the scope's (any number) first, then the others in order. */
struct bound {
	const struct list_scope *scope; /* bound first, or NULL */
	const char *text[MAX_BINDS]; /* text values */
	int64_t num[MAX_BINDS];      /* integer values */
	char type[MAX_BINDS];        /* 't', 'i' or 'n' */
	int n;                       /* how many */
};

static void bind_text(struct bound *b, const char *s)
{
	if (b->n < MAX_BINDS) {
		b->text[b->n] = s;
		b->type[b->n] = 't';
		b->n++;
	}
}

static void bind_int(struct bound *b, int64_t v)
{
	if (b->n < MAX_BINDS) {
		b->text[b->n] = NULL;
		b->num[b->n] = v;
		b->type[b->n] = 'i';
		b->n++;
	}
}

/* scope_slot() makes room for one more value of s; NULL when it cannot. */
static struct list_scope_arg *scope_slot(struct list_scope *s)
{
	int k = s->nargs - LIST_SCOPE_INLINE;

	if (s->nargs < 0)
		return NULL;
	if (k < 0)
		return &s->first[s->nargs];
	if (k >= s->more_cap) {
		int cap = s->more_cap > 0 ? 2 * s->more_cap : 16;
		struct list_scope_arg *more;

		if (s->arena == NULL || cap > (1 << 20))
			return NULL;
		more = arena_alloc(s->arena, sizeof(*more) * (size_t)cap);
		if (more == NULL)
			return NULL;
		if (k > 0)
			memcpy(more, s->more, sizeof(*more) * (size_t)k);
		s->more = more;
		s->more_cap = cap;
	}
	return &s->more[k];
}

int list_scope_int(struct list_scope *s, int64_t v)
{
	struct list_scope_arg *arg = scope_slot(s);

	if (arg == NULL)
		return -1;
	arg->type = 'i';
	arg->i = v;
	arg->t = NULL;
	s->nargs++;
	return 0;
}

int list_scope_text(struct list_scope *s, const char *v)
{
	struct list_scope_arg *arg = scope_slot(s);

	if (arg == NULL)
		return -1;
	arg->type = v != NULL ? 't' : 'n';
	arg->i = 0;
	arg->t = v;
	s->nargs++;
	return 0;
}

const struct list_scope_arg *list_scope_arg(const struct list_scope *s, int i)
{
	return i < LIST_SCOPE_INLINE ? &s->first[i] : &s->more[i - LIST_SCOPE_INLINE];
}

int list_col_allowed(const struct list_col *c, unsigned mask)
{
	return c->sens == SENS_NONE || (c->sens < SENS__MAX && (mask & SENS_BIT(c->sens)) != 0);
}

list_cols list_masked_cols(const struct list_def *def, unsigned mask)
{
	list_cols out = 0;
	int i;

	for (i = 0; i < def->ncols && i < LIST_MAX_COLS; i++)
		if (!list_col_allowed(&def->cols[i], mask))
			out |= LIST_COL_BIT(i);
	return out;
}

/* def_ok() refuses a definition whose columns do not fit a list_cols set. */
static int def_ok(const struct list_def *def)
{
	if (def->ncols >= 1 && def->ncols <= LIST_MAX_COLS)
		return 1;
	log_error("list %s: %d columns; a list has 1 to %d", def->name, def->ncols, LIST_MAX_COLS);
	return 0;
}

int list_add_filter(struct list_query *q, int col, enum list_op op, const char *value)
{
	if (q->nfilters >= LIST_MAX_FILTERS)
		return -1;
	q->filters[q->nfilters].col = col;
	q->filters[q->nfilters].op = op;
	q->filters[q->nfilters].value = value;
	q->nfilters++;
	return 0;
}

int list_col_index(const struct list_def *def, const char *key)
{
	int i;

	for (i = 0; key != NULL && i < def->ncols; i++)
		if (strcmp(def->cols[i].key, key) == 0)
			return i;
	return -1;
}

/* like_pattern() escapes % _ and \ in s and wraps it as %s% for LIKE ... ESCAPE '\'. */
static char *like_pattern(struct arena *a, const char *s, int prefix_only)
{
	size_t n = strlen(s), i, j = 0;
	char *p = arena_alloc(a, 2 * n + 3);

	if (p == NULL)
		return NULL;
	if (!prefix_only)
		p[j++] = '%';
	for (i = 0; i < n; i++) {
		if (s[i] == '%' || s[i] == '_' || s[i] == '\\')
			p[j++] = '\\';
		p[j++] = s[i];
	}
	p[j++] = '%';
	p[j] = '\0';
	return p;
}

/*
 * scope_clause() appends " AND (scope)", whose values are bound first
 * (the scope is the first condition with '?'s). The '?'s are counted so
 * that a scope and its values cannot drift apart.
 */
static int scope_clause(const struct list_scope *s, struct buf *sql, struct bound *b)
{
	int marks = 0;
	const char *p;

	for (p = s->sql; *p != '\0'; p++)
		marks += *p == '?';
	if (marks != s->nargs || b->n != 0) {
		log_error("list: scope has %d '?' but %d values: %s", marks, s->nargs, s->sql);
		return -1;
	}
	buf_adds(sql, " AND (");
	buf_adds(sql, s->sql);
	buf_adds(sql, ")");
	b->scope = s;
	return 0;
}

/* where_clause() appends " WHERE ..." for def and q, recording bind values. */
static int where_clause(struct arena *a, const struct list_def *def, const struct list_query *q,
			struct buf *sql, struct bound *b)
{
	int i, any = 0;

	buf_adds(sql, " WHERE 1=1");
	if (def->where != NULL) {
		buf_adds(sql, " AND (");
		buf_adds(sql, def->where);
		buf_adds(sql, ")");
	}
	if (q->scope.sql != NULL && scope_clause(&q->scope, sql, b) != 0)
		return -1;
	for (i = 0; i < q->nfilters; i++) {
		const struct list_filter *f = &q->filters[i];
		const struct list_col *c;

		if (f->col < 0 || f->col >= def->ncols)
			return -1;
		c = &def->cols[f->col];
		if (!list_col_allowed(c, q->mask)) {
			log_error("list %s: filter on the masked column %s refused", def->name, c->key);
			return -1;
		}
		if (f->op == LIST_EQ && c->filter_sql != NULL) {
			buf_adds(sql, " AND ");
			buf_adds(sql, c->filter_sql);
			bind_text(b, f->value);
			continue;
		}
		buf_adds(sql, " AND ");
		buf_adds(sql, c->expr);
		if (f->op == LIST_EQ && (c->flags & LIST_PREFIX)) {
			char *pat = like_pattern(a, f->value, 1);

			if (pat == NULL)
				return -1;
			buf_adds(sql, " LIKE ? ESCAPE '\\'");
			bind_text(b, pat);
			continue;
		}
		buf_adds(sql, f->op == LIST_EQ	 ? " = ?"
			      : f->op == LIST_GE ? " >= ?"
			      : f->op == LIST_LT ? " < ?"
						 : " <= ?");
		if (c->type == LIST_INT || c->type == LIST_BOOL) {
			char *end;
			long long v = strtoll(f->value, &end, 10);

			if (*f->value == '\0' || *end != '\0')
				return -1;
			bind_int(b, v);
		} else {
			bind_text(b, f->value);
		}
	}
	if (q->q != NULL && q->q[0] != '\0') {
		char *pat = like_pattern(a, q->q, 0);

		if (pat == NULL)
			return -1;
		for (i = 0; i < def->ncols; i++) {
			const struct list_col *c = &def->cols[i];

			if (!(c->flags & LIST_SEARCH) || !list_col_allowed(c, q->mask))
				continue;
			buf_adds(sql, any ? " OR " : " AND (");
			buf_adds(sql, c->search_expr != NULL ? c->search_expr : c->expr);
			buf_adds(sql, " LIKE ? ESCAPE '\\'");
			bind_text(b, pat);
			any = 1;
		}
		if (any)
			buf_adds(sql, ")");
	}
	return sql->failed || b->n >= MAX_BINDS ? -1 : 0;
}

static void order_clause(const struct list_def *def, const struct list_query *q, struct buf *sql)
{
	int col = q->sort >= 0 && q->sort < def->ncols && (def->cols[q->sort].flags & LIST_SORT) &&
			  list_col_allowed(&def->cols[q->sort], q->mask)
			  ? q->sort
			  : def->default_sort;
	int desc = q->sort >= 0 ? q->desc : def->default_desc;
	const struct list_col *c = &def->cols[col];
	const char *e = c->sort_expr != NULL ? c->sort_expr : c->expr;

	if (!list_col_allowed(c, q->mask)) { /* the order itself would tell the hidden values */
		buf_addf(sql, " ORDER BY %s %s", def->id_expr, desc ? "DESC" : "ASC");
		return;
	}
	buf_addf(sql, " ORDER BY (%s IS NULL), %s %s, %s %s", e, e, desc ? "DESC" : "ASC",
		 def->id_expr, desc ? "DESC" : "ASC");
}

static struct db_stmt *prepare_bound(struct db *db, const char *sql, const struct bound *b)
{
	struct db_stmt *st = db_prepare_dynamic(db, sql);
	int i, k = b->scope != NULL ? b->scope->nargs : 0, rc;

	if (st == NULL) {
		log_error("list: prepare failed: %s (SQL: %.300s)", db_errmsg(db), sql);
		return NULL;
	}
	for (i = 0; i < k; i++) {
		const struct list_scope_arg *v = list_scope_arg(b->scope, i);

		rc = v->type == 'i'		   ? db_bind_int(st, i + 1, v->i)
		     : v->type == 't' && v->t != NULL ? db_bind_text(st, i + 1, v->t)
						      : db_bind_null(st, i + 1);
		if (rc != 0)
			goto fail;
	}
	for (i = 0; i < b->n; i++) {
		rc = b->type[i] == 't'	 ? db_bind_text(st, k + i + 1, b->text[i])
		     : b->type[i] == 'i' ? db_bind_int(st, k + i + 1, b->num[i])
					 : db_bind_null(st, k + i + 1);
		if (rc != 0)
			goto fail;
	}
	return st;
fail:
	db_reset(st);
	return NULL;
}

static void select_list(const struct list_def *def, const struct list_query *q, struct buf *sql)
{
	int i;

	buf_adds(sql, "SELECT ");
	for (i = 0; i < def->ncols; i++) {
		buf_adds(sql, list_col_allowed(&def->cols[i], q->mask) ? def->cols[i].expr : "NULL");
		buf_adds(sql, ", ");
	}
	buf_adds(sql, def->id_expr);
	buf_adds(sql, " FROM ");
	buf_adds(sql, def->from);
}

int list_fetch(struct db *db, struct arena *a, const struct list_def *def,
	       const struct list_query *q, struct list_page *out)
{
	struct buf sql = BUF_INIT(SQL_MAX);
	struct bound b = { .n = 0 };
	struct db_stmt *st = NULL;
	int64_t limit = q->limit > 0 && q->limit < q->max_rows ? q->limit : q->max_rows;
	int64_t cap;
	int ret = -1, rc, i;

	memset(out, 0, sizeof(*out));
	if (!def_ok(def))
		goto out;
	buf_adds(&sql, "SELECT COUNT(*) FROM ");
	buf_adds(&sql, def->from);
	if (where_clause(a, def, q, &sql, &b) != 0)
		goto out;
	st = prepare_bound(db, buf_str(&sql), &b);
	if (st == NULL)
		goto out;
	if (db_step(st) != DB_ROW)
		goto out;
	out->total = db_col_int(st, 0);
	db_reset(st);
	st = NULL;

	buf_reset(&sql);
	b.n = 0;
	b.scope = NULL;
	select_list(def, q, &sql);
	if (where_clause(a, def, q, &sql, &b) != 0)
		goto out;
	order_clause(def, q, &sql);
	buf_adds(&sql, " LIMIT ? OFFSET ?");
	bind_int(&b, limit);
	bind_int(&b, q->offset > 0 ? q->offset : 0);
	if (sql.failed)
		goto out;
	st = prepare_bound(db, buf_str(&sql), &b);
	if (st == NULL)
		goto out;
	cap = limit < out->total ? limit : out->total;
	if (cap < 0)
		cap = 0;
	out->values = arena_zalloc(a, sizeof(*out->values) * (size_t)(cap + 1));
	out->ids = arena_zalloc(a, sizeof(*out->ids) * (size_t)(cap + 1));
	if (out->values == NULL || out->ids == NULL)
		goto out;
	while (out->nrows < cap) {
		const char **row;

		rc = db_step(st);
		if (rc == DB_DONE)
			break;
		if (rc != DB_ROW) /* an error part-way is an error, not a shorter page */
			goto out;
		row = arena_zalloc(a, sizeof(*row) * (size_t)def->ncols);
		if (row == NULL)
			goto out;
		for (i = 0; i < def->ncols; i++)
			row[i] = arena_strdup(a, db_col_text(st, i));
		out->ids[out->nrows] = arena_strdup(a, db_col_text(st, def->ncols));
		out->values[out->nrows++] = row;
	}
	ret = 0;
out:
	db_reset(st);
	buf_release(&sql);
	return ret;
}

int list_each(struct db *db, struct arena *a, const struct list_def *def,
	      const struct list_query *q,
	      int (*fn)(void *ctx, const char *id, const char *const *values), void *ctx)
{
	struct buf sql = BUF_INIT(SQL_MAX);
	struct bound b = { .n = 0 };
	struct db_stmt *st = NULL;
	const char **row = NULL;
	int64_t seen = 0;
	int ret = -1, rc, i;

	if (!def_ok(def))
		goto out;
	row = arena_zalloc(a, sizeof(*row) * (size_t)def->ncols);
	if (row == NULL)
		goto out;
	select_list(def, q, &sql);
	if (where_clause(a, def, q, &sql, &b) != 0)
		goto out;
	order_clause(def, q, &sql);
	buf_adds(&sql, " LIMIT ?");
	bind_int(&b, q->max_rows);
	if (sql.failed)
		goto out;
	st = prepare_bound(db, buf_str(&sql), &b);
	if (st == NULL)
		goto out;
	db_set_stream(st); /* an export may be long: rows one at a time */
	while ((rc = db_step(st)) == DB_ROW && seen < q->max_rows) {
		for (i = 0; i < def->ncols; i++)
			row[i] = db_col_text(st, i);
		seen++;
		rc = fn(ctx, db_col_text(st, def->ncols), row);
		if (rc != 0) {
			ret = rc;
			goto out;
		}
	}
	ret = rc == DB_DONE || rc == DB_ROW ? 0 : -1;
out:
	db_reset(st);
	buf_release(&sql);
	return ret;
}

/*
 * list.h — server-side lists: filtering, sorting, paging and full
 * iteration for exports, declared once per list by the owning domain
 * module and rendered by web/list.c as a page, CSV, XLSX or JSON.
 *
 * A domain module declares a struct list_def: the FROM clause and one
 * struct list_col per column with its SQL expression. All SQL text in a
 * definition is constant and written by us; user input reaches the query
 * only as bound parameters, and sort columns are chosen by index from the
 * definition, never by name in the SQL. The same rows feed the screen and
 * the exports, so an export holds exactly what the user may see.
 *
 * Access is not decided here: the access policy (policy/policy.h) gives a
 * row scope (struct list_scope) and a mask of sensitivity classes; every
 * column carries its class, and a column the mask forbids is not selected,
 * filtered, searched or sorted by (its values come back NULL).
 */
#ifndef RAZEM_DB_LIST_H
#define RAZEM_DB_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"

enum list_type {
	LIST_TEXT,      /* free text */
	LIST_INT,       /* a whole number */
	LIST_CODE,      /* an enumeration code (or several, comma-separated), shown through label_of() */
	LIST_BOOL,      /* 0/1, shown as yes/no */
	LIST_DATE,      /* YYYY-MM-DD */
	LIST_TIMESTAMP, /* UTC ISO 8601 */
};

enum list_flags {
	LIST_SORT = 1 << 0,     /* may be sorted by */
	LIST_FILTER = 1 << 1,   /* exact-match filter (codes, ids, booleans) */
	LIST_RANGE = 1 << 2,    /* from/to filter (dates, timestamps) */
	LIST_SEARCH = 1 << 3,   /* part of the free-text search (on search_expr) */
	LIST_NOSHOW = 1 << 4,   /* not a table column (used for filters only) */
	LIST_PREFIX = 1 << 5,   /* exact filter matches as a prefix (TERC codes, actions) */
	LIST_MULTI = 1 << 6,    /* LIST_CODE holding several codes, comma-separated (a JSON array) */
	LIST_NOWRAP = 1 << 7,   /* shown unbroken on screen (phone numbers, identifiers) */
	LIST_SUB = 1 << 8,      /* on screen in small text under the previous column, not a column
				   of its own (a code under its name); a column in exports */
	LIST_BREAK = 1 << 9,    /* may break anywhere on screen (e-mail and web addresses) */
	LIST_LONG = 1 << 10,    /* free text that may run long without spaces (audit details): wraps anywhere */
};

/*
 * Sensitivity classes of columns. The access policy decides which classes
 * a reader gets (policy_decide()); SENS_NONE columns (codes, record dates,
 * flags, institution data) are always shown. The special categories are
 * those of art. 9 GDPR that razem holds.
 */
enum list_sens {
	SENS_NONE,      /* not personal: always shown */
	SENS_IDENTITY,  /* who the person is: name, login, PESEL, date of birth, IP address */
	SENS_CONTACT,   /* how to reach them: address, phone, e-mail */
	SENS_SOCIAL,    /* social situation: reasons for assistance, income, benefits, labour status */
	SENS_HEALTH,    /* special category: health, disability */
	SENS_ADDICTION, /* special category: alcohol, drugs */
	SENS_VIOLENCE,  /* special category: domestic violence (Niebieska Karta) */
	SENS__MAX
};

#define SENS_BIT(c) (1u << (c))
#define SENS_ALL ((1u << SENS__MAX) - 1)
#define SENS_SPECIAL (SENS_BIT(SENS_HEALTH) | SENS_BIT(SENS_ADDICTION) | SENS_BIT(SENS_VIOLENCE))

struct list_col {
	const char *key;           /* URL and export key, e.g. "name" */
	const char *label;         /* column heading (msgid, translated when shown) */
	const char *expr;          /* SQL expression selected */
	enum list_type type;       /* how values are compared and shown */
	unsigned flags;            /* enum list_flags */
	const char *search_expr;   /* folded text searched by LIST_SEARCH (default expr) */
	const char *sort_expr;     /* expression sorted by (default expr) */
	const char *(*label_of)(const char *code); /* LIST_CODE: translated label */
	const char *const *choices; /* LIST_FILTER on a code: allowed values, NULL-ended */
	const char *filter_sql;    /* LIST_FILTER condition with one '?' (default "expr = ?") */
	enum list_sens sens;       /* sensitivity class (default SENS_NONE) */
};

/*
 * A set of a list's columns, bit i = column i (hidden columns, masked
 * columns). A list has at most LIST_MAX_COLS columns; list_fetch() and
 * list_each() refuse a definition with more, rather than let a column
 * past the set's width escape it.
 */
typedef uint64_t list_cols;
#define LIST_MAX_COLS 64
#define LIST_COL_BIT(i) ((list_cols)1 << (i))

struct list_def {
	const char *name;          /* "institutions": export file names */
	const char *entity;        /* "institution": the audit log's record type of the rows */
	const char *from;          /* FROM clause with joins */
	const char *where;         /* fixed condition, or NULL */
	const char *id_expr;       /* the row's id (links, API) */
	const struct list_col *cols; /* the columns */
	int ncols;                 /* how many */
	int default_sort;          /* column index */
	int default_desc;          /* 1 = descending by default */
};

enum list_op { LIST_EQ, LIST_GE, LIST_LT, LIST_LE };

struct list_filter {
	int col;           /* column index */
	enum list_op op;   /* comparison */
	const char *value; /* bound value */
};

#define LIST_MAX_FILTERS 16
/* One bound value of a row scope. */
struct list_scope_arg {
	char type;     /* 'i' integer, 't' text, 'n' NULL (as in db_query's format) */
	int64_t i;     /* the integer */
	const char *t; /* the text (must outlive the query) */
};

/* Values a scope holds in itself; more need an arena. */
#define LIST_SCOPE_INLINE 4

/*
 * A row scope: a condition AND-ed to the query, written by the access
 * policy as constant SQL with one '?' per value, and its values, bound in
 * order (before the filters' values). sql NULL = every row.
 *
 * It holds any number of values: the first LIST_SCOPE_INLINE in the
 * struct, the rest in memory from arena (set it before appending more;
 * NULL = no more than LIST_SCOPE_INLINE). A zeroed struct is an empty
 * scope. A copy (struct assignment) reads the same values; append to one
 * copy only. Read value i with list_scope_arg().
 */
struct list_scope {
	const char *sql;       /* constant SQL fragment with nargs '?'s, or NULL */
	int nargs;             /* values held */
	struct arena *arena;   /* where values past the first LIST_SCOPE_INLINE go, or NULL */
	struct list_scope_arg first[LIST_SCOPE_INLINE];
	struct list_scope_arg *more; /* values LIST_SCOPE_INLINE.., in arena memory */
	int more_cap;          /* room in more */
};

/*
 * list_scope_int() / list_scope_text() append a value (a NULL text binds
 * NULL); -1, with the scope unchanged, when there is no arena for it or
 * the arena is out of memory.
 */
int list_scope_int(struct list_scope *s, int64_t v);
int list_scope_text(struct list_scope *s, const char *v);

/* list_scope_arg() is value i of s (0-based, below s->nargs). */
const struct list_scope_arg *list_scope_arg(const struct list_scope *s, int i);

struct list_query {
	const char *q;            /* free-text search, already folded (str_fold); NULL = none */
	struct list_filter filters[LIST_MAX_FILTERS]; /* AND-ed */
	int nfilters;             /* how many */
	int sort;                 /* column index; -1 = default */
	int desc;                 /* descending */
	int64_t offset;           /* rows skipped */
	int64_t limit;            /* rows returned; 0 = all (up to max_rows) */
	struct list_scope scope;  /* rows the reader may see, from the access policy */
	unsigned mask;            /* SENS_BIT() set of column classes that may be read;
				     SENS_NONE columns always, others only when set */
	int64_t max_rows;         /* hard cap on rows returned or iterated */
};

#define LIST_QUERY_INIT { .sort = -1, .max_rows = 100000 }

/* One page of rows. values[r][c] is column c of row r (NULL for SQL NULL or a masked column). */
struct list_page {
	int64_t total;      /* rows matching the filters (all pages) */
	int nrows;          /* rows on this page */
	const char ***values; /* [nrows][ncols] */
	const char **ids;   /* [nrows] */
};

/* list_add_filter() appends a filter; -1 when there is no room. */
int list_add_filter(struct list_query *q, int col, enum list_op op, const char *value);

/* list_col_index() finds a column by key; -1 if none. */
int list_col_index(const struct list_def *def, const char *key);

/* list_col_allowed() is 1 when mask lets column c be read. */
int list_col_allowed(const struct list_col *c, unsigned mask);

/* list_masked_cols() is the set of columns that mask forbids. */
list_cols list_masked_cols(const struct list_def *def, unsigned mask);

/*
 * list_fetch() counts the matching rows and reads one page into arena
 * memory. Returns 0 or -1 (database error, logged; also a filter on a
 * masked column, or a scope whose '?'s do not match its values).
 */
int list_fetch(struct db *db, struct arena *a, const struct list_def *def,
	       const struct list_query *q, struct list_page *out);

/*
 * list_each() calls fn for every matching row in order, up to q->max_rows
 * (paging fields are ignored). values are valid only during the call. fn
 * returns 0 to go on, non-zero to stop. Returns 0, or -1 on a database
 * error, or fn's non-zero value.
 */
int list_each(struct db *db, struct arena *a, const struct list_def *def,
	      const struct list_query *q,
	      int (*fn)(void *ctx, const char *id, const char *const *values), void *ctx);

#endif

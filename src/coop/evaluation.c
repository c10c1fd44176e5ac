/*
 * evaluation.c — the evaluation of social contracts against a matched
 * comparison group (evaluation.h; docs/CONTRACTS.md "Evaluation"): the
 * statistics (logistic regression by Newton–Raphson, nearest-neighbour
 * matching with a caliper, standardised mean differences, the paired
 * difference of proportions and its interval), then the data: the
 * registry's families, their members, reasons, labour-market periods
 * and cash benefits read in bulk, grouped per family in memory, so that
 * 100,000 families take a handful of queries.
 */
#include "coop/evaluation.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/i18n.h"
#include "core/str.h"
#include "registry/situation.h"

const char *const eval_covariates[EV_NCOV] = { "household_size", "poverty", "unemployment", "helplessness",
	"homelessness", "unemployed_years", "long_term_unemployed", "rural", "urban_rural" };
const char *const eval_outcomes[EV_NOUT] = { "employment", "left_benefits" };

const char *eval_covariate_label(int k)
{
	switch (k) {
	case EV_SIZE: return _("Household size");
	case EV_POVERTY: return _("Reason: poverty");
	case EV_UNEMPLOYMENT: return _("Reason: unemployment");
	case EV_HELPLESSNESS: return _("Reason: helplessness in care and upbringing");
	case EV_HOMELESSNESS: return _("Reason: homelessness");
	case EV_UNEMP_YEARS: return _("Registered unemployed in the last two years (years)");
	case EV_LONG_TERM: return _("Long-term unemployed member");
	case EV_RURAL: return _("Rural gmina");
	case EV_URBAN_RURAL: return _("Urban-rural gmina");
	default: return "";
	}
}

/* ------------------------------------------------------------------ */
/* Statistics                                                          */
/* ------------------------------------------------------------------ */

double eval_logit(const double *beta, const double *xrow, int k)
{
	double s = 0;
	int j;

	for (j = 0; j < k; j++)
		s += beta[j] * xrow[j];
	return s;
}

/* cholesky_solve() solves h·d = g for a symmetric k×k h (overwritten); 0, or 1 when h is not positive definite. */
static int cholesky_solve(double *h, const double *g, double *d, int k)
{
	int i, j, m;

	for (j = 0; j < k; j++) {
		double s = h[j * k + j];

		for (m = 0; m < j; m++)
			s -= h[j * k + m] * h[j * k + m];
		if (!(s > 1e-12))
			return 1;
		h[j * k + j] = sqrt(s);
		for (i = j + 1; i < k; i++) {
			double t = h[i * k + j];

			for (m = 0; m < j; m++)
				t -= h[i * k + m] * h[j * k + m];
			h[i * k + j] = t / h[j * k + j];
		}
	}
	for (i = 0; i < k; i++) { /* L·z = g */
		double t = g[i];

		for (m = 0; m < i; m++)
			t -= h[i * k + m] * d[m];
		d[i] = t / h[i * k + i];
	}
	for (i = k - 1; i >= 0; i--) { /* Lᵀ·d = z */
		double t = d[i];

		for (m = i + 1; m < k; m++)
			t -= h[m * k + i] * d[m];
		d[i] = t / h[i * k + i];
	}
	return 0;
}

/* newton_step() accumulates the penalised gradient g and Hessian h at beta. */
static void newton_step(const double *x, const int *y, int n, int k, double lambda, const double *beta, double *g,
			double *h)
{
	int i, j, m;

	memset(g, 0, (size_t)k * sizeof(*g));
	memset(h, 0, (size_t)k * (size_t)k * sizeof(*h));
	for (i = 0; i < n; i++) {
		const double *r = x + (size_t)i * (size_t)k;
		double eta = eval_logit(beta, r, k), p, w;

		if (eta > 30)
			eta = 30;
		if (eta < -30)
			eta = -30;
		p = 1 / (1 + exp(-eta));
		w = p * (1 - p);
		for (j = 0; j < k; j++) {
			g[j] += r[j] * ((double)y[i] - p);
			for (m = 0; m <= j; m++)
				h[j * k + m] += w * r[j] * r[m];
		}
	}
	for (j = 0; j < k; j++) {
		for (m = 0; m < j; m++)
			h[m * k + j] = h[j * k + m];
		if (j > 0) {
			g[j] -= lambda * beta[j];
			h[j * k + j] += lambda;
		}
	}
}

int eval_logit_fit(const double *x, const int *y, int n, int k, double lambda, double *beta, int *iterations)
{
	double *g = calloc((size_t)k, sizeof(*g)), *d = calloc((size_t)k, sizeof(*d));
	double *h = calloc((size_t)k * (size_t)k, sizeof(*h));
	int it, j, rc = 1;

	*iterations = 0;
	if (g == NULL || d == NULL || h == NULL) {
		free(g), free(d), free(h);
		return -1;
	}
	memset(beta, 0, (size_t)k * sizeof(*beta));
	for (it = 1; it <= 50; it++) {
		double move = 0;

		*iterations = it;
		newton_step(x, y, n, k, lambda, beta, g, h);
		if (cholesky_solve(h, g, d, k) != 0)
			break;
		for (j = 0; j < k; j++) {
			double step = d[j] > 5 ? 5 : d[j] < -5 ? -5 : d[j]; /* no leap out of range on the first steps */

			beta[j] += step;
			if (fabs(step) > move)
				move = fabs(step);
		}
		if (move < 1e-8) {
			rc = 0;
			break;
		}
	}
	free(g), free(d), free(h);
	return rc;
}

/* Sort helpers: indices by score. */
static const double *sort_scores;

static int by_score_asc(const void *a, const void *b)
{
	double x = sort_scores[*(const int *)a], y = sort_scores[*(const int *)b];

	return x < y ? -1 : x > y ? 1 : *(const int *)a - *(const int *)b;
}

static int by_score_desc(const void *a, const void *b)
{
	double x = sort_scores[*(const int *)a], y = sort_scores[*(const int *)b];

	return x > y ? -1 : x < y ? 1 : *(const int *)a - *(const int *)b;
}

/* nearest() finds the unused control nearest to s among the sorted ones (oc, their scores sc); index in oc or -1. */
static int nearest(const double *sc, const int *oc, const char *used, int nc, double s)
{
	int lo = 0, hi = nc, l, r;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (sc[oc[mid]] < s)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (l = lo - 1; l >= 0 && used[l]; l--)
		;
	for (r = lo; r < nc && used[r]; r++)
		;
	if (l < 0)
		return r < nc ? r : -1;
	if (r >= nc)
		return l;
	return s - sc[oc[l]] <= sc[oc[r]] - s ? l : r;
}

int eval_match(const double *st, int nt, const double *sc, int nc, double caliper, int *match)
{
	int *ot = malloc((size_t)(nt > 0 ? nt : 1) * sizeof(int)), *oc = malloc((size_t)(nc > 0 ? nc : 1) * sizeof(int));
	char *used = calloc((size_t)(nc > 0 ? nc : 1), 1);
	int i, pairs = 0;

	if (ot == NULL || oc == NULL || used == NULL) {
		free(ot), free(oc), free(used);
		return -1;
	}
	for (i = 0; i < nt; i++)
		ot[i] = i;
	for (i = 0; i < nc; i++)
		oc[i] = i;
	sort_scores = st;
	qsort(ot, (size_t)nt, sizeof(int), by_score_desc);
	sort_scores = sc;
	qsort(oc, (size_t)nc, sizeof(int), by_score_asc);
	for (i = 0; i < nt; i++) {
		int t = ot[i], j = nearest(sc, oc, used, nc, st[t]);

		match[t] = -1;
		if (j >= 0 && fabs(sc[oc[j]] - st[t]) <= caliper) {
			used[j] = 1;
			match[t] = oc[j];
			pairs++;
		}
	}
	free(ot), free(oc), free(used);
	return pairs;
}

double eval_smd(double mt, double vt, double mc, double vc)
{
	double sd = sqrt((vt + vc) / 2);

	return sd > 1e-12 ? (mt - mc) / sd : 0;
}

void eval_paired_diff(const int *yt, const int *yc, int n, struct eval_diff *out)
{
	double se, nn = n, bc;
	int i;

	memset(out, 0, sizeof(*out));
	out->pairs = n;
	for (i = 0; i < n; i++) {
		out->t_yes += yt[i] != 0;
		out->c_yes += yc[i] != 0;
		out->b += yt[i] != 0 && yc[i] == 0;
		out->c += yt[i] == 0 && yc[i] != 0;
	}
	if (n == 0)
		return;
	out->rate_t = out->t_yes / nn;
	out->rate_c = out->c_yes / nn;
	out->diff = (out->b - out->c) / nn;
	bc = (double)(out->b - out->c);
	se = sqrt(fmax(0, (out->b + out->c) - bc * bc / nn)) / nn;
	out->lo = out->diff - 1.96 * se;
	out->hi = out->diff + 1.96 * se;
}

static int small(int count, int threshold)
{
	return count > 0 && count < threshold;
}

int eval_suppressed(const struct eval_diff *d, int threshold)
{
	if (threshold <= 0)
		return 0;
	return d->pairs < threshold || small(d->t_yes, threshold) || small(d->pairs - d->t_yes, threshold) ||
	       small(d->c_yes, threshold) || small(d->pairs - d->c_yes, threshold);
}

/* ------------------------------------------------------------------ */
/* The registry, in bulk                                               */
/* ------------------------------------------------------------------ */

/* One family of the registry in the area. */
struct fam {
	int64_t id;
	char terc[8];
	int has_contract, treated, eligible;
	char start[11], end[11];            /* treated: the contract's start, the last day observed */
	int64_t contract_id;
	int out[EV_NOUT];                   /* treated: recorded 0/1, -1 not recorded */
	unsigned plain_rec, plain_yes;      /* outcomes without a registry equivalent (bits by plain index) */
	double cov[EV_NCOV];
};

/* A dated row of one family: member, reason, labour-market period or cash benefit. */
struct row {
	int fam;
	int64_t person;
	int code, extra;
	char from[11], to[11];              /* to "" = open */
};

/* Rows grouped by family: rows of family f are r[first[f]] .. r[first[f + 1] - 1]. */
struct bucket {
	struct row *r;
	int n, cap;
	int *first;
};

struct data {
	struct db *db;
	struct arena *a;
	struct fam *f;
	int nf;
	struct bucket members, reasons, statuses, benefits;
	const char *plain_codes[8];
	int nplain;
};

static const struct db_sql SQL_FAMILIES =
	DB_SQL("SELECT f.id, COALESCE(f.terc, i.terc) FROM family f JOIN institution i ON i.id = f.institution_id "
	       "WHERE f.deleted_at IS NULL AND COALESCE(f.terc, i.terc) LIKE ? ORDER BY f.id");
/* the family of every contract: its household, or the party's current one */
static const struct db_sql SQL_CONTRACT_FAMILIES =
	DB_SQL("SELECT COALESCE(c.family_id, m.family_id) FROM contract c LEFT JOIN family_member m "
	       "ON m.person_id = c.person_id AND m.member_to IS NULL");
static const struct db_sql SQL_TREATED =
	DB_SQL("SELECT c.id, COALESCE(c.family_id, m.family_id), v.valid_from, o.kind, o.achieved, o.observed_on, "
	       "k.comparable FROM contract_outcome o JOIN contract c ON c.id = o.contract_id "
	       "JOIN outcome_kind k ON k.code = o.kind "
	       "JOIN contract_version v ON v.contract_id = c.id AND v.version = 1 "
	       "LEFT JOIN family_member m ON m.person_id = c.person_id AND m.member_to IS NULL "
	       "WHERE o.point = ? AND o.superseded_by IS NULL AND c.state IN ('completed', 'terminated') "
	       "ORDER BY c.id, o.id");
static const struct db_sql SQL_MEMBERS =
	DB_SQL("SELECT family_id, person_id, member_from, member_to FROM family_member");
static const struct db_sql SQL_REASONS =
	DB_SQL("SELECT family_id, reason_code, period_from, period_to FROM family_reason");
static const struct db_sql SQL_STATUSES =
	DB_SQL("SELECT m.family_id, s.person_id, s.status, s.from_date, s.to_date, s.dereg_reason FROM labour_status s "
	       "JOIN family_member m ON m.person_id = s.person_id AND m.member_to IS NULL ORDER BY s.person_id, s.from_date");
static const struct db_sql SQL_BENEFITS =
	DB_SQL("SELECT COALESCE(b.family_id, m.family_id), b.person_id, b.period_from, b.period_to FROM benefit b "
	       "JOIN benefit_form bf ON bf.code = b.form_code AND bf.cash = 1 "
	       "LEFT JOIN family_member m ON m.person_id = b.person_id AND m.member_to IS NULL");

static int fam_index(const struct data *d, int64_t id)
{
	int lo = 0, hi = d->nf - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (d->f[mid].id == id)
			return mid;
		if (d->f[mid].id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static void copy_date(char out[11], const char *s)
{
	snprintf(out, 11, "%s", s != NULL ? s : "");
}

static int load_families(struct data *d, const char *terc)
{
	struct db_stmt *st = db_query(d->db, &SQL_FAMILIES, "t", arena_printf(d->a, "%s%%", terc));
	int cap = 1024, rc;

	d->f = malloc((size_t)cap * sizeof(*d->f));
	if (st == NULL || d->f == NULL) {
		db_reset(st);
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		struct fam *f;
		const char *t = db_col_text(st, 1);

		if (t == NULL || strlen(t) != 7)
			continue; /* no gmina known: no gmina kind */
		if (d->nf == cap) {
			struct fam *g = realloc(d->f, (size_t)(cap *= 2) * sizeof(*g));

			if (g == NULL)
				break;
			d->f = g;
		}
		f = &d->f[d->nf++];
		memset(f, 0, sizeof(*f));
		f->id = db_col_int(st, 0);
		snprintf(f->terc, sizeof(f->terc), "%s", t);
		f->out[0] = f->out[1] = -1;
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

static int mark_contracts(struct data *d)
{
	struct db_stmt *st = db_query(d->db, &SQL_CONTRACT_FAMILIES, "");
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		int i = fam_index(d, db_col_int(st, 0));

		if (i >= 0)
			d->f[i].has_contract = 1;
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

static int plain_index(struct data *d, const char *code)
{
	int i;

	for (i = 0; i < d->nplain; i++)
		if (str_eq(d->plain_codes[i], code))
			return i;
	if (d->nplain == 8)
		return -1;
	d->plain_codes[d->nplain] = arena_strdup(d->a, code);
	return d->nplain++;
}

/* treat_row() adds one recorded outcome to its family (the family's latest contract counts). */
static void treat_row(struct data *d, struct db_stmt *st)
{
	int i = fam_index(d, db_col_int(st, 1)), k, p;
	int64_t cid = db_col_int(st, 0);
	const char *start = db_col_text(st, 2), *kind = db_col_text(st, 3), *seen = db_col_text(st, 5);
	int yes = (int)db_col_int(st, 4);
	struct fam *f;

	if (i < 0 || start == NULL || seen == NULL)
		return;
	f = &d->f[i];
	if (f->treated && f->contract_id != cid) {
		if (strcmp(start, f->start) < 0)
			return; /* an earlier contract of the family */
		f->out[0] = f->out[1] = -1;
		f->plain_rec = f->plain_yes = 0;
		f->end[0] = '\0';
	}
	f->treated = 1;
	f->contract_id = cid;
	copy_date(f->start, start);
	if (strcmp(seen, f->end) > 0)
		copy_date(f->end, seen);
	for (k = 0; k < EV_NOUT; k++)
		if (str_eq(kind, eval_outcomes[k]))
			f->out[k] = f->out[k] == 1 ? 1 : yes; /* a person's outcome: any member counts */
	if (db_col_int(st, 6) == 0 && (p = plain_index(d, kind)) >= 0) {
		f->plain_rec |= 1u << p;
		if (yes)
			f->plain_yes |= 1u << p;
	}
}

static int load_treated(struct data *d, const char *point)
{
	struct db_stmt *st = db_query(d->db, &SQL_TREATED, "t", point);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		treat_row(d, st);
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

static struct row *bucket_add(struct bucket *b)
{
	if (b->n == b->cap) {
		struct row *g = realloc(b->r, (size_t)(b->cap = b->cap ? b->cap * 2 : 4096) * sizeof(*g));

		if (g == NULL)
			return NULL;
		b->r = g;
	}
	return &b->r[b->n++];
}

/* bucket_group() orders the rows by family (a counting sort, stable). 0 or -1. */
static int bucket_group(struct bucket *b, int nf)
{
	struct row *out = malloc((size_t)(b->n > 0 ? b->n : 1) * sizeof(*out));
	int *pos = calloc((size_t)nf + 1, sizeof(int)), i;

	b->first = calloc((size_t)nf + 2, sizeof(int));
	if (out == NULL || pos == NULL || b->first == NULL) {
		free(out), free(pos);
		return -1;
	}
	for (i = 0; i < b->n; i++)
		b->first[b->r[i].fam + 1]++;
	for (i = 0; i < nf; i++)
		b->first[i + 1] += b->first[i];
	memcpy(pos, b->first, (size_t)nf * sizeof(int));
	for (i = 0; i < b->n; i++)
		out[pos[b->r[i].fam]++] = b->r[i];
	free(b->r);
	free(pos);
	b->r = out;
	return 0;
}

static int reason_group(const char *code)
{
	if (str_eq(code, "UBOSTWO"))
		return EV_POVERTY;
	if (str_eq(code, "BEZROBOCIE"))
		return EV_UNEMPLOYMENT;
	if (str_eq(code, "BEZRADNOSC") || str_eq(code, "RODZINA_NIEPELNA") || str_eq(code, "RODZINA_WIELODZIETNA"))
		return EV_HELPLESSNESS;
	if (str_eq(code, "BEZDOMNOSC"))
		return EV_HOMELESSNESS;
	return -1;
}

enum { ST_UNEMPLOYED, ST_EMPLOYED, ST_OTHER };

/*
 * load_rows() reads one table into b: columns family, person (or none),
 * code (or none), from, to, extra; which says how (the query's shape).
 */
enum { R_MEMBERS, R_REASONS, R_STATUSES, R_BENEFITS };
static int load_rows(struct data *d, const struct db_sql *sql, int which, struct bucket *b)
{
	struct db_stmt *st = db_query(d->db, sql, "");
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		int i = fam_index(d, db_col_int(st, 0)), c = 2;
		struct row *r;

		if (i < 0)
			continue;
		if ((r = bucket_add(b)) == NULL)
			break;
		memset(r, 0, sizeof(*r));
		r->fam = i;
		r->person = which == R_REASONS ? 0 : db_col_int(st, 1);
		if (which == R_REASONS) {
			r->code = reason_group(db_col_text(st, 1));
		} else if (which == R_STATUSES) {
			const char *s = db_col_text(st, 2), *why = db_col_text(st, 5);

			r->code = str_eq(s, "registered_unemployed") ? ST_UNEMPLOYED
				  : str_eq(s, "employed")           ? ST_EMPLOYED
								    : ST_OTHER;
			r->extra = str_eq(why, "job_taken") || str_eq(why, "business_started");
			c = 3;
		}
		copy_date(r->from, db_col_text(st, c));
		copy_date(r->to, db_col_text(st, c + 1));
	}
	db_reset(st);
	if (rc != DB_DONE)
		return -1;
	return bucket_group(b, d->nf);
}

/* ------------------------------------------------------------------ */
/* Covariates and outcomes of a family                                 */
/* ------------------------------------------------------------------ */

static int in_force(const struct row *r, const char *day)
{
	return strcmp(r->from, day) <= 0 && (r->to[0] == '\0' || strcmp(r->to, day) >= 0);
}

/* unemployed_days() is the most days any member was registered unemployed in the two years before day. */
static int unemployed_days(const struct data *d, int f, const char *day)
{
	const struct bucket *b = &d->statuses;
	struct labour_status s[64];
	int i = b->first[f], best = 0;

	while (i < b->first[f + 1]) {
		int64_t person = b->r[i].person;
		int n = 0, days;

		for (; i < b->first[f + 1] && b->r[i].person == person; i++)
			if (b->r[i].code == ST_UNEMPLOYED && n < 64) {
				s[n].status = "registered_unemployed";
				s[n].from_date = b->r[i].from;
				s[n].to_date = b->r[i].to[0] != '\0' ? b->r[i].to : NULL;
				n++;
			}
		days = n > 0 ? labour_ltu_days(s, n, day) : 0;
		if (days > best)
			best = days;
	}
	return best;
}

/* measure() fills f's covariates on day; returns 1 when a reason for assistance is in force then, else 0. */
static int measure(const struct data *d, int f, const char *day)
{
	struct fam *x = &d->f[f];
	int i, size = 0, reason = 0, days;
	char kind = x->terc[6];

	memset(x->cov, 0, sizeof(x->cov));
	for (i = d->members.first[f]; i < d->members.first[f + 1]; i++)
		size += in_force(&d->members.r[i], day);
	for (i = d->reasons.first[f]; i < d->reasons.first[f + 1]; i++)
		if (in_force(&d->reasons.r[i], day)) {
			reason = 1;
			if (d->reasons.r[i].code >= 0)
				x->cov[d->reasons.r[i].code] = 1;
		}
	days = unemployed_days(d, f, day);
	x->cov[EV_SIZE] = size > 0 ? size : 1;
	x->cov[EV_UNEMP_YEARS] = days / 365.0;
	x->cov[EV_LONG_TERM] = days >= LTU_MIN_DAYS;
	x->cov[EV_RURAL] = kind == '2' || kind == '5';
	x->cov[EV_URBAN_RURAL] = kind == '3' || kind == '4';
	return reason;
}

/*
 * registry_outcome() is the registry's equivalent of outcome k for family
 * f over [start, end]: employment — a member's employed period begins, or
 * a registration as unemployed ends in a job or an own business, within
 * the window; leaving cash benefits — a cash benefit in force on start and
 * none on end.
 */
static int registry_outcome(const struct data *d, int f, int k, const char *start, const char *end)
{
	int i, before = 0, after = 0;

	if (k == EV_EMPLOYMENT) {
		for (i = d->statuses.first[f]; i < d->statuses.first[f + 1]; i++) {
			const struct row *r = &d->statuses.r[i];

			if (r->code == ST_EMPLOYED && strcmp(r->from, start) > 0 && strcmp(r->from, end) <= 0)
				return 1;
			if (r->code == ST_UNEMPLOYED && r->extra && r->to[0] != '\0' && strcmp(r->to, start) >= 0 &&
			    strcmp(r->to, end) <= 0)
				return 1;
		}
		return 0;
	}
	for (i = d->benefits.first[f]; i < d->benefits.first[f + 1]; i++) {
		before |= in_force(&d->benefits.r[i], start);
		after |= in_force(&d->benefits.r[i], end);
	}
	return before && !after;
}

/* ------------------------------------------------------------------ */
/* The evaluation                                                      */
/* ------------------------------------------------------------------ */

static int by_day(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* reference_day() is the median start of the treated families' contracts. */
static int reference_day(struct data *d, char out[11])
{
	char (*days)[11] = malloc((size_t)(d->nf > 0 ? d->nf : 1) * sizeof(*days));
	int i, n = 0;

	if (days == NULL)
		return -1;
	for (i = 0; i < d->nf; i++)
		if (d->f[i].treated)
			memcpy(days[n++], d->f[i].start, 11);
	qsort(days, (size_t)n, sizeof(*days), by_day);
	copy_date(out, n > 0 ? days[n / 2] : "");
	free(days);
	return n;
}

/* The units of the model: treated and eligible comparison families. */
struct units {
	int *fam, n, nt;
	double *x, *score;
	int *y, *match;                       /* match: per unit, the matched unit or -1 */
};

static int build_units(struct data *d, const char *ref, struct units *u)
{
	int i, j;

	u->fam = malloc((size_t)(d->nf > 0 ? d->nf : 1) * sizeof(int));
	if (u->fam == NULL)
		return -1;
	for (i = 0; i < d->nf; i++) {
		struct fam *f = &d->f[i];

		if (f->treated) {
			measure(d, i, f->start);
			u->fam[u->n++] = i;
			u->nt++;
		} else if (!f->has_contract && (f->eligible = measure(d, i, ref))) {
			u->fam[u->n++] = i;
		}
	}
	u->x = malloc((size_t)(u->n > 0 ? u->n : 1) * (EV_NCOV + 1) * sizeof(double));
	u->y = malloc((size_t)(u->n > 0 ? u->n : 1) * sizeof(int));
	u->score = malloc((size_t)(u->n > 0 ? u->n : 1) * sizeof(double));
	u->match = malloc((size_t)(u->n > 0 ? u->n : 1) * sizeof(int));
	if (u->x == NULL || u->y == NULL || u->score == NULL || u->match == NULL)
		return -1;
	for (i = 0; i < u->n; i++) {
		double *r = u->x + (size_t)i * (EV_NCOV + 1);

		r[0] = 1;
		for (j = 0; j < EV_NCOV; j++)
			r[j + 1] = d->f[u->fam[i]].cov[j];
		u->y[i] = d->f[u->fam[i]].treated;
		u->match[i] = -1;
	}
	return 0;
}

static void units_free(struct units *u)
{
	free(u->fam), free(u->x), free(u->y), free(u->score), free(u->match);
}

/* caliper_of() is 0.2 pooled standard deviations of the logit of the score. */
static double caliper_of(const struct units *u)
{
	double s[2] = { 0, 0 }, q[2] = { 0, 0 }, v[2];
	int n[2] = { 0, 0 }, i, g;

	for (i = 0; i < u->n; i++) {
		g = u->y[i];
		s[g] += u->score[i];
		q[g] += u->score[i] * u->score[i];
		n[g]++;
	}
	for (g = 0; g < 2; g++)
		v[g] = n[g] > 1 ? (q[g] - s[g] * s[g] / n[g]) / (n[g] - 1) : 0;
	return 0.2 * sqrt((v[0] + v[1]) / 2);
}

/* match_county() matches the treated units of one county with its comparison units. */
static int match_county(const struct data *d, struct units *u, const char *county)
{
	int *t = malloc((size_t)u->n * sizeof(int)), *c = malloc((size_t)u->n * sizeof(int)), *m;
	double *st = malloc((size_t)u->n * sizeof(double)), *sc = malloc((size_t)u->n * sizeof(double));
	int nt = 0, nc = 0, i, rc = -1;

	m = malloc((size_t)u->n * sizeof(int));
	if (t != NULL && c != NULL && st != NULL && sc != NULL && m != NULL) {
		for (i = 0; i < u->n; i++) {
			if (strncmp(d->f[u->fam[i]].terc, county, 4) != 0)
				continue;
			if (u->y[i]) {
				st[nt] = u->score[i];
				t[nt++] = i;
			} else {
				sc[nc] = u->score[i];
				c[nc++] = i;
			}
		}
		rc = eval_match(st, nt, sc, nc, caliper_of(u), m);
		for (i = 0; rc >= 0 && i < nt; i++)
			u->match[t[i]] = m[i] >= 0 ? c[m[i]] : -1;
	}
	free(t), free(c), free(st), free(sc), free(m);
	return rc < 0 ? -1 : 0;
}

/* balance() fills the means and SMDs before (all units) and after matching (the pairs). */
static void balance(const struct data *d, const struct units *u, struct eval_result *r)
{
	int j, i;

	for (j = 0; j < EV_NCOV; j++) {
		double s[2][2] = { { 0 } }, q[2][2] = { { 0 } }, v[2];
		int n[2][2] = { { 0 } }, g;

		for (i = 0; i < u->n; i++) {
			double x = d->f[u->fam[i]].cov[j];

			g = u->y[i];
			s[0][g] += x, q[0][g] += x * x, n[0][g]++;
			if (g == 1 && u->match[i] >= 0) {
				double y = d->f[u->fam[u->match[i]]].cov[j];

				s[1][1] += x, n[1][1]++;
				s[1][0] += y, n[1][0]++;
			}
		}
		for (g = 0; g < 2; g++)
			v[g] = n[0][g] > 1 ? (q[0][g] - s[0][g] * s[0][g] / n[0][g]) / (n[0][g] - 1) : 0;
		for (i = 0; i < 2; i++) {
			r->balance[j].mean_t[i] = n[i][1] > 0 ? s[i][1] / n[i][1] : 0;
			r->balance[j].mean_c[i] = n[i][0] > 0 ? s[i][0] / n[i][0] : 0;
			/* the same (pre-matching) pooled SD before and after: the change is the means' alone */
			r->balance[j].smd[i] = eval_smd(r->balance[j].mean_t[i], v[1], r->balance[j].mean_c[i], v[0]);
		}
	}
}

/* compare() fills one row: outcome k over the pairs of county (NULL = all). */
static void compare(const struct data *d, const struct units *u, const char *county, int k, int threshold,
		    int *yt, int *yc, struct eval_row *row)
{
	int i, n = 0;

	for (i = 0; i < u->n; i++) {
		const struct fam *t = &d->f[u->fam[i]];

		if (!u->y[i] || u->match[i] < 0 || t->out[k] < 0)
			continue;
		if (county != NULL && strncmp(t->terc, county, 4) != 0)
			continue;
		yt[n] = t->out[k];
		yc[n] = registry_outcome(d, u->fam[u->match[i]], k, t->start, t->end);
		n++;
	}
	row->county = county;
	row->outcome = k;
	eval_paired_diff(yt, yc, n, &row->d);
	row->suppressed = eval_suppressed(&row->d, threshold);
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* counties() lists the treated units' counties, sorted, in arena memory. */
static int counties(struct data *d, const struct units *u, const char ***out)
{
	const char **c = arena_zalloc(d->a, (size_t)(u->nt + 1) * sizeof(*c));
	int i, j, n = 0;

	*out = c;
	if (c == NULL)
		return -1;
	for (i = 0; i < u->n; i++) {
		const char *t = d->f[u->fam[i]].terc;

		if (!u->y[i])
			continue;
		for (j = 0; j < n && strncmp(c[j], t, 4) != 0; j++)
			;
		if (j == n)
			c[n++] = arena_printf(d->a, "%.4s", t);
	}
	qsort(c, (size_t)n, sizeof(*c), by_text);
	return n;
}

static int outcomes(struct data *d, struct units *u, int threshold, struct eval_result *r)
{
	const char **cs;
	int nc = counties(d, u, &cs), i, k;
	int *yt = malloc((size_t)(u->n + 1) * sizeof(int)), *yc = malloc((size_t)(u->n + 1) * sizeof(int));

	r->rows = nc >= 0 ? arena_zalloc(d->a, (size_t)(nc + 1) * EV_NOUT * sizeof(*r->rows)) : NULL;
	if (yt == NULL || yc == NULL || r->rows == NULL) {
		free(yt), free(yc);
		return -1;
	}
	for (i = 0; i < nc; i++)
		if (match_county(d, u, cs[i]) != 0) {
			free(yt), free(yc);
			return -1;
		}
	for (i = 0; i <= nc; i++)
		for (k = 0; k < EV_NOUT; k++)
			compare(d, u, i < nc ? cs[i] : NULL, k, threshold, yt, yc, &r->rows[r->nrows++]);
	free(yt), free(yc);
	return 0;
}

static void plain_outcomes(const struct data *d, int threshold, struct eval_result *r)
{
	int p, i;

	for (p = 0; p < d->nplain; p++) {
		struct eval_plain *x = &r->plain[r->nplain++];

		x->kind = d->plain_codes[p];
		for (i = 0; i < d->nf; i++) {
			x->families += (d->f[i].plain_rec >> p) & 1u;
			x->yes += (d->f[i].plain_yes >> p) & 1u;
		}
		x->suppressed = threshold > 0 && (x->families < threshold || small(x->yes, threshold) ||
						  small(x->families - x->yes, threshold));
	}
}

static void data_free(struct data *d)
{
	struct bucket *b[] = { &d->members, &d->reasons, &d->statuses, &d->benefits };
	size_t i;

	for (i = 0; i < sizeof(b) / sizeof(b[0]); i++)
		free(b[i]->r), free(b[i]->first);
	free(d->f);
}

static int load(struct data *d, const char *terc, const char *point)
{
	if (load_families(d, terc) != 0 || mark_contracts(d) != 0 || load_treated(d, point) != 0)
		return -1;
	if (load_rows(d, &SQL_MEMBERS, R_MEMBERS, &d->members) != 0 ||
	    load_rows(d, &SQL_REASONS, R_REASONS, &d->reasons) != 0 ||
	    load_rows(d, &SQL_STATUSES, R_STATUSES, &d->statuses) != 0 ||
	    load_rows(d, &SQL_BENEFITS, R_BENEFITS, &d->benefits) != 0)
		return -1;
	return 0;
}

/* model() fits the score and matches; the result's counts and balance. */
static int model(struct data *d, struct units *u, int threshold, struct eval_result *r)
{
	int i, rc;

	r->treated = u->nt;
	r->controls = u->n - u->nt;
	if (u->nt < 1 || r->controls < 1)
		return 0;
	rc = eval_logit_fit(u->x, u->y, u->n, EV_NCOV + 1, 1e-4, r->beta, &r->iterations);
	if (rc < 0)
		return -1;
	r->fitted = 1;
	r->converged = rc == 0;
	for (i = 0; i < u->n; i++)
		u->score[i] = eval_logit(r->beta, u->x + (size_t)i * (EV_NCOV + 1), EV_NCOV + 1);
	r->caliper = caliper_of(u);
	if (outcomes(d, u, threshold, r) != 0)
		return -1;
	for (i = 0; i < u->n; i++)
		if (u->y[i])
			r->matched += u->match[i] >= 0;
	r->unmatched = u->nt - r->matched;
	balance(d, u, r);
	r->balance_suppressed = threshold > 0 && (r->matched < threshold || r->controls < threshold);
	return 0;
}

int evaluation_run(struct db *db, struct arena *a, const char *terc, const char *point, int threshold,
		   struct eval_result *out)
{
	struct data d = { .db = db, .a = a };
	struct units u = { 0 };
	char ref[11];
	int64_t t0 = clock_ms();
	int rc = -1;

	memset(out, 0, sizeof(*out));
	out->terc = terc;
	out->point = point;
	if (load(&d, terc, point) == 0 && reference_day(&d, ref) >= 0) {
		out->reference_day = arena_strdup(a, ref);
		plain_outcomes(&d, threshold, out);
		rc = ref[0] == '\0' ? 0 : build_units(&d, ref, &u) == 0 ? model(&d, &u, threshold, out) : -1;
	}
	units_free(&u);
	data_free(&d);
	out->seconds = (double)(clock_ms() - t0) / 1000.0;
	return rc;
}

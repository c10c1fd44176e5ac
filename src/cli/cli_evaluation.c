/*
 * cli_evaluation.c — razem evaluation: the evaluation of social contracts
 * (docs/CONTRACTS.md, "Evaluation") from the command line, for the
 * evaluator's scripts. The same domain call as /evaluation and
 * GET /api/v1/evaluation (evaluation_run()), with the same suppression of
 * counts under the small_count setting: the aggregates leave the system.
 * Formats: a readable table (text, the default), csv, xlsx (needs --out),
 * json (the API's answer, evaluation_json()).
 * Exit status: 0, 1 (database error, cannot write the file), 2 (usage).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "coop/evaluation.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/sheet.h"
#include "core/str.h"

enum ev_format { EVF_TEXT, EVF_CSV, EVF_XLSX, EVF_JSON };

struct ev_args {
	const char *terc, *point, *out;
	enum ev_format format;
};

static int ev_args(struct cli *c, struct ev_args *e)
{
	const char *f = cli_opt(c, "format");
	size_t i;

	memset(e, 0, sizeof(*e));
	if (c->npos > 0)
		return cli_usage(c, "unexpected argument '%s'", c->pos[0]);
	e->terc = cli_opt(c, "terc") != NULL ? cli_opt(c, "terc") : "";
	for (i = 0; e->terc[i] != '\0'; i++)
		if (e->terc[i] < '0' || e->terc[i] > '9' || i >= 7)
			return cli_usage(c, "--terc: a TERC code prefix (up to 7 digits), not '%s'", e->terc);
	e->point = cli_opt(c, "point") != NULL ? cli_opt(c, "point") : "follow_up";
	if (!str_eq(e->point, "follow_up") && !str_eq(e->point, "completion"))
		return cli_usage(c, "--point: follow_up or completion, not '%s'", e->point);
	if (f == NULL || str_eq(f, "text"))
		e->format = EVF_TEXT;
	else if (str_eq(f, "csv"))
		e->format = EVF_CSV;
	else if (str_eq(f, "xlsx"))
		e->format = EVF_XLSX;
	else if (str_eq(f, "json"))
		e->format = EVF_JSON;
	else
		return cli_usage(c, "--format: text, csv, xlsx or json, not '%s'", f);
	e->out = cli_opt(c, "out") != NULL ? cli_opt(c, "out") : cli_opt(c, "output");
	if (e->format == EVF_XLSX && e->out == NULL)
		return cli_usage(c, "--format xlsx: say where to write the file: --out FILE");
	return 0;
}

static const char *pct(struct arena *a, double x)
{
	return arena_printf(a, "%.1f", x * 100);
}

/* text_balance() prints the means and SMDs before and after matching, or why they are withheld. */
static void text_balance(FILE *f, const struct eval_result *r, int threshold)
{
	int j;

	fprintf(f, "\nBalance of the covariates (|SMD| < 0.1 is balanced)\n");
	if (r->balance_suppressed) {
		fprintf(f, "  withheld: the matched pairs or the pool are fewer than %d\n", threshold);
		return;
	}
	fprintf(f, "  %-24s %9s %9s %7s   %9s %9s %7s\n", "covariate", "treated", "pool", "SMD", "treated", "matched",
		"SMD");
	fprintf(f, "  %-24s %27s   %27s\n", "", "--------- before --------", "--------- after ---------");
	for (j = 0; j < EV_NCOV; j++) {
		const struct eval_balance *b = &r->balance[j];

		fprintf(f, "  %-24s %9.3f %9.3f %7.2f   %9.3f %9.3f %7.2f\n", eval_covariates[j], b->mean_t[0],
			b->mean_c[0], b->smd[0], b->mean_t[1], b->mean_c[1], b->smd[1]);
	}
}

static void text_outcomes(FILE *f, struct arena *a, const struct eval_result *r, int threshold)
{
	int i;

	fprintf(f, "\nOutcomes compared with the registry (rates in %%, difference in percentage points)\n");
	fprintf(f, "  %-8s %-14s %6s %10s %8s %10s %8s %7s %17s\n", "powiat", "outcome", "pairs", "treated", "rate",
		"comparison", "rate", "diff", "95% CI");
	for (i = 0; i < r->nrows; i++) {
		const struct eval_row *x = &r->rows[i];
		const struct eval_diff *d = &x->d;

		if (x->suppressed) {
			fprintf(f, "  %-8s %-14s  fewer than the threshold (%d)\n", x->county != NULL ? x->county : "overall",
				eval_outcomes[x->outcome], threshold);
			continue;
		}
		fprintf(f, "  %-8s %-14s %6d %10d %8s %10d %8s %7s %17s\n", x->county != NULL ? x->county : "overall",
			eval_outcomes[x->outcome], d->pairs, d->t_yes, pct(a, d->rate_t), d->c_yes, pct(a, d->rate_c),
			pct(a, d->diff), arena_printf(a, "[%s, %s]", pct(a, d->lo), pct(a, d->hi)));
	}
	if (r->nrows == 0)
		fprintf(f, "  none\n");
	fprintf(f, "\nOutcomes without a registry equivalent (contract families only)\n");
	for (i = 0; i < r->nplain; i++) {
		if (r->plain[i].suppressed)
			fprintf(f, "  %-18s fewer than the threshold (%d)\n", r->plain[i].kind, threshold);
		else
			fprintf(f, "  %-18s %d of %d families\n", r->plain[i].kind, r->plain[i].yes, r->plain[i].families);
	}
	if (r->nplain == 0)
		fprintf(f, "  none\n");
}

static void text_report(FILE *f, struct arena *a, const struct ev_args *e, const struct eval_result *r, int threshold)
{
	fprintf(f, "Evaluation of social contracts, TERC %s, outcomes at %s (counts under %d suppressed)\n",
		e->terc[0] != '\0' ? e->terc : "all", e->point, threshold);
	fprintf(f, "Families with a contract: %d; comparison pool: %d; matched pairs: %d; unmatched: %d\n", r->treated,
		r->controls, r->matched, r->unmatched);
	fprintf(f, "Reference day of the pool: %s; propensity model %s (%d iterations), caliper %.4f\n",
		r->reference_day != NULL ? r->reference_day : "—",
		!r->fitted ? "not fitted" : r->converged ? "converged" : "did not converge", r->iterations, r->caliper);
	text_balance(f, r, threshold);
	text_outcomes(f, a, r, threshold);
}

/* sheet_report() writes the outcome rows as the page's CSV/XLSX does (suppressed rows say so). */
static int sheet_report(struct sheet *s, struct arena *a, const struct eval_result *r)
{
	const char *head[] = { "terc", "outcome", "pairs", "treated_yes", "treated_pct", "comparison_yes",
			       "comparison_pct", "difference_pp", "ci_low_pp", "ci_high_pp" };
	static const enum sheet_cell types[] = { CELL_TEXT, CELL_TEXT, CELL_INT, CELL_INT, CELL_TEXT, CELL_INT,
						 CELL_TEXT, CELL_TEXT, CELL_TEXT, CELL_TEXT };
	int i, rc = sheet_row(s, head, NULL, 10);

	for (i = 0; rc == 0 && i < r->nrows; i++) {
		const struct eval_row *x = &r->rows[i];
		const struct eval_diff *d = &x->d;
		int hide = x->suppressed;
		const char *cells[] = { x->county != NULL ? x->county : "overall", eval_outcomes[x->outcome],
					hide ? "fewer than the threshold" : arena_printf(a, "%d", d->pairs),
					hide ? NULL : arena_printf(a, "%d", d->t_yes), hide ? NULL : pct(a, d->rate_t),
					hide ? NULL : arena_printf(a, "%d", d->c_yes), hide ? NULL : pct(a, d->rate_c),
					hide ? NULL : pct(a, d->diff), hide ? NULL : pct(a, d->lo), hide ? NULL : pct(a, d->hi) };

		rc = sheet_row(s, cells, hide ? NULL : types, 10);
	}
	return rc;
}

/* write_sheet() writes CSV or XLSX to --out, or CSV to standard output. */
static int write_sheet(struct cli *c, struct arena *a, const struct ev_args *e, const struct eval_result *r)
{
	enum sheet_format fmt = e->format == EVF_XLSX ? SHEET_XLSX : SHEET_CSV;
	struct sheet *s;
	struct buf b;
	int rc;

	if (e->out != NULL) {
		s = sheet_new_file(fmt, "Evaluation", e->out);
		if (s == NULL)
			return cli_fail(c, "cannot write %s", e->out);
		rc = sheet_report(s, a, r) == 0 && sheet_finish_file(s) == 0 ? 0 : cli_fail(c, "cannot write %s", e->out);
		sheet_free(s);
		return rc;
	}
	s = sheet_new(fmt, "Evaluation", NULL);
	if (s == NULL)
		return cli_fail(c, "cannot start the sheet");
	buf_init(&b, 1 << 26);
	rc = sheet_report(s, a, r) == 0 && sheet_finish(s, &b) == 0 ? 0 : cli_fail(c, "cannot write the sheet");
	if (rc == 0 && b.len > 0)
		fwrite(b.data, 1, b.len, stdout);
	buf_release(&b);
	sheet_free(s);
	return rc;
}

/* write_text() writes the table or the JSON to --out or standard output. */
static int write_text(struct cli *c, struct arena *a, const struct ev_args *e, const struct eval_result *r,
		      int threshold)
{
	FILE *f = e->out != NULL ? fopen(e->out, "w") : stdout;
	int bad;

	if (f == NULL)
		return cli_fail(c, "cannot write %s", e->out);
	if (e->format == EVF_JSON) {
		json_t *j = evaluation_json(r, e->terc, e->point, threshold);

		bad = j == NULL || json_dumpf(j, f, JSON_INDENT(2)) != 0;
		fputc('\n', f);
		json_decref(j);
	} else {
		text_report(f, a, e, r, threshold);
		bad = 0;
	}
	bad |= ferror(f);
	if (f != stdout)
		bad |= fclose(f) != 0;
	return bad ? cli_fail(c, "cannot write %s", e->out != NULL ? e->out : "the output") : 0;
}

static int evaluation_in_db(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	const struct ev_args *e = arg;
	int threshold = (int)c->cfg.small_count;
	struct eval_result *r = arena_zalloc(a, sizeof(*r));

	if (r == NULL || evaluation_run(db, a, e->terc, e->point, threshold, r) != 0)
		return cli_fail(c, "cannot run the evaluation: %s", db_errmsg(db));
	if (e->format == EVF_CSV || e->format == EVF_XLSX)
		return write_sheet(c, a, e, r);
	return write_text(c, a, e, r, threshold);
}

static int cmd_evaluation(struct cli *c)
{
	struct ev_args e;
	int rc = ev_args(c, &e);

	return rc != 0 ? rc : cli_with_db(c, &e, evaluation_in_db);
}

const struct cli_command cli_evaluation_commands[] = {
	{ "evaluation", NULL, "[--terc T] [--point follow_up|completion] [--format text|csv|xlsx|json] [--out FILE] --db DB",
	  "evaluate the social contracts against matched families of the registry\n"
	  "The same evaluation as /evaluation and GET /api/v1/evaluation (docs/CONTRACTS.md): families\n"
	  "with a contract under the TERC prefix T (all when omitted) matched 1:1 on a propensity score\n"
	  "with families that never had one; the balance of the covariates before and after matching,\n"
	  "and per powiat and overall the outcomes' counts, rates, difference and its 95% interval.\n"
	  "--point: the outcomes at completion or six months later (follow_up, the default).\n"
	  "Counts under the small_count setting are suppressed, as on the page. --format json is the\n"
	  "API's answer; csv and xlsx the outcome rows (xlsx needs --out). --out FILE (or --output)\n"
	  "writes to FILE instead of standard output.\n",
	  "terc point format out output", CLI_DB, cmd_evaluation },
	{ NULL },
};

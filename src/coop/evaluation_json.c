/*
 * evaluation_json.c — the evaluation's answer as JSON (evaluation.h),
 * the same for GET /api/v1/evaluation and `razem evaluation --format json`.
 */
#include "coop/evaluation.h"

static json_t *diff_json(const struct eval_row *x)
{
	const struct eval_diff *d = &x->d;
	json_t *o = json_pack("{s:s?, s:s, s:b}", "county", x->county, "outcome", eval_outcomes[x->outcome],
			      "suppressed", x->suppressed);

	if (x->suppressed)
		return o;
	json_object_set_new(o, "pairs", json_integer(d->pairs));
	json_object_set_new(o, "treated_yes", json_integer(d->t_yes));
	json_object_set_new(o, "comparison_yes", json_integer(d->c_yes));
	json_object_set_new(o, "treated_rate", json_real(d->rate_t));
	json_object_set_new(o, "comparison_rate", json_real(d->rate_c));
	json_object_set_new(o, "difference", json_real(d->diff));
	json_object_set_new(o, "ci_low", json_real(d->lo));
	json_object_set_new(o, "ci_high", json_real(d->hi));
	json_object_set_new(o, "discordant_treated_only", json_integer(d->b));
	json_object_set_new(o, "discordant_comparison_only", json_integer(d->c));
	return o;
}

static json_t *balance_json(const struct eval_result *r)
{
	json_t *arr = json_array();
	int j, i;

	for (j = 0; j < EV_NCOV; j++) {
		json_t *o = json_pack("{s:s}", "covariate", eval_covariates[j]);

		for (i = 0; i < 2 && !r->balance_suppressed; i++)
			json_object_set_new(o, i == 0 ? "before" : "after",
					    json_pack("{s:f, s:f, s:f}", "treated_mean", r->balance[j].mean_t[i],
						      "comparison_mean", r->balance[j].mean_c[i], "smd", r->balance[j].smd[i]));
		json_array_append_new(arr, o);
	}
	return arr;
}

json_t *evaluation_json(const struct eval_result *r, const char *terc, const char *point, int threshold)
{
	json_t *rows = json_array(), *plain = json_array(), *coef = json_object();
	int i;

	for (i = 0; i < r->nrows; i++)
		json_array_append_new(rows, diff_json(&r->rows[i]));
	for (i = 0; i < r->nplain; i++) {
		json_t *o = json_pack("{s:s, s:b}", "kind", r->plain[i].kind, "suppressed", r->plain[i].suppressed);

		if (!r->plain[i].suppressed) {
			json_object_set_new(o, "families", json_integer(r->plain[i].families));
			json_object_set_new(o, "achieved", json_integer(r->plain[i].yes));
		}
		json_array_append_new(plain, o);
	}
	for (i = 0; r->fitted && i <= EV_NCOV; i++)
		json_object_set_new(coef, i == 0 ? "intercept" : eval_covariates[i - 1], json_real(r->beta[i]));
	return json_pack("{s:s, s:s, s:s?, s:i, s:i, s:i, s:i, s:i, s:{s:b, s:b, s:i, s:f, s:o}, s:o, s:o, s:o, s:f}",
			 "terc", terc, "point", point, "reference_day", r->reference_day, "threshold", threshold,
			 "treated", r->treated, "controls", r->controls, "matched", r->matched, "unmatched",
			 r->unmatched, "model", "fitted", r->fitted, "converged", r->converged, "iterations",
			 r->iterations, "caliper", r->caliper, "coefficients", coef, "balance", balance_json(r),
			 "outcomes", rows, "contract_only", plain, "seconds", r->seconds);
}

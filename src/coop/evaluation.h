/*
 * evaluation.h — the evaluation of social contracts against a comparison
 * group (docs/CONTRACTS.md "Evaluation"): families with a contract whose
 * outcomes were recorded (coop/outcome.h) against similar families of the
 * registry that never had one, matched on a propensity score.
 *
 * Method, in short (the documentation has the details and the caveats):
 *   - covariates of a family on its index day (the contract's start; for
 *     families without one the median start of the contracts evaluated):
 *     household size, the reasons for assistance in force (poverty,
 *     unemployment, helplessness in care and upbringing, homelessness),
 *     the days registered unemployed in the last two years (in years) and
 *     long-term unemployment (labour_ltu_days()), the gmina kind (rural,
 *     urban-rural; urban the base) from the TERC's last digit;
 *   - the propensity score: logistic regression of "has a contract" on
 *     them, fitted by Newton–Raphson (IRLS) with a tiny ridge penalty;
 *   - greedy nearest-neighbour matching on the logit of the score, 1:1,
 *     without replacement, within the county, with a caliper of 0.2
 *     pooled standard deviations of the logit (Austin 2011);
 *   - balance: standardised mean differences before and after matching;
 *   - outcomes: treated families' recorded outcomes against the registry
 *     equivalent of the matched comparison family over the same window
 *     (the contract's start to the day the outcome was observed); the
 *     difference of proportions of matched pairs and its Wald interval
 *     for paired data, per county and overall; counts under the
 *     threshold suppressed.
 * The statistical functions are pure (no database) and tested alone.
 */
#ifndef RAZEM_COOP_EVALUATION_H
#define RAZEM_COOP_EVALUATION_H

#include <jansson.h>

#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"

/* Covariates, in the order of the model (the intercept comes first in beta). */
enum { EV_SIZE, EV_POVERTY, EV_UNEMPLOYMENT, EV_HELPLESSNESS, EV_HOMELESSNESS, EV_UNEMP_YEARS, EV_LONG_TERM,
	EV_RURAL, EV_URBAN_RURAL, EV_NCOV };
extern const char *const eval_covariates[EV_NCOV]; /* codes: household_size, … */
const char *eval_covariate_label(int k);

/* The outcomes compared with the registry (outcome_kind.comparable = 1). */
enum { EV_EMPLOYMENT, EV_LEFT_BENEFITS, EV_NOUT };
extern const char *const eval_outcomes[EV_NOUT]; /* employment, left_benefits */

/* ---- statistics (pure) ---- */

/*
 * eval_logit_fit() fits P(y = 1) = 1 / (1 + exp(-x·beta)) by Newton–Raphson
 * (iteratively reweighted least squares) on n rows of k columns (row
 * major; the caller puts the intercept's 1 in column 0), maximising the
 * log-likelihood minus lambda/2 · Σ beta_j² over j >= 1 (lambda 0: plain
 * maximum likelihood). Stops when no coefficient moves more than 1e-8 or
 * after 50 iterations. beta[k] out, *iterations out. 0 converged, 1 not
 * converged or singular (beta the last estimate), -1 out of memory.
 */
int eval_logit_fit(const double *x, const int *y, int n, int k, double lambda, double *beta, int *iterations);

/* eval_logit() is x·beta over k columns (the logit of the score). */
double eval_logit(const double *beta, const double *xrow, int k);

/*
 * eval_match() pairs each treated unit (score st[i], logit scale) with
 * the nearest unused control (sc[j]) within caliper, without
 * replacement, the treated taken from the highest score down (ties by
 * index). match[i] = j, or -1 when no unused control is within the
 * caliper. Returns the number of pairs, -1 out of memory.
 */
int eval_match(const double *st, int nt, const double *sc, int nc, double caliper, int *match);

/*
 * eval_smd() is the standardised mean difference (mt - mc) / sd with
 * sd = sqrt((vt + vc) / 2); 0 when sd is 0.
 */
double eval_smd(double mt, double vt, double mc, double vc);

/* The comparison of one outcome over matched pairs. */
struct eval_diff {
	int pairs;
	int t_yes, c_yes;   /* families with the outcome among the treated / the comparison */
	int b, c;           /* discordant pairs: treated yes and control no; treated no and control yes */
	double rate_t, rate_c, diff, lo, hi; /* rates, difference, 95 % interval */
};

/*
 * eval_paired_diff() compares yt[i] with yc[i] (0/1) over n matched
 * pairs: diff = (b - c) / n, the Wald interval for paired proportions
 * diff ± 1.96 · sqrt(b + c - (b - c)² / n) / n (Agresti, Categorical Data
 * Analysis, §10.1). n 0 gives zeros.
 */
void eval_paired_diff(const int *yt, const int *yc, int n, struct eval_diff *out);

/* eval_suppressed() is 1 when a count of d (pairs, or either group's families with or without) is under threshold but not 0, or pairs < threshold. */
int eval_suppressed(const struct eval_diff *d, int threshold);

/* ---- the evaluation ---- */

struct eval_balance {
	double mean_t[2], mean_c[2], smd[2]; /* [0] before matching, [1] after */
};

struct eval_row {
	const char *county;      /* powiat TERC (4 digits), NULL = overall */
	int outcome;             /* EV_EMPLOYMENT … */
	struct eval_diff d;
	int suppressed;
};

/* An outcome without a registry equivalent: the contract families only. */
struct eval_plain {
	const char *kind;
	int families, yes, suppressed;
};

struct eval_result {
	const char *terc, *point, *reference_day;
	int treated, controls;       /* families with outcomes; eligible comparison families */
	int matched, unmatched;      /* treated with / without a match */
	int fitted, converged, iterations;
	double beta[EV_NCOV + 1], caliper;
	struct eval_balance balance[EV_NCOV];
	int balance_suppressed;      /* a group under the threshold: no means shown */
	struct eval_row *rows;       /* per county (by TERC) then overall, per outcome */
	int nrows;
	struct eval_plain plain[8];
	int nplain;
	double seconds;
};

/*
 * evaluation_run() evaluates the contracts of the families whose TERC
 * begins with terc ("" = all) on their outcomes at point ("completion" or
 * "follow_up"), suppressing counts under threshold (0 = none). Reads
 * only aggregates out: no personal read is recorded because none leaves
 * (the caller records the report's use). 0 or -1.
 */
int evaluation_run(struct db *db, struct arena *a, const char *terc, const char *point, int threshold,
		   struct eval_result *out);

/*
 * evaluation_json() is result r as GET /api/v1/evaluation answers it
 * (evaluation_json.c; shared with `razem evaluation --format json`):
 * suppressed rows carry only suppressed: true. A new reference.
 */
json_t *evaluation_json(const struct eval_result *r, const char *terc, const char *point, int threshold);

#endif

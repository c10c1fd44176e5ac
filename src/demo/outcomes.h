/*
 * outcomes.h — the demo's outcomes of social contracts and the earlier
 * cohort the evaluation compares (docs/CONTRACTS.md "Demo").
 */
#ifndef RAZEM_DEMO_OUTCOMES_H
#define RAZEM_DEMO_OUTCOMES_H

#include "core/arena.h"
#include "db/db.h"

/*
 * demo_outcomes() records, after demo_contracts():
 *   - the outcomes at completion of the demo's completed and terminated
 *     contracts, through coop/outcome.c as the coordinator;
 *   - an earlier cohort of up to 60 family contracts of the Jarzębin
 *     centre's households (the urban-rural gmina's MGOPS, social worker
 *     jarzebin; no guardian, no consent: only the centre sees them),
 *     concluded 19 to 24 months ago for a year and completed, written
 *     directly as completed contracts (the version, its members, a main
 *     goal evaluated, the events), with
 *     their outcomes at completion and six months later — except two
 *     whose follow-up is still to be recorded, so that the social
 *     worker's start page reminds them.
 * The rest of the registry (1,200 households with their reasons, periods
 * and benefits) is the pool of comparison families. Deterministic (a
 * fixed seed; dates relative to today). 0, or -1 with err.
 */
int demo_outcomes(struct db *db, struct arena *a, char *err, size_t errlen);

#endif

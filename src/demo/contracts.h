/*
 * contracts.h — the demo county's teams, local programme and social
 * contracts.
 */
#ifndef RAZEM_DEMO_CONTRACTS_H
#define RAZEM_DEMO_CONTRACTS_H

#include <stddef.h>

#include "core/arena.h"
#include "db/db.h"

/*
 * demo_contracts() adds, for the demo county (powiat 3050): a PZKW (the
 * coordinator chairs it; the PUP, MOPS, PCPR, CIS and, honorary, the
 * starostwo sit on it), an MGI (two guardians: opiekun and
 * pcpr.pracownik; the adviser, a social worker, the social cooperative,
 * the NGO), an interdisciplinary team; an LPIW of four actions (one per
 * module) adopted by a vote at a meeting two months ago, and a meeting
 * ten days ago; ten family contracts of MOPS households and twenty
 * individual ones (variant A, B, homelessness) in every state — draft,
 * submitted (four), returned, approved, active (with overdue actions),
 * an amendment awaiting approval, completed with the goals evaluated,
 * terminated for non-cooperation (art. 11, the social worker's task) and
 * for loss of contact — all through coop/contract.c as the demo's social
 * worker and coordinator. Dates are relative to today. 0, or -1 with err.
 */
int demo_contracts(struct db *db, struct arena *a, char *err, size_t errlen);

#endif

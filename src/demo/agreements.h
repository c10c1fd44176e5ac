/*
 * agreements.h — the demonstration database's partnership agreements
 * (coop/agreement.h) between the fictional county's institutions.
 */
#ifndef RAZEM_DEMO_AGREEMENTS_H
#define RAZEM_DEMO_AGREEMENTS_H

#include <stddef.h>

#include "core/arena.h"
#include "db/db.h"

/*
 * demo_agreements() adds agreements in several states between the
 * institutions demo_build() created: most OPS–PUP ones signed (one-year,
 * multi-year, indefinite; one ending within 60 days), one in negotiation,
 * one terminated (replaced by a newer one), a three-party one, and one
 * OPS (Zielonka Mała) with none. Dates are relative to today, so the demo
 * keeps its shape whenever it is built. Returns 0, or -1 with err.
 */
int demo_agreements(struct db *db, struct arena *a, char *err, size_t errlen);

#endif

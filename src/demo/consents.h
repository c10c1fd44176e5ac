/*
 * consents.h — the demonstration database's consents (coop/consent.h):
 * persons of the MOPS in Przykładowo who consented to the PUP seeing their
 * record for labour-market activation, and a few other cases.
 */
#ifndef RAZEM_DEMO_CONSENTS_H
#define RAZEM_DEMO_CONSENTS_H

#include <stddef.h>

#include "db/db.h"

/*
 * demo_consents() adds, for the first persons of the MOPS in Przykładowo
 * (after demo_agreements() and the demo's people): consents to the PUP for
 * labour-market activation (in force, two ending within 30 days, one
 * withdrawn), one for a social contract, one statutory basis (the
 * interdisciplinary team) for all partners under the MOPS–PUP agreement.
 * Nothing when there are no persons. Returns 0, or -1 with err.
 */
int demo_consents(struct db *db, char *err, size_t errlen);

#endif

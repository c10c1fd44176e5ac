/*
 * referrals.h — the demonstration database's referrals between
 * institutions (coop/referral.h).
 */
#ifndef RAZEM_DEMO_REFERRALS_H
#define RAZEM_DEMO_REFERRALS_H

#include <stddef.h>

#include "core/arena.h"
#include "db/db.h"

/*
 * demo_referrals() adds referrals in several states between the MOPS, the
 * PUP and the partner OPS, about generated persons (call it after the
 * people and the agreements): two sent by the MOPS by record (one waiting
 * for the PUP, one accepted), a PESEL sent by the PUP to every partner
 * (waiting at the MOPS, "not our client" from one GOPS), one refused by
 * the MOPS. Returns 0, or -1 with err.
 */
int demo_referrals(struct db *db, struct arena *a, char *err, size_t errlen);

#endif

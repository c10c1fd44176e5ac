/*
 * linkage.h — the demonstration database's record-linkage material: PUP
 * records of a few MOPS persons written differently (no PESEL, a typo, no
 * Polish letters, a married name, day and month swapped), the
 * data-quality bases that let both sides review them, and the first run of
 * the linker (link/store.h), so the review queue has pairs to show.
 */
#ifndef RAZEM_DEMO_LINKAGE_H
#define RAZEM_DEMO_LINKAGE_H

#include <stddef.h>

#include "core/arena.h"
#include "db/db.h"

/*
 * demo_linkage() adds the PUP's copies and their bases (after the people,
 * the agreements and the consents), then links the whole register. Without
 * the demo's county it only links. Returns 0, or -1 with err.
 */
int demo_linkage(struct db *db, struct arena *a, char *err, size_t errlen);

#endif

/*
 * episodes.h — the demonstration database's support episodes
 * (coop/episode.h) and the duplicated support they make.
 */
#ifndef RAZEM_DEMO_EPISODES_H
#define RAZEM_DEMO_EPISODES_H

#include <stddef.h>

#include "core/arena.h"
#include "db/db.h"

/*
 * demo_episodes() gives the demo's people a few hundred episodes: the
 * labour office's records (the PUP persons, who share their PESEL with a
 * social-assistance record) get training, internships, counselling,
 * placement and works; about a third of their social-assistance records
 * get a course or counselling of their own, some overlapping the
 * office's, so the overlap detection finds duplicated support (with its
 * alerts) where the agreement has information exchange. Deterministic;
 * dates relative to today. Call after demo_agreements() and the people,
 * inside the demo's transaction. Returns 0, or -1 with err.
 */
int demo_episodes(struct db *db, struct arena *a, char *err, size_t errlen);

#endif

/*
 * demo.h — the demonstration database: a fictional county, "powiat
 * przykładowy", with ten gminas, the institutions that cooperate there and
 * one account per role, all with the password "demo". Later capabilities
 * add their own demo data here so every page has something to show.
 */
#ifndef RAZEM_DEMO_DEMO_H
#define RAZEM_DEMO_DEMO_H

#include <stddef.h>

#include "db/db.h"

/* The demo accounts, in role order, NULL-terminated; all use DEMO_PASSWORD. */
extern const char *const demo_logins[];
#define DEMO_PASSWORD "demo"

/*
 * demo_account() describes the i-th demo account (0-based, same order as
 * demo_logins): its role code and the name of its institution. Returns 0,
 * or -1 past the last account.
 */
int demo_account(size_t i, const char **role, const char **institution);

/*
 * demo_build() fills an empty, migrated database with the demo data and
 * marks it as a demo database (app_meta demo = 1), in one transaction.
 * Returns 0, or -1 with the reason in err.
 */
int demo_build(struct db *db, char *err, size_t errlen);

/* The generated people (demo/people.h): households, and the seed that makes them the same every time. */
#define DEMO_HOUSEHOLDS 1200
#define DEMO_SEED 20261201u

/* demo_build_people() is demo_build() with households generated households (0 = none). */
int demo_build_people(struct db *db, int households, char *err, size_t errlen);

/* demo_is_demo() is 1 when the database is marked as a demo database, 0 if not, -1 on error. */
int demo_is_demo(struct db *db);

#endif

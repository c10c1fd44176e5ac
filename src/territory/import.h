/*
 * import.h — importing a TERC register into territory_unit.
 *
 * A register is a state at one date (STAN_NA). Importing it opens the
 * units it lists that the database lacks (or had closed), updates the
 * names and kinds that changed, and closes (valid_to = STAN_NA) the
 * imported units it no longer lists; nothing is deleted, so data naming a
 * closed unit stays readable under its old code. Fictional (demo) units
 * are never touched. Re-importing the same file changes nothing. The whole
 * import is one transaction with its territory.import audit row: a file
 * with any bad row changes nothing.
 */
#ifndef RAZEM_TERRITORY_IMPORT_H
#define RAZEM_TERRITORY_IMPORT_H

#include "audit/audit.h"
#include "db/db.h"
#include "territory/terc.h"

struct terc_import_counts {
	int rows;       /* units in the file */
	int added;      /* new codes */
	int reopened;   /* codes closed before and listed again */
	int changed;    /* open units whose name, kind or parent changed */
	int closed;     /* open imported units the file no longer lists */
	int unchanged;  /* open units listed as they are */
	char date[11];  /* the register's STAN_NA */
};

/* Called now and then while the units are written: done of total. */
typedef void (*terc_progress_fn)(void *arg, int done, int total);

/*
 * terc_import() parses data (a whole CSV or XML file, see terc.h) and
 * applies it. Returns 0 when imported (out filled); 1 when the file was
 * refused (errs says why: bad rows, no rows, duplicate codes, a unit whose parent
 * is missing, a register older than the one imported) and nothing
 * changed; -1 on a database error (see db_errmsg()). source names the
 * file in the audit row. progress may be NULL.
 */
int terc_import(struct db *db, const struct audit_actor *who, const char *data, size_t len,
		const char *source, struct terc_import_counts *out, struct terc_errs *errs,
		terc_progress_fn progress, void *parg);

#endif

/*
 * terc.h — the TERC register as GUS publishes it, parsed into rows.
 *
 * Reads the CSV variants (WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA, UTF-8
 * with or without a BOM, LF or CRLF, quoted fields, columns found by their
 * header names; the official and the address variant) and both XML forms
 * (<row><col name="WOJ">…</col> of 2017 and <row><WOJ>…</WOJ> of 2025).
 * No database: the importer (territory/import.h) and the fuzz target use it.
 */
#ifndef RAZEM_TERRITORY_TERC_H
#define RAZEM_TERRITORY_TERC_H

#include <stddef.h>

#include "territory/territory.h"

#define TERC_NAME_MAX 200 /* bytes of a unit's name */
#define TERC_ERRS_MAX 10  /* rejected rows whose reason is kept */

/* One unit of the register; the strings live until the callback returns. */
struct terc_row {
	char code[8];           /* 2, 4 or 7 digits */
	char parent[8];         /* the enclosing code ("" for a voivodeship) */
	enum unit_kind kind;
	const char *name;       /* NAZWA, UTF-8 */
	char valid_from[11];    /* STAN_NA, YYYY-MM-DD */
	long line;              /* line of the row in the file (XML: of its </row>) */
};

/* Rejected rows: how many, and the first TERC_ERRS_MAX reasons ("line 12: ..."). */
struct terc_errs {
	int n;
	char msg[TERC_ERRS_MAX][160];
};

typedef int (*terc_row_fn)(void *arg, const struct terc_row *row);

/*
 * terc_parse() parses a whole file in memory (CSV or XML, told apart by
 * its first character) and calls fn for every valid row. A bad row is
 * counted in errs (with the line and the reason) and parsing goes on, so
 * one run reports every problem; a file that cannot be read as a register
 * at all (no header, broken XML) gives one error and stops. Returns 0
 * when there was no error, 1 when rows were rejected, or fn's negative
 * result when fn stopped it.
 */
int terc_parse(const char *data, size_t len, terc_row_fn fn, void *arg, struct terc_errs *errs);

#endif

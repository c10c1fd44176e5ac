/*
 * ident.h — validation of Polish identifiers: PESEL, NIP, REGON (9 and 14
 * digits), TERYT TERC codes and postcodes (PNA).
 *
 * A leaf library: no database, no HTTP, no allocation. Every check fills a
 * struct ident_error that says precisely which rule failed (which position,
 * what digit was expected), and ident_message() turns it into a sentence in
 * the current UI language (Polish by default) for forms and JSON errors.
 * The rules and test vectors come from DOMAIN.md §5 ([V] entries).
 */
#ifndef RAZEM_CORE_IDENT_H
#define RAZEM_CORE_IDENT_H

#include <stddef.h>

enum ident_kind {
	IDENT_PESEL,
	IDENT_NIP,
	IDENT_REGON,
	IDENT_TERC,
	IDENT_POSTCODE,
	IDENT_KIND__MAX
};

enum ident_code {
	IDENT_OK = 0,
	IDENT_EMPTY,         /* nothing given */
	IDENT_LENGTH,        /* wrong number of digits; got = length, expected = required */
	IDENT_CHAR,          /* non-digit at position (1-based) */
	IDENT_CHECKSUM,      /* check digit: expected vs got, at position */
	IDENT_DATE,          /* PESEL birth date is not a calendar date */
	IDENT_FUTURE,        /* PESEL birth date lies after today */
	IDENT_NIP_TEN,       /* NIP weighted sum mod 11 is 10: never issued */
	IDENT_ALL_ZERO,      /* REGON/NIP made of zeros only */
	IDENT_REGON_BASE,    /* 14-digit REGON whose first 9 digits are not a valid REGON */
	IDENT_TERC_WOJ,      /* voivodeship part not an even number 02..32 */
	IDENT_TERC_POW,      /* powiat part 00 */
	IDENT_TERC_GMI,      /* gmina part 00 */
	IDENT_TERC_RODZ,     /* type digit not one of 1,2,3,4,5,8,9 */
	IDENT_POSTCODE_FORMAT, /* not NN-NNN */
	IDENT_CODE__MAX
};

/* What went wrong, precisely enough to tell the user which rule failed. */
struct ident_error {
	enum ident_kind kind;  /* which identifier was being checked */
	enum ident_code code;  /* which rule failed (IDENT_OK if none) */
	int position;          /* 1-based character position concerned, 0 if none */
	int expected;          /* expected digit or length, -1 if not applicable */
	int got;               /* digit or length found, -1 if not applicable */
};

/* Facts read from a valid PESEL. */
struct pesel_info {
	int year;   /* full year, 1800..2299 */
	int month;  /* 1..12 */
	int day;    /* 1..31 */
	char sex;   /* 'K' (kobieta, female: even 10th digit) or 'M' (male) */
};

/* Facts read from a valid TERC code. */
enum terc_level { TERC_WOJ = 2, TERC_POW = 4, TERC_GMI = 7 };
struct terc_info {
	enum terc_level level; /* by length: 2 voivodeship, 4 powiat, 7 gmina */
	int woj, pow, gmi;     /* numeric parts; 0 when not present */
	int rodz;              /* type digit for 7-char codes, 0 otherwise */
	int city_county;       /* 1 when pow is 61..99 (city with powiat rights) */
};

/*
 * pesel_check() validates an 11-digit PESEL: digits only, check digit with
 * weights 1,3,7,9,1,3,7,9,1,3, and a real calendar date with the century
 * encoded in the month. When today_ymd (YYYYMMDD, e.g. 20261123) is non-zero
 * the birth date must not be later. Fills info (may be NULL) on success.
 * Returns 0 when valid, -1 otherwise with err filled (err may be NULL).
 */
int pesel_check(const char *s, int today_ymd, struct pesel_info *info, struct ident_error *err);

/*
 * nip_check() validates a NIP. Accepts an optional "PL" prefix and dashes or
 * spaces between digits, which are removed; the 10 bare digits are written
 * to norm (11 bytes, NUL-terminated) when norm is non-NULL and the value is
 * valid. Weights 6,5,7,2,3,4,5,6,7; sum mod 11 must equal the 10th digit and
 * a sum of 10 is never issued. Returns 0 / -1 with err filled.
 */
int nip_check(const char *s, char norm[11], struct ident_error *err);

/*
 * regon_check() validates a 9- or 14-digit REGON (spaces and dashes are not
 * accepted). 9 digits: weights 8,9,2,3,4,5,6,7, check = (sum mod 11) mod 10.
 * 14 digits: the first 9 must be a valid REGON, then weights
 * 2,4,8,5,0,9,7,3,6,1,2,4,8 on digits 1..13. All-zero numbers are refused.
 * Returns 0 / -1 with err filled.
 */
int regon_check(const char *s, struct ident_error *err);

/*
 * terc_check() validates the structure of a TERYT TERC code of 2, 4 or 7
 * digits (WW, WWPP, WWPPGGR): WW even in 02..32, PP in 01..99 (61..99 are
 * cities with powiat rights), GG in 01..99, R in {1,2,3,4,5,8,9}. It does
 * not check that the unit exists; that is the territory register's job.
 * Returns 0 / -1 with err filled; info (may be NULL) filled on success.
 */
int terc_check(const char *s, struct terc_info *info, struct ident_error *err);

/*
 * postcode_check() validates a Polish postcode written NN-NNN.
 * Returns 0 / -1 with err filled.
 */
int postcode_check(const char *s, struct ident_error *err);

/*
 * ident_message() writes a one-sentence explanation of err in the current UI
 * language (through i18n, Polish by default), e.g. "Cyfra kontrolna PESEL
 * (11. cyfra) powinna wynosić 8, a wynosi 9." Always NUL-terminates out
 * (when outlen > 0) and returns out.
 */
char *ident_message(const struct ident_error *err, char *out, size_t outlen);

#endif

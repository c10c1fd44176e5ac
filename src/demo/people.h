/*
 * people.h — generated people for the demonstration database and for
 * benchmarks of the import: deterministic (a seed gives the same people
 * every time), realistic enough that every page has something to show.
 *
 * Polish first names and surnames drawn with plausible frequencies (the
 * lists are our own, embedded), feminine surname forms (Kowalski →
 * Kowalska, -cki → -cka, -dzki → -dzka; Nowak stays Nowak), valid PESELs
 * agreeing with birth date and sex (months +20 for births from 2000),
 * birth dates following an age pyramid, households (an applicant, a
 * spouse, children with the family surname, single people, some three
 * generations), addresses in the fictional county's gminas.
 *
 * Generation is streamed one household at a time (demo_gen_household()),
 * so a CSV of a million persons needs no more memory than one household
 * and a small table of the PESEL serials used per birth date.
 * demo_people_build() writes about 3,000 persons in about 1,200
 * households to a database built by demo_build(), with their reasons for
 * assistance, labour-market periods, benefits and interviews where the
 * schema has them.
 */
#ifndef RAZEM_DEMO_PEOPLE_H
#define RAZEM_DEMO_PEOPLE_H

#include <stdint.h>
#include <stdio.h>

#include "db/db.h"

/* A small deterministic generator (splitmix64): the same seed, the same people. */
struct demo_rng {
	uint64_t s;
};

void demo_rng_seed(struct demo_rng *r, uint64_t seed);
uint64_t demo_rng_next(struct demo_rng *r);
/* demo_rng_below() is uniform in 0..n-1 (n > 0). */
uint32_t demo_rng_below(struct demo_rng *r, uint32_t n);

/*
 * demo_surname_form() writes into out the form of a (masculine, dictionary)
 * surname for sex 'K' or 'M': -ski/-cki/-dzki become -ska/-cka/-dzka for a
 * woman; other surnames keep their form. Returns out.
 */
const char *demo_surname_form(const char *surname, char sex, char *out, size_t outlen);

/*
 * demo_pesel() writes the PESEL (11 digits and NUL) of a person born on
 * y-m-d (1800..2299) of sex 'K' or 'M' with serial 0..4999 (the three
 * serial digits and the sex digit: serial / 5 and an even or odd digit).
 * Returns 0, or -1 for an impossible date or serial.
 */
int demo_pesel(int y, int m, int d, char sex, unsigned serial, char out[12]);

/* One generated person. */
struct demo_person {
	char pesel[12];
	char first_names[64];
	char surname[64];
	char birth_date[11];      /* YYYY-MM-DD */
	char sex;                 /* 'K' or 'M' */
	const char *relation;     /* applicant, spouse, child, parent (family_relations codes) */
	char street[64];          /* "" in a village without streets */
	char house_no[8];
	char flat_no[8];          /* "" for a house */
	char postcode[7];
	char town[48];
	char terc[8];             /* TERC code of the gmina (7 characters) */
	char phone[24];           /* "" when none */
	const char *education;    /* person_educations code, or NULL for a child */
	const char *disability;   /* NULL, or "light" / "moderate" / "significant" */
	int age;                  /* full years on the generator's "today" */
};

#define DEMO_HOUSEHOLD_MAX 10

/* One household: members[0] is the applicant. */
struct demo_household {
	int64_t number;           /* 1, 2, ... in generation order */
	int n;
	int gmina;                /* index of the gmina (demo_gminas) */
	struct demo_person members[DEMO_HOUSEHOLD_MAX];
};

/* The gminas people live in: TERC code and the name of its seat. */
struct demo_gmina {
	const char *terc;
	const char *seat;
};
extern const struct demo_gmina demo_gminas[];
extern const int demo_ngminas;

struct demo_gen;

/*
 * demo_gen_new() starts a generator: seed, and today as YYYYMMDD (ages and
 * birth dates are counted from it, so a fixed day gives fixed people).
 * Returns NULL when out of memory. demo_gen_free() ends it.
 */
struct demo_gen *demo_gen_new(uint64_t seed, int today_ymd);
void demo_gen_free(struct demo_gen *g);

/*
 * demo_gen_national_surnames() makes g's households draw their surnames
 * from a country's long tail instead of the county's hundred: the county's
 * list first (Nowak about 0.45 % of people), then a few thousand more
 * made of Polish stems and endings, for benchmarks of record linkage,
 * where a hundred surnames would make strangers look alike. The demo
 * database does not use it. Call it before the first household; returns
 * 0, or -1 when out of memory.
 */
int demo_gen_national_surnames(struct demo_gen *g);

/* demo_gen_surname() draws a surname (masculine form) as g draws a household's. */
const char *demo_gen_surname(struct demo_gen *g);

/* demo_gen_household() fills h with the next household. */
void demo_gen_household(struct demo_gen *g, struct demo_household *h);

/* demo_gen_rng() is the generator's random source, for the choices made around households. */
struct demo_rng *demo_gen_rng(struct demo_gen *g);

enum demo_encoding { DEMO_UTF8, DEMO_CP1250 };

/*
 * demo_people_csv() writes n generated persons to f as an office's
 * software exports its client register: a header in Polish (PESEL;Imię;
 * Nazwisko;Data urodzenia;Płeć;Kod pocztowy;Miejscowość;Ulica;Nr domu;
 * Nr lokalu;Telefon;Nr gospodarstwa), ';' separated, CRLF, UTF-8 with a
 * BOM or Windows-1250 without one. Streamed. Returns 0, or -1 when
 * writing failed (errno set).
 */
int demo_people_csv(FILE *f, int64_t n, uint64_t seed, int today_ymd, enum demo_encoding enc);

/* demo_utf8_to_cp1250() converts s into out (Polish letters and „”–; others become '?'). */
size_t demo_utf8_to_cp1250(const char *s, char *out, size_t outlen);

/* What demo_people_build() created. */
struct demo_people_stats {
	int64_t persons, households, members, pup_pairs, history;
	int64_t reasons, statuses, benefits, interviews;
};

/*
 * demo_people_build() adds the generated households of the demo county
 * to a database that demo_build() has just filled (inside its
 * transaction): persons owned by the OPS/MOPS of their gmina (some by the
 * PCPR), about one in ten adults of working age also held by the PUP as
 * a second record with the same PESEL, lead workers from each
 * institution's social workers, one "create" history row per record.
 * households is the number of households (about 2.5 persons each).
 * Returns 0, or -1 with the reason in err.
 */
int demo_people_build(struct db *db, int households, uint64_t seed, struct demo_people_stats *st,
		      char *err, size_t errlen);

#endif

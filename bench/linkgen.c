/*
 * bench/linkgen.c — two institutions' registers of one Polish population,
 * with known truth, for benchmarking record linkage (bench/link.sh):
 *
 *   build/bench/linkgen [--persons N] [--persons-b M] [--overlap F] [--seed S]
 *                       [--dup-rate R] [--<error> RATE]... [--cp1250] [--out DIR]
 *
 * The people come from the demo module's generator (src/demo/people.h:
 * households, feminine surname forms, PESELs agreeing with birth date and
 * sex, addresses and TERC of the demo county) with a country's surnames
 * (demo_gen_national_surnames()). Each person is in A only, in B only or
 * in both (exact counts: N in A, M in B, F × N in both, drawn so that the
 * three kinds are mixed evenly through the files); a share R of A's
 * persons is typed twice by A. Every record is then typed with errors,
 * each kind independently with its own rate (--help lists them), so a
 * true pair shows about twice the rate of each.
 *
 * DIR/A.csv is a social-assistance centre's export (';', CRLF, UTF-8 with
 * a BOM or Windows-1250, all first names in one column, YYYY-MM-DD, house
 * and flat as "12a/5"); DIR/B.csv a labour office's (',', LF, UTF-8,
 * names in capitals, first and second name apart, DD.MM.YYYY, the street
 * without "ul.", the flat apart; only persons aged 18 to 64). DIR/truth.csv
 * lists every true cross pair (id_a,id_b), DIR/truth_dedup_a.csv every
 * pair of A's records of one person (id_1,id_2). Standard error gets the
 * counts and the `razem link --columns` SPEC of each file.
 *
 * Streamed: memory is two shuffle windows (the files are not in the same
 * order) and the generators' tables, whatever N.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/str.h"
#include "demo/demo.h"
#include "demo/people.h"

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define TODAY 20261201
#define LINE 512
#define WINDOW 4096

/* ------------------------------------------------------------------ */
/* Error kinds and their rates                                          */
/* ------------------------------------------------------------------ */

enum err_kind {
	E_PESEL_MISSING,
	E_PESEL_TYPO,
	E_PESEL_TRANSPOSE,
	E_NO_POLISH,
	E_SURNAME_TYPO,
	E_BIRTH_SURNAME,
	E_DOUBLE_BARREL,
	E_DIMINUTIVE,
	E_SWAP_NAMES,
	E_DATE_SWAP,
	E_DATE_TYPO,
	E_MOVED,
	E_MISSING,
	E_KINDS
};

static const struct {
	const char *option;
	double rate;
	const char *help;
} kinds[E_KINDS] = {
	[E_PESEL_MISSING] = { "pesel-missing", 0.05, "PESEL not given" },
	[E_PESEL_TYPO] = { "pesel-typo", 0.02, "one PESEL digit mistyped (the checksum fails)" },
	[E_PESEL_TRANSPOSE] = { "pesel-transpose", 0.01, "two adjacent different PESEL digits swapped" },
	[E_NO_POLISH] = { "no-polish", 0.15, "names, street and town without Polish letters (Łódź → Lodz)" },
	[E_SURNAME_TYPO] = { "surname-typo", 0.04,
			     "a letter of the surname inserted, deleted, substituted or swapped with the next" },
	[E_BIRTH_SURNAME] = { "birth-surname", 0.10,
			      "a married woman under her birth surname (the person's other records then give it "
			      "as the birth surname); rate of married women's records" },
	[E_DOUBLE_BARREL] = { "double-barrel", 0.04,
			      "a married woman under a double-barrelled surname (Nowak-Kowalska); rate of married "
			      "women's records" },
	[E_DIMINUTIVE] = { "diminutive", 0.04, "the first name as a diminutive (Kasia, Jurek, Gosia)" },
	[E_SWAP_NAMES] = { "swap-names", 0.01, "first name and surname in each other's column" },
	[E_DATE_SWAP] = { "date-swap", 0.03,
			  "birth day and month transposed; rate of records whose day is 12 or less" },
	[E_DATE_TYPO] = { "date-typo", 0.02, "one digit of the birth date mistyped (still a valid date)" },
	[E_MOVED] = { "moved", 0.08, "another address of the county (moved: other street, postcode, town)" },
	[E_MISSING] = { "missing", 0.05,
			"one field left empty: birth date, sex, street, house number, postcode, town or TERC" },
};

struct config {
	int64_t persons_a, persons_b;
	double overlap, dup_rate;
	double rate[E_KINDS];
	uint64_t seed;
	int cp1250;
	const char *out;
};

/* ------------------------------------------------------------------ */
/* Records                                                              */
/* ------------------------------------------------------------------ */

/* One record as an institution typed it. */
struct rec {
	char pesel[12];
	char given[128];          /* all first names, space separated */
	char surname[128];
	char birth_surname[64];   /* "" when not given */
	char sex;                 /* 'K', 'M', or 0 when not given */
	int y, m, d;              /* y == 0 when not given */
	char street[64], house[8], flat[8], postcode[7], town[48], terc[8];
};

/* One person of the population: the record as it should be, and what the registers do with it. */
struct truth_person {
	struct rec clean;
	char maiden[64];          /* a married woman's birth surname, "" for others */
	int age;
};

struct out_file {
	FILE *f;
	char (*window)[LINE];
	int n;
};

struct gen {
	struct config c;
	struct demo_gen *people, *moves;
	struct demo_rng r;
	struct out_file a, b;
	FILE *truth, *dedup;
	int64_t need_both, need_a, need_b;
	int64_t next_a, next_b;
	int64_t records_a, records_b, dups, cross_pairs, both;
	int64_t applied[E_KINDS];
};

static int chance(struct demo_rng *r, double p)
{
	return (double)(demo_rng_next(r) >> 11) / 9007199254740992.0 < p;
}

/* ------------------------------------------------------------------ */
/* Letters                                                              */
/* ------------------------------------------------------------------ */

/* The Polish letters, lower then upper case, with their plain Latin letters. */
static const struct {
	const char *lower, *upper;
	char plain;
} polish[] = {
	{ "ą", "Ą", 'a' }, { "ć", "Ć", 'c' }, { "ę", "Ę", 'e' }, { "ł", "Ł", 'l' }, { "ń", "Ń", 'n' },
	{ "ó", "Ó", 'o' }, { "ś", "Ś", 's' }, { "ź", "Ź", 'z' }, { "ż", "Ż", 'z' },
};

/* utf8_len() is the byte length of the character starting with byte c. */
static int utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
}

/* map_letters() rewrites s in place: plain (1) drops diacritics, upper (1) capitalises. */
static void map_letters(char *s, int plain, int upper)
{
	char out[128];
	size_t n = 0;
	const char *p = s;

	while (*p != '\0' && n + 4 < sizeof(out)) {
		int len = utf8_len((unsigned char)*p), i, done = 0;

		for (i = 0; len == 2 && i < N_OF(polish) && !done; i++) {
			int is_upper = memcmp(p, polish[i].upper, 2) == 0;

			if (!is_upper && memcmp(p, polish[i].lower, 2) != 0)
				continue;
			if (plain) {
				out[n++] = (char)(is_upper || upper ? polish[i].plain - 'a' + 'A' : polish[i].plain);
			} else {
				memcpy(out + n, upper ? polish[i].upper : p, 2);
				n += 2;
			}
			done = 1;
		}
		if (!done) {
			if (len == 1)
				out[n++] = upper && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
			else
				for (i = 0; i < len && p[i] != '\0'; i++)
					out[n++] = p[i];
		}
		p += len;
	}
	out[n] = '\0';
	memcpy(s, out, n + 1);
}

/* ------------------------------------------------------------------ */
/* Errors                                                               */
/* ------------------------------------------------------------------ */

/* Diminutives of the first names the demo generator gives (its three generations' lists). */
static const char *const diminutives[][2] = {
	{ "Krystyna", "Krysia" }, { "Barbara", "Basia" }, { "Danuta", "Danka" }, { "Teresa", "Tereska" },
	{ "Janina", "Janka" }, { "Halina", "Halinka" }, { "Irena", "Irka" }, { "Jadwiga", "Jadzia" },
	{ "Zofia", "Zosia" }, { "Maria", "Marysia" }, { "Anna", "Ania" }, { "Elżbieta", "Ela" },
	{ "Stanisława", "Stasia" }, { "Helena", "Hela" }, { "Genowefa", "Genia" }, { "Wanda", "Wandzia" },
	{ "Bożena", "Bożenka" }, { "Grażyna", "Grażynka" }, { "Czesława", "Czesia" },
	{ "Kazimiera", "Kazia" }, { "Henryka", "Henia" }, { "Leokadia", "Lodzia" },
	{ "Władysława", "Władzia" }, { "Katarzyna", "Kasia" }, { "Małgorzata", "Gosia" },
	{ "Agnieszka", "Aga" }, { "Ewa", "Ewka" }, { "Joanna", "Asia" }, { "Magdalena", "Magda" },
	{ "Monika", "Monia" }, { "Dorota", "Dorotka" }, { "Iwona", "Iwonka" }, { "Jolanta", "Jola" },
	{ "Renata", "Renia" }, { "Justyna", "Justynka" }, { "Sylwia", "Sylwka" }, { "Marta", "Martusia" },
	{ "Aneta", "Anetka" }, { "Edyta", "Edytka" }, { "Agata", "Agatka" }, { "Karolina", "Karolcia" },
	{ "Urszula", "Ula" }, { "Izabela", "Iza" }, { "Marzena", "Marzenka" }, { "Ilona", "Ilonka" },
	{ "Julia", "Julka" }, { "Zuzanna", "Zuzia" }, { "Maja", "Majka" }, { "Lena", "Lenka" },
	{ "Hanna", "Hania" }, { "Amelia", "Amelka" }, { "Oliwia", "Oliwka" }, { "Alicja", "Ala" },
	{ "Natalia", "Natalka" }, { "Aleksandra", "Ola" }, { "Wiktoria", "Wika" },
	{ "Martyna", "Martynka" }, { "Weronika", "Werka" }, { "Emilia", "Emilka" },
	{ "Gabriela", "Gabrysia" }, { "Paulina", "Paula" }, { "Antonina", "Tosia" },
	{ "Klaudia", "Klaudusia" }, { "Patrycja", "Patrysia" }, { "Stanisław", "Staszek" },
	{ "Jan", "Janek" }, { "Józef", "Józek" }, { "Kazimierz", "Kazik" }, { "Tadeusz", "Tadek" },
	{ "Zbigniew", "Zbyszek" }, { "Henryk", "Heniek" }, { "Ryszard", "Rysiek" }, { "Jerzy", "Jurek" },
	{ "Władysław", "Władek" }, { "Edward", "Edek" }, { "Czesław", "Czesiek" },
	{ "Mieczysław", "Mietek" }, { "Zdzisław", "Zdzisiek" }, { "Andrzej", "Jędrek" },
	{ "Roman", "Romek" }, { "Eugeniusz", "Gienek" }, { "Wiesław", "Wiesiek" },
	{ "Franciszek", "Franek" }, { "Bolesław", "Bolek" }, { "Stefan", "Stefek" }, { "Piotr", "Piotrek" },
	{ "Krzysztof", "Krzysiek" }, { "Tomasz", "Tomek" }, { "Paweł", "Pawełek" },
	{ "Michał", "Michałek" }, { "Grzegorz", "Grzesiek" }, { "Adam", "Adaś" }, { "Dariusz", "Darek" },
	{ "Jarosław", "Jarek" }, { "Sławomir", "Sławek" }, { "Wojciech", "Wojtek" },
	{ "Przemysław", "Przemek" }, { "Radosław", "Radek" }, { "Mirosław", "Mirek" },
	{ "Jakub", "Kuba" }, { "Antoni", "Antek" }, { "Szymon", "Szymek" }, { "Aleksander", "Olek" },
	{ "Mateusz", "Mati" }, { "Bartosz", "Bartek" }, { "Tymon", "Tymek" }, { "Łukasz", "Łukaszek" },
	{ "Marcin", "Marcinek" }, { "Kacper", "Kacperek" },
};

/* diminutive() gives the first of the first names as a diminutive; 0 when it has none. */
static int diminutive(struct rec *x)
{
	size_t first = strcspn(x->given, " ");
	int i;

	for (i = 0; i < N_OF(diminutives); i++)
		if (strlen(diminutives[i][0]) == first && memcmp(x->given, diminutives[i][0], first) == 0) {
			snprintf(x->given, sizeof(x->given), "%s", diminutives[i][1]);
			return 1;
		}
	return 0;
}

/* surname_typo() inserts, deletes, substitutes or transposes a letter after the first. */
static int surname_typo(struct demo_rng *r, char *s, size_t cap)
{
	static const char letters[] = "aeiouyklmnprstwzcbdgj";
	size_t starts[64], n = 0, len = strlen(s), at, next;
	char buf[128];
	int op = (int)demo_rng_below(r, 4);

	for (at = 0; at < len && n < N_OF(starts); at += (size_t)utf8_len((unsigned char)s[at]))
		starts[n++] = at;
	if (n < 3 || len + 2 >= cap)
		return 0;
	at = starts[1 + demo_rng_below(r, (uint32_t)(n - 2))];
	next = at + (size_t)utf8_len((unsigned char)s[at]);
	if (s[at] == '-' || s[at] == ' ' || s[next] == '-' || s[next] == ' ')
		return 0;
	if (op == 0) /* insert before at */
		snprintf(buf, sizeof(buf), "%.*s%c%s", (int)at, s, letters[demo_rng_below(r, 21)], s + at);
	else if (op == 1) /* delete at */
		snprintf(buf, sizeof(buf), "%.*s%s", (int)at, s, s + next);
	else if (op == 2) /* substitute at */
		snprintf(buf, sizeof(buf), "%.*s%c%s", (int)at, s, letters[demo_rng_below(r, 21)], s + next);
	else /* swap at with the character after it */
		snprintf(buf, sizeof(buf), "%.*s%.*s%.*s%s", (int)at, s,
			 utf8_len((unsigned char)s[next]), s + next, (int)(next - at), s + at,
			 s + next + utf8_len((unsigned char)s[next]));
	if (strcmp(buf, s) == 0)
		return 0;
	snprintf(s, cap, "%s", buf);
	return 1;
}

static int pesel_typo(struct demo_rng *r, char p[12])
{
	int at = (int)demo_rng_below(r, 11);

	p[at] = (char)('0' + (p[at] - '0' + 1 + (int)demo_rng_below(r, 9)) % 10);
	return 1;
}

static int pesel_transpose(struct demo_rng *r, char p[12])
{
	int start = (int)demo_rng_below(r, 10), i;

	for (i = 0; i < 10; i++) {
		int at = (start + i) % 10;

		if (p[at] != p[at + 1]) {
			char c = p[at];

			p[at] = p[at + 1];
			p[at + 1] = c;
			return 1;
		}
	}
	return 0;
}

static int month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : days[m - 1];
}

/* date_typo() changes one digit of YYYYMMDD (not the century) to another valid date before today. */
static int date_typo(struct demo_rng *r, struct rec *x)
{
	int tries;

	for (tries = 0; tries < 20; tries++) {
		char digits[16];
		int at = 2 + (int)demo_rng_below(r, 6), y, m, d;

		snprintf(digits, sizeof(digits), "%04d%02d%02d", x->y % 10000, x->m % 100, x->d % 100);
		digits[at] = (char)('0' + (digits[at] - '0' + 1 + (int)demo_rng_below(r, 9)) % 10);
		y = (digits[0] - '0') * 1000 + (digits[1] - '0') * 100 + (digits[2] - '0') * 10 + digits[3] - '0';
		m = (digits[4] - '0') * 10 + digits[5] - '0';
		d = (digits[6] - '0') * 10 + digits[7] - '0';
		if (m >= 1 && m <= 12 && d >= 1 && d <= month_days(y, m) && y * 10000 + m * 100 + d <= TODAY) {
			x->y = y;
			x->m = m;
			x->d = d;
			return 1;
		}
	}
	return 0;
}

static int date_swap(struct rec *x)
{
	int d = x->d;

	if (d > 12 || d == x->m)
		return 0;
	x->d = x->m;
	x->m = d;
	return 1;
}

static void copy_address(struct rec *x, const struct demo_person *p)
{
	snprintf(x->street, sizeof(x->street), "%s", p->street);
	snprintf(x->house, sizeof(x->house), "%s", p->house_no);
	snprintf(x->flat, sizeof(x->flat), "%s", p->flat_no);
	snprintf(x->postcode, sizeof(x->postcode), "%s", p->postcode);
	snprintf(x->town, sizeof(x->town), "%s", p->town);
	snprintf(x->terc, sizeof(x->terc), "%s", p->terc);
}

/* moved() gives the record another address of the county: a household of a second generator. */
static int moved(struct gen *g, struct rec *x)
{
	struct demo_household h;

	demo_gen_household(g->moves, &h);
	if (strcmp(h.members[0].postcode, x->postcode) == 0 && strcmp(h.members[0].street, x->street) == 0)
		return 0;
	copy_address(x, &h.members[0]);
	return 1;
}

static int missing_field(struct demo_rng *r, struct rec *x)
{
	switch (demo_rng_below(r, 7)) {
	case 0:
		x->y = x->m = x->d = 0;
		break;
	case 1:
		x->sex = 0;
		break;
	case 2:
		x->street[0] = '\0';
		break;
	case 3:
		x->house[0] = x->flat[0] = '\0';
		break;
	case 4:
		x->postcode[0] = '\0';
		break;
	case 5:
		x->town[0] = '\0';
		break;
	default:
		x->terc[0] = '\0';
	}
	return 1;
}

static void swap_names(struct rec *x)
{
	char first[64];

	snprintf(first, sizeof(first), "%.*s", (int)strcspn(x->given, " "), x->given);
	snprintf(x->given, sizeof(x->given), "%s", x->surname);
	snprintf(x->surname, sizeof(x->surname), "%s", first);
}

/*
 * type_record() is one record of person t as an institution typed it:
 * under_birth says whether a married woman is under her birth surname
 * there, knows_birth whether that institution gives her birth surname.
 */
static void type_record(struct gen *g, const struct truth_person *t, int under_birth, int knows_birth,
			struct rec *x)
{
	struct demo_rng *r = &g->r;
	const double *rate = g->c.rate;
	int married = t->maiden[0] != '\0', done;
	double p;

	*x = t->clean;
	if (married && under_birth) {
		snprintf(x->surname, sizeof(x->surname), "%s", t->maiden);
		g->applied[E_BIRTH_SURNAME]++;
	} else if (married) {
		if (knows_birth)
			snprintf(x->birth_surname, sizeof(x->birth_surname), "%s", t->maiden);
		if (chance(r, rate[E_DOUBLE_BARREL])) {
			char both[128];

			if (chance(r, 0.7))
				snprintf(both, sizeof(both), "%.60s-%.60s", t->maiden, t->clean.surname);
			else
				snprintf(both, sizeof(both), "%.60s-%.60s", t->clean.surname, t->maiden);
			snprintf(x->surname, sizeof(x->surname), "%s", both);
			g->applied[E_DOUBLE_BARREL]++;
		}
	}
	if (chance(r, rate[E_DIMINUTIVE]))
		g->applied[E_DIMINUTIVE] += diminutive(x);
	if (chance(r, rate[E_SURNAME_TYPO]))
		g->applied[E_SURNAME_TYPO] += surname_typo(r, x->surname, sizeof(x->surname));
	if (chance(r, rate[E_SWAP_NAMES])) {
		swap_names(x);
		g->applied[E_SWAP_NAMES]++;
	}
	if (chance(r, rate[E_NO_POLISH])) {
		map_letters(x->given, 1, 0);
		map_letters(x->surname, 1, 0);
		map_letters(x->birth_surname, 1, 0);
		map_letters(x->street, 1, 0);
		map_letters(x->town, 1, 0);
		g->applied[E_NO_POLISH]++;
	}
	/* at most one thing wrong with the PESEL */
	p = (double)(demo_rng_next(r) >> 11) / 9007199254740992.0;
	done = 0;
	if (p < rate[E_PESEL_MISSING]) {
		x->pesel[0] = '\0';
		g->applied[E_PESEL_MISSING]++;
	} else if (p < rate[E_PESEL_MISSING] + rate[E_PESEL_TYPO]) {
		g->applied[E_PESEL_TYPO] += pesel_typo(r, x->pesel);
	} else if (p < rate[E_PESEL_MISSING] + rate[E_PESEL_TYPO] + rate[E_PESEL_TRANSPOSE]) {
		g->applied[E_PESEL_TRANSPOSE] += pesel_transpose(r, x->pesel);
	}
	if (chance(r, rate[E_DATE_SWAP]))
		done = date_swap(x);
	g->applied[E_DATE_SWAP] += done;
	if (!done && chance(r, rate[E_DATE_TYPO]))
		g->applied[E_DATE_TYPO] += date_typo(r, x);
	if (chance(r, rate[E_MOVED]))
		g->applied[E_MOVED] += moved(g, x);
	if (chance(r, rate[E_MISSING]))
		g->applied[E_MISSING] += missing_field(r, x);
}

/* ------------------------------------------------------------------ */
/* Output                                                               */
/* ------------------------------------------------------------------ */

/* csv_field() appends v and the separator (or the line end) to line. */
static void csv_field(char *line, size_t *len, const char *v, const char *after)
{
	int n = snprintf(line + *len, LINE - *len, "%s%s", v, after);

	if (n > 0)
		*len = *len + (size_t)n < LINE ? *len + (size_t)n : LINE - 1;
}

static void format_a(int64_t id, const struct rec *x, char *line)
{
	char num[24], date[16] = "", sex[2] = { x->sex, '\0' }, house[24];
	size_t len = 0;

	snprintf(num, sizeof(num), "%lld", (long long)id);
	if (x->y != 0)
		snprintf(date, sizeof(date), "%04d-%02d-%02d", x->y % 10000, x->m % 100, x->d % 100);
	snprintf(house, sizeof(house), "%s%s%s", x->house, x->flat[0] != '\0' ? "/" : "", x->flat);
	csv_field(line, &len, num, ";");
	csv_field(line, &len, x->pesel, ";");
	csv_field(line, &len, x->given, ";");
	csv_field(line, &len, x->surname, ";");
	csv_field(line, &len, x->birth_surname, ";");
	csv_field(line, &len, sex, ";");
	csv_field(line, &len, date, ";");
	csv_field(line, &len, x->street, ";");
	csv_field(line, &len, house, ";");
	csv_field(line, &len, x->postcode, ";");
	csv_field(line, &len, x->town, ";");
	csv_field(line, &len, x->terc, "\r\n");
}

static void format_b(int64_t id, const struct rec *x, char *line)
{
	char num[24], date[16] = "", sex[2] = { x->sex, '\0' }, first[128], second[128], surname[128], birth[64];
	const char *street = strncmp(x->street, "ul. ", 4) == 0 ? x->street + 4 : x->street;
	size_t len = 0, cut = strcspn(x->given, " ");

	snprintf(num, sizeof(num), "%lld", (long long)id);
	if (x->y != 0)
		snprintf(date, sizeof(date), "%02d.%02d.%04d", x->d % 100, x->m % 100, x->y % 10000);
	snprintf(first, sizeof(first), "%.*s", (int)cut, x->given);
	snprintf(second, sizeof(second), "%s", x->given[cut] == ' ' ? x->given + cut + 1 : "");
	snprintf(surname, sizeof(surname), "%s", x->surname);
	snprintf(birth, sizeof(birth), "%s", x->birth_surname);
	map_letters(first, 0, 1);
	map_letters(second, 0, 1);
	map_letters(surname, 0, 1);
	map_letters(birth, 0, 1);
	csv_field(line, &len, num, ",");
	csv_field(line, &len, x->pesel, ",");
	csv_field(line, &len, first, ",");
	csv_field(line, &len, second, ",");
	csv_field(line, &len, surname, ",");
	csv_field(line, &len, birth, ",");
	csv_field(line, &len, sex, ",");
	csv_field(line, &len, date, ",");
	csv_field(line, &len, street, ",");
	csv_field(line, &len, x->house, ",");
	csv_field(line, &len, x->flat, ",");
	csv_field(line, &len, x->postcode, ",");
	csv_field(line, &len, x->town, ",");
	csv_field(line, &len, x->terc, "\n");
}

static int write_line(FILE *f, const char *line, int cp1250)
{
	char conv[LINE];
	size_t n;

	if (!cp1250)
		return fputs(line, f) >= 0 ? 0 : -1;
	n = demo_utf8_to_cp1250(line, conv, sizeof(conv));
	return fwrite(conv, 1, n, f) == n ? 0 : -1;
}

/*
 * emit() passes a line through the file's shuffle window: once the window
 * is full, a random line of it is written and the new one takes its place,
 * so neither file is in the order the persons were made.
 */
static int emit(struct gen *g, struct out_file *o, const char *line, int cp1250)
{
	int at, rc = 0;

	if (o->n < WINDOW) {
		memcpy(o->window[o->n++], line, LINE);
		return 0;
	}
	at = (int)demo_rng_below(&g->r, WINDOW);
	rc = write_line(o->f, o->window[at], cp1250);
	memcpy(o->window[at], line, LINE);
	return rc;
}

static int drain(struct gen *g, struct out_file *o, int cp1250)
{
	int rc = 0;

	while (o->n > 0 && rc == 0) {
		int at = (int)demo_rng_below(&g->r, (uint32_t)o->n);

		rc = write_line(o->f, o->window[at], cp1250);
		memcpy(o->window[at], o->window[--o->n], LINE);
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* The population                                                       */
/* ------------------------------------------------------------------ */

/* married() tells whether member i of h is a married woman (a spouse, a widow...), by her household. */
static int married(struct demo_rng *r, const struct demo_household *h, int i)
{
	const struct demo_person *p = &h->members[i];
	int spouse = h->n > 1 && strcmp(h->members[1].relation, "spouse") == 0;

	if (p->sex != 'K' || p->age < 19 || strcmp(p->relation, "child") == 0)
		return 0;
	if (strcmp(p->relation, "spouse") == 0 || strcmp(p->relation, "parent") == 0 || spouse)
		return 1;
	return chance(r, h->n == 1 ? (p->age >= 30 ? 0.7 : 0.2) : 0.45);
}

static void make_person(struct gen *g, const struct demo_household *h, int i, struct truth_person *t)
{
	const struct demo_person *p = &h->members[i];
	struct rec *x = &t->clean;

	memset(t, 0, sizeof(*t));
	snprintf(x->pesel, sizeof(x->pesel), "%s", p->pesel);
	snprintf(x->given, sizeof(x->given), "%s", p->first_names);
	snprintf(x->surname, sizeof(x->surname), "%s", p->surname);
	x->sex = p->sex;
	x->y = (int)strtol(p->birth_date, NULL, 10);
	x->m = (int)strtol(p->birth_date + 5, NULL, 10);
	x->d = (int)strtol(p->birth_date + 8, NULL, 10);
	copy_address(x, p);
	t->age = p->age;
	if (married(&g->r, h, i)) {
		int tries;

		for (tries = 0; tries < 5 && (t->maiden[0] == '\0' || strcmp(t->maiden, x->surname) == 0); tries++)
			demo_surname_form(demo_gen_surname(g->people), 'K', t->maiden, sizeof(t->maiden));
		if (strcmp(t->maiden, x->surname) == 0)
			t->maiden[0] = '\0';
	}
}

enum where { NOWHERE, IN_A, IN_B, IN_BOTH };

/*
 * place() decides where a person is: with probability proportional to the
 * counts still wanted, so that each file gets exactly its size; B (a
 * labour office) holds persons aged 18 to 64 only, so a child or an old
 * person is in A or nowhere.
 */
static enum where place(struct gen *g, int age)
{
	int64_t total = g->need_a + g->need_b + g->need_both;
	int64_t x;

	if (total == 0)
		return NOWHERE;
	x = (int64_t)((double)(demo_rng_next(&g->r) >> 11) / 9007199254740992.0 * (double)total);
	if (x < g->need_a) {
		g->need_a--;
		return IN_A;
	}
	if (age < 18 || age > 64)
		return NOWHERE;
	if (x < g->need_a + g->need_b) {
		g->need_b--;
		return IN_B;
	}
	g->need_both--;
	return IN_BOTH;
}

/* person_out() writes a person's records and truth rows. */
static int person_out(struct gen *g, const struct truth_person *t, enum where w)
{
	int copies_a = w == IN_B ? 0 : 1 + chance(&g->r, g->c.dup_rate), in_b = w != IN_A, k, rc = 0;
	int under[3] = { 0, 0, 0 }, any_under = 0;
	int64_t ids[2], id_b = 0;
	struct rec x;
	char line[LINE];

	/* which records show a married woman under her birth surname (decided first: the others then know it) */
	for (k = 0; t->maiden[0] != '\0' && k < copies_a + in_b; k++)
		any_under |= under[k] = chance(&g->r, g->c.rate[E_BIRTH_SURNAME]);
	for (k = 0; k < copies_a && rc == 0; k++) {
		ids[k] = ++g->next_a;
		type_record(g, t, under[k], any_under || chance(&g->r, 0.8), &x);
		memset(line, 0, sizeof(line));
		format_a(ids[k], &x, line);
		rc = emit(g, &g->a, line, g->c.cp1250);
		g->records_a++;
	}
	if (copies_a == 2) {
		g->dups++;
		if (fprintf(g->dedup, "%lld,%lld\n", (long long)ids[0], (long long)ids[1]) < 0)
			rc = -1;
	}
	if (in_b && rc == 0) {
		/* B's numbers: an odd multiplier modulo 2^32 is a bijection, so they are unique */
		id_b = (int64_t)(((uint64_t)++g->next_b * 2654435761u) & 0xffffffffu);
		type_record(g, t, under[copies_a], any_under || chance(&g->r, 0.5), &x);
		memset(line, 0, sizeof(line));
		format_b(id_b, &x, line);
		rc = emit(g, &g->b, line, 0);
		g->records_b++;
	}
	for (k = 0; in_b && k < copies_a && rc == 0; k++) {
		g->cross_pairs++;
		if (fprintf(g->truth, "%lld,%lld\n", (long long)ids[k], (long long)id_b) < 0)
			rc = -1;
	}
	g->both += copies_a > 0 && in_b;
	return rc;
}

static int generate(struct gen *g)
{
	struct demo_household h;
	struct truth_person t;
	int i, rc = 0;

	while (rc == 0 && g->need_a + g->need_b + g->need_both > 0) {
		demo_gen_household(g->people, &h);
		for (i = 0; i < h.n && rc == 0; i++) {
			enum where w = place(g, h.members[i].age);

			if (w == NOWHERE)
				continue;
			make_person(g, &h, i, &t);
			rc = person_out(g, &t, w);
		}
	}
	if (rc == 0)
		rc = drain(g, &g->a, g->c.cp1250);
	if (rc == 0)
		rc = drain(g, &g->b, 0);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Files and options                                                    */
/* ------------------------------------------------------------------ */

static FILE *open_out(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (f == NULL)
		fprintf(stderr, "linkgen: cannot create %s: %s\n", path, strerror(errno));
	else
		setvbuf(f, NULL, _IOFBF, 1 << 16);
	return f;
}

static int close_out(FILE *f, int rc)
{
	if (f != NULL && fclose(f) != 0)
		rc = -1;
	return rc;
}

static const char spec_a[] = "id=Nr klienta,pesel=PESEL,given=Imię,surname=Nazwisko,birth_surname=Nazwisko rodowe,"
			     "sex=Płeć,birth=Data urodzenia:YYYY-MM-DD,street=Ulica,street_number=Nr domu,"
			     "postcode=Kod pocztowy,city=Miejscowość,terc=TERC";
static const char spec_b[] = "id=id_osoby,pesel=pesel,given=imie,surname=nazwisko,birth_surname=nazwisko_rodowe,"
			     "sex=plec,birth=data_urodzenia:DD.MM.YYYY,street=ulica,street_number=nr_domu,"
			     "postcode=kod_pocztowy,city=miejscowosc,terc=teryt_gminy";

static int open_files(struct gen *g)
{
	static const char header_a[] = "Nr klienta;PESEL;Imię;Nazwisko;Nazwisko rodowe;Płeć;Data urodzenia;"
				       "Ulica;Nr domu;Kod pocztowy;Miejscowość;TERC\r\n";
	static const char header_b[] = "id_osoby,pesel,imie,drugie_imie,nazwisko,nazwisko_rodowe,plec,"
				       "data_urodzenia,ulica,nr_domu,nr_lokalu,kod_pocztowy,miejscowosc,"
				       "teryt_gminy\n";
	int rc;

	if (mkdir(g->c.out, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "linkgen: cannot create %s: %s\n", g->c.out, strerror(errno));
		return -1;
	}
	g->a.f = open_out(g->c.out, "A.csv");
	g->b.f = open_out(g->c.out, "B.csv");
	g->truth = open_out(g->c.out, "truth.csv");
	g->dedup = open_out(g->c.out, "truth_dedup_a.csv");
	g->a.window = calloc(WINDOW, LINE);
	g->b.window = calloc(WINDOW, LINE);
	if (g->a.f == NULL || g->b.f == NULL || g->truth == NULL || g->dedup == NULL || g->a.window == NULL ||
	    g->b.window == NULL)
		return -1;
	rc = g->c.cp1250 ? 0 : (fputs("\xEF\xBB\xBF", g->a.f) >= 0 ? 0 : -1);
	if (rc == 0)
		rc = write_line(g->a.f, header_a, g->c.cp1250);
	if (rc == 0)
		rc = write_line(g->b.f, header_b, 0);
	if (rc == 0 && (fputs("id_a,id_b\n", g->truth) < 0 || fputs("id_1,id_2\n", g->dedup) < 0))
		rc = -1;
	return rc;
}

static void usage(FILE *f)
{
	int i;

	fprintf(f, "usage: linkgen [options]\n"
		   "Writes two institutions' registers of one generated Polish population with known truth:\n"
		   "DIR/A.csv (a social-assistance centre's export: ';', CRLF, UTF-8 with a BOM or Windows-1250),\n"
		   "DIR/B.csv (a labour office's: ',', LF, UTF-8, names in capitals, DD.MM.YYYY, persons aged 18-64),\n"
		   "DIR/truth.csv (id_a,id_b: every true cross pair), DIR/truth_dedup_a.csv (id_1,id_2: A's\n"
		   "records of one person), and on standard error the counts and each file's razem link SPEC.\n\n"
		   "  --persons N      persons in A (default 10000; A has more records: its duplicates)\n"
		   "  --persons-b M    persons in B (default: N)\n"
		   "  --overlap F      share of A's persons also in B (default 0.5)\n"
		   "  --dup-rate R     share of A's persons typed twice by A (default 0.03)\n"
		   "  --seed S         the same seed gives the same files (default 1)\n"
		   "  --cp1250         A.csv in Windows-1250 (no BOM)\n"
		   "  --out DIR        where to write (default .; created if missing)\n\n"
		   "Errors: each record of either file gets each kind independently with its rate (0 to 1):\n");
	for (i = 0; i < E_KINDS; i++)
		fprintf(f, "  --%-16s %s (default %.2f)\n", kinds[i].option, kinds[i].help, kinds[i].rate);
	fprintf(f, "  --no-errors      every rate 0 (options after it set some again)\n");
}

static int parse_rate(const char *name, const char *v, double *out)
{
	char *end;

	errno = 0;
	*out = v != NULL ? strtod(v, &end) : -1;
	if (v == NULL || errno != 0 || end == v || *end != '\0' || *out < 0 || *out > 1) {
		fprintf(stderr, "linkgen: --%s: expected a number from 0 to 1\n", name);
		return -1;
	}
	return 0;
}

static int parse_count(const char *name, const char *v, int64_t max, int64_t *out)
{
	if (v == NULL || str_to_int64(v, 0, max, out) != 0) {
		fprintf(stderr, "linkgen: --%s: expected a whole number from 0 to %lld\n", name, (long long)max);
		return -1;
	}
	return 0;
}

/* parse() fills c from argv; returns 0, 1 after --help, -1 on wrong usage. */
static int parse(int argc, char **argv, struct config *c)
{
	int i, k;

	memset(c, 0, sizeof(*c));
	c->persons_a = 10000;
	c->persons_b = -1;
	c->overlap = 0.5;
	c->dup_rate = 0.03;
	c->seed = 1;
	c->out = ".";
	for (k = 0; k < E_KINDS; k++)
		c->rate[k] = kinds[k].rate;
	for (i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int64_t n;
		int rc = 0, known = 1;

		if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
			usage(stdout);
			return 1;
		} else if (strcmp(o, "--cp1250") == 0) {
			c->cp1250 = 1;
			continue;
		} else if (strcmp(o, "--no-errors") == 0) {
			memset(c->rate, 0, sizeof(c->rate));
			continue;
		} else if (strcmp(o, "--persons") == 0) {
			rc = parse_count("persons", v, 100000000, &c->persons_a);
		} else if (strcmp(o, "--persons-b") == 0) {
			rc = parse_count("persons-b", v, 100000000, &c->persons_b);
		} else if (strcmp(o, "--seed") == 0) {
			rc = parse_count("seed", v, INT64_MAX, &n);
			c->seed = (uint64_t)n;
		} else if (strcmp(o, "--overlap") == 0) {
			rc = parse_rate("overlap", v, &c->overlap);
		} else if (strcmp(o, "--dup-rate") == 0) {
			rc = parse_rate("dup-rate", v, &c->dup_rate);
		} else if (strcmp(o, "--out") == 0 && v != NULL) {
			c->out = v;
		} else {
			known = 0;
			for (k = 0; k < E_KINDS && !known; k++)
				if (strncmp(o, "--", 2) == 0 && strcmp(o + 2, kinds[k].option) == 0) {
					known = 1;
					rc = parse_rate(kinds[k].option, v, &c->rate[k]);
				}
		}
		if (!known) {
			fprintf(stderr, "linkgen: unknown option %s (see --help)\n", o);
			return -1;
		}
		if (rc != 0)
			return -1;
		i++;
	}
	if (c->persons_b < 0)
		c->persons_b = c->persons_a;
	if (c->rate[E_PESEL_MISSING] + c->rate[E_PESEL_TYPO] + c->rate[E_PESEL_TRANSPOSE] > 1) {
		fprintf(stderr, "linkgen: --pesel-missing, --pesel-typo and --pesel-transpose add up to more than 1\n");
		return -1;
	}
	if ((double)c->persons_b < c->overlap * (double)c->persons_a) {
		fprintf(stderr, "linkgen: --overlap: %.2f of %lld persons is more than B's %lld\n", c->overlap,
			(long long)c->persons_a, (long long)c->persons_b);
		return -1;
	}
	return 0;
}

static void report(const struct gen *g)
{
	int k;

	fprintf(stderr,
		"linkgen: A.csv %lld records (%lld persons, %lld typed twice), B.csv %lld records, "
		"%lld persons in both, %lld true cross pairs, %lld duplicate pairs in A\n",
		(long long)g->records_a, (long long)g->c.persons_a, (long long)g->dups, (long long)g->records_b,
		(long long)g->both, (long long)g->cross_pairs, (long long)g->dups);
	fprintf(stderr, "linkgen: errors made:");
	for (k = 0; k < E_KINDS; k++)
		fprintf(stderr, " %s %lld", kinds[k].option, (long long)g->applied[k]);
	fprintf(stderr, "\nspec A.csv: %s\nspec B.csv: %s\n", spec_a, spec_b);
}

int main(int argc, char **argv)
{
	struct gen g;
	int rc;

	memset(&g, 0, sizeof(g));
	rc = parse(argc, argv, &g.c);
	if (rc != 0)
		return rc > 0 ? 0 : 2;
	g.need_both = (int64_t)(g.c.overlap * (double)g.c.persons_a + 0.5);
	g.need_a = g.c.persons_a - g.need_both;
	g.need_b = g.c.persons_b - g.need_both;
	demo_rng_seed(&g.r, g.c.seed * 0x9e3779b97f4a7c15ULL + 0x4c494e4bULL);
	g.people = demo_gen_new(g.c.seed, TODAY);
	g.moves = demo_gen_new(g.c.seed + 0x6d6f766564ULL, TODAY);
	if (g.people == NULL || g.moves == NULL || demo_gen_national_surnames(g.people) != 0 ||
	    demo_gen_national_surnames(g.moves) != 0) {
		fprintf(stderr, "linkgen: out of memory\n");
		rc = -1;
	}
	if (rc == 0)
		rc = open_files(&g);
	if (rc == 0 && generate(&g) != 0) {
		fprintf(stderr, "linkgen: writing to %s: %s\n", g.c.out, strerror(errno));
		rc = -1;
	}
	rc = close_out(g.a.f, rc);
	rc = close_out(g.b.f, rc);
	rc = close_out(g.truth, rc);
	rc = close_out(g.dedup, rc);
	if (rc == 0)
		report(&g);
	free(g.a.window);
	free(g.b.window);
	demo_gen_free(g.people);
	demo_gen_free(g.moves);
	return rc == 0 ? 0 : 1;
}

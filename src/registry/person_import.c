/*
 * person_import.c — importing a client register from CSV (see
 * person_import.h): header mapping, row conversion and validation, the
 * TERC code from the town, households, the one-transaction bulk load, the
 * rejects file, the import's record.
 *
 * Speed (1,000,000 rows in under 20 s on SQLite): a reader thread reads,
 * converts and validates the rows into batches with arenas of their own
 * while this thread loads them; persons go through db_bulk with ids
 * assigned here (the transaction excludes other writers: SQLite's BEGIN
 * IMMEDIATE, on PostgreSQL a table lock, the sequence set past them at the
 * end), so the families and members of the whole load follow as two more
 * bulk loads. What the import creates points at its row (import_id), which
 * is their creation's history. Duplicates are found in memory: the
 * institution's PESELs are read once into a hash of 64-bit keys.
 *
 * Validation mirrors the form (registry/person.h person_validate()), done
 * here without the database so each row costs no statement.
 */
#include "registry/person_import.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/clock.h"
#include "core/i18n.h"
#include "core/ident.h"
#include "core/str.h"
#include "link/store.h"
#include "registry/institution.h"
#include "territory/territory.h"

#define REJECTS_MAX ((size_t)32 << 20) /* stored rejects; the --rejects file has all */
#define SCRATCH_LIMIT ((size_t)256 << 20)
#define RUN_LIMIT ((size_t)4 << 30) /* the run's keys and addresses: ~100 bytes a household */
#define PROGRESS_ROWS 10000

/* ------------------------------------------------------------------ */
/* Fields and their well-known header names                            */
/* ------------------------------------------------------------------ */

static const struct {
	const char *code;  /* mapping file name = struct person field name */
	const char *label; /* msgid */
	const char *names; /* well-known headers, normalised (see header_key()), '|'-separated */
} fields[PI__MAX] = {
	[PI_PESEL] = { "pesel", N_("PESEL"), "pesel|nr pesel|numer pesel" },
	[PI_FIRST_NAMES] = { "first_names", N_("First names"),
			     "imie|imiona|imie pierwsze|pierwsze imie|imie 1" },
	[PI_SECOND_NAME] = { "second_name", N_("Second name"), "drugie imie|imie drugie|imie 2" },
	[PI_SURNAME] = { "surname", N_("Surname"), "nazwisko" },
	[PI_BIRTH_SURNAME] = { "birth_surname", N_("Family name at birth"), "nazwisko rodowe" },
	[PI_SEX] = { "sex", N_("Sex"), "plec" },
	[PI_BIRTH_DATE] = { "birth_date", N_("Birth date"), "data urodzenia|data ur|urodzony|urodzona" },
	[PI_CITIZENSHIP] = { "citizenship", N_("Citizenship"), "obywatelstwo" },
	[PI_STREET] = { "street", N_("Street"), "ulica|ul" },
	[PI_HOUSE_NO] = { "house_no", N_("House number"),
			  "nr domu|numer domu|nr budynku|numer budynku|dom|nr dom" },
	[PI_FLAT_NO] = { "flat_no", N_("Flat number"),
			 "nr lokalu|numer lokalu|nr mieszkania|numer mieszkania|lokal|nr lok|mieszkanie" },
	[PI_POSTCODE] = { "postcode", N_("Postcode"), "kod pocztowy|kod|kod poczt" },
	[PI_TOWN] = { "town", N_("Town"), "miejscowosc|miasto|miejscowosc zamieszkania" },
	[PI_TERC] = { "terc", N_("TERC code"), "terc|kod terc|teryt|kod teryt|kod gminy|terc gminy" },
	[PI_PHONE] = { "phone", N_("Phone"), "telefon|tel|nr telefonu|numer telefonu|telefon kontaktowy" },
	[PI_EMAIL] = { "email", N_("E-mail"), "e mail|email|adres e mail|adres email|poczta elektroniczna" },
	[PI_DOC_KIND] = { "doc_kind", N_("Document kind"), "rodzaj dokumentu|dokument" },
	[PI_DOC_NUMBER] = { "doc_number", N_("Document number"),
			    "nr dokumentu|numer dokumentu|seria i numer dokumentu|seria i nr dokumentu" },
	[PI_HOUSEHOLD] = { "household", N_("Household number"),
			   "nr gospodarstwa|numer gospodarstwa|nr gospodarstwa domowego|"
			   "numer gospodarstwa domowego|nr rodziny|numer rodziny|id rodziny|gospodarstwo|rodzina" },
	[PI_RELATION] = { "relation", N_("Relation to the applicant"),
			  "pokrewienstwo|stopien pokrewienstwa|relacja|relacja do wnioskodawcy|"
			  "stosunek do wnioskodawcy" },
	[PI_APPLICANT] = { "applicant", N_("Applicant"), "wnioskodawca|czy wnioskodawca" },
};

const char *pi_field_code(enum pi_field f)
{
	return (unsigned)f < PI__MAX ? fields[f].code : "";
}

const char *pi_field_label(enum pi_field f)
{
	return (unsigned)f < PI__MAX ? _(fields[f].label) : "";
}

int pi_field_parse(const char *code)
{
	int i;

	for (i = 0; code != NULL && i < PI__MAX; i++)
		if (strcmp(code, fields[i].code) == 0)
			return i;
	return -1;
}

/* field_label_of() is the label of a verr field name (a struct person field). */
static const char *field_label_of(const char *name)
{
	int f = pi_field_parse(name);

	return f >= 0 ? pi_field_label((enum pi_field)f) : name;
}

/* ------------------------------------------------------------------ */
/* Folding                                                             */
/* ------------------------------------------------------------------ */

/* polish_base() folds the Polish letter C4/C5/C3 xx to its base letter, 0 if not one. */
static char polish_base(unsigned char b0, unsigned char b1)
{
	if (b0 == 0xC4) {
		switch (b1) {
		case 0x84: case 0x85: return 'a';
		case 0x86: case 0x87: return 'c';
		case 0x98: case 0x99: return 'e';
		}
	} else if (b0 == 0xC5) {
		switch (b1) {
		case 0x81: case 0x82: return 'l';
		case 0x83: case 0x84: return 'n';
		case 0x9A: case 0x9B: return 's';
		case 0xB9: case 0xBA: case 0xBB: case 0xBC: return 'z';
		}
	} else if (b0 == 0xC3 && (b1 == 0x93 || b1 == 0xB3)) {
		return 'o';
	}
	return 0;
}

char *pi_fold(struct arena *a, const char *s)
{
	size_t n, i, j = 0;
	int space = 0;
	char *out;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	out = arena_alloc(a, n + 1);
	if (out == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char f;

		if (c >= 0x80) {
			f = i + 1 < n ? polish_base(c, (unsigned char)s[i + 1]) : 0;
			if (f == 0)
				return str_fold(a, s); /* anything else: utf8proc */
			i++;
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			space = j > 0;
			continue;
		} else {
			f = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
		if (space)
			out[j++] = ' ';
		space = 0;
		out[j++] = f;
	}
	out[j] = '\0';
	return out;
}

/*
 * header_key() normalises a header name: folded, every run of characters
 * other than letters and digits one space, trimmed ("Nr. domu:" → "nr domu").
 */
static char *header_key(struct arena *a, const char *s)
{
	char *f = pi_fold(a, s), *p, *q;
	int space = 0;

	if (f == NULL)
		return NULL;
	for (p = q = f; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
			if (space && q > f)
				*q++ = ' ';
			space = 0;
			*q++ = (char)c;
		} else {
			space = 1;
		}
	}
	*q = '\0';
	return f;
}

/* in_names() is true when key is one of the '|'-separated names. */
static int in_names(const char *names, const char *key)
{
	size_t n = strlen(key);
	const char *p = names;

	while (*p != '\0') {
		const char *e = strchr(p, '|');
		size_t len = e != NULL ? (size_t)(e - p) : strlen(p);

		if (len == n && memcmp(p, key, n) == 0)
			return 1;
		p += len + (e != NULL);
	}
	return 0;
}

int pi_header_field(const char *header)
{
	struct arena *a = arena_new(4096 + 4 * strlen(header));
	char *key = a != NULL ? header_key(a, header) : NULL;
	int i, found = -1;

	for (i = 0; key != NULL && i < PI__MAX && found < 0; i++)
		if (in_names(fields[i].names, key))
			found = i;
	arena_free(a);
	return found;
}

/* ------------------------------------------------------------------ */
/* Mapping                                                             */
/* ------------------------------------------------------------------ */

/* find_column() is the header column whose normalised name is key's, or -1. */
static int find_column(struct arena *a, const char *const *header, size_t n, const char *name)
{
	char *want = header_key(a, name), *k;
	size_t i;

	for (i = 0; want != NULL && i < n; i++) {
		k = header_key(a, header[i]);
		if (k != NULL && strcmp(k, want) == 0)
			return (int)i;
	}
	return -1;
}

/* map_by_file() applies the lines "field = Header" of text; -1 with err. */
static int map_by_file(struct pi_mapping *m, struct arena *a, const char *const *header, size_t n,
		       const char *text, char *err, size_t errlen)
{
	char *copy = arena_strdup(a, text), *line, *next, *eq;
	int lineno = 0, f, col;

	if (copy == NULL)
		return snprintf(err, errlen, "%s", _("out of memory")), -1;
	if (strncmp(copy, "\xEF\xBB\xBF", 3) == 0)
		copy += 3; /* saved by Notepad */
	for (line = copy; line != NULL; line = next) {
		char *hash;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		hash = strchr(line, '#');
		if (hash != NULL)
			*hash = '\0';
		if (str_empty(line))
			continue;
		eq = strchr(line, '=');
		if (eq == NULL)
			return snprintf(err, errlen, _("mapping line %d: expected \"field = column name\""),
					lineno), -1;
		*eq = '\0';
		f = pi_field_parse(str_trim(line));
		if (f < 0)
			return snprintf(err, errlen, _("mapping line %d: unknown field \"%s\""), lineno, line), -1;
		if (m->col[f] >= 0)
			return snprintf(err, errlen, _("mapping line %d: field \"%s\" is mapped twice"), lineno,
					line), -1;
		col = find_column(a, header, n, str_trim(eq + 1));
		if (col < 0)
			return snprintf(err, errlen, _("mapping line %d: the file has no column \"%s\""), lineno,
					str_trim(eq + 1)), -1;
		m->col[f] = col;
	}
	return 0;
}

int pi_mapping_build(struct pi_mapping *m, struct arena *a, const char *const *header, size_t n,
		     const char *mapping_text, char *err, size_t errlen)
{
	struct buf un = BUF_INIT(1 << 16);
	size_t i;
	int f, j;

	err[0] = '\0';
	for (f = 0; f < PI__MAX; f++)
		m->col[f] = -1;
	m->ncols = (int)n;
	m->header = arena_alloc(a, (n + 1) * sizeof(*m->header));
	if (m->header == NULL)
		return snprintf(err, errlen, "%s", _("out of memory")), -1;
	for (i = 0; i < n; i++)
		m->header[i] = arena_strdup(a, header[i]);
	if (mapping_text != NULL) {
		if (map_by_file(m, a, header, n, mapping_text, err, errlen) < 0)
			return -1;
	} else {
		for (i = 0; i < n; i++) {
			f = pi_header_field(header[i]);
			if (f < 0)
				continue;
			if (m->col[f] >= 0)
				return snprintf(err, errlen,
						_("columns \"%s\" and \"%s\" both hold the field %s; give a mapping file"),
						header[m->col[f]], header[i], pi_field_label((enum pi_field)f)), -1;
			m->col[f] = (int)i;
		}
	}
	if (m->col[PI_SURNAME] < 0 || m->col[PI_FIRST_NAMES] < 0) {
		for (i = 0; i < n; i++)
			buf_addf(&un, "%s%s", i ? "; " : "", header[i]);
		snprintf(err, errlen, _("the file has no column for the field \"%s\" (its columns: %s); name it in a mapping file"),
			 pi_field_label(m->col[PI_SURNAME] < 0 ? PI_SURNAME : PI_FIRST_NAMES), buf_str(&un));
		buf_release(&un);
		return -1;
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < PI__MAX && m->col[j] != (int)i; j++)
			;
		if (j == PI__MAX) {
			buf_adds(&un, un.len > 0 ? "; " : "");
			buf_adds(&un, header[i][0] != '\0' ? header[i] : "?");
		}
	}
	m->unmapped = un.len > 0 ? arena_strdup(a, buf_str(&un)) : NULL;
	buf_release(&un);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Converting values as offices write them                            */
/* ------------------------------------------------------------------ */

/* digits() reads n digits at s into *out; -1 if they are not all digits. */
static int digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/*
 * parse_date() reads RRRR-MM-DD, RRRR.MM.DD, RRRR/MM/DD, DD.MM.RRRR,
 * DD-MM-RRRR, DD/MM/RRRR (one-digit day and month too), a time after a
 * space ignored, into "RRRR-MM-DD" (arena). NULL when it is none of them
 * or not a calendar date.
 */
static char *parse_date(struct arena *a, const char *s)
{
	int y, mo, d, p1, p2;
	size_t n = strcspn(s, " T");
	char *out;

	if (n >= 8 && n <= 10 && digits(s, 4, &y) == 0 && strchr("-./", s[4]) != NULL) {
		const char *q = s + 5, *sep2 = strchr(q, s[4]);

		if (sep2 == NULL || sep2 - q < 1 || sep2 - q > 2 || (size_t)(sep2 + 1 - s) >= n)
			return NULL;
		p1 = (int)(sep2 - q);
		p2 = (int)(n - (size_t)(sep2 + 1 - s));
		if (p2 < 1 || p2 > 2 || digits(q, p1, &mo) < 0 || digits(sep2 + 1, p2, &d) < 0)
			return NULL;
	} else {
		const char *sep1 = s + strcspn(s, "-./"), *sep2;

		if ((size_t)(sep1 - s) >= n || sep1 - s < 1 || sep1 - s > 2)
			return NULL;
		sep2 = strchr(sep1 + 1, *sep1);
		if (sep2 == NULL || sep2 - sep1 - 1 < 1 || sep2 - sep1 - 1 > 2 || n - (size_t)(sep2 + 1 - s) != 4)
			return NULL;
		if (digits(s, (int)(sep1 - s), &d) < 0 || digits(sep1 + 1, (int)(sep2 - sep1 - 1), &mo) < 0 ||
		    digits(sep2 + 1, 4, &y) < 0)
			return NULL;
	}
	out = arena_printf(a, "%04d-%02d-%02d", y, mo, d);
	return out != NULL && clock_valid_date(out) ? out : NULL;
}

/* word_is() is true when folded s is one of the '|'-separated words. */
static int word_is(const char *folded, const char *words)
{
	return folded != NULL && in_names(words, folded);
}

/* parse_sex() is "K", "M", or NULL when s says neither. */
static const char *parse_sex(struct arena *a, const char *s)
{
	const char *f = header_key(a, s);

	if (word_is(f, "k|kobieta|f|female|z|zenska|kobieca"))
		return "K";
	if (word_is(f, "m|mezczyzna|male|meska|mezczyzn"))
		return "M";
	return NULL;
}

/* parse_citizenship() is an ISO 3166-1 alpha-2 code for s, or NULL. */
static const char *parse_citizenship(struct arena *a, const char *s)
{
	static const struct {
		const char *words, *code;
	} known[] = {
		{ "polskie|polska|pl|pol|polak|polka|rp", "PL" },
		{ "ukrainskie|ukraina|ua|ukr", "UA" },
		{ "bialoruskie|bialorus|by|blr", "BY" },
		{ "rosyjskie|rosja|ru|rus", "RU" },
		{ "niemieckie|niemcy|de|deu", "DE" },
		{ "litewskie|litwa|lt", "LT" },
		{ "czeskie|czechy|cz", "CZ" },
		{ "slowackie|slowacja|sk", "SK" },
		{ "gruzinskie|gruzja|ge", "GE" },
		{ "wietnamskie|wietnam|vn", "VN" },
		{ "indyjskie|indie|in", "IN" },
	};
	const char *f = header_key(a, s);
	size_t i;

	for (i = 0; f != NULL && i < sizeof(known) / sizeof(known[0]); i++)
		if (word_is(f, known[i].words))
			return known[i].code;
	if (f != NULL && strlen(f) == 2 && f[0] >= 'a' && f[0] <= 'z' && f[1] >= 'a' && f[1] <= 'z')
		return arena_printf(a, "%c%c", f[0] - 32, f[1] - 32);
	return NULL;
}

/* parse_relation() is a family relation code for words offices use; "other" when unknown. */
static const char *parse_relation(struct arena *a, const char *s)
{
	const char *f = header_key(a, s);

	if (word_is(f, "applicant|wnioskodawca|wnioskodawczyni|glowa rodziny|osoba samotna|w"))
		return "applicant";
	if (word_is(f, "spouse|malzonek|malzonka|maz|zona|partner|partnerka|konkubent|konkubina|"
		       "wspolmalzonek"))
		return "spouse";
	if (word_is(f, "child|dziecko|syn|corka|pasierb|pasierbica|dziecko przysposobione"))
		return "child";
	if (word_is(f, "parent|rodzic|ojciec|matka|ojczym|macocha|tesc|tesciowa"))
		return "parent";
	if (word_is(f, "relative|krewny|krewna|brat|siostra|wnuk|wnuczka|dziadek|babcia|babka|"
		       "ziec|synowa|wnuczek|szwagier|szwagierka|inny krewny|inna krewna"))
		return "relative";
	return "other";
}

/* parse_doc_kind() is a person_doc_kinds code. */
static const char *parse_doc_kind(struct arena *a, const char *s)
{
	const char *f = header_key(a, s);

	if (word_is(f, "id card|id_card|dowod osobisty|dowod|do"))
		return "id_card";
	if (word_is(f, "passport|paszport"))
		return "passport";
	if (word_is(f, "residence card|residence_card|karta pobytu"))
		return "residence_card";
	return "other";
}

/* is_yes() is true for the ways offices mark a flag. */
static int is_yes(struct arena *a, const char *s)
{
	return word_is(header_key(a, s), "1|t|tak|x|y|yes|true|prawda|w|wnioskodawca");
}

/* ------------------------------------------------------------------ */
/* Row conversion and validation                                       */
/* ------------------------------------------------------------------ */

/* value() is the trimmed field of f in the record, NULL when absent or empty. */
static char *value(const struct pi_mapping *m, const char *const *field, size_t n, enum pi_field f,
		   struct arena *a)
{
	char *s;

	if (m->col[f] < 0 || (size_t)m->col[f] >= n)
		return NULL;
	s = arena_strdup(a, field[m->col[f]]);
	if (s == NULL)
		return NULL;
	str_trim(s);
	return s[0] != '\0' ? s : NULL;
}

/* read_fields() copies the mapped fields of the record into row, converting forms. */
static void read_fields(const struct pi_mapping *m, const char *const *field, size_t n, struct arena *a,
			struct pi_row *row, struct verrs *v)
{
	struct person *p = &row->p;
	char *s, *second;

	s = value(m, field, n, PI_PESEL, a);
	if (s != NULL) {
		char *q = s, *w = s;

		for (; *q != '\0'; q++) /* "440514 01359" as some exports group it */
			if (*q != ' ' && *q != '-')
				*w++ = *q;
		*w = '\0';
		p->pesel = s;
		if (strlen(s) == 10 && strspn(s, "0123456789") == 10) {
			p->pesel = arena_printf(a, "0%s", s); /* a spreadsheet took it for a number */
			row->pesel_padded = 1;
		}
	}
	p->first_names = value(m, field, n, PI_FIRST_NAMES, a);
	second = value(m, field, n, PI_SECOND_NAME, a);
	if (second != NULL)
		p->first_names = p->first_names != NULL ? arena_printf(a, "%s %s", p->first_names, second) : second;
	p->surname = value(m, field, n, PI_SURNAME, a);
	p->birth_surname = value(m, field, n, PI_BIRTH_SURNAME, a);
	s = value(m, field, n, PI_SEX, a);
	if (s != NULL && (p->sex = parse_sex(a, s)) == NULL)
		verrs_add(v, "sex", "invalid", _("\"%s\" is neither K (woman) nor M (man)"), s);
	s = value(m, field, n, PI_BIRTH_DATE, a);
	if (s != NULL && (p->birth_date = parse_date(a, s)) == NULL)
		verrs_add(v, "birth_date", "invalid", _("\"%s\" is not a date (DD.MM.RRRR or RRRR-MM-DD)"), s);
	s = value(m, field, n, PI_CITIZENSHIP, a);
	if (s != NULL && (p->citizenship = parse_citizenship(a, s)) == NULL)
		verrs_add(v, "citizenship", "invalid", _("\"%s\" is not a known citizenship (give a country code such as PL or UA)"), s);
	p->street = value(m, field, n, PI_STREET, a);
	p->house_no = value(m, field, n, PI_HOUSE_NO, a);
	p->flat_no = value(m, field, n, PI_FLAT_NO, a);
	p->postcode = value(m, field, n, PI_POSTCODE, a);
	p->town = value(m, field, n, PI_TOWN, a);
	p->terc = value(m, field, n, PI_TERC, a);
	p->phone = value(m, field, n, PI_PHONE, a);
	p->email = value(m, field, n, PI_EMAIL, a);
	p->doc_number = value(m, field, n, PI_DOC_NUMBER, a);
	s = value(m, field, n, PI_DOC_KIND, a);
	p->doc_kind = s != NULL ? parse_doc_kind(a, s) : p->doc_number != NULL ? "other" : NULL;
	row->household = value(m, field, n, PI_HOUSEHOLD, a);
	s = value(m, field, n, PI_RELATION, a);
	row->relation = s != NULL ? parse_relation(a, s) : NULL;
	s = value(m, field, n, PI_APPLICANT, a);
	row->applicant = (s != NULL && is_yes(a, s)) || str_eq(row->relation, "applicant");
}

int pi_convert(const struct pi_mapping *m, const char *const *field, size_t n, struct arena *a,
	       struct pi_row *row, struct verrs *v)
{
	int before = v->n;

	memset(row, 0, sizeof(*row));
	read_fields(m, field, n, a, row, v);
	person_validate(&row->p, a, v);
	return v->n - before;
}

/* ------------------------------------------------------------------ */
/* Hash tables                                                          */
/* ------------------------------------------------------------------ */

/* 64-bit keys (a PESEL as a number + 1; 0 = empty) to values. */
struct imap {
	uint64_t *keys;
	int64_t *vals;
	size_t cap, n;
};

static uint64_t mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return k;
}

static int imap_grow(struct imap *m)
{
	struct imap g = { NULL, NULL, m->cap ? m->cap * 2 : 1024, 0 };
	size_t i, j;

	g.keys = calloc(g.cap, sizeof(*g.keys));
	g.vals = malloc(g.cap * sizeof(*g.vals));
	if (g.keys == NULL || g.vals == NULL) {
		free(g.keys);
		free(g.vals);
		return -1;
	}
	for (i = 0; i < m->cap; i++) {
		if (m->keys[i] == 0)
			continue;
		for (j = mix(m->keys[i]) & (g.cap - 1); g.keys[j] != 0; j = (j + 1) & (g.cap - 1))
			;
		g.keys[j] = m->keys[i];
		g.vals[j] = m->vals[i];
	}
	g.n = m->n;
	free(m->keys);
	free(m->vals);
	*m = g;
	return 0;
}

/* imap_slot() finds k's slot (its own or the empty one where it would go). */
static size_t imap_slot(const struct imap *m, uint64_t k)
{
	size_t j;

	for (j = mix(k) & (m->cap - 1); m->keys[j] != 0 && m->keys[j] != k; j = (j + 1) & (m->cap - 1))
		;
	return j;
}

static int64_t *imap_get(const struct imap *m, uint64_t k)
{
	size_t j;

	if (m->cap == 0)
		return NULL;
	j = imap_slot(m, k);
	return m->keys[j] == k ? &m->vals[j] : NULL;
}

static int imap_put(struct imap *m, uint64_t k, int64_t v)
{
	size_t j;

	if ((m->n + 1) * 2 > m->cap && imap_grow(m) < 0)
		return -1;
	j = imap_slot(m, k);
	if (m->keys[j] == 0)
		m->n++;
	m->keys[j] = k;
	m->vals[j] = v;
	return 0;
}

static void imap_free(struct imap *m)
{
	free(m->keys);
	free(m->vals);
}

/* string keys are hashed to 64 bits (FNV-1a, never 0) and then kept in an imap with a collision check */
static uint64_t str_key(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h ? h : 1;
}

/* pesel_key() is the PESEL as a number + 1. */
static uint64_t pesel_key(const char *pesel)
{
	uint64_t k = 0;

	for (; *pesel != '\0'; pesel++)
		k = k * 10 + (uint64_t)(*pesel - '0');
	return k + 1;
}

/* ------------------------------------------------------------------ */
/* The gminas of the register: TERC from the town                      */
/* ------------------------------------------------------------------ */

struct gminas {
	struct territory_unit *units;
	int n;
	struct imap by_name;   /* str_key(folded name) → index, or -1 when several gminas have it */
	struct imap by_code;   /* str_key(code) → index */
	const char *own_code;  /* the institution's gmina, or NULL */
	const char *own_names[8]; /* folded names of its units (the gmina, its town, its rural part) */
	int nown;
};

static int gmina_rank(enum unit_kind k)
{
	return k == UNIT_URBAN || k == UNIT_RURAL || k == UNIT_URBAN_RURAL ? 0 : 1;
}

static int gminas_load(struct db *db, struct arena *a, const char *own_terc, struct gminas *g)
{
	int i;

	memset(g, 0, sizeof(*g));
	g->n = territory_gminas(db, a, &g->units);
	if (g->n < 0)
		return -1;
	for (i = 0; i < g->n; i++) {
		const struct territory_unit *u = &g->units[i];
		char *f = pi_fold(a, u->name);
		uint64_t k;
		int64_t *old;

		if (f == NULL || imap_put(&g->by_code, str_key(u->code), i) < 0)
			return -1;
		k = str_key(f);
		old = imap_get(&g->by_name, k);
		if (old == NULL) {
			if (imap_put(&g->by_name, k, i) < 0)
				return -1;
		} else if (*old >= 0 && strncmp(g->units[*old].code, u->code, 6) != 0) {
			*old = -1; /* two gminas of one name */
		} else if (*old >= 0 && gmina_rank(u->kind) < gmina_rank(g->units[*old].kind)) {
			*old = i; /* the gmina itself over its town or rural part */
		}
		if (own_terc != NULL && strncmp(u->code, own_terc, 6) == 0 && g->nown < 8) {
			g->own_names[g->nown++] = f;
			if (strcmp(u->code, own_terc) == 0)
				g->own_code = u->code;
		}
	}
	if (g->own_code == NULL)
		g->nown = 0;
	return 0;
}

/*
 * gmina_of_town() is the TERC code a town name gives: the institution's
 * own gmina when the town is its seat (a unit of that gmina bears the
 * name), else the one gmina of the register of that name; NULL otherwise.
 */
static const char *gmina_of_town(const struct gminas *g, const char *town_fold)
{
	int64_t *i;
	int j;

	if (town_fold == NULL || g->n == 0)
		return NULL;
	for (j = 0; j < g->nown; j++)
		if (strcmp(g->own_names[j], town_fold) == 0)
			return g->own_code;
	i = imap_get(&g->by_name, str_key(town_fold));
	if (i == NULL || *i < 0)
		return NULL;
	return g->units[*i].code;
}

static void gminas_free(struct gminas *g)
{
	imap_free(&g->by_name);
	imap_free(&g->by_code);
}

/* ------------------------------------------------------------------ */
/* Statements                                                          */
/* ------------------------------------------------------------------ */

static const struct db_sql SQL_MAX_PERSON = DB_SQL("SELECT COALESCE(MAX(id), 0) FROM person");
static const struct db_sql SQL_MAX_FAMILY = DB_SQL("SELECT COALESCE(MAX(id), 0) FROM family");
static const struct db_sql SQL_REGISTERED =
	DB_SQL("SELECT id, pesel FROM person WHERE institution_id = ? AND pesel IS NOT NULL AND deleted_at IS NULL");
static const struct db_sql SQL_PG_LOCK = DB_SQL("LOCK TABLE person, family, family_member IN EXCLUSIVE MODE");
static const struct db_sql SQL_PG_SETVAL_PERSON =
	DB_SQL("SELECT setval(pg_get_serial_sequence('person', 'id'), (SELECT MAX(id) FROM person))");
static const struct db_sql SQL_PG_SETVAL_FAMILY =
	DB_SQL("SELECT setval(pg_get_serial_sequence('family', 'id'), (SELECT MAX(id) FROM family))");
/*
 * The import's row is written before its records (they point at it: the
 * import is their creation's history, 0025_import_creates.sql) and given
 * its counts at the end, in the same transaction.
 */
static const struct db_sql SQL_IMPORT_INSERT =
	DB_SQL("INSERT INTO person_import (institution_id, user_id, actor, at, file_name, encoding, separator, "
	       "rows_read, imported, updated, refused, duplicates, warnings, households, seconds) "
	       "VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 0, 0) RETURNING id");
static const struct db_sql SQL_IMPORT_COUNTS =
	DB_SQL("UPDATE person_import SET encoding = ?, separator = ?, rows_read = ?, imported = ?, updated = ?, "
	       "refused = ?, duplicates = ?, warnings = ?, households = ?, unmapped = ?, seconds = ?, rejects = ?, "
	       "rejects_truncated = ? WHERE id = ?");
static const struct db_sql SQL_IMPORT_GET =
	DB_SQL("SELECT id, institution_id, COALESCE(user_id, 0), actor, at, file_name, encoding, separator, "
	       "rows_read, imported, updated, refused, duplicates, warnings, households, unmapped, seconds, "
	       "COALESCE(length(rejects), 0), rejects_truncated FROM person_import WHERE id = ?");
static const struct db_sql SQL_IMPORT_RECENT =
	DB_SQL("SELECT id, at, file_name, actor, rows_read, imported, refused, duplicates FROM person_import "
	       "WHERE institution_id = ? ORDER BY id DESC LIMIT ?");
static const struct db_sql SQL_IMPORT_REJECTS =
	DB_SQL("SELECT institution_id, rejects FROM person_import WHERE id = ?");

/* The text fields of struct person an update compares, in SQL_PERSON_OLD's order. */
static const struct {
	const char *name;
	size_t off;
	enum pi_field from; /* the field whose column sets it */
} person_cols[] = {
	{ "pesel", offsetof(struct person, pesel), PI_PESEL },
	{ "doc_kind", offsetof(struct person, doc_kind), PI_DOC_KIND },
	{ "doc_number", offsetof(struct person, doc_number), PI_DOC_NUMBER },
	{ "first_names", offsetof(struct person, first_names), PI_FIRST_NAMES },
	{ "surname", offsetof(struct person, surname), PI_SURNAME },
	{ "birth_surname", offsetof(struct person, birth_surname), PI_BIRTH_SURNAME },
	{ "sex", offsetof(struct person, sex), PI_SEX },
	{ "birth_date", offsetof(struct person, birth_date), PI_BIRTH_DATE },
	{ "citizenship", offsetof(struct person, citizenship), PI_CITIZENSHIP },
	{ "street", offsetof(struct person, street), PI_STREET },
	{ "house_no", offsetof(struct person, house_no), PI_HOUSE_NO },
	{ "flat_no", offsetof(struct person, flat_no), PI_FLAT_NO },
	{ "postcode", offsetof(struct person, postcode), PI_POSTCODE },
	{ "town", offsetof(struct person, town), PI_TOWN },
	{ "terc", offsetof(struct person, terc), PI_TERC },
	{ "phone", offsetof(struct person, phone), PI_PHONE },
	{ "email", offsetof(struct person, email), PI_EMAIL },
};
#define NPCOLS (sizeof(person_cols) / sizeof(person_cols[0]))

#define PCOL(p, i) (*(const char **)((char *)(p) + person_cols[i].off))

/* ------------------------------------------------------------------ */
/* The run                                                             */
/* ------------------------------------------------------------------ */

struct fam {
	const char *key;       /* household number */
	int64_t id;
	int64_t applicant;     /* person id */
	int marked;            /* the applicant was marked, not just first */
	const char *addr[6];   /* the applicant's street, house, flat, postcode, town, TERC: the household's */
};

struct mem {
	size_t fam;            /* index in fams */
	int64_t person;
	const char *relation;  /* NULL: as the applicant or "other" */
};

struct upd {
	struct upd *next;
	int64_t id;
	long line;
	struct pi_row row;
};

struct run {
	struct db *db;
	struct arena *a;               /* the caller's: the mapping, the result's strings */
	int oom;                       /* an allocation of the run failed */
	char **rebuild;                /* CREATE INDEX statements to run before the commit, NULL-ended */
	struct arena *keep;            /* the run's own, freed at its end: household keys and addresses,
					  updates (a million rows outgrow any caller's arena) */
	const struct registry_writer *w;
	const struct person_import_opts *o;
	struct person_import_result *r;
	struct csv *in;
	struct pi_mapping m;
	struct gminas g;
	struct imap registered;        /* PESEL → person id */
	struct imap seen;              /* PESEL in this file → line */
	struct imap hh;                /* household key → index in fams */
	struct fam *fams;
	size_t nfams, capfams;
	struct mem *mems;
	size_t nmems, capmems;
	struct upd *upds, **upd_tail;
	struct db_bulk *bulk;
	char bulk_err[400];
	int64_t first_id, next_id, first_family;
	char now[CLOCK_ISO_LEN];
	char user_id[24];              /* created_by as text, "" for the command line */
	char inst_id[24];
	char import_id[24];            /* the import's row, as text for the bulk loads */
	int today;
	struct buf rejects;            /* the stored copy */
	int rejects_started;
	int warned;                    /* warnings of the current row */
};

static const char *const person_bulk_cols[] = {
	"id", "institution_id", "pesel", "doc_kind", "doc_number", "first_names", "surname", "birth_surname",
	"sex", "birth_date", "citizenship", "street", "house_no", "flat_no", "postcode", "town", "terc", "phone",
	"email", "surname_fold", "first_fold", "town_fold", "street_fold", "created_at", "created_by",
	"updated_at", "updated_by", "import_id",
};
#define NBULK ((int)(sizeof(person_bulk_cols) / sizeof(person_bulk_cols[0])))

/* reject_out() appends a reject line (fields + reason) to the stored copy and the file. */
static void reject_out(struct run *x, const char *const *field, size_t n, const char *reason)
{
	struct buf line = BUF_INIT(CSV_RECORD_MAX * 2 + 4096);
	size_t i;

	if (!x->rejects_started) {
		x->rejects_started = 1;
		buf_adds(&line, "\xEF\xBB\xBF");
		for (i = 0; i < (size_t)x->m.ncols; i++) {
			csv_write_field(&line, x->m.header[i], ';');
			buf_addc(&line, ';');
		}
		csv_write_field(&line, _("Reasons for refusal"), ';');
		buf_adds(&line, "\r\n");
	}
	for (i = 0; i < n || i < (size_t)x->m.ncols; i++) {
		csv_write_field(&line, i < n ? field[i] : "", ';');
		buf_addc(&line, ';');
	}
	csv_write_field(&line, reason, ';');
	buf_adds(&line, "\r\n");
	if (x->o->rejects != NULL)
		fwrite(line.data, 1, line.len, x->o->rejects);
	if (x->rejects.len + line.len <= x->rejects.max)
		buf_add(&x->rejects, line.data, line.len);
	else
		x->rejects.failed = 1; /* kept as "truncated" */
	buf_release(&line);
}

/* reasons() joins the errors of v as "wiersz N: Label: message; Label: message". */
static const char *reasons(struct arena *a, long line, const struct verrs *v)
{
	struct buf b = BUF_INIT(8192);
	const char *out;
	int i;

	for (i = 0; i < v->n && i < VERR_MAX; i++)
		buf_addf(&b, "%s%s: %s", i ? "; " : "", field_label_of(v->e[i].field), v->e[i].message);
	out = arena_printf(a, _("line %ld: %s"), line, buf_str(&b));
	buf_release(&b);
	return out;
}

/* warn() counts a row with a warning (once per row) and keeps the first few messages. */
static void warn(struct run *x, long line, const char *msg)
{
	if (x->warned)
		return;
	x->warned = 1;
	if (x->r->warnings < 5)
		snprintf(x->r->first_warnings[x->r->warnings], sizeof(x->r->first_warnings[0]), _("line %ld: %s"),
			 line, msg != NULL ? msg : "");
	x->r->warnings++;
}

/* take_address() copies the applicant's address into the household. */
static int take_address(struct run *x, struct fam *f, const struct person *p)
{
	const char *v[6] = { p->street, p->house_no, p->flat_no, p->postcode, p->town, p->terc };
	int i;

	for (i = 0; i < 6; i++) {
		f->addr[i] = v[i] != NULL ? arena_strdup(x->keep, v[i]) : NULL;
		if (v[i] != NULL && f->addr[i] == NULL)
			return -1;
	}
	return 0;
}

/* household_join() adds person id (row) to its household, creating it at its first row. */
static int household_join(struct run *x, const struct pi_row *row, int64_t id)
{
	uint64_t k = str_key(row->household);
	int64_t *at;
	struct fam *f;

	for (at = imap_get(&x->hh, k); at != NULL && strcmp(x->fams[*at].key, row->household) != 0;
	     at = imap_get(&x->hh, k))
		k = mix(k) | 1; /* a hash collision: probe another key */
	if (at == NULL) {
		if (x->nfams == x->capfams) {
			size_t cap = x->capfams ? x->capfams * 2 : 1024;
			struct fam *nf = realloc(x->fams, cap * sizeof(*nf));

			if (nf == NULL)
				return x->oom = 1, -1;
			x->fams = nf;
			x->capfams = cap;
		}
		f = &x->fams[x->nfams];
		f->key = arena_strdup(x->keep, row->household);
		f->id = x->first_family + (int64_t)x->nfams;
		f->applicant = id;
		f->marked = row->applicant;
		if (f->key == NULL || imap_put(&x->hh, k, (int64_t)x->nfams) < 0 || take_address(x, f, &row->p) < 0)
			return x->oom = 1, -1;
		x->nfams++;
	} else {
		f = &x->fams[*at];
		if (row->applicant && !f->marked) {
			f->applicant = id; /* the marked row, not the first, is the applicant */
			f->marked = 1;
			if (take_address(x, f, &row->p) < 0)
				return x->oom = 1, -1;
		}
	}
	if (x->nmems == x->capmems) {
		size_t cap = x->capmems ? x->capmems * 2 : 4096;
		struct mem *nm = realloc(x->mems, cap * sizeof(*nm));

		if (nm == NULL)
			return -1;
		x->mems = nm;
		x->capmems = cap;
	}
	x->mems[x->nmems].fam = (size_t)(f - x->fams);
	x->mems[x->nmems].person = id;
	x->mems[x->nmems].relation = str_eq(row->relation, "applicant") ? NULL : row->relation;
	x->nmems++;
	return 0;
}

/*
 * The rows are read, converted and validated by a reader thread while
 * this one loads them: on a million rows the reading (CSV, conversion,
 * validation, folding, the town's gmina) is about a third of the load's
 * time, and it needs nothing the load holds. What depends on the order
 * of the rows — a PESEL seen earlier in the file, one already in the
 * register, households, refusals, warnings — stays here, so the outcome
 * is the same as reading and loading one row after another.
 */
enum item_kind { ITEM_ROW, ITEM_BAD, ITEM_RAGGED };

/* The town's gmina, as the reader found it for a valid row (fill_terc()). */
enum terc_found { TERC_GIVEN, TERC_UNKNOWN, TERC_FROM_TOWN, TERC_NONE };

/* One record as the reader thread left it. */
struct item {
	enum item_kind kind;
	long line;
	size_t n;               /* fields, copied for the rejects file */
	char **field;
	const char *message;    /* ITEM_BAD: the reader's reason; ITEM_RAGGED: the count's */
	struct pi_row row;
	struct verrs *v;        /* the conversion's errors, NULL when none */
	enum terc_found terc;
	const char *terc_warning;
	const char *fold[4];    /* surname, first names, town, street */
};

#define BATCH_ROWS 2000
#define QUEUE_DEPTH 4

/* A batch of items with the arena holding them. */
struct batch {
	struct arena *a;
	struct item items[BATCH_ROWS];
	size_t n;
	int end;                /* the last batch: the file ended, or broke off (error) */
	char error[300];        /* the file broke off: why ("" when it just ended) */
	int oom;
	struct batch *next;
};

/* The reader thread and the queue of batches between it and the load. */
struct reader {
	struct run *x;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *head, **tail;
	int queued;
	int stop;               /* the load gave up: the reader ends */
	int oom;                /* the reader could not allocate a batch and ended */
};

static void batch_free(struct batch *b)
{
	if (b != NULL) {
		arena_free(b->a);
		free(b);
	}
}

/* fill_terc() gives a valid row without a TERC code its town's gmina, or a warning. */
static void fill_terc(const struct run *x, struct arena *s, struct item *it)
{
	struct person *p = &it->row.p;

	if (p->terc != NULL) {
		it->terc = x->g.n > 0 && imap_get(&x->g.by_code, str_key(p->terc)) == NULL ? TERC_UNKNOWN : TERC_GIVEN;
		return;
	}
	p->terc = gmina_of_town(&x->g, it->fold[2]);
	if (p->terc != NULL) {
		it->terc = TERC_FROM_TOWN;
		return;
	}
	it->terc = TERC_NONE;
	it->terc_warning = p->town == NULL
				   ? _("no TERC code and no town: the person has no gmina")
				   : arena_printf(s, _("no TERC code: \"%s\" does not name one gmina of the register"),
						  p->town);
}

/* convert() turns one record into an item (the reader thread's part of one row). */
static int convert(const struct run *x, struct arena *s, const struct csv_record *rec, struct item *it)
{
	struct verrs v;
	size_t used = rec->n, i;

	memset(it, 0, sizeof(*it));
	it->line = rec->line;
	it->n = rec->n;
	it->field = arena_alloc(s, sizeof(char *) * rec->n);
	if (it->field == NULL)
		return -1;
	for (i = 0; i < rec->n; i++)
		if ((it->field[i] = arena_strndup(s, rec->field[i], rec->len[i])) == NULL)
			return -1;
	while (used > (size_t)x->m.ncols && rec->len[used - 1] == 0)
		used--; /* empty fields past the header's: a spreadsheet's trailing separators */
	if (used != (size_t)x->m.ncols) {
		it->kind = ITEM_RAGGED;
		it->message = arena_printf(s, _("the row has %zu fields, the header %d"), used, x->m.ncols);
		return it->message != NULL ? 0 : -1;
	}
	v.n = 0;
	pi_convert(&x->m, rec->field, rec->n, s, &it->row, &v);
	if (v.n > 0) {
		it->v = arena_alloc(s, sizeof(v));
		if (it->v == NULL)
			return -1;
		*it->v = v;
		return 0;
	}
	it->fold[0] = pi_fold(s, it->row.p.surname);
	it->fold[1] = pi_fold(s, it->row.p.first_names);
	it->fold[2] = pi_fold(s, it->row.p.town);
	it->fold[3] = pi_fold(s, it->row.p.street);
	fill_terc(x, s, it);
	return 0;
}

/* reader_push() queues a batch, waiting while the queue is full; -1 when the load gave up. */
static int reader_push(struct reader *rd, struct batch *b)
{
	int stop;

	pthread_mutex_lock(&rd->mu);
	while (rd->queued >= QUEUE_DEPTH && !rd->stop)
		pthread_cond_wait(&rd->cv, &rd->mu);
	stop = rd->stop;
	if (!stop) {
		*rd->tail = b;
		rd->tail = &b->next;
		rd->queued++;
		pthread_cond_broadcast(&rd->cv);
	}
	pthread_mutex_unlock(&rd->mu);
	return stop ? -1 : 0;
}

/* reader_fill() reads up to BATCH_ROWS non-blank records into b. */
static void reader_fill(struct run *x, struct batch *b)
{
	struct csv_record rec;
	int rc;

	while (b->n < BATCH_ROWS) {
		struct item *it = &b->items[b->n];

		rc = csv_next(x->in, &rec);
		if (rc == CSV_DONE || rc == CSV_ERROR) {
			if (rc == CSV_ERROR)
				snprintf(b->error, sizeof(b->error), "%s", csv_error(x->in));
			b->end = 1;
			return;
		}
		if (rc == CSV_BAD) {
			memset(it, 0, sizeof(*it));
			it->kind = ITEM_BAD;
			it->message = arena_strdup(b->a, csv_error(x->in));
			if (it->message == NULL) {
				b->oom = b->end = 1;
				return;
			}
			b->n++;
			continue;
		}
		if (rec.blank)
			continue;
		if (convert(x, b->a, &rec, it) < 0) {
			b->oom = b->end = 1;
			return;
		}
		b->n++;
	}
}

static void *reader_main(void *arg)
{
	struct reader *rd = arg;
	int end = 0;

	i18n_set_lang(LANG_PL); /* reasons and warnings in the office's language */
	while (!end) {
		struct batch *b = calloc(1, sizeof(*b));

		if (b != NULL && (b->a = arena_new(SCRATCH_LIMIT)) == NULL) {
			free(b);
			b = NULL;
		}
		if (b == NULL) {
			pthread_mutex_lock(&rd->mu);
			rd->oom = 1; /* reader_pop() returns NULL once the queue is empty */
			pthread_cond_broadcast(&rd->cv);
			pthread_mutex_unlock(&rd->mu);
			break;
		}
		reader_fill(rd->x, b);
		end = b->end;
		if (reader_push(rd, b) < 0) {
			batch_free(b);
			break;
		}
	}
	return NULL;
}

/* reader_pop() takes the next batch, waiting for the reader; NULL when it ran out of memory. */
static struct batch *reader_pop(struct reader *rd)
{
	struct batch *b;

	pthread_mutex_lock(&rd->mu);
	while (rd->head == NULL && !rd->oom)
		pthread_cond_wait(&rd->cv, &rd->mu);
	b = rd->head;
	if (b == NULL) {
		pthread_mutex_unlock(&rd->mu);
		return NULL;
	}
	rd->head = b->next;
	if (rd->head == NULL)
		rd->tail = &rd->head;
	rd->queued--;
	pthread_cond_broadcast(&rd->cv);
	pthread_mutex_unlock(&rd->mu);
	return b;
}

/* reader_stop() tells the reader to end, waits for it and frees what it queued. */
static void reader_stop(struct reader *rd, pthread_t t)
{
	struct batch *b;

	pthread_mutex_lock(&rd->mu);
	rd->stop = 1;
	pthread_cond_broadcast(&rd->cv);
	pthread_mutex_unlock(&rd->mu);
	pthread_join(t, NULL);
	while ((b = rd->head) != NULL) {
		rd->head = b->next;
		batch_free(b);
	}
	pthread_mutex_destroy(&rd->mu);
	pthread_cond_destroy(&rd->cv);
}

/* load_person() adds a new valid person to the bulk load. */
static int load_person(struct run *x, const struct item *it)
{
	const struct person *p = &it->row.p;
	char id[24];
	const char *v[NBULK];
	int i = 0;

	snprintf(id, sizeof(id), "%lld", (long long)x->next_id);
	v[i++] = id;
	v[i++] = x->inst_id;
	v[i++] = p->pesel;
	v[i++] = p->doc_kind;
	v[i++] = p->doc_number;
	v[i++] = p->first_names;
	v[i++] = p->surname;
	v[i++] = p->birth_surname;
	v[i++] = p->sex;
	v[i++] = p->birth_date;
	v[i++] = p->citizenship;
	v[i++] = p->street;
	v[i++] = p->house_no;
	v[i++] = p->flat_no;
	v[i++] = p->postcode;
	v[i++] = p->town;
	v[i++] = p->terc;
	v[i++] = p->phone;
	v[i++] = p->email;
	v[i++] = it->fold[0];
	v[i++] = it->fold[1];
	v[i++] = it->fold[2];
	v[i++] = it->fold[3];
	v[i++] = x->now;
	v[i++] = x->user_id[0] ? x->user_id : NULL;
	v[i++] = x->now;
	v[i++] = x->user_id[0] ? x->user_id : NULL;
	v[i++] = x->import_id;
	if (v[19] == NULL || v[20] == NULL || db_bulk_row(x->bulk, v) != DB_OK)
		return -1;
	if (it->row.household != NULL && household_join(x, &it->row, x->next_id) < 0)
		return -1;
	x->next_id++;
	x->r->imported++;
	return 0;
}

/* keep_update() copies a row for the update pass after the bulk load. */
static int keep_update(struct run *x, const struct pi_row *row, int64_t id, long line)
{
	struct upd *u = arena_zalloc(x->keep, sizeof(*u));
	size_t i;

	if (u == NULL)
		return x->oom = 1, -1;
	u->id = id;
	u->line = line;
	u->row = *row;
	for (i = 0; i < NPCOLS; i++) {
		const char *v = PCOL(&row->p, i);

		if (v != NULL && (PCOL(&u->row.p, i) = arena_strdup(x->keep, v)) == NULL)
			return x->oom = 1, -1;
	}
	*x->upd_tail = u;
	x->upd_tail = &u->next;
	return 0;
}

/* one_row() checks what depends on the rows before and loads or rejects one record. */
static int one_row(struct run *x, struct arena *s, const struct item *it)
{
	const char *const *field = (const char *const *)it->field;
	struct verrs v;
	int64_t *known;

	x->r->read++;
	x->warned = 0;
	if (it->kind == ITEM_BAD) {
		x->r->refused++;
		reject_out(x, NULL, 0, it->message);
		return 0;
	}
	if (it->kind == ITEM_RAGGED) {
		reject_out(x, field, it->n, arena_printf(s, _("line %ld: %s"), it->line, it->message));
		x->r->refused++;
		return 0;
	}
	v.n = 0;
	if (it->v != NULL)
		v = *it->v;
	if (v.n == 0 && it->row.p.pesel != NULL) {
		uint64_t k = pesel_key(it->row.p.pesel);
		int64_t *line = imap_get(&x->seen, k);

		if (line != NULL)
			verrs_add(&v, "pesel", "duplicate", _("the same PESEL as line %lld of the file"),
				  (long long)*line);
		else if (imap_put(&x->seen, k, it->line) < 0)
			return -1;
	}
	if (v.n == 0 && it->terc == TERC_UNKNOWN)
		verrs_add(&v, "terc", "unknown", "%s", _("is not a gmina of the TERYT register"));
	if (v.n > 0) {
		reject_out(x, field, it->n, reasons(s, it->line, &v));
		x->r->refused++;
		return 0;
	}
	if (it->terc == TERC_NONE)
		warn(x, it->line, it->terc_warning);
	if (it->row.pesel_padded)
		warn(x, it->line, _("the PESEL had 10 digits (a spreadsheet dropped its leading zero); completed"));
	known = it->row.p.pesel != NULL ? imap_get(&x->registered, pesel_key(it->row.p.pesel)) : NULL;
	if (known != NULL && !x->o->update) {
		reject_out(x, field, it->n,
			   arena_printf(s, _("line %ld: PESEL %s is already in the register (person no. %lld); "
					     "nothing was changed"), it->line, it->row.p.pesel, (long long)*known));
		x->r->duplicates++;
		return 0;
	}
	if (known != NULL)
		return keep_update(x, &it->row, *known, it->line);
	return load_person(x, it) < 0 ? -1 : 0;
}

/* load_families() writes the households gathered and their members. */
static int load_families(struct run *x)
{
	static const char *const fcols[] = { "id", "institution_id", "applicant_id", "created_at", "created_by",
					     "updated_at", "updated_by", "street", "house_no", "flat_no", "postcode",
					     "town", "terc", "import_id" };
	static const char *const mcols[] = { "family_id", "person_id", "institution_id", "relation", "member_from",
					     "import_id" };
	char today[16], a[24], b[24];
	const char *v[14];
	struct db_bulk *bulk;
	size_t i;
	int k;

	if (x->nfams == 0)
		return 0;
	snprintf(today, sizeof(today), "%04d-%02d-%02d", (x->today / 10000) % 10000, x->today / 100 % 100,
		 x->today % 100);
	bulk = db_bulk_begin(x->db, "family", fcols, 14, x->bulk_err, sizeof(x->bulk_err));
	for (i = 0; bulk != NULL && i < x->nfams; i++) {
		snprintf(a, sizeof(a), "%lld", (long long)x->fams[i].id);
		snprintf(b, sizeof(b), "%lld", (long long)x->fams[i].applicant);
		v[0] = a, v[1] = x->inst_id, v[2] = b, v[3] = x->now;
		v[4] = x->user_id[0] ? x->user_id : NULL, v[5] = x->now, v[6] = v[4];
		for (k = 0; k < 6; k++)
			v[7 + k] = x->fams[i].addr[k];
		v[13] = x->import_id;
		if (db_bulk_row(bulk, v) != DB_OK) {
			db_bulk_abort(bulk);
			return -1;
		}
	}
	if (bulk == NULL || db_bulk_end(bulk) != DB_OK)
		return -1;
	bulk = db_bulk_begin(x->db, "family_member", mcols, 6, x->bulk_err, sizeof(x->bulk_err));
	for (i = 0; bulk != NULL && i < x->nmems; i++) {
		const struct fam *f = &x->fams[x->mems[i].fam];

		snprintf(a, sizeof(a), "%lld", (long long)f->id);
		snprintf(b, sizeof(b), "%lld", (long long)x->mems[i].person);
		v[0] = a, v[1] = b, v[2] = x->inst_id;
		v[3] = f->applicant == x->mems[i].person ? "applicant"
			: x->mems[i].relation != NULL  ? x->mems[i].relation : "other";
		v[4] = today;
		v[5] = x->import_id;
		if (db_bulk_row(bulk, v) != DB_OK) {
			db_bulk_abort(bulk);
			return -1;
		}
	}
	if (bulk == NULL || db_bulk_end(bulk) != DB_OK)
		return -1;
	x->r->households = (long)x->nfams;
	return 0;
}

/*
 * update_one() overlays what the file maps on the stored person and saves
 * it with person_update() (a history row per changed field). The PESEL's
 * birth date and sex, and the town's TERC code, count as mapped when the
 * file gives them.
 */
static int update_one(struct run *x, struct arena *s, const struct upd *u)
{
	struct person now;
	struct verrs v;
	size_t i;
	int rc, mapped;

	rc = person_get(x->db, s, u->id, &now);
	if (rc != 0)
		return rc > 0 ? 0 : -1;
	for (i = 0; i < NPCOLS; i++) {
		enum pi_field f = person_cols[i].from;
		const char *nv = PCOL(&u->row.p, i);

		mapped = x->m.col[f] >= 0 || (f == PI_FIRST_NAMES && x->m.col[PI_SECOND_NAME] >= 0) ||
			 ((f == PI_BIRTH_DATE || f == PI_SEX) && x->m.col[PI_PESEL] >= 0 && nv != NULL) ||
			 (f == PI_TERC && x->m.col[PI_TOWN] >= 0 && nv != NULL) ||
			 (f == PI_DOC_KIND && x->m.col[PI_DOC_NUMBER] >= 0);
		if (mapped)
			PCOL(&now, i) = nv;
	}
	v.n = 0;
	rc = person_update(x->db, s, x->w, &now, &v);
	if (rc < 0)
		return -1;
	if (rc == 0)
		x->r->updated++;
	else
		x->r->refused++; /* refused by the register itself (e.g. its PESEL taken meanwhile) */
	return 0;
}

/* prepare() checks the institution and reads what the rows are checked against. */
static int prepare(struct run *x)
{
	struct institution inst;
	struct verrs v = VERRS_INIT;
	struct db_stmt *st;
	int64_t max = 0;
	int rc;

	if (registry_may_write(x->w, x->o->institution_id, &v) != 0) {
		snprintf(x->r->error, sizeof(x->r->error), "%s", v.e[0].message);
		return 1;
	}
	rc = institution_get(x->db, x->a, x->o->institution_id, &inst);
	if (rc != 0) {
		if (rc > 0)
			snprintf(x->r->error, sizeof(x->r->error), _("there is no institution no. %lld"),
				 (long long)x->o->institution_id);
		return rc > 0 ? 1 : -1;
	}
	if (!inst.active) {
		snprintf(x->r->error, sizeof(x->r->error), _("the institution %s is deactivated"), inst.name);
		return 1;
	}
	if (db_backend(x->db) == DB_POSTGRES && db_run(x->db, &SQL_PG_LOCK, NULL) != DB_OK)
		return -1;
	if (gminas_load(x->db, x->a, inst.terc, &x->g) < 0)
		return -1;
	st = db_stream(x->db, &SQL_REGISTERED, "i", x->o->institution_id);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *pesel = db_col_text(st, 1);

		if (pesel != NULL && strlen(pesel) == 11 && strspn(pesel, "0123456789") == 11 &&
		    imap_put(&x->registered, pesel_key(pesel), db_col_int(st, 0)) < 0)
			rc = DB_ERROR;
		if (rc == DB_ERROR)
			break;
	}
	db_reset(st);
	if (rc != DB_DONE)
		return -1;
	if (db_get_int(x->db, &max, &SQL_MAX_PERSON, NULL) != DB_ROW)
		return -1;
	x->first_id = x->next_id = max + 1;
	if (db_get_int(x->db, &max, &SQL_MAX_FAMILY, NULL) != DB_ROW)
		return -1;
	x->first_family = max + 1;
	return 0;
}

/* read_header() reads the header record and builds the mapping. 0, 1 (refused: r->error), -1. */
static int read_header(struct run *x)
{
	struct csv_record rec;
	int rc;

	do
		rc = csv_next(x->in, &rec);
	while (rc == CSV_ROW && rec.blank);
	if (rc == CSV_DONE) {
		snprintf(x->r->error, sizeof(x->r->error), "%s", _("the file is empty"));
		return 1;
	}
	if (rc != CSV_ROW) {
		snprintf(x->r->error, sizeof(x->r->error), _("the header cannot be read: %s"), csv_error(x->in));
		return 1;
	}
	if (pi_mapping_build(&x->m, x->a, rec.field, rec.n, x->o->mapping, x->r->error, sizeof(x->r->error)) < 0)
		return 1;
	x->r->unmapped = x->m.unmapped;
	return 0;
}

/*
 * load_rows() takes the reader's batches and loads their rows, in the
 * file's order. 0, 1 (the file broke off or the user stopped: r->error), -1.
 */
static int load_rows(struct run *x, struct reader *rd)
{
	long n = 0;

	for (;;) {
		struct batch *b = reader_pop(rd);
		int end, rc = 0;
		size_t i;

		if (b == NULL)
			return x->oom = 1, -1;
		end = b->end;

		for (i = 0; i < b->n && rc == 0; i++) {
			rc = one_row(x, b->a, &b->items[i]);
			if (rc == 0 && x->o->progress != NULL && ++n % PROGRESS_ROWS == 0 &&
			    x->o->progress(x->o->progress_arg, n) != 0) {
				snprintf(x->r->error, sizeof(x->r->error), "%s", _("the import was stopped"));
				rc = 1;
			}
		}
		if (rc == 0 && b->oom)
			rc = -1, x->oom = 1;
		else if (rc == 0 && b->error[0] != '\0')
			rc = 1, snprintf(x->r->error, sizeof(x->r->error), "%s", b->error);
		batch_free(b);
		if (rc != 0 || end)
			return rc;
	}
}

/* read_rows() streams the data rows into the bulk load. 0, 1 (the file broke off: r->error), -1. */
static int read_rows(struct run *x)
{
	struct reader rd;
	pthread_t t;
	int rc;

	memset(&rd, 0, sizeof(rd));
	rd.x = x;
	rd.tail = &rd.head;
	pthread_mutex_init(&rd.mu, NULL);
	pthread_cond_init(&rd.cv, NULL);
	if (pthread_create(&t, NULL, reader_main, &rd) != 0) {
		pthread_mutex_destroy(&rd.mu);
		pthread_cond_destroy(&rd.cv);
		return x->oom = 1, -1;
	}
	rc = load_rows(x, &rd);
	reader_stop(&rd, t);
	return rc;
}

/* short_name() is the file's name cut to at most 200 bytes on a character boundary ("-" when none). */
static const char *short_name(struct arena *a, const char *name)
{
	size_t n;

	if (name == NULL || name[0] == '\0')
		return "-";
	n = strlen(name);
	if (n <= 200)
		return name;
	for (n = 200; n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80; n--)
		;
	return arena_strndup(a, name, n);
}

/* sep_text() is the separator as the import's record shows it ("\\t" for a tab), in buf. */
static const char *sep_text(char sep, char buf[3])
{
	if (sep == '\t')
		return "\\t";
	buf[0] = sep, buf[1] = '\0';
	return buf;
}

/*
 * import_begin() writes the import's row, which the records it creates
 * point at; its encoding (detected as the rows are read) and counts are
 * set at the end, in the same transaction (SQL_IMPORT_COUNTS). 0 or -1.
 */
static int import_begin(struct run *x)
{
	char sep[3];

	if (db_get_int(x->db, &x->r->import_id, &SQL_IMPORT_INSERT, "iittttt", x->o->institution_id,
		       x->w->audit.user_id, x->w->audit.login != NULL ? x->w->audit.login : "", x->now,
		       short_name(x->a, x->o->file_name), "", sep_text(csv_sep(x->in), sep)) != DB_ROW)
		return -1;
	snprintf(x->import_id, sizeof(x->import_id), "%lld", (long long)x->r->import_id);
	return 0;
}

/*
 * A large load into a small register (SQLite): inserting a million rows
 * into eight secondary indexes of person and the three of the history,
 * each in its own order, costs more than building those indexes once
 * from the loaded rows (measured: 34 s against 13.5 s + 7.4 s for a
 * million persons). The indexes are dropped inside the import's
 * transaction and created again before its commit, so a failure or a
 * kill rolls back to the same schema. That includes the unique index of
 * a PESEL per institution (random inserts into it were 3 s of a million
 * rows): the load has already refused every PESEL of the file registered
 * or repeated, and if one slipped through, creating the index again
 * fails and the whole import rolls back. The index of a person in one
 * household stays: the members are written in that index's order.
 */
#define REBUILD_MIN_BYTES ((int64_t)16 << 20) /* about 180,000 rows of an office's export */
#define REBUILD_MAX 32

static const struct db_sql SQL_REBUILD_INDEXES =
	DB_SQL("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND "
	       "tbl_name IN ('person', 'family', 'family_member', 'record_history') AND "
	       "name <> 'family_member_current'");
static const struct db_sql SQL_PERSON_COUNT = DB_SQL("SELECT COUNT(*) FROM person");

/* drop_indexes() drops the secondary indexes when the load is large; 0 or -1. */
static int drop_indexes(struct run *x)
{
	struct db_stmt *st;
	int64_t persons = 0;
	char *names[REBUILD_MAX];
	int n = 0, rc, i;

	if (db_backend(x->db) != DB_SQLITE || x->o->size_hint < REBUILD_MIN_BYTES)
		return 0;
	if (db_get_int(x->db, &persons, &SQL_PERSON_COUNT, NULL) != DB_ROW)
		return -1;
	if (persons > x->o->size_hint / 100) /* the register is as large as the file: keep them */
		return 0;
	x->rebuild = arena_zalloc(x->keep, sizeof(*x->rebuild) * (REBUILD_MAX + 1));
	st = x->rebuild != NULL ? db_query(x->db, &SQL_REBUILD_INDEXES, NULL) : NULL;
	if (st == NULL)
		return x->oom = x->rebuild == NULL, -1;
	while (n < REBUILD_MAX && (rc = db_step(st)) == DB_ROW) {
		names[n] = arena_printf(x->keep, "DROP INDEX \"%s\"", db_col_text(st, 0));
		x->rebuild[n] = arena_strdup(x->keep, db_col_text(st, 1));
		if (names[n] == NULL || x->rebuild[n] == NULL) {
			db_reset(st);
			return x->oom = 1, -1;
		}
		n++;
	}
	db_reset(st);
	for (i = 0; i < n; i++)
		if (db_exec(x->db, names[i]) != DB_OK)
			return -1;
	return 0;
}

/* build_indexes() creates again what drop_indexes() dropped; 0 or -1. */
static int build_indexes(struct run *x)
{
	int i;

	for (i = 0; x->rebuild != NULL && x->rebuild[i] != NULL; i++)
		if (db_exec(x->db, x->rebuild[i]) != DB_OK)
			return -1;
	return 0;
}

/*
 * finish() writes what follows the persons — history, families, updates,
 * the record — and commits with the audit row; on any failure everything
 * is rolled back.
 */
static int finish(struct run *x, int64_t t0)
{
	struct upd *u;
	struct arena *s;
	size_t rejects_len;
	char detail[600], sep[3];
	int rc = 0;

	if (load_families(x) < 0)
		goto fail;
	s = arena_new(SCRATCH_LIMIT);
	if (s == NULL)
		goto fail;
	for (u = x->upds; u != NULL && rc == 0; u = u->next)
		rc = update_one(x, s, u);
	arena_free(s);
	if (rc < 0)
		goto fail;
	if (db_backend(x->db) == DB_POSTGRES &&
	    (db_run(x->db, &SQL_PG_SETVAL_PERSON, NULL) != DB_OK || db_run(x->db, &SQL_PG_SETVAL_FAMILY, NULL) != DB_OK))
		goto fail;
	if (build_indexes(x) != 0)
		goto fail;
	x->r->seconds = (double)(clock_ms() - t0) / 1000.0;
	rejects_len = x->rejects.len;
	if (db_run(x->db, &SQL_IMPORT_COUNTS, "ttiiiiiiitdbii", x->r->encoding, sep_text(x->r->sep, sep),
		   (int64_t)x->r->read, (int64_t)x->r->imported, (int64_t)x->r->updated, (int64_t)x->r->refused,
		   (int64_t)x->r->duplicates, (int64_t)x->r->warnings, (int64_t)x->r->households, x->m.unmapped,
		   x->r->seconds, rejects_len > 0 ? (const void *)x->rejects.data : NULL, rejects_len,
		   (int64_t)(x->rejects.failed != 0), x->r->import_id) != DB_OK)
		goto fail;
	snprintf(detail, sizeof(detail),
		 "file=%s read=%ld imported=%ld updated=%ld refused=%ld duplicates=%ld households=%ld",
		 short_name(x->a, x->o->file_name), x->r->read, x->r->imported, x->r->updated,
		 x->r->refused, x->r->duplicates, x->r->households);
	/* commits, or rolls back when the audit row cannot be written */
	return audit_commit(x->db, &x->w->audit, 0, "person.import", "person_import", x->r->import_id, detail) == 0
		       ? 0
		       : -1;
fail:
	snprintf(x->r->error, sizeof(x->r->error), "%s", x->bulk_err[0] ? x->bulk_err : db_errmsg(x->db));
	db_rollback(x->db);
	return -1;
}

/*
 * link_imported() links the committed records in bulk (link/store.h) in a
 * transaction of its own. Links are derived facts: when this fails the
 * import stands, the error is kept in r->link_error, and the next run of
 * the linker (razem link --db, or the next import) picks the records up
 * from its high-water mark. Kept out of the import's transaction so that
 * a large load does not hold its pages through the scoring.
 */
static void link_imported(struct run *x)
{
	struct link_run_summary s;

	memset(&s, 0, sizeof(s));
	if (db_begin(x->db) != 0 ||
	    link_store_run(x->db, x->o->institution_id, 0, x->w->audit.user_id, &s, x->r->link_error,
			   sizeof(x->r->link_error)) != 0 ||
	    db_commit(x->db) != 0) {
		if (x->r->link_error[0] == '\0')
			snprintf(x->r->link_error, sizeof(x->r->link_error), "%s", db_errmsg(x->db));
		db_rollback(x->db);
		return;
	}
	x->r->linked = s.linked;
	x->r->queued = s.queued;
	x->r->link_seconds = s.seconds;
}

int person_import(struct db *db, struct arena *a, const struct registry_writer *w, struct csv *in,
		  const struct person_import_opts *opts, struct person_import_result *r)
{
	struct run x;
	enum lang lang = i18n_lang();
	int64_t t0 = clock_ms();
	int rc;

	memset(r, 0, sizeof(*r));
	memset(&x, 0, sizeof(x));
	x.db = db, x.a = a, x.w = w, x.o = opts, x.r = r, x.in = in;
	x.upd_tail = &x.upds;
	buf_init(&x.rejects, REJECTS_MAX);
	clock_iso(clock_now(), x.now);
	x.today = clock_today_ymd();
	snprintf(x.inst_id, sizeof(x.inst_id), "%lld", (long long)opts->institution_id);
	if (w->audit.user_id > 0)
		snprintf(x.user_id, sizeof(x.user_id), "%lld", (long long)w->audit.user_id);
	r->encoding = "UTF-8";
	/*
	 * SQLite spills a transaction's dirty pages to the WAL once its page
	 * cache (2 MB) is full, and the indexes of a large load are touched all
	 * over: measured 2 million page writes for 100,000 persons. A cache of
	 * up to 1 GB for the load (a million persons with their indexes and
	 * history) keeps them in memory until the commit.
	 *
	 * The statement journal stays a temporary file (temp_store DEFAULT),
	 * not memory: the bulk runs in a savepoint, and at the end of each
	 * INSERT SQLite truncates an in-memory journal back to the savepoint's
	 * part by walking its list of chunks of about 1 KB from the start, so with
	 * temp_store = MEMORY every statement walked the whole journal (a
	 * fifth of the import's CPU for 200,000 rows, and growing with the
	 * load); a file is truncated in one call.
	 */
	if (db_backend(db) == DB_SQLITE)
		db_exec(db, "PRAGMA cache_size = -1048576");
	x.keep = arena_new(RUN_LIMIT);
	if (x.keep == NULL)
		return snprintf(r->error, sizeof(r->error), "%s", _("out of memory")), -1;
	if (db_begin(db) != 0) {
		arena_free(x.keep);
		return snprintf(r->error, sizeof(r->error), "%s", db_errmsg(db)), -1;
	}
	rc = prepare(&x);
	if (rc == 0)
		rc = read_header(&x);
	if (rc == 0)
		rc = import_begin(&x);
	if (rc == 0)
		rc = drop_indexes(&x);
	if (rc == 0) {
		x.bulk = db_bulk_begin(db, "person", person_bulk_cols, NBULK, x.bulk_err, sizeof(x.bulk_err));
		if (x.bulk == NULL)
			rc = -1;
	}
	i18n_set_lang(LANG_PL); /* reasons and warnings in the office's language */
	if (rc == 0)
		rc = read_rows(&x);
	i18n_set_lang(lang);
	r->sep = csv_sep(in);
	r->encoding = csv_encoding_name(csv_encoding(in) == CSV_ENC_AUTO ? CSV_ENC_UTF8 : csv_encoding(in));
	if (x.bulk != NULL) {
		if (rc == 0 && db_bulk_end(x.bulk) != DB_OK)
			rc = -1;
		else if (rc != 0)
			db_bulk_abort(x.bulk);
	}
	if (rc == 0)
		rc = finish(&x, t0);
	else
		db_rollback(db);
	if (rc == 0) /* the record holds the time to its own writing; the user waited for the commit too */
		r->seconds = (double)(clock_ms() - t0) / 1000.0;
	if (rc == 0 && r->imported + r->updated > 0)
		link_imported(&x);
	if (rc < 0 && r->error[0] == '\0')
		snprintf(r->error, sizeof(r->error), "%s",
			 x.bulk_err[0] ? x.bulk_err : x.oom ? _("out of memory") : db_errmsg(db));
	if (rc != 0) {
		long keep_read = r->read;

		r->imported = r->updated = r->households = 0;
		r->read = keep_read;
	}
	if (db_backend(db) == DB_SQLITE)
		db_exec(db, "PRAGMA cache_size = -2000"); /* the default again */
	gminas_free(&x.g);
	arena_free(x.keep);
	imap_free(&x.registered);
	imap_free(&x.seen);
	imap_free(&x.hh);
	free(x.fams);
	free(x.mems);
	buf_release(&x.rejects);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Recorded imports                                                    */
/* ------------------------------------------------------------------ */

int person_import_get(struct db *db, struct arena *a, int64_t id, int64_t institution_id,
		      struct person_import_info *out)
{
	struct db_stmt *st = db_query(db, &SQL_IMPORT_GET, "i", id);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_col_int(st, 0);
		out->institution_id = db_col_int(st, 1);
		out->user_id = db_col_int(st, 2);
		out->actor = arena_strdup(a, db_col_text(st, 3));
		out->at = arena_strdup(a, db_col_text(st, 4));
		out->file_name = arena_strdup(a, db_col_text(st, 5));
		out->encoding = arena_strdup(a, db_col_text(st, 6));
		out->separator = arena_strdup(a, db_col_text(st, 7));
		out->read = db_col_int(st, 8);
		out->imported = db_col_int(st, 9);
		out->updated = db_col_int(st, 10);
		out->refused = db_col_int(st, 11);
		out->duplicates = db_col_int(st, 12);
		out->warnings = db_col_int(st, 13);
		out->households = db_col_int(st, 14);
		out->unmapped = db_col_is_null(st, 15) ? NULL : arena_strdup(a, db_col_text(st, 15));
		out->seconds = db_col_double(st, 16);
		out->rejects_size = db_col_int(st, 17);
		out->rejects_truncated = (int)db_col_int(st, 18);
	}
	db_reset(st);
	if (rc == DB_DONE || (rc == DB_ROW && institution_id != 0 && out->institution_id != institution_id))
		return PERSON_NOT_FOUND;
	return rc == DB_ROW ? 0 : -1;
}

int person_import_recent(struct db *db, struct arena *a, int64_t institution_id, struct person_import_info *out,
			 int max)
{
	struct db_stmt *st = db_query(db, &SQL_IMPORT_RECENT, "ii", institution_id, (int64_t)max);
	int n = 0, rc;

	if (st == NULL)
		return -1;
	while (n < max && (rc = db_step(st)) == DB_ROW) {
		struct person_import_info *im = &out[n++];

		memset(im, 0, sizeof(*im));
		im->institution_id = institution_id;
		im->id = db_col_int(st, 0);
		im->at = arena_strdup(a, db_col_text(st, 1));
		im->file_name = arena_strdup(a, db_col_text(st, 2));
		im->actor = arena_strdup(a, db_col_text(st, 3));
		im->read = db_col_int(st, 4);
		im->imported = db_col_int(st, 5);
		im->refused = db_col_int(st, 6);
		im->duplicates = db_col_int(st, 7);
	}
	db_reset(st);
	return n < max && rc != DB_DONE ? -1 : n;
}

int person_import_rejects(struct policy_read *r, int64_t id, const void **data, size_t *len)
{
	struct policy_subject subj = { .kind = POLICY_PERSON, .id = 0 };
	struct db_stmt *st = db_query(r->db, &SQL_IMPORT_REJECTS, "i", id);
	const void *blob;
	char *detail, *sid;
	int rc;

	*data = NULL;
	*len = 0;
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		subj.institution_id = db_col_int(st, 0);
		blob = db_col_blob(st, 1, len);
		if (blob != NULL && *len > 0) {
			void *copy = arena_alloc(r->arena, *len);

			if (copy == NULL)
				rc = DB_ERROR;
			else
				*data = memcpy(copy, blob, *len);
		}
	}
	db_reset(st);
	if (rc == DB_DONE)
		return POLICY_NOT_FOUND;
	if (rc != DB_ROW)
		return -1;
	/* another institution's import: not even its existence is told */
	if (subj.institution_id != r->actor.institution_id && !r->actor.cli)
		return *data = NULL, *len = 0, POLICY_NOT_FOUND;
	if (policy_decide(&r->actor, &subj, r->purpose, &r->decision) != 0)
		return *data = NULL, *len = 0, POLICY_DENIED;
	detail = arena_printf(r->arena, "rejects bytes=%zu", *len);
	sid = arena_printf(r->arena, "%lld", (long long)id);
	if (detail == NULL || sid == NULL ||
	    audit_reads_add(r->log, "person_import.rejects", "person_import", sid, detail) != 0)
		return -1;
	return POLICY_OK;
}

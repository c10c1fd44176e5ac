/*
 * names.c — Polish name rules: the first-name dictionary (diminutives and
 * common variants to the name in the register), feminine/masculine forms
 * of one surname, parts of double-barrelled surnames.
 *
 * The dictionary is deliberately small: the forms a clerk really types
 * instead of the registered name, compiled by hand from everyday Polish
 * usage (standard hypocorisms, common forms only), plus the English forms
 * of the same names met in records of migrants and in the FEBRL sets
 * (Bill, Bob, Kate). Entries are folded (no Polish letters, lower case);
 * docs/LINKAGE.md gives the policy. Lookups are a binary search of the
 * sorted table.
 */
#include <stdlib.h>
#include <string.h>

#include "link/link_int.h"

struct name_variant {
	const char *variant, *canonical;
};

/* Sorted by variant (strcmp); tests check the order. */
static const struct name_variant names[] = {
	{ "aga", "agnieszka" },
	{ "agusia", "agnieszka" },
	{ "ala", "alicja" },
	{ "alek", "aleksander" },
	{ "aleks", "aleksander" },
	{ "alex", "aleksander" },
	{ "alexander", "aleksander" },
	{ "andrew", "andrzej" },
	{ "andrzejek", "andrzej" },
	{ "ania", "anna" },
	{ "anka", "anna" },
	{ "ann", "anna" },
	{ "anne", "anna" },
	{ "antek", "antoni" },
	{ "asia", "joanna" },
	{ "bartek", "bartlomiej" },
	{ "bartosz", "bartlomiej" },
	{ "basia", "barbara" },
	{ "bill", "william" },
	{ "billy", "william" },
	{ "bob", "robert" },
	{ "bobby", "robert" },
	{ "bogus", "boguslaw" },
	{ "czesiek", "czeslaw" },
	{ "danka", "danuta" },
	{ "darek", "dariusz" },
	{ "dave", "dawid" },
	{ "david", "dawid" },
	{ "dorotka", "dorota" },
	{ "edek", "edward" },
	{ "ela", "elzbieta" },
	{ "elka", "elzbieta" },
	{ "ewka", "ewa" },
	{ "franek", "franciszek" },
	{ "gosia", "malgorzata" },
	{ "grzes", "grzegorz" },
	{ "grzesiek", "grzegorz" },
	{ "halinka", "halina" },
	{ "hania", "hanna" },
	{ "heniek", "henryk" },
	{ "irek", "ireneusz" },
	{ "iwonka", "iwona" },
	{ "jacus", "jacek" },
	{ "jadzia", "jadwiga" },
	{ "janek", "jan" },
	{ "jas", "jan" },
	{ "jasiek", "jan" },
	{ "jim", "james" },
	{ "jimmy", "james" },
	{ "john", "jan" },
	{ "johnny", "jan" },
	{ "jozek", "jozef" },
	{ "jurek", "jerzy" },
	{ "kasia", "katarzyna" },
	{ "kaska", "katarzyna" },
	{ "kate", "katarzyna" },
	{ "katherine", "katarzyna" },
	{ "kathy", "katarzyna" },
	{ "krys", "krystyna" },
	{ "krysia", "krystyna" },
	{ "krzys", "krzysztof" },
	{ "krzysiek", "krzysztof" },
	{ "kuba", "jakub" },
	{ "maciek", "maciej" },
	{ "madzia", "magdalena" },
	{ "magda", "magdalena" },
	{ "maggie", "malgorzata" },
	{ "margaret", "malgorzata" },
	{ "mary", "maria" },
	{ "marysia", "maria" },
	{ "michael", "michal" },
	{ "mietek", "mieczyslaw" },
	{ "mike", "michal" },
	{ "mirek", "miroslaw" },
	{ "monia", "monika" },
	{ "ola", "aleksandra" },
	{ "olek", "aleksander" },
	{ "paul", "pawel" },
	{ "pawelek", "pawel" },
	{ "peter", "piotr" },
	{ "piotrek", "piotr" },
	{ "rysiek", "ryszard" },
	{ "slawek", "slawomir" },
	{ "stas", "stanislaw" },
	{ "stasiek", "stanislaw" },
	{ "staszek", "stanislaw" },
	{ "stefcia", "stefania" },
	{ "steve", "stephen" },
	{ "tadek", "tadeusz" },
	{ "tomek", "tomasz" },
	{ "tony", "antoni" },
	{ "wiesiek", "wieslaw" },
	{ "wika", "wiktoria" },
	{ "wikus", "wiktor" },
	{ "wladek", "wladyslaw" },
	{ "wlodek", "wlodzimierz" },
	{ "wojtek", "wojciech" },
	{ "zbyszek", "zbigniew" },
	{ "zdzisiek", "zdzislaw" },
	{ "zosia", "zofia" },
	{ "zuzia", "zuzanna" },
};

static int variant_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct name_variant *)elem)->variant);
}

const char *link_name_canonical(const char *folded)
{
	const struct name_variant *v;

	if (folded == NULL || folded[0] == '\0')
		return NULL;
	v = bsearch(folded, names, sizeof(names) / sizeof(names[0]), sizeof(names[0]), variant_cmp);
	return v != NULL ? v->canonical : NULL;
}

size_t link_name_dictionary_size(void)
{
	return sizeof(names) / sizeof(names[0]);
}

const char *link_name_dictionary_variant(size_t i)
{
	return i < sizeof(names) / sizeof(names[0]) ? names[i].variant : NULL;
}

/* The masculine endings of Polish adjectival surnames and their feminine forms. */
static const struct {
	const char *m, *f;
} gender_endings[] = {
	{ "ski", "ska" }, { "cki", "cka" }, { "dzki", "dzka" }, { "ny", "na" },
	{ "owy", "owa" }, { "y", "a" }, { "i", "a" },
};

/* ends_with() is the length of s without suffix, or -1 when s does not end so. */
static long ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n > k + 1 && memcmp(s + n - k, suffix, k) == 0 ? (long)(n - k) : -1;
}

int link_surname_gender_pair(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i;

	/* every pair of forms has the same length and differs in the last letter: test that first */
	if (na != nb || na < 3 || a[na - 1] == b[nb - 1] || memcmp(a, b, na - 1) != 0)
		return 0;
	for (i = 0; i < sizeof(gender_endings) / sizeof(gender_endings[0]); i++) {
		long sa = ends_with(a, na, gender_endings[i].m), sb = ends_with(b, nb, gender_endings[i].f);

		if (sa < 0 || sb < 0) {
			sa = ends_with(a, na, gender_endings[i].f);
			sb = ends_with(b, nb, gender_endings[i].m);
		}
		if (sa >= 0 && sa == sb)
			return 1;
	}
	return 0;
}

/* part_of() is true when a is one of the hyphen- or space-separated parts of b. */
static int part_of(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0;

	while (i < nb) {
		size_t j = i;

		while (j < nb && b[j] != '-' && b[j] != ' ')
			j++;
		if (j - i == na && j - i < nb && memcmp(b + i, a, na) == 0)
			return 1;
		i = j + 1;
	}
	return 0;
}

/* has_break() is true when s holds a space or a hyphen (only such names have parts). */
static int has_break(const char *s, size_t n)
{
	return memchr(s, '-', n) != NULL || memchr(s, ' ', n) != NULL;
}

int link_surname_part(const char *a, size_t na, const char *b, size_t nb)
{
	if (na == 0 || nb == 0 || (!has_break(a, na) && !has_break(b, nb)))
		return 0;
	return part_of(a, na, b, nb) || part_of(b, nb, a, na);
}

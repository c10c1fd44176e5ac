/*
 * synth.h — a synthetic population for the blocking and EM tests: n
 * persons, each with a record in group 0 and one in group 1; the group 1
 * record has the first name mistyped with probability given_typo and the
 * birth day changed with probability date_typo (one digit), and 10 % have
 * moved (another street and number); both have a 7-digit personal number,
 * missing from 30 % of group 1. Names come from short lists, so
 * strangers share names often (as in a real register).
 */
#ifndef RAZEM_TESTS_SYNTH_H
#define RAZEM_TESTS_SYNTH_H

#include "linktest.h"

static uint64_t synth_state = 88172645463325252ULL;

static uint64_t synth_next(void)
{
	synth_state ^= synth_state << 13;
	synth_state ^= synth_state >> 7;
	synth_state ^= synth_state << 17;
	return synth_state;
}

static double synth_unit(void)
{
	return (double)(synth_next() >> 11) / 9007199254740992.0;
}

static const char *const synth_given[] = { "anna", "maria", "katarzyna", "jan", "piotr", "tomasz", "ewa",
	"pawel", "agnieszka", "michal", "barbara", "marek", "zofia", "adam", "monika", "jakub" };
static const char *const synth_surname[] = { "nowak", "kowalski", "wisniewski", "wojcik", "kaminski",
	"lewandowski", "zielinski", "szymanski", "wozniak", "dabrowski", "kozlowski", "jankowski", "mazur",
	"krawczyk", "piotrowski", "grabowski", "nowakowski", "pawlowski", "michalski", "adamczyk" };

/* synth_typo() writes s with its second letter replaced (a typo that keeps the initial). */
static void synth_typo(const char *s, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s", s);
	if (strlen(out) > 2)
		out[1] = out[1] == 'q' ? 'x' : 'q';
}

/* synth_fill() adds the 2n records to s; record 2i (group 0) and 2i+1 (group 1) are person i. */
static void synth_fill(struct link_set *s, size_t n, double given_typo, double date_typo)
{
	char idbuf[32], typo[64];
	size_t i;

	for (i = 0; i < n; i++) {
		const char *g = synth_given[synth_next() % (sizeof(synth_given) / sizeof(synth_given[0]))];
		const char *sn = synth_surname[synth_next() % (sizeof(synth_surname) / sizeof(synth_surname[0]))];
		int birth = (1940 + (int)(synth_next() % 60)) * 10000 + (1 + (int)(synth_next() % 12)) * 100 +
			1 + (int)(synth_next() % 28);
		struct link_record r = person(idbuf, g, sn, birth, LINK_SEX_UNKNOWN, NULL);
		char street[32], number[16], nid[16];

		snprintf(street, sizeof(street), "ulica %u", (unsigned)(synth_next() % 300));
		snprintf(number, sizeof(number), "%u", (unsigned)(1 + synth_next() % 60));
		r.street = street;
		r.street_number = number;
		snprintf(nid, sizeof(nid), "%07u", (unsigned)(synth_next() % 10000000));
		r.national_id = nid;

		snprintf(idbuf, sizeof(idbuf), "a%zu", i);
		r.group = 0;
		assert_true(link_set_add(s, &r) >= 0);
		snprintf(idbuf, sizeof(idbuf), "b%zu", i);
		if (synth_unit() < given_typo) {
			synth_typo(g, typo, sizeof(typo));
			r.given = typo;
		}
		if (synth_unit() < 0.3)
			r.national_id = NULL; /* B often lacks the number */
		if (synth_unit() < 0.1) { /* moved */
			snprintf(street, sizeof(street), "ulica %u", (unsigned)(synth_next() % 300));
			snprintf(number, sizeof(number), "%u", (unsigned)(1 + synth_next() % 60));
		}
		if (synth_unit() < date_typo)
			r.birth = birth % 10 == 9 ? birth - 1 : birth + 1; /* another day, one digit off */
		r.group = 1;
		assert_true(link_set_add(s, &r) >= 0);
	}
}

#endif

/*
 * linkage.c — the demonstration database's record-linkage material
 * (linkage.h): a few persons of the MOPS in Przykładowo whom the PUP holds
 * too, written the PUP's way — without PESEL, with a typo, without Polish
 * letters, under a married name, with day and month swapped — so the
 * review queue has real pairs to show; data-quality bases for both
 * records under the MOPS–PUP agreement, so each reviewer may see the
 * other's record; and the linker run over the whole register.
 */
#include "demo/linkage.h"

#include <stdio.h>
#include <string.h>

#include "coop/agreement.h"
#include "core/clock.h"
#include "link/store.h"
#include "registry/person.h"

static const struct db_sql SQL_INST =
	DB_SQL("SELECT id FROM institution WHERE kind = ? AND city = ? ORDER BY id LIMIT 1");
static const struct db_sql SQL_LEAD = DB_SQL("SELECT MIN(id) FROM app_user WHERE institution_id = ?");
/* adults of the MOPS with an address whom the PUP does not hold (no PUP record with their PESEL) */
static const struct db_sql SQL_ORIGINALS =
	DB_SQL("SELECT p.id FROM person p WHERE p.institution_id = ? AND p.deleted_at IS NULL "
	       "AND p.pesel IS NOT NULL AND p.street IS NOT NULL AND p.birth_date < ? "
	       "AND NOT EXISTS (SELECT 1 FROM person o WHERE o.pesel = p.pesel AND o.institution_id = ?) "
	       "ORDER BY p.id LIMIT 10 OFFSET 40");
static const struct db_sql SQL_BASIS =
	DB_SQL("INSERT INTO consent (person_id, institution_id, agreement_id, purpose, basis, statute_article, "
	       "valid_from, created_at) VALUES (?, ?, ?, 'data_quality', 'statute', "
	       "'art. 6 ust. 1 lit. e RODO (porozumienie o współpracy)', ?, ?)");

/* How the PUP wrote the person down. */
enum variant { V_TYPO, V_NO_DIACRITICS, V_MARRIED, V_SWAPPED_DATE, V_TYPO_SHORT, V_MOVED, V_MOVED_SWAPPED, V__MAX };

/* a typo: two letters in the middle of the surname swapped ("Kowalska" → "Kowlaska") */
static void swap_letters(char *s)
{
	size_t n = strlen(s), i = n / 2;
	char t;

	if (n < 4 || (unsigned char)s[i - 1] >= 0x80 || (unsigned char)s[i] >= 0x80)
		return;
	t = s[i - 1], s[i - 1] = s[i], s[i] = t;
}

/* Polish letters written without their marks, as some systems still do */
static void strip_diacritics(char *s)
{
	static const char *const from[] = { "ą", "ć", "ę", "ł", "ń", "ó", "ś", "ź", "ż", "Ą", "Ć", "Ę", "Ł", "Ń",
					    "Ó", "Ś", "Ź", "Ż" };
	static const char to[] = "acelnoszzACELNOSZZ";
	char out[200];
	size_t i, o = 0, k;

	for (i = 0; s[i] != '\0' && o + 1 < sizeof(out);) {
		for (k = 0; k < sizeof(from) / sizeof(from[0]); k++)
			if (strncmp(s + i, from[k], strlen(from[k])) == 0)
				break;
		if (k < sizeof(from) / sizeof(from[0])) {
			out[o++] = to[k];
			i += strlen(from[k]);
		} else {
			out[o++] = s[i++];
		}
	}
	out[o] = '\0';
	memcpy(s, out, o + 1);
}

/* the PUP's copy of original o, written its way; p's strings point into a */
static void pup_copy(struct arena *a, const struct person *o, enum variant v, struct person *p)
{
	char surname[200], date[11];

	*p = *o;
	p->id = 0;
	p->pesel = NULL; /* the PUP's record lacks it: only the scored comparison can tell */
	p->corr_address = p->phone = p->email = NULL;
	p->education = NULL;
	p->disability = p->disability_from = p->disability_to = NULL;
	snprintf(surname, sizeof(surname), "%s", o->surname);
	snprintf(date, sizeof(date), "%s", o->birth_date);
	if (v == V_TYPO || v == V_TYPO_SHORT || v == V_MOVED)
		swap_letters(surname);
	if (v == V_MOVED || v == V_MOVED_SWAPPED) { /* registered at another address since */
		p->street = "ul. Polna";
		p->house_no = "17";
		p->flat_no = NULL;
	}
	if (v == V_NO_DIACRITICS)
		strip_diacritics(surname);
	if (v == V_MARRIED) {
		p->birth_surname = o->surname;
		snprintf(surname, sizeof(surname), "%s", o->sex != NULL && strcmp(o->sex, "K") == 0 ? "Zielińska" : "Zieliński");
	}
	if ((v == V_SWAPPED_DATE || v == V_MOVED_SWAPPED) && date[8] <= '1') /* 1985-03-07 → 1985-07-03 (a day that is a month) */
		memcpy(date + 5, (char[]){ date[8], date[9], '-', date[5], date[6] }, 5);
	if (v == V_TYPO_SHORT) { /* and only the first of the first names, the flat left out */
		const char *sp = strchr(o->first_names, ' ');

		if (sp != NULL)
			p->first_names = arena_printf(a, "%.*s", (int)(sp - o->first_names), o->first_names);
		p->flat_no = NULL;
	}
	p->surname = arena_strdup(a, surname);
	p->birth_date = arena_strdup(a, date);
}

static int add_basis(struct db *db, int64_t person, int64_t owner, int64_t agreement)
{
	char now[CLOCK_ISO_LEN], from[CLOCK_ISO_LEN];

	clock_iso(clock_now(), now);
	clock_iso(clock_now() - 30 * 86400, from);
	from[10] = '\0';
	return db_run(db, &SQL_BASIS, "iiitt", person, owner, agreement, from, now) < 0 ? -1 : 0;
}

static int fail(struct db *db, char *err, size_t errlen, const char *what, const struct verrs *v)
{
	snprintf(err, errlen, "demo linkage: %s: %s", what,
		 v != NULL && v->n > 0 ? v->e[0].message : db_errmsg(db));
	return -1;
}

static int copy_one(struct db *db, struct arena *a, int64_t orig, enum variant v, int64_t pup, int64_t lead,
		    int64_t mops, int64_t agr, char *err, size_t errlen)
{
	struct registry_writer w;
	struct verrs e = VERRS_INIT;
	struct person o, p;
	int64_t id = 0;

	memset(&w, 0, sizeof(w));
	w.policy.cli = 1;
	w.policy.institution_id = pup;
	w.audit.login = "demo";
	w.audit.institution_id = pup;
	if (person_get(db, a, orig, &o) != 0)
		return fail(db, err, errlen, "reading a person", NULL);
	pup_copy(a, &o, v, &p);
	p.institution_id = pup;
	p.lead_worker_id = lead;
	if (person_validate(&p, a, &e) != 0 || person_create(db, a, &w, &p, &id, &e) != 0)
		return fail(db, err, errlen, "a PUP record", &e);
	if (agr > 0 && (add_basis(db, orig, mops, agr) != 0 || add_basis(db, id, pup, agr) != 0))
		return fail(db, err, errlen, "a data-quality basis", NULL);
	return 0;
}

/* the MOPS–PUP pairs the linker sent to review (open candidates) */
static const struct db_sql SQL_QUEUED =
	DB_SQL("SELECT person_a, institution_a, person_b, institution_b FROM link_candidate "
	       "WHERE state = 'open' AND ((institution_a = ? AND institution_b = ?) OR (institution_a = ? AND institution_b = ?)) "
	       "ORDER BY id LIMIT 20");

/*
 * open_queue() gives both records of every MOPS–PUP pair waiting for review
 * a data-quality basis, as the copies have: the reviewers of both may see
 * them. Typically two people of one name and address with different PESELs
 * (a parent and a child), which no rule may join without a person.
 */
static int open_queue(struct db *db, int64_t mops, int64_t pup, int64_t agr, char *err, size_t errlen)
{
	int64_t pair[20][4];
	struct db_stmt *st = db_query(db, &SQL_QUEUED, "iiii", mops, pup, pup, mops);
	int n = 0, i, rc;

	if (st == NULL)
		return fail(db, err, errlen, "the review queue", NULL);
	while (n < 20 && (rc = db_step(st)) == DB_ROW) {
		for (i = 0; i < 4; i++)
			pair[n][i] = db_col_int(st, i);
		n++;
	}
	db_reset(st);
	for (i = 0; i < n; i++)
		if (add_basis(db, pair[i][0], pair[i][1], agr) != 0 || add_basis(db, pair[i][2], pair[i][3], agr) != 0)
			return fail(db, err, errlen, "a data-quality basis", NULL);
	return 0;
}

int demo_linkage(struct db *db, struct arena *a, char *err, size_t errlen)
{
	int64_t mops = 0, pup = 0, agr = 0, lead = 0, orig[10];
	struct link_run_summary s;
	char adult[CLOCK_ISO_LEN];
	struct db_stmt *st;
	int n = 0, i, rc;

	if (db_get_int(db, &mops, &SQL_INST, "tt", "mops", "Przykładowo") != DB_ROW ||
	    db_get_int(db, &pup, &SQL_INST, "tt", "pup", "Przykładowo") != DB_ROW)
		return link_store_run(db, 0, 1, 0, &s, err, errlen); /* not the demo's county: linked as it is */
	if (agreement_in_force(db, mops, pup, NULL, NULL, &agr) < 0 ||
	    db_get_int(db, &lead, &SQL_LEAD, "i", pup) < 0)
		return fail(db, err, errlen, "the PUP", NULL);
	clock_iso(clock_now() - (int64_t)25 * 365 * 86400, adult);
	adult[10] = '\0';
	if ((st = db_query(db, &SQL_ORIGINALS, "iti", mops, adult, pup)) == NULL)
		return fail(db, err, errlen, "the MOPS's persons", NULL);
	while (n < 10 && (rc = db_step(st)) == DB_ROW)
		orig[n++] = db_col_int(st, 0);
	db_reset(st);
	for (i = 0; i < n; i++)
		if (copy_one(db, a, orig[i], (enum variant)(i % V__MAX), pup, lead, mops, agr, err, errlen) != 0)
			return -1;
	/* and a duplicate within the MOPS: the first person registered again, without a PESEL, the surname mistyped */
	if (n > 0 && (db_get_int(db, &lead, &SQL_LEAD, "i", mops) != DB_ROW ||
		      copy_one(db, a, orig[0], V_TYPO, mops, lead, mops, 0, err, errlen) != 0))
		return lead == 0 ? fail(db, err, errlen, "the MOPS", NULL) : -1;
	if (link_store_run(db, 0, 1, 0, &s, err, errlen) != 0)
		return -1;
	return agr > 0 ? open_queue(db, mops, pup, agr, err, errlen) : 0;
}

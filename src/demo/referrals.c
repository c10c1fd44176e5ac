/*
 * referrals.c — the demo's referrals (referrals.h), written through
 * coop/referral.c as the accounts of the demo would, with their audit rows.
 */
#include "demo/referrals.h"

#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/role.h"
#include "coop/referral.h"

static const struct db_sql SQL_USER = DB_SQL("SELECT id FROM app_user WHERE login = ?");
static const struct db_sql SQL_USER_INST = DB_SQL("SELECT institution_id FROM app_user WHERE login = ?");
static const struct db_sql SQL_PERSONS = DB_SQL(
	"SELECT id, pesel FROM person WHERE institution_id = ? AND pesel IS NOT NULL AND deleted_at IS NULL "
	"ORDER BY id LIMIT 6");

/* A demo account acting: its user id and institution, as the command line writes for it. */
static int writer_of(struct db *db, const char *login, struct registry_writer *w)
{
	int64_t uid = 0, inst = 0;

	memset(w, 0, sizeof(*w));
	if (db_get_int(db, &uid, &SQL_USER, "t", login) != DB_ROW ||
	    db_get_int(db, &inst, &SQL_USER_INST, "t", login) != DB_ROW)
		return -1;
	w->policy = (struct policy_actor){ uid, ROLE_BIT(ROLE_SOCIAL_WORKER), inst, 1 };
	w->audit = (struct audit_actor){ uid, login, inst, "127.0.0.1" };
	return 0;
}

static int send_referral(struct db *db, struct arena *a, const struct registry_writer *w, struct referral_new *n,
		int64_t *ids, int max, int *nids)
{
	struct verrs v = VERRS_INIT;
	int i;

	if (referral_create(db, a, w, n, ids, max, nids, &v) != 0)
		return -1;
	for (i = 0; i < *nids; i++)
		if (audit_write_id(db, &w->audit, REFERRAL_ACTION_CREATE, "referral", ids[i],
				   n->pesel != NULL ? "by=pesel" : "by=record") != DB_OK)
			return -1;
	return 0;
}

static int answer(struct db *db, struct arena *a, const struct registry_writer *w, int64_t id,
		  const char *refusal)
{
	struct referral_accept acc = { 0 };
	struct verrs v = VERRS_INIT;
	int rc = refusal != NULL ? referral_refuse(db, a, w, id, refusal, &v)
				 : referral_accept(db, a, w, id, &acc, &v);

	if (rc != 0)
		return -1;
	return audit_write_id(db, &w->audit, refusal != NULL ? REFERRAL_ACTION_REFUSE : REFERRAL_ACTION_ACCEPT,
			      "referral", id, NULL) == DB_OK ? 0 : -1;
}

int demo_referrals(struct db *db, struct arena *a, char *err, size_t errlen)
{
	struct registry_writer mops, pup, gops;
	int64_t pid[6], ids[64];
	const char *pesel[6];
	struct referral_new n;
	struct db_stmt *st;
	int np = 0, nids, i;

	if (writer_of(db, "pracownik", &mops) != 0 || writer_of(db, "doradca", &pup) != 0 ||
	    writer_of(db, "brzozowo", &gops) != 0) {
		snprintf(err, errlen, "demo referrals: the demo accounts are missing");
		return -1;
	}
	st = db_query(db, &SQL_PERSONS, "i", mops.policy.institution_id);
	while (st != NULL && np < 6 && db_step(st) == DB_ROW) {
		pid[np] = db_col_int(st, 0);
		pesel[np] = arena_strdup(a, db_col_text(st, 1));
		np++;
	}
	if (st != NULL)
		db_reset(st);
	if (np < 4)
		return 0; /* a demo without people: nothing to refer */
	/* the MOPS refers two of its clients to the PUP: one waiting, one accepted */
	n = (struct referral_new){ pid[0], NULL, pup.policy.institution_id, "labour_market_activation",
				   "Klientka jest zainteresowana szkoleniem zawodowym (opiekun osób starszych). "
				   "Proszę o kontakt i informację o naborze." };
	if (send_referral(db, a, &mops, &n, ids, 64, &nids) != 0)
		goto fail;
	n = (struct referral_new){ pid[1], NULL, pup.policy.institution_id, "social_contract",
				   "Kierujemy w związku z kontraktem socjalnym: proszę o objęcie poradnictwem zawodowym." };
	if (send_referral(db, a, &mops, &n, ids, 64, &nids) != 0 || answer(db, a, &pup, ids[0], NULL) != 0)
		goto fail;
	/* the PUP asks every partner about a PESEL: the MOPS has it to decide, one GOPS answers no */
	n = (struct referral_new){ 0, pesel[2], 0, "labour_market_activation",
				   "Osoba zarejestrowana jako bezrobotna; czy korzysta z pomocy ośrodka? "
				   "Planujemy program aktywizacji i integracji." };
	if (send_referral(db, a, &pup, &n, ids, 64, &nids) != 0)
		goto fail;
	for (i = 0; i < nids; i++) {
		struct referral r;

		if (referral_get(db, a, 0, ids[i], &r) != 0)
			goto fail;
		if (r.to_institution_id == gops.policy.institution_id &&
		    answer(db, a, &gops, ids[i], "Nie jest naszym klientem.") != 0)
			goto fail;
	}
	/* and the MOPS about another, refused: no consent to pass anything on */
	n = (struct referral_new){ 0, pesel[3], mops.policy.institution_id, "project_participation",
				   "Rekrutacja do projektu „Aktywni razem”: czy osoba spełnia kryteria?" };
	if (send_referral(db, a, &pup, &n, ids, 64, &nids) != 0 ||
	    answer(db, a, &mops, ids[0], "Osoba nie wyraziła zgody na przekazanie informacji.") != 0)
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "demo referrals: %s", db_errmsg(db));
	return -1;
}

/*
 * registry_web.h — what the registry's pages share (persons.c,
 * families.c, worklists.c, situation.c, episodes.c): the writer of a
 * request, the check that the user may write registry records at all,
 * reading one person or family under the access policy, and how names
 * and dates are shown.
 *
 * Every read of personal data here goes through person_read(),
 * person_search(), family_read() or history_read(), which record it in
 * the request's read log; the dispatcher writes that log before the
 * response leaves (or answers 500 without the data).
 */
#ifndef RAZEM_WEB_REGISTRY_WEB_H
#define RAZEM_WEB_REGISTRY_WEB_H

#include <stdint.h>

#include "registry/family.h"
#include "registry/history.h"
#include "registry/person.h"
#include "web/http.h"

/* reg_writer() fills w for the signed-in user of req. */
void reg_writer(struct req *req, struct registry_writer *w);

/*
 * reg_session_writer() fills w from req's session alone (user, roles,
 * institution; none when signed out), for the episode and situation
 * stores, which check the institution and roles themselves.
 */
void reg_session_writer(struct req *req, struct registry_writer *w);

/* reg_not_found() answers 404 for a record that is missing or another institution's (not told apart). */
int reg_not_found(struct req *req);

/*
 * reg_may_work() asks the access policy whether the user may work with
 * persons (kind) of their own institution (casework); 0 when they may,
 * else the status of the 403 page already answered with the policy's reason.
 */
int reg_may_work(struct req *req, enum policy_kind kind);

/* reg_may_see() is 1 when the policy lets the user read kind's records for casework (navigation). */
int reg_may_see(struct req *req, enum policy_kind kind);

/*
 * reg_load_person() reads person id under the policy for casework;
 * audited 0 for reads that only precede a change (the change's own audit
 * row records it). 0, or the status already answered (403 with the
 * reason, 404, 500).
 */
int reg_load_person(struct req *req, int64_t id, struct person *p, int audited);

/* reg_load_family() is the same for a family with its members (at most max). */
int reg_load_family(struct req *req, int64_t id, struct family *f, struct family_member *m, int max,
		    int *nm, int audited);

/* reg_sex_label() names the sex code K or M ("female", "male"); other codes as they are. */
const char *reg_sex_label(const char *code);

/* reg_date() shows YYYY-MM-DD as DD.MM.RRRR (Polish) into the arena; "" for NULL. */
const char *reg_date(struct req *req, const char *ymd);

/* reg_name() is "First Surname" (arena); "—" when both are hidden. */
const char *reg_name(struct req *req, const char *first, const char *surname);

/*
 * reg_lead_select() writes the lead-worker select: the active colleagues
 * of the user's institution, and the chosen one (selected_name) even when
 * no longer active, so that saving the form does not change it unnoticed.
 */
void reg_lead_select(struct buf *b, struct req *req, int64_t selected, const char *selected_name,
		     const struct verrs *v);

/*
 * reg_history_section() writes the history of a person's page
 * (person_id) or a family's (family_id; the other 0) under the policy.
 * 0, or the status already answered.
 */
int reg_history_section(struct buf *b, struct req *req, int64_t person_id, int64_t family_id);

/* reg_history_json() is the JSON array of history rows (API). */
json_t *reg_history_json(const struct history_row *rows, int n);

/* reg_person_href() is "/persons/ID" (arena). */
const char *reg_person_href(struct req *req, int64_t id);
const char *reg_family_href(struct req *req, int64_t id);

#endif

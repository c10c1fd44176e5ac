/*
 * consents.h — what the consents' pages (consents.c) offer the other
 * pages: the start-page panel of expiring consents, the cooperation
 * purpose a request asks for, and the page and API answer of a
 * partner's person (partner.c).
 */
#ifndef RAZEM_WEB_CONSENTS_H
#define RAZEM_WEB_CONSENTS_H

#include <jansson.h>

#include "core/buf.h"
#include "registry/person.h"
#include "web/http.h"

/*
 * consent_panel() writes the start-page card of the user's institution's
 * consents that end within 30 days (nothing for users without a casework
 * role or when there are none). 0, or -1 on a database error.
 */
int consent_panel(struct req *req, struct buf *b);

/*
 * consent_view_purpose() is the cooperation purpose of a read of another
 * institution's record: the request's "purpose" parameter when it is a
 * consent_purpose code, else "labour_market_activation".
 */
const char *consent_view_purpose(struct req *req);

/*
 * partner_page() shows v, a partner's person read under the sharing rule
 * (coop/view.h), with the take-over button; partner_json() is its API
 * answer: only the fields and sections the rule allows (partner.c).
 */
struct coop_view;
int partner_page(struct req *req, const struct coop_view *v);
json_t *partner_json(struct req *req, const struct coop_view *v);

#endif

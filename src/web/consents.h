/*
 * consents.h — what the consents' pages (consents.c) offer the other
 * pages: the start-page panel of expiring consents, the cooperation
 * purpose a request asks for, and the page of a partner's person.
 */
#ifndef RAZEM_WEB_CONSENTS_H
#define RAZEM_WEB_CONSENTS_H

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

/* consent_partner_page() shows a partner's person p (read under the sharing rule) with the take-over button. */
int consent_partner_page(struct req *req, const struct person *p);

#endif

/*
 * situation.h — the situation sections of the person and family pages
 * (web/situation.c): labour-market status with long-term unemployment
 * computed, and benefit decisions, on a person's page; reasons for
 * assistance and community interviews on a family's page.
 */
#ifndef RAZEM_WEB_SITUATION_H
#define RAZEM_WEB_SITUATION_H

#include <stdint.h>

#include "core/buf.h"
#include "policy/policy.h"
#include "web/http.h"

/*
 * situation_person_sections() appends to out the sections of person_id
 * for a reader whose read of that person the caller has decided (d, a
 * POLICY_PERSON decision for casework; NULL = decide here): nothing when
 * d does not allow the read or SENS_SOCIAL. Records the rows shown in
 * req's read log (one row per section kind, detail "statuses shown=N ids=…").
 * Returns 0, or the status of the error answer already given (500).
 */
int situation_person_sections(struct req *req, struct buf *out, int64_t person_id,
			      const struct policy_decision *d);

/*
 * situation_family_sections() does the same for family_id (d a
 * POLICY_FAMILY decision): the reasons the reader may see (special
 * categories left out for readers without them) and, for readers of the
 * owning institution with every special class, the interviews.
 */
int situation_family_sections(struct req *req, struct buf *out, int64_t family_id,
			      const struct policy_decision *d);

#endif

/*
 * links.h — what the person page and the start page take from
 * web/links.c (record linkage: linked records, the review queue).
 */
#ifndef RAZEM_WEB_LINKS_H
#define RAZEM_WEB_LINKS_H

#include <stdint.h>

#include "core/buf.h"
#include "web/http.h"

/*
 * link_person_section() appends the person's linked records at other
 * institutions that the user may see for data quality (the sharing rule),
 * each with an "unlink" button, and, for the owning institution's writers,
 * the merges into the record (with "undo") and the form merging a
 * duplicate; nothing when there is neither. Returns 0, or the status of an
 * error answered.
 */
struct person;
int link_person_section(struct req *req, struct buf *out, const struct person *p);

/* link_panel() appends the count of the institution's pairs to review (none: nothing). 0 or -1. */
int link_panel(struct req *req, struct buf *out);

#endif

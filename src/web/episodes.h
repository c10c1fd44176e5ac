/*
 * episodes.h — what the person page and the start page take from
 * web/episodes.c (support episodes and duplicated-support alerts).
 */
#ifndef RAZEM_WEB_EPISODES_H
#define RAZEM_WEB_EPISODES_H

#include <stdint.h>

#include "core/buf.h"
#include "web/http.h"

/*
 * episode_person_section() appends the person's support episodes (when
 * the reader may read the person for casework with social data) and the
 * "add support" link. Returns 0, or the status of an error answered.
 */
int episode_person_section(struct req *req, struct buf *out, int64_t person_id);

/* alert_panel() appends the open duplicated-support alerts of the user's institution (none: nothing). 0 or -1. */
int alert_panel(struct req *req, struct buf *out);

#endif

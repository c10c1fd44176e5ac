/*
 * lpiw_pdf.h — the local programme of interdisciplinary cooperation
 * (LPIW) as a PDF in the structure of the "Schematom STOP!" pilot: the
 * county and the programme's title, version, period and state; the
 * institutions taking part; the joint actions by the pilot's four modules
 * (pro-employment, social and integration, family, sport and culture),
 * each with its responsible institution, partners, target group, shared
 * infrastructure and its rules of use, funding and period; the financial
 * frame (the limit per family contract, the funding by module); and the
 * adoption by the county's coordinating team (PZKW) with the chair's
 * signature field. Drawn with cairo and pango (pdf_doc.h), the DejaVu
 * fonts embedded; the wording is fixed Polish text, like the contract's.
 */
#ifndef RAZEM_COOP_LPIW_PDF_H
#define RAZEM_COOP_LPIW_PDF_H

#include "coop/team.h"
#include "core/buf.h"

/* lpiw_pdf() appends the PDF of programme d (lpiw_doc_get()) to out. 0, or -1 (cairo failed, out full). */
int lpiw_pdf(const struct lpiw_doc *d, struct buf *out);

#endif

/*
 * contract_pdf.h — a social contract as a PDF in the layout of the 2010
 * template (rozporządzenie MPiPS z 8 listopada 2010 r., Dz.U. nr 218
 * poz. 1439): the centre's stamp and the date, the title of the variant,
 * the parties (and for a family contract every member), part I (the
 * assessment, vocational data in variant B, the goals), part II (the
 * numbered actions with who does them and their deadlines, by module for
 * a family contract; the budget; the forms of assistance; the period of
 * validity), the warning of art. 11 ust. 2, the evaluation when completed
 * and the signature fields. Drawn with cairo and pango; the DejaVu fonts
 * (Polish letters) are embedded as subsets by cairo's PDF surface.
 *
 * The template is a Polish legal form: its wording is fixed Polish text,
 * whatever the reader's language.
 */
#ifndef RAZEM_COOP_CONTRACT_PDF_H
#define RAZEM_COOP_CONTRACT_PDF_H

#include "coop/contract.h"
#include "core/buf.h"

/*
 * contract_pdf() appends the PDF of contract c, version x (as read for the
 * reader: special categories already withheld when they must be), to out.
 * concluded_on is the day shown as the date of conclusion (YYYY-MM-DD).
 * Returns 0, or -1 (cairo failed, or out is full).
 */
int contract_pdf(const struct contract *c, const struct contract_content *x, const char *concluded_on,
		 struct buf *out);

#endif

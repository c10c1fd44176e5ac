/*
 * pdf_doc.h — the layout helpers shared by the PDFs of coop (internal:
 * contract_pdf.c and lpiw_pdf.c, nothing else).
 *
 * A4 portrait, margins of 2 cm, DejaVu Sans (cairo's PDF surface embeds
 * the subsets used, so Polish letters print everywhere). Text is laid out
 * by pango in paragraphs that wrap to the column; a paragraph or table
 * row that does not fit goes to the next page, so nothing is cut, and
 * every page gets its number at the foot.
 */
#ifndef RAZEM_COOP_PDF_DOC_H
#define RAZEM_COOP_PDF_DOC_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "core/buf.h"

#define PDF_PAGE_W 595.28
#define PDF_PAGE_H 841.89
#define PDF_MARGIN 56.7
#define PDF_COL_W (PDF_PAGE_W - 2 * PDF_MARGIN)
#define PDF_ROW_MAX 8 /* cells of a table row */

struct pdf_doc {
	cairo_surface_t *surface;
	cairo_t *cr;
	double y; /* where the next paragraph starts on the page */
	int page;
};

/* pdf_begin() starts a document written to out, with its title in the metadata. 0, -1. */
int pdf_begin(struct pdf_doc *p, struct buf *out, const char *title);

/* pdf_end() numbers the last page, closes the document; 0, or -1 when cairo or out failed. */
int pdf_end(struct pdf_doc *p, struct buf *out);

/* pdf_layout() is a paragraph of text (NULL: empty) of width w; the caller unrefs it. */
PangoLayout *pdf_layout(struct pdf_doc *p, const char *text, double size, int bold, double width);

/* pdf_height() is the height of layout l in points. */
double pdf_height(PangoLayout *l);

/* pdf_room() starts a new page when h more points do not fit on this one. */
void pdf_room(struct pdf_doc *p, double h);

/* pdf_text() writes a paragraph across the column, then leaves after points. */
void pdf_text(struct pdf_doc *p, const char *s, double size, int bold, double after);

/* pdf_centred() is pdf_text() centred. */
void pdf_centred(struct pdf_doc *p, const char *s, double size, int bold, double after);

/* pdf_field() writes "label: value" with the label in bold, or a dotted line when value is empty. */
void pdf_field(struct pdf_doc *p, const char *label, const char *value);

/* pdf_heading() starts a section (on a new page when little room is left). */
void pdf_heading(struct pdf_doc *p, const char *s);

/* pdf_row() writes one table row of n (≤ PDF_ROW_MAX) cells of the given widths, ruled under. */
void pdf_row(struct pdf_doc *p, const char *const *cells, const double *widths, int n, int bold);

/* pdf_money() formats grosze as "12,34 zł" into s (size n); returns s. */
char *pdf_money(char *s, size_t n, long long grosze);

#endif

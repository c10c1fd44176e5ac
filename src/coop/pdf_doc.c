/*
 * pdf_doc.c — the layout helpers shared by the PDFs of coop (pdf_doc.h).
 */
#include "coop/pdf_doc.h"

#include <cairo-pdf.h>
#include <stdio.h>

#define FONT "DejaVu Sans"

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	return buf_add(closure, data, len) == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

int pdf_begin(struct pdf_doc *p, struct buf *out, const char *title)
{
	p->surface = cairo_pdf_surface_create_for_stream(to_buf, out, PDF_PAGE_W, PDF_PAGE_H);
	p->cr = cairo_create(p->surface);
	p->y = PDF_MARGIN;
	p->page = 1;
	if (cairo_status(p->cr) != CAIRO_STATUS_SUCCESS) {
		cairo_destroy(p->cr);
		cairo_surface_destroy(p->surface);
		return -1;
	}
	cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR, "razem");
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	return 0;
}

PangoLayout *pdf_layout(struct pdf_doc *p, const char *text, double size, int bold, double width)
{
	PangoLayout *l = pango_cairo_create_layout(p->cr);
	PangoFontDescription *fd = pango_font_description_from_string(FONT);

	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_text(l, text != NULL ? text : "", -1);
	return l;
}

double pdf_height(PangoLayout *l)
{
	int w, h;

	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void footer(struct pdf_doc *p)
{
	char n[32];
	PangoLayout *l;

	snprintf(n, sizeof(n), "— %d —", p->page);
	l = pdf_layout(p, n, 8, 0, PDF_COL_W);
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	cairo_move_to(p->cr, PDF_MARGIN, PDF_PAGE_H - PDF_MARGIN / 2);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
}

int pdf_end(struct pdf_doc *p, struct buf *out)
{
	cairo_status_t st;

	footer(p);
	cairo_show_page(p->cr);
	cairo_destroy(p->cr);
	cairo_surface_finish(p->surface);
	st = cairo_surface_status(p->surface);
	cairo_surface_destroy(p->surface);
	return st == CAIRO_STATUS_SUCCESS && !out->failed ? 0 : -1;
}

void pdf_room(struct pdf_doc *p, double h)
{
	if (p->y + h <= PDF_PAGE_H - PDF_MARGIN)
		return;
	footer(p);
	cairo_show_page(p->cr);
	p->page++;
	p->y = PDF_MARGIN;
}

/* show() writes layout l across the column at y and advances past it. */
static void show(struct pdf_doc *p, PangoLayout *l, double after)
{
	double h = pdf_height(l);

	pdf_room(p, h);
	cairo_move_to(p->cr, PDF_MARGIN, p->y);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	p->y += h + after;
}

void pdf_text(struct pdf_doc *p, const char *s, double size, int bold, double after)
{
	show(p, pdf_layout(p, s, size, bold, PDF_COL_W), after);
}

void pdf_centred(struct pdf_doc *p, const char *s, double size, int bold, double after)
{
	PangoLayout *l = pdf_layout(p, s, size, bold, PDF_COL_W);

	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	show(p, l, after);
}

void pdf_field(struct pdf_doc *p, const char *label, const char *value)
{
	char *s = g_markup_printf_escaped("<b>%s:</b> %s", label,
					  value != NULL && value[0] != '\0' ? value : "……………………………………");
	PangoLayout *l = pdf_layout(p, "", 9.5, 0, PDF_COL_W);

	pango_layout_set_markup(l, s, -1);
	g_free(s);
	show(p, l, 3);
}

void pdf_heading(struct pdf_doc *p, const char *s)
{
	pdf_room(p, 40);
	p->y += 6;
	pdf_text(p, s, 11, 1, 5);
}

void pdf_row(struct pdf_doc *p, const char *const *cells, const double *widths, int n, int bold)
{
	PangoLayout *ls[PDF_ROW_MAX];
	double h = 0, x = PDF_MARGIN;
	int i;

	if (n > PDF_ROW_MAX)
		n = PDF_ROW_MAX;
	for (i = 0; i < n; i++) {
		ls[i] = pdf_layout(p, cells[i], 8.5, bold, widths[i] - 4);
		if (pdf_height(ls[i]) > h)
			h = pdf_height(ls[i]);
	}
	pdf_room(p, h + 4);
	for (i = 0; i < n; i++) {
		cairo_move_to(p->cr, x + 2, p->y + 2);
		pango_cairo_show_layout(p->cr, ls[i]);
		g_object_unref(ls[i]);
		x += widths[i];
	}
	p->y += h + 4;
	cairo_set_line_width(p->cr, bold ? 0.8 : 0.3);
	cairo_move_to(p->cr, PDF_MARGIN, p->y);
	cairo_line_to(p->cr, PDF_MARGIN + PDF_COL_W, p->y);
	cairo_stroke(p->cr);
}

char *pdf_money(char *s, size_t n, long long grosze)
{
	snprintf(s, n, "%lld,%02lld zł", grosze / 100, grosze % 100);
	return s;
}

/*
 * contract_pdf.c — a contract as a PDF in the layout of the 2010
 * template (contract_pdf.h).
 *
 * A4 portrait, margins of 2 cm. Text is laid out by pango in paragraphs
 * that wrap to the column; a paragraph or table row that does not fit
 * goes to the next page, so nothing is cut.
 */
#include "coop/contract_pdf.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#include "core/str.h"

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 56.7
#define COL_W (PAGE_W - 2 * MARGIN)
#define FONT "DejaVu Sans"

struct pdf {
	cairo_surface_t *surface;
	cairo_t *cr;
	double y;
	int page;
};

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	return buf_add(closure, data, len) == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static PangoLayout *layout(struct pdf *p, const char *text, double size, int bold, double width)
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

static double height_of(PangoLayout *l)
{
	int w, h;

	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void footer(struct pdf *p)
{
	char n[32];
	PangoLayout *l;

	snprintf(n, sizeof(n), "— %d —", p->page);
	l = layout(p, n, 8, 0, COL_W);
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	cairo_move_to(p->cr, MARGIN, PAGE_H - MARGIN / 2);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
}

/* room() starts a new page when h more points do not fit. */
static void room(struct pdf *p, double h)
{
	if (p->y + h <= PAGE_H - MARGIN)
		return;
	footer(p);
	cairo_show_page(p->cr);
	p->page++;
	p->y = MARGIN;
}

/* text() writes a paragraph at x of width w; returns its height (y advances by it plus after). */
static void text(struct pdf *p, const char *s, double size, int bold, double after)
{
	PangoLayout *l = layout(p, s, size, bold, COL_W);
	double h = height_of(l);

	room(p, h);
	cairo_move_to(p->cr, MARGIN, p->y);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	p->y += h + after;
}

static void centred(struct pdf *p, const char *s, double size, int bold, double after)
{
	PangoLayout *l = layout(p, s, size, bold, COL_W);
	double h = height_of(l);

	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	room(p, h);
	cairo_move_to(p->cr, MARGIN, p->y);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	p->y += h + after;
}

/* field() writes "label: value" with the label in bold, or a dotted line when the value is empty. */
static void field(struct pdf *p, const char *label, const char *value)
{
	char *s = g_markup_printf_escaped("<b>%s:</b> %s", label,
					  value != NULL && value[0] != '\0' ? value : "……………………………………");
	PangoLayout *l = layout(p, "", 9.5, 0, COL_W);
	double h;

	pango_layout_set_markup(l, s, -1);
	g_free(s);
	h = height_of(l);
	room(p, h);
	cairo_move_to(p->cr, MARGIN, p->y);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	p->y += h + 3;
}

/* row() writes one table row of n cells (widths in points), with a rule under it. */
static void row(struct pdf *p, const char *const *cells, const double *widths, int n, int bold)
{
	PangoLayout *ls[8];
	double h = 0, x = MARGIN;
	int i;

	for (i = 0; i < n && i < 8; i++) {
		ls[i] = layout(p, cells[i], 8.5, bold, widths[i] - 4);
		if (height_of(ls[i]) > h)
			h = height_of(ls[i]);
	}
	room(p, h + 4);
	for (i = 0; i < n && i < 8; i++) {
		cairo_move_to(p->cr, x + 2, p->y + 2);
		pango_cairo_show_layout(p->cr, ls[i]);
		g_object_unref(ls[i]);
		x += widths[i];
	}
	p->y += h + 4;
	cairo_set_line_width(p->cr, bold ? 0.8 : 0.3);
	cairo_move_to(p->cr, MARGIN, p->y);
	cairo_line_to(p->cr, MARGIN + COL_W, p->y);
	cairo_stroke(p->cr);
}

static const char *kind_title(const char *kind)
{
	if (str_eq(kind, "family"))
		return "RODZINNY KONTRAKT SOCJALNY";
	if (str_eq(kind, "homelessness"))
		return "KONTRAKT SOCJALNY — INDYWIDUALNY PROGRAM WYCHODZENIA Z BEZDOMNOŚCI";
	return "KONTRAKT SOCJALNY";
}

static const char *variant_text(const char *kind)
{
	if (str_eq(kind, "individual_b"))
		return "określający sposób współdziałania między osobą a pracownikiem socjalnym w celu wzmocnienia "
		       "aktywności i samodzielności życiowej, zawodowej lub przeciwdziałania wykluczeniu społecznemu "
		       "(część I B i II B)";
	return "określający sposób współdziałania między osobą/rodziną a pracownikiem socjalnym w zakresie "
	       "rozwiązywania trudnej sytuacji życiowej (część I A i II A)";
}

static const char *module_pl(const char *m)
{
	return str_eq(m, "pro_employment")	   ? "prozatrudnieniowy"
	       : str_eq(m, "social_integration") ? "społeczny i integracyjny"
	       : str_eq(m, "family")		   ? "rodzinny"
						   : "sport i kultura";
}

static const char *performer_pl(const char *p)
{
	return str_eq(p, "client")	       ? "klient"
	       : str_eq(p, "family_member") ? "członek rodziny"
	       : str_eq(p, "worker")	       ? "pracownik socjalny"
					       : "instytucja";
}

static const char *stage_pl(const char *s)
{
	return str_eq(s, "street")	       ? "ulica"
	       : str_eq(s, "night_shelter") ? "noclegownia"
	       : str_eq(s, "shelter")	       ? "schronisko"
	       : str_eq(s, "training_flat") ? "mieszkanie treningowe"
					       : "mieszkanie socjalne lub wynajmowane";
}

static const char *source_pl(const char *s)
{
	return str_eq(s, "ops")	      ? "ośrodek pomocy społecznej"
	       : str_eq(s, "pup")   ? "powiatowy urząd pracy"
	       : str_eq(s, "pfron") ? "PFRON"
	       : str_eq(s, "efs")   ? "Europejski Fundusz Społeczny"
	       : str_eq(s, "gmina") ? "gmina"
	       : str_eq(s, "powiat") ? "powiat"
				     : "inne";
}

static const char *status_pl(const struct contract_action *y)
{
	if (y->overdue)
		return "zaległe";
	return str_eq(y->status, "done") ? "wykonane" : str_eq(y->status, "dropped") ? "zaniechane" : "zaplanowane";
}

static void heading(struct pdf *p, const char *s)
{
	room(p, 40);
	p->y += 6;
	text(p, s, 11, 1, 5);
}

static void parties(struct pdf *p, const struct contract *c, const struct contract_content *x)
{
	char line[512];
	int i;

	heading(p, "Strony kontraktu");
	field(p, "Pracownik socjalny", c->social_worker_name);
	field(p, str_eq(c->kind, "family") ? "Rodzina (osoba reprezentująca)" : "Osoba", c->person_name);
	if (str_eq(c->kind, "family") || x->nmembers > 1) {
		text(p, "Członkowie rodziny objęci kontraktem:", 9.5, 1, 2);
		for (i = 0; i < x->nmembers; i++) {
			snprintf(line, sizeof(line), "%d. %s%s", i + 1, x->members[i].name != NULL ? x->members[i].name : "",
				 x->members[i].child ? " (dziecko)" : "");
			text(p, line, 9.5, 0, 1);
		}
		p->y += 3;
	}
	if (c->guardian_name != NULL)
		field(p, "Opiekun rodziny (MGI)", c->guardian_name);
	if (c->referral_id > 0) {
		snprintf(line, sizeof(line), "nr %lld (art. 50 ust. 2 ustawy o rynku pracy)", (long long)c->referral_id);
		field(p, "Skierowanie z powiatowego urzędu pracy", line);
	}
}

static void part_one(struct pdf *p, const struct contract *c, const struct contract_content *x)
{
	char line[2200];
	int i, k;

	heading(p, str_eq(c->kind, "individual_b") ? "Część I B. Ocena sytuacji i ustalone cele"
						   : "Część I A. Ocena sytuacji życiowej osoby/rodziny i ustalone cele");
	field(p, "Przyczyny trudnej sytuacji", x->causes);
	field(p, "Mocne strony i zasoby", x->strengths);
	field(p, "Ograniczenia i bariery", x->barriers);
	if (x->special_notes != NULL)
		field(p, "Zdrowie, uzależnienia, przemoc", x->special_notes);
	if (str_eq(c->kind, "individual_b")) {
		field(p, "Wykształcenie", x->education);
		field(p, "Kwalifikacje", x->qualifications);
		field(p, "Doświadczenie zawodowe", x->work_experience);
		field(p, "Bariery w zatrudnieniu", x->employment_barriers);
	}
	if (x->homeless_stage != NULL) {
		field(p, "Obecny etap (ulica → noclegownia → schronisko → mieszkanie treningowe → mieszkanie)",
		      stage_pl(x->homeless_stage));
		if (x->homeless_target != NULL)
			field(p, "Etap docelowy", stage_pl(x->homeless_target));
	}
	for (i = 0; i < x->ngoals; i++)
		if (str_eq(x->goals[i].kind, "main"))
			field(p, "Cel główny", x->goals[i].text);
	text(p, "Cele szczegółowe:", 9.5, 1, 2);
	for (i = k = 0; i < x->ngoals; i++)
		if (str_eq(x->goals[i].kind, "specific")) {
			snprintf(line, sizeof(line), "%d. %s", ++k, x->goals[i].text);
			text(p, line, 9.5, 0, 1);
		}
	if (k == 0)
		text(p, "—", 9.5, 0, 1);
}

static void actions_table(struct pdf *p, const struct contract_content *x, const char *module)
{
	static const double w[6] = { 22, 150, 85, 100, 60, 64.9 };
	const char *head[6] = { "Lp.", "Działanie", "Dla kogo", "Kto realizuje", "Termin", "Koszt" };
	char num[16], cost[32], who[400], title[1200];
	int i, any = 0;

	for (i = 0; i < x->nactions; i++) {
		const struct contract_action *y = &x->actions[i];
		const char *cells[6];

		if (module != NULL && !str_eq(y->module, module))
			continue;
		if (!any) {
			if (module != NULL) {
				char h[96];

				snprintf(h, sizeof(h), "Moduł %s", module_pl(module));
				room(p, 40);
				text(p, h, 9.5, 1, 2);
			}
			row(p, head, w, 6, 1);
		}
		any = 1;
		snprintf(num, sizeof(num), "%d", y->number);
		snprintf(cost, sizeof(cost), "%lld,%02lld zł", (long long)(y->cost / 100), (long long)(y->cost % 100));
		snprintf(who, sizeof(who), "%s%s%s", performer_pl(y->performer), y->institution_name != NULL ? ": " : "",
			 y->institution_name != NULL ? y->institution_name : "");
		snprintf(title, sizeof(title), "%s (%s)%s%s", y->title, status_pl(y), y->evidence != NULL ? " — " : "",
			 y->evidence != NULL ? y->evidence : "");
		cells[0] = num;
		cells[1] = title;
		cells[2] = y->member_name != NULL ? y->member_name : "cała rodzina / klient";
		cells[3] = who;
		cells[4] = y->deadline;
		cells[5] = cost;
		row(p, cells, w, 6, 0);
	}
	if (any)
		p->y += 6;
}

static void part_two(struct pdf *p, const struct contract *c, const struct contract_content *x)
{
	static const double w[4] = { 200, 120, 81.9, 80 };
	const char *head[4] = { "Pozycja budżetu", "Źródło", "Plan", "Wydano" };
	char period[64], a[32], b[32];
	int i;

	heading(p, str_eq(c->kind, "individual_b") ? "Część II B. Ustalenia kontraktu"
						   : "Część II A. Ustalenia kontraktu");
	if (str_eq(c->kind, "family")) {
		static const char *const modules[] = { "pro_employment", "social_integration", "family", "sport_culture" };

		for (i = 0; i < 4; i++)
			actions_table(p, x, modules[i]);
	} else {
		actions_table(p, x, NULL);
	}
	if (x->nactions == 0)
		text(p, "Brak ustalonych działań.", 9.5, 0, 4);
	if (x->nbudget > 0) {
		text(p, "Budżet działań:", 9.5, 1, 2);
		row(p, head, w, 4, 1);
		for (i = 0; i < x->nbudget; i++) {
			const char *cells[4];

			snprintf(a, sizeof(a), "%lld,%02lld zł", (long long)(x->budget[i].planned / 100),
				 (long long)(x->budget[i].planned % 100));
			snprintf(b, sizeof(b), "%lld,%02lld zł", (long long)(x->budget[i].spent / 100),
				 (long long)(x->budget[i].spent % 100));
			cells[0] = x->budget[i].line;
			cells[1] = source_pl(x->budget[i].source);
			cells[2] = a;
			cells[3] = b;
			row(p, cells, w, 4, 0);
		}
		p->y += 6;
	}
	field(p, "Formy pomocy przyznane przez ośrodek", x->assistance_forms);
	snprintf(period, sizeof(period), "od %s do %s", x->valid_from, x->valid_to);
	field(p, "Okres obowiązywania kontraktu", period);
	text(p, "Kontrakt może zostać zmieniony za zgodą stron (aneks). Niedotrzymanie ustaleń kontraktu może "
		"stanowić podstawę do odmowy przyznania świadczenia, uchylenia decyzji o przyznaniu świadczenia "
		"albo wstrzymania świadczeń pieniężnych (art. 11 ust. 2 ustawy o pomocy społecznej).",
	     8.5, 0, 6);
}

static void evaluation(struct pdf *p, const struct contract *c, const struct contract_content *x)
{
	char line[2400];
	int i;

	if (!str_eq(c->state, "completed") && !str_eq(c->state, "terminated"))
		return;
	heading(p, "Ocena realizacji kontraktu");
	for (i = 0; i < x->ngoals; i++) {
		const char *e = x->goals[i].evaluation;

		snprintf(line, sizeof(line), "%d. %s — %s%s%s", x->goals[i].number, x->goals[i].text,
			 str_eq(e, "achieved") ? "zrealizowany" : str_eq(e, "partly") ? "zrealizowany częściowo"
							    : str_eq(e, "not") ? "niezrealizowany" : "nie oceniono",
			 x->goals[i].evaluation_reason != NULL ? "; przyczyny: " : "",
			 x->goals[i].evaluation_reason != NULL ? x->goals[i].evaluation_reason : "");
		text(p, line, 9.5, 0, 2);
	}
	if (str_eq(c->state, "terminated")) {
		snprintf(line, sizeof(line), "%s%s%s%s",
			 str_eq(c->end_reason, "non_cooperation") ? "brak współpracy klienta"
			 : str_eq(c->end_reason, "agreement")	   ? "za porozumieniem stron"
			 : str_eq(c->end_reason, "lost_contact")  ? "utrata kontaktu"
			 : str_eq(c->end_reason, "death")	   ? "zgon"
								   : "inny",
			 c->end_note != NULL ? " — " : "", c->end_note != NULL ? c->end_note : "",
			 c->art11_consequence != NULL ? " (zastosowano art. 11 ust. 2)" : "");
		field(p, "Rozwiązanie kontraktu", line);
	}
}

static void signatures(struct pdf *p, const struct contract *c, const struct contract_content *x)
{
	int i, n = 0;

	heading(p, "Podpisy stron");
	room(p, 60);
	p->y += 24;
	cairo_set_line_width(p->cr, 0.5);
	cairo_move_to(p->cr, MARGIN, p->y);
	cairo_line_to(p->cr, MARGIN + 200, p->y);
	cairo_move_to(p->cr, MARGIN + COL_W - 200, p->y);
	cairo_line_to(p->cr, MARGIN + COL_W, p->y);
	cairo_stroke(p->cr);
	p->y += 3;
	{
		PangoLayout *l = layout(p, str_eq(c->kind, "family") ? "(podpis osoby reprezentującej rodzinę)"
								      : "(podpis osoby)", 8, 0, 200);

		cairo_move_to(p->cr, MARGIN, p->y);
		pango_cairo_show_layout(p->cr, l);
		g_object_unref(l);
		l = layout(p, "(podpis i pieczęć pracownika socjalnego)", 8, 0, 200);
		cairo_move_to(p->cr, MARGIN + COL_W - 200, p->y);
		pango_cairo_show_layout(p->cr, l);
		g_object_unref(l);
	}
	p->y += 16;
	if (!str_eq(c->kind, "family"))
		return;
	/* every adult member of the family signs the family contract */
	for (i = 0; i < x->nmembers; i++) {
		char s[320];

		if (x->members[i].child)
			continue;
		room(p, 34);
		p->y += 22;
		cairo_move_to(p->cr, MARGIN, p->y);
		cairo_line_to(p->cr, MARGIN + 200, p->y);
		cairo_stroke(p->cr);
		p->y += 3;
		snprintf(s, sizeof(s), "(podpis: %s)", x->members[i].name != NULL ? x->members[i].name : "");
		text(p, s, 8, 0, 2);
		n++;
	}
	(void)n;
}

int contract_pdf(const struct contract *c, const struct contract_content *x, const char *concluded_on,
		 struct buf *out)
{
	struct pdf p = { 0 };
	char line[512];
	cairo_status_t st;

	p.surface = cairo_pdf_surface_create_for_stream(to_buf, out, PAGE_W, PAGE_H);
	p.cr = cairo_create(p.surface);
	p.y = MARGIN;
	p.page = 1;
	cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_TITLE, kind_title(c->kind));
	cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATOR, "razem");
	cairo_set_source_rgb(p.cr, 0, 0, 0);
	text(&p, c->institution_name, 9.5, 1, 0);
	text(&p, "(pieczęć ośrodka pomocy społecznej)", 7.5, 0, 8);
	snprintf(line, sizeof(line), "Data zawarcia kontraktu socjalnego: %s", concluded_on != NULL ? concluded_on : "");
	text(&p, line, 9.5, 0, 2);
	snprintf(line, sizeof(line), "Nr kontraktu: %lld, wersja %d%s", (long long)c->id, x->version,
		 x->version > 1 ? " (po aneksie)" : "");
	text(&p, line, 9.5, 0, 14);
	centred(&p, kind_title(c->kind), 15, 1, 4);
	centred(&p, variant_text(c->kind), 9.5, 0, 10);
	parties(&p, c, x);
	part_one(&p, c, x);
	part_two(&p, c, x);
	evaluation(&p, c, x);
	signatures(&p, c, x);
	footer(&p);
	cairo_show_page(p.cr);
	cairo_destroy(p.cr);
	cairo_surface_finish(p.surface);
	st = cairo_surface_status(p.surface);
	cairo_surface_destroy(p.surface);
	return st == CAIRO_STATUS_SUCCESS && !out->failed ? 0 : -1;
}

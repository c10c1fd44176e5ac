/*
 * contract_pdf.c — a contract as a PDF in the layout of the 2010
 * template (contract_pdf.h).
 *
 * The page, the fonts and the paragraphs are pdf_doc.c's, shared with the
 * local programme's PDF (lpiw_pdf.c).
 */
#include "coop/contract_pdf.h"

#include <stdio.h>
#include <string.h>

#include "coop/pdf_doc.h"
#include "core/str.h"

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

static void parties(struct pdf_doc *p, const struct contract *c, const struct contract_content *x)
{
	char line[512];
	int i;

	pdf_heading(p, "Strony kontraktu");
	pdf_field(p, "Pracownik socjalny", c->social_worker_name);
	pdf_field(p, str_eq(c->kind, "family") ? "Rodzina (osoba reprezentująca)" : "Osoba", c->person_name);
	if (str_eq(c->kind, "family") || x->nmembers > 1) {
		pdf_text(p, "Członkowie rodziny objęci kontraktem:", 9.5, 1, 2);
		for (i = 0; i < x->nmembers; i++) {
			snprintf(line, sizeof(line), "%d. %s%s", i + 1, x->members[i].name != NULL ? x->members[i].name : "",
				 x->members[i].child ? " (dziecko)" : "");
			pdf_text(p, line, 9.5, 0, 1);
		}
		p->y += 3;
	}
	if (c->guardian_name != NULL)
		pdf_field(p, "Opiekun rodziny (MGI)", c->guardian_name);
	if (c->referral_id > 0) {
		snprintf(line, sizeof(line), "nr %lld (art. 50 ust. 2 ustawy o rynku pracy)", (long long)c->referral_id);
		pdf_field(p, "Skierowanie z powiatowego urzędu pracy", line);
	}
}

static void part_one(struct pdf_doc *p, const struct contract *c, const struct contract_content *x)
{
	char line[2200];
	int i, k;

	pdf_heading(p, str_eq(c->kind, "individual_b") ? "Część I B. Ocena sytuacji i ustalone cele"
						   : "Część I A. Ocena sytuacji życiowej osoby/rodziny i ustalone cele");
	pdf_field(p, "Przyczyny trudnej sytuacji", x->causes);
	pdf_field(p, "Mocne strony i zasoby", x->strengths);
	pdf_field(p, "Ograniczenia i bariery", x->barriers);
	if (x->special_notes != NULL)
		pdf_field(p, "Zdrowie, uzależnienia, przemoc", x->special_notes);
	if (str_eq(c->kind, "individual_b")) {
		pdf_field(p, "Wykształcenie", x->education);
		pdf_field(p, "Kwalifikacje", x->qualifications);
		pdf_field(p, "Doświadczenie zawodowe", x->work_experience);
		pdf_field(p, "Bariery w zatrudnieniu", x->employment_barriers);
	}
	if (x->homeless_stage != NULL) {
		pdf_field(p, "Obecny etap (ulica → noclegownia → schronisko → mieszkanie treningowe → mieszkanie)",
		      stage_pl(x->homeless_stage));
		if (x->homeless_target != NULL)
			pdf_field(p, "Etap docelowy", stage_pl(x->homeless_target));
	}
	for (i = 0; i < x->ngoals; i++)
		if (str_eq(x->goals[i].kind, "main"))
			pdf_field(p, "Cel główny", x->goals[i].text);
	pdf_text(p, "Cele szczegółowe:", 9.5, 1, 2);
	for (i = k = 0; i < x->ngoals; i++)
		if (str_eq(x->goals[i].kind, "specific")) {
			snprintf(line, sizeof(line), "%d. %s", ++k, x->goals[i].text);
			pdf_text(p, line, 9.5, 0, 1);
		}
	if (k == 0)
		pdf_text(p, "—", 9.5, 0, 1);
}

static void actions_table(struct pdf_doc *p, const struct contract_content *x, const char *module)
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
				pdf_room(p, 40);
				pdf_text(p, h, 9.5, 1, 2);
			}
			pdf_row(p, head, w, 6, 1);
		}
		any = 1;
		snprintf(num, sizeof(num), "%d", y->number);
		pdf_money(cost, sizeof(cost), (long long)y->cost);
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
		pdf_row(p, cells, w, 6, 0);
	}
	if (any)
		p->y += 6;
}

static void part_two(struct pdf_doc *p, const struct contract *c, const struct contract_content *x)
{
	static const double w[4] = { 200, 120, 81.9, 80 };
	const char *head[4] = { "Pozycja budżetu", "Źródło", "Plan", "Wydano" };
	char period[64], a[32], b[32];
	int i;

	pdf_heading(p, str_eq(c->kind, "individual_b") ? "Część II B. Ustalenia kontraktu"
						   : "Część II A. Ustalenia kontraktu");
	if (str_eq(c->kind, "family")) {
		static const char *const modules[] = { "pro_employment", "social_integration", "family", "sport_culture" };

		for (i = 0; i < 4; i++)
			actions_table(p, x, modules[i]);
	} else {
		actions_table(p, x, NULL);
	}
	if (x->nactions == 0)
		pdf_text(p, "Brak ustalonych działań.", 9.5, 0, 4);
	if (x->nbudget > 0) {
		pdf_text(p, "Budżet działań:", 9.5, 1, 2);
		pdf_row(p, head, w, 4, 1);
		for (i = 0; i < x->nbudget; i++) {
			const char *cells[4];

			pdf_money(a, sizeof(a), (long long)x->budget[i].planned);
			pdf_money(b, sizeof(b), (long long)x->budget[i].spent);
			cells[0] = x->budget[i].line;
			cells[1] = source_pl(x->budget[i].source);
			cells[2] = a;
			cells[3] = b;
			pdf_row(p, cells, w, 4, 0);
		}
		p->y += 6;
	}
	pdf_field(p, "Formy pomocy przyznane przez ośrodek", x->assistance_forms);
	snprintf(period, sizeof(period), "od %s do %s", x->valid_from, x->valid_to);
	pdf_field(p, "Okres obowiązywania kontraktu", period);
	pdf_text(p, "Kontrakt może zostać zmieniony za zgodą stron (aneks). Niedotrzymanie ustaleń kontraktu może "
		"stanowić podstawę do odmowy przyznania świadczenia, uchylenia decyzji o przyznaniu świadczenia "
		"albo wstrzymania świadczeń pieniężnych (art. 11 ust. 2 ustawy o pomocy społecznej).",
	     8.5, 0, 6);
}

static void evaluation(struct pdf_doc *p, const struct contract *c, const struct contract_content *x)
{
	char line[2400];
	int i;

	if (!str_eq(c->state, "completed") && !str_eq(c->state, "terminated"))
		return;
	pdf_heading(p, "Ocena realizacji kontraktu");
	for (i = 0; i < x->ngoals; i++) {
		const char *e = x->goals[i].evaluation;

		snprintf(line, sizeof(line), "%d. %s — %s%s%s", x->goals[i].number, x->goals[i].text,
			 str_eq(e, "achieved") ? "zrealizowany" : str_eq(e, "partly") ? "zrealizowany częściowo"
							    : str_eq(e, "not") ? "niezrealizowany" : "nie oceniono",
			 x->goals[i].evaluation_reason != NULL ? "; przyczyny: " : "",
			 x->goals[i].evaluation_reason != NULL ? x->goals[i].evaluation_reason : "");
		pdf_text(p, line, 9.5, 0, 2);
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
		pdf_field(p, "Rozwiązanie kontraktu", line);
	}
}

static void signatures(struct pdf_doc *p, const struct contract *c, const struct contract_content *x)
{
	int i, n = 0;

	pdf_heading(p, "Podpisy stron");
	pdf_room(p, 60);
	p->y += 24;
	cairo_set_line_width(p->cr, 0.5);
	cairo_move_to(p->cr, PDF_MARGIN, p->y);
	cairo_line_to(p->cr, PDF_MARGIN + 200, p->y);
	cairo_move_to(p->cr, PDF_MARGIN + PDF_COL_W - 200, p->y);
	cairo_line_to(p->cr, PDF_MARGIN + PDF_COL_W, p->y);
	cairo_stroke(p->cr);
	p->y += 3;
	{
		PangoLayout *l = pdf_layout(p, str_eq(c->kind, "family") ? "(podpis osoby reprezentującej rodzinę)"
								      : "(podpis osoby)", 8, 0, 200);

		cairo_move_to(p->cr, PDF_MARGIN, p->y);
		pango_cairo_show_layout(p->cr, l);
		g_object_unref(l);
		l = pdf_layout(p, "(podpis i pieczęć pracownika socjalnego)", 8, 0, 200);
		cairo_move_to(p->cr, PDF_MARGIN + PDF_COL_W - 200, p->y);
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
		pdf_room(p, 34);
		p->y += 22;
		cairo_move_to(p->cr, PDF_MARGIN, p->y);
		cairo_line_to(p->cr, PDF_MARGIN + 200, p->y);
		cairo_stroke(p->cr);
		p->y += 3;
		snprintf(s, sizeof(s), "(podpis: %s)", x->members[i].name != NULL ? x->members[i].name : "");
		pdf_text(p, s, 8, 0, 2);
		n++;
	}
	(void)n;
}

int contract_pdf(const struct contract *c, const struct contract_content *x, const char *concluded_on,
		 struct buf *out)
{
	struct pdf_doc p = { 0 };
	char line[512];

	if (pdf_begin(&p, out, kind_title(c->kind)) != 0)
		return -1;
	pdf_text(&p, c->institution_name, 9.5, 1, 0);
	pdf_text(&p, "(pieczęć ośrodka pomocy społecznej)", 7.5, 0, 8);
	snprintf(line, sizeof(line), "Data zawarcia kontraktu socjalnego: %s", concluded_on != NULL ? concluded_on : "");
	pdf_text(&p, line, 9.5, 0, 2);
	snprintf(line, sizeof(line), "Nr kontraktu: %lld, wersja %d%s", (long long)c->id, x->version,
		 x->version > 1 ? " (po aneksie)" : "");
	pdf_text(&p, line, 9.5, 0, 14);
	pdf_centred(&p, kind_title(c->kind), 15, 1, 4);
	pdf_centred(&p, variant_text(c->kind), 9.5, 0, 10);
	parties(&p, c, x);
	part_one(&p, c, x);
	part_two(&p, c, x);
	evaluation(&p, c, x);
	signatures(&p, c, x);
	return pdf_end(&p, out);
}

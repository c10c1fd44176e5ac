/*
 * lpiw_pdf.c — the local programme as a PDF (lpiw_pdf.h). The page, the
 * fonts and the paragraphs are pdf_doc.c's, shared with the contract.
 */
#include "coop/lpiw_pdf.h"

#include <stdio.h>
#include <string.h>

#include "coop/pdf_doc.h"
#include "core/str.h"

static const char *const modules[] = { "pro_employment", "social_integration", "family", "sport_culture" };
#define NMODULES 4

static const char *module_pl(const char *m)
{
	return str_eq(m, "pro_employment")	   ? "Moduł prozatrudnieniowy"
	       : str_eq(m, "social_integration") ? "Moduł społeczny i integracyjny"
	       : str_eq(m, "family")		   ? "Moduł rodzinny"
						   : "Moduł sport i kultura";
}

static const char *state_pl(const char *s)
{
	return str_eq(s, "adopted") ? "przyjęty" : str_eq(s, "superseded") ? "zastąpiony nowszą wersją" : "projekt";
}

static const char *opt(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : NULL;
}

static void general(struct pdf_doc *p, const struct lpiw_doc *d)
{
	char line[160];

	pdf_heading(p, "I. Informacje ogólne");
	snprintf(line, sizeof(line), "%s (TERC %s)", d->county_name, d->l.terc);
	pdf_field(p, "Powiat", line);
	pdf_field(p, "Tytuł programu", d->l.title);
	snprintf(line, sizeof(line), "%d — %s", d->l.version, state_pl(d->l.state));
	pdf_field(p, "Wersja", line);
	snprintf(line, sizeof(line), "od %s do %s", d->l.valid_from, d->l.valid_to);
	pdf_field(p, "Okres realizacji", line);
	pdf_text(p, "Program określa wspólne działania instytucji pomocy społecznej, rynku pracy i ich partnerów "
		    "na rzecz rodzin objętych rodzinnymi kontraktami socjalnymi w powiecie, w czterech modułach "
		    "wsparcia, oraz zasady korzystania ze wspólnej infrastruktury.",
		 9, 0, 4);
}

static void partners(struct pdf_doc *p, const struct lpiw_doc *d)
{
	char line[400];
	int i;

	pdf_heading(p, "II. Partnerzy programu");
	if (d->ninstitutions == 0)
		pdf_text(p, "—", 9.5, 0, 2);
	for (i = 0; i < d->ninstitutions; i++) {
		snprintf(line, sizeof(line), "%d. %s", i + 1, d->institutions[i]);
		pdf_text(p, line, 9.5, 0, 1);
	}
}

/* action() prints one action as a numbered block of fields. */
static void action(struct pdf_doc *p, const struct lpiw_action *x)
{
	char line[1200], money[48];

	snprintf(line, sizeof(line), "Działanie %d. %s", x->number, x->title);
	pdf_room(p, 60);
	pdf_text(p, line, 10, 1, 2);
	pdf_field(p, "Instytucja odpowiedzialna", x->responsible_name);
	pdf_field(p, "Partnerzy", opt(x->partner_names) != NULL ? x->partner_names : "—");
	pdf_field(p, "Grupa docelowa", x->target_group);
	pdf_field(p, "Wspólna infrastruktura", opt(x->infrastructure) != NULL ? x->infrastructure : "—");
	if (opt(x->infrastructure) != NULL || opt(x->rules_of_use) != NULL)
		pdf_field(p, "Zasady korzystania", x->rules_of_use);
	if (x->funding_amount >= 0)
		snprintf(line, sizeof(line), "%s%s%s", opt(x->funding) != NULL ? x->funding : "",
			 opt(x->funding) != NULL ? " — " : "", pdf_money(money, sizeof(money), (long long)x->funding_amount));
	else
		snprintf(line, sizeof(line), "%s", opt(x->funding) != NULL ? x->funding : "");
	pdf_field(p, "Finansowanie", line);
	snprintf(line, sizeof(line), "od %s do %s", x->period_from, x->period_to);
	pdf_field(p, "Okres realizacji działania", line);
	p->y += 4;
}

static void actions(struct pdf_doc *p, const struct lpiw_doc *d)
{
	int m, i, any;

	pdf_heading(p, "III. Działania programu w podziale na moduły wsparcia");
	for (m = 0; m < NMODULES; m++) {
		pdf_room(p, 80);
		pdf_text(p, module_pl(modules[m]), 10.5, 1, 3);
		for (i = any = 0; i < d->l.nactions; i++)
			if (str_eq(d->l.actions[i].module, modules[m])) {
				action(p, &d->l.actions[i]);
				any = 1;
			}
		if (!any)
			pdf_text(p, "Brak działań w tym module.", 9, 0, 4);
	}
}

static void finance(struct pdf_doc *p, const struct lpiw_doc *d)
{
	static const double w[3] = { 240, 121.9, 120 };
	const char *head[3] = { "Moduł", "Liczba działań", "Finansowanie" };
	char money[48], count[16];
	long long sum, total = 0;
	int m, i, n;

	pdf_heading(p, "IV. Ramy finansowe");
	pdf_field(p, "Limit środków na jeden rodzinny kontrakt socjalny",
		  pdf_money(money, sizeof(money), (long long)d->l.contract_limit));
	pdf_row(p, head, w, 3, 1);
	for (m = 0; m < NMODULES; m++) {
		const char *cells[3];

		for (i = n = 0, sum = 0; i < d->l.nactions; i++)
			if (str_eq(d->l.actions[i].module, modules[m])) {
				n++;
				sum += d->l.actions[i].funding_amount > 0 ? d->l.actions[i].funding_amount : 0;
			}
		total += sum;
		snprintf(count, sizeof(count), "%d", n);
		cells[0] = module_pl(modules[m]);
		cells[1] = count;
		cells[2] = pdf_money(money, sizeof(money), sum);
		pdf_row(p, cells, w, 3, 0);
	}
	{
		const char *cells[3] = { "Razem", NULL, NULL };
		char all[16];

		snprintf(all, sizeof(all), "%d", d->l.nactions);
		cells[1] = all;
		cells[2] = pdf_money(money, sizeof(money), total);
		pdf_row(p, cells, w, 3, 1);
	}
	p->y += 6;
}

static void adoption(struct pdf_doc *p, const struct lpiw_doc *d)
{
	const struct decision *x = &d->decision;
	char line[400];

	pdf_heading(p, "V. Przyjęcie programu");
	if (x->id <= 0) {
		pdf_text(p, "Projekt programu — nie został jeszcze przyjęty przez Powiatowy Zespół Koordynujący "
			    "Współpracę.", 9.5, 0, 4);
	} else {
		pdf_field(p, "Przyjęty przez", d->team_name);
		snprintf(line, sizeof(line), "nr %lld z dnia %s%s%s", (long long)x->id, x->decided_on,
			 d->meeting_on != NULL ? ", na posiedzeniu w dniu " : ", poza posiedzeniem",
			 d->meeting_on != NULL ? d->meeting_on : "");
		pdf_field(p, "Uchwała", line);
		if (str_eq(x->method, "vote"))
			snprintf(line, sizeof(line), "w głosowaniu: za %d, przeciw %d, wstrzymało się %d", x->votes_for,
				 x->votes_against, x->votes_abstain);
		else
			snprintf(line, sizeof(line), "w drodze konsensusu");
		pdf_field(p, "Sposób przyjęcia", line);
	}
	pdf_room(p, 60);
	p->y += 30;
	cairo_set_line_width(p->cr, 0.5);
	cairo_move_to(p->cr, PDF_MARGIN + PDF_COL_W - 220, p->y);
	cairo_line_to(p->cr, PDF_MARGIN + PDF_COL_W, p->y);
	cairo_stroke(p->cr);
	p->y += 3;
	{
		PangoLayout *l = pdf_layout(p, "(podpis przewodniczącego PZKW)", 8, 0, 220);

		cairo_move_to(p->cr, PDF_MARGIN + PDF_COL_W - 220, p->y);
		pango_cairo_show_layout(p->cr, l);
		g_object_unref(l);
	}
	p->y += 16;
}

int lpiw_pdf(const struct lpiw_doc *d, struct buf *out)
{
	struct pdf_doc p = { 0 };
	char line[300];

	if (pdf_begin(&p, out, d->l.title) != 0)
		return -1;
	snprintf(line, sizeof(line), "Powiat: %s", d->county_name);
	pdf_text(&p, line, 9.5, 1, 0);
	snprintf(line, sizeof(line), "Nr programu: %lld, wersja %d", (long long)d->l.id, d->l.version);
	pdf_text(&p, line, 9.5, 0, 14);
	pdf_centred(&p, "LOKALNY PROGRAM INTERDYSCYPLINARNEJ WSPÓŁPRACY (LPIW)", 15, 1, 4);
	pdf_centred(&p, d->l.title, 11, 0, 3);
	pdf_centred(&p, "na rzecz rodzin — pilotaż „Schematom STOP! Wspólne działania instytucji pomocy społecznej "
			"i instytucji rynku pracy”", 9, 0, 10);
	general(&p, d);
	partners(&p, d);
	actions(&p, d);
	finance(&p, d);
	adoption(&p, d);
	return pdf_end(&p, out);
}
